"""DOCX reader (python-docx): heading and list styles become blocks, tables become rows."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.clean import normalize_space
from ingest.document import MEDIA_DOCX, Block, ReadOptions, ReadOutcome, deal_name_from_link, unique
from ingest.read_text import finish_document

_HEADING_STYLE = re.compile(r"^(heading|kop)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(title|titel)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"list|lijst|opsomming", re.IGNORECASE)
_UNPACK_FACTOR = 20  # a DOCX unpacking to more than this times the byte cap is a zip bomb


def read_docx(raw: bytes, source: str, options: ReadOptions | None = None) -> ReadOutcome:
    """Read a Word document, or say why not (not a DOCX, zip bomb, broken)."""
    options = options or ReadOptions()
    if len(raw) > options.max_bytes:
        return ReadOutcome.skipped(f"file is larger than the cap of {options.max_bytes} bytes")
    reason = _zip_reason(raw, options.max_bytes * _UNPACK_FACTOR)
    if reason:
        return ReadOutcome.skipped(reason)
    try:
        document = docx.Document(io.BytesIO(raw))
        blocks, title, links = _blocks(document)
        props = document.core_properties
    except Exception as error:
        return ReadOutcome.skipped(f"unreadable DOCX: {type(error).__name__}: {error}"[:200])
    title = normalize_space(props.title or "") or title
    if blocks and title and blocks[0].kind == "heading" and blocks[0].text == title:
        blocks = blocks[1:]
    created = props.created
    return finish_document(
        source,
        title,
        blocks,
        MEDIA_DOCX,
        date=created.date().isoformat() if isinstance(created, datetime) else "",
        author=normalize_space(props.author or ""),
        tags=unique([k.strip() for k in re.split(r"[,;]", props.keywords or "")]),
        deal_names=tuple(n for n in (deal_name_from_link(url, text) for url, text in links) if n),
        links=unique([url for url, _ in links]),
        language=(props.language or "").split("-")[0].lower(),
    )


def _zip_reason(raw: bytes, max_unpacked: int) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "not a DOCX (not a zip archive)"
    if "word/document.xml" not in names:
        return "not a DOCX (no word/document.xml)"
    if unpacked > max_unpacked:
        return f"DOCX unpacks to {unpacked} bytes, over the cap of {max_unpacked} (zip bomb?)"
    return ""


def _blocks(document: DocxDocument) -> tuple[list[Block], str, list[tuple[str, str]]]:
    blocks: list[Block] = []
    links: list[tuple[str, str]] = []
    title = ""
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(_table_rows(item))
            continue
        text = normalize_space(item.text)
        if not text:
            continue
        links.extend(_hyperlinks(item))
        style = item.style.name if item.style is not None else ""
        heading = _HEADING_STYLE.match(style)
        if _TITLE_STYLE.match(style):
            title = title or text
        elif heading:
            blocks.append(Block("heading", text, int(heading.group(2))))
        elif _LIST_STYLE.search(style) or _has_numbering(item):
            blocks.append(Block("list_item", text, 1))
        else:
            blocks.append(Block("paragraph", text))
    return blocks, title, links


def _has_numbering(paragraph: Paragraph) -> bool:
    properties = paragraph._p.pPr
    return properties is not None and properties.numPr is not None


def _hyperlinks(paragraph: Paragraph) -> list[tuple[str, str]]:
    out = []
    for link in paragraph.hyperlinks:
        address = link.address or ""
        if address:
            out.append((address, normalize_space(link.text)))
    return out


def _table_rows(table: Table) -> list[Block]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = normalize_space(cell.text)
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if cells:
            rows.append(Block("paragraph", " | ".join(cells)))
    return rows
