"""The ingest pipeline end to end through the CLI: files, URLs, crawls, re-runs, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpfixture
import pytest
from httpfixture import LocalHTTPServer, Route

from kg import GenerationReader, GraphStore

http_server = httpfixture.http_server

REPO = Path(__file__).resolve().parents[1]
RULES_ONLY = ("--setting", "annotate_with_model", "false")

LESSON = (
    "Wouter Kersten van Platform31 vertelde dat opschaling aan het begin wordt geboren, niet aan "
    "het eind. Betrek opschaalpartners daarom vroeg, ook partijen die weerstand bieden. "
    "Zorg voor diversiteit in situaties, doelgroepen en belangen. Dat maakt de latere stap naar "
    "andere steden makkelijker, omdat de aanpak al onder verschillende omstandigheden is getoetst. "
)


def write_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "les.txt").write_text("Opschalen begint vroeg\n\n" + LESSON * 2, encoding="utf-8")
    (folder / "notitie.md").write_text(
        "# Werkzame elementen\n\nWaardering is een werkzaam element dat output aan impact koppelt. "
        "Jongeren die waardering krijgen, blijven vrijwilligerswerk doen. " * 3, encoding="utf-8")
    (folder / "pagina.html").write_text(
        "<html><head><title>Profijtgroep betrekken</title></head><body><main><h1>Profijtgroep "
        "betrekken</h1><p>" + "Co-creëren met de profijtgroep helpt om gedeelde belangen te "
        "formuleren en een groter scala aan situaties af te dekken. " * 4
        + "</p></main></body></html>", encoding="utf-8")
    return folder


def stats(invoke) -> dict:
    result = invoke("stats", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_folder_ingest_is_idempotent_and_incremental(invoke, initialised: Path,
                                                     tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "bronnen")
    first = invoke(*RULES_ONLY, "ingest", str(folder))
    assert first.exit_code == 0, first.output
    assert "nieuw/new 3" in first.output and "mislukt/failed 0" in first.output
    before = stats(invoke)
    assert before["instances"]["Document"] == 3
    assert before["instances"]["Passage"] >= 3

    again = invoke(*RULES_ONLY, "ingest", str(folder))
    assert "ongewijzigd/unchanged 3" in again.output and "nieuw/new 0" in again.output
    assert stats(invoke)["quads"] == before["quads"]
    assert stats(invoke)["generation"] == before["generation"]  # nothing new to publish

    (folder / "les.txt").write_text("Opschalen begint vroeg\n\n" + LESSON, encoding="utf-8")
    changed = invoke(*RULES_ONLY, "ingest", str(folder))
    assert "gewijzigd/changed 1" in changed.output and "ongewijzigd/unchanged 2" in changed.output
    texts = invoke("sparql", "SELECT ?t WHERE { ?p a ikg:Passage ; ikg:text ?t ; ikg:inDocument ?d . "
                   "?d prov:hadPrimarySource ?s FILTER(CONTAINS(STR(?s), 'les.txt')) }",
                   "--format", "json")
    passages = [b["t"]["value"] for b in json.loads(texts.output)["results"]["bindings"]]
    assert sum(p.count("weerstand bieden") for p in passages) == 1  # the old text is gone

    (folder / "notitie.md").unlink()
    kept = invoke(*RULES_ONLY, "ingest", str(folder))
    assert stats(invoke)["instances"]["Document"] == 3  # without --prune nothing is removed
    assert kept.exit_code == 0
    pruned = invoke(*RULES_ONLY, "ingest", "--prune", str(folder))
    assert "verwijderd/pruned 1" in pruned.output
    assert stats(invoke)["instances"]["Document"] == 2
    hits = json.loads(invoke("search", "waardering vrijwilligerswerk", "--mode", "keyword",
                             "--format", "json").output)["hits"]
    assert not any("notitie.md" in hit["document_url"] for hit in hits)


def test_documents_record_provenance_and_passage_offsets(invoke, initialised: Path,
                                                         tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "bronnen")
    assert invoke(*RULES_ONLY, "ingest", str(folder)).exit_code == 0
    query = """SELECT ?src ?hash ?version ?at WHERE { ?d a ikg:Document ;
      prov:hadPrimarySource ?src ; ikg:contentHash ?hash ; ikg:extractorVersion ?version ;
      prov:generatedAtTime ?at }"""
    rows = json.loads(invoke("sparql", query, "--format", "json").output)["results"]["bindings"]
    assert len(rows) == 3
    for row in rows:
        assert row["src"]["value"].startswith("file:///")
        assert len(row["hash"]["value"]) == 64
        assert row["version"]["value"].startswith("ingest-")
    with GenerationReader(initialised) as reader:
        result = reader.query("SELECT ?text ?start ?end WHERE { ?p a ikg:Passage ; ikg:text ?text ; "
                              "ikg:startChar ?start ; ikg:endChar ?end }")
    for text, start, end in result.rows:
        assert int(end.value) - int(start.value) == len(text.value)
    assert invoke("validate").exit_code == 0


def test_bad_sources_are_reported_and_the_rest_is_kept(invoke, initialised: Path,
                                                       tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "bronnen")
    assert invoke(*RULES_ONLY, "ingest", str(folder)).exit_code == 0
    before = stats(invoke)
    bad = tmp_path / "slecht"
    bad.mkdir()
    (bad / "kapot.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (bad / "leeg.txt").write_text("")
    (bad / "groot.txt").write_text("woord " * 400_000)
    (bad / "latin1.txt").write_bytes(("Geëvalueerd: " + LESSON).encode("cp1252"))
    shutil.copy(folder / "les.txt", bad / "goed.txt")
    result = invoke(*RULES_ONLY, "--setting", "fetch_max_bytes", "1000000", "ingest", str(bad),
                    str(tmp_path / "bestaat-niet"))
    assert result.exit_code == 1
    failures = [line for line in result.output.splitlines() if line.startswith("MISLUKT")]
    assert len(failures) == 3, result.output
    assert any("kapot.pdf" in f for f in failures)
    skipped = [line for line in result.output.splitlines() if line.startswith("OVERGESLAGEN")]
    assert len(skipped) == 1 and skipped[0].endswith("leeg.txt: empty file")  # no text: no failure
    assert any("groot.txt" in f and "MB" in f for f in failures)
    assert any("bestaat-niet" in f and "no such file" in f for f in failures)
    assert "Traceback" not in result.output
    after = stats(invoke)
    assert after["instances"]["Document"] == before["instances"]["Document"] + 2  # goed + latin1


def test_url_ingest_refuses_private_addresses_unless_allowed(invoke, initialised: Path,
                                                             http_server: LocalHTTPServer) -> None:
    http_server.route("/les", Route("<html><head><title>Les</title></head><body><article><h1>Les"
                                    "</h1><p>" + LESSON * 2 + "</p></article></body></html>"))
    refused = invoke(*RULES_ONLY, "ingest", http_server.url("/les"))
    assert refused.exit_code == 1 and "--allow-private" in refused.output
    assert http_server.hits("/les") == 0
    allowed = invoke(*RULES_ONLY, "ingest", "--allow-private", http_server.url("/les"))
    assert allowed.exit_code == 0, allowed.output
    assert "nieuw/new 1" in allowed.output
    missing = invoke(*RULES_ONLY, "ingest", "--allow-private", http_server.url("/weg"))
    assert missing.exit_code == 1 and "404" in missing.output


def test_crawl_of_a_site_drops_its_template_and_teasers(invoke, initialised: Path,
                                                        http_server: LocalHTTPServer) -> None:
    from test_crawl import serve_fixture_site

    serve_fixture_site(http_server)
    result = invoke(*RULES_ONLY, "--setting", "fetch_per_host_delay_s", "0", "ingest", "--crawl",
                    "--allow-private", "--max-pages", "30", http_server.url("/"))
    failures = [line for line in result.output.splitlines() if line.startswith("MISLUKT")]
    skipped = [line for line in result.output.splitlines() if line.startswith("OVERGESLAGEN")]
    # the fixture site links tag and author pages it does not have: each is one skipped 404 line
    assert failures == [] and result.exit_code == 0, result.output
    assert all("404 Not Found" in s or "no main text" in s for s in skipped), skipped
    assert stats(invoke)["instances"]["Document"] >= 8
    texts = json.loads(invoke("sparql", "SELECT ?t WHERE { ?p ikg:text ?t }", "--format",
                              "json").output)["results"]["bindings"]
    joined = "\n".join(b["t"]["value"] for b in texts)
    for boilerplate in ("Lees ook", "cookies", "Laat een reactie achter", "nieuwsbrief"):
        assert boilerplate.lower() not in joined.lower(), boilerplate
    again = invoke(*RULES_ONLY, "--setting", "fetch_per_host_delay_s", "0", "ingest", "--crawl",
                   "--allow-private", "--max-pages", "30", http_server.url("/"))
    assert "nieuw/new 0" in again.output and "gewijzigd/changed 0" in again.output


def test_readers_keep_working_while_a_writer_holds_the_store(invoke, initialised: Path,
                                                             tmp_path: Path) -> None:
    with GraphStore(initialised):
        assert invoke("stats").exit_code == 0
        busy = invoke(*RULES_ONLY, "ingest", str(write_folder(tmp_path / "b")))
        assert busy.exit_code == 3 and "being written" in busy.output


@pytest.mark.parametrize("name", ["tussenevaluatie-fietsen-voor-iedereen-2025.pdf",
                                  "verslag-werksessie-opschalingspartners-2025-03-04.docx",
                                  "dealtekst-eenzaamheid-doorbreken.md"])
def test_every_reader_is_exercised_by_the_samples(invoke, initialised: Path, name: str) -> None:
    result = invoke(*RULES_ONLY, "ingest", str(REPO / "samples" / name))
    assert result.exit_code == 0, result.output
    assert stats(invoke)["instances"]["Passage"] >= 3


def test_a_new_annotator_reannotates_without_reading_again(invoke, initialised: Path,
                                                           tmp_path: Path, monkeypatch) -> None:
    import ingest.annotate.annotator as annotator_module

    folder = write_folder(tmp_path / "bronnen")
    assert invoke(*RULES_ONLY, "ingest", str(folder)).exit_code == 0
    monkeypatch.setattr(annotator_module, "ANNOTATOR_VERSION", "9.9.9")
    again = invoke(*RULES_ONLY, "ingest", str(folder))
    assert "ongewijzigd/unchanged 3" in again.output
    assert "opnieuw geannoteerd/re-annotated 3" in again.output
    versions = invoke("sparql", "SELECT ?v WHERE { ?d ikg:extractorVersion ?v }", "--format", "csv")
    assert versions.output.count("/annotate-9.9.9") == 3
    assert "re-annotated" not in invoke(*RULES_ONLY, "ingest", str(folder)).output


def test_a_304_for_a_document_read_differently_fetches_it_in_full(
        invoke, initialised: Path, http_server: LocalHTTPServer) -> None:
    http_server.route("/les", Route("<html><head><title>Les</title></head><body><article><h1>Les"
                                    "</h1><p>" + LESSON * 3 + "</p></article></body></html>",
                                    headers={"ETag": '"v1"'}))
    url = http_server.url("/les")
    assert invoke(*RULES_ONLY, "ingest", "--allow-private", url).exit_code == 0
    unchanged = invoke(*RULES_ONLY, "ingest", "--allow-private", url)
    assert "ongewijzigd/unchanged 1" in unchanged.output
    assert http_server.statuses("/les")[-1] == 304
    rechunked = invoke(*RULES_ONLY, "--setting", "chunk_max_words", "90", "ingest",
                       "--allow-private", url)
    assert rechunked.exit_code == 0, rechunked.output
    assert "gewijzigd/changed 1" in rechunked.output
    assert http_server.statuses("/les")[-2:] == [304, 200]
    forced = invoke(*RULES_ONLY, "--setting", "chunk_max_words", "90", "ingest",
                    "--allow-private", "--force", url)
    assert "gewijzigd/changed 1" in forced.output
    assert http_server.statuses("/les")[-1] == 200


def test_a_meeting_in_may_is_annotated(invoke, initialised: Path, tmp_path: Path) -> None:
    report = tmp_path / "verslag-mei.txt"
    report.write_text("Community of Practice in Utrecht\n\nOp 14 mei 2024 kwamen de deelnemers van "
                      "de Community of Practice samen in Utrecht. Dagvoorzitter Vera Beuzenberg "
                      "opende de bijeenkomst. " + LESSON, encoding="utf-8")
    result = invoke(*RULES_ONLY, "ingest", str(report))
    assert result.exit_code == 0, result.output
    dates = invoke("sparql", "SELECT ?d WHERE { ?m a ikg:CoPMeeting ; schema:startDate ?d }",
                   "--format", "csv")
    assert "2024-05-14" in dates.output
