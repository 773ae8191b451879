"""One query's ranking: the keyword and vector rankings, their fusion, and the hits it gives.

``SearchIndex.search`` holds the index's reading lock and hands the parts in; this module
decides the order (concept expansion, keyword coverage, vector feedback, hub demotion,
weighted reciprocal rank fusion, the named-deal boost) and turns the fused order into hits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from search.entities import EntityLinker, LinkedEntity
from search.facets import FacetIndex
from search.fusion import reciprocal_rank_fusion
from search.hits import SearchHit, hit_from_row
from search.hubness import HubScores
from search.lexical_index import LexicalIndex, LexicalScores
from search.options import SearchOptions
from search.rerank import boost_named_deals, feedback_vector, keyword_terms, vector_ranking
from search.vector_index import VectorIndex

log = logging.getLogger(__name__)

MODES: tuple[str, ...] = ("hybrid", "semantic", "keyword")
KEYWORD = "keyword"
SEMANTIC = "semantic"


@dataclass(frozen=True, slots=True)
class RankingParts:
    """What one ranking reads: the index's parts, the query's linked entities, the allowed ids."""

    vectors: VectorIndex
    lexical: LexicalIndex
    facets: FacetIndex
    entities: EntityLinker | None
    linked: list[LinkedEntity]
    allowed: np.ndarray | None
    embed_query: Callable[[str], np.ndarray]
    hub_scores: Callable[[], HubScores]


@dataclass(frozen=True, slots=True)
class Ranked:
    """The k best passage ids with their fused scores, and what each ranker said."""

    fused: list[tuple[int, float]]
    rankings: dict[str, np.ndarray]
    keyword_scores: LexicalScores | None
    query_vector: np.ndarray | None


def rank_passages(query: str, mode: str, k: int, options: SearchOptions,
                  parts: RankingParts) -> Ranked:
    """The fused order of the passages for ``query`` in ``mode``, cut to ``k``."""
    depth = max(k, options.candidates_per_ranker)
    rankings: dict[str, np.ndarray] = {}
    item_weights: dict[str, np.ndarray] = {}
    keyword_scores: LexicalScores | None = None
    query_vector: np.ndarray | None = None
    if mode in ("hybrid", KEYWORD):
        keyword_scores = parts.lexical.score(keyword_terms(
            query, parts.entities, parts.linked, expand=options.concept_expansion))
        rankings[KEYWORD] = keyword_scores.top(depth, parts.allowed)[0]
        exponent = options.keyword_coverage_exponent
        if mode == "hybrid" and exponent > 0:
            coverage = keyword_scores.coverage(rankings[KEYWORD])
            item_weights[KEYWORD] = coverage.astype(np.float64) ** exponent
    if mode in ("hybrid", SEMANTIC):
        query_vector = parts.embed_query(query)
        hubs = parts.hub_scores() if options.hub_weight > 0 else None
        weight = options.hub_weight
        nearest = (vector_ranking(parts.vectors, query_vector, options.prf_passages,
                                  parts.allowed, hubs, weight)
                   if options.prf_weight > 0 else np.zeros(0, dtype=np.int64))
        search_vector = feedback_vector(parts.vectors, query_vector, nearest, options.prf_weight)
        rankings[SEMANTIC] = vector_ranking(parts.vectors, search_vector, depth, parts.allowed,
                                            hubs, weight)
    weights = {KEYWORD: options.keyword_weight, SEMANTIC: options.semantic_weight}
    fused = reciprocal_rank_fusion(
        {name: ranking.tolist() for name, ranking in rankings.items()},
        weights,
        options.rrf_k,
        {name: w.tolist() for name, w in item_weights.items()},
    )
    if mode == "hybrid":
        fused = boost_named_deals(fused, parts.linked, parts.facets, options.deal_boost)
    return Ranked(fused[:k], rankings, keyword_scores, query_vector)


def assemble_hits(ranked: Ranked, rows: dict[int, Any], keyword_values: np.ndarray | None,
                  vector_values: np.ndarray | None, query: str,
                  highlight: bool) -> list[SearchHit]:
    """The hits in fused order, with each ranker's score and rank of the passage."""
    ranks = {
        name: {int(item): rank for rank, item in enumerate(ranking, start=1)}
        for name, ranking in ranked.rankings.items()
    }
    hits = []
    for position, (passage_id, fused_score) in enumerate(ranked.fused):
        row = rows.get(passage_id)
        if row is None:  # cannot happen in a consistent index; never show a broken hit
            log.warning("passage id %d is in an index but not in the passage table", passage_id)
            continue
        hits.append(
            hit_from_row(
                row,
                query,
                rank=len(hits) + 1,
                fused_score=fused_score,
                keyword_score=None if keyword_values is None else float(keyword_values[position]),
                vector_score=None if vector_values is None else float(vector_values[position]),
                keyword_rank=ranks.get(KEYWORD, {}).get(passage_id),
                vector_rank=ranks.get(SEMANTIC, {}).get(passage_id),
                highlight=highlight,
            )
        )
    return hits
