"""Pick a reader for a source by content type, file extension or the bytes themselves."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ingest.document import ReadOptions, ReadOutcome
from ingest.read_docx import read_docx
from ingest.read_html import read_html
from ingest.read_pdf import read_pdf
from ingest.read_text import decode_bytes, read_markdown, read_plain_text

KIND_HTML = "html"
KIND_PDF = "pdf"
KIND_DOCX = "docx"
KIND_MARKDOWN = "markdown"
KIND_TEXT = "text"

_MEDIA_KINDS = {
    "text/html": KIND_HTML,
    "application/xhtml+xml": KIND_HTML,
    "application/pdf": KIND_PDF,
    "application/x-pdf": KIND_PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": KIND_DOCX,
    "text/markdown": KIND_MARKDOWN,
    "text/x-markdown": KIND_MARKDOWN,
    "text/plain": KIND_TEXT,
}
_EXTENSION_KINDS = {
    ".html": KIND_HTML,
    ".htm": KIND_HTML,
    ".xhtml": KIND_HTML,
    ".pdf": KIND_PDF,
    ".docx": KIND_DOCX,
    ".md": KIND_MARKDOWN,
    ".markdown": KIND_MARKDOWN,
    ".txt": KIND_TEXT,
    ".text": KIND_TEXT,
}
# Types that are surely not readable text: say so instead of sniffing.
_UNSUPPORTED_PREFIXES = ("image/", "audio/", "video/", "font/")
_UNSUPPORTED_EXTENSIONS = frozenset({
    ".doc", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".zip", ".png", ".jpg", ".jpeg", ".gif",
    ".svg", ".webp", ".mp3", ".mp4", ".exe", ".gz", ".tar",
})
_HTML_SIGNS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<div", b"<p>", b"<article")


@dataclass(frozen=True, slots=True)
class Sniffed:
    """The reader to use, or why there is none; ``charset`` from the content type header."""

    kind: str
    charset: str = ""
    unsupported: str = ""


def sniff(data: bytes, source: str, media_type: str = "") -> Sniffed:
    """Decide the kind of a source: content type first, then extension, then the bytes."""
    mime, charset = _parse_media_type(media_type)
    extension = _extension(source)
    if mime.startswith(_UNSUPPORTED_PREFIXES):
        return Sniffed("", charset, f"unsupported content type {mime}")
    kind = _MEDIA_KINDS.get(mime, "")
    if kind == KIND_TEXT and _EXTENSION_KINDS.get(extension) == KIND_MARKDOWN:
        kind = KIND_MARKDOWN  # servers send Markdown as text/plain
    if not kind:
        kind = _EXTENSION_KINDS.get(extension, "")
    sniffed = _sniff_bytes(data)
    if kind in ("", KIND_TEXT) and sniffed in (KIND_PDF, KIND_DOCX, KIND_HTML):
        kind = sniffed  # the bytes know better than a missing or generic type
    if not kind and extension in _UNSUPPORTED_EXTENSIONS:
        return Sniffed("", charset, f"unsupported file type {extension}")
    if not kind:
        if sniffed == "zip":
            return Sniffed("", charset, "unsupported zip archive (not a DOCX)")
        kind = KIND_TEXT
    return Sniffed(kind, charset)


def _parse_media_type(media_type: str) -> tuple[str, str]:
    parts = [part.strip() for part in media_type.split(";")]
    mime = parts[0].lower() if parts else ""
    charset = ""
    for part in parts[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return mime, charset


def _extension(source: str) -> str:
    path = urlsplit(source).path if "://" in source else source
    return Path(path).suffix.lower()


def _sniff_bytes(data: bytes) -> str:
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return KIND_PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return KIND_DOCX
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
        return "zip"
    lowered = head.lstrip().lower()
    if any(sign in lowered for sign in _HTML_SIGNS):
        return KIND_HTML
    return ""


def read_bytes(
    data: bytes, source: str, media_type: str = "", options: ReadOptions | None = None
) -> ReadOutcome:
    """Read one source's bytes into a document, or return the one-line reason it was skipped.

    ``media_type`` is the Content-Type header when the source came over HTTP (its charset is
    used); ``source`` is the URL or path, used for the extension, the date in a file name and
    as the document's source.
    """
    options = options or ReadOptions()
    if len(data) > options.max_bytes:
        return ReadOutcome.skipped(f"file is larger than the cap of {options.max_bytes} bytes")
    if not data.strip():
        return ReadOutcome.without_text("empty file")
    sniffed = sniff(data, source, media_type)
    if sniffed.unsupported:
        return ReadOutcome.skipped(sniffed.unsupported)
    if sniffed.kind == KIND_HTML:
        outcome = read_html(data, source, options, charset=sniffed.charset)
    elif sniffed.kind == KIND_PDF:
        outcome = read_pdf(data, source, options)
    elif sniffed.kind == KIND_DOCX:
        outcome = read_docx(data, source, options)
    else:
        decoded = decode_bytes(data, sniffed.charset)
        if decoded.skipped_reason:
            return ReadOutcome.skipped(decoded.skipped_reason)
        notes = (decoded.note,) if decoded.note else ()
        reader = read_markdown if sniffed.kind == KIND_MARKDOWN else read_plain_text
        outcome = reader(decoded.text, source, notes)
    return _enough_words(outcome, options)


def _enough_words(outcome: ReadOutcome, options: ReadOptions) -> ReadOutcome:
    document = outcome.document
    if document is not None and document.word_count < options.min_words:
        return ReadOutcome.without_text(
            f"too little text ({document.word_count} words, fewer than {options.min_words})"
        )
    return outcome


def read_file(path: Path, options: ReadOptions | None = None, source: str = "") -> ReadOutcome:
    """Read a file from disk; the size cap is checked before the file is loaded."""
    options = options or ReadOptions()
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            return ReadOutcome.skipped(
                f"file is larger than the cap of {options.max_bytes} bytes ({size} bytes)"
            )
        data = path.read_bytes()
    except OSError as error:
        return ReadOutcome.skipped(f"cannot read file: {error.strerror or error}")
    return read_bytes(data, source or str(path), "", options)


@dataclass(frozen=True, slots=True)
class SourceReader:
    """Pipeline step: bytes of one source in, a :class:`ReadOutcome` out. Nothing to warm up."""

    options: ReadOptions = field(default_factory=ReadOptions)

    def run(self, data: bytes, source: str, media_type: str = "") -> ReadOutcome:
        return read_bytes(data, source, media_type, self.options)

    def run_file(self, path: Path, source: str = "") -> ReadOutcome:
        return read_file(path, self.options, source)
