"""The keyword index: BM25 (bm25s, Lucene variant) over Dutch-analysed terms of each passage's context.

bm25s cannot add or remove documents, so the index is rebuilt from the passage
table's stored terms whenever the table changed (100k passages take a few seconds).
Filtering happens on the full score vector, before the top-k cut.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from search.lexical_build import write_bm25
from search.topk import top_k

log = logging.getLogger(__name__)
# bm25s sets its own logger to DEBUG on import, which would print "Building index from IDs"
# through any root handler; give it back the ordinary threshold.
logging.getLogger("bm25s").setLevel(logging.WARNING)

BM25_FOLDER = "bm25"
IDS_FILE = "ids.npy"
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float32)


@dataclass(frozen=True, slots=True)
class Bm25Params:
    k1: float = 1.2
    b: float = 0.75
    method: str = "lucene"


class LexicalIndex:
    """BM25 over passages; row i of the index is passage ``ids[i]`` (ids sorted)."""

    def __init__(self, ids: np.ndarray, bm25: bm25s.BM25 | None):
        self.ids = np.ascontiguousarray(ids, dtype=np.int64)
        self._bm25 = bm25

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(
        cls, rows: Iterable[tuple[int, Sequence[str]]], params: Bm25Params | None = None
    ) -> LexicalIndex:
        """Index (id, terms) rows; ids must come in increasing order."""
        params = params or Bm25Params()
        ids: list[int] = []
        # Terms become ids as they stream in: a list of shared ints is far smaller than
        # millions of separate term strings (100k passages: ~50 MB instead of ~400 MB).
        vocab: dict[str, int] = {}
        corpus: list[list[int]] = []
        for passage_id, terms in rows:
            ids.append(passage_id)
            document = []
            for term in terms:
                token_id = vocab.get(term)
                if token_id is None:
                    token_id = vocab[term] = len(vocab)
                document.append(token_id)
            corpus.append(document)
        id_array = np.asarray(ids, dtype=np.int64)
        if len(id_array) > 1 and not np.all(id_array[1:] > id_array[:-1]):
            raise ValueError("lexical index rows must come in increasing id order")
        if not vocab:
            return cls(id_array, None)
        bm25 = bm25s.BM25(k1=params.k1, b=params.b, method=params.method)
        bm25.index((corpus, vocab), show_progress=False)
        return cls(id_array, bm25)

    @classmethod
    def write(
        cls, rows: Iterable[tuple[int, Sequence[str]]], folder: Path,
        params: Bm25Params | None = None,
    ) -> None:
        """Write the index of (id, terms) rows into a new folder without building it in
        memory (``search/lexical_build.py``); ``load`` reads it. Ids increasing."""
        params = params or Bm25Params()
        folder.mkdir(parents=True)
        ids = write_bm25(rows, folder / BM25_FOLDER, params.k1, params.b, params.method)
        np.save(folder / IDS_FILE, ids)

    def save(self, folder: Path) -> None:
        """Write the index into a new folder."""
        folder.mkdir(parents=True)
        np.save(folder / IDS_FILE, self.ids)
        if self._bm25 is not None:
            self._bm25.save(folder / BM25_FOLDER, show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        ids = np.load(folder / IDS_FILE)
        bm25_folder = folder / BM25_FOLDER
        bm25 = None
        if bm25_folder.exists():
            # The files never change once written, so mapping them is safe and shares pages.
            bm25 = bm25s.BM25.load(bm25_folder, mmap=True)
        return cls(ids, bm25)

    def score(self, terms: Sequence[str]) -> LexicalScores:
        """BM25 scores of every passage for these (already analysed) query terms."""
        unique = list(dict.fromkeys(terms))
        if self._bm25 is None or not unique:
            return LexicalScores(self, None)
        token_ids = self._bm25.get_tokens_ids(unique)
        if not token_ids:
            return LexicalScores(self, None)
        scores = np.asarray(self._bm25.get_scores_from_ids(token_ids), dtype=np.float32)
        # A query term the corpus lacks weighs as much as the rarest term could.
        unknown = len(unique) - len(token_ids)
        idf_total = float(self._idf(np.asarray(token_ids)).sum()) + unknown * self._idf_unseen()
        return LexicalScores(self, scores, token_ids, idf_total)

    def idfs(self, terms: Sequence[str]) -> dict[str, float]:
        """BM25 idf of each (analysed) term; a term the corpus lacks gets the highest idf."""
        if self._bm25 is None:
            return dict.fromkeys(terms, self._idf_unseen())
        vocab = self._bm25.vocab_dict
        known = [t for t in terms if t in vocab]
        values = self._idf(np.asarray([vocab[t] for t in known], dtype=np.int64)) if known else []
        found = dict(zip(known, (float(v) for v in values), strict=True))
        return {t: found.get(t, self._idf_unseen()) for t in terms}

    def _postings(self, token_id: int) -> np.ndarray:
        """Rows that contain a term."""
        assert self._bm25 is not None
        indptr = self._bm25.scores["indptr"]
        return self._bm25.scores["indices"][indptr[token_id] : indptr[token_id + 1]]

    def _idf(self, token_ids: np.ndarray) -> np.ndarray:
        """Lucene's BM25 idf of each term."""
        assert self._bm25 is not None
        indptr = np.asarray(self._bm25.scores["indptr"])
        df = (indptr[token_ids + 1] - indptr[token_ids]).astype(np.float64)
        return np.log1p((len(self.ids) - df + 0.5) / (df + 0.5))

    def _idf_unseen(self) -> float:
        return float(np.log1p((len(self.ids) + 0.5) / 0.5))

    def rows_of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows, found mask) of passage ids in this index."""
        if len(self.ids) == 0:
            return np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=bool)
        rows = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        return rows, self.ids[rows] == ids


class LexicalScores:
    """One query's BM25 scores over the whole index."""

    def __init__(
        self,
        index: LexicalIndex,
        scores: np.ndarray | None,
        token_ids: Sequence[int] = (),
        idf_total: float = 0.0,
    ):
        self._index = index
        self._scores = scores
        self._token_ids = list(token_ids)
        self._idf_total = idf_total

    def top(self, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The k best-scoring passages with a score above zero, among ``allowed`` if given."""
        if self._scores is None or k <= 0:
            return _EMPTY_IDS, _EMPTY_SCORES
        if allowed is None:
            rows = np.flatnonzero(self._scores > 0)
        else:
            rows, found = self._index.rows_of(allowed)
            rows = rows[found]
            rows = rows[self._scores[rows] > 0]
        return top_k(self._index.ids[rows], self._scores[rows], k)

    def of(self, ids: np.ndarray) -> np.ndarray:
        """The scores of these passage ids (0 for a passage not in the index)."""
        out = np.zeros(len(ids), dtype=np.float32)
        if self._scores is None:
            return out
        rows, found = self._index.rows_of(ids)
        out[found] = self._scores[rows[found]]
        return out

    def coverage(self, ids: np.ndarray) -> np.ndarray:
        """How much of the query each passage contains: its matched terms' share of the query's idf.

        1.0 when a passage holds every query term; a passage that shares one common
        word with a long question gets little. This is classic Lucene's
        coordination factor, weighted by idf.
        """
        out = np.zeros(len(ids), dtype=np.float32)
        if self._scores is None or self._idf_total <= 0:
            return out
        rows, found = self._index.rows_of(ids)
        matched = np.zeros(len(self._index.ids), dtype=np.float64)
        idfs = self._index._idf(np.asarray(self._token_ids))
        for token_id, idf in zip(self._token_ids, idfs, strict=True):
            matched[self._index._postings(token_id)] += idf
        out[found] = matched[rows[found]] / self._idf_total
        return out


__all__ = ["Bm25Params", "LexicalIndex", "LexicalScores"]
