"""SearchIndex: the writer that ingest feeds (a PassageSink) and the reader the web app searches.

An index folder holds immutable, versioned data files and a manifest.json that
names them; the manifest is written last, so it is the commit point:

    manifest.json            which files make up the index, the model, counts
    passages-000007.sqlite   the passage table (a snapshot, never changed)
    vectors-000005/          faiss index + HNSW tombstones
    lexical-000007/          BM25 arrays + row ids
    work.sqlite              writer only: the live passage table
    embed_cache.sqlite       writer only: vectors by text hash
    writer.lock              writer only: one writer per folder

A flush writes new files only for the parts that changed, so a published
generation (``publish_to``: hard links + manifest) shares unchanged files with
the ones before it. Readers open a generation folder and never see a later write.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kg.records import PassageRecord
from search.analysis import ANALYZER_NAME, analyze, query_terms
from search.context import passage_context
from search.embed_cache import EmbeddingCache, embed_with_cache, text_hash
from search.embeddings import Embedder, cache_key_of
from search.entities import EntityLinker
from search.errors import BadSearchRequest, IndexFormatError, IndexModelMismatch
from search.facets import FacetIndex, SearchFilters
from search.files import (
    TMP_PREFIX,
    link_or_copy,
    remove_data_files,
    remove_path,
    take_writer_lock,
    write_atomic,
)
from search.hits import SearchHit
from search.hubness import HubParams, HubScores, compute_hub_scores, document_codes
from search.lexical_index import LexicalIndex
from search.manifest import MANIFEST_FILE, Manifest, check_model, read_manifest
from search.options import SearchOptions
from search.query_vectors import QueryVectors
from search.ranking import MODES, RankingParts, assemble_hits, rank_passages
from search.store import DocumentChange, IndexedPassage, PassageStore, StoredPassage
from search.vector_index import VectorIndex

log = logging.getLogger(__name__)

WORK_DB = "work.sqlite"
CACHE_DB = "embed_cache.sqlite"
LOCK_FILE = "writer.lock"
_DATA_PREFIXES = ("passages-", "vectors-", "lexical-", TMP_PREFIX)


class SearchIndex:
    """Hybrid (vector + BM25) passage search over one index folder.

    Build one with ``open_writer`` (ingest, reindex) or ``open`` (read-only, for
    serving a published generation). Both can search; only a writer can change.
    """

    def __init__(
        self,
        *,
        folder: Path,
        embedder: Embedder,
        options: SearchOptions,
        store: PassageStore,
        vectors: VectorIndex,
        lexical: LexicalIndex | None,
        facets: FacetIndex | None,
        manifest: Manifest | None,
        cache: EmbeddingCache | None = None,
        lock_fd: int | None = None,
        entities: EntityLinker | None = None,
        hubs: HubScores | None = None,
        query_vectors: QueryVectors | None = None,
    ):
        self.folder = folder
        self.entities = entities
        self.embedder = embedder
        self.options = options
        self.writable = store.writable
        self._store = store
        self._vectors = vectors
        self._lexical = lexical
        self._facets = facets
        self._manifest = manifest
        self._cache = cache
        self._lock_fd = lock_fd
        self._lock = threading.RLock()
        self._query_vectors = (query_vectors if query_vectors is not None
                               else QueryVectors(options.query_cache_entries))
        self._model_key = cache_key_of(embedder)
        # Hub scores by parameters: the stored ones, and any computed for other options
        # (shared with with_options copies of a reader; a writer clears it on every change).
        self._hubs: dict[HubParams, HubScores] = {} if hubs is None else {hubs.params: hubs}
        self._hubs_lock = threading.Lock()
        # Writer state: vector changes not yet in the faiss index, and what a flush must write.
        self._pending_add: dict[int, np.ndarray] = {}
        self._pending_remove: set[int] = set()
        self._store_dirty = False
        self._vectors_dirty = False

    # -- opening ------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        folder: Path,
        embedder: Embedder,
        options: SearchOptions | None = None,
        *,
        entities: EntityLinker | None = None,
        query_vectors: QueryVectors | None = None,
    ) -> SearchIndex:
        """Open an index folder (normally a published generation) read-only.

        ``entities`` links names in queries to the graph (deals to boost, concepts to
        expand); without it search uses the text alone. ``query_vectors`` is a cache of
        query embeddings to share with the indexes of other generations (a server keeps one
        for its life); without it the index has its own. Raises IndexNotFound,
        IndexFormatError, or IndexModelMismatch when the index was built with another
        model than ``embedder``.
        """
        folder = Path(folder)
        options = options or SearchOptions()
        manifest = read_manifest(folder)
        check_model(
            manifest,
            folder,
            model=embedder.name,
            embedding_key=cache_key_of(embedder),
            dim=embedder.dim,
            analyzer=ANALYZER_NAME,
        )
        try:
            store = PassageStore.open_snapshot(folder / manifest.files["passages"])
            vectors = VectorIndex.load(
                folder / manifest.files["vectors"],
                manifest.dim,
                options.vector_params(),
                writable=False,
            )
            lexical = LexicalIndex.load(folder / manifest.files["lexical"])
            facets = FacetIndex(store.facet_rows())
            hubs = HubScores.load(folder / manifest.files["vectors"])
        except (OSError, RuntimeError, ValueError, sqlite3.DatabaseError) as exc:
            raise IndexFormatError(f"cannot read the search index in {folder}: {exc}") from exc
        if not (len(vectors) == len(lexical) == len(facets) == manifest.passages):
            raise IndexFormatError(
                f"the search index in {folder} is inconsistent ({manifest.passages} passages, "
                f"{len(vectors)} vectors, {len(lexical)} keyword rows); run `impactkg reindex`"
            )
        return cls(
            folder=folder,
            embedder=embedder,
            options=options,
            store=store,
            vectors=vectors,
            lexical=lexical,
            facets=facets,
            manifest=manifest,
            entities=entities,
            hubs=hubs,
            query_vectors=query_vectors,
        )

    @classmethod
    def open_writer(
        cls,
        folder: Path,
        embedder: Embedder,
        options: SearchOptions | None = None,
        *,
        reembed: bool = False,
    ) -> SearchIndex:
        """Open (or create) an index folder for writing; one writer per folder.

        An index built with another model raises IndexModelMismatch, unless
        ``reembed`` is set: then every stored passage is embedded again with
        ``embedder`` (texts embedded before with it come from the cache).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        options = options or SearchOptions()
        lock_fd = take_writer_lock(folder / LOCK_FILE)
        try:
            return cls._open_writer_locked(folder, embedder, options, lock_fd, reembed)
        except BaseException:
            os.close(lock_fd)
            raise

    @classmethod
    def _open_writer_locked(
        cls,
        folder: Path,
        embedder: Embedder,
        options: SearchOptions,
        lock_fd: int,
        reembed: bool,
    ) -> SearchIndex:
        manifest = read_manifest(folder) if (folder / MANIFEST_FILE).exists() else None
        remove_data_files(folder, _DATA_PREFIXES, set(manifest.files.values()) if manifest else set())
        store = PassageStore.open_writable(folder / WORK_DB)
        built_with = store.meta("model") or (manifest.model if manifest else "")
        built_key = store.meta("embedding_key") or (manifest.embedding_key if manifest else "")
        key = cache_key_of(embedder)
        same_model = not built_with or (built_with == embedder.name and built_key == key)
        if not same_model and not reembed:
            store.close()
            raise IndexModelMismatch(
                f"the search index in {folder} was built with embedding model {built_with!r}, "
                f"but the configured model is {embedder.name!r}; run `impactkg reindex` to "
                "rebuild it with the configured model"
            )
        params = options.vector_params()
        if same_model and manifest is not None and manifest.dim == embedder.dim:
            vectors = VectorIndex.load(
                folder / manifest.files["vectors"], embedder.dim, params, writable=True
            )
        else:
            vectors = VectorIndex(embedder.dim, params, writable=True)
        store.set_meta("model", embedder.name)
        store.set_meta("embedding_key", key)
        store.set_meta("dim", str(embedder.dim))
        index = cls(
            folder=folder,
            embedder=embedder,
            options=options,
            store=store,
            vectors=vectors,
            lexical=None,
            facets=None,
            manifest=manifest,
            cache=EmbeddingCache(folder / CACHE_DB),
            lock_fd=lock_fd,
        )
        if manifest is not None and manifest.model != embedder.name:
            index._vectors_dirty = True
        # Changes committed to the table after the last flush (the writer stopped before it).
        index._store_dirty = manifest is not None and manifest.store_revision != store.revision()
        index._migrate_analyzer()
        index._reconcile_vectors()
        return index

    def close(self) -> None:
        """Release files and the writer lock (pending changes that were not flushed are lost)."""
        self._store.close()
        if self._cache is not None:
            self._cache.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def with_options(self, options: SearchOptions) -> SearchIndex:
        """A reader sharing this one's files and memory, with other search options."""
        if self.writable:
            raise PermissionError("with_options is for readers; open the writer with the options")
        other = copy.copy(self)
        other.options = options
        return other

    def with_entities(self, entities: EntityLinker | None) -> SearchIndex:
        """A reader sharing this one's files and memory, with another label table (or none)."""
        other = self.with_options(self.options)
        other.entities = entities
        return other

    def with_hub_scores(self, hubs: HubScores) -> SearchIndex:
        """A reader sharing this one's files and memory, demoting by other hub scores (for
        measuring other definitions of r_p, bench/sweep_retrieval.py --hub-variants)."""
        other = self.with_options(self.options)
        other._hubs = {self.options.hub_params(): hubs}
        other._hubs_lock = threading.Lock()
        return other

    def hub_inputs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(live passage ids, their vectors, their document codes): what hub scores are made of."""
        with self._reading() as (_, vectors, _, _):
            ids = vectors.live_ids()
            return ids, vectors.vectors(ids), document_codes(self._store.id_documents(), ids)

    # -- the writer: PassageSink --------------------------------------------------------

    def replace_document(self, document_iri: str, passages: Sequence[PassageRecord]) -> None:
        """Make the index hold exactly these passages for the document (none: remove it).

        Only new or changed text is embedded, and text seen before (by hash)
        comes from the embedding cache. Takes effect for searches at once and on
        disk at the next flush.
        """
        self._require_writable()
        seen: set[str] = set()
        for record in passages:
            if record.document_iri != document_iri:
                raise ValueError(f"passage {record.iri} belongs to {record.document_iri}")
            if record.iri in seen:
                raise ValueError(f"passage {record.iri} given twice")
            seen.add(record.iri)
        contexts = [passage_context(r.document_title, r.heading_path, r.text) for r in passages]
        indexed = [
            IndexedPassage(record, text_hash(context), tuple(analyze(context)))
            for record, context in zip(passages, contexts, strict=True)
        ]
        with self._lock:
            known = {p.iri: p.context_hash for p in self._store.document_passages(document_iri)}
            to_embed = {
                item.context_hash: context
                for item, context in zip(indexed, contexts, strict=True)
                if known.get(item.record.iri) != item.context_hash
            }
            vectors, _ = embed_with_cache(self.embedder, self._cache, list(to_embed.values()))
            by_hash = dict(zip(to_embed, vectors, strict=True))
            change = self._store.replace_document(document_iri, indexed)
            self._apply_change(change, by_hash)

    def remove_document(self, document_iri: str) -> None:
        """Remove a document's passages from both indexes."""
        self._require_writable()
        with self._lock:
            self._apply_change(self._store.remove_document(document_iri), {})

    def flush(self) -> None:
        """Write what changed since the last flush as new files, then the manifest."""
        self._require_writable()
        with self._lock:
            self._apply_pending()
            if self._vectors_dirty and self._vectors.compact_if_needed():
                log.info("rebuilt the vector index without its removed vectors")
            if self._manifest is not None and not (self._store_dirty or self._vectors_dirty):
                return
            previous = self._manifest
            version = (previous.version if previous else 0) + 1
            files = dict(previous.files) if previous else {}
            if self._store_dirty or previous is None:
                name = f"passages-{version:06d}.sqlite"
                write_atomic(self.folder / name, self._store.snapshot_to)
                files["passages"] = name
                name = f"lexical-{version:06d}"
                write_atomic(self.folder / name, self._write_lexical)
                files["lexical"] = name
            if self._vectors_dirty or previous is None:
                name = f"vectors-{version:06d}"
                write_atomic(self.folder / name, self._save_vectors)
                self._vectors.saved_to(self.folder / name)
                files["vectors"] = name
            passages, documents = self._store.counts()
            manifest = Manifest(
                engine=self.embedder.name.split(":", 1)[0],
                model=self.embedder.name,
                embedding_key=cache_key_of(self.embedder),
                dim=self.embedder.dim,
                analyzer=ANALYZER_NAME,
                version=version,
                passages=passages,
                documents=documents,
                vectors=len(self._vectors),
                vector_index=self._vectors.kind,
                files=files,
                store_revision=self._store.revision(),
            )
            manifest.write(self.folder)
            self._manifest = manifest
            self._store_dirty = self._vectors_dirty = False
            keep = set(files.values()) | (set(previous.files.values()) if previous else set())
            remove_data_files(self.folder, _DATA_PREFIXES, keep)
            log.info("search index version %d: %d passages, %d documents", version, passages, documents)

    def publish_to(self, folder: Path) -> None:
        """Flush, then hard-link the index files into a new generation folder (manifest last).

        The folder may exist but must not hold an index yet. Across file systems
        the files are copied instead.
        """
        self._require_writable()
        target = Path(folder)
        if (target / MANIFEST_FILE).exists():
            raise FileExistsError(f"{target} already holds a search index")
        with self._lock:
            self.flush()
            manifest = self._manifest
            assert manifest is not None
            target.mkdir(parents=True, exist_ok=True)
            for name in manifest.files.values():
                remove_path(target / name)
                link_or_copy(self.folder / name, target / name)
            manifest.write(target)

    # -- searching ------------------------------------------------------------------------

    def search(
        self,
        query: str,
        mode: str = "hybrid",
        filters: SearchFilters | None = None,
        k: int = 10,
        highlight: bool = True,
    ) -> list[SearchHit]:
        """The k best passages for a query, best first, among those the filters allow.

        ``mode``: "hybrid" fuses "semantic" (vectors) and "keyword" (BM25) with
        weighted reciprocal rank fusion. Filters apply before the top-k cut, so a
        filter never hides a passage that would otherwise fit in the k.
        ``highlight=False`` skips marking the query's words (a caller that shows only
        some of many hits marks those itself, with ``highlight_html``).
        """
        if mode not in MODES:
            raise BadSearchRequest(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= self.options.max_results:
            raise BadSearchRequest(f"k must be a whole number from 1 to {self.options.max_results}")
        query = query.strip()
        if not query:
            return []
        linked = self.entities.link(query) if self.entities is not None else []
        with self._reading() as (store, vectors, lexical, facets):
            allowed = facets.allowed_ids(filters)
            if allowed is not None and len(allowed) == 0:
                return []
            ranked = rank_passages(
                query, mode, k, self.options, RankingParts(
                    vectors, lexical, facets, self.entities, linked, allowed, self.embed_query,
                    lambda: self._current_hubs(vectors)))
            ids = np.asarray([item for item, _ in ranked.fused], dtype=np.int64)
            keyword_values = (ranked.keyword_scores.of(ids)
                              if ranked.keyword_scores is not None else None)
            vector_values = (vectors.scores(ranked.query_vector, ids)
                             if ranked.query_vector is not None else None)
            rows = store.get(ids.tolist())
        return assemble_hits(ranked, rows, keyword_values, vector_values, query, highlight)

    def embed_query(self, query: str) -> np.ndarray:
        """The query's vector, from the in-memory cache when it was asked before."""
        cached = self._query_vectors.get(self._model_key, query)
        if cached is not None:
            return cached
        vector = np.ascontiguousarray(self.embedder.embed_query(query), dtype=np.float32)
        vector.flags.writeable = False
        self._query_vectors.put(self._model_key, query, vector)
        return vector

    def term_idfs(self, text: str) -> dict[str, float]:
        """The keyword index's idf of each distinct analysed term of a text (read-only).

        Lets a caller weigh words the way keyword search does, for example to measure how
        much of a question a sentence covers. A term no passage holds gets the highest idf.
        """
        terms = query_terms(text)
        with self._reading() as (_, _, lexical, _):
            return lexical.idfs(terms)

    def facet_values(self, facet: str) -> dict[str, int]:
        """Each value of a facet (deal, doc_type, stage, phase, site) with its passage count."""
        with self._reading() as (_, _, _, facets):
            return facets.values(facet)

    def document_iris(self) -> list[str]:
        """The documents that have passages in the index, sorted."""
        with self._reading() as (store, _, _, _):
            return store.document_iris()

    def passage_texts(self) -> Iterator[tuple[str, str]]:
        """(passage IRI, text) of every indexed passage."""
        return self._store.iter_iri_texts()

    def document_passages(self, document_iri: str) -> list[StoredPassage]:
        """The stored passages of one document, by position."""
        return self._store.document_passages(document_iri)

    def stats(self) -> dict[str, Any]:
        """Counts and build facts, for the CLI and the status page."""
        with self._reading() as (store, vectors, _, _):
            passages, documents = store.counts()
            return {
                "folder": str(self.folder),
                "writable": self.writable,
                "model": self.embedder.name,
                "dim": self.embedder.dim,
                "passages": passages,
                "documents": documents,
                "vectors": len(vectors),
                "vector_index": vectors.kind,
                "removed_vectors": vectors.removed_count,
                "version": self._manifest.version if self._manifest else 0,
            }

    # -- internals --------------------------------------------------------------------------

    def _save_vectors(self, folder: Path) -> None:
        """The faiss index, and the hub scores when hub demotion is on (search/hubness.py)."""
        self._vectors.save(folder)
        if self.options.hub_weight > 0:
            self._current_hubs(self._vectors).save(folder)

    def _current_hubs(self, vectors: VectorIndex) -> HubScores:
        """Hub scores for the options' parameters: stored, or computed once from the vectors."""
        params = self.options.hub_params()
        with self._hubs_lock:
            hubs = self._hubs.get(params)
            if hubs is None:
                ids = vectors.live_ids()
                codes = document_codes(self._store.id_documents(), ids)
                hubs = compute_hub_scores(ids, codes, vectors.vectors, params)
                self._hubs[params] = hubs
            return hubs

    @contextlib.contextmanager
    def _reading(self) -> Iterator[tuple[PassageStore, VectorIndex, LexicalIndex, FacetIndex]]:
        """The components to search; a writer first brings them up to date and holds its lock."""
        if not self.writable:
            assert self._lexical is not None and self._facets is not None
            yield self._store, self._vectors, self._lexical, self._facets
            return
        with self._lock:
            self._apply_pending()
            yield self._store, self._vectors, self._current_lexical(), self._current_facets()

    def _write_lexical(self, folder: Path) -> None:
        """The keyword index of the stored terms, written in chunks (never whole in memory)."""
        rows = ((i, terms.split()) for i, terms in self._store.iter_terms())
        LexicalIndex.write(rows, folder)

    def _current_lexical(self) -> LexicalIndex:
        if self._lexical is None:
            rows = ((i, terms.split()) for i, terms in self._store.iter_terms())
            self._lexical = LexicalIndex.build(rows)
        return self._lexical

    def _current_facets(self) -> FacetIndex:
        if self._facets is None:
            self._facets = FacetIndex(self._store.facet_rows())
        return self._facets

    def _apply_change(self, change: DocumentChange, by_hash: dict[str, np.ndarray]) -> None:
        for passage_id in change.removed_ids:
            if self._pending_add.pop(passage_id, None) is None:
                self._pending_remove.add(passage_id)
        for passage_id, item in change.added:
            self._pending_add[passage_id] = by_hash[item.context_hash]
        if change.changed:
            self._store_dirty = True
            self._lexical = None
            self._facets = None
        if len(self._pending_add) >= self.options.pending_max_vectors:
            self._apply_pending()

    def _apply_pending(self) -> None:
        if self._pending_remove or self._pending_add:
            self._hubs.clear()
        if self._pending_remove:
            self._vectors.remove(np.fromiter(self._pending_remove, dtype=np.int64))
            self._pending_remove.clear()
            self._vectors_dirty = True
        if self._pending_add:
            ids = np.fromiter(self._pending_add, dtype=np.int64, count=len(self._pending_add))
            self._vectors.add(ids, np.stack(list(self._pending_add.values())))
            self._pending_add.clear()
            self._vectors_dirty = True

    def _reconcile_vectors(self) -> None:
        """Make the vector index hold exactly the stored passages (after a crash or a new model)."""
        stored = self._store.id_hashes()
        ids = np.asarray([i for i, _ in stored], dtype=np.int64)
        live = self._vectors.live_ids()
        extra = np.setdiff1d(live, ids, assume_unique=True)
        missing = np.setdiff1d(ids, live, assume_unique=True)
        if len(extra):
            self._vectors.remove(extra)
            self._vectors_dirty = True
        if len(missing):
            log.info("embedding %d passages missing from the vector index", len(missing))
            rows = self._store.get(missing.tolist())
            contexts = [
                passage_context(rows[i].document_title, rows[i].heading_path, rows[i].text)
                for i in missing.tolist()
            ]
            vectors, _ = embed_with_cache(self.embedder, self._cache, contexts)
            self._vectors.add(missing, vectors)
            self._vectors_dirty = True

    def _migrate_analyzer(self) -> None:
        """Re-analyse stored passages if they were indexed with another analyzer."""
        if self._store.meta("analyzer") == ANALYZER_NAME:
            return
        rows = [
            (passage_id, " ".join(analyze(passage_context(title, headings, text))))
            for passage_id, title, headings, text in self._store.iter_contexts()
        ]
        if rows:
            self._store.set_terms(rows)
            self._store_dirty = True
        self._store.set_meta("analyzer", ANALYZER_NAME)

    def _require_writable(self) -> None:
        if not self.writable:
            raise PermissionError(
                f"the search index in {self.folder} was opened read-only (SearchIndex.open)"
            )


__all__ = ["SearchIndex"]
