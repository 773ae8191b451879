"""Crawling a site: scope, limits, robots.txt, sitemaps, politeness and revalidation.

Sites are served from 127.0.0.1 by servers the tests start; the shared fixture site
(tests/fixtures/site) is served with its absolute URLs rewritten to the local server.
"""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import httpfixture
import pytest
from httpfixture import LocalHTTPServer, Route

from ingest.crawl import CrawlItem, CrawlOptions, crawl_site, extract_links, normalise_url
from ingest.fetch import FetchOptions, FetchResult
from ingest.http_cache import HttpCache
from ingest.robots import DISALLOWED, parse_robots
from ingest.sitemap import parse_sitemap

http_server = httpfixture.http_server  # fixtures, requested by name below
make_http_server = httpfixture.make_http_server

FAST = FetchOptions(allow_private=True, timeout_s=2.0, per_host_delay_s=0.0)
SITE = Path(__file__).parent / "fixtures" / "site"
SITE_ORIGIN = "https://kennisplein-stad.example"


def page(*links: str, title: str = "Pagina") -> str:
    anchors = "".join(f'<a href="{link}">{link}</a>' for link in links)
    return f"<html><head><title>{title}</title></head><body>{anchors}</body></html>"


def crawl(start: str, cache: HttpCache | None = None, **limits: object) -> list[CrawlItem]:
    options = CrawlOptions(fetch=limits.pop("fetch", FAST), **limits)  # type: ignore[arg-type]
    return list(crawl_site(start, options, cache))


def fetched_paths(items: list[CrawlItem], server: LocalHTTPServer) -> list[str]:
    return [item.url.removeprefix(server.base_url) for item in items if item.result is not None]


# -- scope and order -------------------------------------------------------------------------


def test_breadth_first_within_the_site(http_server: LocalHTTPServer, make_http_server) -> None:
    other = make_http_server({"/": Route(page())})
    http_server.route("/", page("/a", "/b", other.url("/")))
    http_server.route("/a", page("/c"))
    http_server.route("/b", page("/"))
    http_server.route("/c", page())

    items = crawl(http_server.url("/"), use_sitemap=False)

    assert fetched_paths(items, http_server) == ["/", "/a", "/b", "/c"]
    assert [item.depth for item in items] == [0, 1, 1, 2]
    assert all(item.result is not None and item.result.ok for item in items)
    assert other.requests == []  # another port is another site: not followed
    assert items[0].links == (http_server.url("/a"), http_server.url("/b"), other.url("/"))


def test_other_sites_followed_when_same_site_is_off(
    http_server: LocalHTTPServer, make_http_server
) -> None:
    other = make_http_server({"/": Route(page())})
    http_server.route("/", page(other.url("/")))
    items = crawl(http_server.url("/"), use_sitemap=False, same_site=False)
    assert [item.url for item in items] == [http_server.url("/"), other.url("/")]
    assert other.hits("/robots.txt") == 1  # robots.txt asked per site


