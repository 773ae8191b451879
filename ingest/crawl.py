"""Crawl one site breadth first: its sitemap, then its links, politely and within limits.

The crawl yields every page as soon as it is fetched, so the pipeline processes it before the
next request. Pages are HTML, PDF and DOCX (anything not obviously an asset); links are only
read from HTML. robots.txt is asked before every request and the same host is never asked
twice within ``per_host_delay_s`` (or the site's Crawl-delay, when larger).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from ingest.document import join_url
from ingest.fetch import FetchOptions, FetchResult, HostRateLimiter, fetch_url
from ingest.http_cache import HttpCache
from ingest.netguard import AddressGuard
from ingest.robots import DISALLOWED, ROBOTS_MAX_BYTES, RobotsCache, origin_of
from ingest.sitemap import read_sitemaps

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Links to these are assets, not documents; everything else (pages, .pdf, .docx) is fetched.
NON_DOCUMENT_SUFFIXES = frozenset(
    {
        ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".avif", ".ico", ".bmp", ".tif",
        ".tiff", ".css", ".js", ".mjs", ".map", ".json", ".xml", ".rss", ".atom", ".zip",
        ".gz", ".tgz", ".tar", ".7z", ".rar", ".mp3", ".mp4", ".m4a", ".wav", ".ogg", ".webm",
        ".mov", ".avi", ".mkv", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".exe", ".dmg",
        ".iso", ".msi", ".apk", ".ics", ".vcf", ".xls", ".xlsx", ".ppt", ".pptx", ".csv",
    }
)
# Path segments of feeds, APIs and service endpoints (mostly WordPress and CDN) that never
# hold a document.
NON_DOCUMENT_SEGMENTS = frozenset(
    {"feed", "cdn-cgi", "wp-json", "wp-admin", "wp-login.php", "xmlrpc.php", "oembed"}
)
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "msclkid", "mc_cid", "mc_eid", "_ga"})
TRACKING_PREFIXES = ("utm_",)
IGNORED_SCHEMES = ("mailto:", "javascript:", "tel:", "data:", "ftp:", "file:")
CRAWL_DELAY_CAP_S = 30.0
"""A robots.txt Crawl-delay above this is lowered to it, so one site cannot stall an ingest."""


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    """Limits of one crawl; ``fetch`` says how each request is made."""

    max_pages: int = 50
    max_depth: int = 2
    same_site: bool = True
    use_sitemap: bool = True
    fetch: FetchOptions = field(default_factory=FetchOptions)

    def __post_init__(self) -> None:
        if self.max_pages < 1:
            raise ValueError(f"max_pages must be at least 1, not {self.max_pages}")
        if self.max_depth < 0:
            raise ValueError(f"max_depth cannot be negative, not {self.max_depth}")


@dataclass(frozen=True, slots=True)
class CrawlItem:
    """One URL the crawl reached: fetched (``result``), or not, and then ``skipped`` says why.

    ``links`` are the document links found on the page (normalised, any site), read from the
    HTML or, on a 304, from the cache entry; pass them to ``HttpCache.remember`` after
    processing so that the next crawl can follow them without downloading the page.
    ``depth`` is 0 for the start URL, 1 for its links and the sitemap's pages, and so on.
    """

    url: str
    depth: int
    result: FetchResult | None = None
    links: tuple[str, ...] = ()
    skipped: str = ""


def crawl_site(
    start_url: str,
    options: CrawlOptions | None = None,
    cache: HttpCache | None = None,
    *,
    guard: AddressGuard | None = None,
    limiter: HostRateLimiter | None = None,
) -> Iterator[CrawlItem]:
    """Fetch pages of the site of start_url, breadth first, up to max_pages and max_depth.

    Fetch failures are yielded as items whose ``result.error`` says what went wrong and count
    towards max_pages; URLs robots.txt refuses are yielded with ``skipped`` and do not count.
    The cache is only read (conditional requests); see :class:`CrawlItem` for writing it.
    Pass the run's ``limiter`` when other fetches go to the same hosts (one is made otherwise).
    """
    options = options or CrawlOptions()
    fetch_options = options.fetch
    limiter = limiter or HostRateLimiter(fetch_options.per_host_delay_s)
    fetch = partial(fetch_url, guard=guard, limiter=limiter)  # every request shares both
    robots_options = replace(
        fetch_options, max_bytes=min(fetch_options.max_bytes, ROBOTS_MAX_BYTES)
    )
    robots = RobotsCache(lambda url: fetch(url, robots_options), fetch_options.user_agent)
    start = normalise_url(start_url)
    if start is None:
        yield CrawlItem(start_url, 0, skipped=f"not an http(s) URL: {start_url}")
        return
    scope = {origin_of(start)}
    queue: deque[tuple[str, int]] = deque([(start, 0)])
    queued = {start}
    fetched = 0

    def in_scope(url: str) -> bool:
        return not options.same_site or origin_of(url) in scope

    def enqueue(urls: Iterable[str], depth: int) -> None:
        if depth > options.max_depth:
            return
        for url in urls:
            if url not in queued and in_scope(url):
                queued.add(url)
                queue.append((url, depth))

    while queue and fetched < options.max_pages:
        url, depth = queue.popleft()
        links: tuple[str, ...] = ()
        reason = robots.skip_reason(url)
        if reason:
            yield CrawlItem(url, depth, skipped=reason)
        else:
            _honour_crawl_delay(robots, limiter, url)
            page_cache = cache if _may_revalidate(cache, url, depth < options.max_depth) else None
            result = fetch(url, fetch_options, page_cache)
            fetched += 1
            final = normalise_url(result.final_url)
            if final is not None:
                queued.add(final)
                if depth == 0 and result.ok:
                    scope.add(origin_of(final))  # e.g. http:// redirected to https://
            links = _links_of(result, cache)
            yield CrawlItem(url, depth, result, links)
        if depth == 0 and options.use_sitemap and not robots.rules(start).unreachable:
            # Sitemap pages go first: they are the site's own list of its documents. A same-site
            # crawl reads only the sitemaps on the site (robots.txt may name others elsewhere).
            named = [sitemap for sitemap in robots.rules(start).sitemaps() if in_scope(sitemap)]
            pages = _sitemap_pages(
                named or [f"{origin_of(start)}/sitemap.xml"],
                lambda url: fetch(url, fetch_options),
                in_scope,
            )
            enqueue(pages, 1)
        enqueue(links, depth + 1)
    if queue:
        log.info("crawl of %s stopped at max_pages=%d", start, options.max_pages)


CrawlProblem = Literal["failed", "skipped", ""]


def crawl_problem(item: CrawlItem) -> tuple[CrawlProblem, str]:
    """("failed" or "skipped", one-line reason) for an item that gave no page, else ("", "").

    The start URL is what the user asked for: when it is refused (address policy), unreachable
    or missing, the crawl failed. Pages found on the way that robots.txt or the address policy
    refuses, or that are not there (4xx), are skipped: dead links are normal on real sites.
    Other trouble with them (5xx, timeouts) is a failure, so a re-run is worth it.
    """
    if item.result is None:
        if item.depth == 0 and item.skipped != DISALLOWED:
            return "failed", item.skipped
        return "skipped", item.skipped
    result = item.result
    if result.ok:
        return "", ""
    if item.depth > 0 and (result.refused or 400 <= result.status < 500):
        return "skipped", result.error
    return "failed", result.error


def normalise_url(url: str) -> str | None:
    """The canonical form used to recognise the same page twice, or None if not http(s).

    Lower-case scheme and host, no default port, no user info, no fragment, "/" for an empty
    path, query parameters sorted and tracking parameters (utm_*, fbclid, ...) dropped.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in ("http", "https") or not host:
        return None
    with contextlib.suppress(UnicodeError):  # keep the host as given when IDNA cannot encode it
        host = host.encode("idna").decode("ascii")
    if ":" in host:
        host = f"[{host}]"
    default_port = 443 if scheme == "https" else 80
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    pairs = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in TRACKING_PARAMS and not name.lower().startswith(TRACKING_PREFIXES)
    ]
    query = urlencode(sorted(pairs))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def is_document_url(url: str) -> bool:
    """False for links to obvious assets (images, styles, scripts, archives, media, fonts)
    and to feeds and service endpoints."""
    path = PurePosixPath(urlsplit(url).path.lower())
    return path.suffix not in NON_DOCUMENT_SUFFIXES and NON_DOCUMENT_SEGMENTS.isdisjoint(path.parts)


