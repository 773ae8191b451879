"""Reciprocal rank fusion: sum over rankers of weight / (k + rank)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

RRF_K_DEFAULT = 60


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[int]],
    weights: Mapping[str, float] | None = None,
    k: int = RRF_K_DEFAULT,
    item_weights: Mapping[str, Sequence[float]] | None = None,
) -> list[tuple[int, float]]:
    """Fuse ranked id lists (best first, rank 1 = first) into (id, score), best first.

    score(id) = sum over rankers of weight * item_weight / (k + rank). A ranker
    missing from ``weights`` weighs 1; ``item_weights[name][i]`` (default 1) scales
    the vote of the i-th item of that ranking. Ties go to the id with the better
    best rank in any list, then the smaller id, so the order is deterministic.
    """
    if k < 0:
        raise ValueError("the RRF constant k must be >= 0")
    scores: dict[int, float] = {}
    best_rank: dict[int, int] = {}
    for name, ranking in rankings.items():
        weight = 1.0 if weights is None else float(weights.get(name, 1.0))
        per_item = item_weights.get(name) if item_weights is not None else None
        if per_item is not None and len(per_item) != len(ranking):
            raise ValueError(f"item_weights[{name!r}] must match its ranking in length")
        for rank, item in enumerate(ranking, start=1):
            vote = weight if per_item is None else weight * float(per_item[rank - 1])
            scores[item] = scores.get(item, 0.0) + vote / (k + rank)
            if rank < best_rank.get(item, rank + 1):
                best_rank[item] = rank
    ordered = sorted(scores, key=lambda item: (-scores[item], best_rank[item], item))
    return [(item, scores[item]) for item in ordered]


__all__ = ["RRF_K_DEFAULT", "reciprocal_rank_fusion"]
