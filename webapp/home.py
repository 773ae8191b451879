"""The home page."""

from __future__ import annotations

from flask import Blueprint, render_template

from webapp.data import stats_data

home = Blueprint("home", __name__)


@home.get("/")
def index() -> str:
    return render_template("index.html", stats=stats_data())
