"""Linked data: every IRI of the graph is a page for people and RDF for machines.

``/id/<path>`` stands for ``<base_iri><path>``, ``/def/<Local>`` for an ontology term,
``/concept/<local>`` for a SKOS concept or scheme, ``/resource?iri=`` for any other IRI.
Each serves the HTML page, its JSON twin or the resource's description in Turtle, JSON-LD,
N-Triples or RDF/XML, chosen by the Accept header or ``?format=`` (served directly, with
``Vary: Accept``; see docs/webapp.md).
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from webapp import render
from webapp.context import graph, limits
from webapp.data.graph import browse_url, paths
from webapp.data.resource import ResourceArgs, resource_data
from webapp.errors import BadRequest
from webapp.links import ONTOLOGY_IRI, concept_iri, term_iri
from webapp.rdf import FORMATS, describe, negotiate

browse = Blueprint("browse", __name__)


@browse.get("/id/<path:rest>")
def instance(rest: str) -> Response:
    return resource_response(paths().instance_iri(rest))


@browse.get("/def")
def ontology() -> Response:
    return resource_response(ONTOLOGY_IRI)


@browse.get("/def/<local>")
def term(local: str) -> Response:
    return resource_response(term_iri(local))


@browse.get("/concept/<path:local>")
def concept(local: str) -> Response:
    return resource_response(concept_iri(local))


@browse.get("/resource")
def any_resource() -> Response:
    iri = (request.args.get("iri") or "").strip()
    if not iri:
        raise BadRequest("give the resource as ?iri=")
    return resource_response(iri)


def resource_response(iri: str) -> Response:
    fmt = negotiate(request)
    if FORMATS[fmt].syntax is not None:
        body = describe(graph(), iri, fmt, max_triples=limits().max_returned_rows,
                        base_iri=limits().base_iri)
        response = Response(body, mimetype=FORMATS[fmt].media_type)
    else:
        data = resource_data(ResourceArgs.from_query(iri, request.args))
        if fmt == "json":
            response = render.json(data)
        else:
            response = render.html("resource.html", data, api=_api_url(iri))
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        f'<{item}>; rel="alternate"; type="{FORMATS[name].media_type}"'
        for name, item in _format_urls(iri).items() if name != fmt)
    return response


def _api_url(iri: str) -> str:
    return url_for("api.resource", iri=iri, lang=None)


def _format_urls(iri: str) -> dict[str, str]:
    base = browse_url(iri)
    joiner = "&" if "?" in base else "?"
    return {name: f"{base}{joiner}format={name}" for name in FORMATS}
