"""Fetching one URL: results instead of exceptions, caps, redirects, validators, address policy.

Every test talks only to servers on 127.0.0.1 that it starts itself; host names other than
that are resolved by an injected resolver, never by DNS.
"""

from __future__ import annotations

import gzip
import ipaddress
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpfixture
import pytest
from httpfixture import LocalHTTPServer, Route

from ingest.fetch import FetchOptions, HostRateLimiter, fetch_url
from ingest.http_cache import CacheEntry, HttpCache
from ingest.netguard import AddressGuard, address_category, is_public_address

http_server = httpfixture.http_server  # the fixture, requested by name below

FAST = FetchOptions(allow_private=True, timeout_s=2.0, per_host_delay_s=0.0)
PAGE = "<html><head><title>Nieuws</title></head><body><p>Opschalen begint bij de start.</p></body></html>"


def only_public(*addresses: str) -> AddressGuard:
    """A guard that treats the given addresses as public (and everything else by the default)."""
    public = {ipaddress.ip_address(address) for address in addresses}
    return AddressGuard(is_public=lambda ip: ip in public or is_public_address(ip))


def resolving(names: dict[str, list[str]], *public: str) -> AddressGuard:
    """A guard whose resolver knows only ``names``; ``public`` addresses count as public."""

    def resolver(host: str, _port: int) -> list[str]:
        if host not in names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return names[host]

    public_ips = {ipaddress.ip_address(address) for address in public}
    return AddressGuard(
        resolver=resolver, is_public=lambda ip: ip in public_ips or is_public_address(ip)
    )


# -- plain fetches ---------------------------------------------------------------------------


def test_ok_page_with_user_agent_checked_by_the_server(http_server: LocalHTTPServer) -> None:
    http_server.route("/nieuws/opschalen/", Route(PAGE, headers={"ETag": '"v1"'}))

    result = fetch_url(http_server.url("/nieuws/opschalen/"), FAST)

    assert result.ok and result.error == ""
    assert result.status == 200
    assert result.body == PAGE.encode()
    assert (result.content_type, result.charset) == ("text/html", "utf-8")
    assert result.etag == '"v1"' and not result.not_modified
    assert result.final_url == result.url == http_server.url("/nieuws/opschalen/")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", result.fetched_at)
    (request,) = http_server.requests_for("/nieuws/opschalen/")
    assert request.headers["user-agent"].startswith("impactkg/")
    assert "(+https://w3id.org/impactkg; kennisgraaf Agenda Stad)" in request.headers["user-agent"]
    assert request.headers["host"] == f"127.0.0.1:{http_server.port}"
    assert "if-none-match" not in request.headers


def test_custom_user_agent_is_sent(http_server: LocalHTTPServer) -> None:
    http_server.route("/", PAGE)
    fetch_url(http_server.url("/"), FetchOptions(user_agent="tester/1", allow_private=True))
    assert http_server.requests[0].headers["user-agent"] == "tester/1"


def test_404_is_a_result_not_an_exception(http_server: LocalHTTPServer) -> None:
    result = fetch_url(http_server.url("/bestaat-niet"), FAST)
    assert (result.status, result.error, result.body) == (404, "404 Not Found", b"")
    assert not result.ok


def test_500_is_a_result(http_server: LocalHTTPServer) -> None:
    http_server.route("/kapot", Route("oops", status=500))
    result = fetch_url(http_server.url("/kapot"), FAST)
    assert (result.status, result.error) == (500, "500 Internal Server Error")


def test_timeout_when_the_server_is_too_slow(http_server: LocalHTTPServer) -> None:
    http_server.route("/traag", Route(PAGE, delay_s=1.5))
    started = time.monotonic()
    result = fetch_url(http_server.url("/traag"), FetchOptions(allow_private=True, timeout_s=0.5))
    assert result.error == "timeout after 0.5 s"
    assert result.status == 0
    assert time.monotonic() - started < 1.4


def test_connection_refused() -> None:
    with socket.socket() as probe:  # a port nobody listens on once this socket is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch_url(f"http://127.0.0.1:{port}/", FAST)
    assert result.error == f"connection refused by 127.0.0.1:{port}"


@pytest.mark.parametrize("url", ["ftp://example.org/file.pdf", "file:///etc/passwd", "example.org"])
def test_only_http_and_https(url: str) -> None:
    result = fetch_url(url, FAST)
    assert result.error.startswith("unsupported URL scheme")
    assert "only http and https" in result.error


