"""Where a statement in the graph comes from: the passage and sentence that support it.

Extracted statements about shared resources have an ``ikg:Extraction`` record with the quote
and its offsets; statements inside one document's graph are supported by the passages of that
document that name the object; curated reference data is cited as the reference graph.
"""

from __future__ import annotations

import pyoxigraph as ox

from ask.answer import Evidence, Resource
from ask.linking import mentioned_in
from ask.text import split_sentences, without_list_marker
from kg.backend import QueryableGraph
from kg.namespaces import PREFIXES, REFERENCE_GRAPH

Term = ox.NamedNode | ox.Literal
DOCUMENT_GRAPH_SUFFIX = "/graph"
REFERENCE_TITLE = {"nl": "Gecureerde referentiegegevens van Agenda Stad",
                   "en": "Curated reference data of Agenda Stad"}

_EXTRACTION = """SELECT ?passage ?quote ?start ?end ?s ?p ?o WHERE {
  ?x a ikg:Extraction ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ikg:supportedBy ?passage .
  OPTIONAL { ?x ikg:quote ?quote } OPTIONAL { ?x ikg:quoteStart ?start } OPTIONAL { ?x ikg:quoteEnd ?end }
}
LIMIT 1
"""
_GRAPHS = "SELECT DISTINCT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
_SUPPORT_IN_DOCUMENT = """SELECT ?passage ?position ?entity ?document WHERE {
  { ?entity ikg:supportedBy ?passage } UNION { ?passage ikg:mentionsDeal ?entity }
  ?passage ikg:inDocument ?document ; ikg:position ?position .
}
ORDER BY ?position
"""
_OWN = """SELECT ?passage ?quote ?start ?end ?resource WHERE {
  # the resource's own quote, or (for resources shared across documents, such as working
  # elements and meetings) the quote of an extraction record about it
  { ?resource ikg:supportedBy ?passage ; ikg:quote ?quote .
    OPTIONAL { ?resource ikg:quoteStart ?start } OPTIONAL { ?resource ikg:quoteEnd ?end } }
  UNION
  { ?x a ikg:Extraction ; rdf:subject ?resource ; ikg:supportedBy ?passage ; ikg:quote ?quote .
    OPTIONAL { ?x ikg:quoteStart ?start } OPTIONAL { ?x ikg:quoteEnd ?end } }
}
LIMIT 1
"""
_PASSAGE = """SELECT ?text ?document ?title ?url ?primary ?date ?heading ?passage WHERE {
  ?passage ikg:text ?text ; ikg:inDocument ?document .
  OPTIONAL { ?passage ikg:headingPath ?heading }
  OPTIONAL { ?document dcterms:title ?title } OPTIONAL { ?document schema:url ?url }
  OPTIONAL { ?document prov:hadPrimarySource ?primary } OPTIONAL { ?document dcterms:date ?date }
}
LIMIT 1
"""
_FACTS = """SELECT ?property ?object (SAMPLE(?objectLabel) AS ?label) ?resource WHERE {
  ?resource ?property ?object .
  OPTIONAL { ?object rdfs:label|skos:prefLabel ?objectLabel FILTER(LANG(?objectLabel) IN ("nl", "")) }
}
GROUP BY ?property ?object ?resource
"""
_SKIPPED_FACTS = frozenset({
    "type", "wasGeneratedBy", "method", "quoteStart", "quoteEnd", "curated", "partOfProgramme",
    "supportedBy", "comment", "extractorVersion",
})


def source_of(url: str) -> str:
    """A document's source for people: the URL, or the file path of a file:// URI."""
    if url.startswith("file://"):
        from urllib.parse import unquote, urlparse

        return unquote(urlparse(url).path)
    return url


def _value(term: object) -> str:
    return "" if term is None else term.value  # type: ignore[attr-defined]


def passage_evidence(graph: QueryableGraph, passage_iri: str, quote: str = "",
                     start: int | None = None, end: int | None = None, mention: str = "") -> Evidence | None:
    """Evidence in one passage: the given quote, or the first sentence that names ``mention``."""
    rows = graph.query(_PASSAGE, substitutions={"passage": ox.NamedNode(passage_iri)}).rows
    if not rows:
        return None
    text, document, title, url, primary, date, heading, _ = rows[0]
    passage_text = text.value
    if not quote or start is None or end is None or passage_text[start:end] != quote:
        found = _sentence_naming(passage_text, mention or quote)
        if found is None:
            return None
        quote, start, end = found
    quote, start = without_list_marker(quote, start)
    return Evidence(
        passage_iri=passage_iri, document_iri=document.value, title=_value(title),
        source=source_of(_value(url) or _value(primary)), quote=quote, start=start, end=end,
        passage_text=passage_text, date=_value(date),
        heading_path=tuple(_value(heading).split(" > ")) if heading is not None else ())


