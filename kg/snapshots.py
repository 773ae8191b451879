"""Consistent per-request snapshots of the published generations, for multi-threaded readers.

A server shares one :class:`GenerationPool` across its request threads. Each request takes a
:class:`Snapshot` for its whole life: one generation and everything opened for it (the graph
store, the search index, ...), so a response never mixes two generations. When a newer
generation is published, new requests get it while running ones keep theirs; an old
generation is closed, and its reader lock released for garbage collection, once its last
request has finished.

What is opened per generation is the caller's choice (``open_resources``), so this module
needs to know nothing about search indexes or question answering.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Generic, TypeVar

from kg.generations import Generation, current_generation_id, open_newest_usable, release_lock

log = logging.getLogger(__name__)

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Snapshot(Generic[R]):
    """One generation and the resources opened for it, pinned while a request uses it."""

    generation: Generation
    resources: R


class _Opened(Generic[R]):
    """A generation held open: its reader lock, its resources and how many requests use it."""

    def __init__(self, generation: Generation, lock: IO[str], resources: R) -> None:
        self.snapshot = Snapshot(generation, resources)
        self.lock = lock
        self.users = 0


class GenerationPool(Generic[R]):
    """Hands out snapshots of the newest generation and closes old ones when they fall idle.

    ``open_resources(generation)`` builds what a request needs for one generation (it runs
    once per generation, outside the pool's lock, so a slow open does not block requests
    on the generation before it); ``close_resources`` releases it. ``check_interval_s``
    limits how often ``current`` is read (0: before every snapshot).
    """

    def __init__(
        self,
        data_dir: Path,
        open_resources: Callable[[Generation], R],
        close_resources: Callable[[R], None] = lambda resources: None,
        *,
        check_interval_s: float = 0.0,
    ) -> None:
        self.data_dir = data_dir
        self._open_resources = open_resources
        self._close_resources = close_resources
        self._check_interval_s = check_interval_s
        self._lock = threading.Lock()
        self._opening = threading.Lock()  # one thread opens a new generation, others wait
        self._newest: _Opened[R] | None = None
        self._retired: list[_Opened[R]] = []
        self._checked_at = 0.0
        self._closed = False
        self._damaged: set[str] = set()  # newer generations skipped because they do not open

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot[R]]:
        """The newest generation, pinned until the block ends.

        Raises :class:`kg.errors.NoDataError` when there is no generation to read.
        """
        opened = self._acquire()
        try:
            yield opened.snapshot
        finally:
            self._release(opened)

    @property
    def generation_id(self) -> str | None:
        """The id of the newest generation opened so far (None before the first snapshot)."""
        with self._lock:
            return self._newest.snapshot.generation.id if self._newest else None

    def close(self) -> None:
        """Close every generation no request uses; the ones in use close when released."""
        with self._lock:
            self._closed = True
            if self._newest is not None:
                self._retired.append(self._newest)
                self._newest = None
            idle = [opened for opened in self._retired if opened.users == 0]
            self._retired = [opened for opened in self._retired if opened.users > 0]
        for opened in idle:
            self._close(opened)

    # -- internals ----------------------------------------------------------------------

    def _acquire(self) -> _Opened[R]:
        with self._lock:
            if self._closed:
                raise RuntimeError("the generation pool is closed")
            newest = self._newest
            if newest is not None and not self._should_check():
                newest.users += 1
                return newest
        with self._opening:
            with self._lock:
                newest = self._newest
                current = current_generation_id(self.data_dir)
                if newest is not None and (current in (None, newest.snapshot.generation.id)
                                           or current in self._damaged):
                    self._checked_at = time.monotonic()
                    newest.users += 1
                    return newest
            opened = self._open_newest()
            with self._lock:
                if self._newest is not None:
                    self._retired.append(self._newest)
                self._newest = opened
                self._checked_at = time.monotonic()
                opened.users += 1
                stale = self._idle_retired()
        for old in stale:
            self._close(old)
        return opened

    def _should_check(self) -> bool:
        return time.monotonic() - self._checked_at >= self._check_interval_s

    def _open_newest(self) -> _Opened[R]:
        wanted = current_generation_id(self.data_dir)
        generation, lock, resources = open_newest_usable(self.data_dir, self._open_resources)
        if wanted and generation.id < wanted:  # ``current`` names a damaged one: do not retry it
            self._damaged.add(wanted)
        log.info("opened generation %s", generation.id)
        return _Opened(generation, lock, resources)

    def _idle_retired(self) -> list[_Opened[R]]:
        idle = [opened for opened in self._retired if opened.users == 0]
        self._retired = [opened for opened in self._retired if opened.users > 0]
        return idle

    def _release(self, opened: _Opened[R]) -> None:
        with self._lock:
            opened.users -= 1
            stale = self._idle_retired() if opened is not self._newest else []
        for old in stale:
            self._close(old)

    def _close(self, opened: _Opened[R]) -> None:
        try:
            self._close_resources(opened.snapshot.resources)
        except Exception:  # closing must never fail a request
            log.exception("closing generation %s failed", opened.snapshot.generation.id)
        finally:
            release_lock(opened.lock)
