"""The ask page (its JSON twin is /api/ask)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from webapp import render
from webapp.data.answer import AskArgs, ask_data

ask = Blueprint("ask", __name__)


@ask.get("/vraag")
def page() -> Response:
    data = ask_data(AskArgs.from_query(request.args))
    return render.html("ask.html", data, api=render.twin("api.ask"))
