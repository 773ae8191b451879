"""Turning what the user names (files, folders, URLs, sites) into raw sources with their bytes."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {
    ".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".md": "text/markdown", ".markdown": "text/markdown", ".txt": "text/plain",
}


@dataclass(frozen=True, slots=True)
class RawSource:
    """One source and its bytes, or the one-line reason it could not be had.

    ``source`` is the stable identity (an http(s) URL or a file:// URI of the absolute
    path); ``group`` is the host or folder whose pages share a template.
    """

    source: str
    body: bytes
    media_type: str
    fetched_at: str
    group: str
    url: str = ""
    error: str = ""
    not_modified: bool = False
    fetch_result: object | None = None  # the FetchResult, so the HTTP cache can remember it
    links: tuple[str, ...] = ()  # links found on the page, remembered for 304s in a re-crawl

    @property
    def site(self) -> str:
        return urlsplit(self.url).netloc if self.url else self.group


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def media_type_for(path: Path) -> str:
    return SUPPORTED_SUFFIXES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or ""


FOLDER_NOTES = {"readme.md", "readme.txt", "leesmij.md", "leesmij.txt"}
"""A folder's own README describes the folder; it is not one of its sources."""


def local_files(root: Path) -> list[Path]:
    """The supported files at ``root`` (a file, or a folder searched recursively), sorted.

    Hidden files and folders and folder READMEs are left out when a folder is named.
    """
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                  and p.name.lower() not in FOLDER_NOTES
                  and not any(part.startswith(".") for part in p.relative_to(root).parts))


def read_local(path: Path, max_bytes: int, group: str = "") -> RawSource:
    """A file's bytes, unless it is too large or unreadable (then ``error`` says why).

    ``group`` names the pages that share a template (default: the file's folder).
    """
    source = path.resolve().as_uri()
    group = group or path.resolve().parent.as_uri()
    media_type = media_type_for(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return RawSource(source, b"", media_type, now_iso(), group,
                             error=f"file is {size / 1e6:.0f} MB, more than the "
                                   f"{max_bytes / 1e6:.0f} MB limit")
        body = path.read_bytes()
    except OSError as error:
        return RawSource(source, b"", media_type, now_iso(), group,
                         error=f"cannot read file: {error.strerror or error}")
    return RawSource(source, body, media_type, now_iso(), group)


def iter_local(root: Path, max_bytes: int) -> Iterator[RawSource]:
    """The files under ``root``; all pages of a named folder share one template group, since a
    saved site keeps each page in a folder of its own (``nieuws/<slug>/index.html``)."""
    group = root.resolve().as_uri() if root.is_dir() else ""
    for path in local_files(root):
        yield read_local(path, max_bytes, group)


def raw_from_fetch(result: object, links: tuple[str, ...] = ()) -> RawSource:
    """A :class:`~ingest.fetch.FetchResult` as a raw source."""
    url = result.final_url or result.url  # type: ignore[attr-defined]
    parts = urlsplit(url)
    return RawSource(
        source=result.url,  # type: ignore[attr-defined]
        body=result.body,  # type: ignore[attr-defined]
        media_type=result.content_type or "text/html",  # type: ignore[attr-defined]
        fetched_at=result.fetched_at or now_iso(),  # type: ignore[attr-defined]
        group=f"{parts.scheme}://{parts.netloc}",  # a site shares one template
        url=url,
        error=result.error,  # type: ignore[attr-defined]
        not_modified=result.not_modified,  # type: ignore[attr-defined]
        fetch_result=result,
        links=tuple(links),
    )
