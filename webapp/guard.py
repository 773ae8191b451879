"""Oversized requests are refused with 413 before any view reads them.

Checked in this order, each against ``Limits.requests`` (settings ``max_request_body_bytes``,
``max_query_string_bytes``, ``max_parameters``, ``max_parameter_chars``): the declared body
size (the body is never read), the query string's length, the number of parameters, and the
length of each value. The SPARQL text (``query`` on /sparql) has its own, larger limit
(``sparql_max_query_chars``), checked by webapp.protocol once the body is decoded; the search
text and the question theirs (``search_max_query_chars``, ``ask_max_question_chars``),
checked where they are parsed. A body sent without a length is cut by werkzeug at
``MAX_CONTENT_LENGTH``, which create_app sets to the same limit.
"""

from __future__ import annotations

from flask import Flask, request

from webapp.context import SERVICES_KEY, limits
from webapp.errors import PayloadTooLarge
from webapp.services import RequestLimits

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SPARQL_ENDPOINT = "sparql.endpoint"
SPARQL_TEXT_FIELDS = ("query", "update")  # update is refused with 403 by webapp.protocol


def check_request_size(caps: RequestLimits) -> None:
    """PayloadTooLarge naming the first limit the current request passes."""
    length = request.content_length
    if length is not None and length > caps.max_body_bytes:
        raise PayloadTooLarge(f"the request body has {length} bytes; at most {caps.max_body_bytes} "
                              "are accepted (setting max_request_body_bytes)")
    query_string = request.query_string
    if len(query_string) > caps.max_query_string_bytes:
        raise PayloadTooLarge(
            f"the query string has {len(query_string)} bytes; at most {caps.max_query_string_bytes} "
            "are accepted (setting max_query_string_bytes; send a long SPARQL query by POST)")
    fields = list(request.args.items(multi=True))
    if request.method == "POST" and request.mimetype in FORM_TYPES:
        fields += list(request.form.items(multi=True))
    if len(fields) > caps.max_parameters:
        raise PayloadTooLarge(f"the request has {len(fields)} parameters; at most {caps.max_parameters} "
                              "are accepted (setting max_parameters)")
    sparql = request.endpoint == SPARQL_ENDPOINT
    for name, value in fields:
        if sparql and name in SPARQL_TEXT_FIELDS:
            check_text_length(value, caps.max_sparql_chars, "SPARQL query", "sparql_max_query_chars")
        elif len(value) > caps.max_parameter_chars:
            raise PayloadTooLarge(f"parameter {name[:40]!r} has {len(value)} characters; at most "
                                  f"{caps.max_parameter_chars} are accepted (setting max_parameter_chars)")


def check_text_length(text: str, cap: int, what: str, setting: str) -> None:
    """PayloadTooLarge when ``text`` (a search text, a question, a query) is longer than ``cap``."""
    if len(text) > cap:
        raise PayloadTooLarge(f"the {what} has {len(text)} characters; at most {cap} are accepted "
                              f"(setting {setting})")


def install(app: Flask) -> None:
    """After webapp.context.install (the limits come from the services)."""
    caps: RequestLimits = app.extensions[SERVICES_KEY].limits.requests
    app.config["MAX_CONTENT_LENGTH"] = caps.max_body_bytes
    app.config["MAX_FORM_PARTS"] = caps.max_parameters
    # "/static//etc/passwd" is a 404, not a redirect to "/static/etc/passwd": a hostile path
    # gets a 4xx, whatever its slashes
    app.url_map.merge_slashes = False

    @app.before_request
    def refuse_oversized() -> None:
        check_request_size(limits().requests)
