"""Namespaces used across impactkg: the ontology, its concept schemes and the vocabularies it aligns with."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

IKG = Namespace("https://w3id.org/impactkg/def#")
"""Ontology terms (classes and properties); preferred prefix ``ikg``."""

IKGC = Namespace("https://w3id.org/impactkg/concept/")
"""SKOS concepts and concept schemes (chain stages, phases, domains, ...); prefix ``ikgc``."""

DEFAULT_BASE_IRI = "https://w3id.org/impactkg/id/"
"""Where instances (deals, documents, passages, extracted resources) are minted by default."""

ONTOLOGY_GRAPH = "urn:impactkg:graph:ontology"
REFERENCE_GRAPH = "urn:impactkg:graph:reference"

OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
CIDS = Namespace("https://ontology.commonapproach.org/cids#")
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, str] = {
    "ikg": str(IKG),
    "ikgc": str(IKGC),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "vann": str(VANN),
    "sh": str(SH),
}


def sparql_prefixes() -> str:
    """The PREFIX lines for every namespace in PREFIXES, to prepend to a query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


__all__ = [
    "CIDS",
    "DCTERMS",
    "DEFAULT_BASE_IRI",
    "IKG",
    "IKGC",
    "OA",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "REFERENCE_GRAPH",
    "SCHEMA",
    "SH",
    "SKOS",
    "VANN",
    "XSD",
    "sparql_prefixes",
]
