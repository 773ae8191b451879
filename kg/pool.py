"""A warm pool of SPARQL worker processes: a hard time limit that costs nothing when a query is fast.

Oxigraph 0.5 cannot cancel a query, so a query that must be stoppable runs in another
process. Spawning one per query (:mod:`kg.limited`) costs a Python start-up and a store open
every time; this pool keeps a few workers running, each with the generation it last used
open read-only. A query goes to an idle worker over a pipe and the answer comes back as
bytes (:class:`kg.encoded.EncodedResult`). When a query passes its time limit, its worker is
killed and a fresh one takes its place; the other workers go on answering.

Each worker holds its own shared reader lock on the generation it has open, so garbage
collection never removes a generation under a worker. When a request names a newer
generation, the idle workers are told to open it at once, so old generations are released
without waiting for traffic.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any

from kg.encoded import EncodedResult
from kg.errors import KgError, QueryTimeoutError
from kg.query import QueryDataset, Term

log = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("spawn")  # never fork a process that holds a store
_STOP_GRACE_S = 2.0


class PoolBusyError(KgError):
    """Every worker stayed busy for the whole time limit: the service is overloaded."""


class WorkerDiedError(KgError):
    """A worker process ended while answering (killed from outside, out of memory, ...)."""


@dataclass(frozen=True, slots=True)
class PoolOptions:
    """``workers`` processes; ``time_limit_ms`` bounds each query, waiting for a worker included."""

    workers: int = 2
    time_limit_ms: int = 10_000


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """One query for a worker; ``substitutions`` bind variables to RDF terms (never pasted)."""

    sparql: str
    max_rows: int | None = None
    substitutions: dict[str, Term] = field(default_factory=dict)
    dataset: QueryDataset = field(default_factory=QueryDataset)


# -- the worker process -----------------------------------------------------------------------

def _worker_main(connection: Connection) -> None:
    """Answer requests until told to stop; keeps the last generation it used open."""
    from kg.encoded import run_query_encoded
    from kg.generations import open_locked

    opened: tuple[str, Any, IO[str]] | None = None  # (graph path, store, reader lock)

    def switch_to(graph_path: str) -> Any:
        nonlocal opened
        if opened is not None and opened[0] == graph_path:
            return opened[1]
        store, lock = open_locked(Path(graph_path))
        if opened is not None:
            _release(opened[2])
        opened = (graph_path, store, lock)
        return store

    connection.send(("ready", None))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            break
        if message is None:
            break
        kind, graph_path, request = message
        try:
            store = switch_to(graph_path)
            if kind == "open":
                connection.send(("opened", None))
                continue
            answer = run_query_encoded(store, request.sparql, max_rows=request.max_rows,
                                       substitutions=request.substitutions or None,
                                       dataset=request.dataset)
            connection.send(("ok", answer))
        except KgError as error:
            connection.send(("error", error))
        except Exception as error:  # anything else still reaches the caller as one line
            connection.send(("error", KgError(f"query failed: {type(error).__name__}: {error}")))


def _release(lock: IO[str]) -> None:
    from kg.generations import release_lock

    release_lock(lock)


# -- the parent's side -----------------------------------------------------------------------

class _Worker:
    """One worker process and what the parent knows about it."""

    def __init__(self) -> None:
        self.connection, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_worker_main, args=(child,), daemon=True,
                                        name="impactkg-sparql-worker")
        self.process.start()
        child.close()
        self.pending = 1  # the "ready" message
        self.graph_path: str | None = None  # what it has (or is opening)

    def drain(self, deadline: float) -> bool:
        """Read the acknowledgements still owed; False when the deadline passes first."""
        while self.pending:
            if not self.connection.poll(max(0.0, deadline - time.monotonic())):
                return False
            self.connection.recv()
            self.pending -= 1
        return True

    def prepare(self, graph_path: str) -> None:
        """Open ``graph_path`` in the background; the next user reads the acknowledgement."""
        self.connection.send(("open", graph_path, None))
        self.pending += 1
        self.graph_path = graph_path

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.process.join(_STOP_GRACE_S)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join(_STOP_GRACE_S)
        self.connection.close()


class QueryPool:
    """Runs queries over read-only generations in a few warm worker processes.

    Thread-safe: request threads share one pool. Workers start on the first query (or on
    :meth:`warm_up`); ``close`` stops them.
    """

    def __init__(self, options: PoolOptions) -> None:
        if options.workers < 1:
            raise ValueError("a query pool needs at least one worker")
        self.options = options
        self._lock = threading.Condition()
        self._idle: deque[_Worker] = deque()
        self._all: list[_Worker] = []
        self._newest_path: str | None = None
        self._closed = False

    def warm_up(self, graph_path: Path | None = None) -> None:
        """Start the workers now (and let them open ``graph_path``) instead of on first use."""
        with self._lock:
            self._start_missing()
            if graph_path is not None:
                self._announce(str(graph_path))

    def query(self, graph_path: Path, request: QueryRequest) -> EncodedResult:
        """Answer ``request`` over the read-only store at ``graph_path`` within the time limit.

        The caller keeps ``graph_path`` alive (holds its generation) until this returns.
        Raises :class:`QueryTimeoutError` when the limit passes (the worker is killed),
        :class:`PoolBusyError` when no worker came free in time, and the query's own
        :class:`kg.errors.KgError` subclasses for bad queries.
        """
        limit_s = self.options.time_limit_ms / 1000
        deadline = time.monotonic() + limit_s
        worker = self._acquire(str(graph_path), deadline)
        healthy = False
        try:
            if not worker.drain(deadline):
                raise self._timeout()
            worker.connection.send(("query", str(graph_path), request))
            worker.graph_path = str(graph_path)
            if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                raise self._timeout()
            kind, payload = worker.connection.recv()
            healthy = True
        except (EOFError, OSError, BrokenPipeError):
            raise WorkerDiedError("the query worker stopped unexpectedly; try again") from None
        finally:
            self._give_back(worker, healthy)
        if kind == "error":
            raise payload
        return payload

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all, self._idle = self._all, [], deque()
            self._lock.notify_all()
        for worker in workers:
            worker.stop()

    @property
    def size(self) -> int:
        with self._lock:
            return len(self._all)

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    # -- internals ----------------------------------------------------------------------------

    def _timeout(self) -> QueryTimeoutError:
        return QueryTimeoutError(
            f"query stopped after the time limit of {self.options.time_limit_ms} ms "
            "(setting sparql_time_limit_ms)")

    def _start_missing(self) -> None:
        while len(self._all) < self.options.workers:
            worker = _Worker()
            if self._newest_path is not None:
                worker.prepare(self._newest_path)
            self._all.append(worker)
            self._idle.append(worker)
            self._lock.notify()

    def _announce(self, graph_path: str) -> None:
        """A newer generation: idle workers open it now and release the old one."""
        if graph_path == self._newest_path:
            return
        self._newest_path = graph_path
        for worker in self._idle:
            if worker.graph_path != graph_path:
                worker.prepare(graph_path)

    def _acquire(self, graph_path: str, deadline: float) -> _Worker:
        with self._lock:
            if self._closed:
                raise KgError("the query pool is closed")
            self._start_missing()
            if graph_path != self._newest_path:
                self._announce(graph_path)
            while not self._idle:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    raise PoolBusyError(
                        f"all {self.options.workers} query workers stayed busy for "
                        f"{self.options.time_limit_ms} ms; try again later (setting sparql_workers)")
                self._lock.wait(remaining)
            # Prefer a worker that already has this generation open.
            for worker in self._idle:
                if worker.graph_path == graph_path:
                    self._idle.remove(worker)
                    return worker
            return self._idle.popleft()

    def _give_back(self, worker: _Worker, healthy: bool) -> None:
        if not healthy:
            worker.kill()
        with self._lock:
            if healthy and not self._closed:
                if self._newest_path is not None and worker.graph_path != self._newest_path:
                    worker.prepare(self._newest_path)
                self._idle.append(worker)
            elif not healthy and worker in self._all:
                self._all.remove(worker)
                if not self._closed:
                    self._start_missing()  # the replacement starts now, in the background
            self._lock.notify()
        if healthy and self._closed:
            worker.stop()
