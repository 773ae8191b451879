"""Ranking steps around the two rankers: concept expansion, vector pseudo-relevance feedback,
hub demotion in the vector ranking, the named-deal boost."""

from __future__ import annotations

import numpy as np

from kg.labels import DEAL
from search.analysis import query_terms
from search.entities import EntityLinker, LinkedEntity, expansion_text
from search.facets import FacetIndex
from search.hubness import HubScores, demote_hubs
from search.vector_index import VectorIndex


def keyword_terms(
    query: str, linker: EntityLinker | None, linked: list[LinkedEntity], *, expand: bool
) -> list[str]:
    """The query's index terms, plus (``expand``) the Dutch labels of concepts it names in English."""
    terms = query_terms(query)
    if linker is not None and expand:
        extra = query_terms(expansion_text(linker, linked))
        terms += [t for t in extra if t not in terms]
    return terms


def feedback_vector(
    vectors: VectorIndex, query_vector: np.ndarray, nearest: np.ndarray, weight: float
) -> np.ndarray:
    """The query vector moved towards the passages ``nearest`` it (pseudo-relevance feedback).

    Paraphrased questions share few words and a weaker vector with their answer; the
    nearest passages are usually about the right subject and pull the query there.
    ``weight`` 0 (or no passages) returns the query vector unchanged.
    """
    if weight <= 0 or len(nearest) == 0:
        return query_vector
    moved = query_vector + weight * vectors.vectors(nearest).mean(axis=0)
    return np.ascontiguousarray(moved / np.linalg.norm(moved), dtype=np.float32)


def vector_ranking(
    vectors: VectorIndex,
    vector: np.ndarray,
    depth: int,
    allowed: np.ndarray | None,
    hubs: HubScores | None,
    hub_weight: float,
) -> np.ndarray:
    """The ``depth`` nearest passage ids, hubs demoted when ``hubs`` is given.

    With hubs, twice ``depth`` are fetched by plain similarity and re-ranked by
    similarity - hub_weight * r_p, so a passage can only rise or fall within that window.
    """
    if hubs is None:
        return vectors.search(vector, depth, allowed)[0]
    ids, similarities = vectors.search(vector, 2 * depth, allowed)
    return demote_hubs(ids, similarities, hubs, hub_weight, depth)


def boost_named_deals(
    fused: list[tuple[int, float]],
    linked: list[LinkedEntity],
    facets: FacetIndex,
    boost: float,
) -> list[tuple[int, float]]:
    """Fused (passage id, score) with passages of documents about a named deal raised.

    A passage's score is multiplied by 1 + boost * (named deals among the deals its
    document is about / all deals its document is about): the page about that one deal
    gains the full boost, a hub page about every deal almost nothing.
    """
    named = {entity.iri for entity in linked if entity.kind == DEAL}
    if not named or boost <= 0:
        return fused
    boosted = []
    for item, score in fused:
        about = facets.about(item)
        if about:
            score *= 1.0 + boost * sum(1 for deal in about if deal in named) / len(about)
        boosted.append((item, score))
    boosted.sort(key=lambda pair: -pair[1])  # stable: equal scores keep the fusion's order
    return boosted


__all__ = ["boost_named_deals", "feedback_vector", "keyword_terms", "vector_ranking"]
