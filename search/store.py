"""The passage table: integer id <-> passage IRI, text, document fields and facets, in SQLite.

The writer keeps a working database that it changes in transactions. What readers
open is a snapshot of it (SQLite's online backup), written to a new file and
never changed afterwards, so a published generation can hard-link it safely.
Ids are AUTOINCREMENT: never reused, so a vector id always means one text.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.records import PassageRecord
from search.facets import passage_date

_SQL_CHUNK = 500
_MAX_IDLE_CONNECTIONS = 4
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS passage (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    iri TEXT NOT NULL UNIQUE,
    document_iri TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    heading_path TEXT NOT NULL,
    document_title TEXT NOT NULL,
    document_url TEXT NOT NULL,
    document_date TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    facets TEXT NOT NULL,
    date TEXT NOT NULL,
    context_hash TEXT NOT NULL,
    terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passage_document ON passage (document_iri);
"""
_COLUMNS = (
    "iri, document_iri, position, text, heading_path, document_title, document_url, "
    "document_date, start_char, end_char, facets, date, context_hash, terms"
)
_HIT_COLUMNS = (
    "id, iri, document_iri, position, text, heading_path, document_title, document_url, "
    "document_date, start_char, end_char, facets, date, context_hash"
)


@dataclass(frozen=True, slots=True)
class StoredPassage:
    """One row of the passage table, as a search hit needs it."""

    id: int
    iri: str
    document_iri: str
    position: int
    text: str
    heading_path: tuple[str, ...]
    document_title: str
    document_url: str
    document_date: str
    start_char: int
    end_char: int
    facets: dict[str, tuple[str, ...]]
    date: str
    context_hash: str


@dataclass(frozen=True, slots=True)
class IndexedPassage:
    """A passage from ingest with what search derived from it: its context hash and index terms."""

    record: PassageRecord
    context_hash: str
    terms: tuple[str, ...]

    def values(self) -> tuple[Any, ...]:
        r = self.record
        facets = {name: list(values) for name, values in sorted(r.facets.items())}
        return (
            r.iri,
            r.document_iri,
            r.position,
            r.text,
            json.dumps(list(r.heading_path), ensure_ascii=False),
            r.document_title,
            r.document_url,
            r.document_date,
            r.start_char,
            r.end_char,
            json.dumps(facets, ensure_ascii=False, sort_keys=True),
            passage_date(r.facets, r.document_date),
            self.context_hash,
            " ".join(self.terms),
        )


@dataclass(frozen=True, slots=True)
class DocumentChange:
    """What replacing or removing a document did to the table."""

    removed_ids: tuple[int, ...] = ()
    added: tuple[tuple[int, IndexedPassage], ...] = ()
    changed: bool = False


