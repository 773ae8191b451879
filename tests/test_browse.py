"""Linked data over a real server: every IRI dereferences, as HTML for people and as RDF for
machines (content negotiation or ?format=), with links in and out, evidence and paging."""

from __future__ import annotations

import html
import json
import re

import pytest
from rdflib import Graph, URIRef
from webapp_server import fetch, fetch_json

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
DEAL = "https://w3id.org/impactkg/id/deal/city-deal-fietsen-voor-iedereen"
DEAL_PATH = "/id/deal/city-deal-fietsen-voor-iedereen"
RDF_FORMATS = [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
               ("application/n-triples", "nt"), ("application/rdf+xml", "xml")]


@pytest.mark.parametrize(("media_type", "parser"), RDF_FORMATS)
def test_instances_serve_rdf_by_content_negotiation(sample_site, media_type: str, parser: str) -> None:
    status, headers, body = fetch(sample_site.url(DEAL_PATH), accept=media_type)
    assert status == 200 and headers["Content-Type"].startswith(media_type)
    assert "Accept" in headers["Vary"]
    graph = Graph().parse(data=body, format=parser)
    deal = URIRef(DEAL)
    assert (deal, None, None) in graph  # what it says
    assert (None, None, deal) in graph  # and what points to it


@pytest.mark.parametrize(("name", "parser"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"),
                                              ("rdf", "xml")])
def test_format_parameter_overrides_the_accept_header(sample_site, name: str, parser: str) -> None:
    status, _, body = fetch(sample_site.url(f"{DEAL_PATH}?format={name}"), accept=BROWSER)
    assert status == 200
    assert len(Graph().parse(data=body, format=parser)) > 5


def test_html_for_browsers_and_alternates_in_the_link_header(sample_site) -> None:
    status, headers, body = fetch(sample_site.url(DEAL_PATH), accept=BROWSER)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "City Deal Fietsen voor Iedereen" in body
    assert 'rel="alternate"; type="text/turtle"' in headers["Link"]
    assert 'href="/deals/city-deal-fietsen-voor-iedereen"' in body  # the deal page


def test_unservable_media_types_are_406(sample_site) -> None:
    status, _, body = fetch(sample_site.url(DEAL_PATH), accept="image/png")
    assert status == 406 and json.loads(body)["code"] == "not_acceptable"


def test_resource_page_groups_links_out_and_in_with_labels_and_counts(sample_site) -> None:
    status, data = fetch_json(sample_site.url(DEAL_PATH))
    assert status == 200 and data["label"] == "City Deal Fietsen voor Iedereen"
    assert [t["label"] for t in data["types"]] == ["City Deal"]
    out = {g["property"]["curie"]: g for g in data["outgoing"]}
    assert out["skos:altLabel"]["count"] >= 2
    incoming = {g["property"]["curie"]: g for g in data["incoming"]}
    about = incoming["ikg:aboutDeal"]
    assert about["count"] > 10 and len(about["values"]) == 10 and about["more_url"]
    assert all(v["label"] and v["url"].startswith("/id/") for v in about["values"])


def test_show_more_pages_through_incoming_links(sample_site) -> None:
    _, data = fetch_json(sample_site.url(DEAL_PATH))
    about = next(g for g in data["incoming"] if g["property"]["curie"] == "ikg:aboutDeal")
    more_url = html.unescape(about["more_url"]).split("#")[0]
    _, expanded = fetch_json(sample_site.url(more_url))
    group = next(g for g in expanded["incoming"] if g["property"]["curie"] == "ikg:aboutDeal")
    assert len(group["values"]) == min(about["count"], 50) and group["page"] == 1


def test_class_pages_list_their_instances_in_pages(sample_site) -> None:
    _, lesson = fetch_json(sample_site.url("/def/Lesson"))
    assert lesson["kind"] == "class"
    assert {d["language"] for d in lesson["definitions"]} == {"nl", "en"}
    instances = next(g for g in lesson["incoming"] if g["property"]["curie"] == "rdf:type")
    assert instances["count"] > 50 and len(instances["values"]) == 50 and instances["pages"] > 1
    _, page2 = fetch_json(sample_site.url(instances["next_url"].split("#")[0]))
    second = next(g for g in page2["incoming"] if g["property"]["curie"] == "rdf:type")
    assert second["page"] == 2
    assert not {v["iri"] for v in second["values"]} & {v["iri"] for v in instances["values"]}


def test_concepts_and_properties_are_browsable_with_their_definitions(sample_site) -> None:
    _, phase = fetch_json(sample_site.url("/concept/phase-4"))
    assert phase["kind"] == "concept" and phase["label"] == "borgen"
    assert {d["language"] for d in phase["definitions"]} >= {"nl", "en"}
    assert any(g["property"]["curie"] == "ikg:inPhase" for g in phase["incoming"])  # what is in phase 4
    _, english = fetch_json(sample_site.url("/concept/phase-4?lang=en"))
    assert english["label"] != "borgen" and english["definitions"][0]["language"] == "en"
    _, prop = fetch_json(sample_site.url("/def/aboutDeal"))
    assert prop["kind"] == "property" and prop["uses"] > 10
    _, ontology = fetch_json(sample_site.url("/def"))
    assert ontology["kind"] == "ontology"
    assert any(c["label"] == "geleerde les" for c in ontology["ontology"]["classes"])
    assert any(s["concepts"] for s in ontology["ontology"]["schemes"])


def test_evidence_marks_the_quoted_span(sample_site) -> None:
    _, lessons = fetch_json(sample_site.url("/api/lessons?kind=lesson"))
    row = next(r for r in lessons["rows"] if r["evidence"]["quote"])
    _, lesson = fetch_json(sample_site.url(row["url"]))
    marked = [p for p in lesson["evidence"] if "<mark>" in p["html"]]
    assert marked
    inside = re.search(r"<mark>(.*?)</mark>", marked[0]["html"], re.S).group(1)
    assert html.unescape(inside) == row["evidence"]["quote"]
    assert lesson["related"]  # what was extracted from the same passage


def test_any_iri_can_be_browsed_by_query_parameter(sample_site) -> None:
    lesson = "https%3A%2F%2Fw3id.org%2Fimpactkg%2Fdef%23Lesson"
    status, data = fetch_json(sample_site.url("/resource?iri=" + lesson))
    assert status == 200 and data["label"] == "geleerde les"
    status, _ = fetch_json(sample_site.url("/resource?iri=urn%3Anothing%3Ahere"))
    assert status == 404
