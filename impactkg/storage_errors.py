"""Turning a failed write to the data directory (disk full, no permission) into one line.

RocksDB reports these as ``OSError`` with its own text ("IO error: No space left on device:
While appending to file: ..."), SQLite as ``sqlite3.OperationalError`` ("database or disk is
full"), Python's own file calls as ``OSError`` with an errno. A write that fails never
reaches ``current``, so the previous generation stays what readers are served.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from kg.generations import current_generation_id

_BY_ERRNO = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EFBIG: "a file grew past the size limit (ulimit -f)",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "the file system is read-only",
    errno.EIO: "an input/output error",
}
_BY_TEXT = (
    ("no space left", errno.ENOSPC), ("disk is full", errno.ENOSPC),
    ("quota exceeded", errno.EDQUOT), ("file too large", errno.EFBIG),
    ("permission denied", errno.EACCES), ("operation not permitted", errno.EPERM),
    ("read-only file system", errno.EROFS), ("readonly database", errno.EROFS),
    ("attempt to write a readonly", errno.EROFS), ("input/output error", errno.EIO),
    ("disk i/o error", errno.EIO),
)


def storage_errno(error: BaseException) -> int | None:
    """The errno of a storage failure in ``error`` or the errors it was raised during."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _BY_ERRNO:
            return current.errno
        if isinstance(current, (OSError, sqlite3.Error)):
            text = str(current).lower()
            for needle, number in _BY_TEXT:
                if needle in text:
                    return number
        current = current.__cause__ or current.__context__
    return None


def storage_message(error: BaseException, data_dir: Path) -> str | None:
    """One line for a failed write to ``data_dir``, or None when ``error`` is not one."""
    number = storage_errno(error)
    if number is None:
        return None
    served = current_generation_id(data_dir)
    after = (f"nothing was published; generation {served} is unchanged and still served"
             if served else "nothing was published")
    return f"cannot write to the data directory {data_dir}: {_BY_ERRNO[number]}; {after}"