def _bump_revision(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('revision', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )


def _row_to_passage(row: Sequence[Any]) -> StoredPassage:
    facets = {name: tuple(values) for name, values in json.loads(row[11]).items()}
    return StoredPassage(
        id=row[0],
        iri=row[1],
        document_iri=row[2],
        position=row[3],
        text=row[4],
        heading_path=tuple(json.loads(row[5])),
        document_title=row[6],
        document_url=row[7],
        document_date=row[8],
        start_char=row[9],
        end_char=row[10],
        facets=facets,
        date=row[12],
        context_hash=row[13],
    )


class PassageStore:
    """The passage table; writable (the writer's working file) or a read-only snapshot."""

    def __init__(self, path: Path, *, writable: bool):
        self.path = Path(path)
        self.writable = writable
        self._lock = threading.RLock()
        self._idle: list[sqlite3.Connection] = []
        self._closed = False
        if writable:
            with self._connection() as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
        elif not self.path.exists():
            raise FileNotFoundError(self.path)

    @classmethod
    def open_writable(cls, path: Path) -> PassageStore:
        return cls(path, writable=True)

    @classmethod
    def open_snapshot(cls, path: Path) -> PassageStore:
        return cls(path, writable=False)

    def _new_connection(self) -> sqlite3.Connection:
        if self.writable:
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn
        # immutable: the snapshot never changes, so SQLite takes no locks at all.
        uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection borrowed for one operation.

        Connections are pooled, not kept per thread: a threaded server that starts a thread
        per request would otherwise open one connection per request and never close it.
        At most ``_MAX_IDLE_CONNECTIONS`` stay open between operations.
        """
        with self._lock:
            if self._closed:
                raise ValueError(f"{self.path} is closed")
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._new_connection()
        try:
            yield conn
        finally:
            with self._lock:
                if not self._closed and len(self._idle) < _MAX_IDLE_CONNECTIONS:
                    self._idle.append(conn)
                    conn = None
            if conn is not None:
                conn.close()

    def close(self) -> None:
        """Close the idle connections; ones still borrowed close when they come back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    @property
    def open_connections(self) -> int:
        """Idle pooled connections (for tests and the status page)."""
        with self._lock:
            return len(self._idle)

    # -- reading ------------------------------------------------------------

    def meta(self, key: str, default: str = "") -> str:
        with self._connection() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else str(row[0])

    def revision(self) -> int:
        """A number that grows with every committed change to the table."""
        return int(self.meta("revision", "0"))

    def counts(self) -> tuple[int, int]:
        """(passages, documents)."""
        with self._connection() as conn:
            row = conn.execute("SELECT COUNT(*), COUNT(DISTINCT document_iri) FROM passage").fetchone()
        return int(row[0]), int(row[1])

    def get(self, ids: Sequence[int]) -> dict[int, StoredPassage]:
        found: dict[int, StoredPassage] = {}
        unique = list(dict.fromkeys(int(i) for i in ids))
        with self._connection() as conn:
            for start in range(0, len(unique), _SQL_CHUNK):
                chunk = unique[start : start + _SQL_CHUNK]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT {_HIT_COLUMNS} FROM passage WHERE id IN ({marks})"
                for row in conn.execute(query, chunk):
                    found[row[0]] = _row_to_passage(row)
        return found

    def document_iris(self) -> list[str]:
        query = "SELECT DISTINCT document_iri FROM passage ORDER BY document_iri"
        with self._connection() as conn:
            return [str(row[0]) for row in conn.execute(query)]

    def document_passages(self, document_iri: str) -> list[StoredPassage]:
        query = f"SELECT {_HIT_COLUMNS} FROM passage WHERE document_iri = ? ORDER BY position"
        with self._connection() as conn:
            return [_row_to_passage(row) for row in conn.execute(query, (document_iri,))]

    def id_hashes(self) -> list[tuple[int, str]]:
        query = "SELECT id, context_hash FROM passage ORDER BY id"
        with self._connection() as conn:
            return [(int(i), str(h)) for i, h in conn.execute(query)]

    def id_documents(self) -> list[tuple[int, str]]:
        """(id, document IRI) of every passage, by id."""
        with self._connection() as conn:
            return [(int(i), str(d)) for i, d in conn.execute(
                "SELECT id, document_iri FROM passage ORDER BY id")]

    def iter_iri_texts(self) -> Iterator[tuple[str, str]]:
        """(passage IRI, text) for every passage, by id."""
        with self._connection() as conn:
            yield from conn.execute("SELECT iri, text FROM passage ORDER BY id")

    def iter_terms(self) -> Iterator[tuple[int, str]]:
        """(id, space-joined index terms) for every passage, by id."""
        with self._connection() as conn:
            yield from conn.execute("SELECT id, terms FROM passage ORDER BY id")

    def iter_contexts(self) -> Iterator[tuple[int, str, tuple[str, ...], str]]:
        """(id, document title, heading path, text) for every passage, by id."""
        query = "SELECT id, document_title, heading_path, text FROM passage ORDER BY id"
        with self._connection() as conn:
            for passage_id, title, headings, text in conn.execute(query):
                yield passage_id, title, tuple(json.loads(headings)), text

    def facet_rows(self) -> Iterator[tuple[int, dict[str, list[str]], str]]:
        with self._connection() as conn:
            for passage_id, facets, date in conn.execute("SELECT id, facets, date FROM passage ORDER BY id"):
                yield passage_id, json.loads(facets), date

    # -- writing (the writer's working file only) -------------------------------

    def set_meta(self, key: str, value: str) -> None:
        self._require_writable()
        with self._lock, self._connection() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def replace_document(self, document_iri: str, passages: Sequence[IndexedPassage]) -> DocumentChange:
        """Make the document's passages exactly ``passages``, in one transaction.

        A passage whose IRI and context hash are unchanged keeps its id (its metadata
        is updated in place); a changed or new one gets a fresh id.
        """
        self._require_writable()
        with self._lock, self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                change = self._replace_locked(conn, document_iri, passages)
                if change.changed:
                    _bump_revision(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return change

    def _replace_locked(
        self, conn: sqlite3.Connection, document_iri: str, passages: Sequence[IndexedPassage]
    ) -> DocumentChange:
        existing = {
            row[1]: row
            for row in conn.execute(
                f"SELECT id, {_COLUMNS} FROM passage WHERE document_iri = ?", (document_iri,)
            )
        }
        removed: list[int] = []
        added: list[tuple[int, IndexedPassage]] = []
        changed = False
        for passage in passages:
            values = passage.values()
            old = existing.pop(passage.record.iri, None)
            if old is not None and old[13] == passage.context_hash:
                if tuple(old[1:]) != values:
                    conn.execute(
                        "UPDATE passage SET ("
                        + _COLUMNS
                        + ") = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?",
                        (*values, old[0]),
                    )
                    changed = True
                continue
            # A changed text, or an IRI seen before under another document.
            for (old_id,) in conn.execute(
                "SELECT id FROM passage WHERE iri = ?", (passage.record.iri,)
            ).fetchall():
                conn.execute("DELETE FROM passage WHERE id = ?", (old_id,))
                removed.append(int(old_id))
            cursor = conn.execute(
                f"INSERT INTO passage ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            added.append((int(cursor.lastrowid or 0), passage))
            changed = True
        for row in existing.values():
            conn.execute("DELETE FROM passage WHERE id = ?", (row[0],))
            removed.append(int(row[0]))
            changed = True
        return DocumentChange(tuple(removed), tuple(added), changed)

    def remove_document(self, document_iri: str) -> DocumentChange:
        self._require_writable()
        with self._lock, self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                ids = [
                    int(row[0])
                    for row in conn.execute("SELECT id FROM passage WHERE document_iri = ?", (document_iri,))
                ]
                conn.execute("DELETE FROM passage WHERE document_iri = ?", (document_iri,))
                if ids:
                    _bump_revision(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return DocumentChange(removed_ids=tuple(ids), changed=bool(ids))

    def set_terms(self, rows: Sequence[tuple[int, str]]) -> None:
        """Replace the stored index terms (after an analyzer change)."""
        self._require_writable()
        with self._lock, self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("UPDATE passage SET terms = ? WHERE id = ?", [(t, i) for i, t in rows])
            _bump_revision(conn)
            conn.execute("COMMIT")

    def clear(self) -> None:
        """Delete every passage (ids keep counting up)."""
        self._require_writable()
        with self._lock, self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM passage")
            _bump_revision(conn)
            conn.execute("COMMIT")

    def snapshot_to(self, target: Path) -> None:
        """Copy the whole table into a new, self-contained file (no WAL) at ``target``."""
        with self._lock:
            dest = sqlite3.connect(target, isolation_level=None)
            try:
                with self._connection() as conn:
                    conn.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()

    def _require_writable(self) -> None:
        if not self.writable:
            raise PermissionError(f"{self.path} is a read-only snapshot")


__all__ = ["DocumentChange", "IndexedPassage", "PassageStore", "StoredPassage"]
