"""The SPARQL 1.1 Protocol on the wire: reading a query request and choosing the answer's format.

Reading: ``query`` by GET, by form-encoded POST or as an ``application/sparql-query`` body;
``default-graph-uri`` and ``named-graph-uri`` (repeatable) from the URL or the form. Anything
that is or hides an update is refused with 403, whatever field or content type it comes in.

Formats: the ``format`` (or ``output``) parameter wins over the Accept header; the choice
depends on the query form (solutions and booleans versus triples), so it is made after the
engine has said which form the query has.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request
from werkzeug.datastructures import MIMEAccept

from kg.query import QueryDataset
from kg.sparqltext import update_keyword
from webapp.errors import BadRequest, Forbidden, NotAcceptable
from webapp.guard import check_text_length

SOLUTION_MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_MEDIA_TYPES: dict[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
}
# What clients ask for besides the registered types, and what it means per query form.
_SOLUTION_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
                     "application/sparql-results+json": "json"}
_GRAPH_ALIASES = {"application/x-turtle": "turtle", "text/n3": "turtle", "text/plain": "ntriples",
                  "application/json": "jsonld", "application/xml": "rdfxml", "text/xml": "rdfxml"}
# format=/output= names: (for solutions, for triples).
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"), "srj": ("json", None), "xml": ("xml", "rdfxml"),
    "srx": ("xml", None), "csv": ("csv", None), "tsv": ("tsv", None),
    "ttl": (None, "turtle"), "turtle": (None, "turtle"), "n3": (None, "turtle"),
    "nt": (None, "ntriples"), "ntriples": (None, "ntriples"), "n-triples": (None, "ntriples"),
    "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"), "rdfxml": (None, "rdfxml"),
    "rdf": (None, "rdfxml"), "rdf/xml": (None, "rdfxml"), "trig": (None, "trig"),
    "nq": (None, "nquads"), "nquads": (None, "nquads"), "n-quads": (None, "nquads"),
}
QUERY_MEDIA_TYPE = "application/sparql-query"
UPDATE_MEDIA_TYPE = "application/sparql-update"
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True, slots=True)
class ProtocolRequest:
    """A query request as the protocol delivers it (``query`` is None when none was sent)."""

    query: str | None
    dataset: QueryDataset
    format_name: str  # the format=/output= override, lower-cased ("" when absent)


def read_request(request: Request, max_query_chars: int) -> ProtocolRequest:
    """The query, its dataset and format override; Forbidden for updates, BadRequest for misuse,
    PayloadTooLarge for a query longer than ``max_query_chars``."""
    refuse_updates(request)
    body_type = request.mimetype if request.method == "POST" else ""
    fields = request.args.to_dict(flat=False)
    if body_type == FORM_MEDIA_TYPE or body_type == "multipart/form-data":
        for key, values in request.form.to_dict(flat=False).items():
            fields.setdefault(key, []).extend(values)
    queries = fields.get("query", [])
    if body_type == QUERY_MEDIA_TYPE:
        if queries:
            raise BadRequest("send the query either as the body or as the query parameter, not both")
        queries = [request.get_data(as_text=True)]
    elif request.method == "POST" and body_type not in (FORM_MEDIA_TYPE, "multipart/form-data", ""):
        raise BadRequest(f"a POST to /sparql is {FORM_MEDIA_TYPE} or {QUERY_MEDIA_TYPE}, "
                         f"not {body_type}")
    if len(queries) > 1:
        raise BadRequest("the query parameter may be given only once")
    query = queries[0] if queries else None
    if query is not None:
        check_text_length(query, max_query_chars, "SPARQL query", "sparql_max_query_chars")
        keyword = update_keyword(query)
        if keyword:
            raise Forbidden(f"this endpoint is read-only: {keyword} is SPARQL Update, which is refused")
        if not query.strip():
            raise BadRequest("the query is empty")
    dataset = QueryDataset(tuple(fields.get("default-graph-uri", [])),
                           tuple(fields.get("named-graph-uri", [])))
    format_name = (fields.get("format") or fields.get("output") or [""])[0].strip().lower()
    return ProtocolRequest(query, dataset, format_name)


def refuse_updates(request: Request) -> None:
    """403 for SPARQL Update in any form: a body of that type or an ``update`` field anywhere."""
    if request.method == "POST" and request.mimetype == UPDATE_MEDIA_TYPE:
        raise Forbidden("this endpoint is read-only: SPARQL Update is refused")
    in_form = (request.method == "POST" and request.mimetype in (FORM_MEDIA_TYPE, "multipart/form-data")
               and "update" in request.form)
    if "update" in request.args or in_form:
        raise Forbidden("this endpoint is read-only: SPARQL Update is refused")


def choose_format(kind: str, format_name: str, accept: MIMEAccept) -> tuple[str, str]:
    """(format key, media type) for an answer of ``kind`` (select, ask or graph).

    Raises NotAcceptable when neither the override nor the Accept header names a format
    this kind of answer can be given in.
    """
    graph = kind == "graph"
    media_types = GRAPH_MEDIA_TYPES if graph else SOLUTION_MEDIA_TYPES
    aliases = _GRAPH_ALIASES if graph else _SOLUTION_ALIASES
    if format_name:
        key = _format_from_name(format_name, graph, media_types, aliases)
        if key is None:
            raise NotAcceptable(
                f"format {format_name!r} cannot answer a {_form_name(kind)} query; use one of "
                + ", ".join(media_types))
        return key, media_types[key]
    if not accept:  # no Accept header: the first of the list
        key = next(iter(media_types))
        return key, media_types[key]
    candidates = [*media_types.values(), *aliases]
    best = accept.best_match(candidates)
    if best is None:
        raise NotAcceptable(
            f"cannot answer a {_form_name(kind)} query in {accept.to_header()}; "
            "acceptable: " + ", ".join(media_types.values()))
    key = next((k for k, v in media_types.items() if v == best), None) or aliases[best]
    return key, media_types[key]


def accepts_any(accept: MIMEAccept) -> bool:
    """Whether the Accept header allows at least one answer format of any query form."""
    if not accept:
        return True
    every = [*SOLUTION_MEDIA_TYPES.values(), *GRAPH_MEDIA_TYPES.values(), *_SOLUTION_ALIASES,
             *_GRAPH_ALIASES, "text/html"]
    return accept.best_match(every) is not None


def _format_from_name(name: str, graph: bool, media_types: dict[str, str],
                      aliases: dict[str, str]) -> str | None:
    if name in FORMAT_NAMES:
        return FORMAT_NAMES[name][1 if graph else 0]
    if name in media_types.values():
        return next(k for k, v in media_types.items() if v == name)
    return aliases.get(name)


def _form_name(kind: str) -> str:
    return {"graph": "CONSTRUCT/DESCRIBE", "ask": "ASK"}.get(kind, "SELECT")
