"""The faiss vector index: exact inner product while small, HNSW above a size, int64 passage ids.

HNSW cannot remove vectors, so a removed id becomes a tombstone that every search
excludes; once tombstones pass a fraction of the index it is rebuilt from its own
live vectors. Searches with a filter never return fewer hits than the filter
allows: HNSW results that come up short are redone exactly.

A writable index serialises everything (faiss is not safe to search while it
changes); a read-only one lets searches run in parallel.

A writable *flat* index keeps its vectors on disk, not in memory: it holds the file it was
last saved to (``search/vector_file.py``), the vectors added since and the ids removed
since, and ``save`` streams file + changes into the next file in chunks. So the ingest
writer's memory does not grow with the corpus. Only a search on the writer (tests, a
reindex that compares) loads the whole index, once per change. An HNSW index (above
``hnsw_min_vectors``) is a graph in memory by nature and stays there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from search.topk import top_k
from search.vector_file import FlatFile, write_flat_file

log = logging.getLogger(__name__)

FLAT = "flat"
HNSW = "hnsw"
INDEX_FILE = "index.faiss"
REMOVED_FILE = "removed.npy"
# faiss's OpenMP threads as configured when this module loaded (all cores unless
# OMP_NUM_THREADS says otherwise): what building an index may use.
_BUILD_THREADS = faiss.omp_get_max_threads()
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float32)


@dataclass(frozen=True, slots=True)
class VectorIndexParams:
    """How the vector index is built and searched."""

    hnsw_min_vectors: int = 50_000
    """At more live vectors than this the index becomes HNSW (below it, exact search)."""
    hnsw_m: int = 32
    hnsw_ef_construction: int = 64
    hnsw_ef_search: int = 128
    hnsw_max_removed_fraction: float = 0.1
    """Rebuild an HNSW index once this fraction of its vectors are tombstones."""
    search_threads: int = 1
    """faiss threads for one search. A single query gains nothing from more, and their
    spinning slows the next query embedding (measured: hybrid p50 25 -> 20 ms)."""
    exact_max_vectors: int = 10_000
    """A filtered HNSW search over at most this many allowed vectors is done exactly
    (faster than walking a graph where most nodes are filtered out, and never approximate)."""


class VectorIndex:
    """Unit vectors by int64 id; inner-product search with optional allowed-id sets."""

    def __init__(
        self,
        dim: int,
        params: VectorIndexParams | None = None,
        *,
        writable: bool = True,
        index: Any = None,
        removed: np.ndarray | None = None,
        file: FlatFile | None = None,
    ):
        self.dim = dim
        self.params = params or VectorIndexParams()
        self.writable = writable
        self._lock = threading.RLock()
        # The whole index, or (``_file`` set: a streamed flat writer) the vectors added since
        # ``_file`` was written; ``_file_removed`` are the ids of ``_file`` removed since.
        self._index = index if index is not None else self._new_index(FLAT)
        self._kind = _kind_of(self._index)
        if self._index.d != dim:
            raise ValueError(f"vector index has dimension {self._index.d}, expected {dim}")
        self._file = file
        self._file_removed: set[int] = set()
        self._whole: Any = None  # a streamed writer's index loaded whole for searching
        self._removed: set[int] = set() if removed is None else {int(i) for i in removed}
        self._live: np.ndarray | None = None
        self._rows: np.ndarray | None = None
        self._removed_selector: Any = None

    # -- construction and persistence ---------------------------------------------

    def _new_index(self, kind: str) -> Any:
        if kind == HNSW:
            inner = faiss.IndexHNSWFlat(self.dim, self.params.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = self.params.hnsw_ef_construction
        else:
            inner = faiss.IndexFlatIP(self.dim)
        return faiss.IndexIDMap2(inner)

    @classmethod
    def load(
        cls, folder: Path, dim: int, params: VectorIndexParams | None = None, *, writable: bool
    ) -> VectorIndex:
        """Read an index folder; a writer keeps a flat index on disk (see the module docstring)."""
        if writable:
            file = FlatFile.open(folder / INDEX_FILE, dim)
            if file is not None:
                return cls(dim, params, writable=True, index=cls._empty_flat(dim), file=file)
        index = faiss.read_index(str(folder / INDEX_FILE))
        removed_path = folder / REMOVED_FILE
        removed = np.load(removed_path) if removed_path.exists() else None
        return cls(dim, params, writable=writable, index=index, removed=removed)

    @staticmethod
    def _empty_flat(dim: int) -> Any:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def save(self, folder: Path) -> None:
        """Write the index and its tombstones into a new folder (then ``saved_to`` it)."""
        folder.mkdir(parents=True)
        with self._lock:
            if self._streams():
                write_flat_file(folder / INDEX_FILE, self.dim, len(self), self._live_chunks())
            else:
                faiss.write_index(self._index, str(folder / INDEX_FILE))
            removed = np.fromiter(sorted(self._removed), dtype=np.int64, count=len(self._removed))
        np.save(folder / REMOVED_FILE, removed)

    def saved_to(self, folder: Path) -> None:
        """The index was saved into ``folder`` (renamed since): a flat writer drops its vectors
        from memory and goes on from that file."""
        with self._lock:
            if not self.writable or self.kind != FLAT:
                return
            file = FlatFile.open(folder / INDEX_FILE, self.dim)
            if file is None or file.count != len(self):
                return
            whole = self._whole if self._file is not None else None
            self._file = file
            self._file_removed = set()
            self._index = self._empty_flat(self.dim)
            self._whole = whole  # same vectors, same order: still valid for searching
            self._changed(keep_whole=True)

    def _streams(self) -> bool:
        """Whether this is a flat writer whose vectors live in a file (plus changes)."""
        return self._file is not None

    def _live_chunks(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ids, vectors) of every live vector in row order: the file's, then the added ones."""
        assert self._file is not None
        removed = np.fromiter(self._file_removed, dtype=np.int64, count=len(self._file_removed))
        for ids, vectors in self._file.chunks():
            if len(removed):
                keep = ~np.isin(ids, removed)
                ids, vectors = ids[keep], vectors[keep]
            yield ids, vectors
        added = int(self._index.ntotal)
        if added:
            ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
            yield ids, faiss.downcast_index(self._index.index).reconstruct_n(0, added)

    def _searchable(self) -> Any:
        """The faiss index to search: a streamed writer loads its vectors whole (once per change)."""
        if self._file is None:
            return self._index
        if self._whole is None:
            whole = self._empty_flat(self.dim)
            for ids, vectors in self._live_chunks():
                whole.add_with_ids(np.ascontiguousarray(vectors), np.ascontiguousarray(ids))
            self._whole = whole
        return self._whole

    # -- state ----------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self._kind

    def __len__(self) -> int:
        if self._file is not None:
            return self._file.count - len(self._file_removed) + int(self._index.ntotal)
        return int(self._index.ntotal) - len(self._removed)

    @property
    def removed_count(self) -> int:
        return len(self._removed)

    def live_ids(self) -> np.ndarray:
        """Sorted ids of the vectors that searches can return."""
        live = self._live
        if live is None:
            stored = faiss.vector_to_array(self._index.id_map).astype(np.int64)
            if self._file is not None:
                on_file = self._file.ids()
                if self._file_removed:
                    gone = np.fromiter(self._file_removed, dtype=np.int64)
                    on_file = on_file[~np.isin(on_file, gone)]
                stored = np.concatenate([on_file, stored])
            if self._removed:
                stored = stored[~np.isin(stored, np.fromiter(self._removed, dtype=np.int64))]
            live = np.sort(stored)
            self._live = live
        return live

    def contains(self, ids: np.ndarray) -> np.ndarray:
        """Boolean mask: which of ``ids`` are live."""
        live = self.live_ids()
        if len(live) == 0:
            return np.zeros(len(ids), dtype=bool)
        pos = np.minimum(np.searchsorted(live, ids), len(live) - 1)
        return live[pos] == ids

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of live ``ids`` (n, dim)."""
        if len(ids) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._maybe_lock():
            index = self._searchable()
            return index.reconstruct_batch(np.ascontiguousarray(ids, dtype=np.int64))

    def _changed(self, *, keep_whole: bool = False) -> None:
        self._live = None
        self._rows = None
        self._removed_selector = None
        if not keep_whole:
            self._whole = None

    # -- changes ----------------------------------------------------------------------

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors under new ids (an id must not be live already)."""
        self._require_writable()
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        if len(ids) != len(vectors):
            raise ValueError("ids and vectors differ in length")
        if len(ids) == 0:
            return
        with self._lock:
            faiss.omp_set_num_threads(_BUILD_THREADS)
            if self.kind == FLAT and len(self) + len(ids) > self.params.hnsw_min_vectors:
                live = self.live_ids()
                self._rebuild(
                    HNSW,
                    np.concatenate([live, ids]),
                    np.concatenate([self.vectors(live), vectors]),
                )
                return
            self._index.add_with_ids(vectors, ids)
            if self._whole is not None:  # a streamed writer's loaded index: keep it current
                self._whole.add_with_ids(vectors, ids)
            self._changed(keep_whole=True)

    def remove(self, ids: np.ndarray) -> None:
        """Remove ids (unknown ids are ignored)."""
        self._require_writable()
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return
        with self._lock:
            ids = ids[self.contains(ids)]
            if self._file is not None:
                in_file = np.isin(ids, self._file.ids())
                self._file_removed.update(int(i) for i in ids[in_file])
                self._index.remove_ids(faiss.IDSelectorBatch(ids[~in_file]))
            elif self.kind == FLAT:
                self._index.remove_ids(faiss.IDSelectorBatch(ids))
            else:
                self._removed.update(int(i) for i in ids)
            self._changed()

    def compact_if_needed(self) -> bool:
        """Rebuild an HNSW index whose tombstones passed the limit; True if it did."""
        self._require_writable()
        with self._lock:
            total = int(self._index.ntotal)
            limit = self.params.hnsw_max_removed_fraction * total
            if not self._removed or len(self._removed) <= limit:
                return False
            live = self.live_ids()
            kind = HNSW if len(live) > self.params.hnsw_min_vectors else FLAT
            faiss.omp_set_num_threads(_BUILD_THREADS)
            self._rebuild(kind, live, self.vectors(live))
            return True

    def _rebuild(self, kind: str, ids: np.ndarray, vectors: np.ndarray) -> None:
        log.info("building a %s vector index over %d vectors", kind, len(ids))
        index = self._new_index(kind)
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vectors), np.ascontiguousarray(ids))
        self._index = index
        self._kind = kind
        self._removed = set()
        self._file = None
        self._file_removed = set()
        self._changed()

    # -- search -------------------------------------------------------------------------

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest live ids (best first) and their inner products.

        ``allowed`` (sorted ids) restricts the result; it always holds
        ``min(k, allowed and live)`` hits.
        """
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, self.dim)
        if self.params.search_threads > 0:
            # OpenMP settings belong to the calling thread, so this holds for this search only.
            faiss.omp_set_num_threads(self.params.search_threads)
        with self._maybe_lock():
            if allowed is not None:
                allowed = allowed[self.contains(allowed)]
                k = min(k, len(allowed))
            else:
                k = min(k, len(self))
            if k <= 0:
                return _EMPTY_IDS, _EMPTY_SCORES
            if self.kind == FLAT:
                return self._search_flat(q, k, allowed)
            return self._search_hnsw(q, k, allowed)

    def _search_flat(
        self, q: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        index = self._searchable()
        if allowed is None:
            scores, ids = index.search(q, k)
        else:
            selector = faiss.IDSelectorBatch(allowed)
            scores, ids = index.search(q, k, params=faiss.SearchParameters(sel=selector))
        return _valid(ids[0], scores[0])

    def _search_hnsw(
        self, q: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        if allowed is not None and len(allowed) <= self.params.exact_max_vectors:
            return self._search_exact(q, k, allowed)
        params = faiss.SearchParametersHNSW()
        params.efSearch = max(self.params.hnsw_ef_search, k)
        keep: list[Any] = []  # the selectors must outlive the search
        if allowed is not None:
            keep.append(faiss.IDSelectorBatch(allowed))
            params.sel = keep[0]
        elif self._removed:
            params.sel = self._not_removed()
        scores, ids = self._index.search(q, k, params=params)
        found_ids, found_scores = _valid(ids[0], scores[0])
        if len(found_ids) < k:
            # The graph walk ran out of allowed nodes: answer exactly instead.
            candidates = allowed if allowed is not None else self.live_ids()
            return self._search_exact(q, k, candidates)
        return found_ids, found_scores

    def _search_exact(self, q: np.ndarray, k: int, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Brute force over the HNSW graph's own flat storage, restricted to ``candidates``."""
        storage = faiss.downcast_index(faiss.downcast_index(self._index.index).storage)
        batch = faiss.IDSelectorBatch(candidates)
        # Storage rows are positions; the translated selector maps each row to its id first.
        selector = faiss.IDSelectorTranslated(self._index.id_map, batch)
        scores, rows = storage.search(q, k, params=faiss.SearchParameters(sel=selector))
        keep = rows[0] >= 0
        ids = self._row_ids()[rows[0][keep]]
        return top_k(ids, scores[0][keep], k)

    def _row_ids(self) -> np.ndarray:
        """The id stored at each row of the index."""
        if self._rows is None:
            self._rows = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        return self._rows

    def _not_removed(self) -> Any:
        if self._removed_selector is None:
            removed = np.fromiter(sorted(self._removed), dtype=np.int64, count=len(self._removed))
            batch = faiss.IDSelectorBatch(removed)
            selector = faiss.IDSelectorNot(batch)
            selector.referenced_batch = batch  # keep the wrapped selector alive
            self._removed_selector = selector
        return self._removed_selector

    def scores(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Inner products of the query with the vectors of live ``ids``."""
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(self.dim)
        return (self.vectors(ids) @ q).astype(np.float32)

    def _maybe_lock(self) -> Any:
        return self._lock if self.writable else _NO_LOCK

    def _require_writable(self) -> None:
        if not self.writable:
            raise PermissionError("this vector index was opened read-only")


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_LOCK = _NoLock()


def _kind_of(index: Any) -> str:
    inner = faiss.downcast_index(faiss.downcast_index(index).index)
    return HNSW if isinstance(inner, faiss.IndexHNSW) else FLAT


def _valid(ids: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = ids >= 0
    return ids[keep].astype(np.int64), scores[keep].astype(np.float32)


__all__ = ["FLAT", "HNSW", "VectorIndex", "VectorIndexParams"]
