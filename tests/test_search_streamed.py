"""The search writer's memory-flat parts: the flat vector file written in chunks, the vector
index that keeps its vectors on disk, and the keyword index built in chunks."""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np
import pytest

from search import lexical_build
from search.lexical_index import LexicalIndex
from search.vector_file import FlatFile, write_flat_file
from search.vector_index import FLAT, HNSW, VectorIndex, VectorIndexParams


def _unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("count", [0, 1, 5, 9000])
def test_flat_file_is_what_faiss_writes(tmp_path: Path, count: int) -> None:
    rng = np.random.default_rng(count)
    dim = 16
    vectors = _unit(rng, count, dim)
    ids = rng.permutation(10 * count + 1)[:count].astype(np.int64)
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    if count:
        index.add_with_ids(vectors, ids)
    chunks = ((ids[s : s + 4000], vectors[s : s + 4000]) for s in range(0, count, 4000))
    write_flat_file(tmp_path / "index.faiss", dim, count, chunks)
    assert (tmp_path / "index.faiss").read_bytes() == faiss.serialize_index(index).tobytes()
    read = FlatFile.open(tmp_path / "index.faiss", dim)
    assert read is not None and read.count == count
    assert np.array_equal(read.ids(), ids)
    back = [v for _, v in read.chunks(rows=1000)]
    assert np.array_equal(np.concatenate(back) if back else np.zeros((0, dim)), vectors.reshape(-1, dim))


def test_a_wrong_count_or_a_short_file_is_refused(tmp_path: Path) -> None:
    vectors = _unit(np.random.default_rng(1), 3, 8)
    with pytest.raises(ValueError, match="expected 4 vectors"):
        write_flat_file(tmp_path / "a.faiss", 8, 4, iter([(np.arange(3), vectors)]))
    write_flat_file(tmp_path / "b.faiss", 8, 3, iter([(np.arange(3), vectors)]))
    data = (tmp_path / "b.faiss").read_bytes()
    (tmp_path / "b.faiss").write_bytes(data[:-8])
    with pytest.raises(ValueError, match="damaged"):
        FlatFile.open(tmp_path / "b.faiss", 8)
    assert FlatFile.open(tmp_path / "b.faiss", 16) is None  # another dimension: not this layout


def test_hnsw_file_is_not_a_flat_file(tmp_path: Path) -> None:
    index = VectorIndex(8, VectorIndexParams(hnsw_min_vectors=4))
    index.add(np.arange(10), _unit(np.random.default_rng(2), 10, 8))
    assert index.kind == HNSW
    index.save(tmp_path / "v")
    assert FlatFile.open(tmp_path / "v" / "index.faiss", 8) is None


def _reference(ids: list[int], vectors: dict[int, np.ndarray], query: np.ndarray, k: int) -> list[int]:
    scores = {i: float(vectors[i] @ query) for i in ids}
    return sorted(scores, key=lambda i: (-scores[i], i))[:k]


def test_streamed_writer_matches_an_in_memory_index(tmp_path: Path) -> None:
    """Adds and removes across saves; after each save the writer holds no vectors in memory,
    searches and the saved files agree with a plain in-memory index."""
    rng = np.random.default_rng(7)
    dim = 12
    streamed = VectorIndex(dim)
    plain = VectorIndex(dim)
    vectors: dict[int, np.ndarray] = {}
    live: list[int] = []
    next_id = 0
    for version in range(1, 6):
        new = np.arange(next_id, next_id + 40, dtype=np.int64)
        next_id += 40
        batch = _unit(rng, len(new), dim)
        vectors.update(zip(new.tolist(), batch, strict=True))
        for index in (streamed, plain):
            index.add(new, batch)
        live += new.tolist()
        gone = np.asarray(rng.choice(live, 15, replace=False), dtype=np.int64)
        for index in (streamed, plain):
            index.remove(gone)
        live = [i for i in live if i not in set(gone.tolist())]
        folder = tmp_path / f"vectors-{version}"
        streamed.save(folder)
        streamed.saved_to(folder)
        assert streamed._file is not None and streamed._index.ntotal == 0  # nothing in memory
        assert streamed._whole is None
        assert len(streamed) == len(plain) == len(live)
        assert np.array_equal(streamed.live_ids(), np.sort(live))
        plain.save(tmp_path / f"plain-{version}")
        assert (folder / "index.faiss").read_bytes() == (
            tmp_path / f"plain-{version}" / "index.faiss").read_bytes()
        query = _unit(rng, 1, dim)[0]
        found, _ = streamed.search(query, 10)
        assert found.tolist() == _reference(live, vectors, query, 10)
        allowed = np.sort(np.asarray(live[::3], dtype=np.int64))
        found, _ = streamed.search(query, 5, allowed)
        assert found.tolist() == _reference(allowed.tolist(), vectors, query, 5)
    reopened = VectorIndex.load(tmp_path / "vectors-5", dim, writable=True)
    assert reopened._file is not None and len(reopened) == len(live)
    reader = VectorIndex.load(tmp_path / "vectors-5", dim, writable=False)
    assert reader._file is None and reader.kind == FLAT and len(reader) == len(live)


