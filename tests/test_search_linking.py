"""Graded evaluation, the graph's label table, entity linking and the ranking steps around fusion."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pyoxigraph as ox
import pytest

from kg.labels import CONCEPT, DEAL, EntityLabel, entity_labels
from kg.ontology import standard_graphs
from kg.query import StoreGraph
from kg.terms import to_quads
from search.entities import EntityLinker, expansion_text, fold
from search.evaluation import (
    Question,
    load_questions,
    mean_scores,
    question_groups,
    score_ranking,
)
from search.facets import FacetIndex
from search.rerank import boost_named_deals, feedback_vector, keyword_terms
from search.vector_index import VectorIndex

FIETSEN = "https://w3id.org/impactkg/id/deal/city-deal-fietsen-voor-iedereen"
LOPEN = "https://w3id.org/impactkg/id/deal/city-deal-ruimte-voor-lopen"
WORKING = "https://w3id.org/impactkg/def#WorkingElement"


# -- graded evaluation ------------------------------------------------------------------------


def test_graded_ndcg_uses_gain_two_to_the_grade_minus_one() -> None:
    grades = {"a": 2, "b": 1}
    ranked = [("b",), ("x",), ("a",)]
    scores = score_ranking(ranked, list(grades), grades)
    dcg = 1 / math.log2(2) + 3 / math.log2(4)
    ideal = 3 / math.log2(2) + 1 / math.log2(3)
    assert scores.ndcg_at_10 == pytest.approx(dcg / ideal)
    assert scores.mrr_at_10 == 1.0 and scores.recall_at_5 == 1.0
    # binary judgments score exactly as before
    assert score_ranking(ranked, ["a", "b"]).ndcg_at_10 == pytest.approx(
        score_ranking(ranked, ["a", "b"], {"a": 1, "b": 1}).ndcg_at_10)


def test_questions_with_judgments_pooled_grades_and_groups(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    lines = [
        {"id": "q1", "q": "Wat?", "kind": "literal", "fact": True, "split": "heldout",
         "judgments": {"a": 2, "b": 0}, "pooled": {"c": 1}},
        {"id": "q2", "q": "Hoe?", "kind": "paraphrase", "names": "deal", "relevant": ["d"]},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    first, second = load_questions(path)
    assert first.relevant == ("a", "c") and first.grade_map() == {"a": 2, "b": 0, "c": 1}
    assert (first.id, first.kind, first.fact, first.split) == ("q1", "literal", True, "heldout")
    assert second.grade_map() == {"d": 1} and second.names == "deal"
    assert question_groups([first, second]) == {
        "all": [0, 1], "literal": [0], "paraphrase": [1], "fact": [0], "names": [1]}
    resolved = first.with_documents(str.upper)
    assert resolved.relevant == ("A", "C") and resolved.grade_map() == {"A": 2, "B": 0, "C": 1}
    path.write_text(json.dumps({"q": "Wat?", "judgments": {"a": 0}}))
    with pytest.raises(ValueError, match=":1:"):
        load_questions(path)
    scores = mean_scores("hybrid", [score_ranking([("a",)], ["a"]), score_ranking([], ["a"])])
    assert scores.select([0]).ndcg_at_10 == 1.0 and scores.select([1]).ndcg_at_10 == 0.0
    assert isinstance(first, Question)


# -- the label table and linking --------------------------------------------------------------


def test_entity_labels_come_from_the_reference_data_and_the_ontology() -> None:
    store = ox.Store()
    for graph_iri, graph in standard_graphs():
        store.extend(to_quads(list(graph), graph_iri))
    rows = entity_labels(StoreGraph(store))
    deal_labels = {r.label for r in rows if r.iri == FIETSEN}
    assert {"City Deal Fietsen voor Iedereen", "Fietsen voor Iedereen"} <= deal_labels
    assert all(r.kind == DEAL for r in rows if r.iri == FIETSEN)
    working = {(r.label, r.lang) for r in rows if r.iri == WORKING}
    assert {("werkzaam element", "nl"), ("working element", "en")} <= working
    assert any(r.kind == "organisation" and r.label == "Platform31" for r in rows)


def _linker() -> EntityLinker:
    return EntityLinker([
        EntityLabel("City Deal Fietsen voor Iedereen", FIETSEN, DEAL, "nl"),
        EntityLabel("Fietsen voor Iedereen", FIETSEN, DEAL, "nl"),
        EntityLabel("Ruimte voor Lopen", LOPEN, DEAL, "nl"),
        EntityLabel("werkzaam element", WORKING, CONCEPT, "nl"),
        EntityLabel("working element", WORKING, CONCEPT, "en"),
        EntityLabel("PBL", "https://example.org/pbl", "organisation"),
        EntityLabel("de", "https://example.org/noise", "person"),
    ])


def test_linking_takes_the_longest_name_once_and_skips_short_or_stop_word_labels() -> None:
    linker = _linker()
    linked = linker.link("Hoeveel geld heeft de City Deal Fietsen voor Iedereen, en Ruimte voor lopen?")
    assert [(e.iri, e.label) for e in linked] == [
        (FIETSEN, "City Deal Fietsen voor Iedereen"), (LOPEN, "Ruimte voor Lopen")]
    assert linker.link("Wat zegt het PBL over de deals?") == []
    assert fold("Noardeast-Fryslân") == ("noardeast", "fryslan")


def test_concepts_named_in_english_add_their_dutch_labels() -> None:
    linker = _linker()
    linked = linker.link("What is a working element?")
    assert expansion_text(linker, linked) == "werkzaam element"
    assert expansion_text(linker, linker.link("Wat is een werkzaam element?")) == ""
    question = "What is a working element?"
    assert keyword_terms(question, linker, linked, expand=True) == ["what", "work", "element", "werkzam"]
    assert keyword_terms(question, linker, linked, expand=False) == ["what", "work", "element"]


# -- ranking steps around fusion ---------------------------------------------------------------


def test_the_deal_boost_favours_the_page_about_that_deal_over_a_hub() -> None:
    facets = FacetIndex([
        (1, {"about": [LOPEN]}, ""),                   # another deal
        (2, {"about": [FIETSEN, LOPEN, "x", "y"]}, ""),  # a hub page about four deals
        (3, {"about": [FIETSEN]}, ""),                 # the page about the named deal
        (4, {}, ""),
    ])
    fused = [(1, 0.030), (2, 0.029), (3, 0.020), (4, 0.019)]
    linked = _linker().link("Fietsen voor Iedereen")
    boosted = boost_named_deals(fused, linked, facets, 1.0)
    assert [item for item, _ in boosted] == [3, 2, 1, 4]
    assert dict(boosted)[2] == pytest.approx(0.029 * 1.25)
    assert boost_named_deals(fused, linked, facets, 0.0) == fused
    assert boost_named_deals(fused, [], facets, 1.0) == fused


def test_feedback_moves_the_query_towards_its_nearest_passages() -> None:
    index = VectorIndex(2)
    index.add(np.array([1, 2, 3]), np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]], dtype=np.float32))
    query = np.array([1.0, 0.0], dtype=np.float32)
    nearest = index.search(query, 2)[0]
    moved = feedback_vector(index, query, nearest, weight=1.0)
    assert moved == pytest.approx(np.array([0.9 + 1.0, 0.3]) / np.linalg.norm([1.9, 0.3]))
    assert feedback_vector(index, query, nearest, weight=0.0) is query
    assert feedback_vector(index, query, np.zeros(0, dtype=np.int64), weight=1.0) is query
    only_third = feedback_vector(index, query, np.array([3]), weight=1.0)
    assert only_third == pytest.approx(np.array([1.0, 1.0]) / math.sqrt(2))