def test_dns_failure_is_a_clear_message() -> None:
    result = fetch_url("http://geen-site.test/", FAST, guard=resolving({}))
    assert result.error == "cannot resolve host 'geen-site.test' (Name or service not known)"


def test_non_ascii_path_is_percent_encoded(http_server: LocalHTTPServer) -> None:
    http_server.route("/nieuws/caf%C3%A9", PAGE)
    result = fetch_url(http_server.url("/nieuws/café"), FAST)
    assert result.ok, result.error
    assert http_server.requests[0].target == "/nieuws/caf%C3%A9"


# -- size caps -------------------------------------------------------------------------------


def test_oversize_body_refused_from_content_length(http_server: LocalHTTPServer) -> None:
    http_server.route("/groot", Route(b"x" * 5_000))
    result = fetch_url(http_server.url("/groot"), FetchOptions(allow_private=True, max_bytes=1_000))
    assert result.error == "response larger than 1 kB"
    assert result.body == b""


def test_oversize_body_refused_while_streaming_without_length(
    http_server: LocalHTTPServer,
) -> None:
    http_server.route("/stroom", Route(b"y" * 300_000, chunked=True))
    options = FetchOptions(allow_private=True, max_bytes=100_000)
    result = fetch_url(http_server.url("/stroom"), options)
    assert result.error == "response larger than 100 kB"


def test_body_exactly_at_the_cap_is_accepted(http_server: LocalHTTPServer) -> None:
    http_server.route("/precies", Route(b"z" * 1_000, chunked=True))
    result = fetch_url(http_server.url("/precies"), FetchOptions(allow_private=True, max_bytes=1_000))
    assert result.ok and len(result.body) == 1_000


def test_default_cap_message_says_20_mb() -> None:
    assert FetchOptions().max_bytes == 20_000_000


def test_gzip_body_is_decoded_and_its_decoded_size_capped(http_server: LocalHTTPServer) -> None:
    http_server.route("/gz", Route(gzip.compress(PAGE.encode()),
                                   headers={"Content-Encoding": "gzip"}))
    http_server.route("/bom", Route(gzip.compress(b"0" * 2_000_000),
                                    headers={"Content-Encoding": "gzip"}))
    options = FetchOptions(allow_private=True, max_bytes=100_000)
    assert fetch_url(http_server.url("/gz"), options).body == PAGE.encode()
    assert fetch_url(http_server.url("/bom"), options).error == "response larger than 100 kB"
    assert http_server.requests[0].headers["accept-encoding"] == "gzip"


# -- redirects -------------------------------------------------------------------------------


def test_redirect_to_another_path(http_server: LocalHTTPServer) -> None:
    http_server.redirect("/oud", "/nieuw#fragment", status=301)
    http_server.route("/nieuw", PAGE)
    result = fetch_url(http_server.url("/oud"), FAST)
    assert result.ok
    assert result.url == http_server.url("/oud")
    assert result.final_url == http_server.url("/nieuw")
    assert result.body == PAGE.encode()


def test_redirect_loop(http_server: LocalHTTPServer) -> None:
    http_server.redirect("/a", "/b")
    http_server.redirect("/b", http_server.url("/a"))
    result = fetch_url(http_server.url("/a"), FAST)
    assert result.error == f"redirect loop: {http_server.url('/a')} was already visited"
    assert http_server.hits("/a") == 1 and http_server.hits("/b") == 1


def test_too_many_redirects(http_server: LocalHTTPServer) -> None:
    for hop in range(8):
        http_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    result = fetch_url(http_server.url("/r0"), FAST)
    assert result.error == "too many redirects (more than 5)"
    assert http_server.hits("/r5") == 1 and http_server.hits("/r6") == 0


def test_redirect_without_location(http_server: LocalHTTPServer) -> None:
    http_server.route("/leeg", Route(b"", status=302))
    assert fetch_url(http_server.url("/leeg"), FAST).error == (
        "302 redirect without a Location header"
    )


# -- conditional requests --------------------------------------------------------------------


