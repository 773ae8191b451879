"""Descriptions of the dataset (VoID + DCAT) and of the SPARQL service (SPARQL 1.1 Service Description).

Both are plain lists of triples; the web app serialises them. The counts come from the graph
the caller hands in (one generation, or the remote store) and are meant to be cached per
generation: counting classes over a million triples takes a few hundred milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.backend import QueryableGraph
from kg.namespaces import IKG, IKGC, PREFIXES

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FOAF = "http://xmlns.com/foaf/0.1/"
DCTERMS = PREFIXES["dcterms"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
XSD = PREFIXES["xsd"]
FORMATS = "http://www.w3.org/ns/formats/"

DESCRIPTION_PREFIXES = {**PREFIXES, "void": VOID, "dcat": DCAT, "sd": SD, "foaf": FOAF,
                        "formats": FORMATS}

_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class
"""
_GRAPHS = """
SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g
"""


@dataclass(frozen=True, slots=True)
class DatasetFacts:
    """What the description counts: triples (quads), classes and graphs of one generation."""

    generation: str
    published: str  # ISO date-time of the generation ("" when unknown)
    triples: int
    classes: tuple[tuple[str, int], ...]
    graphs: tuple[tuple[str, int], ...]
    graphs_total: int


def dataset_facts(graph: QueryableGraph, generation: str, published: str,
                  max_graphs: int = 1000) -> DatasetFacts:
    """Count what ``graph`` holds; at most ``max_graphs`` graphs are listed (all are counted)."""
    classes = tuple((c.value, int(n.value)) for c, n in graph.query(_CLASSES).rows
                    if isinstance(c, ox.NamedNode) and n is not None)
    user_graphs = set(graph.graph_iris())
    graphs = [(g.value, int(n.value)) for g, n in graph.query(_GRAPHS).rows
              if isinstance(g, ox.NamedNode) and n is not None and g.value in user_graphs]
    return DatasetFacts(generation, published, graph.quad_count(), classes,
                        tuple(graphs[:max_graphs]), len(graphs))


def _literal(value: object, datatype: str = "") -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))
    return ox.Literal(str(value))


