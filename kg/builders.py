"""Builders for ontology resources that more than one package writes: documents and passages."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

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
