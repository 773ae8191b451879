"""HTTP validators (ETag, Last-Modified) per URL, kept on disk for conditional requests.

One small JSON file per URL under a folder the caller chooses; every write goes to a temporary
file first and is then renamed over the old one, so a crash leaves either the old or the new
entry, never half of one. A damaged or unreadable entry reads as a miss (a full fetch).
Bodies are not kept: a 304 means "what you processed last time is still current", so an entry
also keeps the page's outgoing links for a crawl to follow without downloading it again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.fetch import FetchResult

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """What the last successful fetch of ``url`` told us."""

    url: str
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    charset: str = ""
    fetched_at: str = ""
    links: tuple[str, ...] | None = None
    """The page's outgoing links, or None when they were not recorded."""


class HttpCache:
    """Validators per URL under ``folder`` (created on first write)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def get(self, url: str) -> CacheEntry | None:
        path = self._path(url)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable cache entry %s: %s", path, exc)
            return None
        if not isinstance(data, dict) or data.get("url") != url:
            return None
        try:
            return CacheEntry(
                url=url,
                etag=str(data.get("etag", "")),
                last_modified=str(data.get("last_modified", "")),
                content_type=str(data.get("content_type", "")),
                charset=str(data.get("charset", "")),
                fetched_at=str(data.get("fetched_at", "")),
                links=_links(data.get("links")),
            )
        except TypeError:
            return None

    def put(self, entry: CacheEntry) -> None:
        """Write one entry atomically (temporary file in the same folder, then os.replace)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(asdict(entry), ensure_ascii=False, indent=1)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(payload)
            os.replace(temporary, self._path(entry.url))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def forget(self, url: str) -> None:
        self._path(url).unlink(missing_ok=True)

    def remember(self, result: FetchResult, links: Sequence[str] | None = None) -> bool:
        """Keep the validators of a processed fetch (200 or 304); returns whether one was stored.

        ``links`` are the page's outgoing links (``CrawlItem.links``); a crawl needs them to go
        on past a page that answers 304, and fetches an HTML page in full when they are None.

        Call this after the document has been processed, not right after fetching: a crash in
        between must lead to a full fetch next time, not to a 304 for something never stored.
        A response without ETag or Last-Modified removes any old entry (nothing to revalidate).
        """
        if not result.ok:
            return False
        if not (result.etag or result.last_modified):
            self.forget(result.final_url)
            return False
        entry = CacheEntry(
            url=result.final_url,
            etag=result.etag,
            last_modified=result.last_modified,
            content_type=result.content_type,
            charset=result.charset,
            fetched_at=result.fetched_at,
            links=None if links is None else tuple(links),
        )
        try:
            self.put(entry)
        except OSError as exc:
            log.warning("could not write cache entry for %s: %s", result.final_url, exc)
            return False
        return True

    def _path(self, url: str) -> Path:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / f"{digest[:40]}.json"


def _links(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise TypeError("links must be a list")
    return tuple(str(link) for link in value)


__all__ = ["CacheEntry", "HttpCache"]
