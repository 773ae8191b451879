"""Hostile requests against the real app on 127.0.0.1 (waitress, as ``impactkg serve``): oversized
requests (413), clients past their rate (429), path traversal, and values meant to break out of
a canned query or the question-to-SPARQL path. Every reply is a 4xx in the one error shape or a
correct answer; never a 5xx, never a file or data that was not asked for.

Requests go out byte for byte (tests/rawhttp.py): no client normalises ``..`` or refuses a NUL.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from rawhttp import RawReply, raw_request
from webapp_server import LiveApp, fetch, fetch_json

from webapp.ratelimit import TokenBuckets, client_key

REPO = Path(__file__).resolve().parents[1]
ERROR_KEYS = {"ok", "status", "error", "code"}
JSON = {"Accept": "application/json"}


def get(site, target: str | bytes, **headers: str) -> RawReply:
    path = target.encode("latin-1") if isinstance(target, str) else target
    return raw_request(site.base, "GET", path, headers={**JSON, **headers})


def assert_refused(reply: RawReply, status: int, code: str) -> dict:
    assert reply.status == status, (reply.status, reply.text[:300])
    body = json.loads(reply.body)
    assert set(body) == ERROR_KEYS and body["status"] == status and body["code"] == code, body
    assert body["error"] and "\n" not in body["error"]
    assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
    return body


# -- 413: oversized requests ------------------------------------------------------------------

def form(**fields: str) -> bytes:
    return urlencode(fields).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}


def test_a_body_over_the_limit_is_refused_before_it_is_read(sample_site) -> None:
    body = form(query="ASK {}", pad="x" * 1_200_000)  # max_request_body_bytes is 1,000,000
    reply = raw_request(sample_site.base, "POST", b"/sparql", headers=FORM, body=body)
    error = assert_refused(reply, 413, "payload_too_large")
    assert "max_request_body_bytes" in error["error"]


def test_a_chunked_body_over_the_limit_is_refused(sample_site) -> None:
    body = form(query="ASK {}", pad="x" * 1_200_000)
    reply = raw_request(sample_site.base, "POST", b"/sparql", headers=FORM, body=body, chunked=True)
    assert reply.status == 413, reply.text[:300]


def assert_security_headers(reply: RawReply) -> None:
    assert "frame-ancestors 'none'" in reply.headers["content-security-policy"], reply.headers
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["referrer-policy"] == "same-origin"
    assert reply.headers["x-frame-options"] == "DENY"


def test_a_body_past_twice_the_limit_is_cut_by_the_server_itself(sample_site) -> None:
    """waitress refuses it before the app sees it: its own plain-text 413, with the app's headers
    (webapp.http_server)."""
    body = form(query="ASK {}", pad="x" * 2_100_000)
    reply = raw_request(sample_site.base, "POST", b"/sparql", headers=FORM, body=body)
    assert reply.status == 413
    assert_security_headers(reply)


@pytest.mark.parametrize("target", [b"/zoeken?q=a b", b"/zoeken HTTP/9.9 extra"])
def test_a_malformed_request_is_a_400_from_the_server_with_the_security_headers(sample_site,
                                                                              target: bytes) -> None:
    reply = raw_request(sample_site.base, "GET", target)
    assert reply.status == 400, (reply.status, reply.text[:200])
    assert_security_headers(reply)


def test_a_malformed_header_is_a_400_from_the_server_with_the_security_headers(sample_site) -> None:
    reply = raw_request(sample_site.base, "GET", b"/", headers={"Bad Header": "x"})
    assert reply.status == 400, (reply.status, reply.text[:200])
    assert_security_headers(reply)


@pytest.mark.parametrize(("target", "setting"), [
    ("/api/search?q=x&pad=" + "y" * 70_000, "max_query_string_bytes"),
    ("/api/search?q=x" + "&deal=a" * 201, "max_parameters"),
    ("/api/lessons?kind=" + "k" * 2_001, "max_parameter_chars"),
    ("/api/search?q=" + "z" * 501, "search_max_query_chars"),
    ("/zoeken?q=" + "z" * 501, "search_max_query_chars"),
    ("/api/ask?q=" + "w" * 501, "ask_max_question_chars"),
    ("/vraag?q=" + "w" * 501, "ask_max_question_chars"),
    ("/sparql?query=" + quote("ASK {} #" + "c" * 50_001), "sparql_max_query_chars"),
])
def test_oversized_query_strings_and_texts_are_a_413_naming_their_setting(sample_site, target: str,
                                                                           setting: str) -> None:
    error = assert_refused(get(sample_site, target), 413, "payload_too_large")
    assert setting in error["error"]


def test_an_oversized_sparql_query_by_post_is_a_413(sample_site) -> None:
    body = form(query="ASK {} #" + "c" * 50_001)
    reply = raw_request(sample_site.base, "POST", b"/sparql", headers=FORM, body=body)
    assert "sparql_max_query_chars" in assert_refused(reply, 413, "payload_too_large")["error"]


def test_a_sparql_query_longer_than_other_parameters_may_be_is_still_answered(sample_site) -> None:
    """The SPARQL text has its own limit: a 3,000-character query is not an oversized parameter."""
    reply = get(sample_site, "/sparql?query=" + quote("ASK { ?s ?p ?o } #" + "c" * 3_000),
                Accept="application/sparql-results+json")
    assert reply.status == 200 and json.loads(reply.body)["boolean"] is True


def test_the_html_page_of_a_413_is_the_app_error_page(sample_site) -> None:
    reply = raw_request(sample_site.base, "GET", ("/zoeken?q=" + "z" * 501).encode(),
                        headers={"Accept": "text/html"})
    assert reply.status == 413 and "text/html" in reply.headers["content-type"]
    assert "search_max_query_chars" in reply.text


# -- 429: rates per client ---------------------------------------------------------------------

RATES = {"rate_limit_search_per_minute": 2, "rate_limit_ask_per_minute": 2,
         "rate_limit_sparql_per_minute": 2, "rate_limit_burst": 2}


@pytest.fixture(scope="module")
def limited_site(sample_data: Path):
    with LiveApp(sample_data, overrides=RATES) as site:
        yield site


@pytest.fixture(scope="module")
def proxied_site(sample_data: Path):
    """Behind one trusted proxy: the client is the last X-Forwarded-For address."""
    with LiveApp(sample_data, overrides={**RATES, "trusted_proxy_hops": 1}) as site:
        yield site


@pytest.mark.parametrize(("kind", "paths"), [
    ("search", ["/api/search?q=borgen", "/zoeken?q=opschalen", "/api/search?q=impact"]),
    ("ask", ["/api/ask?q=Wat+is+impact%3F", "/vraag?q=Wat+is+output%3F", "/api/ask?q=Wie+borgt%3F"]),
    ("sparql", ["/sparql?query=ASK%7B%7D", "/queries/lessen-per-fase.json",
                "/sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D"]),
])
def test_a_client_past_its_rate_gets_429_with_retry_after(limited_site, kind: str, paths: list[str]) -> None:
    first, second, third = (get(limited_site, path, **{"X-Forwarded-For": f"10.9.9.{n}"})
                            for n, path in enumerate(paths))
    assert first.status < 400 and second.status < 400, (first.text[:200], second.text[:200])
    error = assert_refused(third, 429, "too_many_requests")  # X-Forwarded-For is not trusted here
    assert int(third.headers["retry-after"]) >= 1
    assert f"rate_limit_{kind}_per_minute" in error["error"]


def test_forms_without_a_query_cost_nothing(limited_site) -> None:
    for _ in range(5):
        for path in ("/zoeken", "/vraag", "/queries", "/api/stats", "/deals"):
            assert get(limited_site, path).status == 200, path


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_rate(proxied_site) -> None:
    def search(client: str) -> int:
        return get(proxied_site, "/api/search?q=lessen", **{"X-Forwarded-For": client}).status

    assert [search("192.0.2.10") for _ in range(3)] == [200, 200, 429]
    assert search("192.0.2.11") == 200  # another client is unaffected
    assert search("2001:db8:1:2::5") == 200
    assert search("2001:db8:1:2::6") == 200
    assert search("2001:db8:1:2:ffff::7") == 429  # the same /64 network: one subscriber


def test_token_buckets_count_each_client_and_refill_at_the_rate() -> None:
    now = [100.0]
    buckets = TokenBuckets(per_minute=6, burst=2, max_clients=3, clock=lambda: now[0])
    assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0]
    assert buckets.take("a") == pytest.approx(10.0)  # one token per 10 s
    assert buckets.take("b") == 0.0  # another client has its own bucket
    now[0] += 10
    assert buckets.take("a") == 0.0
    for client in ("c", "d", "e"):  # past max_clients the least recently seen is dropped
        buckets.take(client)
    assert buckets.take("a") == 0.0  # "a" was forgotten: a full bucket again
    assert client_key("::ffff:10.1.2.3") == "10.1.2.3"
    assert client_key("2001:db8::1") == client_key("2001:db8::ffff") == "2001:db8::/64"
    assert client_key(None) == "unknown"


# -- path traversal ----------------------------------------------------------------------------

SECRETS = (b"root:x:0:", b"[project]", b"from flask import", b"SECRET", b"impactkg.toml")
TRAVERSALS = (
    "../../../../../../etc/passwd", "..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml",
    "%252e%252e%252f%252e%252e%252fpyproject.toml", "..\\..\\..\\pyproject.toml",
    "....//....//....//etc/passwd", "/etc/passwd", "%2fetc%2fpasswd", "../app.py", "..%2fapp.py",
    "css/../../app.py", "app.css%00.html", "..%00/app.py", "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "file:///etc/passwd", "..%5c..%5capp.py",
)
FILE_ROUTES = ("/static/", "/documenten/", "/api/documents/", "/id/", "/id/document/", "/concept/",
               "/def/", "/queries/", "/deals/", "/api/deals/", "/resource?iri=", "/api/resource?iri=")


@pytest.mark.parametrize("route", FILE_ROUTES)
def test_no_route_serves_a_file_outside_its_folder(sample_site, route: str) -> None:
    for attack in TRAVERSALS:
        for suffix in ("", ".json", ".csv") if route == "/queries/" else ("",):
            reply = get(sample_site, route + attack + suffix)
            assert 400 <= reply.status < 500, (route + attack, reply.status, reply.text[:200])
            assert not any(secret in reply.body for secret in SECRETS), route + attack


def test_a_literal_nul_byte_or_raw_space_in_the_path_is_refused(sample_site) -> None:
    for target in (b"/static/app.css\x00.py", b"/documenten/a\x00b", b"/id/x y/../../etc/passwd"):
        reply = raw_request(sample_site.base, "GET", target)
        assert 400 <= reply.status < 500, (target, reply.status)
        assert not any(secret in reply.body for secret in SECRETS)


def test_static_files_themselves_are_still_served(sample_site) -> None:
    name = next(p.name for p in (REPO / "webapp" / "static").iterdir() if p.suffix == ".css")
    reply = get(sample_site, "/static/" + name)
    assert reply.status == 200 and reply.body == (REPO / "webapp" / "static" / name).read_bytes()


def test_document_ids_with_slashes_are_a_404_not_a_lookup_elsewhere(sample_site) -> None:
    _, listing = fetch_json(sample_site.url("/api/documents"))
    key = listing["documents"][0]["page"].rsplit("/", 1)[-1]
    assert get(sample_site, f"/api/documents/{key}").status == 200
    for target in (f"/api/documents/{key}/..", f"/api/documents/x/{key}", f"/api/documents/{key}%2f..",
                   f"/documenten/..%2f{key}", f"/documenten/{key}/../../api/stats"):
        assert 400 <= get(sample_site, target).status < 500, target


# -- injection through canned-query parameters and questions -------------------------------------

HOSTILE_VALUES = (
    '> } UNION { ?s ?p ?o } #', 'x" } UNION { ?s ?p ?o } #', '"""', "'''", "a\"\"\"b } UNION { ?s ?p ?o",
    "line\n} UNION { ?s ?p ?o }\n#", "https://w3id.org/impactkg/id/deal/x> } UNION { ?s ?p ?o } #",
    "https://w3id.org/impactkg/id/a b", "<https://w3id.org/impactkg/id/deal/a>", "https://x.org/a>b<c",
    "ikg:Deal } UNION { ?s ?p ?o", "?s", "$deal", "\\u0022 } UNION { ?s ?p ?o }", "\x7f\u202e\ufeff",
)
CANNED_PARAMETERS = (("documenten-per-deal", "deal"), ("weerstand", "deal"),
                     ("deals-per-thema-en-fase", "thema"), ("deals-per-thema-en-fase", "fase"),
                     ("lessen-per-fase-en-opschaling", "opschaling"),
                     ("bijeenkomsten-en-sprekers", "bijeenkomst"),
                     ("aannames-output-impact", "status"))