def test_etag_gives_304_on_the_second_fetch(http_server: LocalHTTPServer, tmp_path: Path) -> None:
    http_server.route("/doc", Route(PAGE, headers={"ETag": '"abc"'}))
    cache = HttpCache(tmp_path / "http")
    first = fetch_url(http_server.url("/doc"), FAST, cache)
    assert first.ok and not first.not_modified
    assert cache.get(http_server.url("/doc")) is None  # fetching alone does not write the cache
    assert cache.remember(first)

    second = fetch_url(http_server.url("/doc"), FAST, cache)

    assert second.ok and second.not_modified
    assert (second.status, second.body, second.etag) == (304, b"", '"abc"')
    assert (second.content_type, second.charset) == ("text/html", "utf-8")
    assert http_server.statuses("/doc") == [200, 304]
    conditional = [r for r in http_server.requests_for("/doc") if "if-none-match" in r.headers]
    assert len(conditional) == 1 and conditional[0].headers["if-none-match"] == '"abc"'


def test_last_modified_gives_304_on_the_second_fetch(
    http_server: LocalHTTPServer, tmp_path: Path
) -> None:
    stamp = "Tue, 18 Jun 2024 08:00:00 GMT"
    http_server.route("/verslag.pdf", Route(b"%PDF-1.7 ...", content_type="application/pdf",
                                            headers={"Last-Modified": stamp}))
    cache = HttpCache(tmp_path / "http")
    cache.remember(fetch_url(http_server.url("/verslag.pdf"), FAST, cache))

    second = fetch_url(http_server.url("/verslag.pdf"), FAST, cache)

    assert second.not_modified and second.last_modified == stamp
    assert second.content_type == "application/pdf"
    assert http_server.statuses("/verslag.pdf") == [200, 304]
    assert http_server.requests_for("/verslag.pdf")[1].headers["if-modified-since"] == stamp


def test_changed_resource_is_fetched_in_full(http_server: LocalHTTPServer, tmp_path: Path) -> None:
    http_server.route("/doc", Route(PAGE, headers={"ETag": '"v1"'}))
    cache = HttpCache(tmp_path / "http")
    cache.remember(fetch_url(http_server.url("/doc"), FAST, cache))
    http_server.route("/doc", Route("nieuw", headers={"ETag": '"v2"'}))
    result = fetch_url(http_server.url("/doc"), FAST, cache)
    assert (result.status, result.body, result.etag) == (200, b"nieuw", '"v2"')


def test_cache_keeps_validators_of_the_final_url(
    http_server: LocalHTTPServer, tmp_path: Path
) -> None:
    http_server.redirect("/kort", "/lang")
    http_server.route("/lang", Route(PAGE, headers={"ETag": '"x"'}))
    cache = HttpCache(tmp_path / "http")
    cache.remember(fetch_url(http_server.url("/kort"), FAST, cache))
    result = fetch_url(http_server.url("/kort"), FAST, cache)
    assert result.not_modified and result.final_url == http_server.url("/lang")


def test_cache_entries_are_written_atomically_and_damage_reads_as_a_miss(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path / "http")
    cache.put(CacheEntry("https://example.org/a", etag='"1"', links=("https://example.org/b",)))
    assert cache.get("https://example.org/a") == CacheEntry(
        "https://example.org/a", etag='"1"', links=("https://example.org/b",)
    )
    files = list((tmp_path / "http").iterdir())
    assert len(files) == 1 and not files[0].name.startswith(".tmp")
    files[0].write_text("{half", encoding="utf-8")
    assert cache.get("https://example.org/a") is None
    assert cache.get("https://example.org/never") is None


# -- address policy --------------------------------------------------------------------------


def test_private_address_refused_by_default(http_server: LocalHTTPServer) -> None:
    http_server.route("/", PAGE)
    result = fetch_url(http_server.url("/"), FetchOptions(per_host_delay_s=0))
    assert result.error == (
        "refused: 127.0.0.1 is a loopback address; use --allow-private to fetch from private networks"
    )
    assert http_server.hits("/") == 0


def test_name_resolving_to_loopback_refused() -> None:
    result = fetch_url("http://intranet.test/", FetchOptions(),
                       guard=resolving({"intranet.test": ["127.0.0.1"]}))
    assert result.error.startswith("refused: host 'intranet.test' resolves to 127.0.0.1, ")
    assert "--allow-private" in result.error


def test_redirect_from_public_host_to_private_host_refused(http_server: LocalHTTPServer) -> None:
    # 127.0.0.1 plays a public web server; intranet.test resolves to a private address.
    guard = resolving({"www.example.test": ["127.0.0.1"], "intranet.test": ["10.1.2.3"]},
                      "127.0.0.1")
    port = http_server.port
    http_server.redirect("/doorsturen", f"http://intranet.test:{port}/geheim")
    http_server.route("/geheim", "intern")

    result = fetch_url(f"http://www.example.test:{port}/doorsturen", FetchOptions(), guard=guard)

    assert result.error == (
        "refused: host 'intranet.test' resolves to 10.1.2.3, a private address; "
        "use --allow-private to fetch from private networks"
    )
    assert result.final_url == f"http://intranet.test:{port}/geheim"
    assert http_server.hits("/doorsturen") == 1 and http_server.hits("/geheim") == 0


