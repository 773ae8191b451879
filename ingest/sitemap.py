"""Sitemaps (sitemaps.org): a site's own list of its pages, read before crawling its links.

Handles urlset and sitemap index files (XML, optionally gzipped) and plain-text sitemaps (one
URL a line). The XML parser neither resolves entities nor touches the network.
"""

from __future__ import annotations

import logging
import zlib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lxml import etree

from ingest.fetch import FetchResult

log = logging.getLogger(__name__)

SITEMAP_MAX_BYTES = 50_000_000
"""The protocol's limit for one uncompressed sitemap file."""
MAX_SITEMAPS = 20
MAX_SITEMAP_PAGES = 50_000

_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str
    lastmod: str = ""


@dataclass(frozen=True, slots=True)
class ParsedSitemap:
    """One sitemap file: the pages it lists, or the sitemaps it points to (an index)."""

    pages: tuple[SitemapEntry, ...] = ()
    sitemaps: tuple[str, ...] = ()
    error: str = ""


@dataclass(frozen=True, slots=True)
class SitemapReport:
    """All pages found by following sitemaps (and indexes) from a few starting sitemap URLs."""

    pages: tuple[SitemapEntry, ...] = ()
    read: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


def parse_sitemap(body: bytes) -> ParsedSitemap:
    """Parse one sitemap file (XML urlset or index, gzipped or not, or plain text)."""
    if body.startswith(_GZIP_MAGIC):
        try:
            decoder = zlib.decompressobj(wbits=31)
            body = decoder.decompress(body, SITEMAP_MAX_BYTES + 1)
        except zlib.error as exc:
            return ParsedSitemap(error=f"invalid gzip sitemap: {exc}")
        if len(body) > SITEMAP_MAX_BYTES:
            return ParsedSitemap(error="sitemap larger than 50 MB uncompressed")
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return ParsedSitemap(error="empty sitemap")
    if not stripped.startswith(b"<"):
        return _parse_text(stripped.decode("utf-8", errors="replace").splitlines())
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, recover=True, dtd_validation=False
    )
    try:
        root = etree.fromstring(stripped, parser)
    except etree.XMLSyntaxError as exc:
        return ParsedSitemap(error=f"invalid sitemap XML: {exc}")
    if root is None:
        return ParsedSitemap(error="invalid sitemap XML")
    kind = etree.QName(root).localname
    if kind == "urlset":
        pages = tuple(
            SitemapEntry(loc, _child_text(item, "lastmod"))
            for item in _children(root, "url")
            if (loc := _child_text(item, "loc"))
        )
        return ParsedSitemap(pages=pages)
    if kind == "sitemapindex":
        return ParsedSitemap(
            sitemaps=tuple(
                loc for item in _children(root, "sitemap") if (loc := _child_text(item, "loc"))
            )
        )
    return ParsedSitemap(error=f"not a sitemap (root element <{kind}>)")


def read_sitemaps(
    sitemap_urls: Iterable[str],
    fetch: Callable[[str], FetchResult],
    *,
    max_sitemaps: int = MAX_SITEMAPS,
    max_pages: int = MAX_SITEMAP_PAGES,
    may_follow: Callable[[str], bool] | None = None,
) -> SitemapReport:
    """Fetch sitemaps breadth first, following indexes, until the limits; never raises.

    ``may_follow`` decides which sitemaps an index may lead to (e.g. only the same site).
    """
    queue = deque(dict.fromkeys(sitemap_urls))
    seen = set(queue)
    pages: dict[str, SitemapEntry] = {}
    read: list[str] = []
    errors: list[str] = []
    while queue and len(read) < max_sitemaps and len(pages) < max_pages:
        url = queue.popleft()
        read.append(url)
        result = fetch(url)
        if not result.ok:
            errors.append(f"{url}: {result.error}")
            continue
        parsed = parse_sitemap(result.body)
        if parsed.error:
            errors.append(f"{url}: {parsed.error}")
            continue
        for entry in parsed.pages:
            if len(pages) >= max_pages:
                break
            pages.setdefault(entry.url, entry)
        for nested in parsed.sitemaps:
            if nested not in seen and (may_follow is None or may_follow(nested)):
                seen.add(nested)
                queue.append(nested)
    for error in errors:
        log.info("sitemap skipped: %s", error)
    return SitemapReport(tuple(pages.values()), tuple(read), tuple(errors))


def _parse_text(lines: Iterable[str]) -> ParsedSitemap:
    pages = tuple(
        SitemapEntry(line.strip())
        for line in lines
        if line.strip().lower().startswith(("http://", "https://"))
    )
    return ParsedSitemap(pages=pages) if pages else ParsedSitemap(error="not a sitemap")


def _children(element: etree._Element, name: str) -> Iterable[etree._Element]:
    return (
        child
        for child in element
        if isinstance(child.tag, str) and etree.QName(child).localname == name
    )


def _child_text(element: etree._Element, name: str) -> str:
    child = next(iter(_children(element, name)), None)
    return (child.text or "").strip() if child is not None else ""


__all__ = [
    "MAX_SITEMAPS",
    "MAX_SITEMAP_PAGES",
    "SITEMAP_MAX_BYTES",
    "ParsedSitemap",
    "SitemapEntry",
    "SitemapReport",
    "parse_sitemap",
    "read_sitemaps",
]
