"""Hub scores (CSLS-style hubness reduction): computed from the corpus, stored with the vectors,
read back, and a passage near every document loses to the specific one when they are on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kg.records import PassageRecord
from search import IndexFormatError, SearchIndex, SearchOptions
from search.hubness import HUBNESS_FILE, HubParams, HubScores, compute_hub_scores, demote_hubs

DIM = 8


def unit(*values: float) -> np.ndarray:
    vector = np.zeros(DIM, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


# A hub passage close to four specific passages that are orthogonal to each other.
VECTORS = {
    "hub": unit(1, 1, 1, 1),
    "fiets": unit(1, 0, 0, 0),
    "voedsel": unit(0, 1, 0, 0),
    "klimaat": unit(0, 0, 1, 0),
    "wonen": unit(0, 0, 0, 1),
    "vraag": unit(1, 0.6, 0.6, 0.6),  # the query: nearest to the hub, about fiets
}


class MarkerEmbedder:
    """Vectors by the last word of the text (the passage text or the query)."""

    name = "test:marker"
    dim = DIM

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([VECTORS[t.split()[-1]] for t in texts]) if texts else np.zeros((0, DIM))

    def embed_query(self, text: str) -> np.ndarray:
        return VECTORS[text.split()[-1]]


def passages(word: str) -> list[PassageRecord]:
    document = f"https://w3id.org/impactkg/id/doc/{word}"
    return [PassageRecord(
        iri=f"{document}/p0", document_iri=document, position=0, text=word, heading_path=(),
        document_title="", document_url=f"https://agendastad.example/{word}", document_date="",
        start_char=0, end_char=len(word), facets={},
    )]


ON = SearchOptions(hub_weight=1.0, hub_neighbours=3, prf_weight=0.0)
OFF = replace(ON, hub_weight=0.0)


def build(folder: Path, options: SearchOptions) -> Path:
    with SearchIndex.open_writer(folder / "index", MarkerEmbedder(), options) as writer:
        for word in ("hub", "fiets", "voedsel", "klimaat", "wonen"):
            writer.replace_document(passages(word)[0].document_iri, passages(word))
        writer.publish_to(folder / "gen")
    return folder / "gen"


def first_document(index: SearchIndex) -> str:
    return index.search("vraag", mode="semantic", k=1)[0].document_url.rsplit("/", 1)[-1]


def test_hub_scores_skip_passages_of_the_same_document() -> None:
    ids = np.array([1, 2, 3, 4])
    documents = np.array([0, 0, 1, 2])  # 1 and 2 are one document (near-duplicates)
    vectors = np.stack([unit(1, 0), unit(1, 0.01), unit(1, 1), unit(0, 1)])
    hubs = compute_hub_scores(ids, documents, lambda wanted: vectors[wanted - 1],
                              HubParams(neighbours=1))
    expected_first = float(vectors[0] @ vectors[2])  # not its twin in the same document
    assert hubs.of(np.array([1]))[0] == pytest.approx(expected_first)
    assert hubs.of(np.array([3]))[0] == pytest.approx(float(vectors[2] @ vectors[1]))
    assert hubs.of(np.array([99]))[0] == 0.0  # unknown id: no demotion
    lonely = compute_hub_scores(ids[:2], documents[:2], lambda wanted: vectors[wanted - 1],
                                HubParams(neighbours=1))
    assert lonely.values.tolist() == [0.0, 0.0]  # no other document to compare with


def test_a_sample_bounds_the_work_and_never_overstates() -> None:
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(500, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(1, 501)
    documents = np.arange(500) // 5
    exact = compute_hub_scores(ids, documents, lambda w: vectors[w - 1], HubParams(5, sample=1000))
    calls: list[int] = []

    def vectors_of(wanted: np.ndarray) -> np.ndarray:
        calls.append(len(wanted))
        return vectors[wanted - 1]

    sampled = compute_hub_scores(ids, documents, vectors_of, HubParams(5, sample=100))
    assert calls[0] == 100  # the reference sample, then the passages in chunks
    assert sum(calls[1:]) == 500
    assert np.all(sampled.values <= exact.values + 1e-6)  # a subset's nearest are no nearer
    again = compute_hub_scores(ids, documents, lambda w: vectors[w - 1], HubParams(5, sample=100))
    assert np.array_equal(again.values, sampled.values)  # the sample is fixed


def test_demotion_reorders_by_similarity_minus_hub_score() -> None:
    hubs = HubScores(np.array([1, 2, 3]), np.array([0.9, 0.1, 0.5], dtype=np.float32), HubParams())
    ids = np.array([1, 2, 3])
    similarities = np.array([0.8, 0.7, 0.6], dtype=np.float32)
    assert demote_hubs(ids, similarities, hubs, 0.0, 3).tolist() == [1, 2, 3]
    assert demote_hubs(ids, similarities, hubs, 1.0, 2).tolist() == [2, 3]


def test_hub_scores_are_stored_with_the_vectors_and_read_back(tmp_path: Path) -> None:
    generation = build(tmp_path, ON)
    manifest = (generation / "manifest.json").read_text()
    vectors_folder = next(generation.glob("vectors-*"))
    assert vectors_folder.name in manifest
    stored = HubScores.load(vectors_folder)
    assert stored is not None and stored.params == ON.hub_params()
    hub_id = int(stored.ids[np.argmax(stored.values)])
    assert stored.values.max() == pytest.approx(0.5)  # the hub: its three nearest are 0.5 away
    reader = SearchIndex.open(generation, MarkerEmbedder(), ON)
    assert reader.document_passages("https://w3id.org/impactkg/id/doc/hub")[0].id == hub_id
    assert first_document(reader) == "fiets"
    assert first_document(reader.with_options(OFF)) == "hub"


def test_an_index_written_without_hub_scores_still_demotes_hubs(tmp_path: Path) -> None:
    generation = build(tmp_path, OFF)
    assert not any(generation.glob(f"vectors-*/{HUBNESS_FILE}"))
    reader = SearchIndex.open(generation, MarkerEmbedder(), ON)  # computes them in memory
    assert first_document(reader) == "fiets"
    assert first_document(reader.with_options(replace(ON, hub_neighbours=1))) == "hub"


def test_the_writer_recomputes_hub_scores_after_a_change(tmp_path: Path) -> None:
    with SearchIndex.open_writer(tmp_path / "index", MarkerEmbedder(), ON) as writer:
        for word in ("hub", "fiets"):
            writer.replace_document(passages(word)[0].document_iri, passages(word))
        assert first_document(writer) == "hub"  # with one other document the hub is no hub
        for word in ("voedsel", "klimaat", "wonen"):
            writer.replace_document(passages(word)[0].document_iri, passages(word))
        assert first_document(writer) == "fiets"


def test_a_damaged_hub_file_is_a_format_error(tmp_path: Path) -> None:
    generation = build(tmp_path, ON)
    next(generation.glob(f"vectors-*/{HUBNESS_FILE}")).write_bytes(b"not a zip")
    with pytest.raises(IndexFormatError, match="hubness"):
        SearchIndex.open(generation, MarkerEmbedder(), ON)
