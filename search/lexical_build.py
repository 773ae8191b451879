"""Build the keyword index's files in chunks, without holding the corpus in memory.

``LexicalIndex.build`` hands bm25s a list of every passage's term ids and bm25s builds its
score matrix in memory: at every flush of the ingest writer that is a few hundred bytes
per passage held at once, growing with the corpus. ``write_bm25`` makes the same files
(bm25s's ``save`` format; the score arrays are equal bit for bit, a test checks) in two
passes that hold only the vocabulary and a few bytes per passage:

1. the rows' terms become term ids, written to a temporary file (4 bytes a term), while
   the document frequency and length of every row are counted;
2. the term-id file is read back a chunk of rows at a time; each chunk's BM25 scores are
   computed with bm25s's own formulas and written straight to their place in the
   column-ordered (CSC) arrays on disk.

The reader maps these files (``bm25s.BM25.load(mmap=True)``) as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np
from bm25s.scoring import _select_idf_scorer, _select_tfc_scorer

CHUNK_TERMS = 1 << 17
"""Term occurrences handled at a time in either pass (about 100 bytes of temporaries each)."""
DATA_FILE = "data.csc.index.npy"
INDICES_FILE = "indices.csc.index.npy"
INDPTR_FILE = "indptr.csc.index.npy"
_TERMS_FILE = "terms.tmp"
_DATA_DTYPE = np.dtype("<f4")
_INDICES_DTYPE = np.dtype("<i4")
_INDPTR_DTYPE = np.dtype("<i8")


def write_bm25(
    rows: Iterable[tuple[int, Sequence[str]]], folder: Path, k1: float, b: float, method: str
) -> np.ndarray:
    """Write a bm25s index of (id, terms) rows into ``folder`` (created); ids increasing.

    Returns the row ids. Without any term no folder is left (like ``LexicalIndex.build``,
    which then has no bm25s index).
    """
    folder.mkdir(parents=True)
    terms_path = folder / _TERMS_FILE
    try:
        ids, lengths, frequencies, vocab = _count(rows, terms_path)
        if vocab:
            _write_scores(terms_path, folder, lengths, frequencies, k1, b, method)
            _write_meta(folder, vocab, len(ids), k1, b, method)
    finally:
        terms_path.unlink(missing_ok=True)
    if not vocab:
        folder.rmdir()
    return ids


def _count(
    rows: Iterable[tuple[int, Sequence[str]]], terms_path: Path
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """Pass 1: term ids to ``terms_path``; row ids, lengths and each term's document frequency."""
    vocab: dict[str, int] = {}
    ids: list[int] = []
    lengths: list[int] = []
    frequencies = np.zeros(1024, dtype=np.int64)
    buffer: list[int] = []
    buffer_rows = 0
    with open(terms_path, "wb") as out:

        def spill() -> None:
            nonlocal frequencies, buffer_rows
            terms = np.asarray(buffer, dtype=np.int32)
            rows_of = np.repeat(np.arange(buffer_rows), lengths[len(lengths) - buffer_rows :])
            distinct = np.unique((rows_of.astype(np.int64) << 32) | terms) & 0xFFFFFFFF
            if len(vocab) > len(frequencies):
                frequencies = np.concatenate(
                    [frequencies, np.zeros(2 * len(vocab) - len(frequencies), dtype=np.int64)])
            frequencies[: len(vocab)] += np.bincount(distinct, minlength=len(vocab))
            out.write(terms.tobytes())
            buffer.clear()
            buffer_rows = 0

        for passage_id, terms in rows:
            ids.append(passage_id)
            lengths.append(len(terms))
            for term in terms:
                term_id = vocab.get(term)
                if term_id is None:
                    term_id = vocab[term] = len(vocab)
                buffer.append(term_id)
            buffer_rows += 1
            if len(buffer) >= CHUNK_TERMS:
                spill()
        spill()
    id_array = np.asarray(ids, dtype=np.int64)
    if len(id_array) > 1 and not np.all(id_array[1:] > id_array[:-1]):
        raise ValueError("lexical index rows must come in increasing id order")
    return id_array, np.asarray(lengths, dtype=np.int64), frequencies[: len(vocab)], vocab