def test_redirect_to_loopback_literal_refused(http_server: LocalHTTPServer) -> None:
    guard = resolving({"www.example.test": ["127.0.0.1"]}, "127.0.0.1")
    http_server.redirect("/weg", "http://127.0.0.2/admin")
    result = fetch_url(f"http://www.example.test:{http_server.port}/weg", FetchOptions(),
                       guard=guard)
    assert result.error.startswith("refused: 127.0.0.2 is a loopback address")


def test_connection_goes_to_the_checked_address_with_the_name_as_host(
    http_server: LocalHTTPServer,
) -> None:
    # The system resolver does not know www.example.test: success means the fetch connected to
    # the address the guard checked instead of resolving the name a second time.
    http_server.route("/", PAGE)
    guard = resolving({"www.example.test": ["127.0.0.1"]}, "127.0.0.1")
    result = fetch_url(f"http://www.example.test:{http_server.port}/", FetchOptions(), guard=guard)
    assert result.ok, result.error
    assert http_server.requests[0].headers["host"] == f"www.example.test:{http_server.port}"


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[LocalHTTPServer]:
    """An HTTPS server with a self-signed certificate for www.example.test."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
         "-subj", "/CN=www.example.test", "-addext", "subjectAltName=DNS:www.example.test"],
        check=True, capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with LocalHTTPServer(tls=context) as server:
        yield server


def test_https_certificate_is_checked_against_the_name(tls_server: LocalHTTPServer) -> None:
    tls_server.route("/", PAGE)
    guard = resolving({"www.example.test": ["127.0.0.1"]}, "127.0.0.1")
    result = fetch_url(f"https://www.example.test:{tls_server.port}/", FetchOptions(),
                       guard=guard)
    assert result.error == (
        "TLS certificate of www.example.test not accepted: self-signed certificate"
    )
    assert result.status == 0 and tls_server.requests == []


def test_allow_private_lifts_the_policy(http_server: LocalHTTPServer) -> None:
    http_server.route("/", PAGE)
    assert fetch_url(http_server.url("/"), FetchOptions(allow_private=True)).ok


def test_any_private_address_among_several_refuses_the_host() -> None:
    guard = resolving({"mixed.test": ["93.184.216.34", "192.168.1.10"]})
    result = guard.check("mixed.test", 80)
    assert not result.ok and "192.168.1.10, a private address" in result.error
    assert guard.check("mixed.test", 80, allow_private=True).addresses == (
        "93.184.216.34", "192.168.1.10",
    )


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-global"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("2002:7f00:1::", "loopback"),
        ("93.184.216.34", ""),
        ("2606:4700:4700::1111", ""),
        ("::ffff:8.8.8.8", ""),
    ],
)
def test_address_categories(address: str, category: str) -> None:
    assert address_category(ipaddress.ip_address(address)) == category


# -- politeness ------------------------------------------------------------------------------


def test_rate_limit_spaces_requests_to_one_host(http_server: LocalHTTPServer) -> None:
    http_server.route("/1", PAGE)
    http_server.route("/2", PAGE)
    limiter = HostRateLimiter(0.3)
    fetch_url(http_server.url("/1"), FAST, limiter=limiter)
    fetch_url(http_server.url("/2"), FAST, limiter=limiter)
    first, second = http_server.requests
    assert second.at - first.at >= 0.3 - 0.02


def test_rate_limiter_waits_only_for_the_same_host() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = HostRateLimiter(1.0, clock=lambda: now[0], sleep=sleep)
    limiter.wait("a.example")
    limiter.wait("b.example")
    now[0] += 0.25
    assert limiter.wait("A.example") == pytest.approx(0.75)
    limiter.slow_down("b.example", 5.0)
    assert limiter.wait("b.example") == pytest.approx(5.0 - 1.0)
    assert slept == pytest.approx([0.75, 4.0])


@pytest.mark.parametrize(
    "bad",
    [{"timeout_s": 0}, {"max_bytes": 0}, {"per_host_delay_s": -1}, {"max_redirects": -1},
     {"user_agent": " "}],
)
def test_bad_options_fail_when_built(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        FetchOptions(**bad)  # type: ignore[arg-type]
