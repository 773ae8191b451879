"""The JSON API: each route returns what a page's data function returns."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from webapp.data import stats_data

api = Blueprint("api", __name__, url_prefix="/api")


@api.get("/stats")
@api.get("/stats.json")
def stats() -> Any:
    return jsonify(stats_data())
