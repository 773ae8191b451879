"""SearchIndex end to end: the three modes, Dutch stemming, facets, writer and reader generations."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from kg.records import PassageRecord
from search import (
    BadSearchRequest,
    IndexFormatError,
    IndexLocked,
    IndexModelMismatch,
    IndexNotFound,
    SearchFilters,
    SearchIndex,
    SearchOptions,
    load_embedder,
)
from search.analysis import analyze

BASE = "https://w3id.org/impactkg/id/"
DEAL = BASE + "deal/"
DOCTYPE = "https://w3id.org/impactkg/concept/doctype-"
WIJK = DEAL + "city-deal-kansrijke-wijk"
CIRCULAIR = DEAL + "city-deal-circulaire-stad"
VOEDSEL = DEAL + "city-deal-voedsel-op-de-stedelijke-agenda"
WARMTE = DEAL + "city-deal-aardgasvrije-wijken"

# key: (title, deal, doc type, date, passages)
CORPUS: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "cop-werkzaam": (
        "Verslag CoP over werkzame elementen",
        WIJK,
        "cop-report",
        "2023-03-12",
        (
            "Werkzame elementen zijn voorwaarden die voorspellen of een interventie op lange "
            "termijn impact heeft. Waardering zorgt ervoor dat jongeren vrijwilligerswerk blijven "
            "doen.",
            "Hoe herken je een werkzaam element? Kijk naar wat deelnemers zelf noemen als reden "
            "om door te gaan.",
        ),
    ),
    "zwolle": (
        "Van pilot naar vijf gemeenten",
        WARMTE,
        "news",
        "2022-11-15",
        (
            "De aanpak uit Zwolle werd na een geslaagde pilot opgeschaald naar vijf andere gemeenten.",
            "Betrek partijen die zich verzetten al in de verkenningsfase; hun bezwaren laten zien "
            "waar de aanpak later vastloopt.",
        ),
    ),
    "circulair": (
        "Circulaire stad: bouwen en inkopen",
        CIRCULAIR,
        "deal-text",
        "2021-05-01",
        (
            "Bouwmaterialen uit gesloopte scholen werden hergebruikt in nieuwe woningen; zo "
            "bespaarde de gemeente veel CO2-uitstoot.",
            "Circulair inkopen van meubilair vraagt andere afspraken met leveranciers over "
            "terugname en reparatie.",
            "Een grondstoffenpaspoort legt vast welke materialen in een gebouw zitten.",
        ),
    ),
    "voedsel": (
        "Voedsel op de stedelijke agenda",
        VOEDSEL,
        "deal-text",
        "2020-02-20",
        (
            "De City Deal verbindt gemeenten, provincies en ondernemers rond gezond en duurzaam "
            "voedsel in de stad.",
            "Stadslandbouw en korte ketens leverden honderd nieuwe afzetpunten op voor lokale boeren.",
        ),
    ),
    "keten": (
        "De impactketen uitgelegd",
        "",
        "evaluation",
        "2023-06-01",
        (
            "De impactketen loopt van ambitie via beleid en uitvoering naar output en impact. "
            "Tussen output en impact liggen aannames.",
            "Honderd gezinnen volgden een training over energiebesparing; dat is output. Of hun "
            "energierekening blijvend daalt, is impact.",
        ),
    ),
    "profijt": (
        "Samen ontwerpen met de profijtgroep",
        WIJK,
        "cop-report",
        "2023-09-14",
        (
            "De profijtgroep zijn de mensen die baat moeten hebben bij de verandering. Ontwerp de "
            "aanpak samen met hen, niet voor hen.",
            "Bewoners van de wijk schreven mee aan het plan en kozen zelf welke speelplekken eerst "
            "werden vernieuwd.",
        ),
    ),
    "waarde": (
        "Zachte waarde",
        "",
        "evaluation",
        "2022-01-10",
        (
            "Zachte waarde, zoals vertrouwen tussen buren, is vaak pre-financieel: het levert "
            "later besparingen op in zorg en veiligheid.",
            "Een maatschappelijke kosten-batenanalyse maakt zichtbaar welke partij de baten "
            "ontvangt en wie de kosten draagt.",
        ),
    ),
    "borgen": (
        "Fase 4: borgen",
        "",
        "cop-report",
        "2024-02-08",
        (
            "In de fase borgen kies je tussen opschalen, repliceren of stoppen. Stoppen is geen "
            "mislukking als je de lessen vastlegt.",
            "De lessen uit de bijeenkomst in Utrecht zijn vastgelegd door sprekers van de gemeente "
            "en het ministerie.",
        ),
    ),
}


def doc_iri(key: str) -> str:
    return f"{BASE}doc/{key}"


def records(key: str, texts: Sequence[str] | None = None, **facets: tuple[str, ...]):
    title, deal, doc_type, date, default_texts = CORPUS[key]
    doc = doc_iri(key)
    values: dict[str, tuple[str, ...]] = {"doc_type": (DOCTYPE + doc_type,), "date": (date,)}
    if deal:
        values["deal"] = (deal,)
    values.update(facets)
    return [
        PassageRecord(
            iri=f"{doc}/p{position}",
            document_iri=doc,
            position=position,
            text=text,
            heading_path=(title, f"Deel {position + 1}"),
            document_title=title,
            document_url=f"https://agendastad.example/{key}",
            document_date=date,
            start_char=position * 1000,
            end_char=position * 1000 + len(text),
            facets=values,
        )
        for position, text in enumerate(default_texts if texts is None else texts)
    ]


def passage(key: str, position: int) -> str:
    return f"{doc_iri(key)}/p{position}"


class BagOfTermsEmbedder:
    """A fast, deterministic stand-in for a model: hashed bag of Dutch terms. Counts its calls."""

    def __init__(self, name: str = "test:bag-of-terms", dim: int = 64):
        self.name = name
        self.dim = dim
        self.passage_calls = 0
        self.passages_embedded = 0
        self.query_calls = 0

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for term in analyze(text):
            digest = hashlib.sha256(term.encode()).digest()
            vector[int.from_bytes(digest[:4], "little") % (self.dim - 1)] += 1.0
        vector[-1] = 0.1  # never the zero vector
        return vector / np.linalg.norm(vector)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passage_calls += 1
        self.passages_embedded += len(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim))

    def embed_query(self, text: str) -> np.ndarray:
        self.query_calls += 1
        return self._vector(text)


def build(
    folder: Path, embedder, keys: Sequence[str] | None = None, options: SearchOptions | None = None
) -> SearchIndex:
    writer = SearchIndex.open_writer(folder, embedder, options)
    for key in keys or CORPUS:
        writer.replace_document(doc_iri(key), records(key))
    writer.flush()
    return writer


def iris(hits) -> list[str]:
    return [hit.passage_iri for hit in hits]


# -- the real model on the small corpus ------------------------------------------------------


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    folder = tmp_path_factory.mktemp("search")
    embedder = load_embedder()
    with build(folder / "index", embedder) as writer:
        writer.publish_to(folder / "gen-1")
    return SearchIndex.open(folder / "gen-1", embedder)


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("werkzame elementen voorspellen impact", passage("cop-werkzaam", 0)),
        ("circulair inkopen van meubilair", passage("circulair", 1)),
        ("stadslandbouw en korte ketens", passage("voedsel", 1)),
        ("maatschappelijke kosten-batenanalyse", passage("waarde", 1)),
    ],
)
def test_each_mode_finds_the_obvious_passage(reader, mode, query, expected) -> None:
    assert iris(reader.search(query, mode=mode, k=3))[0] == expected


@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("How do you involve parties that resist the project?", passage("zwolle", 1)),
        ("Wat is het verschil tussen output en impact?", passage("keten", 1)),
        ("Hoe betrek je de doelgroep bij het ontwerp?", passage("profijt", 0)),
    ],
)
def test_paraphrased_and_english_questions_find_the_passage(reader, mode, query, expected) -> None:
    assert expected in iris(reader.search(query, mode=mode, k=2))


def test_dutch_stemming_matches_other_forms(reader) -> None:
    hits = reader.search("werkzame elementen", mode="keyword", k=5)
    assert passage("cop-werkzaam", 1) in iris(hits)  # "werkzaam element"
    singular = next(h for h in hits if h.passage_iri == passage("cop-werkzaam", 1))
    assert "<mark>werkzaam element</mark>" in singular.highlighted

    hits = reader.search("opschalen", mode="keyword", k=5)
    assert iris(hits)[0] == passage("zwolle", 0)  # "opgeschaald"
    assert "<mark>opgeschaald</mark>" in hits[0].highlighted


def test_hit_carries_document_scores_and_ranks(reader) -> None:
    hit = reader.search("korte ketens voor lokale boeren", mode="hybrid", k=1)[0]
    assert hit.passage_iri == passage("voedsel", 1)
    assert hit.document_iri == doc_iri("voedsel")
    assert hit.document_title == "Voedsel op de stedelijke agenda"
    assert hit.document_url == "https://agendastad.example/voedsel"
    assert hit.document_date == "2020-02-20"
    assert hit.deals == (VOEDSEL,)
    assert hit.position == 1
    assert hit.heading_path == ("Voedsel op de stedelijke agenda", "Deel 2")
    assert hit.rank == 1 and hit.keyword_rank == 1 and hit.vector_rank == 1
    assert hit.keyword_score is not None and hit.keyword_score > 0
    assert hit.vector_score is not None and 0 < hit.vector_score <= 1.0001
    assert hit.fused_score > 0
    assert "<mark>korte ketens</mark>" in hit.highlighted
    assert "<mark>lokale boeren</mark>" in hit.highlighted
    assert hit.to_dict()["deals"] == [VOEDSEL]

    keyword_only = reader.search("korte ketens", mode="keyword", k=1)[0]
    assert keyword_only.vector_score is None and keyword_only.vector_rank is None
    semantic_only = reader.search("korte ketens", mode="semantic", k=1)[0]
    assert semantic_only.keyword_score is None and semantic_only.keyword_rank is None


@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
def test_a_filter_returns_every_passage_of_the_deal(reader, mode) -> None:
    deal_passages = {passage("circulair", i) for i in range(3)}
    unfiltered = reader.search("werkzame elementen bij jongeren", mode=mode, k=3)
    assert not deal_passages & set(iris(unfiltered))  # the case worth testing

    hits = reader.search(
        "werkzame elementen bij jongeren", mode=mode, k=3, filters=SearchFilters(deals=(CIRCULAIR,))
    )
    assert set(iris(hits)) == deal_passages
    assert [h.rank for h in hits] == [1, 2, 3]
    assert all(h.deals == (CIRCULAIR,) for h in hits)

    more = reader.search("werkzame elementen", mode=mode, k=10, filters=SearchFilters(deals=(CIRCULAIR,)))
    assert set(iris(more)) == deal_passages


def test_keyword_filter_keeps_every_matching_passage_of_the_deal(reader) -> None:
    filters = SearchFilters(deals=(CIRCULAIR,))
    # "circulaire" is in the title, so the context of every passage of that document holds it.
    assert len(reader.search("circulaire gemeente", mode="keyword", k=3, filters=filters)) == 3
    assert reader.search("stadslandbouw", mode="keyword", k=3, filters=filters) == []


def test_filters_by_doc_type_date_and_several_deals(reader) -> None:
    news = reader.search("aanpak", k=10, filters=SearchFilters(doc_types=(DOCTYPE + "news",)))
    assert {h.document_iri for h in news} == {doc_iri("zwolle")}

    in_2023 = reader.search("impact", k=20, filters=SearchFilters(date_from="2023", date_to="2023"))
    assert {h.document_date[:4] for h in in_2023} == {"2023"}
    assert len(in_2023) == 6  # cop-werkzaam, keten, profijt: two passages each

    spring = SearchFilters(date_from="2023-03", date_to="2023-06-01")
    assert {h.document_iri for h in reader.search("impact", k=20, filters=spring)} == {
        doc_iri("cop-werkzaam"),
        doc_iri("keten"),
    }

    both = SearchFilters(deals=(VOEDSEL, WARMTE), doc_types=(DOCTYPE + "deal-text",))
    assert {h.document_iri for h in reader.search("gemeenten", k=20, filters=both)} == {doc_iri("voedsel")}
    assert reader.search("gemeenten", filters=SearchFilters(deals=(BASE + "deal/none",))) == []


def test_facet_values_count_passages(reader) -> None:
    assert reader.facet_values("deal") == {WIJK: 4, WARMTE: 2, CIRCULAIR: 3, VOEDSEL: 2}


def test_bad_requests_are_clear_errors(reader) -> None:
    with pytest.raises(BadSearchRequest, match="mode"):
        reader.search("impact", mode="fuzzy")
    with pytest.raises(BadSearchRequest, match="k must"):
        reader.search("impact", k=0)
    with pytest.raises(BadSearchRequest, match="ISO date"):
        SearchFilters(date_from="maart 2023")
    with pytest.raises(BadSearchRequest, match="after"):
        SearchFilters(date_from="2024", date_to="2023")
    assert reader.search("   ") == []
    assert reader.search("de het een", mode="keyword") == []  # only stop words


def test_reader_cannot_write(reader) -> None:
    with pytest.raises(PermissionError):
        reader.replace_document(doc_iri("keten"), [])


# -- writer mechanics with a stand-in model ----------------------------------------------------


def test_remove_document_updates_both_indexes(tmp_path: Path) -> None:
    embedder = BagOfTermsEmbedder()
    with build(tmp_path / "index", embedder) as writer:
        assert iris(writer.search("stadslandbouw", mode="keyword", k=1)) == [passage("voedsel", 1)]
        writer.remove_document(doc_iri("voedsel"))
        for mode in ("keyword", "semantic", "hybrid"):
            found = {h.document_iri for h in writer.search("stadslandbouw", mode=mode, k=20)}
            assert doc_iri("voedsel") not in found
        writer.publish_to(tmp_path / "gen")
    reader = SearchIndex.open(tmp_path / "gen", embedder)
    assert reader.search("stadslandbouw", mode="keyword") == []
    assert doc_iri("voedsel") not in {h.document_iri for h in reader.search("stadslandbouw", k=50)}
    assert reader.document_iris() == sorted(doc_iri(key) for key in CORPUS if key != "voedsel")
    assert reader.stats()["passages"] == 15


def test_replace_document_updates_both_indexes(tmp_path: Path) -> None:
    embedder = BagOfTermsEmbedder()
    with build(tmp_path / "index", embedder) as writer:
        before = embedder.passages_embedded
        texts = list(CORPUS["voedsel"][4])
        texts[1] = "Voedselbossen in de stad trekken bijen en vlinders aan."
        writer.replace_document(doc_iri("voedsel"), records("voedsel", texts))
        assert embedder.passages_embedded == before + 1  # only the changed passage
        writer.publish_to(tmp_path / "gen")
    reader = SearchIndex.open(tmp_path / "gen", embedder)
    assert reader.search("stadslandbouw", mode="keyword") == []
    for mode in ("keyword", "semantic", "hybrid"):
        assert iris(reader.search("voedselbossen bijen vlinders", mode=mode, k=1)) == [passage("voedsel", 1)]
    assert reader.stats()["passages"] == 17


def test_metadata_change_keeps_the_vectors(tmp_path: Path) -> None:
    embedder = BagOfTermsEmbedder()
    with build(tmp_path / "index", embedder) as writer:
        writer.publish_to(tmp_path / "gen-1")
        before = embedder.passages_embedded
        writer.replace_document(doc_iri("keten"), records("keten", deal=(WIJK,)))
        assert embedder.passages_embedded == before
        writer.publish_to(tmp_path / "gen-2")
    gen1 = json.loads((tmp_path / "gen-1" / "manifest.json").read_text())
    gen2 = json.loads((tmp_path / "gen-2" / "manifest.json").read_text())
    assert gen1["files"]["vectors"] == gen2["files"]["vectors"]
    assert gen1["files"]["passages"] != gen2["files"]["passages"]
    shared = gen1["files"]["vectors"]
    first = (tmp_path / "gen-1" / shared / "index.faiss").stat()
    second = (tmp_path / "gen-2" / shared / "index.faiss").stat()
    assert first.st_ino == second.st_ino  # hard-linked, not copied
    reader = SearchIndex.open(tmp_path / "gen-2", embedder)
    assert reader.facet_values("deal")[WIJK] == 6


def test_reader_keeps_serving_while_the_writer_publishes(tmp_path: Path) -> None:
    embedder = BagOfTermsEmbedder()
    writer = build(tmp_path / "index", embedder)
    writer.publish_to(tmp_path / "gen-1")
    reader = SearchIndex.open(tmp_path / "gen-1", embedder)
    expected = {mode: iris(reader.search("stadslandbouw", mode=mode)) for mode in ("keyword", "hybrid")}
    assert expected["keyword"] == [passage("voedsel", 1)]

    def rewrite() -> None:
        writer.remove_document(doc_iri("voedsel"))
        for key in CORPUS:
            if key != "voedsel":
                texts = [t + " Bijgewerkt." for t in CORPUS[key][4]]
                writer.replace_document(doc_iri(key), records(key, texts))
        writer.publish_to(tmp_path / "gen-2")

    thread = threading.Thread(target=rewrite)
    thread.start()
    answers = 0
    while thread.is_alive() or answers < 20:
        for mode, hits in expected.items():
            assert iris(reader.search("stadslandbouw", mode=mode)) == hits
        answers += 1
    thread.join()
    writer.close()

    assert iris(reader.search("stadslandbouw", mode="keyword")) == [passage("voedsel", 1)]
    newer = SearchIndex.open(tmp_path / "gen-2", embedder)
    assert newer.search("stadslandbouw", mode="keyword") == []
    assert newer.stats()["passages"] == 15


def test_a_generation_folder_is_written_once(tmp_path: Path) -> None:
    with build(tmp_path / "index", BagOfTermsEmbedder(), keys=["keten"]) as writer:
        writer.publish_to(tmp_path / "gen")
        with pytest.raises(FileExistsError):
            writer.publish_to(tmp_path / "gen")


def test_writer_search_sees_unflushed_changes(tmp_path: Path) -> None:
    with SearchIndex.open_writer(tmp_path / "index", BagOfTermsEmbedder()) as writer:
        writer.replace_document(doc_iri("borgen"), records("borgen"))
        assert iris(writer.search("repliceren", mode="keyword", k=1)) == [passage("borgen", 0)]
        assert iris(writer.search("repliceren", mode="semantic", k=1)) == [passage("borgen", 0)]


def test_unflushed_changes_survive_a_restart_without_embedding_again(tmp_path: Path) -> None:
    embedder = BagOfTermsEmbedder()
    writer = SearchIndex.open_writer(tmp_path / "index", embedder)
    writer.replace_document(doc_iri("borgen"), records("borgen"))
    writer.close()  # as if the process died before flush
    embedded = embedder.passages_embedded

    with SearchIndex.open_writer(tmp_path / "index", embedder) as writer:
        writer.publish_to(tmp_path / "gen")
    assert embedder.passages_embedded == embedded  # vectors came from the cache
    reader = SearchIndex.open(tmp_path / "gen", embedder)
    assert iris(reader.search("repliceren", mode="semantic", k=1)) == [passage("borgen", 0)]


def test_changes_after_the_last_flush_survive_a_restart(tmp_path: Path) -> None:
    embedder = BagOfTermsEmbedder()
    build(tmp_path / "index", embedder, keys=["keten", "waarde"]).close()
    writer = SearchIndex.open_writer(tmp_path / "index", embedder)
    writer.replace_document(doc_iri("borgen"), records("borgen"))
    writer.remove_document(doc_iri("waarde"))
    writer.close()  # stopped before flushing

    with SearchIndex.open_writer(tmp_path / "index", embedder) as writer:
        writer.publish_to(tmp_path / "gen")
    reader = SearchIndex.open(tmp_path / "gen", embedder)
    assert reader.stats()["passages"] == 4
    assert iris(reader.search("repliceren", mode="keyword", k=1)) == [passage("borgen", 0)]
    assert reader.search("kosten-batenanalyse", mode="keyword") == []


def test_model_mismatch_is_a_clear_error(tmp_path: Path) -> None:
    with build(tmp_path / "index", BagOfTermsEmbedder(), keys=["keten"]) as writer:
        writer.publish_to(tmp_path / "gen")
    other = BagOfTermsEmbedder(name="test:another-model")
    with pytest.raises(IndexModelMismatch, match="impactkg reindex"):
        SearchIndex.open(tmp_path / "gen", other)
    with pytest.raises(IndexModelMismatch, match="impactkg reindex"):
        SearchIndex.open(tmp_path / "gen", load_embedder())
    with pytest.raises(IndexModelMismatch, match="impactkg reindex"):
        SearchIndex.open_writer(tmp_path / "index", other)

    with SearchIndex.open_writer(tmp_path / "index", other, reembed=True) as writer:
        assert other.passages_embedded == 2
        writer.publish_to(tmp_path / "gen-2")
    reader = SearchIndex.open(tmp_path / "gen-2", other)
    assert reader.stats()["model"] == "test:another-model"
    assert iris(reader.search("ambitie beleid uitvoering", mode="semantic", k=1)) == [passage("keten", 0)]


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    with (
        SearchIndex.open_writer(tmp_path / "index", BagOfTermsEmbedder()),
        pytest.raises(IndexLocked, match="another process"),
    ):
        SearchIndex.open_writer(tmp_path / "index", BagOfTermsEmbedder())
    SearchIndex.open_writer(tmp_path / "index", BagOfTermsEmbedder()).close()


def test_missing_or_foreign_index_folders(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound):
        SearchIndex.open(tmp_path / "nothing", BagOfTermsEmbedder())
    with build(tmp_path / "index", BagOfTermsEmbedder(), keys=["keten"]) as writer:
        writer.publish_to(tmp_path / "gen")
    manifest = tmp_path / "gen" / "manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "format_version": 99}))
    with pytest.raises(IndexFormatError, match="impactkg reindex"):
        SearchIndex.open(tmp_path / "gen", BagOfTermsEmbedder())


def test_an_empty_index_publishes_and_answers_nothing(tmp_path: Path) -> None:
    with SearchIndex.open_writer(tmp_path / "index", BagOfTermsEmbedder()) as writer:
        writer.publish_to(tmp_path / "gen")
    reader = SearchIndex.open(tmp_path / "gen", BagOfTermsEmbedder())
    for mode in ("keyword", "semantic", "hybrid"):
        assert reader.search("impact", mode=mode) == []


def test_hnsw_above_the_threshold(tmp_path: Path) -> None:
    embedder = BagOfTermsEmbedder()
    options = SearchOptions(hnsw_min_vectors=5, exact_max_vectors=2, hnsw_max_removed_fraction=0.5)
    with build(tmp_path / "index", embedder, options=options) as writer:
        assert writer.stats()["vector_index"] == "hnsw"
        writer.remove_document(doc_iri("borgen"))
        assert writer.stats()["removed_vectors"] == 2  # tombstones: HNSW cannot remove
        assert doc_iri("borgen") not in {h.document_iri for h in writer.search("borgen", k=50)}
        writer.publish_to(tmp_path / "gen")
    reader = SearchIndex.open(tmp_path / "gen", embedder, options)
    assert reader.stats()["vector_index"] == "hnsw"
    assert len(reader.search("gemeente", mode="semantic", k=50)) == 15
    assert iris(reader.search("circulair inkopen meubilair", mode="semantic", k=1)) == [
        passage("circulair", 1)
    ]
    wijk = reader.search("gemeente", mode="semantic", k=10, filters=SearchFilters(deals=(WIJK,)))
    assert len(wijk) == 4

    with SearchIndex.open_writer(tmp_path / "index", embedder, options) as writer:
        for key in ("voedsel", "keten", "profijt", "waarde"):
            writer.remove_document(doc_iri(key))
        writer.flush()  # more than half were tombstones: rebuilt from the live vectors
        assert writer.stats()["removed_vectors"] == 0
        assert writer.stats()["vector_index"] == "hnsw"
        assert len(writer.search("gemeente", mode="semantic", k=50)) == 7
