"""PDF reader (pypdf): lines with their font size, so headings and running heads are known.

pypdf reports every piece of text with its position and font size. Lines are rebuilt from
the pieces; a line set in a clearly larger size than the body text is a heading (levels by
size); a small line at the top or bottom of a page, or one that recurs at the page edges, is a
running header or footer; a vertical gap larger than the usual line spacing ends a paragraph.
Without position data (odd producers) the plain text is read with the text reader's rules.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from ingest import boilerplate_data as data
from ingest.clean import normalize_key, normalize_space
from ingest.document import MEDIA_PDF, Block, ReadOptions, ReadOutcome, unique
from ingest.read_text import finish_document, lines_to_blocks, text_to_blocks

_PAGE_NUMBER = re.compile(data.PAGE_NUMBER_PATTERN, re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_GENERATED_TITLE = re.compile(
    r"^(microsoft word|untitled|naamloos|document\d*)\b|\.(docx?|pdf|odt)$", re.IGNORECASE
)
_EDGE_LINES = 2  # lines at the top and bottom of a page where running heads live
_HEADING_SIZE_RATIO = 1.12  # a heading is set at least this much larger than the body
_SMALL_SIZE_RATIO = 0.9  # running heads and footnotes are set smaller than the body
_PARAGRAPH_GAP_RATIO = 1.4  # a gap this much larger than the usual line spacing ends a paragraph
_HEADING_MAX_WORDS = 20


@dataclass(slots=True)
class _Line:
    text: str
    size: float
    y: float
    page: int
    gap_before: float = 0.0


def read_pdf(raw: bytes, source: str, options: ReadOptions | None = None) -> ReadOutcome:
    """Read a PDF, or say why not (not a PDF, encrypted, broken, no text layer)."""
    options = options or ReadOptions()
    if len(raw) > options.max_bytes:
        return ReadOutcome.skipped(f"file is larger than the cap of {options.max_bytes} bytes")
    if b"%PDF-" not in raw[:1024]:
        return ReadOutcome.skipped("not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return ReadOutcome.skipped("encrypted PDF: a password is needed")
        page_count = len(reader.pages)
    except (DependencyError, FileNotDecryptedError) as error:
        return ReadOutcome.skipped(f"encrypted PDF that cannot be opened: {error}")
    except Exception as error:
        return ReadOutcome.skipped(f"unreadable PDF: {type(error).__name__}: {error}"[:200])
    notes: list[str] = []
    if page_count > options.max_pdf_pages:
        notes.append(f"read the first {options.max_pdf_pages} of {page_count} pages")
    pages: list[list[_Line]] = []
    for number in range(min(page_count, options.max_pdf_pages)):
        try:
            pages.append(_page_lines(reader.pages[number], number))
        except Exception as error:
            notes.append(f"page {number + 1} unreadable: {type(error).__name__}")
    if not any(line.text for lines in pages for line in lines):
        return ReadOutcome.without_text("PDF has no text layer (scanned images?) or no text")
    title, author, date, keywords = _metadata(reader)
    blocks = _blocks(pages)
    if not title and blocks and blocks[0].kind == "heading":
        title = blocks[0].text
    if blocks and title and normalize_key(blocks[0].text) == normalize_key(title):
        blocks = blocks[1:]
    return finish_document(
        source, title, blocks, MEDIA_PDF, notes=tuple(notes), date=date, author=author, tags=keywords
    )


# --- Lines -------------------------------------------------------------------------------


def _page_lines(page: Any, number: int) -> list[_Line]:
    """The page's lines in content order, each with its font size and baseline."""
    lines: list[_Line] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        for part in text.split("\n"):
            if not part.strip():
                continue
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) or 1.0
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            effective = round(size * scale, 1)
            if lines and abs(lines[-1].y - y) < 0.5 * max(effective, 1.0):
                lines[-1].text += part
                lines[-1].size = max(lines[-1].size, effective)
            else:
                lines.append(_Line(part, effective, y, number))

    page.extract_text(visitor_text=visit)
    out = []
    for line in lines:
        line.text = normalize_space(line.text)
        if line.text:
            out.append(line)
    if not out:  # no positions reported: fall back to plain lines of body size
        text = page.extract_text() or ""
        out = [_Line(normalize_space(t), 0.0, 0.0, number) for t in text.splitlines() if t.strip()]
    return out