def canned_rows(site, name: str, **params: str) -> tuple[int, dict]:
    status, _, body = fetch(site.url(f"/queries/{name}.json?" + urlencode(params)),
                            accept="application/sparql-results+json")
    return status, json.loads(body)


@pytest.mark.parametrize(("name", "parameter"), CANNED_PARAMETERS)
def test_hostile_canned_query_values_are_bound_never_pasted(sample_site, name: str, parameter: str) -> None:
    status, unfiltered = canned_rows(sample_site, name)
    assert status == 200
    everything = len(unfiltered["results"]["bindings"])
    for value in HOSTILE_VALUES:
        status, body = canned_rows(sample_site, name, **{parameter: value})
        assert status in (200, 400), (value, status, body)
        if status == 400:
            assert body["code"] == "bad_request" and "\n" not in body["error"], body
            continue
        rows = body["results"]["bindings"]
        # bound as one term that names nothing: no row, or (for an optional filter) no more rows
        assert len(rows) <= everything, (value, len(rows), everything)
        if everything:
            assert len(rows) < everything or name == "lessen-per-fase-en-opschaling", (value, len(rows))


def test_hostile_values_on_the_page_and_csv_of_a_canned_query_are_a_4xx_or_an_answer(sample_site) -> None:
    for value in HOSTILE_VALUES:
        for suffix in ("", ".csv"):
            status, _, body = fetch(sample_site.url(f"/queries/documenten-per-deal{suffix}?"
                                                    + urlencode({"deal": value})))
            assert status in (200, 400), (value, status, body[:200])


