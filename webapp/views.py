"""Pages and their JSON twins, each built by one data function."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template

from kg.stats import graph_stats

pages = Blueprint("pages", __name__)


def stats_data() -> dict[str, Any]:
    reader = current_app.extensions["impactkg.readers"].get()
    return {**graph_stats(reader).as_dict(), "generation": reader.generation.id}


@pages.get("/")
def index() -> str:
    return render_template("index.html", stats=stats_data())


@pages.get("/api/stats.json")
def stats_json() -> Any:
    return jsonify(stats_data())
