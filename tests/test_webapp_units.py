"""Pieces of the web app that need no server: the chain layout, facet values in URLs, labels,
content negotiation, IRI paths, CSV cells."""

from __future__ import annotations

import pytest
from flask import Flask

from webapp.chain import BOX_WIDTH, MAX_LINES, MAX_PER_COLUMN, STAGES, ChainEdge, ChainNode, layout, wrap
from webapp.data.facets import compact, expand
from webapp.errors import BadRequest, NotAcceptable
from webapp.i18n import pick_label
from webapp.links import IriPaths, curie
from webapp.rdf import negotiate
from webapp.render import _neutralised

BASE = "https://w3id.org/impactkg/id/"


def node(iri: str, stage: str, label: str = "") -> ChainNode:
    return ChainNode(iri=iri, stage=stage, label=label or iri, url=f"/id/{iri}")


def test_chain_columns_follow_the_stages_left_to_right() -> None:
    nodes = [node(f"n-{stage}", stage) for stage in reversed(STAGES)]
    diagram = layout(nodes, [])
    x_of = {box.node.iri: box.x for box in diagram.boxes}
    xs = [x_of[f"n-{stage}"] for stage in STAGES]
    assert xs == sorted(xs) and len(set(xs)) == len(STAGES)
    assert [h.stage for h in diagram.headers] == list(STAGES)
    assert diagram.width >= len(STAGES) * BOX_WIDTH


def test_chain_link_runs_from_the_right_edge_to_the_left_edge() -> None:
    diagram = layout([node("out", "output"), node("imp", "impact")], [ChainEdge("out", "imp", "chain", (1,))])
    (path,) = diagram.paths
    boxes = {box.node.iri: box for box in diagram.boxes}
    start = path.d.split()[0]
    assert start == f"M{boxes['out'].x + boxes['out'].width},{boxes['out'].y + boxes['out'].height // 2}"
    assert path.d.endswith(f"{boxes['imp'].x},{boxes['imp'].y + boxes['imp'].height // 2}")
    assert path.notes == (1,)


def test_chain_orders_a_column_to_uncross_links() -> None:
    outputs = [node("o1", "output", "a"), node("o2", "output", "b")]
    impacts = [node("i1", "impact", "a"), node("i2", "impact", "b")]
    crossed = [ChainEdge("o1", "i2", "chain"), ChainEdge("o2", "i1", "chain")]
    diagram = layout(outputs + impacts, crossed)
    y = {box.node.iri: box.y for box in diagram.boxes}
    assert (y["o1"] < y["o2"]) == (y["i2"] < y["i1"])  # each output sits level with its own impact


def test_a_full_column_ends_in_a_box_that_counts_the_rest() -> None:
    nodes = [node(f"a{i}", "activity") for i in range(MAX_PER_COLUMN + 5)]
    diagram = layout(nodes, [])
    shown = [box for box in diagram.boxes if box.stage == "activity"]
    assert len(shown) == MAX_PER_COLUMN + 1
    assert shown[-1].node is None and shown[-1].more_count == 5


def test_working_elements_and_beneficiary_groups_have_their_own_places() -> None:
    diagram = layout([node("imp", "impact"), node("we", "working_element"), node("bg", "beneficiary_group")],
                     [ChainEdge("imp", "we", "working_element")])
    boxes = {box.node.iri: box for box in diagram.boxes}
    assert boxes["we"].x > boxes["imp"].x
    assert boxes["bg"].y > boxes["imp"].y + boxes["imp"].height
    assert diagram.paths[0].kind == "working_element"


def test_long_labels_wrap_to_a_few_lines() -> None:
    lines = wrap("een heel lang label " * 20, "detail")
    assert len(lines) == MAX_LINES + 1 and lines[-1] == "detail" and lines[-2].endswith("…")


def test_an_empty_chain_is_empty() -> None:
    assert layout([], []).is_empty


