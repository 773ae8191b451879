"""SPARQL for analysts: the ``/sparql`` endpoint and editor, the canned queries, the VoID description.

- ``/sparql``: the SPARQL 1.1 Protocol (webapp.protocol reads the request and picks the
  format); the query runs in the warm worker pool (``Services.run_sparql``) and the answer is
  serialised from its bytes. Browsers get the editor page; ``Accept: text/turtle`` without a
  query gets the service description.
- ``/queries``, ``/queries/<name>`` (+ ``.json``, ``.csv``): the canned queries of
  ``ontology/queries`` with a form for their declared parameters.
- ``/.well-known/void``: VoID + DCAT description of the dataset, cached per generation.
"""

from __future__ import annotations

import threading
import urllib.parse
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request, url_for

from kg.canned import bind_parameters, check_concepts, parameter_choices
from kg.encoded import GRAPH_FORMATS, EncodedResult
from kg.namespaces import PREFIXES
from kg.ontology import CannedQuery, canned_queries, canned_query
from kg.pool import QueryRequest
from kg.query import QueryDataset, QueryResult, Term
from kg.results import shorten
from kg.void import DESCRIPTION_PREFIXES, dataset_facts, service_description, void_description
from webapp.context import services, snapshot
from webapp.errors import BadRequest, NotAcceptable, NotFound
from webapp.protocol import GRAPH_MEDIA_TYPES, accepts_any, choose_format, read_request

sparql = Blueprint("sparql", __name__)

TRUNCATED_HEADER = "X-Impactkg-Truncated"
MAX_ROWS_HEADER = "X-Impactkg-Max-Rows"
PROJECT_ROOT = "https://w3id.org/impactkg/"
"""IRIs under here are pages of this server (the resource browser): /id/…, /def/…, /concept/…"""

_HTML_AND_DESCRIPTIONS = ["text/turtle", *[t for t in GRAPH_MEDIA_TYPES.values() if t != "text/turtle"],
                          "text/html"]


# -- /sparql ----------------------------------------------------------------------------------

@sparql.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Any:
    asked = read_request(request, services().limits.requests.max_sparql_chars)
    if not accepts_any(request.accept_mimetypes):
        raise NotAcceptable(f"/sparql cannot answer in {request.accept_mimetypes.to_header()}")
    if asked.query is None:
        if request.method == "POST":
            raise BadRequest("no query: send query=… (SPARQL Update is refused)")
        if not asked.format_name and _prefers_html():
            return _editor_page("")
        return _description(service_description(
            endpoint_iri=_endpoint_iri(), dataset_iri=_dataset_iri(),
            description_iri=url_for("sparql.void", _external=True)), asked.format_name)
    if not asked.format_name and request.method == "GET" and _prefers_html():
        return _editor_page(asked.query)  # a shared link opens in the editor
    limits = services().limits
    answer = services().run_sparql(QueryRequest(asked.query, limits.max_returned_rows,
                                                dataset=asked.dataset))
    return _answer(answer, asked.format_name)


def _prefers_html() -> bool:
    accept = request.accept_mimetypes
    if not accept:
        return False
    return accept.best_match([*_HTML_AND_DESCRIPTIONS, "application/sparql-results+json"]) == "text/html"


def _answer(answer: EncodedResult, format_name: str) -> Response:
    key, media_type = choose_format(answer.kind, format_name, request.accept_mimetypes)
    response = Response(answer.serialize(key), content_type=f"{media_type}; charset=utf-8")
    response.headers[MAX_ROWS_HEADER] = str(services().limits.max_returned_rows)
    response.headers[TRUNCATED_HEADER] = "true" if answer.truncated else "false"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = f"{TRUNCATED_HEADER}, {MAX_ROWS_HEADER}"
    response.headers["Vary"] = "Accept"
    return response


def _editor_page(query: str) -> str:
    return render_template(
        "sparql.html", query=query, prefixes=PREFIXES, display_prefixes=display_prefixes(),
        local_links=local_links(),
        examples=canned_queries(), limits=services().limits)


def _endpoint_iri() -> str:
    return url_for("sparql.endpoint", _external=True)


def _dataset_iri() -> str:
    return url_for("sparql.void", _external=True) + "#dataset"


# -- descriptions -----------------------------------------------------------------------------

_VOID_CACHE: dict[tuple[int, str], list[ox.Triple]] = {}
_VOID_LOCK = threading.Lock()


@sparql.get("/.well-known/void")
def void() -> Response:
    pinned = snapshot()
    key = (id(services()), pinned.generation.id)
    with _VOID_LOCK:
        triples = _VOID_CACHE.get(key)
    if triples is None:
        facts = dataset_facts(pinned.resources.graph, pinned.generation.id,
                              str(pinned.generation.manifest.get("created", "")))
        triples = void_description(
            facts, description_iri=url_for("sparql.void", _external=True),
            dataset_iri=_dataset_iri(), endpoint_iri=_endpoint_iri(),
            licence=services().limits.dataset_licence, uri_space=services().limits.base_iri)
        with _VOID_LOCK:
            if len(_VOID_CACHE) > 16:
                _VOID_CACHE.clear()
            _VOID_CACHE[key] = triples
    return _description(triples, request.args.get("format", "").lower())


