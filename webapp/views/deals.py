"""The deals list and each deal's page with its impact chain."""

from __future__ import annotations

from flask import Blueprint, Response

from webapp import render
from webapp.data.deals import deal_data, deals_data

deals = Blueprint("deals", __name__)


@deals.get("/deals")
def index() -> Response:
    return render.html("deals.html", deals_data(), api=render.twin("api.deals"))


@deals.get("/deals/<slug>")
def deal(slug: str) -> Response:
    return render.html("deal.html", deal_data(slug), api=render.twin("api.deal", slug=slug))
