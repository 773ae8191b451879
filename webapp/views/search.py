"""The search page (its JSON twin is /api/search)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from webapp import render
from webapp.data.search_results import SearchArgs, search_data

search = Blueprint("search", __name__)


@search.get("/zoeken")
def page() -> Response:
    data = search_data(SearchArgs.from_query(request.args))
    return render.html("search.html", data, api=render.twin("api.search"))
