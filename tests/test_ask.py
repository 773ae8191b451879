"""The answerer over a real data directory (samples/ and tests/fixtures/ask_docs ingested):
graph answers, evidence answers, declines, facets, the JSON shape, the CLI."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ask import Answer, Answerer, AskError, EntityCatalog
from impactkg import wiring
from impactkg.cli import cli
from impactkg.settings import load_settings
from search import SearchFilters

TOP_LEVEL_KEYS = {"question", "language", "answered", "kind", "reason", "text", "sentences", "citations",
                  "resources", "passages", "linked", "sparql", "graph_rows", "timings_ms", "writer",
                  "writer_note"}


@pytest.fixture(scope="module")
def answerer(ask_data: Path) -> Iterator[Answerer]:
    settings = load_settings(ask_data)
    with wiring.open_reader(settings) as reader, wiring.open_search(settings, reader) as index:
        yield wiring.open_answerer(settings, reader, index)


def run(data: Path, *args: str):
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args], catch_exceptions=False)


def assert_well_cited(answer: Answer) -> None:
    """Every sentence cites; every citation exists, quotes its passage verbatim and is marked there."""
    ids = {c.id for c in answer.citations}
    assert answer.sentences and all(s.citations for s in answer.sentences)
    assert all(set(s.citations) <= ids for s in answer.sentences)
    passages = {p.passage_iri: p for p in answer.passages}
    for citation in answer.citations:
        e = citation.evidence
        if not e.passage_iri:
            continue  # curated reference data has no passage
        assert passages[e.passage_iri].text[e.start:e.end] == e.quote
        assert any(span.citation == citation.id for span in passages[e.passage_iri].cited)
    for marker in ids:
        assert f"[{marker}]" in answer.text


def test_a_graph_question_lists_exactly_the_speakers_the_graph_holds(answerer: Answerer) -> None:
    answer = answerer.answer("Wie sprak er op de CoP in Amersfoort?")
    assert answer.answered and answer.kind == "graph"
    assert answer.graph_rows is not None
    assert {row[0] for row in answer.graph_rows.rows} == {
        "Wouter Kersten", "Jacqueline Scheidsbach", "Angélique Boel", "Koen Haer"}
    assert_well_cited(answer)
    titles = {c.evidence.title for c in answer.citations}
    assert titles == {"Community of Practice: impact maken én opschalen"}
    assert {r.label for r in answer.resources} >= {"Wouter Kersten", "Koen Haer"}
    wouter = next(r for r in answer.resources if r.label == "Wouter Kersten")
    assert wouter.type == "Person" and "Platform31" in wouter.facts["affiliatedWith"]
    assert answer.sparql is not None and "VALUES" in answer.sparql


def test_the_returned_query_runs_again_with_the_same_rows(answerer: Answerer, ask_data: Path) -> None:
    answer = answerer.answer("Welke City Deals gaan over mobiliteit?")
    assert answer.graph_rows is not None and answer.sparql is not None
    again = run(ask_data, "sparql", answer.sparql, "--format", "json")
    assert again.exit_code == 0, again.output
    names = {b["name"]["value"] for b in json.loads(again.output)["results"]["bindings"]}
    assert names == {row[0] for row in answer.graph_rows.rows} == {
        "City Deal Elektrische Deelmobiliteit in Stedelijke Gebiedsontwikkeling",
        "City Deal Ruimte voor Lopen", "City Deal Fietsen voor Iedereen"}
    assert answer.citations[0].evidence.passage_iri == ""  # curated data: the reference graph
    assert answer.citations[0].evidence.start is None


def test_an_evidence_question_quotes_sentences_with_their_sources(answerer: Answerer) -> None:
    answer = answerer.answer("Hoe ga je om met partijen die weerstand bieden?")
    assert answer.answered and answer.kind == "evidence"
    assert_well_cited(answer)
    assert 1 <= len(answer.sentences) <= 3
    quotes = [c.evidence.quote for c in answer.citations]
    assert len(set(quotes)) == len(quotes)
    for citation in answer.citations:
        assert citation.evidence.quote in citation.evidence.passage_text
        assert citation.evidence.source.endswith((".html", ".docx", ".pdf", ".txt", ".md"))
    assert all(t >= 0 for t in answer.timings_ms.values()) and answer.timings_ms["total"] > 0


def test_an_english_question_is_answered_from_dutch_passages(answerer: Answerer) -> None:
    answer = answerer.answer("Why did almost half of the cycling course participants stop cycling?")
    assert answer.language == "en" and answer.answered
    assert any("fiets" in c.evidence.quote for c in answer.citations)


def test_a_resource_list_question_quotes_the_resources(answerer: Answerer) -> None:
    answer = answerer.answer("Welke werkzame elementen zijn bekend voor opschaling?")
    assert answer.answered and answer.kind == "graph+evidence"
    assert_well_cited(answer)
    assert any(r.type == "WorkingElement" for r in answer.resources)
    assert any("werkza" in c.evidence.quote.casefold() for c in answer.citations)


def test_off_topic_questions_are_declined_with_the_nearest_passages(answerer: Answerer) -> None:
    answer = answerer.answer("Wie won de Tour de France in 1998?")
    assert not answer.answered and answer.kind == "declined"
    assert "Tour de France" in answer.reason
    assert answer.text == "" and not answer.citations and not answer.sentences
    assert answer.passages and all(not p.cited for p in answer.passages)


def test_on_topic_questions_the_sources_do_not_answer_are_not_answered(answerer: Answerer) -> None:
    answer = answerer.answer("Wat leerde de City Deal Circulaire Stad over het inkopen van meubilair?")
    assert not answer.answered and answer.kind == "evidence"
    assert "City Deal Circulaire Stad" in answer.reason
    nowhere = answerer.answer("Wie sprak er op de CoP in Maastricht?")
    assert not nowhere.answered and "Maastricht" in nowhere.reason


def test_facets_limit_the_evidence(answerer: Answerer) -> None:
    deal = "https://w3id.org/impactkg/id/deal/city-deal-fietsen-voor-iedereen"
    answer = answerer.answer("Wat werkte goed?", filters=SearchFilters(deals=(deal,)))
    assert answer.passages
    documents = {c.evidence.document_iri for c in answer.citations}
    documents |= {p.document_iri for p in answer.passages}
    titles = {p.title for p in answer.passages}
    assert documents and not any("Eenzaamheid" in t or "Ruimte voor Lopen" in t for t in titles)
    nothing = answerer.answer("Wat werkte goed?", filters=SearchFilters(date_from="2099"))
    assert not nothing.answered and not nothing.passages


def test_bad_input_raises_ask_error(answerer: Answerer) -> None:
    for question in ("", "   ", "x" * 501):
        with pytest.raises(AskError):
            answerer.answer(question)
    with pytest.raises(AskError, match="unknown mode"):
        answerer.answer("Wat is impact?", mode="fuzzy")
    with pytest.raises(AskError):
        answerer.answer("Wat is impact?", filters={"deal": "x"})  # type: ignore[arg-type]


def test_the_json_form_has_every_field(answerer: Answerer) -> None:
    data = json.loads(json.dumps(answerer.answer("Wat is een loopaudit?").to_dict()))
    assert set(data) == TOP_LEVEL_KEYS
    assert set(data["timings_ms"]) == {"link", "graph", "search", "compose", "total"}
    citation = data["citations"][0]
    assert set(citation) == {"id", "passage_iri", "document_iri", "title", "source", "quote", "start",
                             "end", "score"}
    passage = data["passages"][0]
    assert set(passage) == {"passage_iri", "document_iri", "title", "source", "date", "heading_path",
                            "text", "cited", "score"}
    assert data["sentences"][0]["citations"] == [1]
    assert data["writer"] == "extractive"


def test_one_catalog_serves_answerers_in_several_threads(ask_data: Path) -> None:
    settings = load_settings(ask_data)
    with wiring.open_reader(settings) as reader, wiring.open_search(settings, reader) as index:
        catalog = EntityCatalog.from_graph(reader)
        answerer = wiring.open_answerer(settings, reader, index, catalog)
        questions = ["Wie sprak er op de CoP in Amersfoort?", "Wat is een loopaudit?",
                     "Welke City Deals zijn afgerond?", "Wat is het recept voor appeltaart?"] * 2
        results: dict[int, Answer] = {}

        def ask(number: int) -> None:
            results[number] = answerer.answer(questions[number])

        threads = [threading.Thread(target=ask, args=(n,)) for n in range(len(questions))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert len(results) == len(questions)
    assert [results[n].answered for n in range(4)] == [True, True, True, False]
    assert results[0].text == results[4].text


def test_cli_ask_text_and_json(ask_data: Path) -> None:
    text = run(ask_data, "ask", "Wie sprak er op de CoP in Amersfoort?")
    assert text.exit_code == 0, text.output
    assert "Antwoord / answer (graph):" in text.output and "Bronnen / sources:" in text.output
    assert "[1] Community of Practice: impact maken én opschalen" in text.output
    assert "Person: Wouter Kersten" in text.output
    declined = run(ask_data, "ask", "Wat is het recept voor appeltaart?")
    assert declined.exit_code == 0
    assert "Geen goed antwoord gevonden" in declined.output and "nearest passages" in declined.output
    data = json.loads(run(ask_data, "ask", "Wat is een loopaudit?", "--format", "json",
                          "--doc-type", "news").output)
    assert data["answered"] and all("ruimte-voor-lopen" in c["source"] for c in data["citations"])


@pytest.mark.parametrize(("args", "message"), [
    (("ask", ""), "question is empty"),
    (("ask", "Wat is impact?", "--deal", "Bestaat Niet"), "no deal matches"),
    (("ask", "Wat is impact?", "--from", "gisteren"), "ISO date"),
])
def test_cli_ask_bad_input_is_one_line(ask_data: Path, args: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(ask_data), *args])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_eval_ask_reports_each_part(ask_data: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in (
        {"id": "a", "q": "Wat is een loopaudit?", "kind": "evidence", "split": "tune",
         "relevant": [{"doc": "nieuws-ruimte-voor-lopen-2024-09-18.html",
                       "evidence": ["liepen ambtenaren samen met bewoners"]}]},
        {"id": "b", "q": "Wie won de Tour de France in 1998?", "kind": "unanswerable", "split": "heldout"},
        # "klimaatadaptatie" is a theme and also a short name of that deal: a list question means the theme
        {"id": "c", "q": "Welke City Deals gaan over klimaatadaptatie?", "kind": "graph", "split": "heldout",
         "expected": ["City Deal Klimaatadaptatie"]},
    )) + "\n", encoding="utf-8")
    result = run(ask_data, "eval-ask", str(questions), "--format", "json")
    assert result.exit_code == 0, result.output
    parts = {p["split"]: p for p in json.loads(result.output)["parts"]}
    assert set(parts) == {"tune", "heldout", "all"}
    assert parts["all"]["unanswerable_declined"] == 1.0
    assert parts["heldout"]["graph_exact"] == 1.0
    assert parts["tune"]["citation_top3"] == 1.0
    table = run(ask_data, "eval-ask", str(questions), "--split", "tune")
    assert "| tune | 1 |" in table.output


def test_sentence_vectors_are_kept_for_the_next_process(ask_data: Path, tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ask_data, data, symlinks=True)
    (data / "cache" / "ask-sentences.sqlite").unlink(missing_ok=True)
    first = run(data, "ask", "Wat is een loopaudit?", "--format", "json")
    assert first.exit_code == 0, first.output
    from search import EmbeddingCache

    cache = EmbeddingCache(data / "cache" / "ask-sentences.sqlite")
    stored = cache.count()
    cache.close()
    assert stored > 0
    again = run(data, "ask", "Wat is een loopaudit?", "--format", "json")
    assert json.loads(again.output)["text"] == json.loads(first.output)["text"]
    for suffix in ("", "-wal", "-shm"):
        (data / "cache" / f"ask-sentences.sqlite{suffix}").unlink(missing_ok=True)
    (data / "cache" / "ask-sentences.sqlite").write_bytes(b"not a database" * 100)
    broken = run(data, "ask", "Hoe werd het aantal voetgangers geteld?", "--format", "json")
    assert broken.exit_code == 0 and json.loads(broken.output)["answered"]


def test_a_failing_sentence_cache_is_dropped_not_fatal(answerer: Answerer, tmp_path: Path) -> None:
    from ask.evidence import SentenceVectors
    from search import EmbeddingCache

    cache = EmbeddingCache(tmp_path / "vectors.sqlite")
    cache.close()  # every later use raises sqlite3.ProgrammingError
    vectors = SentenceVectors(store=cache)
    embedded = vectors.embed(answerer.search_index, ["Een zin.", "Nog een zin."])
    assert embedded.shape == (2, answerer.search_index.embedder.dim) and vectors.store is None