def test_an_unknown_parameter_is_a_400_not_a_substitution(sample_site) -> None:
    status, body = canned_rows(sample_site, "documenten-per-deal", s="https://x.org/a")
    assert status == 400 and "unknown parameter" in body["error"]


HOSTILE_QUESTIONS = (
    'Welke lessen heeft de deal "> } UNION { ?s ?p ?o } #" geleerd?',
    "Wie sprak op de bijeenkomst x\"\"\" } UNION { ?s ?p ?o } #?",
    "Welke deals gaan over <https://x.org/a> } ; DROP ALL ; SELECT * { ?",
    "Hoeveel deals zijn er? } UNION { GRAPH ?g { ?s ?p ?o } }",
    "Wie zijn de partners van City Deal Kennis maken\n} UNION { ?s ?p ?o }?",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "<script>alert(1)</script> Wat is impact?",
)


@pytest.mark.parametrize("question", HOSTILE_QUESTIONS)
def test_hostile_questions_are_answered_or_refused_never_run_as_sparql(sample_site, question: str) -> None:
    status, answer = fetch_json(sample_site.url("/api/ask?" + urlencode({"q": question})))
    assert status in (200, 400), (status, answer)
    if status != 200:
        return
    sparql = (answer.get("sparql") or "") + json.dumps(answer.get("graph_rows") or {})
    for fragment in ("UNION { ?s ?p ?o", "DROP ALL", "INSERT DATA", "GRAPH ?g { ?s"):
        assert fragment not in sparql, (question, sparql[:500])
    # the graph is unchanged: an update in a question did not run
    _, stats = fetch_json(sample_site.url("/api/stats"))
    assert stats["generation"] == answer["generation"]
