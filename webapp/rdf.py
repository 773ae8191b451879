"""Resources as RDF: content negotiation and the description a resource IRI serves.

A resource's description is every triple with it as subject plus the triples that point to
it (up to ``max_returned_rows``), from all named graphs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Request

from kg.backend import QueryableGraph
from kg.namespaces import PREFIXES
from webapp.errors import NotAcceptable

_DESCRIBE = """
CONSTRUCT { ?this ?p ?o . ?s ?q ?this }
WHERE { { ?this ?p ?o } UNION { ?s ?q ?this } }
"""


@dataclass(frozen=True, slots=True)
class RdfFormat:
    label: str
    media_type: str
    syntax: ox.RdfFormat | None
    """None for the formats that are not RDF syntaxes (the HTML page and its JSON twin)."""
    aliases: tuple[str, ...] = ()


FORMATS: dict[str, RdfFormat] = {
    "html": RdfFormat("HTML", "text/html", None),
    "json": RdfFormat("JSON (API)", "application/json", None),
    "ttl": RdfFormat("Turtle", "text/turtle", ox.RdfFormat.TURTLE, ("turtle",)),
    "jsonld": RdfFormat("JSON-LD", "application/ld+json", ox.RdfFormat.JSON_LD, ("json-ld",)),
    "nt": RdfFormat("N-Triples", "application/n-triples", ox.RdfFormat.N_TRIPLES, ("ntriples",)),
    "rdf": RdfFormat("RDF/XML", "application/rdf+xml", ox.RdfFormat.RDF_XML, ("xml", "rdfxml")),
}
_BY_ALIAS = {alias: name for name, fmt in FORMATS.items() for alias in (name, *fmt.aliases)}
_OFFERED = [fmt.media_type for fmt in FORMATS.values()]
_BY_MEDIA_TYPE = {fmt.media_type: name for name, fmt in FORMATS.items()}
_BY_MEDIA_TYPE["application/xhtml+xml"] = "html"
_BY_MEDIA_TYPE["text/plain"] = "nt"  # N-Triples was text/plain before it had its own type


def negotiate(request: Request) -> str:
    """The format a request asks for: ``?format=`` wins, then the Accept header, then HTML.

    An Accept header that names none of our formats (and no wildcard) is a 406.
    """
    asked = (request.args.get("format") or "").strip().lower()
    if asked:
        name = _BY_ALIAS.get(asked)
        if name is None:
            raise NotAcceptable(f"unknown format {asked[:20]!r}; use one of {', '.join(FORMATS)}")
        return name
    accept = request.accept_mimetypes
    if not accept:
        return "html"
    best = accept.best_match(list(_BY_MEDIA_TYPE), default=None)
    if best is None:
        raise NotAcceptable("none of the requested media types can be served; "
                            f"offered: {', '.join(_OFFERED)}")
    # A browser's */* must not beat its explicit text/html.
    if accept.quality("text/html") and accept.quality("text/html") >= accept.quality(best):
        return "html"
    return _BY_MEDIA_TYPE[best]


def describe(graph: QueryableGraph, iri: str, fmt: str, *, max_triples: int, base_iri: str) -> bytes:
    """The resource's description serialised in ``fmt`` (one of the RDF syntaxes in FORMATS)."""
    syntax = FORMATS[fmt].syntax
    assert syntax is not None
    result = graph.query(_DESCRIBE, max_rows=max_triples, substitutions={"this": ox.NamedNode(iri)})
    triples = list(dict.fromkeys(result.triples))
    prefixes = {**PREFIXES, "id": base_iri}
    if syntax == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(triples, format=syntax)
    return ox.serialize(triples, format=syntax, prefixes=prefixes)
