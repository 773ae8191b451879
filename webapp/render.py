"""The last step of every view: the same data as an HTML page, JSON, or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response, jsonify, render_template, request, url_for

from webapp.context import generation_id


def html(template: str, data: dict[str, Any], *, api: str | None = None, status: int = 200) -> Response:
    """Render ``template`` with ``data`` (as ``data``); ``api`` is the JSON twin's URL."""
    body = render_template(template, data=data, api_url=api or "")
    return Response(body, status=status, mimetype="text/html")


def json(data: dict[str, Any], status: int = 200) -> Response:
    """The data as JSON, with the generation it was read from."""
    response = jsonify({"generation": generation_id(), **data})
    response.status_code = status
    return response


def csv_download(columns: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    """A CSV file (UTF-8 with a byte order mark, so spreadsheet programs read the accents)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if cell is None else _neutralised(str(cell)) for cell in row])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _neutralised(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def twin(endpoint: str, **view_args: Any) -> str:
    """The URL of the current page's JSON twin: ``endpoint`` with the same query string."""
    path = url_for(endpoint, lang=None, **view_args)
    query = request.query_string.decode("utf-8")
    return path + (f"?{query}" if query else "")