@pytest.mark.parametrize(("facet", "short", "stored"), [
    ("deal", "city-deal-kennis-maken", f"{BASE}deal/city-deal-kennis-maken"),
    ("doc_type", "doctype-news", "https://w3id.org/impactkg/concept/doctype-news"),
    ("stage", "stage-output", "https://w3id.org/impactkg/concept/stage-output"),
    ("phase", "phase-2", "https://w3id.org/impactkg/concept/phase-2"),
    ("site", "www.agendastad.nl", "www.agendastad.nl"),
    ("year", "2024", "2024"),
])
def test_facet_values_in_urls_round_trip(facet: str, short: str, stored: str) -> None:
    assert expand(facet, short, BASE) == stored
    assert compact(facet, stored, BASE) == short


@pytest.mark.parametrize(("facet", "value"), [("year", "24"), ("deal", "<script>"), ("phase", "a b"),
                                              ("colour", "red")])
def test_bad_facet_values_are_a_400(facet: str, value: str) -> None:
    with pytest.raises(BadRequest):
        expand(facet, value, BASE)


def test_labels_prefer_the_page_language_then_untagged_then_dutch() -> None:
    candidates = [("lesson learned", "en"), ("geleerde les", "nl"), ("les", "")]
    assert pick_label(candidates, "en") == "lesson learned"
    assert pick_label(candidates, "nl") == "geleerde les"
    assert pick_label([("geleerde les", "nl"), ("les", "")], "en") == "les"
    assert pick_label([("Lektion", "de"), ("geleerde les", "nl")], "en") == "geleerde les"
    assert pick_label([], "nl") is None


@pytest.mark.parametrize(("query", "accept", "expected"), [
    ("", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ("", "text/turtle", "ttl"),
    ("", "application/ld+json", "jsonld"),
    ("", "application/n-triples", "nt"),
    ("", "application/rdf+xml", "rdf"),
    ("", "application/json", "json"),
    ("", "text/turtle;q=0.5, application/rdf+xml", "rdf"),
    ("", "*/*", "html"),
    ("", None, "html"),
    ("?format=ttl", "text/html", "ttl"),
    ("?format=json-ld", None, "jsonld"),
])
def test_content_negotiation(query: str, accept: str | None, expected: str) -> None:
    app = Flask(__name__)
    headers = {"Accept": accept} if accept else {}
    with app.test_request_context("/id/x" + query, headers=headers):
        from flask import request

        assert negotiate(request) == expected


@pytest.mark.parametrize(("query", "accept"), [("", "image/png"), ("?format=docx", None)])
def test_formats_we_cannot_serve_are_a_406(query: str, accept: str | None) -> None:
    app = Flask(__name__)
    with app.test_request_context("/id/x" + query, headers={"Accept": accept} if accept else {}):
        from flask import request

        with pytest.raises(NotAcceptable):
            negotiate(request)


def test_iris_map_to_paths_on_this_server() -> None:
    paths = IriPaths(BASE)
    assert paths.path_of(f"{BASE}deal/city-deal-x") == "/id/deal/city-deal-x"
    assert paths.path_of("https://w3id.org/impactkg/def#Lesson") == "/def/Lesson"
    assert paths.path_of("https://w3id.org/impactkg/def") == "/def"
    assert paths.path_of("https://w3id.org/impactkg/concept/phase-1") == "/concept/phase-1"
    assert paths.path_of("urn:x:y") == "/resource?iri=urn%3Ax%3Ay"
    odd = "https%3A%2F%2Fw3id.org%2Fimpactkg%2Fid%2Fodd%3Fquery"
    assert paths.path_of(f"{BASE}odd?query") == "/resource?iri=" + odd
    other = IriPaths("https://example.org/kg/")
    assert other.path_of("https://example.org/kg/doc/1/p2") == "/id/doc/1/p2"
    assert curie("http://www.w3.org/2004/02/skos/core#prefLabel") == "skos:prefLabel"
    assert curie("https://example.org/x") == "https://example.org/x"


def test_csv_cells_never_start_a_formula() -> None:
    assert _neutralised("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _neutralised("@SUM(A1)") == "'@SUM(A1)"
    assert _neutralised("gewoon tekst") == "gewoon tekst"


def test_a_local_folder_in_the_site_facet_shows_its_name_not_its_path() -> None:
    from flask import Flask

    from webapp.data.search_results import _facet_label

    with Flask(__name__).test_request_context("/zoeken"):
        assert _facet_label("site", "file:///tmp/x/fresh/samples", {}) == "map samples"
        assert _facet_label("site", "https://agendastad.nl", {}) == "https://agendastad.nl"
