"""Readers for plain text and Markdown, and byte decoding shared with the HTML reader."""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest import boilerplate_data as data
from ingest.clean import clean_blocks, guess_language, normalize_space, split_about_deals
from ingest.document import (
    MEDIA_MARKDOWN,
    MEDIA_TEXT,
    Block,
    ExtractedDocument,
    ReadOutcome,
    blocks_to_text,
    date_from_source,
    deal_name_from_link,
    guess_doc_type,
    unique,
)
from ingest.sentences import split_sentences

_LIST_MARKER = re.compile(data.LIST_MARKER_PATTERN)
_BULLET = re.compile(r"^\s*[-*•·▪◦–+]\s+")
_FINAL_PUNCT = (".", ",", ";", ":", "…")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_-]+)""", re.IGNORECASE)


# --- Decoding ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, or why it could not be; ``note`` says when a fallback was used."""

    text: str
    encoding: str
    note: str = ""
    skipped_reason: str = ""


def decode_bytes(raw: bytes, declared: str = "") -> Decoded:
    """Decode text: BOM, then UTF-8, then the declared charset, then cp1252 (with a note).

    Bytes with NULs or many control characters are binary, not text: skipped with a reason.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return Decoded(raw[3:].decode("utf-8", errors="replace"), "utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(raw.decode("utf-16", errors="replace"), "utf-16")
    sample = raw[:65536]
    utf16 = _utf16_without_bom(sample)
    if utf16:
        text = raw[: len(raw) // 2 * 2].decode(utf16, errors="replace")
        encoding, note = utf16, f"no byte order mark; decoded as {utf16}"
    elif b"\x00" in sample:
        return Decoded("", "", skipped_reason="binary content (NUL bytes), not text")
    else:
        text, encoding, note = _decode_8bit(raw, declared or _sniff_charset(sample))
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100):
        return Decoded("", "", skipped_reason=f"binary content ({controls} control characters), not text")
    return Decoded(text, encoding, note)


def _decode_8bit(raw: bytes, declared: str) -> tuple[str, str, str]:
    """(text, encoding, note): UTF-8, else the declared charset, else UTF-8 with cp1252 bytes
    (a UTF-8 page with a pasted cp1252 fragment keeps both readable), else cp1252."""
    try:
        return raw.decode("utf-8"), "utf-8", ""
    except UnicodeDecodeError:
        pass
    encoding = _usable_codec(declared)
    if encoding and encoding.replace("-", "").lower() not in ("utf8", "utf"):
        try:
            return raw.decode(encoding), encoding, f"not valid UTF-8; decoded as {encoding}"
        except (UnicodeDecodeError, LookupError):
            return raw.decode("latin-1"), "latin-1", "not valid UTF-8; decoded as latin-1"
    if _UTF8_MULTIBYTE.search(raw):
        text = raw.decode("utf-8", errors=_CP1252_BYTES)
        return text, "utf-8", "mixed encodings: UTF-8 with some cp1252 bytes, each kept as cp1252"
    return raw.decode("cp1252", errors="replace"), "cp1252", "not valid UTF-8; decoded as cp1252"


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: bytes that are not UTF-8 are read as cp1252."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("cp1252", errors="replace"), error.end


_CP1252_BYTES = "impactkg-cp1252-bytes"
codecs.register_error(_CP1252_BYTES, _cp1252_bytes)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _utf16_without_bom(sample: bytes) -> str:
    """"utf-16-le" or "utf-16-be" when the bytes look like UTF-16 text without a BOM.

    Latin-script UTF-16 has a NUL in nearly every other byte and (almost) none in between.
    """
    head = sample[:4096]
    if len(head) < 16:
        return ""
    even, odd = head[0::2], head[1::2]
    even_nuls, odd_nuls = even.count(0), odd.count(0)
    if odd_nuls >= 0.6 * len(odd) and even_nuls <= 0.05 * len(even):
        return "utf-16-le"
    if even_nuls >= 0.6 * len(even) and odd_nuls <= 0.05 * len(odd):
        return "utf-16-be"
    return ""


def _sniff_charset(sample: bytes) -> str:
    match = _CHARSET.search(sample[:4096])
    return match.group(1).decode("ascii", "ignore") if match else ""


def _usable_codec(name: str) -> str:
    if not name:
        return ""
    try:  # a text codec Python knows ("base64" and the like are not text codecs)
        codec = codecs.lookup("".join(name.split()))
        b"".decode(codec.name)
    except (LookupError, ValueError):
        return ""
    return codec.name


# --- Plain text -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Paragraph:
    lines: tuple[str, ...]
    is_list: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def looks_like_heading(line: str, next_text: str) -> bool:
    """A short line without final punctuation, followed by a real paragraph.

    The paragraph after it must be substantial (two sentences or enough words): photo captions
    copied from web pages are short unpunctuated lines too, but what follows them is another
    short caption line.
    """
    line = line.strip()
    if not line or not next_text or "\n" in line:
        return False
    if len(line) > data.HEADING_MAX_CHARS or len(line.split()) > data.HEADING_MAX_WORDS:
        return False
    if line.rstrip("”’\"')»").endswith(_FINAL_PUNCT) or _LIST_MARKER.match(line):
        return False
    first = line.lstrip("‘'\"“(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if len(split_sentences(line)) > 1:
        return False
    next_words = len(next_text.split())
    return next_words >= data.HEADING_NEXT_MIN_WORDS or len(split_sentences(next_text)) >= 2


def text_to_blocks(text: str) -> tuple[Block, ...]:
    """Blocks of plain text: paragraphs, list items and headings (level 2) found by their shape."""
    paragraphs = _paragraphs(text)
    blocks: list[Block] = []
    for index, paragraph in enumerate(paragraphs):
        if paragraph.is_list:
            item = _BULLET.sub("", paragraph.lines[0])
            blocks.append(Block("list_item", normalize_space(item), 1))
            continue
        joined = normalize_space(paragraph.text)
        following = _next_prose(paragraphs, index)
        if len(paragraph.lines) == 1 and looks_like_heading(joined, following):
            blocks.append(Block("heading", joined, 2))
        else:
            blocks.append(Block("paragraph", joined))
    return tuple(block for block in blocks if block.text)


def _next_prose(paragraphs: Sequence[_Paragraph], index: int) -> str:
    for paragraph in paragraphs[index + 1 :]:
        if paragraph.text.strip():
            return "" if paragraph.is_list else normalize_space(paragraph.text)
    return ""


def _paragraphs(text: str) -> list[_Paragraph]:
    """Group lines into paragraphs: blank lines separate, list markers start items."""
    lines = [normalize_space(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    groups: list[list[str]] = [[]]
    for line in lines:
        if line:
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    paragraphs: list[_Paragraph] = []
    for group in groups:
        if group:
            paragraphs.extend(_split_group(group))
    return paragraphs


def _split_group(lines: list[str]) -> list[_Paragraph]:
    """Split a run of non-blank lines into paragraphs and list items.

    Hard-wrapped prose (PDF text, e-mails) is joined; a line that ends a sentence and is
    clearly shorter than the longest line ends a paragraph; a short unpunctuated line after a
    sentence end stands alone (a heading candidate); text with one long line per paragraph
    keeps its lines apart.
    """
    longest = max(len(line) for line in lines)
    one_per_line = len(lines) > 1 and sum(len(line) for line in lines) / len(lines) > 150
    out: list[_Paragraph] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.append(_Paragraph(tuple(current)))
            current.clear()

    previous_ended = True
    for index, line in enumerate(lines):
        if _LIST_MARKER.match(line):
            flush()
            out.append(_Paragraph((line,), is_list=True))
            previous_ended = True
            continue
        if out and out[-1].is_list and not current and not line[:1].isupper():
            last = out.pop()  # a wrapped list item continues on this line
            out.append(_Paragraph((last.lines[0] + " " + line,), is_list=True))
            continue
        ends = line.rstrip("”’\"')»").endswith((".", "!", "?", ":"))
        if previous_ended and index + 1 < len(lines) and _heading_shaped(line, longest):
            flush()
            out.append(_Paragraph((line,)))
            previous_ended = True
            continue
        if current and _dehyphenate(current[-1], line):
            current[-1] = current[-1][:-1] + line
        else:
            current.append(line)
        previous_ended = ends
        if one_per_line or (ends and len(line) < 0.6 * longest):
            flush()
    flush()
    return out


def lines_to_blocks(lines: Sequence[str]) -> list[Block]:
    """Paragraph and list-item blocks from a run of (possibly hard-wrapped) lines."""
    texts = [normalize_space(line) for line in lines]
    texts = [line for line in texts if line]
    if not texts:
        return []
    blocks = []
    for paragraph in _split_group(texts):
        if paragraph.is_list:
            blocks.append(Block("list_item", normalize_space(_BULLET.sub("", paragraph.lines[0])), 1))
        else:
            blocks.append(Block("paragraph", normalize_space(paragraph.text)))
    return [block for block in blocks if block.text]


def _heading_shaped(line: str, longest: int) -> bool:
    return (
        len(line) < 0.6 * longest
        and len(line.split()) <= data.HEADING_MAX_WORDS
        and not line.rstrip("”’\"')»").endswith(_FINAL_PUNCT)
        and (line[:1].isupper() or line[:1].isdigit() or line[:1] in "‘'\"“")
    )


def _dehyphenate(previous: str, line: str) -> bool:
    """Whether a word was split over two lines ("ver-" + "binding"), not a hyphenated pair."""
    if not previous.endswith("-") or len(previous) < 2 or not previous[-2].islower():
        return False
    first_word = line.split(" ", 1)[0]
    return first_word[:1].islower() and first_word not in ("en", "of", "tot", "noch")


def read_plain_text(text: str, source: str, notes: tuple[str, ...] = ()) -> ReadOutcome:
    """Read plain text: the first line is the title when it looks like one."""
    blocks = text_to_blocks(text)
    title = ""
    if len(blocks) > 1 and blocks[0].kind in ("heading", "paragraph"):
        first = blocks[0].text
        if len(first.split()) <= 20 and not first.endswith(_FINAL_PUNCT):
            title = first
            blocks = blocks[1:]
    return finish_document(source, title, blocks, MEDIA_TEXT, notes=notes)


def finish_document(
    source: str,
    title: str,
    blocks: Sequence[Block],
    media_type: str,
    *,
    notes: tuple[str, ...] = (),
    date: str = "",
    author: str = "",
    tags: tuple[str, ...] = (),
    deal_names: tuple[str, ...] = (),
    links: tuple[str, ...] = (),
    language: str = "",
) -> ReadOutcome:
    """Clean the blocks and build the document (shared by the non-HTML readers)."""
    about, blocks = split_about_deals(blocks)
    cleaned = clean_blocks(blocks)
    text = blocks_to_text(cleaned)
    if not text:
        return ReadOutcome.without_text("no text after cleaning (empty or only boilerplate)")
    document = ExtractedDocument(
        source=source,
        title=title,
        text=text,
        blocks=cleaned,
        media_type=media_type,
        date=date or date_from_source(source),
        author=author,
        language=language or guess_language(text),
        deal_names=unique(list(deal_names) + list(about)),
        links=links,
        tags=unique(list(tags)),
        doc_type_hint=guess_doc_type(source, title, tags),
        notes=notes,
    )
    return ReadOutcome.read(document)


# --- Markdown ---------------------------------------------------------------------------

_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_FENCE = re.compile(r"^(```|~~~)")
_RULE = re.compile(r"^([-*_])(\s*\1){2,}\s*$")
_TABLE_SEP = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\3(?![\w*])")
_CODE = re.compile(r"`([^`]+)`")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")
_ORDERED = re.compile(r"^\s*(\d{1,3})[.)]\s+")


def _inline(text: str, links: list[tuple[str, str]]) -> str:
    text = _IMAGE.sub("", text)

    def link(match: re.Match[str]) -> str:
        links.append((match.group(2), match.group(1)))
        return match.group(1)

    text = _LINK.sub(link, text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _CODE.sub(lambda m: m.group(1), text)
    for _ in range(2):
        text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(4), text)
    text = _TAG.sub("", text)
    return normalize_space(_ESCAPE.sub(r"\1", text))


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    """YAML-like front matter between '---' lines: simple keys, inline or dashed lists."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    meta: dict[str, object] = {}
    key = ""
    for raw in text[3:end].splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.lstrip().startswith("- ") and key:
            values = meta.setdefault(key, [])
            if isinstance(values, list):
                values.append(line.strip()[2:].strip().strip("\"'"))
            continue
        name, sep, value = line.partition(":")
        if not sep:
            continue
        key = name.strip().lower()
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            meta[key] = [v.strip().strip("\"'") for v in value[1:-1].split(",") if v.strip()]
        elif value:
            meta[key] = value.strip("\"'")
        else:
            meta[key] = []
    rest = text[end + 4 :]
    return meta, rest.split("\n", 1)[1] if "\n" in rest else ""


