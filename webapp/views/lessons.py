"""The lessons and working elements table (JSON and CSV twins under /api/lessons)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from webapp import render
from webapp.data.lessons import LessonArgs, lessons_data

lessons = Blueprint("lessons", __name__)


@lessons.get("/lessen")
def table() -> Response:
    data = lessons_data(LessonArgs.from_query(request.args))
    return render.html("lessons.html", data, api=render.twin("api.lessons"))
