"""The web app moves to a newly published generation without making requests wait for it.

A real server (waitress on 127.0.0.1) over a copy of the sample data; an ingest publishes a
new generation, and opening that generation is held back (the real open runs once the test
lets it) to see what requests get meanwhile. With ``serve_switch_in_background`` (the
default) they are answered at once from the generation before; without it the request that
notices the new generation waits for the open. Query vectors outlive the switch.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from webapp_server import LiveApp, fetch_json

from impactkg import wiring
from impactkg.cli import cli

NOTE_WORD = "kwartiermakersoverleg"  # a word no sample document has


def publish_a_note(data: Path, folder: Path) -> None:
    note = folder / "notitie.txt"
    note.write_text(f"Het {NOTE_WORD} leerde de deal dat borgen tijd kost. " * 30, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "--setting", "annotate_with_model",
                                      "false", "ingest", str(note)])
    assert result.exit_code == 0, result.output


def search(site: LiveApp, query: str) -> dict:
    mode = "keyword" if query == NOTE_WORD else "hybrid"
    status, body = fetch_json(site.url("/api/search?" + urlencode({"q": query, "mode": mode})))
    assert status == 200, body
    return body


@pytest.fixture
def held_open(monkeypatch: pytest.MonkeyPatch):
    """Opening any generation after the first waits until the returned event is set."""
    release = threading.Event()
    opened: list[str] = []
    real_open = wiring.WebServices._open

    def open_when_released(self: wiring.WebServices, generation):
        if opened:
            assert release.wait(60), "the test never released the open"
        opened.append(generation.id)
        return real_open(self, generation)

    monkeypatch.setattr(wiring.WebServices, "_open", open_when_released)
    yield release
    release.set()


def embeddings_counted(monkeypatch: pytest.MonkeyPatch, settings_data: Path) -> list[str]:
    """The queries the process's embedder embeds from now on."""
    from impactkg.settings import load_settings

    embedder = wiring.embedder(load_settings(settings_data, environ={}))
    queries: list[str] = []
    real = type(embedder).embed_query

    def counted(self, text: str):
        queries.append(text)
        return real(self, text)

    monkeypatch.setattr(type(embedder), "embed_query", counted)
    return queries


def test_requests_are_answered_from_the_old_generation_while_the_new_one_opens(
    sample_copy: Path, tmp_path: Path, held_open: threading.Event, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with LiveApp(sample_copy) as site:
        before = search(site, "opschalen met partners")
        embedded = embeddings_counted(monkeypatch, sample_copy)
        publish_a_note(sample_copy, tmp_path)

        started = time.monotonic()
        during = [search(site, "opschalen met partners") for _ in range(3)]
        assert time.monotonic() - started < 30  # not held up by the open (it waits 60 s)
        assert {d["generation"] for d in during} == {before["generation"]}
        assert search(site, NOTE_WORD)["hits"] == []  # the old generation has no note

        held_open.set()
        deadline = time.monotonic() + 60
        while search(site, "opschalen met partners")["generation"] == before["generation"]:
            assert time.monotonic() < deadline, "the server never moved to the new generation"
            time.sleep(0.1)
        assert search(site, NOTE_WORD)["hits"], "the new generation holds the note"
        # the repeated query kept its vector across the switch; only the warm-up query was new
        assert "opschalen met partners" not in embedded


def test_without_the_background_switch_the_request_waits_for_the_open(
    sample_copy: Path, tmp_path: Path, held_open: threading.Event,
) -> None:
    with LiveApp(sample_copy, overrides={"serve_switch_in_background": False}) as site:
        before = search(site, "opschalen met partners")
        publish_a_note(sample_copy, tmp_path)
        answers: list[dict] = []
        waiting = threading.Thread(target=lambda: answers.append(search(site, "opschalen met partners")))
        waiting.start()
        waiting.join(2.0)
        assert waiting.is_alive() and answers == []  # held up by the open
        held_open.set()
        waiting.join(60)
        assert answers and answers[0]["generation"] != before["generation"]
