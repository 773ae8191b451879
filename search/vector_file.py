"""A flat faiss index file (``IndexIDMap2`` over ``IndexFlatIP``), read and written in chunks.

The writer keeps no flat index in memory: a flush copies the previous file's vectors, minus
the removed ids, plus the new ones, into a new file in chunks of ``CHUNK_ROWS`` rows, so its
memory does not grow with the corpus. The file is byte for byte what ``faiss.write_index``
writes for the same index (a test checks), and readers load it with ``faiss.read_index``.

The layout is taken from faiss itself: the serialisation of an empty index of the right
dimension gives the two headers, and the file is

    header(IxM2, ntotal) header(IxFI, ntotal) uint64 n*dim  float32[n, dim]  uint64 n  int64[n]

An index faiss writes differently (another version's format, HNSW) is not a ``FlatFile``:
``FlatFile.open`` returns None and the caller loads it whole.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import faiss
import numpy as np

CHUNK_ROWS = 4096
"""Rows read or written at a time (6 MB of 384-dimensional vectors)."""
_NTOTAL = struct.Struct("<q")
_COUNT = struct.Struct("<Q")


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the parts of a flat IDMap2 file of dimension ``dim`` start."""

    dim: int
    empty: bytes
    ntotal_offsets: tuple[int, int]
    codes_offset: int  # the uint64 count of floats

    @classmethod
    def of(cls, dim: int) -> _Layout | None:
        empty = faiss.serialize_index(faiss.IndexIDMap2(faiss.IndexFlatIP(dim))).tobytes()
        inner = empty.find(b"IxFI")
        codes = len(empty) - 2 * _COUNT.size
        layout = cls(dim, empty, (8, inner + 8), codes)
        if not empty.startswith(b"IxM2") or inner < 0 or empty[codes:] != bytes(2 * _COUNT.size):
            return None  # a faiss that writes another format: the caller keeps indexes whole
        for offset in layout.ntotal_offsets:
            if _NTOTAL.unpack_from(empty, offset)[0] != 0:
                return None
        return layout

    def header(self, count: int) -> bytes:
        head = bytearray(self.empty[: self.codes_offset])
        for offset in self.ntotal_offsets:
            _NTOTAL.pack_into(head, offset, count)
        return bytes(head)


_LAYOUTS: dict[int, _Layout | None] = {}


def layout_of(dim: int) -> _Layout | None:
    if dim not in _LAYOUTS:
        _LAYOUTS[dim] = _Layout.of(dim)
    return _LAYOUTS[dim]


class FlatFile:
    """A flat IDMap2 index file on disk: its ids in memory (8 bytes a vector), vectors on disk."""

    def __init__(self, path: Path, layout: _Layout, count: int):
        self.path = path
        self.count = count
        self._layout = layout
        self._ids: np.ndarray | None = None

    @classmethod
    def open(cls, path: Path, dim: int) -> FlatFile | None:
        """The file as a ``FlatFile``, or None when it is not a flat index of this dimension."""
        layout = layout_of(dim)
        if layout is None:
            return None
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(layout.codes_offset + _COUNT.size)
        if len(head) < layout.codes_offset + _COUNT.size:
            return None
        count = _NTOTAL.unpack_from(head, layout.ntotal_offsets[0])[0]
        if count < 0 or head[: layout.codes_offset] != layout.header(count):
            return None
        floats = _COUNT.unpack_from(head, layout.codes_offset)[0]
        expected = layout.codes_offset + 2 * _COUNT.size + count * (dim * 4 + 8)
        if floats != count * dim or size != expected:
            raise ValueError(f"damaged vector index file {path}: {count} vectors, {size} bytes")
        return cls(path, layout, count)

    def ids(self) -> np.ndarray:
        """Every stored id, in file order."""
        if self._ids is None:
            offset = self._ids_offset() + _COUNT.size
            self._ids = np.fromfile(self.path, dtype="<i8", count=self.count, offset=offset)
        return self._ids

    def chunks(self, rows: int = CHUNK_ROWS) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ids, vectors) of consecutive rows, ``rows`` at a time."""
        ids = self.ids()
        dim = self._layout.dim
        with open(self.path, "rb") as handle:
            handle.seek(self._layout.codes_offset + _COUNT.size)
            for start in range(0, self.count, rows):
                n = min(rows, self.count - start)
                vectors = np.fromfile(handle, dtype="<f4", count=n * dim).reshape(n, dim)
                yield ids[start : start + n], vectors

    def _ids_offset(self) -> int:
        return self._layout.codes_offset + _COUNT.size + self.count * self._layout.dim * 4


def write_flat_file(
    path: Path, dim: int, count: int, chunks: Iterator[tuple[np.ndarray, np.ndarray]]
) -> None:
    """Write ``count`` vectors arriving as (ids, vectors) chunks as a flat IDMap2 index file."""
    layout = layout_of(dim)
    if layout is None:
        raise RuntimeError("this faiss writes flat indexes in a format this module does not know")
    written = 0
    with open(path, "wb") as out:
        out.write(layout.header(count))
        out.write(_COUNT.pack(count * dim))
        ids_parts: list[np.ndarray] = []
        for ids, vectors in chunks:
            _write_array(out, np.ascontiguousarray(vectors, dtype="<f4"))
            ids_parts.append(np.asarray(ids, dtype="<i8"))
            written += len(ids)
        if written != count:
            raise ValueError(f"expected {count} vectors, got {written}")
        out.write(_COUNT.pack(count))
        for part in ids_parts:
            _write_array(out, part)


def _write_array(out: BinaryIO, array: np.ndarray) -> None:
    if array.size:
        out.write(memoryview(array).cast("B"))


__all__ = ["CHUNK_ROWS", "FlatFile", "layout_of", "write_flat_file"]
