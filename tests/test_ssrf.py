"""Server-side request forgery: URL ingest never reaches the machine or the network behind it.

Real servers on 127.0.0.1 play the "public" site (the guard's ``is_public`` is injected to call
exactly that address public) and 127.0.0.2 plays the intranet; every test checks that the
intranet server saw no request at all, not only that an error came back. Address spellings,
redirects, DNS answers (a resolver stub), crawl links, sitemaps and documents that point
inwards are covered; the basic policy tests live in test_fetch.py.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpfixture
import pytest
from httpfixture import LocalHTTPServer, Route

from ingest.crawl import CrawlOptions, crawl_problem, crawl_site
from ingest.fetch import FetchOptions, fetch_url
from ingest.netguard import AddressGuard, address_category, is_public_address
from ingest.read import read_bytes

http_server = httpfixture.http_server

POLICY = FetchOptions(per_host_delay_s=0.0, timeout_s=3.0)  # the default: private refused
PAGE = ("<html><head><title>Nieuws</title></head><body><article><h1>Nieuws</h1><p>"
        + "De City Deal bracht partners samen om te leren wat werkt in de wijk. " * 3
        + "</p></article></body></html>")


def guard(names: dict[str, Sequence[str]] | None = None, public: str = "127.0.0.1") -> AddressGuard:
    """A guard whose resolver knows only ``names`` and that calls ``public`` public."""
    known = names or {}

    def resolver(host: str, _port: int) -> list[str]:
        if host not in known:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(known[host])

    public_ip = ipaddress.ip_address(public)
    return AddressGuard(resolver=resolver,
                        is_public=lambda ip: ip == public_ip or is_public_address(ip))


def no_dns(host: str, _port: int) -> list[str]:
    raise AssertionError(f"{host!r} is an address: it must not be sent to the resolver")


@pytest.fixture
def intranet() -> Iterator[LocalHTTPServer]:
    """A server on 127.0.0.2: loopback, so private to every guard in this file."""
    with LocalHTTPServer(host="127.0.0.2") as server:
        server.route("/", "geheim")
        server.route("/latest/meta-data/", "iam-credentials")
        yield server


# -- address spellings ---------------------------------------------------------------------------

LOOPBACK_SPELLINGS = [
    "127.0.0.1", "2130706433", "0x7f.1", "0x7f000001", "017700000001", "0177.0.0.1", "127.1",
    "0x7f.0x0.0x0.0x1", "127.0.0.1.", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]",
    "１２７．０．０．１",  # full-width digits and dots, which IDNA maps to ASCII
]


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_every_spelling_of_loopback_is_refused(http_server: LocalHTTPServer, host: str) -> None:
    http_server.route("/", PAGE)
    result = fetch_url(f"http://{host}:{http_server.port}/", POLICY,
                       guard=AddressGuard(resolver=no_dns))
    assert result.refused and result.error.startswith("refused: "), result.error
    assert "loopback address; use --allow-private" in result.error
    assert http_server.requests == []


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "[::ffff:127.0.0.1]"])
def test_odd_spellings_reach_the_server_when_private_is_allowed(http_server: LocalHTTPServer,
                                                                host: str) -> None:
    # the same spelling parsed as the same address: proof the refusal above is about the address
    if host.startswith("[::ffff:") and not socket.has_ipv6:
        pytest.skip("no IPv6 sockets")
    http_server.route("/", PAGE)
    options = FetchOptions(per_host_delay_s=0.0, timeout_s=3.0, allow_private=True)
    result = fetch_url(f"http://{host}:{http_server.port}/", options,
                       guard=AddressGuard(resolver=no_dns))
    assert result.ok, result.error


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("10.0.0.1", "private"), ("10.255.255.255", "private"), ("172.16.0.1", "private"),
        ("172.31.255.254", "private"), ("192.168.0.1", "private"), ("100.64.0.1", "non-global"),
        ("100.127.255.254", "non-global"), ("169.254.169.254", "link-local"),
        ("169.254.0.1", "link-local"), ("0.0.0.0", "unspecified"), ("0", "unspecified"),
        ("[::]", "unspecified"), ("[::1]", "loopback"), ("[fe80::1]", "link-local"),
        ("[fe80::1%25eth0]", "link-local"), ("[febf::1]", "link-local"), ("[fc00::1]", "private"),
        ("[fd00:ec2::254]", "private"), ("[fec0::1]", "site-local"),
        ("[::ffff:10.0.0.1]", "private"), ("[::ffff:a9fe:a9fe]", "link-local"),
        ("[::ffff:0.0.0.0]", "unspecified"), ("[2002:a9fe:a9fe::]", "link-local"),  # 6to4
        ("[2002:c0a8:101::1]", "private"), ("[64:ff9b::a9fe:a9fe]", "link-local"),  # NAT64
        ("[64:ff9b::7f00:1]", "loopback"), ("[::127.0.0.1]", "reserved"),  # IPv4-compatible
        ("0xa9fea9fe", "link-local"), ("2852039166", "link-local"), ("0251.0376.0251.0376",
                                                                     "link-local"),
        ("224.0.0.1", "multicast"), ("255.255.255.255", "reserved"),
    ],
)
def test_non_public_addresses_are_refused_without_a_lookup(address: str, category: str) -> None:
    result = fetch_url(f"http://{address}/latest/meta-data/", POLICY,
                       guard=AddressGuard(resolver=no_dns))
    assert result.refused and result.status == 0
    assert f" {category} address; use --allow-private" in result.error


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "172.32.0.1", "172.15.255.255", "192.169.0.1", "100.128.0.1",
     "11.0.0.1", "169.253.255.255", "2606:4700:4700::1111", "::ffff:8.8.8.8"],
)
def test_public_neighbours_of_the_private_ranges_pass(address: str) -> None:
    checked = AddressGuard(resolver=no_dns).check(address, 80)
    assert checked.ok and checked.addresses == (str(ipaddress.ip_address(address)),)


# -- DNS answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [["10.0.0.7"], ["169.254.169.254"], ["::1"], ["::ffff:127.0.0.1"], ["fd12:3456::1"],
     ["93.184.216.34", "192.168.1.10"], ["192.168.1.10", "93.184.216.34"],
     ["2606:4700:4700::1111", "fe80::1"], ["93.184.216.34", "127.0.0.2"]],
    ids=lambda answers: "+".join(answers),
)
def test_a_name_with_any_private_answer_is_refused(intranet: LocalHTTPServer,
                                                   answers: list[str]) -> None:
    # the first answer may be public: the fetcher could fall back to a later one
    result = fetch_url(f"http://www.gemeente.test:{intranet.port}/", POLICY,
                       guard=guard({"www.gemeente.test": answers}, public="93.184.216.34"))
    assert result.refused and "host 'www.gemeente.test' resolves to" in result.error
    assert intranet.requests == []


def test_a_name_with_only_public_answers_is_fetched_from_the_checked_address(
    http_server: LocalHTTPServer,
) -> None:
    http_server.route("/", PAGE)
    result = fetch_url(f"http://www.gemeente.test:{http_server.port}/", POLICY,
                       guard=guard({"www.gemeente.test": ["127.0.0.1"]}))
    assert result.ok, result.error
    assert http_server.requests[0].headers["host"] == f"www.gemeente.test:{http_server.port}"


def test_the_name_is_resolved_once_so_a_rebinding_answer_is_never_used(
    http_server: LocalHTTPServer, intranet: LocalHTTPServer
) -> None:
    # a rebinding DNS server answers public first, then private: the second answer never counts
    answers = iter([["127.0.0.1"], ["127.0.0.2"], ["127.0.0.2"]])
    calls: list[str] = []

    def rebinding(host: str, _port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    public = ipaddress.ip_address("127.0.0.1")
    rebind_guard = AddressGuard(resolver=rebinding,
                                is_public=lambda ip: ip == public or is_public_address(ip))
    http_server.route("/", PAGE)
    result = fetch_url(f"http://rebind.test:{http_server.port}/", POLICY, guard=rebind_guard)
    assert result.ok and calls == ["rebind.test"]
    assert intranet.requests == []


# -- redirects -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.2:{port}/",
     "http://2130706435:{port}/", "http://0x7f.0.0.2:{port}/", "http://[::ffff:127.0.0.2]:{port}/",
     "http://[::1]:{port}/", "http://intranet.test:{port}/", "http://mixed.test:{port}/"],
)
def test_a_redirect_inwards_is_refused(http_server: LocalHTTPServer, intranet: LocalHTTPServer,
                                       target: str) -> None:
    names = {"www.example.test": ["127.0.0.1"], "intranet.test": ["127.0.0.2"],
             "mixed.test": ["93.184.216.34", "127.0.0.2"]}
    http_server.redirect("/doorsturen", target.format(port=intranet.port))
    result = fetch_url(f"http://www.example.test:{http_server.port}/doorsturen", POLICY,
                       guard=guard(names))
    assert result.refused and result.error.startswith("refused: "), result.error
    assert http_server.hits("/doorsturen") == 1
    assert intranet.requests == []


def test_a_redirect_chain_is_checked_at_every_hop(http_server: LocalHTTPServer,
                                                  intranet: LocalHTTPServer) -> None:
    http_server.redirect("/een", "/twee", status=301)
    http_server.redirect("/twee", f"http://www.example.test:{http_server.port}/drie")
    http_server.redirect("/drie", intranet.url("/latest/meta-data/"), status=307)
    result = fetch_url(f"http://www.example.test:{http_server.port}/een", POLICY,
                       guard=guard({"www.example.test": ["127.0.0.1"]}))
    assert result.refused and "127.0.0.2 is a loopback address" in result.error
    assert [http_server.hits(p) for p in ("/een", "/twee", "/drie")] == [1, 1, 1]
    assert intranet.requests == []


@pytest.mark.parametrize("location", ["http://[", "http://[::1", "http://x:port/", "http://]/"])
def test_a_redirect_to_an_unparsable_url_is_a_result_not_an_exception(
    http_server: LocalHTTPServer, location: str
) -> None:
    http_server.redirect("/weg", location)
    result = fetch_url(f"http://www.example.test:{http_server.port}/weg", POLICY,
                       guard=guard({"www.example.test": ["127.0.0.1"]}))
    assert result.error.startswith("302 redirect to an invalid URL"), result.error


# -- crawls: links, sitemaps, robots.txt ---------------------------------------------------------


def crawl_items(start: str, crawl_guard: AddressGuard, **options: object) -> list:
    crawl_options = CrawlOptions(fetch=POLICY, **options)  # type: ignore[arg-type]
    return list(crawl_site(start, crawl_options, guard=crawl_guard))


def test_unparsable_links_on_a_crawled_page_are_passed_over(http_server: LocalHTTPServer) -> None:
    links = "".join(f'<a href="{href}">x</a>' for href in ("A://[", "http://[::1", "/goed/"))
    http_server.route("/", PAGE.replace("</article>", f'<base href="http://[">{links}</article>'))
    http_server.route("/goed/", PAGE)
    start = f"http://www.example.test:{http_server.port}/"
    items = crawl_items(start, guard({"www.example.test": ["127.0.0.1"]}), use_sitemap=False)
    assert [item.url.removeprefix(start) for item in items] == ["", "goed/"]
    assert all(item.result is not None and item.result.ok for item in items)


def test_crawl_links_to_private_hosts_are_refused_even_off_site(
    http_server: LocalHTTPServer, intranet: LocalHTTPServer
) -> None:
    inward = [intranet.url("/"), "http://169.254.169.254/latest/meta-data/",
              f"http://2130706434:{intranet.port}/", f"http://intranet.test:{intranet.port}/"]
    links = "".join(f'<a href="{url}">link</a>' for url in inward)
    http_server.route("/", PAGE.replace("</article>", links + "</article>"))
    start = f"http://www.example.test:{http_server.port}/"
    names = {"www.example.test": ["127.0.0.1"], "intranet.test": ["10.9.8.7", "127.0.0.2"]}

    items = crawl_items(start, guard(names), same_site=False, use_sitemap=False)

    assert items[0].result is not None and items[0].result.ok
    refused = items[1:]
    assert len(refused) == len(inward)
    for item in refused:
        assert crawl_problem(item)[0] == "skipped"  # a dead link, not a failed run
        reason = crawl_problem(item)[1]
        assert reason.startswith("refused: "), reason
    assert intranet.requests == []


def test_sitemaps_and_their_pages_pointing_inwards_are_refused(
    http_server: LocalHTTPServer, intranet: LocalHTTPServer
) -> None:
    intranet.route("/sitemap.xml", Route(
        f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>"
        f"{intranet.url('/')}</loc></url></urlset>", content_type="application/xml"))
    start = f"http://www.example.test:{http_server.port}/"
    http_server.route("/robots.txt", Route(f"User-agent: *\nAllow: /\n"
                                           f"Sitemap: {intranet.url('/sitemap.xml')}\n"
                                           f"Sitemap: {start}sitemap.xml\n",
                                           content_type="text/plain"))
    http_server.route("/sitemap.xml", Route(
        "<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"<url><loc>{intranet.url('/latest/meta-data/')}</loc></url>"
        "<url><loc>http://169.254.169.254/latest/meta-data/</loc></url></urlset>",
        content_type="application/xml"))
    http_server.route("/", PAGE)

    items = crawl_items(start, guard({"www.example.test": ["127.0.0.1"]}), same_site=False)

    assert http_server.hits("/sitemap.xml") == 1
    inward = [item for item in items if item.depth > 0]
    assert len(inward) == 2
    for item in inward:  # refused when asking the intranet for its robots.txt, before the page
        assert crawl_problem(item) == ("skipped", item.skipped)
        assert item.skipped.startswith("refused: ")
    assert intranet.requests == []


def test_a_robots_txt_redirecting_inwards_is_not_followed(
    http_server: LocalHTTPServer, intranet: LocalHTTPServer
) -> None:
    http_server.redirect("/robots.txt", intranet.url("/robots.txt"))
    http_server.route("/", PAGE)
    start = f"http://www.example.test:{http_server.port}/"
    items = crawl_items(start, guard({"www.example.test": ["127.0.0.1"]}), use_sitemap=False)
    assert items and intranet.requests == []


# -- documents that point inwards ----------------------------------------------------------------

XXE = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY geheim SYSTEM "{url}">'
    '<!ENTITY bestand SYSTEM "file:///etc/hostname">]>'
)


def docx_with_entities(url: str) -> bytes:
    body = (XXE.format(url=url) +
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Intro &geheim; en &bestand; over de City Deal en de "
            "wijkaanpak in Groningen.</w:t></w:r></w:p></w:body></w:document>")
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", body)
    return buffer.getvalue()


def test_external_entities_in_documents_are_never_fetched(intranet: LocalHTTPServer) -> None:
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    url = intranet.url("/latest/meta-data/")
    html = (XXE.format(url=url) + "<html><body><article><p>&geheim; &bestand; "
            + "De City Deal bracht partners samen. " * 4
            + f"<img src='{url}'><iframe src='{url}'></iframe></p></article></body></html>")
    for data, source in ((docx_with_entities(url), "brief.docx"), (html.encode(), "pagina.html")):
        outcome = read_bytes(data, source)
        text = outcome.document.text if outcome.document is not None else ""
        assert "iam-credentials" not in text
        assert not hostname or hostname not in text.split()
    assert intranet.requests == []


def test_the_cli_refuses_odd_spellings_with_one_line(invoke, initialised: Path,
                                                     http_server: LocalHTTPServer) -> None:
    http_server.route("/", PAGE)
    for host in ("2130706433", "0x7f.1", "[::ffff:7f00:1]"):
        result = invoke("--setting", "annotate_with_model", "false", "ingest", "--crawl",
                        f"http://{host}:{http_server.port}/")
        assert result.exit_code == 1, result.output
        (failure,) = [line for line in result.output.splitlines() if line.startswith("MISLUKT")]
        assert "is a loopback address; use --allow-private" in failure
    assert http_server.requests == []


def test_categories_match_the_refusal_messages() -> None:
    # the message names the category address_category gives (one source of truth)
    assert address_category(ipaddress.ip_address("fec0::1")) == "site-local"
    assert address_category(ipaddress.ip_address("::ffff:7f00:1")) == "loopback"