def _description(triples: list[ox.Triple], format_name: str) -> Response:
    key, media_type = choose_format("graph", format_name, request.accept_mimetypes)
    triples = sorted(triples, key=lambda triple: str(triple.subject))  # Turtle groups a subject
    body = ox.serialize(triples, format=GRAPH_FORMATS[key],
                        prefixes=DESCRIPTION_PREFIXES if key in ("turtle", "trig", "rdfxml") else None)
    response = Response(body, content_type=f"{media_type}; charset=utf-8")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Accept"
    return response


# -- canned queries ---------------------------------------------------------------------------

@sparql.get("/queries")
@sparql.get("/queries.json")
def queries() -> Any:
    listing = [_query_summary(query) for query in canned_queries()]
    if request.path.endswith(".json"):
        return jsonify({"queries": listing})
    return render_template("queries.html", queries=listing)


def _query_summary(query: CannedQuery) -> dict[str, Any]:
    return {
        "name": query.name, "title": query.title, "title_en": query.title_en,
        "description": query.description, "description_en": query.description_en,
        "parameters": [{"name": p.name, "kind": p.kind, "range": p.range_iri,
                        "language": p.language, "label": p.label} for p in query.parameters],
        "url": url_for("sparql.canned", name=query.name),
        "json": url_for("sparql.canned_json", name=query.name),
        "csv": url_for("sparql.canned_csv", name=query.name),
    }


@sparql.get("/queries/<name>.json")
def canned_json(name: str) -> Response:
    query, bound = _canned_request(name)
    return _answer(_run_canned(query, bound), "json")


@sparql.get("/queries/<name>.csv")
def canned_csv(name: str) -> Response:
    query, bound = _canned_request(name)
    response = _answer(_run_canned(query, bound), "csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@sparql.get("/queries/<name>")
def canned(name: str) -> str:
    query, bound = _canned_request(name)
    graph = snapshot().resources.graph
    result = _run_canned(query, bound).decode()
    values = {p.name: request.args.get(p.name, "") for p in query.parameters}
    arguments = {k: v for k, v in values.items() if v}
    return render_template(
        "query.html", query=query, summary=_query_summary(query), values=values,
        choices={p.name: parameter_choices(p, graph) for p in query.parameters},
        table=result_table(result), truncated=result.truncated,
        limits=services().limits,
        json_url=url_for("sparql.canned_json", name=name, **arguments),
        csv_url=url_for("sparql.canned_csv", name=name, **arguments),
        editor_url=url_for("sparql.endpoint") + "?" + urllib.parse.urlencode({"query": query.sparql}),
    )


def _canned_request(name: str) -> tuple[CannedQuery, dict[str, Term]]:
    query = canned_query(name)
    if query is None:
        raise NotFound(f"no canned query named {name!r}; see /queries")
    values = {key: value for key, value in request.args.items()
              if key not in ("lang", "format")}
    bound = bind_parameters(query.parameters, values)
    check_concepts(query.parameters, bound, snapshot().resources.graph)
    return query, bound


def _run_canned(query: CannedQuery, bound: dict[str, Term]) -> EncodedResult:
    return services().run_sparql(QueryRequest(query.sparql, services().limits.max_returned_rows,
                                              bound, QueryDataset()))


# -- showing results --------------------------------------------------------------------------

def display_prefixes() -> dict[str, str]:
    """The predeclared prefixes plus ``id:`` for instances, to shorten IRIs in result tables."""
    return {**PREFIXES, "id": services().limits.base_iri}


def local_links() -> dict[str, str]:
    """IRI prefixes that are pages of this server, and the path each maps to."""
    root = url_for("home.index")
    links = {PROJECT_ROOT: root}
    base = services().limits.base_iri
    if not base.startswith(PROJECT_ROOT):
        links[base] = root + "id/"
    return links


def link_for(iri: str, links: dict[str, str]) -> str:
    """Where a result's IRI links to: its page on this server, or the IRI itself."""
    for prefix, path in links.items():
        if iri.startswith(prefix):
            rest = iri[len(prefix):]
            return path + rest.replace("#", "/", 1) if rest.startswith("def#") else path + rest
    return iri


def result_table(result: QueryResult) -> dict[str, Any]:
    """Columns and cells for the HTML table: prefixed names, links to this server's pages."""
    links = local_links()
    prefixes = {**result.prefixes, **display_prefixes()}
    if result.kind == "ask":
        return {"columns": ["antwoord"], "rows": [[{"text": "ja (true)" if result.boolean
                                                     else "nee (false)"}]]}
    if result.kind == "graph":
        columns = ["subject", "predicate", "object"]
        rows = [(t.subject, t.predicate, t.object) for t in result.triples]
    else:
        columns, rows = list(result.variables), list(result.rows)
    return {"columns": columns,
            "rows": [[_cell(term, prefixes, links) for term in row] for row in rows]}


def _cell(term: Term | None, prefixes: dict[str, str], links: dict[str, str]) -> dict[str, str]:
    if term is None:
        return {"text": ""}
    if isinstance(term, ox.NamedNode):
        return {"text": shorten(term, prefixes), "href": link_for(term.value, links),
                "title": term.value}
    if isinstance(term, ox.Literal):
        note = f"@{term.language}" if term.language else ""
        if not note and term.datatype.value != PREFIXES["xsd"] + "string":
            note = shorten(term.datatype, prefixes)
        return {"text": term.value, "note": note}
    return {"text": shorten(term, prefixes)}
