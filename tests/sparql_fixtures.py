"""Shared by the test_sparql_* modules: the app served on 127.0.0.1 by a real threaded server.

Import the fixtures by name: ``from sparql_fixtures import serve``.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from webapp_server import NO_RATE_LIMITS
from werkzeug.serving import make_server

from impactkg.settings import load_settings
from impactkg.wiring import build_app


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0]


def fetch(url: str, *, accept: str | None = None, data: bytes | None = None,
          content_type: str | None = None, method: str | None = None) -> Answer:
    request = urllib.request.Request(url, data=data, method=method)
    if accept:
        request.add_header("Accept", accept)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


@pytest.fixture
def serve() -> Iterator:
    """``serve(data_dir, **settings) -> base URL``; servers and their workers stop afterwards.

    Rate limits are off unless the settings turn them on (every test request is one client)."""
    started = []

    def start(data_dir: Path, **overrides: object) -> str:
        chosen = {**NO_RATE_LIMITS, **overrides}
        settings = load_settings(data_dir, {k: str(v) for k, v in chosen.items()}, environ={})
        app = build_app(settings)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append((server, app))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, app in started:
        server.shutdown()
        app.extensions["impactkg.services"].close()
