"""Analysts' own clients against /sparql served on 127.0.0.1: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from sparql_fixtures import serve  # noqa: F401 - fixture by name
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

IKG = "https://w3id.org/impactkg/def#"
FIETSEN = URIRef("https://w3id.org/impactkg/id/deal/city-deal-fietsen-voor-iedereen")
DEALS = """
PREFIX ikg: <https://w3id.org/impactkg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?deal ?naam WHERE { ?deal a ikg:CityDeal ; skos:prefLabel ?naam } ORDER BY ?naam
"""


@pytest.fixture
def endpoint(serve, sample_data: Path) -> str:  # noqa: F811
    return serve(sample_data) + "/sparql"


def wrapper(endpoint: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setQuery(DEALS)
    return client


def test_sparqlwrapper_json(endpoint: str) -> None:
    answer = wrapper(endpoint, JSON).query().convert()
    names = [b["naam"]["value"] for b in answer["results"]["bindings"]]
    assert "City Deal Fietsen voor Iedereen" in names and names == sorted(names)


def test_sparqlwrapper_xml(endpoint: str) -> None:
    document = wrapper(endpoint, XML).query().convert()  # an xml.dom.minidom document
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert "City Deal Fietsen voor Iedereen" in literals


def test_sparqlwrapper_csv(endpoint: str) -> None:
    text = wrapper(endpoint, CSV).query().convert().decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "deal,naam" and any("Fietsen voor Iedereen" in line for line in lines)


def test_sparqlwrapper_post_and_construct(endpoint: str) -> None:
    answer = wrapper(endpoint, JSON, POST).query().convert()
    assert len(answer["results"]["bindings"]) >= 10
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setReturnFormat(TURTLE)
    client.setQuery(f"CONSTRUCT {{ <{FIETSEN}> ?p ?o }} WHERE {{ <{FIETSEN}> ?p ?o }}")
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (FIETSEN, RDF.type, URIRef(IKG + "CityDeal")) in graph


def test_sparqlwrapper_sees_errors_and_refusals(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery("SELECT ?x WHERE { ?x }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        client.query()
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }")
    with pytest.raises(Exception, match=r"403|read-only"):
        client.query()


def test_rdflib_sparqlstore(endpoint: str) -> None:
    graph = Graph(SPARQLStore(endpoint, returnFormat="xml"))
    labels = {str(row.naam) for row in graph.query(DEALS)}
    assert "City Deal Fietsen voor Iedereen" in labels
    assert (FIETSEN, SKOS.prefLabel, Literal("City Deal Fietsen voor Iedereen", lang="nl")) in graph
    assert (FIETSEN, RDF.type, URIRef(IKG + "CityDeal")) in graph
    json_graph = Graph(SPARQLStore(endpoint, returnFormat="json", method="POST_FORM"))
    assert len(list(json_graph.triples((FIETSEN, None, None)))) >= 5
    assert bool(json_graph.query(f"ASK {{ <{FIETSEN}> ?p ?o }}").askAnswer)
