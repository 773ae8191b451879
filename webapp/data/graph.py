"""Reading the pinned generation's graph: rows as dicts, labels, references to resources."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import url_for

from kg.query import Term
from webapp.context import graph, limits, memo
from webapp.errors import BadRequest
from webapp.i18n import DEFAULT_LANGUAGE, language, pick_label
from webapp.links import IriPaths, curie, local_name

Row = dict[str, Any]
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "https://schema.org/name",
)
_PASSAGE_TEXT = "https://w3id.org/impactkg/def#text"
_LABELS = """
SELECT ?s ?p ?label WHERE {
  VALUES ?s { #IRIS# }
  ?s ?p ?label .
  FILTER (?p IN (skos:prefLabel, rdfs:label, dcterms:title, schema:name, ikg:text))
}
"""
_VALUES_CHUNK = 200
PASSAGE_LABEL_CHARS = 90


_PARAMETER = re.compile(r"\$(\w+)")


def select(sparql: str, **iris: str) -> list[Row]:
    """The query's solutions as dicts of variable -> term (None when unbound).

    ``$name`` in the query is an IRI parameter: it is replaced by ``<iri>`` for the IRI given
    as ``name=`` (checked to be a valid IRI first, so nothing else can be written into the
    query). Oxigraph plans a query with the IRI in it much better than one with the variable
    bound from outside (substitutions): 10 ms against 20 s for a deal's scope on 100k passages.
    """
    terms = {name: str(node(iri)) for name, iri in iris.items()}
    text = _PARAMETER.sub(lambda m: terms.get(m.group(1), m.group(0)), sparql)
    result = graph().query(text)
    return [dict(zip(result.variables, row, strict=True)) for row in result.rows]


def value(term: Term | None) -> str:
    """The lexical value of a term ('' for an unbound variable)."""
    return "" if term is None else str(getattr(term, "value", term))


def node(iri: str) -> ox.NamedNode:
    """A user-given IRI as a term; an invalid one is a 400."""
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise BadRequest(f"not a valid IRI: {iri[:200]!r}") from None


def values_clause(variable: str, iris: Iterable[str]) -> str:
    """``VALUES ?variable { <a> <b> }`` for IRIs checked to be valid (no injection)."""
    return f"VALUES ?{variable} {{ " + " ".join(str(node(iri)) for iri in iris) + " }"


def select_each(sparql: str, variable: str, iris: Iterable[str], **params: str) -> list[Row]:
    """``select`` for many IRIs at once: ``#VALUES#`` in the query becomes a VALUES clause of
    ``?variable`` over a chunk of them, and the rows of all chunks are returned."""
    unique = list(dict.fromkeys(iris))
    rows: list[Row] = []
    for start in range(0, len(unique), _VALUES_CHUNK):
        chunk = unique[start:start + _VALUES_CHUNK]
        rows += select(sparql.replace("#VALUES#", values_clause(variable, chunk)), **params)
    return rows


def paths() -> IriPaths:
    return IriPaths(limits().base_iri)


def browse_url(iri: str) -> str:
    """Where ``iri`` is shown on this server, in the page's language."""
    path = paths().path_of(iri)
    if language() == DEFAULT_LANGUAGE:
        return path
    return path + ("&" if "?" in path else "?") + urlencode({"lang": language()})


def document_url(document_iri: str) -> str:
    """The documents page of a document minted under the base IRI, else its resource page."""
    prefix = limits().base_iri + "doc/"
    key = document_iri[len(prefix):] if document_iri.startswith(prefix) else ""
    if key and "/" not in key:
        return url_for("documents.document", key=key)
    return browse_url(document_iri)


def labels(iris: Iterable[str]) -> dict[str, str]:
    """The display label of each IRI in the page language (cached per generation).

    Labels come from skos:prefLabel, rdfs:label, dcterms:title or schema:name; a passage is
    named by the start of its text; anything else by its CURIE or last IRI segment.
    """
    lang = language()
    cache: dict[str, str] = memo(("labels", lang), dict)
    missing = [iri for iri in dict.fromkeys(iris) if iri not in cache]
    for start in range(0, len(missing), _VALUES_CHUNK):
        chunk = missing[start:start + _VALUES_CHUNK]
        found: dict[str, list[tuple[int, str, str]]] = {}
        for row in select(_LABELS.replace("#IRIS#", " ".join(str(node(iri)) for iri in chunk))):
            prop, text = value(row["p"]), value(row["label"])
            if prop == _PASSAGE_TEXT:
                text = shorten(text, PASSAGE_LABEL_CHARS)
            order = LABEL_PROPERTIES.index(prop) if prop in LABEL_PROPERTIES else len(LABEL_PROPERTIES)
            tag = getattr(row["label"], "language", None) or ""
            found.setdefault(value(row["s"]), []).append((order, text, tag))
        for iri in chunk:
            candidates = [(text, tag) for _, text, tag in sorted(found.get(iri, []))]
            cache[iri] = pick_label(candidates, lang) or fallback_label(iri)
    return {iri: cache[iri] for iri in iris}


STANDARD_LABELS: dict[str, tuple[str, str]] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("is een", "is a"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject": ("onderwerp", "subject"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate": ("eigenschap", "predicate"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#object": ("waarde", "object"),
    "http://www.w3.org/2000/01/rdf-schema#label": ("naam", "label"),
    "http://www.w3.org/2000/01/rdf-schema#comment": ("toelichting", "comment"),
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": ("is een soort", "subclass of"),
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf": ("is een soort", "subproperty of"),
    "http://www.w3.org/2000/01/rdf-schema#domain": ("domein", "domain"),
    "http://www.w3.org/2000/01/rdf-schema#range": ("bereik", "range"),
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy": ("gedefinieerd in", "defined by"),
    "http://www.w3.org/2004/02/skos/core#prefLabel": ("voorkeursnaam", "preferred label"),
    "http://www.w3.org/2004/02/skos/core#altLabel": ("andere naam", "alternative label"),
    "http://www.w3.org/2004/02/skos/core#definition": ("definitie", "definition"),
    "http://www.w3.org/2004/02/skos/core#inScheme": ("in begrippenkader", "in scheme"),
    "http://www.w3.org/2004/02/skos/core#notation": ("notatie", "notation"),
    "http://www.w3.org/2004/02/skos/core#broader": ("breder", "broader"),
    "http://www.w3.org/2004/02/skos/core#narrower": ("smaller", "narrower"),
    "http://www.w3.org/2004/02/skos/core#topConceptOf": ("topbegrip van", "top concept of"),
    "http://www.w3.org/2004/02/skos/core#related": ("verwant", "related"),
    "http://www.w3.org/2004/02/skos/core#hasTopConcept": ("heeft topbegrip", "has top concept"),
    "http://purl.org/dc/terms/title": ("titel", "title"),
    "http://purl.org/dc/terms/date": ("datum", "date"),
    "http://purl.org/dc/terms/language": ("taal", "language"),
    "http://purl.org/dc/terms/created": ("gemaakt", "created"),
    "http://purl.org/dc/terms/description": ("beschrijving", "description"),
    "http://www.w3.org/ns/prov#wasGeneratedBy": ("gemaakt door", "generated by"),
    "http://www.w3.org/ns/prov#generatedAtTime": ("gemaakt op", "generated at"),
    "http://www.w3.org/ns/prov#hadPrimarySource": ("bron", "primary source"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("afgeleid van", "derived from"),
    "https://schema.org/startDate": ("datum", "start date"),
    "https://schema.org/url": ("webadres", "URL"),
    "http://www.w3.org/2002/07/owl#Class": ("klasse", "class"),
    "http://www.w3.org/2002/07/owl#ObjectProperty": ("relatie", "object property"),
    "http://www.w3.org/2002/07/owl#DatatypeProperty": ("waarde-eigenschap", "datatype property"),
    "http://www.w3.org/2002/07/owl#AnnotationProperty": ("annotatie-eigenschap", "annotation property"),
    "http://www.w3.org/2002/07/owl#Ontology": ("ontologie", "ontology"),
    "http://www.w3.org/2004/02/skos/core#Concept": ("begrip", "concept"),
    "http://www.w3.org/2004/02/skos/core#ConceptScheme": ("begrippenkader", "concept scheme"),
    "http://www.w3.org/ns/prov#Entity": ("entiteit (PROV)", "entity (PROV)"),
    "http://www.w3.org/ns/prov#Activity": ("activiteit (PROV)", "activity (PROV)"),
}
"""Labels for the standard terms the pages show most (their vocabularies are not in the graph)."""


def label_key(label: str) -> str:
    """A label as the pages compare it: case and runs of spaces ignored."""
    return " ".join(label.casefold().split())


def fallback_label(iri: str) -> str:
    standard = STANDARD_LABELS.get(iri)
    if standard is not None:
        return standard[1] if language() == "en" else standard[0]
    short = curie(iri)
    return short if short != iri else local_name(iri)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def ref(iri: str, label_of: dict[str, str]) -> Row:
    """A link to a resource as the pages and the API show it."""
    return {"iri": iri, "label": label_of.get(iri) or fallback_label(iri), "url": browse_url(iri)}


def refs(iris: Iterable[str]) -> list[Row]:
    """References for IRIs (labels looked up in one go), in the given order, without repeats."""
    unique = list(dict.fromkeys(iris))
    label_of = labels(unique)
    return [ref(iri, label_of) for iri in unique]


def literal(term: Term) -> Row:
    """A literal as JSON: its text, language tag and datatype (as a CURIE)."""
    datatype = getattr(term, "datatype", None)
    return {
        "value": value(term),
        "language": getattr(term, "language", None) or "",
        "datatype": curie(datatype.value) if datatype is not None else "",
    }


def is_iri(term: Term | None) -> bool:
    return isinstance(term, ox.NamedNode)


def iri_of(term: Term | None) -> str:
    return term.value if isinstance(term, ox.NamedNode) else ""
