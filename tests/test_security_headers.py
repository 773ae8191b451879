"""The security headers are on every response: every route of the URL map and of the OpenAPI
document, their JSON and HTML forms, and every kind of error (400, 404, 405, 413, 429, 503)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from rawhttp import RawReply, raw_request
from webapp_server import LiveApp

from webapp.openapi import openapi_document

REPO = Path(__file__).resolve().parents[1]
STATIC_FILE = next(p.name for p in (REPO / "webapp" / "static").iterdir() if p.is_file())
EXAMPLE_ARGUMENTS = {"rest": "deal/city-deal-fietsen-voor-iedereen",
                     "slug": "city-deal-fietsen-voor-iedereen", "key": "0000", "name": "lessen-per-fase",
                     "local": "Lesson", "filename": STATIC_FILE}
ACCEPTS = ("text/html", "application/json", "*/*")


def assert_secure(reply: RawReply, what: str) -> None:
    headers = reply.headers
    policy = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy, (what, headers)
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, what
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") == "same-origin", what
    assert headers.get("x-frame-options") == "DENY", what


def rule_paths(app) -> list[str]:
    """Every URL rule with its variables filled in (a known resource, or a name that is absent)."""
    paths = []
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: EXAMPLE_ARGUMENTS[m.group(1)], rule.rule)
        paths.append(path)
    for documented in openapi_document()["paths"]:
        paths.append(re.sub(r"\{(\w+)\}", lambda m: quote(EXAMPLE_ARGUMENTS[m.group(1)], safe=""),
                            documented))
    return sorted(set(paths))


def test_every_route_sends_the_security_headers_in_every_form(sample_site) -> None:
    paths = rule_paths(sample_site.app)
    assert len(paths) >= 30 and "/api/openapi.json" in paths and "/sparql" in paths
    statuses = set()
    for path in paths:
        for accept in ACCEPTS:
            reply = raw_request(sample_site.base, "GET", path.encode(), headers={"Accept": accept})
            statuses.add(reply.status)
            assert reply.status < 500, (path, accept, reply.status, reply.text[:200])
            assert_secure(reply, f"GET {path} ({accept})")
        for method in ("HEAD", "OPTIONS"):
            assert_secure(raw_request(sample_site.base, method, path.encode()), f"{method} {path}")
    assert {200, 404} <= statuses  # the walk met real pages and absent ones


@pytest.mark.parametrize(("method", "target", "body", "status"), [
    ("GET", "/api/search?q=x&mode=magic", b"", 400),
    ("GET", "/sparql?query=SELEKT", b"", 400),
    ("GET", "/sparql?query=DROP%20ALL", b"", 403),
    ("GET", "/nothing/here", b"", 404),
    ("GET", "/queries/no-such-query.json", b"", 404),
    ("POST", "/api/search", b"q=x", 405),
    ("DELETE", "/sparql", b"", 405),
    ("GET", "/sparql", b"", 406),
    ("GET", "/api/search?q=" + "x" * 501, b"", 413),
    ("POST", "/sparql", b"query=" + b"x" * 1_100_000, 413),
])
def test_error_responses_send_the_security_headers(sample_site, method: str, target: str, body: bytes,
                                                   status: int) -> None:
    headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
    if status == 406:
        headers["Accept"] = "image/png"
    reply = raw_request(sample_site.base, method, target.encode(), headers=headers, body=body)
    assert reply.status == status, (target, reply.status, reply.text[:200])
    assert_secure(reply, f"{method} {target}")
    if status == 405:
        assert "GET" in reply.headers["allow"]


def test_a_429_and_a_503_send_the_security_headers(sample_data: Path, tmp_path: Path) -> None:
    with LiveApp(sample_data, overrides={"rate_limit_sparql_per_minute": 1, "rate_limit_burst": 1}) as site:
        for expected in (200, 429):
            reply = raw_request(site.base, "GET", b"/sparql?query=ASK%7B%7D",
                                headers={"Accept": "application/sparql-results+json"})
            assert reply.status == expected
        assert_secure(reply, "429")
        assert reply.headers["retry-after"].isdigit()
    with LiveApp(tmp_path / "no-data") as empty:
        reply = raw_request(empty.base, "GET", b"/api/stats", headers={"Accept": "application/json"})
        assert reply.status == 503
        assert_secure(reply, "503")
