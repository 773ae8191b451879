"""Query embeddings kept in memory, shareable by the readers of successive generations.

A query's vector depends on the embedding model alone, not on the index it searches, so a
server that opens a new generation after every publish can keep the vectors it already has:
with one cache per index, every publish made each repeated query pay its embedding again
(tens of milliseconds on an idle core, far more behind other requests' embeddings).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np


class QueryVectors:
    """A thread-safe LRU map (model key, query) -> read-only vector; ``max_entries`` 0 keeps none."""

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, model: str, query: str) -> np.ndarray | None:
        with self._lock:
            vector = self._vectors.get((model, query))
            if vector is not None:
                self._vectors.move_to_end((model, query))
            return vector

    def put(self, model: str, query: str, vector: np.ndarray) -> None:
        if self.max_entries <= 0:
            return
        with self._lock:
            self._vectors[(model, query)] = vector
            self._vectors.move_to_end((model, query))
            while len(self._vectors) > self.max_entries:
                self._vectors.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._vectors)