def _meta_list(meta: dict[str, object], *keys: str) -> tuple[str, ...]:
    out: list[str] = []
    for key in keys:
        value = meta.get(key)
        if isinstance(value, list):
            out.extend(str(v) for v in value)
        elif isinstance(value, str) and value:
            out.extend(v.strip() for v in value.split(","))
    return tuple(v for v in out if v)


def markdown_to_blocks(text: str, links: list[tuple[str, str]]) -> tuple[Block, ...]:
    """Blocks of Markdown: ATX and setext headings, list items, paragraphs, table rows."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    in_fence = False

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", _inline(" ".join(paragraph), links)))
            paragraph.clear()

    lines = text.replace("\r\n", "\n").split("\n")
    for index, raw in enumerate(lines):
        line = raw.rstrip()
        if _FENCE.match(line.strip()):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue  # code is not prose
        stripped = line.strip()
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> ").strip()
        if not stripped:
            flush()
            continue
        heading = _ATX.match(stripped)
        if heading:
            flush()
            blocks.append(Block("heading", _inline(heading.group(2), links), len(heading.group(1))))
            continue
        next_line = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if paragraph == [] and next_line and _SETEXT.match(next_line) and not _LIST_MARKER.match(stripped):
            blocks.append(Block("heading", _inline(stripped, links), 1 if next_line[0] == "=" else 2))
            lines[index + 1] = ""
            continue
        if _RULE.match(stripped) or _TABLE_SEP.match(stripped):
            flush()
            continue
        if stripped.startswith("|") and stripped.endswith("|"):
            flush()
            cells = [_inline(cell, links) for cell in stripped.strip("|").split("|")]
            blocks.append(Block("paragraph", " | ".join(cell for cell in cells if cell)))
            continue
        if _LIST_MARKER.match(line) and not _RULE.match(stripped):
            flush()
            indent = len(line) - len(line.lstrip())
            item = _BULLET.sub("", line) if _BULLET.match(line) else line.strip()
            blocks.append(Block("list_item", _inline(item, links), 1 + indent // 2))
            continue
        if blocks and blocks[-1].kind == "list_item" and not paragraph and raw.startswith((" ", "\t")):
            last = blocks.pop()
            blocks.append(Block("list_item", f"{last.text} {_inline(stripped, links)}", last.level))
            continue
        paragraph.append(stripped)
    flush()
    return tuple(block for block in blocks if block.text)


def read_markdown(text: str, source: str, notes: tuple[str, ...] = ()) -> ReadOutcome:
    """Read Markdown: front matter gives metadata, the first level-1 heading is the title."""
    meta, body = _front_matter(text)
    links: list[tuple[str, str]] = []
    blocks = list(markdown_to_blocks(body, links))
    title = str(meta.get("title", "") or "")
    if blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        title = title or blocks[0].text
        if blocks[0].text == title:
            blocks.pop(0)
    deal_links = [deal_name_from_link(href, label) for href, label in links]
    return finish_document(
        source,
        title,
        blocks,
        MEDIA_MARKDOWN,
        notes=notes,
        date=str(meta.get("date", "") or "")[:10],
        author=", ".join(_meta_list(meta, "author", "authors", "auteur")),
        tags=_meta_list(meta, "tags", "keywords", "trefwoorden"),
        deal_names=_meta_list(meta, "deal", "deals") + tuple(n for n in deal_links if n),
        links=unique([href for href, _ in links if href.startswith(("http://", "https://", "/"))]),
        language=str(meta.get("lang", meta.get("language", "")) or ""),
    )
