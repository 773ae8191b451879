"""Consistent per-request snapshots of the published generations, for multi-threaded readers.

A server shares one :class:`GenerationPool` across its request threads. Each request takes a
:class:`Snapshot` for its whole life: one generation and everything opened for it (the graph
store, the search index, ...), so a response never mixes two generations. When a newer
generation is published, new requests get it while running ones keep theirs (opened by the
request that notices it, or on a background thread while requests go on with the one before);
an old generation is closed, and its reader lock released for garbage collection, once its last
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

    ``open_resources(generation)`` builds what a request needs for one generation (once per
    generation); ``close_resources`` releases it. ``check_interval_s`` limits how often
    ``current`` is read (0: before every snapshot).

    With ``open_in_background`` a request that notices a newer generation starts opening it
    on a background thread and goes on with the generation it had; requests move to the new
    one when it is open (``warm_resources(resources)`` runs first, on that thread, for what
    the first requests would otherwise pay, such as loading caches). Without it the request
    opens the new generation itself and the requests behind it wait. Only the very first
    generation is always opened by a request.
    """

    def __init__(
        self,
        data_dir: Path,
        open_resources: Callable[[Generation], R],
        close_resources: Callable[[R], None] = lambda resources: None,
        *,
        check_interval_s: float = 0.0,
        open_in_background: bool = False,
        warm_resources: Callable[[R], None] = lambda resources: None,
    ) -> None:
        self.data_dir = data_dir
        self._open_resources = open_resources
        self._close_resources = close_resources
        self._check_interval_s = check_interval_s
        self._open_in_background = open_in_background
        self._warm_resources = warm_resources
        self._switcher: threading.Thread | None = None  # the background opener, while it runs
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
            switcher = self._switcher
        if switcher is not None:
            switcher.join()  # what it opened is closed by the switcher itself (the pool is closed)
        with self._lock:
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
            if newest is not None and self._open_in_background:
                self._checked_at = time.monotonic()
                newest.users += 1
        if newest is not None and self._open_in_background:
            try:
                self._switch_in_background(newest)
            except BaseException:
                self._release(newest)
                raise
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

    def _switch_in_background(self, newest: _Opened[R]) -> None:
        """Start opening ``current`` on a thread when it is newer than ``newest`` (one at a time)."""
        current = current_generation_id(self.data_dir)
        if current in (None, newest.snapshot.generation.id) or current in self._damaged:
            return
        with self._lock:
            if self._switcher is not None or self._closed:
                return
            self._switcher = threading.Thread(target=self._switch, name="generation-switch", daemon=True)
            self._switcher.start()

    def _switch(self) -> None:
        """Open and warm the newest generation, then hand it to new requests (the background thread)."""
        opened: _Opened[R] | None = None
        stale: list[_Opened[R]] = []
        try:
            wanted = current_generation_id(self.data_dir)
            started = time.monotonic()
            try:
                opened = self._open_newest()
            except Exception:  # the generation before it goes on serving
                log.exception("opening generation %s failed; serving the one before", wanted)
                if wanted:
                    self._damaged.add(wanted)
                return
            try:
                self._warm_resources(opened.snapshot.resources)
            except Exception:  # a cold generation still answers; its first requests pay
                log.exception("warming generation %s failed", opened.snapshot.generation.id)
            with self._lock:
                newest = self._newest
                if self._closed or (newest is not None
                                    and newest.snapshot.generation.id == opened.snapshot.generation.id):
                    stale.append(opened)  # nothing newer after all (a damaged one was skipped)
                    return
                if newest is not None:
                    self._retired.append(newest)
                self._newest = opened
                stale.extend(self._idle_retired())
            log.info("switched to generation %s in the background (%.0f ms)",
                     opened.snapshot.generation.id, 1000 * (time.monotonic() - started))
        finally:
            with self._lock:
                self._switcher = None
            for old in stale:
                self._close(old)

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
