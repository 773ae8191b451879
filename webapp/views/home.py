"""The home page."""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from webapp import render
from webapp.data.home import home_data

home = Blueprint("home", __name__)


@home.get("/")
def index() -> Response:
    return render.html("index.html", home_data(), api=url_for("api.stats"))
