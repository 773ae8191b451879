"""The web app served for real on 127.0.0.1 (waitress, as ``impactkg serve`` does), and a client.

    from webapp_server import LiveApp, fetch   # tests/ is on sys.path under pytest

    with LiveApp(data_dir) as site:
        status, headers, body = fetch(site.url("/api/stats"))
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Self

from impactkg.settings import load_settings
from impactkg.wiring import build_app, waitress_options
from webapp.http_server import create_secure_server

NO_RATE_LIMITS = {"rate_limit_search_per_minute": 0, "rate_limit_ask_per_minute": 0,
                  "rate_limit_sparql_per_minute": 0}
"""Every test request comes from 127.0.0.1: the suite would soon be one client over its limit.
tests/test_hostile_requests.py tests the limits with their own settings."""


class LiveApp:
    """``impactkg.wiring.build_app`` over a data directory, served by waitress on a free port
    with the options ``impactkg serve`` uses; rate limits are off unless ``overrides`` set them."""

    def __init__(self, data_dir: Path, *, threads: int = 8, overrides: dict[str, Any] | None = None) -> None:
        settings = load_settings(data_dir, {**NO_RATE_LIMITS, **(overrides or {})}, environ={})
        self.app = build_app(settings)
        options = {**waitress_options(settings), "threads": threads}
        self._server = create_secure_server(self.app, host="127.0.0.1", port=0, **options)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.effective_port}"

    def url(self, path: str) -> str:
        return self.base + path

    def _serve(self) -> None:
        """waitress's loop, a short step at a time, so that close() can stop it from outside."""
        server = self._server
        while not self._stopping.is_set():
            server.asyncore.loop(timeout=0.1, map=server._map, count=1)
        for channel in list(server._map.values()):
            channel.close()
        server.task_dispatcher.shutdown()

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)
        self.app.extensions["impactkg.services"].close()


def fetch(url: str, accept: str | None = None, timeout: float = 60) -> tuple[int, dict[str, str], str]:
    """(status, headers, body text) of a GET; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers.items()), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read().decode("utf-8")


def fetch_json(url: str) -> tuple[int, Any]:
    status, _, body = fetch(url, accept="application/json")
    return status, json.loads(body)