def test_links_are_normalised_and_assets_skipped(http_server: LocalHTTPServer) -> None:
    http_server.route("/", page(
        "#top", "mailto:info@example.org", "javascript:void(0)", "tel:+31201234567",
        "/logo.png", "/style.css", "/app.js", "/archief.zip",
        "/verslag.pdf", "/deal.docx",
        "/zoek?b=2&a=1", "/zoek?a=1&b=2", "/zoek?a=1&utm_source=mail&b=2", "/a#deel-2", "/a",
    ))
    for path in ("/a", "/zoek"):
        http_server.route(path, page())
    http_server.route("/verslag.pdf", Route(b"%PDF-1.7", content_type="application/pdf"))
    http_server.route("/deal.docx", Route(b"PK\x03\x04", content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")))

    items = crawl(http_server.url("/"), use_sitemap=False)

    assert fetched_paths(items, http_server) == ["/", "/verslag.pdf", "/deal.docx", "/zoek?a=1&b=2",
                                                 "/a"]
    assert http_server.hits("/zoek") == 1
    assert {r.path for r in http_server.requests} == {
        "/robots.txt", "/", "/verslag.pdf", "/deal.docx", "/zoek", "/a",
    }
    pdf = next(item for item in items if item.url.endswith(".pdf"))
    assert pdf.result is not None and pdf.result.content_type == "application/pdf"
    assert pdf.links == ()  # links are only read from HTML


def test_max_depth(http_server: LocalHTTPServer) -> None:
    for here, there in (("/", "/1"), ("/1", "/2"), ("/2", "/3"), ("/3", "/4")):
        http_server.route(here, page(there))
    items = crawl(http_server.url("/"), use_sitemap=False, max_depth=2)
    assert fetched_paths(items, http_server) == ["/", "/1", "/2"]
    assert http_server.hits("/3") == 0


def test_max_pages(http_server: LocalHTTPServer) -> None:
    http_server.route("/", page(*(f"/p{n}" for n in range(10))))
    for n in range(10):
        http_server.route(f"/p{n}", page())
    items = crawl(http_server.url("/"), use_sitemap=False, max_pages=3)
    assert fetched_paths(items, http_server) == ["/", "/p0", "/p1"]
    assert sum(1 for r in http_server.requests if r.path.startswith("/p")) == 2


def test_failures_are_yielded_and_count_as_pages(http_server: LocalHTTPServer) -> None:
    http_server.route("/", page("/weg", "/ok"))
    http_server.route("/ok", page())
    items = crawl(http_server.url("/"), use_sitemap=False)
    failed = items[1]
    assert failed.result is not None and failed.result.error == "404 Not Found"
    assert items[2].result is not None and items[2].result.ok


def test_start_page_redirect_to_another_origin_widens_the_site(
    http_server: LocalHTTPServer, make_http_server
) -> None:
    new_home = make_http_server()
    new_home.route("/", page("/binnen"))
    new_home.route("/binnen", page())
    http_server.redirect("/", new_home.url("/"), status=301)
    items = crawl(http_server.url("/"), use_sitemap=False)
    assert [item.result.final_url for item in items if item.result] == [
        new_home.url("/"), new_home.url("/binnen"),
    ]


def test_not_an_http_url() -> None:
    (item,) = crawl("mailto:info@example.org")
    assert item.result is None and item.skipped.startswith("not an http(s) URL")


# -- robots.txt ------------------------------------------------------------------------------


def test_robots_disallow_is_respected(http_server: LocalHTTPServer) -> None:
    http_server.route("/robots.txt", Route(
        "User-agent: *\nDisallow: /intern/\n\nUser-agent: impactkg\nDisallow: /alleen-wij/\n",
        content_type="text/plain"))
    http_server.route("/", page("/intern/notulen", "/alleen-wij/x", "/open"))
    http_server.route("/open", page())

    items = crawl(http_server.url("/"), use_sitemap=False)

    skipped = {item.url.removeprefix(http_server.base_url): item.skipped for item in items
               if item.result is None}
    assert skipped == {"/alleen-wij/x": DISALLOWED}
    assert http_server.hits("/alleen-wij/x") == 0
    assert http_server.hits("/robots.txt") == 1  # cached for the crawl
    assert fetched_paths(items, http_server) == ["/", "/intern/notulen", "/open"]


def test_robots_disallow_for_everyone(http_server: LocalHTTPServer) -> None:
    http_server.route("/robots.txt", Route("User-agent: *\nDisallow: /intern/\n",
                                           content_type="text/plain"))
    http_server.route("/", page("/intern/notulen", "/open"))
    http_server.route("/open", page())
    items = crawl(http_server.url("/"), use_sitemap=False)
    assert [(item.url.removeprefix(http_server.base_url), item.skipped) for item in items] == [
        ("/", ""), ("/intern/notulen", "disallowed by robots.txt"), ("/open", ""),
    ]
    assert http_server.hits("/intern/notulen") == 0


def test_robots_server_error_means_disallow_all(http_server: LocalHTTPServer) -> None:
    http_server.route("/robots.txt", Route("kapot", status=503))
    http_server.route("/", page())
    (item,) = crawl(http_server.url("/"), use_sitemap=False)
    assert item.result is None
    assert item.skipped.startswith("robots.txt unreachable (503 Service Unavailable)")
    assert http_server.hits("/") == 0


def test_private_start_url_refused_with_the_hint(http_server: LocalHTTPServer) -> None:
    http_server.route("/", page())
    (item,) = crawl(http_server.url("/"), fetch=FetchOptions(per_host_delay_s=0))
    assert item.result is None and "use --allow-private" in item.skipped
    assert http_server.requests == []


@pytest.mark.parametrize(
    ("status", "error", "allowed"),
    [(404, "404 Not Found", True), (403, "403 Forbidden", True), (500, "500 Internal Server Error",
     False), (0, "timeout after 20 s", False)],
)
def test_robots_fetch_failures_follow_rfc_9309(status: int, error: str, allowed: bool) -> None:
    result = FetchResult("https://a.example/robots.txt", "https://a.example/robots.txt", status,
                         error=error)
    rules = parse_robots("https://a.example", result)
    assert rules.allowed("https://a.example/x", "impactkg/1") is allowed


def test_robots_delay_takes_the_larger_of_crawl_delay_and_request_rate() -> None:
    body = b"User-agent: *\nCrawl-delay: 2\nRequest-rate: 1/5\n"
    rules = parse_robots("https://a.example", FetchResult("u", "u", 200, body=body))
    assert rules.delay_s("impactkg/1") == 5.0


def test_crawl_delay_is_honoured_when_larger(http_server: LocalHTTPServer) -> None:
    http_server.route("/robots.txt", Route("User-agent: *\nCrawl-delay: 1\n",
                                           content_type="text/plain"))
    http_server.route("/", page())
    crawl(http_server.url("/"), use_sitemap=False, max_pages=1,
          fetch=FetchOptions(allow_private=True, per_host_delay_s=0.05))
    robots, start = http_server.requests
    assert start.at - robots.at >= 1.0 - 0.05


def test_per_host_rate_limit(http_server: LocalHTTPServer) -> None:
    http_server.route("/", page("/a", "/b"))
    http_server.route("/a", page())
    http_server.route("/b", page())
    crawl(http_server.url("/"), use_sitemap=False,
          fetch=FetchOptions(allow_private=True, per_host_delay_s=0.2))
    times = [request.at for request in http_server.requests]
    assert len(times) == 4  # robots.txt and three pages
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.2 - 0.02


# -- sitemaps --------------------------------------------------------------------------------


def test_sitemap_from_robots_with_an_index(http_server: LocalHTTPServer) -> None:
    base = http_server.base_url
    http_server.route("/robots.txt", Route(f"User-agent: *\nSitemap: {base}/sitemaps.xml\n",
                                           content_type="text/plain"))
    http_server.route("/sitemaps.xml", Route(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/nieuws.xml.gz</loc></sitemap>"
        "<sitemap><loc>https://elders.example/sitemap.xml</loc></sitemap></sitemapindex>",
        content_type="application/xml"))
    http_server.route("/nieuws.xml.gz", Route(gzip.compress(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + f"<url><loc>{base}/nieuws/verborgen/</loc><lastmod>2024-06-18</lastmod></url>".encode()
        + b"<url><loc>https://elders.example/x</loc></url></urlset>"),
        content_type="application/gzip"))
    http_server.route("/", page("/gelinkt"))
    http_server.route("/gelinkt", page())
    http_server.route("/nieuws/verborgen/", page())

    items = crawl(http_server.url("/"), max_depth=1)

    assert fetched_paths(items, http_server) == ["/", "/nieuws/verborgen/", "/gelinkt"]
    assert [item.depth for item in items] == [0, 1, 1]
    assert http_server.hits("/sitemap.xml") == 0  # robots.txt named the sitemap


def test_sitemap_xml_is_tried_when_robots_names_none(http_server: LocalHTTPServer) -> None:
    base = http_server.base_url
    http_server.route("/sitemap.xml", Route(
        f"<urlset><url><loc>{base}/alleen-in-sitemap</loc></url></urlset>",
        content_type="application/xml"))
    http_server.route("/", page())
    http_server.route("/alleen-in-sitemap", page())
    items = crawl(http_server.url("/"))
    assert fetched_paths(items, http_server) == ["/", "/alleen-in-sitemap"]


def test_sitemap_ignored_when_turned_off(http_server: LocalHTTPServer) -> None:
    http_server.route("/", page())
    crawl(http_server.url("/"), use_sitemap=False)
    assert http_server.hits("/sitemap.xml") == 0


def test_parse_sitemap_variants() -> None:
    text = parse_sitemap(b"https://a.example/1\n\nhttps://a.example/2\n")
    assert [entry.url for entry in text.pages] == ["https://a.example/1", "https://a.example/2"]
    assert parse_sitemap(b"<rss><channel/></rss>").error == "not a sitemap (root element <rss>)"
    assert parse_sitemap(b"").error == "empty sitemap"
    entity = parse_sitemap(
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>https://a.example/&x;</loc></url></urlset>"
    )
    assert all("root:" not in entry.url for entry in entity.pages)


# -- revalidation ----------------------------------------------------------------------------


def test_second_crawl_revalidates_and_follows_remembered_links(
    http_server: LocalHTTPServer, tmp_path: Path
) -> None:
    http_server.route("/", Route(page("/a"), headers={"ETag": '"home-1"'}))
    http_server.route("/a", Route(page(), headers={"ETag": '"a-1"'}))
    cache = HttpCache(tmp_path / "http")
    for item in crawl(http_server.url("/"), cache, use_sitemap=False):
        assert item.result is not None
        cache.remember(item.result, item.links)  # what the pipeline does after storing a page

    second = crawl(http_server.url("/"), cache, use_sitemap=False)

    assert [(item.result.status, item.result.not_modified) for item in second if item.result] == [
        (304, True), (304, True),
    ]
    assert second[0].links == (http_server.url("/a"),)
    assert http_server.statuses("/") == [200, 304]


def test_html_page_without_remembered_links_is_fetched_in_full(
    http_server: LocalHTTPServer, tmp_path: Path
) -> None:
    http_server.route("/", Route(page("/a"), headers={"ETag": '"home-1"'}))
    http_server.route("/a", Route(page(), headers={"ETag": '"a-1"'}))
    cache = HttpCache(tmp_path / "http")
    for item in crawl(http_server.url("/"), cache, use_sitemap=False):
        assert item.result is not None
        cache.remember(item.result)  # links not passed

    second = crawl(http_server.url("/"), cache, use_sitemap=False)

    assert fetched_paths(second, http_server) == ["/", "/a"]
    assert http_server.statuses("/") == [200, 200]  # else the crawl would stop at a 304
    assert http_server.statuses("/a") == [200, 200]


# -- the shared fixture site -----------------------------------------------------------------


def serve_fixture_site(server: LocalHTTPServer) -> None:
    """Every file of tests/fixtures/site as a route, its absolute URLs pointing at server."""
    for path in sorted(SITE.rglob("*")):
        if not path.is_file():
            continue
        relative = "/" + path.relative_to(SITE).as_posix()
        route_path = relative.removesuffix("index.html")
        body = path.read_bytes().replace(SITE_ORIGIN.encode(), server.base_url.encode())
        kind = {".txt": "text/plain", ".xml": "application/xml"}.get(path.suffix, "text/html")
        server.route(route_path, Route(body, content_type=f"{kind}; charset=utf-8"))


@pytest.mark.skipif(not (SITE / "sitemap.xml").is_file(), reason="fixture site not there yet")
def test_fixture_site_is_crawled_completely(http_server: LocalHTTPServer) -> None:
    serve_fixture_site(http_server)

    items = crawl(http_server.url("/"), max_pages=50)

    pages = {item.url.removeprefix(http_server.base_url) for item in items
             if item.result is not None and item.result.ok}
    sitemap_pages = {
        normalise_url(entry.url).removeprefix(http_server.base_url)  # type: ignore[union-attr]
        for entry in parse_sitemap(
            (SITE / "sitemap.xml").read_bytes().replace(SITE_ORIGIN.encode(),
                                                        http_server.base_url.encode())
        ).pages
    }
    assert sitemap_pages <= pages
    assert not any(path.startswith(("/wp-content/", "/wp-admin/")) for path in pages)
    assert all(request.headers["user-agent"].startswith("impactkg/")
               for request in http_server.requests)


def test_extract_links_honours_base_and_nofollow() -> None:
    html = b'<html><head><base href="https://a.example/dir/"></head><body>' \
           b'<a href="x">x</a><area href="/y"><a href=" ">leeg</a></body></html>'
    assert extract_links(html, "https://a.example/") == (
        "https://a.example/dir/x", "https://a.example/y",
    )
    nofollow = b'<html><head><meta name="Robots" content="noindex, nofollow"></head>' \
               b'<body><a href="/x">x</a></body></html>'
    assert extract_links(nofollow, "https://a.example/") == ()
    assert extract_links(b"", "https://a.example/") == ()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.ORG:80/a?b=2&a=1#x", "http://example.org/a?a=1&b=2"),
        ("https://example.org", "https://example.org/"),
        ("https://user:pw@example.org:8443/p?utm_medium=x&fbclid=1", "https://example.org:8443/p"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("ftp://example.org/", None),
        ("https:///geen-host", None),
    ],
)
def test_normalise_url(url: str, expected: str | None) -> None:
    assert normalise_url(url) == expected
