"""/sparql over a real HTTP server on 127.0.0.1: the SPARQL 1.1 Protocol, formats, refusals, limits."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from sparql_fixtures import fetch, serve  # noqa: F401 - fixtures by name

LESSONS = "SELECT ?les ?naam WHERE { ?les a ikg:Lesson ; rdfs:label ?naam } ORDER BY ?les"
# DISTINCT: a deal typed in several document graphs matches once per graph in the union.
DESCRIBE = ("CONSTRUCT { ?d ?p ?o } WHERE { SELECT DISTINCT ?d ?p ?o "
            "WHERE { ?d a ikg:CityDeal ; ?p ?o } ORDER BY ?d ?p ?o LIMIT 40 }")
FORM = "application/x-www-form-urlencoded"
VOID = Namespace("http://rdfs.org/ns/void#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def q(query: str, **extra: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query, **extra})


@pytest.fixture
def base(serve, sample_data: Path) -> str:  # noqa: F811
    return serve(sample_data)


def test_query_by_get_form_post_and_body_give_the_same_answer(base: str) -> None:
    json_type = "application/sparql-results+json"
    by_get = fetch(base + q(LESSONS), accept=json_type)
    by_form = fetch(base + "/sparql", accept=json_type, content_type=FORM,
                    data=urllib.parse.urlencode({"query": LESSONS}).encode())
    by_body = fetch(base + "/sparql", accept=json_type, content_type="application/sparql-query",
                    data=LESSONS.encode())
    assert by_get.status == by_form.status == by_body.status == 200
    assert by_get.content_type == json_type
    assert json.loads(by_get.body) == json.loads(by_form.body) == json.loads(by_body.body)
    bindings = json.loads(by_get.body)["results"]["bindings"]
    assert len(bindings) > 10 and bindings[0]["naam"]["xml:lang"] == "nl"
    assert by_get.headers["X-Impactkg-Truncated"] == "false"


@pytest.mark.parametrize(("accept", "fmt", "expected"), [
    ("application/sparql-results+json", "", "application/sparql-results+json"),
    ("application/sparql-results+xml", "", "application/sparql-results+xml"),
    ("text/csv", "", "text/csv"),
    ("text/tab-separated-values", "", "text/tab-separated-values"),
    ("application/json", "", "application/sparql-results+json"),
    ("*/*", "", "application/sparql-results+json"),
    ("text/csv", "xml", "application/sparql-results+xml"),  # format= wins over Accept
    ("", "tsv", "text/tab-separated-values"),
])
def test_select_content_negotiation(base: str, accept: str, fmt: str, expected: str) -> None:
    answer = fetch(base + q(LESSONS, **({"format": fmt} if fmt else {})), accept=accept or None)
    assert answer.status == 200, answer.text
    assert answer.content_type == expected
    if expected == "text/csv":
        rows = list(csv.reader(io.StringIO(answer.text)))
        assert rows[0] == ["les", "naam"] and len(rows) > 10
    if expected == "text/tab-separated-values":
        lines = answer.text.splitlines()
        assert lines[0] == "?les\t?naam" and lines[1].startswith("<https://w3id.org/impactkg/id/")
    if expected.endswith("+xml"):
        assert "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">" in answer.text


@pytest.mark.parametrize(("accept", "fmt", "expected", "rdflib_format"), [
    ("text/turtle", "", "text/turtle", "turtle"),
    ("application/n-triples", "", "application/n-triples", "nt"),
    ("application/ld+json", "", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "", "application/rdf+xml", "xml"),
    ("application/trig", "", "application/trig", "trig"),
    ("application/n-quads", "", "application/n-quads", "nquads"),
    ("*/*", "", "text/turtle", "turtle"),
    ("text/turtle", "json-ld", "application/ld+json", "json-ld"),
])
def test_construct_content_negotiation(base: str, accept: str, fmt: str, expected: str,
                                       rdflib_format: str) -> None:
    answer = fetch(base + q(DESCRIBE, **({"format": fmt} if fmt else {})), accept=accept)
    assert answer.status == 200, answer.text
    assert answer.content_type == expected
    parsed = Dataset() if rdflib_format in ("trig", "nquads") else Graph()
    parsed.parse(data=answer.body, format=rdflib_format)
    assert len(parsed) == 40
    deal_type = URIRef("https://w3id.org/impactkg/def#CityDeal")
    assert any(o == deal_type for o in parsed.objects(None, RDF.type))


def test_ask_and_describe(base: str) -> None:
    ask = fetch(base + q("ASK { ?x a ikg:Lesson }"), accept="application/sparql-results+json")
    assert json.loads(ask.body) == {"head": {}, "boolean": True}
    ask_xml = fetch(base + q("ASK { ?x a ikg:Nothing }"), accept="application/sparql-results+xml")
    assert "<boolean>false</boolean>" in ask_xml.text
    deal = "https://w3id.org/impactkg/id/deal/city-deal-fietsen-voor-iedereen"
    described = fetch(base + q(f"DESCRIBE <{deal}>"), accept="text/turtle")
    graph = Graph().parse(data=described.body, format="turtle")
    assert (URIRef(deal), None, Literal("mobiliteit", lang="nl")) in graph


def test_unservable_types_are_406(base: str) -> None:
    assert fetch(base + q(LESSONS), accept="image/png").status == 406
    construct_as_csv = fetch(base + q(DESCRIBE, format="csv"))
    assert construct_as_csv.status == 406 and "CONSTRUCT" in json.loads(construct_as_csv.body)["error"]
    select_as_turtle = fetch(base + q(LESSONS), accept="text/turtle")
    assert select_as_turtle.status == 406
    assert fetch(base + q(LESSONS, format="png")).status == 406


def test_malformed_query_is_400_with_the_parser_message(base: str) -> None:
    answer = fetch(base + q("SELECT ?x WHERE { ?x ?y }"), accept="application/json")
    assert answer.status == 400
    body = json.loads(answer.body)
    assert body["code"] == "bad_request" and body["error"].startswith("SPARQL syntax error: error at 1:")
    federated = fetch(base + q("SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"))
    assert federated.status == 400 and "SERVICE" in federated.text
    assert fetch(base + "/sparql", content_type=FORM, data=b"query=").status == 400
    twice = fetch(base + "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", accept="application/json")
    assert twice.status == 400


@pytest.mark.parametrize("how", [
    "update field in the URL", "update field in a form", "sparql-update body",
    "INSERT in query", "DELETE WHERE in a form query", "LOAD in a body", "DROP lower case",
    "CLEAR after a comment", "CREATE", "update beside a query",
])
def test_every_kind_of_write_is_refused_with_403(base: str, how: str) -> None:
    update = "INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }"
    requests = {
        "update field in the URL": dict(url=base + "/sparql?" + urllib.parse.urlencode({"update": update})),
        "update field in a form": dict(url=base + "/sparql", content_type=FORM,
                                       data=urllib.parse.urlencode({"update": update}).encode()),
        "sparql-update body": dict(url=base + "/sparql", content_type="application/sparql-update",
                                   data=update.encode()),
        "INSERT in query": dict(url=base + q(update)),
        "DELETE WHERE in a form query": dict(
            url=base + "/sparql", content_type=FORM,
            data=urllib.parse.urlencode({"query": "DELETE WHERE { ?s ?p ?o }"}).encode()),
        "LOAD in a body": dict(url=base + "/sparql", content_type="application/sparql-query",
                               data=b"LOAD <https://example.org/data.ttl>"),
        "DROP lower case": dict(url=base + q("drop all")),
        "CLEAR after a comment": dict(url=base + q("# harmless\nCLEAR DEFAULT")),
        "CREATE": dict(url=base + q("CREATE GRAPH <https://example.org/g>")),
        "update beside a query": dict(url=base + "/sparql?" + urllib.parse.urlencode(
            {"query": "ASK {}", "update": update})),
    }
    answer = fetch(accept="application/json", **requests[how])
    assert answer.status == 403, (how, answer.text)
    assert json.loads(answer.body)["code"] == "forbidden"
    count = fetch(base + q("SELECT (COUNT(*) AS ?n) WHERE { ?s <https://example.org/b> ?o }"),
                  accept="application/json")
    assert json.loads(count.body)["results"]["bindings"][0]["n"]["value"] == "0"


def test_update_words_in_strings_iris_and_comments_are_not_writes(base: str) -> None:
    harmless = ('SELECT ?x WHERE { BIND("INSERT DATA { }" AS ?x) } # DELETE everything\n'
                'VALUES ?y { <https://example.org/drop/load> }')
    answer = fetch(base + q(harmless), accept="application/json")
    assert answer.status == 200, answer.text


def test_default_and_named_graph_uris_are_honoured(base: str) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    reference = "urn:impactkg:graph:reference"

    def n(url: str, data: bytes | None = None, content_type: str | None = None) -> int:
        answer = fetch(url, accept="application/json", data=data, content_type=content_type)
        assert answer.status == 200, answer.text
        return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])

    everything = n(base + q(count))
    only_reference = n(base + q(count, **{"default-graph-uri": reference}))
    assert 0 < only_reference < everything
    both = n(base + "/sparql?" + urllib.parse.urlencode(
        [("query", count), ("default-graph-uri", reference),
         ("default-graph-uri", "urn:impactkg:graph:ontology")]))
    assert only_reference < both < everything
    named = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert n(base + q(named, **{"named-graph-uri": reference})) == 1
    by_form = n(base + "/sparql", urllib.parse.urlencode(
        {"query": count, "default-graph-uri": reference}).encode(), FORM)
    by_body = n(base + "/sparql?" + urllib.parse.urlencode({"default-graph-uri": reference}),
                count.encode(), "application/sparql-query")
    assert by_form == by_body == only_reference
    bad = fetch(base + q(count, **{"default-graph-uri": "not an iri"}), accept="application/json")
    assert bad.status == 400


def test_row_cap_says_when_it_truncated(serve, sample_data: Path) -> None:  # noqa: F811
    base = serve(sample_data, max_returned_rows=5)
    capped = fetch(base + q(LESSONS), accept="application/sparql-results+json")
    assert capped.headers["X-Impactkg-Truncated"] == "true"
    assert capped.headers["X-Impactkg-Max-Rows"] == "5"
    assert len(json.loads(capped.body)["results"]["bindings"]) == 5
    small = fetch(base + q("SELECT ?f WHERE { ?f skos:inScheme ikgc:Phases }"), accept="text/csv")
    assert small.headers["X-Impactkg-Truncated"] == "false" and small.text.count("\r\n") == 5
    graph = fetch(base + q(DESCRIBE), accept="application/n-triples")
    assert graph.headers["X-Impactkg-Truncated"] == "true" and graph.text.count("\n") == 5


def test_runaway_query_beside_normal_ones_over_http(serve, sample_data: Path) -> None:  # noqa: F811
    base = serve(sample_data, sparql_time_limit_ms=2000, sparql_workers=2)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcome: dict[str, object] = {}

    def run() -> None:
        started = time.monotonic()
        outcome["answer"] = fetch(base + q(runaway), accept="application/json")
        outcome["seconds"] = time.monotonic() - started

    fetch(base + q("ASK {}"))  # the workers are warm
    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.3)
    normal = []
    while thread.is_alive():
        answer = fetch(base + q(LESSONS), accept="application/json")
        normal.append(answer.status)
    thread.join()
    stopped = outcome["answer"]
    assert stopped.status == 400 and json.loads(stopped.body)["code"] == "query_timeout"
    assert outcome["seconds"] < 6
    assert len(normal) >= 5 and set(normal) == {200}
    assert fetch(base + q(LESSONS), accept="application/json").status == 200


def test_service_description(base: str) -> None:
    answer = fetch(base + "/sparql", accept="text/turtle")
    assert answer.status == 200 and answer.content_type == "text/turtle"
    graph = Graph().parse(data=answer.body, format="turtle")
    service = next(graph.subjects(RDF.type, SD.Service))
    assert (service, SD.endpoint, URIRef(base + "/sparql")) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert len(list(graph.objects(service, SD.resultFormat))) == 10
    assert fetch(base + "/sparql", accept="text/html").content_type == "text/html"


def test_void_describes_the_dataset(serve, sample_data: Path) -> None:  # noqa: F811
    licence = "https://creativecommons.org/licenses/by/4.0/"
    base = serve(sample_data, dataset_licence=licence)
    stats = json.loads(fetch(base + "/api/stats.json").body)
    answer = fetch(base + "/.well-known/void")
    assert answer.status == 200 and answer.content_type == "text/turtle"
    graph = Graph().parse(data=answer.body, format="turtle")
    dataset = URIRef(base + "/.well-known/void#dataset")
    assert int(graph.value(dataset, VOID.triples)) == stats["quads"]
    assert graph.value(dataset, DCTERMS.license) == URIRef(licence)
    version = graph.value(dataset, URIRef("http://www.w3.org/2002/07/owl#versionInfo"))
    assert str(version) == stats["generation"]
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(base + "/sparql")
    partitions = {graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
                  for p in graph.objects(dataset, VOID.classPartition)}
    assert partitions[URIRef("https://w3id.org/impactkg/def#Document")] == 7
    subsets = set(graph.objects(dataset, VOID.subset))
    assert len(subsets) == stats["graphs"]
    assert URIRef("urn:impactkg:graph:reference") in subsets
    as_jsonld = fetch(base + "/.well-known/void", accept="application/ld+json")
    assert as_jsonld.content_type == "application/ld+json" and len(Graph().parse(
        data=as_jsonld.body, format="json-ld")) == len(graph)


def test_void_says_when_no_licence_is_set(base: str) -> None:
    graph = Graph().parse(data=fetch(base + "/.well-known/void").body, format="turtle")
    dataset = next(graph.subjects(RDF.type, VOID.Dataset))
    assert graph.value(dataset, DCTERMS.license) is None
    assert "dataset_licence" in str(graph.value(dataset, DCTERMS.rights))
