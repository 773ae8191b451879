"""Give memory that was freed back to the system after each written batch.

Writing a batch allocates and frees a lot in C (RocksDB compactions in their own threads,
numpy temporaries of the search writer); glibc keeps freed memory in its arenas, so the
resident size of a long ingest crept up with free but held memory (measured with
``bench/memory_parts.py --sink none``, graph only: after 200 and 2,000 documents 17 and 35 MB
held free, resident 188 and 207 MB; with a trim after every batch 177 and 181 MB).
``malloc_trim(0)`` returns the free pages of every arena. Other C libraries (musl, macOS)
have no such call: then this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any


def _load_trim() -> Any:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _load_trim()


def release_free_memory() -> None:
    """Return free heap pages to the system (glibc); nothing elsewhere."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


__all__ = ["release_free_memory"]
