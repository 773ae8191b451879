"""Builders for ontology resources that more than one package writes: documents and passages."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from kg.backend import QueryableGraph
from kg.namespaces import IKG, IKGC, SCHEMA
from kg.terms import Triple

SOFTWARE_AGENT = URIRef("https://w3id.org/impactkg/software")


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What the graph records about one source document."""

    iri: str
    source: str  # URL, or file:// URI of the absolute path
    title: str
    content_hash: str
    extractor_version: str
    fetched_at: str  # ISO date-time, UTC
    doc_type: str  # local name of a document type concept, e.g. "doctype-news"
    url: str = ""
    date: str = ""  # ISO date
    author: str = ""
    language: str = ""
    site: str = ""  # host name, or the folder for files
    tags: tuple[str, ...] = ()
    deal_names: tuple[str, ...] = ()  # the deals the source itself says it is about


@dataclass(frozen=True, slots=True)
class PassageFacts:
    iri: str
    position: int
    text: str
    heading_path: tuple[str, ...]
    start_char: int
    end_char: int


def document_triples(doc: DocumentFacts) -> Iterator[Triple]:
    node = URIRef(doc.iri)
    activity = URIRef(f"{doc.iri}/ingest")
    yield node, RDF.type, IKG.Document
    yield node, RDF.type, PROV.Entity
    yield node, DCTERMS.title, Literal(doc.title or doc.source)
    yield node, RDFS.label, Literal(doc.title or doc.source)
    yield node, PROV.hadPrimarySource, URIRef(doc.source)
    yield node, IKG.contentHash, Literal(doc.content_hash)
    yield node, IKG.extractorVersion, Literal(doc.extractor_version)
    yield node, IKG.documentType, IKGC[doc.doc_type]
    yield node, PROV.generatedAtTime, Literal(doc.fetched_at, datatype=XSD.dateTime)
    yield node, PROV.wasGeneratedBy, activity
    yield activity, RDF.type, PROV.Activity
    yield activity, PROV.endedAtTime, Literal(doc.fetched_at, datatype=XSD.dateTime)
    yield activity, PROV.wasAssociatedWith, SOFTWARE_AGENT
    yield activity, PROV.used, URIRef(doc.source)
    if doc.url:
        yield node, SCHEMA.url, URIRef(doc.url)
    if doc.date:
        yield node, DCTERMS.date, Literal(doc.date, datatype=XSD.date)
    if doc.author:
        yield node, DCTERMS.creator, Literal(doc.author)
    if doc.language:
        yield node, DCTERMS.language, Literal(doc.language)
    if doc.site:
        yield node, IKG.sourceSite, Literal(doc.site)
    for tag in doc.tags:
        yield node, SCHEMA.keywords, Literal(tag)
    for name in doc.deal_names:
        yield node, DCTERMS.subject, Literal(name)


def passage_triples(document_iri: str, passages: Sequence[PassageFacts]) -> Iterator[Triple]:
    doc = URIRef(document_iri)
    for passage in passages:
        node = URIRef(passage.iri)
        yield node, RDF.type, IKG.Passage
        yield node, IKG.inDocument, doc
        yield node, IKG.position, Literal(passage.position, datatype=XSD.integer)
        yield node, IKG.text, Literal(passage.text)
        yield node, IKG.startChar, Literal(passage.start_char, datatype=XSD.integer)
        yield node, IKG.endChar, Literal(passage.end_char, datatype=XSD.integer)
        if passage.heading_path:
            yield node, IKG.headingPath, Literal(" > ".join(passage.heading_path))


_DOCUMENT = """
SELECT ?p ?o ?doc ?g WHERE { GRAPH ?g { ?doc ?p ?o } }
"""
_PASSAGES = """
SELECT ?p ?pos ?text ?heading ?start ?end ?doc ?g WHERE { GRAPH ?g {
  ?p a ikg:Passage ; ikg:inDocument ?doc ; ikg:position ?pos ; ikg:text ?text .
  OPTIONAL { ?p ikg:headingPath ?heading }
  OPTIONAL { ?p ikg:startChar ?start } OPTIONAL { ?p ikg:endChar ?end }
} } ORDER BY ?pos
"""


def read_document_facts(
    graph: QueryableGraph, document_iri: str, graph_iri: str
) -> tuple[DocumentFacts, list[PassageFacts]]:
    """The facts :func:`document_triples` and :func:`passage_triples` were built from, read back.

    Annotation can then be re-run on stored documents without fetching them again.
    """
    doc, g = ox.NamedNode(document_iri), ox.NamedNode(graph_iri)
    values: dict[str, list[str]] = {}
    for p, o, _, _ in graph.query(_DOCUMENT, substitutions={"doc": doc, "g": g}).rows:
        values.setdefault(p.value, []).append(o.value)

    def one(term: URIRef) -> str:
        return values.get(str(term), [""])[0]

    doc_type = one(IKG.documentType)
    facts = DocumentFacts(
        iri=document_iri, source=one(PROV.hadPrimarySource), title=one(DCTERMS.title),
        content_hash=one(IKG.contentHash), extractor_version=one(IKG.extractorVersion),
        fetched_at=one(PROV.generatedAtTime), doc_type=doc_type.rsplit("/", 1)[-1] or "doctype-other",
        url=one(SCHEMA.url), date=one(DCTERMS.date), author=one(DCTERMS.creator),
        language=one(DCTERMS.language), site=one(IKG.sourceSite),
        tags=tuple(values.get(str(SCHEMA.keywords), ())),
        deal_names=tuple(values.get(str(DCTERMS.subject), ())),
    )
    passages = [
        PassageFacts(p.value, int(pos.value), text.value,
                     tuple(heading.value.split(" > ")) if heading is not None else (),
                     int(start.value) if start is not None else 0,
                     int(end.value) if end is not None else 0)
        for p, pos, text, heading, start, end, _, _ in graph.query(
            _PASSAGES, substitutions={"doc": doc, "g": g}).rows
    ]
    return facts, passages
