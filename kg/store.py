"""The primary graph store: an embedded Oxigraph database, opened read-write by one process.

Writes go through a :class:`Batch` that is committed as one SPARQL update, which Oxigraph
applies in a single transaction: a failure leaves the store as it was.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.backend import SingleWrites
from kg.errors import StoreBusyError
from kg.query import QueryDataset, QueryResult, Term, run_query
from kg.terms import Triple, to_ox

log = logging.getLogger(__name__)

STORE_FOLDER = "store"
WRITER_LOCK_FILE = "writer.lock"


class Batch:
    """Graph replacements and removals collected in memory and applied together."""

    def __init__(self) -> None:
        self._operations: list[str] = []
        self.triples_written = 0

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> None:
        """Make ``graph_iri`` hold exactly ``triples`` once the batch commits."""
        lines = [_ntriple(s, p, o) for s, p, o in triples]
        self.triples_written += len(lines)
        graph = ox.NamedNode(graph_iri)
        self._operations.append(f"DROP SILENT GRAPH {graph}")
        if lines:
            body = " .\n".join(lines)
            self._operations.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body} }} }}")

    def drop_graph(self, graph_iri: str) -> None:
        self._operations.append(f"DROP SILENT GRAPH {ox.NamedNode(graph_iri)}")

    def update_text(self) -> str:
        return " ;\n".join(self._operations)

    def __bool__(self) -> bool:
        return bool(self._operations)


def _ntriple(s: object, p: object, o: object) -> str:
    return f"{to_ox(s)} {to_ox(p)} {to_ox(o)}"  # type: ignore[arg-type]


class GraphStore(SingleWrites):
    """The writer's store under ``data_dir/store``.

    Only one process may open it: a second one gets :class:`StoreBusyError` with a
    one-line message instead of Oxigraph's lock error.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self._lock_file = take_writer_lock(data_dir)
        try:
            self._store = ox.Store(str(data_dir / STORE_FOLDER))
        except OSError as error:
            self._release_lock()
            raise StoreBusyError(f"cannot open the graph store in {data_dir}: {error}") from error

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying store, for the generation publisher and bulk readers."""
        return self._store

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Collect writes; they are applied atomically when the block ends without error.

        The store's write buffers are flushed to disk after each batch: RocksDB would otherwise
        keep up to its buffer size per index in memory (ingest's memory grew by about 0.3 MB
        a document, see docs/RELIABILITY.md#memory).
        """
        pending = Batch()
        yield pending
        if pending:
            self._store.update(pending.update_text())
            self._store.flush()

    def graph_iris(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, graph_iri: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph_iri))

    def query(
        self, sparql: str, *, max_rows: int | None = None,
        substitutions: dict[str, Term] | None = None, dataset: QueryDataset | None = None,
    ) -> QueryResult:
        return run_query(self._store, sparql, max_rows=max_rows, substitutions=substitutions,
                         dataset=dataset)

    def quad_count(self) -> int:
        return len(self._store)

    def backup(self, target: Path) -> None:
        """A consistent checkpoint (hard links where the file system allows) in ``target``."""
        self._store.flush()
        self._store.backup(str(target))

    def checkpoint(self, target: Path) -> bool:
        """Write the read-only copy of the graph a generation carries (see kg.backend)."""
        self.backup(target)
        return True

    def close(self) -> None:
        if self._store is not None:
            self._store.flush()
            del self._store
            self._store = None  # type: ignore[assignment]
        self._release_lock()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _release_lock(self) -> None:
        if self._lock_file is not None:
            release_writer_lock(self._lock_file)
            self._lock_file = None


def release_writer_lock(lock_file: IO[str]) -> None:
    fcntl.flock(lock_file, fcntl.LOCK_UN)
    lock_file.close()


def take_writer_lock(data_dir: Path) -> IO[str]:
    """The flock that makes one process the writer of ``data_dir`` (StoreBusyError if taken)."""
    lock_file = open(data_dir / WRITER_LOCK_FILE, "a+")  # noqa: SIM115 - held for the store's life
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock_file.seek(0)
        holder = lock_file.read().strip() or "another process"
        lock_file.close()
        raise StoreBusyError(
            f"{data_dir} is being written by {holder}; wait until it has finished"
        ) from None
    lock_file.seek(0)
    lock_file.truncate()
    lock_file.write(f"impactkg process {os.getpid()}")
    lock_file.flush()
    return lock_file