def _body_size(pages: list[list[_Line]]) -> float:
    weights: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _without_running_lines(pages: list[list[_Line]], body: float) -> list[_Line]:
    """All lines except running headers, footers and page numbers.

    A line at a page edge is running when it is set smaller than the body, or when its shape
    (digits ignored) recurs at the edges of at least half of the pages (and two or more).
    """
    shapes: Counter[str] = Counter()
    for lines in pages:
        edges = {id(line): line for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]}
        shapes.update({_shape(line.text) for line in edges.values()})
    threshold = max(2, math.ceil(len(pages) / 2))
    out: list[_Line] = []
    for lines in pages:
        edge_ids = {id(line) for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]}
        for line in lines:
            if _PAGE_NUMBER.match(line.text):
                continue
            if id(line) in edge_ids and (
                shapes[_shape(line.text)] >= threshold
                or (body and line.size and line.size < _SMALL_SIZE_RATIO * body)
            ):
                continue
            out.append(line)
    return out


def _shape(text: str) -> str:
    return _DIGITS.sub("#", text.lower())


# --- Blocks ------------------------------------------------------------------------------


def _blocks(pages: list[list[_Line]]) -> list[Block]:
    body = _body_size(pages)
    lines = _without_running_lines(pages, body)
    if not body:
        return list(text_to_blocks("\n".join(line.text for line in lines)))
    levels = _heading_levels(lines, body)
    spacing = _line_spacing(lines)
    blocks: list[Block] = []
    run: list[str] = []
    previous: _Line | None = None

    def flush() -> None:
        if run:
            blocks.extend(lines_to_blocks(run))
            run.clear()

    for line in lines:
        level = levels.get(line.size, 0) if len(line.text.split()) <= _HEADING_MAX_WORDS else 0
        if level:
            flush()
            if blocks and blocks[-1].kind == "heading" and previous is not None and (
                previous.size == line.size and previous.page == line.page
            ):
                blocks[-1] = Block("heading", f"{blocks[-1].text} {line.text}", level)  # wrapped
            else:
                blocks.append(Block("heading", line.text, level))
        else:
            if previous is not None and _gap_ends_paragraph(previous, line, spacing):
                flush()
            run.append(line.text)
        previous = line
    flush()
    return blocks


def _heading_levels(lines: list[_Line], body: float) -> dict[float, int]:
    """Heading sizes, largest first, mapped to levels 1–6."""
    sizes = sorted({line.size for line in lines if line.size >= _HEADING_SIZE_RATIO * body}, reverse=True)
    return {size: min(6, rank + 1) for rank, size in enumerate(sizes)}


def _line_spacing(lines: list[_Line]) -> float:
    gaps = [
        round(a.y - b.y, 1)
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and 0 < a.y - b.y < 3 * max(a.size, 1.0)
    ]
    return statistics.median(gaps) if gaps else 0.0


def _gap_ends_paragraph(previous: _Line, line: _Line, spacing: float) -> bool:
    if previous.page != line.page:
        # a page break splits a paragraph only when the text says so
        return previous.text.endswith((".", "!", "?", ":")) or not line.text[:1].islower()
    gap = previous.y - line.y
    return bool(spacing) and (gap > _PARAGRAPH_GAP_RATIO * spacing or gap < 0)


def _metadata(reader: PdfReader) -> tuple[str, str, str, tuple[str, ...]]:
    try:
        meta = reader.metadata
    except Exception:
        return "", "", "", ()
    if meta is None:
        return "", "", "", ()
    title = normalize_space(str(meta.title or ""))
    if _GENERATED_TITLE.search(title):
        title = ""
    author = normalize_space(str(meta.author or ""))
    date = ""
    try:
        created = meta.creation_date
    except (ValueError, TypeError):
        created = None
    if isinstance(created, datetime):
        date = created.date().isoformat()
    keywords = str(meta.get("/Keywords", "") or "")
    return title, author, date, unique([k.strip() for k in re.split(r"[,;]", keywords)])