def test_streamed_writer_becomes_hnsw_past_the_threshold(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    index = VectorIndex(8, VectorIndexParams(hnsw_min_vectors=30))
    index.add(np.arange(20), _unit(rng, 20, 8))
    index.save(tmp_path / "v1")
    index.saved_to(tmp_path / "v1")
    assert index._file is not None
    index.add(np.arange(20, 40), _unit(rng, 20, 8))
    assert index.kind == HNSW and index._file is None and len(index) == 40
    assert np.array_equal(index.live_ids(), np.arange(40))


def _random_rows(rng: np.random.Generator, n: int, vocabulary: int) -> list[tuple[int, list[str]]]:
    ids = np.sort(rng.choice(10 * n + 10, n, replace=False))
    rows = []
    for passage_id in ids.tolist():
        length = int(rng.integers(0, 60))
        terms = rng.zipf(1.3, length) % vocabulary  # skewed like words, repeats in a row
        rows.append((passage_id, [f"w{t}" for t in terms.tolist()]))
    return rows


@pytest.mark.parametrize("n, chunk", [(1, 8), (50, 7), (400, 64), (400, 1 << 20)])
def test_streamed_keyword_index_equals_the_in_memory_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, n: int, chunk: int
) -> None:
    """Written in chunks of ``chunk`` terms, the files hold bm25s's own arrays bit for bit,
    and the loaded index scores every query the same."""
    monkeypatch.setattr(lexical_build, "CHUNK_TERMS", chunk)
    rows = _random_rows(np.random.default_rng(n), n, 300)
    built = LexicalIndex.build(rows)
    built.save(tmp_path / "built")
    LexicalIndex.write(iter(rows), tmp_path / "streamed")
    for name in ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy"):
        expected = np.load(tmp_path / "built" / "bm25" / name)
        got = np.load(tmp_path / "streamed" / "bm25" / name)
        assert got.dtype == expected.dtype and np.array_equal(got, expected), name
    for name in ("vocab.index.json", "params.index.json"):
        assert json.loads((tmp_path / "streamed" / "bm25" / name).read_text()) == json.loads(
            (tmp_path / "built" / "bm25" / name).read_text())
    assert sorted(p.name for p in (tmp_path / "streamed" / "bm25").iterdir()) == sorted(
        p.name for p in (tmp_path / "built" / "bm25").iterdir())
    loaded = LexicalIndex.load(tmp_path / "streamed")
    assert np.array_equal(loaded.ids, built.ids)
    for query in (["w1"], ["w2", "w3", "w250"], ["w1", "nergens"]):
        expected_ids, expected_scores = built.score(query).top(20)
        got_ids, got_scores = loaded.score(query).top(20)
        assert got_ids.tolist() == expected_ids.tolist()
        assert np.array_equal(got_scores, expected_scores)


def test_streamed_keyword_index_without_terms(tmp_path: Path) -> None:
    LexicalIndex.write(iter([(1, []), (4, [])]), tmp_path / "empty")
    assert not (tmp_path / "empty" / "bm25").exists()
    loaded = LexicalIndex.load(tmp_path / "empty")
    assert loaded.ids.tolist() == [1, 4] and loaded.score(["x"]).top(5)[0].tolist() == []
    with pytest.raises(ValueError, match="increasing"):
        LexicalIndex.write(iter([(4, ["a"]), (1, ["b"])]), tmp_path / "unordered")


def test_streamed_writer_removes_a_whole_saved_chunk(tmp_path: Path) -> None:
    index = VectorIndex(8)
    index.add(np.arange(10), _unit(np.random.default_rng(4), 10, 8))
    index.save(tmp_path / "v1")
    index.saved_to(tmp_path / "v1")
    index.remove(np.arange(10))
    index.save(tmp_path / "v2")
    index.saved_to(tmp_path / "v2")
    assert len(index) == 0 and index.search(np.ones(8, dtype=np.float32), 3)[0].tolist() == []


def test_the_ingest_writer_keeps_no_vectors_in_memory_after_a_flush(tmp_path: Path) -> None:
    """Through SearchIndex: after each flush the writer's vectors are on disk only, the writer
    (reopened too) still searches like a reader of the published generation."""
    from test_search_index import CORPUS, BagOfTermsEmbedder, doc_iri, iris, records

    from search import SearchIndex

    embedder = BagOfTermsEmbedder()
    writer = SearchIndex.open_writer(tmp_path / "index", embedder)
    for key in CORPUS:
        writer.replace_document(doc_iri(key), records(key))
        writer.flush()
        assert writer._vectors._file is not None and writer._vectors._index.ntotal == 0
        assert writer._lexical is None  # written from the stored terms, not built in memory
    writer.publish_to(tmp_path / "gen")
    reader = SearchIndex.open(tmp_path / "gen", embedder)
    for mode in ("semantic", "keyword", "hybrid"):
        assert iris(writer.search("stadslandbouw in de wijk", mode=mode)) == iris(
            reader.search("stadslandbouw in de wijk", mode=mode))
    writer.close()
    with SearchIndex.open_writer(tmp_path / "index", embedder) as again:
        assert again._vectors._file is not None
        assert again.stats()["passages"] == reader.stats()["passages"]
        assert iris(again.search("stadslandbouw", mode="semantic")) == iris(
            reader.search("stadslandbouw", mode="semantic"))