def extract_links(body: bytes, page_url: str) -> tuple[str, ...]:
    """Normalised document links of an HTML page (``<a>`` and ``<area>``), in order, unique.

    Honours ``<base href>`` and ``<meta name="robots" content="nofollow">`` (then no links).
    """
    try:
        document = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return ()
    robots_meta = " ".join(
        str(value)
        for value in document.xpath(
            "//meta[translate(@name, 'ROBTS', 'robts')='robots']/@content"
        )
    ).lower()
    if {"nofollow", "none"} & set(re.split(r"[\s,]+", robots_meta)):
        return ()
    base = page_url
    for href in document.xpath("//base/@href"):
        base = join_url(page_url, str(href).strip()) or page_url
        break
    links: dict[str, None] = {}
    for raw in document.xpath("//a/@href | //area/@href"):
        href = str(raw).strip()
        if not href or href.startswith("#") or href.lower().startswith(IGNORED_SCHEMES):
            continue
        url = normalise_url(join_url(base, href))
        if url is not None and is_document_url(url):
            links[url] = None
    return tuple(links)


def _links_of(result: FetchResult, cache: HttpCache | None) -> tuple[str, ...]:
    if result.not_modified and cache is not None:
        entry = cache.get(result.final_url)
        return (entry.links or ()) if entry is not None else ()
    if result.ok and result.content_type in HTML_TYPES:
        return extract_links(result.body, result.final_url)
    return ()


def _may_revalidate(cache: HttpCache | None, url: str, needs_links: bool) -> bool:
    """Whether a conditional request is of use: a 304 for an HTML page whose links were not
    remembered would leave the crawl blind beyond it, so such a page is fetched in full."""
    if cache is None or not needs_links:
        return cache is not None
    entry = cache.get(url)
    return entry is None or entry.links is not None or entry.content_type not in HTML_TYPES


def _honour_crawl_delay(robots: RobotsCache, limiter: HostRateLimiter, url: str) -> None:
    delay_s = robots.delay_s(url)
    host = urlsplit(url).hostname or ""
    if delay_s is not None and delay_s > limiter.delay_for(host):
        limiter.slow_down(host, min(delay_s, CRAWL_DELAY_CAP_S))


def _sitemap_pages(
    sitemap_urls: list[str], fetch: Callable[[str], FetchResult], in_scope: Callable[[str], bool]
) -> list[str]:
    """The document URLs the sitemaps list, following indexes only to sitemaps in scope."""
    report = read_sitemaps(sitemap_urls, fetch, may_follow=in_scope)
    pages = [
        url
        for entry in report.pages
        if (url := normalise_url(entry.url)) is not None and is_document_url(url)
    ]
    log.info("sitemaps %s list %d pages", ", ".join(report.read), len(pages))
    return pages


__all__ = [
    "CrawlItem",
    "CrawlOptions",
    "crawl_problem",
    "crawl_site",
    "extract_links",
    "is_document_url",
    "normalise_url",
]
