"""Records that readers return: a document's clean text, its blocks and its metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urljoin, urlsplit

from ingest.boilerplate_data import DEAL_LINK_PATTERN, DOC_TYPE_CUES

BlockKind = Literal["heading", "paragraph", "list_item"]

# Fixed media types, so the pipeline can compare without string guessing.
MEDIA_HTML = "text/html"
MEDIA_PDF = "application/pdf"
MEDIA_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_MARKDOWN = "text/markdown"
MEDIA_TEXT = "text/plain"

DEFAULT_MAX_BYTES = 20_000_000
DEFAULT_MAX_HTML_ELEMENTS = 100_000
DEFAULT_MAX_HTML_DEPTH = 400
DEFAULT_MAX_PDF_PAGES = 1_000


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a document's structure.

    ``level`` is 1–6 for headings (1 is the title level), the nesting depth (from 1) for list
    items and 0 for paragraphs. ``dom_path`` is a tag path such as ``div.et_pb_text>p`` where
    the reader knows one; template learning may use it, nothing else should.
    """

    kind: BlockKind
    text: str
    level: int = 0
    dom_path: str = ""


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """What a reader made of one source.

    ``text`` is built from ``blocks`` by :func:`blocks_to_text`: one block per paragraph,
    paragraphs separated by one blank line, headings kept as their own paragraphs. The title
    is a separate field and not repeated at the top of ``text``. ``date`` is ISO 8601
    (``YYYY-MM-DD``) or empty. ``deal_names`` are the deals the source says it is about
    (not every deal it mentions). ``notes`` record repairs made on the way, such as an
    encoding fallback.
    """

    source: str
    title: str
    text: str
    blocks: tuple[Block, ...]
    media_type: str
    date: str = ""
    author: str = ""
    site_name: str = ""
    language: str = ""
    deal_names: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    doc_type_hint: str = ""
    notes: tuple[str, ...] = ()

    def with_blocks(self, blocks: tuple[Block, ...]) -> ExtractedDocument:
        """A copy with other blocks and the text rebuilt from them."""
        return replace(self, blocks=blocks, text=blocks_to_text(blocks))

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class ReadOutcome:
    """A document, or the one-line reason why the source was skipped.

    ``no_text`` tells a source that was read but holds no text worth keeping (an empty file, a
    listing page of links, a scan without a text layer) from one that could not be read at all
    (broken, too large, unsupported): the pipeline counts the first as skipped, the second as
    failed.
    """

    document: ExtractedDocument | None
    skipped_reason: str = ""
    notes: tuple[str, ...] = field(default=())
    no_text: bool = False

    @property
    def ok(self) -> bool:
        return self.document is not None

    @classmethod
    def read(cls, document: ExtractedDocument) -> ReadOutcome:
        return cls(document=document, notes=document.notes)

    @classmethod
    def skipped(cls, reason: str) -> ReadOutcome:
        return cls(document=None, skipped_reason=reason)

    @classmethod
    def without_text(cls, reason: str) -> ReadOutcome:
        """Read fine, but nothing to keep (see ``no_text``)."""
        return cls(document=None, skipped_reason=reason, no_text=True)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Limits a reader works within; the composition root fills them from settings."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_html_elements: int = DEFAULT_MAX_HTML_ELEMENTS
    max_html_depth: int = DEFAULT_MAX_HTML_DEPTH
    max_pdf_pages: int = DEFAULT_MAX_PDF_PAGES
    min_words: int = 5

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_html_elements", "max_html_depth", "max_pdf_pages"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.min_words < 0:
            raise ValueError(f"min_words must not be negative, got {self.min_words}")


def blocks_to_text(blocks: tuple[Block, ...] | list[Block]) -> str:
    """The document text for blocks: one paragraph per block, blank lines between."""
    return "\n\n".join(block.text for block in blocks if block.text)


# --- Metadata helpers shared by the readers. ---

_ISO_IN_SOURCE = re.compile(r"(?<!\d)(20\d\d|19\d\d)[-/_.]?(0[1-9]|1[0-2])[-/_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_DEAL_LINK = re.compile(DEAL_LINK_PATTERN, re.IGNORECASE)
_NON_SLUG = re.compile(r"[^a-z0-9à-ÿ]+")
_DOC_TYPE_CUES = tuple((name, re.compile(cue, re.IGNORECASE)) for name, cue in DOC_TYPE_CUES)


def join_url(base: str, href: str) -> str:
    """urljoin that gives "" for what urllib cannot parse (``http://[``, a bad port, ...)."""
    try:
        joined = urljoin(base, href)
        urlsplit(joined).port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return ""
    return joined


def date_from_source(source: str) -> str:
    """An ISO date written in a file name or URL path ("cop-2024-03-05-...", "/2024/03/05/")."""
    match = _ISO_IN_SOURCE.search(source.rsplit("?", 1)[0])
    if not match:
        return ""
    year, month, day = match.groups()
    return f"{year}-{month}-{day}"


def deal_name_from_link(href: str, text: str) -> str:
    """The deal a link points to, when it points to a deal page (``/city-deals/<slug>/``).

    The link text names the deal when it matches the slug ("Fietsen voor iedereen" for
    ``fietsen-voor-iedereen``); otherwise ("lees meer", "deze deal") the slug does.
    """
    match = _DEAL_LINK.search(href.split("#", 1)[0].split("?", 1)[0])
    if not match:
        return ""
    kind = "Town Deal" if match.group(1).lower() == "town" else "City Deal"
    slug = match.group(2).lower()
    label = " ".join(text.split())
    label_slug = _NON_SLUG.sub("-", label.lower()).strip("-")
    for prefix in ("city-deal-", "town-deal-"):
        label_slug = label_slug.removeprefix(prefix)
    name = label if label and label_slug == slug else slug.replace("-", " ").capitalize()
    if not name.lower().startswith(("city deal", "town deal")):
        name = f"{kind} {name}"
    return name


def guess_doc_type(source: str, title: str, categories: tuple[str, ...] = ()) -> str:
    """A hint at the document type: the local name of a concept (``doctype-news``) or ``""``."""
    path = source.split("?", 1)[0]
    haystacks = (title, " ".join(categories), path)
    for name, cue in _DOC_TYPE_CUES:
        if any(cue.search(text) for text in haystacks if text):
            return name
    return ""


def unique(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Values in first-seen order without repeats or empties (case-insensitive)."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        key = value.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(value.strip())
    return tuple(out)