def void_description(
    facts: DatasetFacts, *, description_iri: str, dataset_iri: str, endpoint_iri: str,
    licence: str, uri_space: str,
) -> list[ox.Triple]:
    """VoID and DCAT triples about the dataset served at ``endpoint_iri``."""
    dataset, doc, endpoint = ox.NamedNode(dataset_iri), ox.NamedNode(description_iri), ox.NamedNode(
        endpoint_iri)
    service = ox.NamedNode(endpoint_iri + "#service")

    def term(prefix: str, local: str) -> ox.NamedNode:
        return ox.NamedNode(prefix + local)

    triples = [
        ox.Triple(doc, RDF_TYPE, term(VOID, "DatasetDescription")),
        ox.Triple(doc, term(FOAF, "primaryTopic"), dataset),
        ox.Triple(doc, term(DCTERMS, "title"), ox.Literal("Beschrijving van de impactkg-dataset",
                                                         language="nl")),
        ox.Triple(dataset, RDF_TYPE, term(VOID, "Dataset")),
        ox.Triple(dataset, RDF_TYPE, term(DCAT, "Dataset")),
        ox.Triple(dataset, term(DCTERMS, "title"),
                  ox.Literal("impactkg: lessen over impact maken en opschalen in City Deals en Town Deals",
                             language="nl")),
        ox.Triple(dataset, term(DCTERMS, "title"),
                  ox.Literal("impactkg: lessons on making and scaling impact in City Deals and Town Deals",
                             language="en")),
        ox.Triple(dataset, term(DCTERMS, "description"), ox.Literal(
            "Kennisgraaf van documenten, passages en wat eruit is afgeleid (lessen, werkzame "
            "elementen, outputs, impacts, aannames, bijeenkomsten) van de Agenda Stad-deals.",
            language="nl")),
        ox.Triple(dataset, term(DCTERMS, "language"), ox.Literal("nl")),
        ox.Triple(dataset, term(VOID, "sparqlEndpoint"), endpoint),
        ox.Triple(dataset, term(VOID, "uriSpace"), ox.Literal(uri_space)),
        ox.Triple(dataset, term(VOID, "triples"), _literal(facts.triples, "integer")),
        ox.Triple(dataset, term(VOID, "classes"), _literal(len(facts.classes), "integer")),
        ox.Triple(dataset, term(VOID, "vocabulary"), ox.NamedNode(str(IKG))),
        ox.Triple(dataset, term(VOID, "vocabulary"), ox.NamedNode(str(IKGC))),
        ox.Triple(dataset, ox.NamedNode(PREFIXES["owl"] + "versionInfo"), ox.Literal(facts.generation)),
        ox.Triple(dataset, term(DCAT, "distribution"), service),
        ox.Triple(service, RDF_TYPE, term(DCAT, "DataService")),
        ox.Triple(service, term(DCAT, "endpointURL"), endpoint),
        ox.Triple(service, term(DCAT, "servesDataset"), dataset),
        ox.Triple(service, term(DCTERMS, "conformsTo"), ox.NamedNode("https://www.w3.org/TR/sparql11-protocol/")),
    ]
    if facts.published:
        triples.append(ox.Triple(dataset, term(DCTERMS, "modified"), _literal(facts.published, "dateTime")))
    if licence:
        triples.append(ox.Triple(dataset, term(DCTERMS, "license"), ox.NamedNode(licence)))
    else:
        triples.append(ox.Triple(dataset, term(DCTERMS, "rights"), ox.Literal(
            "licentie niet opgegeven / licence not stated (setting dataset_licence)")))
    for number, (class_iri, count) in enumerate(facts.classes):
        partition = ox.NamedNode(f"{dataset_iri}-class-{number}")
        triples += [ox.Triple(dataset, term(VOID, "classPartition"), partition),
                    ox.Triple(partition, term(VOID, "class"), ox.NamedNode(class_iri)),
                    ox.Triple(partition, term(VOID, "entities"), _literal(count, "integer"))]
    for graph_iri, count in facts.graphs:
        subset = ox.NamedNode(graph_iri)
        triples += [ox.Triple(dataset, term(VOID, "subset"), subset),
                    ox.Triple(subset, RDF_TYPE, term(SD, "NamedGraph")),
                    ox.Triple(subset, term(VOID, "triples"), _literal(count, "integer"))]
    return triples


def service_description(*, endpoint_iri: str, dataset_iri: str, description_iri: str) -> list[ox.Triple]:
    """A SPARQL 1.1 Service Description of the read-only endpoint."""
    service = ox.NamedNode(endpoint_iri + "#service")

    def sd(local: str) -> ox.NamedNode:
        return ox.NamedNode(SD + local)

    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint_iri)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, ox.NamedNode(PREFIXES["rdfs"] + "comment"), ox.Literal(
            "Alleen lezen: SPARQL Update wordt geweigerd (403); SERVICE is niet toegestaan. "
            "De standaardgraaf is de vereniging van alle benoemde grafen.", language="nl")),
        ox.Triple(service, ox.NamedNode(PREFIXES["rdfs"] + "comment"), ox.Literal(
            "Read-only: SPARQL Update is refused (403); SERVICE is not allowed. The default graph "
            "is the union of all named graphs.", language="en")),
        ox.Triple(service, sd("defaultDataset"), ox.NamedNode(dataset_iri)),
        ox.Triple(ox.NamedNode(dataset_iri), RDF_TYPE, sd("Dataset")),
        ox.Triple(ox.NamedNode(dataset_iri), ox.NamedNode(PREFIXES["rdfs"] + "seeAlso"),
                  ox.NamedNode(description_iri)),
    ]
    for local in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                  "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + local)))
    return triples
