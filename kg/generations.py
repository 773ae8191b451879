"""Published read-only generations of the data directory (one writer, many readers).

Layout::

    DATA/store/                  primary store, writer only
    DATA/generations/g000007/    graph/ (store checkpoint), search/ (index files), manifest.json
    DATA/current                 the id of the newest complete generation

A generation is built in a temporary folder, renamed into place, then ``current`` is
replaced atomically, so a reader only ever sees complete generations. Readers hold a shared
lock on the generation's ``readers.lock`` while they use it; garbage collection removes old
generations whose lock it can take exclusively.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TypeVar

import pyoxigraph as ox

from kg.backend import PublishingWriter, QueryableGraph
from kg.errors import KgError, NoDataError
from kg.query import QueryDataset, QueryResult, StoreGraph, Term

log = logging.getLogger(__name__)

GENERATIONS_FOLDER = "generations"
CURRENT_FILE = "current"
MANIFEST_FILE = "manifest.json"
READERS_LOCK = "readers.lock"
GRAPH_FOLDER = "graph"

_OPEN_ATTEMPTS = 5

_T = TypeVar("_T")

GenerationWriter = Callable[[Path], None]
"""Writes extra files (for example the search indexes) into a generation folder being built."""


@dataclass(frozen=True, slots=True)
class Generation:
    id: str
    path: Path
    manifest: dict

    @property
    def graph_path(self) -> Path:
        return self.path / GRAPH_FOLDER

    @property
    def has_graph_copy(self) -> bool:
        """False when the graph lives in a remote store: the generation holds the indexes only."""
        return self.manifest.get("graph_store", "embedded") == "embedded"


def generations_dir(data_dir: Path) -> Path:
    return data_dir / GENERATIONS_FOLDER


def current_generation(data_dir: Path) -> Generation:
    """The newest complete generation, or :class:`NoDataError` when there is none."""
    for _ in range(_OPEN_ATTEMPTS):
        generation = _read_current(data_dir)
        if generation is not None:
            return generation
    raise NoDataError(f"could not read the current generation in {data_dir}: it kept changing")


def _read_current(data_dir: Path) -> Generation | None:
    """The generation ``current`` names; None when it was collected while we read it.

    :class:`DamagedGeneration` when its manifest is unreadable.
    """
    pointer = data_dir / CURRENT_FILE
    try:
        gen_id = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise NoDataError(f"no data in {data_dir} yet: run `impactkg init` first") from None
    return _read_generation(data_dir, gen_id)


def _read_generation(data_dir: Path, gen_id: str) -> Generation | None:
    path = generations_dir(data_dir) / gen_id
    try:
        manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise DamagedGeneration(gen_id, f"unreadable {MANIFEST_FILE}: {error}") from None
    if not isinstance(manifest, dict):
        raise DamagedGeneration(gen_id, f"{MANIFEST_FILE} holds no object")
    return Generation(gen_id, path, manifest)


class DamagedGeneration(KgError):
    """A generation whose files cannot be read; readers fall back to the one before it."""

    def __init__(self, gen_id: str, reason: str) -> None:
        super().__init__(f"generation {gen_id} is damaged: {reason}")
        self.gen_id = gen_id
        self.reason = reason


def current_generation_id(data_dir: Path) -> str | None:
    """The id ``current`` names (a cheap read, for checking whether a newer one exists)."""
    try:
        return (data_dir / CURRENT_FILE).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def lock_current_generation(data_dir: Path) -> tuple[Generation, IO[str]]:
    """The current generation with a shared reader lock already held on it.

    The lock is taken before the generation is trusted: garbage collection removes a
    generation only under an exclusive lock, so once the shared lock is held and the
    manifest is still there, the folder stays until the lock is released. A generation
    collected between reading ``current`` and locking is retried with the newer one.
    """
    for _ in range(_OPEN_ATTEMPTS):
        try:
            generation = _read_current(data_dir)
        except DamagedGeneration as damaged:
            return _fall_back(data_dir, damaged)
        if generation is None:
            continue
        locked = _lock(generation)
        if locked is not None:
            return generation, locked
    gen_id = current_generation_id(data_dir) or ""
    if gen_id and not (generations_dir(data_dir) / gen_id).is_dir():  # not a race: it is gone
        return _fall_back(data_dir, DamagedGeneration(gen_id, "its folder is missing"))
    raise NoDataError(f"could not open the current generation in {data_dir}: it kept changing")


def _lock(generation: Generation) -> IO[str] | None:
    """A shared reader lock on the generation; None when it was collected first."""
    try:
        lock = open(generation.path / READERS_LOCK)  # noqa: SIM115 - returned to the caller
    except FileNotFoundError:
        return None  # collected before we could lock it; ``current`` has moved on
    fcntl.flock(lock, fcntl.LOCK_SH)
    if (generation.path / MANIFEST_FILE).is_file():
        return lock
    release_lock(lock)
    return None


def lock_generation_before(data_dir: Path, gen_id: str) -> tuple[Generation, IO[str]]:
    """The newest readable generation older than ``gen_id``, locked; NoDataError when none is."""
    older = sorted((p.name for p in generations_dir(data_dir).glob("g*")
                    if p.name[1:].isdigit() and p.name < gen_id), reverse=True)
    for older_id in older:
        try:
            generation = _read_generation(data_dir, older_id)
        except DamagedGeneration as damaged:
            log.warning("%s; trying the one before it", damaged)
            continue
        lock = _lock(generation) if generation is not None else None
        if generation is not None and lock is not None:
            return generation, lock
    raise NoDataError(f"no readable generation in {data_dir} before {gen_id}: "
                      "run `impactkg reindex` or ingest again to publish a new one")


def _fall_back(data_dir: Path, damaged: DamagedGeneration) -> tuple[Generation, IO[str]]:
    generation, lock = lock_generation_before(data_dir, damaged.gen_id)
    log.warning("%s; serving generation %s, the one before it", damaged, generation.id)
    return generation, lock


def open_newest_usable(
    data_dir: Path, open_graph: Callable[[Generation], _T]
) -> tuple[Generation, IO[str], _T]:
    """The newest generation whose graph opens (``open_graph``), locked, with what it opened.

    A generation whose store files are damaged (RocksDB reports corruption, a file or folder
    is missing) is skipped with a warning for the one before it.
    """
    generation, lock = lock_current_generation(data_dir)
    while True:
        try:
            return generation, lock, open_graph(generation)
        except (OSError, RuntimeError) as error:
            release_lock(lock)
            damaged = DamagedGeneration(generation.id, f"its graph does not open: {error}")
            generation, lock = _fall_back(data_dir, damaged)
        except BaseException:
            release_lock(lock)
            raise


def open_locked(graph_path: Path) -> tuple[ox.Store, IO[str]]:
    """The read-only graph store of one generation, with a shared reader lock held on it.

    For a process that reads a generation it was told about (a query worker): the lock
    keeps garbage collection away until :func:`release_lock`. :class:`NoDataError` when the
    generation was collected before it could be locked.
    """
    folder = graph_path.parent
    try:
        lock = open(folder / READERS_LOCK)  # noqa: SIM115 - returned to the caller
    except FileNotFoundError:
        raise NoDataError(f"generation {folder.name} is gone; a newer one replaced it") from None
    fcntl.flock(lock, fcntl.LOCK_SH)
    try:
        if not (folder / MANIFEST_FILE).is_file():
            raise NoDataError(f"generation {folder.name} is gone; a newer one replaced it")
        return ox.Store.read_only(str(graph_path)), lock
    except BaseException:
        release_lock(lock)
        raise


def release_lock(lock: IO[str]) -> None:
    fcntl.flock(lock, fcntl.LOCK_UN)
    lock.close()


def _next_id(data_dir: Path) -> str:
    existing = [p.name for p in generations_dir(data_dir).glob("g*") if p.name[1:].isdigit()]
    number = max((int(name[1:]) for name in existing), default=0) + 1
    return f"g{number:06d}"


def publish_generation(
    store: PublishingWriter,
    writers: Sequence[GenerationWriter] = (),
    *,
    keep: int = 2,
    summary: dict | None = None,
) -> Generation:
    """Checkpoint the store and the extra files into a new generation and make it current.

    A remote store writes no checkpoint (``store.checkpoint`` returns False): the manifest
    says ``"graph_store": "remote"`` and readers query the endpoint instead.
    """
    data_dir = store.data_dir
    root = generations_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    gen_id = _next_id(data_dir)
    building = root / f".building-{gen_id}-{os.getpid()}"
    if building.exists():
        shutil.rmtree(building)
    building.mkdir()
    try:
        embedded = store.checkpoint(building / GRAPH_FOLDER)
        for write in writers:
            write(building)
        manifest = {
            "id": gen_id,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "quads": store.quad_count(),
            "graphs": len(store.graph_iris()),
            "graph_store": "embedded" if embedded else "remote",
            **(summary or {}),
        }
        (building / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        (building / READERS_LOCK).touch()
        final = root / gen_id
        building.rename(final)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    _write_atomically(data_dir / CURRENT_FILE, gen_id + "\n")
    collect_garbage(data_dir, keep=keep)
    return Generation(gen_id, final, manifest)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def collect_garbage(data_dir: Path, keep: int = 2) -> list[str]:
    """Remove generations older than the ``keep`` newest that no reader holds; returns their ids."""
    root = generations_dir(data_dir)
    try:
        current = (data_dir / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        current = ""
    ids = sorted(p.name for p in root.glob("g*") if p.name[1:].isdigit())
    removed = []
    for gen_id in ids[: max(0, len(ids) - keep)]:
        if gen_id == current:
            continue
        path = root / gen_id
        with open(path / READERS_LOCK, "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a reader still uses it; a later run removes it
            shutil.rmtree(path, ignore_errors=True)
            removed.append(gen_id)
    for stale in root.glob(".building-*"):  # left by a writer that crashed
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
    return removed


class GenerationReader:
    """Read-only access to the current generation; moves to a newer one on :meth:`refresh`.

    With ``remote`` (a graph in a remote store) queries go to that store and the generation
    is read for its indexes only.
    """

    def __init__(self, data_dir: Path, remote: QueryableGraph | None = None) -> None:
        self.data_dir = data_dir
        self.remote = remote
        self.generation: Generation | None = None
        self._store: ox.Store | None = None
        self._lock = None
        self.refresh()

    def refresh(self) -> bool:
        """Switch to the newest generation if there is one; True when it switched."""
        if self.generation is not None and current_generation_id(self.data_dir) == self.generation.id:
            return False
        newest, lock, store = open_newest_usable(self.data_dir, self._open_graph)
        if self.generation is not None and newest.id == self.generation.id:
            release_lock(lock)
            return False
        self._release()
        self.generation, self._store, self._lock = newest, store, lock
        return True

    def _open_graph(self, generation: Generation) -> ox.Store | None:
        if self.remote is None and generation.has_graph_copy:
            return ox.Store.read_only(str(generation.graph_path))
        return None

    @property
    def store(self) -> ox.Store:
        """The generation's embedded store (KgError when the graph is in a remote store)."""
        if self._store is None:
            raise KgError("the graph is in a remote SPARQL store (setting store_url); "
                          "this needs the embedded store")
        return self._store

    @property
    def graph(self) -> QueryableGraph:
        return self.remote if self.remote is not None else StoreGraph(self.store)

    def query(
        self, sparql: str, *, max_rows: int | None = None,
        substitutions: dict[str, Term] | None = None, dataset: QueryDataset | None = None,
    ) -> QueryResult:
        return self.graph.query(sparql, max_rows=max_rows, substitutions=substitutions,
                                dataset=dataset)

    def graph_iris(self) -> list[str]:
        return self.graph.graph_iris()

    def quad_count(self) -> int:
        return self.graph.quad_count()

    def _release(self) -> None:
        self._store = None
        if self._lock is not None:
            release_lock(self._lock)
            self._lock = None

    def close(self) -> None:
        self._release()
        self.generation = None

    def __enter__(self) -> GenerationReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
