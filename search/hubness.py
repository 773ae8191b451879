"""Hub scores of passages: how close each one sits to passages of other documents.

In an embedding space some points are near neighbours of almost everything ("hubs"): a
programme overview or a letter that touches every deal comes up for question after
question. CSLS-style local scaling (Lample et al. 2018) corrects for it: a passage's
similarity to a query loses ``weight * r_p``, where ``r_p`` is the mean cosine of the
passage to its ``neighbours`` nearest passages of other documents. So a passage that is
close to everything must be closer to the query than a specific one to win.

``r_p`` is computed from the vectors when the vector index is written (and stored next to
it); against every passage while the index holds at most ``sample`` passages, above that
against a fixed random sample of ``sample`` passages, so the work grows linearly with the
index (100k passages x 2,048 sampled: one matrix product in chunks).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HUBNESS_FILE = "hubness.npz"
_CHUNK_ROWS = 2048
_SEED = 20261203


@dataclass(frozen=True, slots=True)
class HubParams:
    """How hub scores are computed: nearest other-document passages, reference sample size."""

    neighbours: int = 10
    sample: int = 2048

    def __post_init__(self) -> None:
        if self.neighbours < 1 or self.sample < 1:
            raise ValueError("hub neighbours and sample must be >= 1")


@dataclass(frozen=True, slots=True)
class HubScores:
    """r_p per passage id (``ids`` sorted), with the parameters that made them."""

    ids: np.ndarray
    values: np.ndarray
    params: HubParams

    def of(self, ids: np.ndarray) -> np.ndarray:
        """r_p of each id (0 for an id without a score)."""
        if len(self.ids) == 0 or len(ids) == 0:
            return np.zeros(len(ids), dtype=np.float32)
        pos = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        found = self.ids[pos] == ids
        return np.where(found, self.values[pos], 0.0).astype(np.float32)

    def save(self, folder: Path) -> None:
        np.savez(
            folder / HUBNESS_FILE,
            ids=self.ids,
            values=self.values,
            params=np.asarray([self.params.neighbours, self.params.sample], dtype=np.int64),
        )

    @classmethod
    def load(cls, folder: Path) -> HubScores | None:
        """The stored scores of a vector index folder; None in an index written before them."""
        path = folder / HUBNESS_FILE
        if not path.exists():
            return None
        try:
            with np.load(path) as data:
                neighbours, sample = (int(v) for v in data["params"])
                ids, values = data["ids"].astype(np.int64), data["values"].astype(np.float32)
        except (zipfile.BadZipFile, KeyError, EOFError, ValueError) as exc:
            raise ValueError(f"damaged {path.name}: {exc}") from exc
        if ids.shape != values.shape:
            raise ValueError(f"damaged {path.name}: {len(ids)} ids, {len(values)} values")
        return cls(ids, values, HubParams(neighbours, sample))


def compute_hub_scores(
    ids: np.ndarray,
    documents: np.ndarray,
    vectors_of: Callable[[np.ndarray], np.ndarray],
    params: HubParams,
) -> HubScores:
    """r_p for every passage in ``ids`` (sorted), given each one's document code.

    ``vectors_of(ids)`` returns unit vectors; it is called in chunks so the index's
    vectors are never copied whole. A passage with no passage of another document in the
    reference set scores 0.
    """
    ids = np.asarray(ids, dtype=np.int64)
    documents = np.asarray(documents, dtype=np.int64)
    n = len(ids)
    values = np.zeros(n, dtype=np.float32)
    if n == 0:
        return HubScores(ids, values, params)
    if n <= params.sample:
        reference = np.arange(n)
    else:
        reference = np.sort(np.random.default_rng(_SEED).choice(n, params.sample, replace=False))
    reference_vectors = vectors_of(ids[reference])
    reference_documents = documents[reference]
    for start in range(0, n, _CHUNK_ROWS):
        rows = slice(start, min(start + _CHUNK_ROWS, n))
        sims = vectors_of(ids[rows]) @ reference_vectors.T
        same = documents[rows, None] == reference_documents[None, :]
        sims[same] = -np.inf
        values[rows] = _mean_of_top(sims, params.neighbours)
    return HubScores(ids, values, params)


def document_codes(id_documents: Iterable[tuple[int, str]], ids: np.ndarray) -> np.ndarray:
    """A small integer per passage id naming its document (equal codes: same document)."""
    documents = dict(id_documents)
    _, codes = np.unique([documents.get(int(i), "") for i in ids], return_inverse=True)
    return codes.astype(np.int64)


def _mean_of_top(sims: np.ndarray, k: int) -> np.ndarray:
    """Row means of the k largest finite values (fewer when a row has fewer)."""
    k = min(k, sims.shape[1])
    top = np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:]
    finite = np.isfinite(top)
    counts = finite.sum(axis=1)
    totals = np.where(finite, top, 0.0).sum(axis=1)
    return np.where(counts > 0, totals / np.maximum(counts, 1), 0.0).astype(np.float32)


def demote_hubs(
    ids: np.ndarray, similarities: np.ndarray, hubs: HubScores, weight: float, depth: int
) -> np.ndarray:
    """The ``depth`` best of ``ids`` by similarity - weight * r_p, best first."""
    adjusted = similarities - weight * hubs.of(ids)
    order = np.lexsort((ids, -adjusted))[:depth]
    return ids[order]


__all__ = ["HUBNESS_FILE", "HubParams", "HubScores", "compute_hub_scores", "demote_hubs",
           "document_codes"]