def _sentence_naming(text: str, name: str) -> tuple[str, int, int] | None:
    sentences = split_sentences(text)
    if not sentences:
        return None
    if name:
        for sentence in sentences:
            if mentioned_in(sentence.text, name):
                return sentence.text, sentence.start, sentence.end
        surname = name.split()[-1] if len(name.split()) > 1 else ""
        for sentence in sentences:
            if surname and mentioned_in(sentence.text, surname):
                return sentence.text, sentence.start, sentence.end
        return None
    first = sentences[0]
    return first.text, first.start, first.end


def own_evidence(graph: QueryableGraph, resource: str) -> Evidence | None:
    """The quote an extracted resource (a meeting, a lesson) carries as its own evidence."""
    rows = graph.query(_OWN, substitutions={"resource": ox.NamedNode(resource)}).rows
    if not rows:
        return None
    passage, quote, start, end, _ = rows[0]
    return passage_evidence(graph, passage.value, quote.value,
                            int(start.value) if start is not None else None,
                            int(end.value) if end is not None else None)


def reference_evidence(quote: str, language: str) -> Evidence:
    return Evidence(passage_iri="", document_iri=REFERENCE_GRAPH,
                    title=REFERENCE_TITLE.get(language, REFERENCE_TITLE["nl"]), source=REFERENCE_GRAPH,
                    quote=quote, start=None, end=None)


def statement_evidence(graph: QueryableGraph, subject: Term, predicate: Term, obj: Term,
                       object_label: str, language: str, reference_quote: str) -> Evidence | None:
    """The passage (and sentence) that supports one statement, or the reference graph."""
    bound = {"s": subject, "p": predicate, "o": obj}
    rows = graph.query(_EXTRACTION, substitutions=bound).rows
    if rows:
        passage, quote, start, end, *_ = rows[0]
        found = passage_evidence(graph, passage.value, _value(quote),
                                 int(start.value) if start is not None else None,
                                 int(end.value) if end is not None else None)
        if found is not None:
            return found
    graphs = [row[0].value for row in graph.query(_GRAPHS, substitutions=bound).rows
              if isinstance(row[0], ox.NamedNode)]
    for graph_iri in graphs:
        if graph_iri.endswith(DOCUMENT_GRAPH_SUFFIX):
            document = graph_iri[: -len(DOCUMENT_GRAPH_SUFFIX)]
            for entity, name in ((obj, object_label), (subject, object_label)):
                if isinstance(entity, ox.NamedNode):
                    found = supported_in_document(graph, entity, document, name)
                    if found is not None:
                        return found
    if REFERENCE_GRAPH in graphs:
        return reference_evidence(reference_quote, language)
    return None


def supported_in_document(graph: QueryableGraph, entity: ox.NamedNode, document: str,
                          name: str) -> Evidence | None:
    """The first passage of the document supporting the entity whose sentence names ``name``."""
    rows = graph.query(_SUPPORT_IN_DOCUMENT, substitutions={
        "entity": entity, "document": ox.NamedNode(document)}).rows
    for row in rows:
        found = passage_evidence(graph, row[0].value, mention=name)
        if found is not None:
            return found
    return None


def resource_facts(graph: QueryableGraph, iri: str, type_name: str, label: str,
                   max_values: int = 6) -> Resource:
    """A resource with its key facts: property local names and their values (labels for IRIs)."""
    rows = graph.query(_FACTS, substitutions={"resource": ox.NamedNode(iri)}).rows
    facts: dict[str, list[str]] = {}
    for prop, obj, obj_label, _ in rows:
        name = _local_name(prop.value)
        if name in _SKIPPED_FACTS or (name == "label" and _value(obj) == label):
            continue
        value = _value(obj_label) or _shorten(_value(obj))
        values = facts.setdefault(name, [])
        if value not in values and len(values) < max_values:
            values.append(value)
    return Resource(iri, type_name, label, {name: tuple(v) for name, v in sorted(facts.items())})


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _shorten(value: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if value.startswith(namespace) and len(value) > len(namespace):
            return f"{prefix}:{value[len(namespace):]}"
    return value


__all__ = [
    "own_evidence",
    "passage_evidence",
    "reference_evidence",
    "resource_facts",
    "source_of",
    "statement_evidence",
    "supported_in_document",
]