def _write_scores(
    terms_path: Path, folder: Path, lengths: np.ndarray, frequencies: np.ndarray,
    k1: float, b: float, method: str,
) -> None:
    """Pass 2: BM25 scores of every (row, term) pair into the CSC arrays, a chunk at a time."""
    n_rows = len(lengths)
    idf_of = _select_idf_scorer(method)
    idf = np.zeros(len(frequencies), dtype=np.float32)
    for term_id, df in enumerate(frequencies.tolist()):
        if df:
            idf[term_id] = idf_of(df, N=n_rows)
    average_length = lengths.mean()
    tfc_of = _select_tfc_scorer(method)
    indptr = np.zeros(len(frequencies) + 1, dtype=_INDPTR_DTYPE)
    np.cumsum(frequencies, out=indptr[1:])
    filled = indptr[:-1].copy()  # the next free slot of each term's column
    nnz = int(indptr[-1])
    np.save(folder / INDPTR_FILE, indptr)
    with _NpyWriter(folder / DATA_FILE, _DATA_DTYPE, nnz) as data, \
            _NpyWriter(folder / INDICES_FILE, _INDICES_DTYPE, nnz) as indices:
        for first_row, row_lengths, terms in _chunks(terms_path, lengths):
            if not len(terms):
                continue
            local_rows = np.repeat(np.arange(len(row_lengths)), row_lengths)
            pairs, tf = np.unique((local_rows.astype(np.int64) << 32) | terms, return_counts=True)
            rows = pairs >> 32
            term_ids = pairs & 0xFFFFFFFF
            # bm25s per row: tf (float32) / (k1 * (1 - b + b * l_d / l_avg) + tf), times idf
            tfc = tfc_of(tf_array=tf.astype(np.float32), l_d=row_lengths[rows],
                         l_avg=average_length, k1=k1, b=b)
            scores = (idf[term_ids] * tfc).astype(_DATA_DTYPE)
            order = np.lexsort((rows, term_ids))  # column order: by term, then row
            term_ids, rows, scores = term_ids[order], rows[order], scores[order]
            starts = np.flatnonzero(np.r_[True, term_ids[1:] != term_ids[:-1]])
            ends = np.r_[starts[1:], len(term_ids)]
            global_rows = (rows + first_row).astype(_INDICES_DTYPE)
            for start, end, term_id in zip(starts.tolist(), ends.tolist(),
                                           term_ids[starts].tolist(), strict=True):
                at = int(filled[term_id])
                data.write_at(at, scores[start:end])
                indices.write_at(at, global_rows[start:end])
                filled[term_id] = at + end - start
    if not np.array_equal(filled, indptr[1:]):
        raise RuntimeError("the keyword index's columns were not filled as counted")


def _chunks(terms_path: Path, lengths: np.ndarray):  # type: ignore[no-untyped-def]
    """(first row, the rows' lengths, their term ids) of consecutive rows, about CHUNK_TERMS
    terms at a time (a row longer than that is a chunk of its own)."""
    ends = np.cumsum(lengths)
    row = 0
    with open(terms_path, "rb") as source:
        while row < len(lengths):
            start = int(ends[row - 1]) if row else 0
            last = max(row + 1, int(np.searchsorted(ends, start + CHUNK_TERMS, side="right")))
            count = int(ends[last - 1]) - start
            terms = np.fromfile(source, dtype=np.int32, count=count).astype(np.int64)
            yield row, lengths[row:last], terms
            row = last


class _NpyWriter:
    """A 1-d .npy file of known length, filled by writes at element offsets (not mapped, so
    what is written goes to the page cache, not to this process's resident memory)."""

    def __init__(self, path: Path, dtype: np.dtype, length: int):
        self._dtype = dtype
        with open(path, "wb") as out:
            np.lib.format.write_array_header_1_0(
                out, {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False,
                      "shape": (length,)})
            self._offset = out.tell()
            out.truncate(self._offset + length * dtype.itemsize)
        self._fd = os.open(path, os.O_WRONLY)

    def write_at(self, position: int, values: np.ndarray) -> None:
        os.pwrite(self._fd, memoryview(values).cast("B"), self._offset + position * self._dtype.itemsize)

    def __enter__(self) -> _NpyWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self._fd)


def _write_meta(folder: Path, vocab: dict[str, int], n_rows: int, k1: float, b: float,
                method: str) -> None:
    """bm25s's own vocabulary and parameter files, written by bm25s's ``save`` (the score
    arrays it is given are empty stand-ins for the ones already on disk, so they are kept)."""
    bm25 = bm25s.BM25(k1=k1, b=b, method=method)
    meta = folder / "meta.tmp"
    vocab = dict(vocab)
    vocab.setdefault("", len(vocab))  # bm25s adds the empty token after the last term
    bm25.vocab_dict = vocab
    bm25.nonoccurrence_array = None  # lucene scoring has none
    bm25.scores = {"data": np.zeros(0, _DATA_DTYPE), "indices": np.zeros(0, _INDICES_DTYPE),
                   "indptr": np.zeros(1, _INDPTR_DTYPE), "num_docs": n_rows}
    bm25.save(meta, show_progress=False)
    for name in os.listdir(meta):
        if name not in (DATA_FILE, INDICES_FILE, INDPTR_FILE):
            os.replace(meta / name, folder / name)
    for name in os.listdir(meta):
        (meta / name).unlink()
    meta.rmdir()


__all__ = ["CHUNK_TERMS", "write_bm25"]
