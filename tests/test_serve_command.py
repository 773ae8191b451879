"""``impactkg serve`` itself, as a user starts it: its own process on 127.0.0.1, a page, the API,
waitress's own errors with the security headers, and a clean stop on SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rawhttp import raw_request

CLI = Path(sys.executable).with_name("impactkg")
START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(sample_data: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    process = subprocess.Popen(
        [str(CLI), "--data-dir", str(sample_data), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.5)
    if process.poll() is not None:
        pytest.fail(f"impactkg serve stopped: {process.communicate()[0][-2000:]}")
    try:
        yield base, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def test_the_home_page_and_a_search_are_answered(served) -> None:
    base, _ = served
    with urllib.request.urlopen(base + "/", timeout=60) as response:
        assert response.status == 200
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    with urllib.request.urlopen(base + "/api/search?q=opschalen", timeout=60) as response:
        hits = json.load(response)["hits"]
    assert hits and all(hit["document"] and hit["text"] for hit in hits)


def test_the_servers_own_errors_carry_the_security_headers(served) -> None:
    base, _ = served
    for reply in (raw_request(base, "GET", b"/zoeken HTTP/9.9 extra"),
                  raw_request(base, "GET", b"/", headers={"Bad Header": "x"}),
                  raw_request(base, "POST", b"/sparql", body=b"x" * 2_100_000,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})):
        assert reply.status in (400, 413), (reply.status, reply.text[:200])
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]


def test_sigterm_stops_the_server(served) -> None:
    _, process = served
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) is not None
