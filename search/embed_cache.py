"""Embeddings cached by the SHA-256 of the text given to the model, so unchanged text is never re-embedded.

The cache is one SQLite file under the index folder, keyed by (embedder key, text
hash). It is the writer's store of vectors too: the vector index can always be
rebuilt from it (after a crash, on a switch to HNSW, on compaction).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from search.embeddings import Embedder, cache_key_of

_SQL_CHUNK = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vector (
    model TEXT NOT NULL,
    hash TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (model, hash)
) WITHOUT ROWID;
"""


def text_hash(text: str) -> str:
    """Hex SHA-256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """A persistent map (model key, text hash) -> float32 vector; every write is one transaction."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def get_many(self, model: str, hashes: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        """The cached vectors among ``hashes`` (missing hashes are simply absent)."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        with self._lock:
            for start in range(0, len(unique), _SQL_CHUNK):
                chunk = unique[start : start + _SQL_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT hash, data FROM vector WHERE model = ? AND hash IN ({marks})",
                    (model, *chunk),
                )
                for digest, data in rows:
                    vector = np.frombuffer(data, dtype=np.float32)
                    if vector.shape == (dim,):
                        found[digest] = vector
        return found

    def put_many(self, model: str, hashes: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (model, digest, np.ascontiguousarray(vector, dtype=np.float32).tobytes())
            for digest, vector in zip(hashes, vectors, strict=True)
        ]
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO vector (model, hash, data) VALUES (?, ?, ?)", rows
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def count(self, model: str | None = None) -> int:
        with self._lock:
            if model is None:
                return int(self._conn.execute("SELECT COUNT(*) FROM vector").fetchone()[0])
            query = "SELECT COUNT(*) FROM vector WHERE model = ?"
            return int(self._conn.execute(query, (model,)).fetchone()[0])

    def prune(self, model: str, keep: set[str]) -> int:
        """Drop this model's vectors whose hash is not in ``keep``; returns how many went."""
        with self._lock:
            stored = [
                row[0] for row in self._conn.execute("SELECT hash FROM vector WHERE model = ?", (model,))
            ]
            stale = [(model, digest) for digest in stored if digest not in keep]
            self._conn.execute("BEGIN")
            self._conn.executemany("DELETE FROM vector WHERE model = ? AND hash = ?", stale)
            self._conn.execute("COMMIT")
        return len(stale)


def embed_with_cache(
    embedder: Embedder, cache: EmbeddingCache | None, texts: Sequence[str]
) -> tuple[np.ndarray, int]:
    """Vectors for ``texts`` (n, dim), embedding only texts the cache lacks.

    Returns the vectors and how many texts were sent to the engine (repeats within
    ``texts`` are embedded once).
    """
    dim = embedder.dim
    out = np.zeros((len(texts), dim), dtype=np.float32)
    if not texts:
        return out, 0
    hashes = [text_hash(text) for text in texts]
    key = cache_key_of(embedder)
    known = cache.get_many(key, hashes, dim) if cache is not None else {}
    missing: dict[str, str] = {}
    for digest, text in zip(hashes, texts, strict=True):
        if digest not in known:
            missing.setdefault(digest, text)
    if missing:
        fresh = embedder.embed_passages(list(missing.values()))
        new_hashes = list(missing)
        if cache is not None:
            cache.put_many(key, new_hashes, fresh)
        known.update(zip(new_hashes, fresh, strict=True))
    for row, digest in enumerate(hashes):
        out[row] = known[digest]
    return out, len(missing)


__all__ = ["EmbeddingCache", "embed_with_cache", "text_hash"]
