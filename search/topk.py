"""Top-k selection with a deterministic order: higher score first, then smaller id."""

from __future__ import annotations

import numpy as np


def top_k(ids: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (ids, scores), best first; ties broken by the smaller id."""
    n = len(ids)
    if k <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    if k < n:
        # Keep everything tied with the k-th score so the id tie-break is exact.
        kth = np.partition(scores, n - k)[n - k]
        keep = np.flatnonzero(scores >= kth)
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:k]
    return ids[order].astype(np.int64, copy=False), scores[order].astype(np.float32, copy=False)


__all__ = ["top_k"]
