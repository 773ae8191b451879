"""The web app over a real HTTP server on 127.0.0.1: stats, no data, a reader moving on."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from impactkg.settings import load_settings
from impactkg.wiring import build_app


@pytest.fixture
def serve():
    servers = []

    def start(data_dir: Path) -> str:
        app = build_app(load_settings(data_dir, environ={}))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_stats_page_and_json_twin(serve, sample_data: Path) -> None:
    base = serve(sample_data)
    status, body = fetch(base + "/api/stats.json")
    assert status == 200
    stats = json.loads(body)
    assert stats["instances"]["Document"] == 7
    status, page = fetch(base + "/")
    assert status == 200 and 'lang="nl"' in page and "/api/stats.json" in page
    assert f'<span class="count">{stats["instances"]["Passage"]}</span>' in page


def test_no_data_is_a_json_503_not_a_crash(serve, tmp_path: Path) -> None:
    status, body = fetch(serve(tmp_path / "leeg") + "/api/stats.json")
    assert status == 503
    assert "impactkg init" in json.loads(body)["error"]


def test_reader_moves_to_a_new_generation(serve, sample_copy: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from impactkg.cli import cli

    base = serve(sample_copy)
    before = json.loads(fetch(base + "/api/stats.json")[1])
    note = tmp_path / "nieuw.txt"
    note.write_text("Een nieuwe les over borgen. " * 30, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--data-dir", str(sample_copy), "--setting",
                                      "annotate_with_model", "false", "ingest", str(note)])
    assert result.exit_code == 0, result.output
    after = stats_of_a_newer_generation(base, before["generation"])
    assert after["instances"]["Document"] == before["instances"]["Document"] + 1


def stats_of_a_newer_generation(base: str, old: str, wait_s: float = 60.0) -> dict:
    """/api/stats once the server has moved on from ``old``: it opens a new generation in the
    background (setting serve_switch_in_background) and answers from ``old`` until then."""
    deadline = time.monotonic() + wait_s
    while True:
        stats = json.loads(fetch(base + "/api/stats.json")[1])
        if stats["generation"] != old or time.monotonic() > deadline:
            assert stats["generation"] != old, f"still on {old} after {wait_s} s"
            return stats
        time.sleep(0.1)
