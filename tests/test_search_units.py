"""The parts of search on their own: analysis, fusion, highlighting, facets, indexes, metrics."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from search.analysis import analyze, query_terms
from search.context import passage_context
from search.errors import BadSearchRequest
from search.evaluation import (
    Question,
    documents_of,
    evaluate,
    load_questions,
    mean_scores,
    score_ranking,
)
from search.facets import FacetIndex, SearchFilters, matches, passage_date
from search.files import write_atomic
from search.fusion import reciprocal_rank_fusion
from search.highlight import highlight_html, render_html, spans_for_query
from search.hits import SearchHit
from search.lexical_index import LexicalIndex
from search.vector_index import VectorIndex, VectorIndexParams

# -- analysis and context -----------------------------------------------------------------


def test_analysis_drops_stop_words_and_stems_dutch() -> None:
    assert analyze("Hoe schalen we de aanpak op?") == ["schal", "aanpak"]
    assert analyze("werkzame elementen") == analyze("werkzaam element")
    assert analyze("opschalen") == analyze("opgeschaald") == analyze("opschaling")
    assert analyze("grote groot") == ["grot", "grot"]
    assert analyze("100 gezinnen, 2023") == ["100", "zin", "2023"]
    assert query_terms("impact impact en IMPACT") == ["impact"]


def test_context_is_title_headings_and_text() -> None:
    assert passage_context("Titel", ("Titel", "Deel 1", " "), " Tekst. ") == "Titel\nDeel 1\nTekst."
    assert passage_context("", (), "Alleen tekst") == "Alleen tekst"
    assert passage_context("T", ("A", "B"), "x") == "T\nA > B\nx"


# -- fusion ---------------------------------------------------------------------------------


def test_weighted_reciprocal_rank_fusion_exact_scores() -> None:
    fused = reciprocal_rank_fusion({"a": [1, 2, 3], "b": [3, 1]}, {"a": 1.0, "b": 0.5}, k=60)
    assert [item for item, _ in fused] == [1, 3, 2]
    scores = dict(fused)
    assert scores[1] == pytest.approx(1 / 61 + 0.5 / 62)
    assert scores[2] == pytest.approx(1 / 62)
    assert scores[3] == pytest.approx(1 / 63 + 0.5 / 61)


def test_fusion_item_weights_and_ties() -> None:
    fused = reciprocal_rank_fusion(
        {"a": [1, 2, 3], "b": [3, 1]}, {"a": 1.0, "b": 0.5}, item_weights={"b": [0.0, 1.0]}
    )
    assert [item for item, _ in fused] == [1, 2, 3]
    assert dict(fused)[3] == pytest.approx(1 / 63)
    # equal scores: the better best rank wins, then the smaller id
    assert [i for i, _ in reciprocal_rank_fusion({"a": [7], "b": [5]})] == [5, 7]
    assert [i for i, _ in reciprocal_rank_fusion({"a": [9, 4], "b": [4, 9]})] == [4, 9]
    with pytest.raises(ValueError):
        reciprocal_rank_fusion({"a": [1]}, item_weights={"a": [1.0, 2.0]})


# -- highlighting ---------------------------------------------------------------------------


def test_highlight_marks_stemmed_matches_and_escapes_html() -> None:
    text = "Werkzame elementen & <b>opschaling</b> in 'de' wijk"
    html = highlight_html(text, "werkzaam element opschalen de")
    assert html == (
        "<mark>Werkzame elementen</mark> &amp; &lt;b&gt;<mark>opschaling</mark>&lt;/b&gt; "
        "in &#x27;de&#x27; wijk"
    )
    assert spans_for_query(text, "werkzaam element") == [(0, 8), (9, 18)]
    assert render_html("a < b", []) == "a &lt; b"
    assert highlight_html("<script>x</script>", "script") == (
        "&lt;<mark>script</mark>&gt;x&lt;/<mark>script</mark>&gt;"
    )


# -- facets ---------------------------------------------------------------------------------


def test_filters_normalise_and_validate() -> None:
    filters = SearchFilters(deals="https://x/deal/a", sites=("", "site"))  # type: ignore[arg-type]
    assert filters.deals == ("https://x/deal/a",) and filters.sites == ("site",)
    assert SearchFilters().is_empty and not filters.is_empty
    with pytest.raises(BadSearchRequest):
        SearchFilters(date_to="2023/01/01")


def test_filter_predicate_and_facet_index_agree() -> None:
    rows = [
        (1, {"deal": ["a"], "doc_type": ["news"]}, "2022-05-01"),
        (2, {"deal": ["a", "b"], "doc_type": ["report"]}, "2023-01-15"),
        (3, {"deal": ["b"], "stage": ["impact"]}, "2023-12-31"),
        (4, {"site": "agendastad.nl"}, ""),
    ]
    index = FacetIndex(rows)
    cases = [
        SearchFilters(deals=("a",)),
        SearchFilters(deals=("a", "b")),
        SearchFilters(deals=("b",), doc_types=("report",)),
        SearchFilters(date_from="2023"),
        SearchFilters(date_to="2023-01"),
        SearchFilters(date_from="2022-06", date_to="2023"),
        SearchFilters(sites=("agendastad.nl",)),
        SearchFilters(stages=("impact",), date_to="2023-06"),
        SearchFilters(phases=("phase-1",)),
    ]
    expected = [[1, 2], [1, 2, 3], [2], [2, 3], [1, 2], [2, 3], [4], [], []]
    for filters, ids in zip(cases, expected, strict=True):
        assert index.allowed_ids(filters).tolist() == ids, filters
        assert [i for i, facets, date in rows if matches(filters, facets, date)] == ids, filters
    assert index.allowed_ids(SearchFilters()) is None
    assert index.values("deal") == {"a": 2, "b": 2}
    assert passage_date({"date": ("2021-01-01",)}, "2020") == "2021-01-01"
    assert passage_date({}, "2020-02-02") == "2020-02-02"


# -- vector index ---------------------------------------------------------------------------


def _unit_vectors(n: int, dim: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("hnsw_min_vectors", [10_000, 50])
def test_vector_filters_return_every_allowed_hit(hnsw_min_vectors: int) -> None:
    vectors = _unit_vectors(400, 16)
    ids = np.arange(1000, 1400, dtype=np.int64)
    params = VectorIndexParams(hnsw_min_vectors=hnsw_min_vectors, exact_max_vectors=8)
    index = VectorIndex(16, params)
    index.add(ids, vectors)
    assert index.kind == ("flat" if hnsw_min_vectors > 400 else "hnsw")
    query = vectors[3]
    for size in (1, 3, 8, 9, 50, 400):
        allowed = np.sort(np.random.default_rng(size).choice(ids, size, replace=False))
        found, scores = index.search(query, 10, allowed)
        assert len(found) == min(10, size)
        assert set(found.tolist()) <= set(allowed.tolist())
        exact = allowed[np.argsort(-(vectors[allowed - 1000] @ query))][: len(found)]
        if size <= 8 or index.kind == "flat":
            assert found.tolist() == exact.tolist()
        assert np.all(np.diff(scores) <= 1e-6)
    assert index.search(query, 5, np.array([5], dtype=np.int64))[0].tolist() == []


def test_vector_removal_flat_and_hnsw(tmp_path: Path) -> None:
    vectors = _unit_vectors(100, 8, seed=1)
    for threshold in (1000, 10):
        index = VectorIndex(8, VectorIndexParams(hnsw_min_vectors=threshold))
        index.add(np.arange(100), vectors)
        index.remove(np.array([0, 1, 2, 555]))
        assert len(index) == 97
        found, _ = index.search(vectors[0], 100)
        assert len(found) == 97 and not {0, 1, 2} & set(found.tolist())
        folder = tmp_path / f"v{threshold}"
        index.save(folder)
        loaded = VectorIndex.load(folder, 8, index.params, writable=False)
        assert loaded.kind == index.kind and len(loaded) == 97
        assert loaded.search(vectors[5], 1)[0].tolist() == [5]
        with pytest.raises(PermissionError):
            loaded.add(np.array([200]), vectors[:1])


# -- lexical index --------------------------------------------------------------------------


def test_lexical_index_filters_before_the_cut_and_round_trips(tmp_path: Path) -> None:
    texts = {
        10: "circulair inkopen van meubilair",
        11: "circulair bouwen met hout",
        12: "circulair",
        13: "voedsel in de stad",
        14: "",
    }
    index = LexicalIndex.build((i, analyze(t)) for i, t in texts.items())
    index.save(tmp_path / "lex")
    loaded = LexicalIndex.load(tmp_path / "lex")
    for lexical in (index, loaded):
        scores = lexical.score(query_terms("circulair inkopen"))
        ids, values = scores.top(10)
        assert ids[0] == 10 and set(ids.tolist()) == {10, 11, 12}
        assert np.all(values > 0)
        assert scores.top(10, np.array([11, 13], dtype=np.int64))[0].tolist() == [11]
        assert scores.of(np.array([13, 10, 99])).tolist()[0] == 0.0
        coverage = scores.coverage(np.array([10, 11, 13], dtype=np.int64))
        n = 5
        idf_circulair = math.log1p((n - 3 + 0.5) / 3.5)
        idf_inkopen = math.log1p((n - 1 + 0.5) / 1.5)
        assert coverage[0] == pytest.approx(1.0)
        assert coverage[1] == pytest.approx(idf_circulair / (idf_circulair + idf_inkopen))
        assert coverage[2] == 0.0
        assert lexical.score(query_terms("onbekend woord")).top(5)[0].tolist() == []
    unknown = index.score(query_terms("circulair xyzzy"))
    assert unknown.coverage(np.array([12]))[0] < 0.5  # an unknown term still counts in the query


def test_lexical_idfs_weigh_rare_terms_and_unknown_ones_most() -> None:
    texts = {10: "circulair inkopen van meubilair", 11: "circulair bouwen", 12: "circulair", 13: "voedsel"}
    index = LexicalIndex.build((i, analyze(t)) for i, t in texts.items())
    idfs = index.idfs(query_terms("circulair inkopen xyzzy"))
    n = 4
    assert idfs[query_terms("circulair")[0]] == pytest.approx(math.log1p((n - 3 + 0.5) / 3.5))
    assert idfs[query_terms("inkopen")[0]] == pytest.approx(math.log1p((n - 1 + 0.5) / 1.5))
    assert idfs["xyzzy"] == pytest.approx(math.log1p((n + 0.5) / 0.5))
    assert LexicalIndex.build([]).idfs(["x"])["x"] > 0


def test_empty_lexical_index(tmp_path: Path) -> None:
    index = LexicalIndex.build([])
    index.save(tmp_path / "lex")
    assert LexicalIndex.load(tmp_path / "lex").score(["x"]).top(3)[0].tolist() == []


# -- evaluation -------------------------------------------------------------------------------


def test_ranking_metrics_exact_numbers() -> None:
    ranked = [("x",), ("A", "https://a"), ("y",), ("z",), ("w",), ("B",), ("v",)]
    scores = score_ranking(ranked, ["A", "B"])
    assert scores.recall_at_5 == 0.5
    assert scores.recall_at_10 == 1.0
    assert scores.mrr_at_10 == 0.5
    dcg = 1 / math.log2(3) + 1 / math.log2(7)
    ideal = 1 + 1 / math.log2(3)
    assert scores.ndcg_at_10 == pytest.approx(dcg / ideal)
    assert scores.ndcg_at_10 == pytest.approx(0.605260, abs=1e-6)

    by_url = score_ranking([("https://a",), ("x",)], ["https://a"])
    assert (by_url.recall_at_5, by_url.mrr_at_10, by_url.ndcg_at_10) == (1.0, 1.0, 1.0)
    beyond = score_ranking([(str(i),) for i in range(20)], ["15"])
    assert (beyond.recall_at_10, beyond.mrr_at_10, beyond.ndcg_at_10) == (0.0, 0.0, 0.0)
    assert score_ranking([], ["a"]).recall_at_5 == 0.0

    mean = mean_scores("hybrid", [scores, by_url])
    assert mean.recall_at_5 == 0.75 and mean.mrr_at_10 == 0.75


def _hit(passage: str, document: str, rank: int) -> SearchHit:
    return SearchHit(
        passage_iri=passage,
        document_iri=document,
        text="",
        highlighted="",
        document_title="",
        document_url=f"https://src/{document}",
        document_date="",
        deals=(),
        position=0,
        heading_path=(),
        keyword_score=None,
        vector_score=None,
        keyword_rank=None,
        vector_rank=None,
        fused_score=0.0,
        rank=rank,
    )


def test_evaluation_dedupes_hits_by_document(tmp_path: Path) -> None:
    hits = [_hit("d1/p0", "d1", 1), _hit("d1/p1", "d1", 2), _hit("d2/p0", "d2", 3)]
    assert documents_of(hits) == [("d1", "https://src/d1"), ("d2", "https://src/d2")]

    class Canned:
        def search(self, query, mode="hybrid", filters=None, k=10):
            return hits

    results = evaluate(Canned(), [Question("q", ("https://src/d2",))], ("semantic",))
    assert results["semantic"].mrr_at_10 == 0.5  # second document, not third passage

    path = tmp_path / "questions.jsonl"
    path.write_text(json.dumps({"q": "Wat?", "relevant": ["a", "a", "b"]}) + "\n\n")
    assert load_questions(path) == [Question("Wat?", ("a", "b"))]
    path.write_text('{"q": "Wat?", "relevant": []}\n')
    with pytest.raises(ValueError, match=":1:"):
        load_questions(path)


# -- files and dependencies -------------------------------------------------------------------


def test_atomic_write_leaves_nothing_on_failure(tmp_path: Path) -> None:
    def fail(tmp: Path) -> None:
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(tmp_path / "file.txt", fail)
    assert list(tmp_path.iterdir()) == []
    write_atomic(tmp_path / "file.txt", lambda tmp: tmp.write_text("whole"))
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]
