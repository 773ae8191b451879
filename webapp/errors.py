"""The web app's typed errors and the one handler that renders them.

Every error a user can cause becomes one of these (errors from kg, search and ask are
mapped below), rendered as an HTML page for browsers and as one fixed JSON shape for
everything else::

    {"ok": false, "status": 400, "error": "one line for the user", "code": "bad_request"}
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ask import AskError
from kg.errors import KgError, NoDataError, QueryTimeoutError, SparqlError
from kg.pool import PoolBusyError, WorkerDiedError
from search.errors import BadSearchRequest, IndexModelMismatch, SearchIndexError

log = logging.getLogger(__name__)


class WebError(Exception):
    status = 500
    code = "error"

    def __init__(self, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})  # sent with the error (Retry-After, Allow)


class BadRequest(WebError):
    status, code = 400, "bad_request"


class Forbidden(WebError):
    status, code = 403, "forbidden"


class NotFound(WebError):
    status, code = 404, "not_found"


class NotAcceptable(WebError):
    status, code = 406, "not_acceptable"


class PayloadTooLarge(WebError):
    status, code = 413, "payload_too_large"


class TooManyRequests(WebError):
    status, code = 429, "too_many_requests"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message, {"Retry-After": str(retry_after_s)})


class QueryTimeout(WebError):
    """A query ran past its time limit: the request asked for too much (as Datasette says)."""

    status, code = 400, "query_timeout"


class Unavailable(WebError):
    status, code = 503, "unavailable"


def as_web_error(error: Exception) -> WebError | None:
    """The web error for an error from the layers below; None when it is a bug."""
    if isinstance(error, WebError):
        return error
    if isinstance(error, NoDataError):
        return Unavailable(str(error))
    if isinstance(error, QueryTimeoutError):
        return QueryTimeout(str(error))
    if isinstance(error, PoolBusyError | WorkerDiedError):
        return Unavailable(str(error))
    if isinstance(error, SparqlError | KgError | BadSearchRequest):
        return BadRequest(str(error))
    if isinstance(error, IndexModelMismatch | SearchIndexError):
        return Unavailable(str(error))
    if isinstance(error, AskError):
        return BadRequest(str(error))
    return None


_MACHINE_PATHS = ("/sparql", "/.well-known/")


def wants_json() -> bool:
    """JSON for the API and for clients that prefer it; HTML for browsers."""
    if request.path.startswith("/api/") or request.path.endswith((".json", ".csv")):
        return True
    if not request.accept_mimetypes:  # no Accept: a person's tool for pages, a client's for endpoints
        return request.path.startswith(_MACHINE_PATHS)
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best != "text/html"


def error_response(error: WebError) -> tuple[Response | str, int, dict[str, str]]:
    if wants_json():
        body = {"ok": False, "status": error.status, "error": error.message, "code": error.code}
        return jsonify(body), error.status, error.headers
    return render_template("error.html", error=error), error.status, error.headers


def from_http_exception(error: HTTPException) -> WebError:
    """Werkzeug's own errors (routing 404s, 405s, its 413) in the one shape, with their Allow."""
    if error.code == PayloadTooLarge.status:
        return PayloadTooLarge(error.description or "the request is too large")
    web = WebError(error.description or error.name)
    web.status, web.code = error.code or 500, error.name.lower().replace(" ", "_")
    allowed = getattr(error, "valid_methods", None)
    if allowed:
        web.headers["Allow"] = ", ".join(allowed)
    return web


def install(app: Flask) -> None:
    @app.errorhandler(Exception)
    def handle(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return error_response(from_http_exception(error))
        web = as_web_error(error)
        if web is None:
            log.exception("unexpected error on %s", request.path)
            web = WebError("internal error; the administrator can find details in the log")
        return error_response(web)
