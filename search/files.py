"""Atomic file writes and hard-link publishing: a reader never sees a half-written file."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from search.errors import IndexLocked

TMP_PREFIX = ".tmp-"


def temp_path(target: Path) -> Path:
    """A unique temporary name next to ``target`` (same folder, so ``os.replace`` is atomic)."""
    return target.with_name(f"{TMP_PREFIX}{target.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def fsync_path(path: Path) -> None:
    """Flush a file, or every file under a folder, to disk."""
    if path.is_dir():
        for child in path.rglob("*"):
            if child.is_file():
                fsync_path(child)
        fsync_dir(path)
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` to produce a file or folder, then move it to ``target`` in one step.

    ``target`` must not be an existing folder (os.replace cannot overwrite one); the
    index only ever writes new, versioned folder names.
    """
    tmp = temp_path(target)
    try:
        write(tmp)
        fsync_path(tmp)
        os.replace(tmp, target)
    except BaseException:
        remove_path(tmp)
        raise
    fsync_dir(target.parent)


def write_text_atomic(target: Path, text: str) -> None:
    """Write a text file (UTF-8) atomically."""
    write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` (a file or a folder tree) to ``target``; copy across file systems."""
    if source.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for child in source.iterdir():
            link_or_copy(child, target / child.name)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def remove_path(path: Path) -> None:
    """Remove a file or a folder tree if it exists."""
    with contextlib.suppress(FileNotFoundError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def take_writer_lock(path: Path) -> int:
    """An exclusive, non-blocking lock on ``path`` (released when the fd closes or the process dies)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise IndexLocked(
            f"another process is writing the search index in {path.parent}; "
            "wait for it to finish (only one writer at a time)"
        ) from None
    return fd


def remove_data_files(folder: Path, prefixes: tuple[str, ...], keep: set[str]) -> None:
    """Remove the entries of ``folder`` whose names start with a prefix, except ``keep``.

    After a flush: files no manifest names any more. At start-up: what a crashed
    flush left behind.
    """
    for path in folder.iterdir():
        if path.name.startswith(prefixes) and path.name not in keep:
            remove_path(path)
