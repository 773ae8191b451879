"""HTML reader: trafilatura for main content and metadata, the DOM for structure.

Trafilatura decides what the story is, but on page-builder markup without <article> or
<main> it falls back to loose paragraphs and drops headings and lists. So the page is also
walked into blocks (headings, paragraphs, list items, each with a DOM path); a block is kept
when trafilatura kept its text, or when it is a heading, list item or short paragraph that
sits in the same container as text trafilatura kept. Structure trafilatura throws away is
read from the DOM as well: "Dit gaat over de City Deal X" blocks, tag links and links to
deal pages. lxml is the parser (trafilatura is built on it; one parse serves both).
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from ingest import boilerplate_data as data
from ingest.clean import (
    clean_blocks,
    deal_names_in_about_line,
    drop_orphan_headings,
    guess_language,
    normalize_key,
    normalize_space,
    word_count,
)
from ingest.document import (
    MEDIA_HTML,
    Block,
    ExtractedDocument,
    ReadOptions,
    ReadOutcome,
    blocks_to_text,
    date_from_source,
    deal_name_from_link,
    guess_doc_type,
    join_url,
    unique,
)
from ingest.read_text import decode_bytes

if TYPE_CHECKING:
    from trafilatura.settings import Document as TrafilaturaDocument

logger = logging.getLogger(__name__)

_DROP_CLASS = re.compile("|".join(data.DROP_CLASS_PATTERNS), re.IGNORECASE)
_ABOUT_CUE = re.compile(r"^(?:" + "|".join(data.DEAL_ABOUT_CUES) + r")\b", re.IGNORECASE)
_DEAL_LINK = re.compile(data.DEAL_LINK_PATTERN, re.IGNORECASE)
_BYLINE = re.compile(data.BYLINE_PATTERN, re.IGNORECASE)
_TAG_RE = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters lxml parses but refuses to set as text later (the chrome removal moves text)."""
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_TITLE_SUFFIX = re.compile(r"\s+[-|–—·•:]\s+[^-|–—·•:]{2,60}$")
# Void and optional-end elements do not deepen the tree when their end tag is left out.
_NO_DEPTH = frozenset({
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr", b"p", b"li", b"dt", b"dd", b"tr", b"td", b"th", b"option",
    b"thead", b"tbody", b"tfoot", b"colgroup", b"rt", b"rp", b"optgroup", b"param",
})
_CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "body", "td", "header", "aside"})
_SHORT_BLOCK_WORDS = 25
# Whole-page wrappers sometimes carry chrome-like classes ("has-sidebar"): an element holding
# this share of the page's text is never dropped for its class.
_WRAPPER_TEXT_SHARE = 0.5


@dataclass(slots=True)
class _DomBlock:
    kind: str
    text: str
    level: int
    dom_path: str
    container: int
    link_chars: int
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def link_share(self) -> float:
        return self.link_chars / max(1, len(self.text))


# --- Limits ------------------------------------------------------------------------------


def markup_limit_reason(raw: bytes, options: ReadOptions) -> str:
    """Why the markup is too large or too deep to parse (an HTML bomb), or ``""``."""
    elements = 0
    depth = 0
    deepest = 0
    for match in _TAG_RE.finditer(raw):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            depth = max(0, depth - 1) if name not in _NO_DEPTH else depth
            continue
        elements += 1
        if elements > options.max_html_elements:
            return f"HTML has more than {options.max_html_elements} elements"
        if name not in _NO_DEPTH and not self_closing:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > options.max_html_depth:
                    return f"HTML nests deeper than {options.max_html_depth} elements"
    return ""


# --- Reading -----------------------------------------------------------------------------


def read_html(
    raw: bytes | str,
    source: str,
    options: ReadOptions | None = None,
    *,
    charset: str = "",
) -> ReadOutcome:
    """Read one HTML page into an :class:`ExtractedDocument`, or say why it was skipped."""
    options = options or ReadOptions()
    notes: list[str] = []
    if isinstance(raw, str):
        raw_bytes = raw.encode("utf-8", errors="replace")
        if len(raw_bytes) > options.max_bytes:
            return ReadOutcome.skipped(f"file is larger than the cap of {options.max_bytes} bytes")
        text = raw
    else:
        raw_bytes = raw
        if len(raw) > options.max_bytes:
            return ReadOutcome.skipped(f"file is larger than the cap of {options.max_bytes} bytes")
        decoded = decode_bytes(raw, charset)
        if decoded.skipped_reason:
            return ReadOutcome.skipped(decoded.skipped_reason)
        if decoded.note:
            notes.append(decoded.note)
        text = decoded.text
    reason = markup_limit_reason(raw_bytes, options)
    if reason:
        return ReadOutcome.skipped(reason)
    text = _XML_DECL.sub("", _NOT_XML_TEXT.sub("", text))
    if not text.strip():
        return ReadOutcome.without_text("empty page")
    try:
        tree = lxml.html.document_fromstring(text, parser=_parser())
    except (lxml.etree.ParserError, ValueError) as error:
        return ReadOutcome.skipped(f"unparsable HTML: {error}")
    return read_html_tree(tree, source, tuple(notes))


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)


def read_html_tree(
    tree: lxml.html.HtmlElement, source: str, notes: tuple[str, ...] = ()
) -> ReadOutcome:
    """Read a parsed page (the tree is changed: chrome is removed from it)."""
    web_source = source if source.startswith(("http://", "https://")) else ""
    base = _base_url(tree, web_source)
    extracted = _trafilatura(tree, web_source)
    title = _title(tree, extracted)
    head = _head_metadata(tree)
    tags, categories = _tags(tree)
    about_names, about_elements = _about_blocks(tree, title)
    _remove_chrome(tree, about_elements)
    dom_blocks = _walk(tree)
    kept = _select_main(dom_blocks, extracted.text if extracted else "")
    kept = _drop_title_and_byline(kept, title)
    kept = _drop_emptied_headings(dom_blocks, kept)
    author = (extracted.author if extracted else "") or head.get("author", "") or _byline(tree)
    blocks = clean_blocks([Block(b.kind, b.text, b.level, b.dom_path) for b in kept])  # type: ignore[arg-type]
    text = blocks_to_text(blocks)
    if not text:
        return ReadOutcome.without_text("empty page: no main text found")
    kept_keys = {normalize_key(b.text) for b in blocks}
    links, link_deals = _content_links(kept, kept_keys, base)
    deal_names = list(about_names) + link_deals
    if _DEAL_LINK.search(urlsplit(web_source or source).path) and title.lower().startswith(
        ("city deal", "town deal")
    ):
        deal_names.insert(0, title)
    language = (
        _lang_attribute(tree, head)
        or (extracted.language if extracted and extracted.language else "")
        or guess_language(text)
    )
    document = ExtractedDocument(
        source=source,
        title=title,
        text=text,
        blocks=blocks,
        media_type=MEDIA_HTML,
        date=(extracted.date if extracted and extracted.date else "") or date_from_source(source),
        author=author,
        site_name=(extracted.sitename if extracted and extracted.sitename else "")
        or head.get("site_name", ""),
        language=language,
        deal_names=unique(deal_names),
        links=links,
        tags=unique(list(tags) + _split_meta(head.get("keywords", ""))),
        doc_type_hint=guess_doc_type(source, title, (*categories, head.get("type", ""))),
        notes=notes,
    )
    return ReadOutcome.read(document)


def _trafilatura(tree: lxml.html.HtmlElement, url: str) -> TrafilaturaDocument | None:
    """Main text and metadata by trafilatura, on a copy (it prunes the tree it is given)."""
    import trafilatura  # half a second to import: only when a page is read

    try:
        return trafilatura.bare_extraction(
            copy.deepcopy(tree),
            url=url or None,
            with_metadata=True,
            favor_recall=True,
            include_comments=False,
            include_tables=True,
            # only dates the markup states (meta, <time>, URL); a free-text search takes
            # "© 2024" in a footer or a teaser's date for the page's own
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:
        logger.debug("trafilatura failed on %s: %s", url, error)
        return None


def _base_url(tree: lxml.html.HtmlElement, url: str) -> str:
    base = tree.find(".//base[@href]")
    if base is not None:
        return join_url(url, base.get("href", "")) or url
    return url


def _head_metadata(tree: lxml.html.HtmlElement) -> dict[str, str]:
    out: dict[str, str] = {}
    for meta in tree.iter("meta"):
        name = (meta.get("property") or meta.get("name") or "").lower()
        content = normalize_space(meta.get("content") or "")
        if not content:
            continue
        if name in ("author", "article:author", "dc.creator") and "author" not in out:
            out["author"] = content
        elif name in ("og:site_name", "application-name") and "site_name" not in out:
            out["site_name"] = content
        elif name in ("keywords", "news_keywords", "article:tag"):
            out["keywords"] = f"{out.get('keywords', '')},{content}".strip(",")
        elif name == "og:type":
            out["type"] = content
        elif name in ("og:locale", "dc.language", "language") and "language" not in out:
            out["language"] = content
        elif name == "og:title" and "title" not in out:
            out["title"] = content
    return out


def _split_meta(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _lang_attribute(tree: lxml.html.HtmlElement, head: dict[str, str]) -> str:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    lang = lang or head.get("language", "")
    return lang.replace("_", "-").split("-")[0].lower()[:3]


def _title(tree: lxml.html.HtmlElement, extracted: TrafilaturaDocument | None) -> str:
    if extracted is not None and extracted.title:
        return normalize_space(extracted.title)
    h1 = tree.find(".//h1")
    if h1 is not None and normalize_space(h1.text_content()):
        return normalize_space(h1.text_content())
    title = tree.find(".//title")
    if title is not None and title.text:
        return _TITLE_SUFFIX.sub("", normalize_space(title.text))
    return ""


def _tags(tree: lxml.html.HtmlElement) -> tuple[list[str], list[str]]:
    """Tag and category links (``rel="tag"``, ``rel="category tag"``)."""
    tags: list[str] = []
    categories: list[str] = []
    for anchor in tree.iter("a"):
        rel = (anchor.get("rel") or "").lower().split()
        if "tag" not in rel and "category" not in rel:
            continue
        text = normalize_space(anchor.text_content())
        if text:
            (categories if "category" in rel else tags).append(text)
    return tags, categories


def _about_blocks(
    tree: lxml.html.HtmlElement, title: str
) -> tuple[list[str], set[lxml.html.HtmlElement]]:
    """Deal names from "Dit gaat over de City Deal X" / "Deze City Deal" blocks.

    Returns the names and the block elements, which are metadata and not story text.
    """
    names: list[str] = []
    elements: set[lxml.html.HtmlElement] = set()
    for element in _cue_elements(tree):
        if any(parent in elements for parent in element.iterancestors()):
            continue
        own = normalize_space(element.text_content())
        if len(own) > 400 or not _ABOUT_CUE.match(own):
            continue
        block = element
        if element.tag in data.HEADING_TAGS or element.tag == "dt":
            parent = element.getparent()
            if parent is not None and len(normalize_space(parent.text_content())) <= 600:
                block = parent
        found: list[str] = []
        for anchor in block.iter("a"):
            name = deal_name_from_link(anchor.get("href", ""), anchor.text_content())
            if not name:
                label = normalize_space(anchor.text_content())
                name = label if label.lower().startswith(("city deal", "town deal")) else ""
            if name:
                found.append(name)
        if not found:
            found = list(deal_names_in_about_line(normalize_space(block.text_content())))
        if not found and re.match(r"^(city|town) deal\b", title, re.IGNORECASE):
            found = [title]  # the fact box of a deal's own page
        names.extend(found)
        elements.add(block)
    return names, elements


def _cue_elements(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Elements whose text starts with an about-cue, found from the text nodes (one pass)."""
    out: list[lxml.html.HtmlElement] = []
    for node in tree.xpath("//body//text()"):
        if not _ABOUT_CUE.match(node.lstrip()):
            continue
        element = node.getparent()
        if element is not None and node.is_tail:
            element = element.getparent()
        while element is not None and element.tag in ("strong", "b", "em", "i", "span", "a"):
            element = element.getparent()  # the block the cue opens, not its bold face
        if element is not None and element not in out:
            out.append(element)
    return out


def _remove_chrome(tree: lxml.html.HtmlElement, also: set[lxml.html.HtmlElement]) -> None:
    """Remove elements that never hold story text (menus, forms, banners, ...) in place."""
    body = tree.body if tree.find("body") is not None else tree
    page_chars = max(1, len(normalize_space(body.text_content())))
    doomed: list[lxml.html.HtmlElement] = list(also)
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        if _is_chrome(element, page_chars):
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            _drop_keep_tail(element, parent)


def _drop_keep_tail(element: lxml.html.HtmlElement, parent: lxml.html.HtmlElement) -> None:
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _is_chrome(element: lxml.html.HtmlElement, page_chars: int) -> bool:
    tag = element.tag
    if tag in ("html", "body"):
        return False
    if tag in data.DROP_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    names = (element.get("class") or "").split()
    if element.get("id"):
        names.append(element.get("id", ""))
    if not (
        tag in data.DROP_CHROME_TAGS
        or (element.get("role") or "").lower() in data.DROP_ROLES
        or any(_DROP_CLASS.search(name) for name in names)
    ):
        return False
    # a page wrapper that looks like chrome (ASP.NET's page-wide <form>, a "has-sidebar"
    # class) holds most of the text: keep it
    return len(normalize_space(element.text_content())) < _WRAPPER_TEXT_SHARE * page_chars


# --- Walking the DOM into blocks ---------------------------------------------------------


@dataclass(slots=True)
class _Context:
    kind: str
    level: int
    path: str
    container: int


class _Walker:
    """Turns a (cleaned) tree into blocks; inline content joins the current block."""

    def __init__(self) -> None:
        self.blocks: list[_DomBlock] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.links: list[tuple[str, str]] = []
        self.stack: list[_Context] = [_Context("paragraph", 0, "", 0)]
        self.list_depth = 0
        self.containers = 0  # numbers containers; id() of lxml proxies is not stable

    def flush(self) -> None:
        if not self.parts:
            return
        raw = "".join(self.parts)
        context = self.stack[-1]
        pieces = re.split(r"\n\s*\n", raw) if "\n" in raw else [raw]
        for piece in pieces:
            text = normalize_space(piece)
            if text:
                links_here = self.links if len(pieces) == 1 else []
                self.blocks.append(
                    _DomBlock(
                        context.kind,
                        text,
                        context.level,
                        context.path,
                        context.container,
                        min(self.link_chars, len(text)),
                        list(links_here),
                    )
                )
        self.parts.clear()
        self.links.clear()
        self.link_chars = 0

    def walk(self, element: lxml.html.HtmlElement, path: str, in_link: bool) -> None:
        tag = element.tag
        if not isinstance(tag, str):
            return
        if tag == "br":
            self.parts.append("\n")
            return
        is_block = tag in data.BLOCK_TAGS
        step = _path_step(element)
        here = f"{path}>{step}" if path else step
        if is_block:
            self.flush()
            self.stack.append(self._context(element, tag, here))
        if tag in data.LIST_TAGS:
            self.list_depth += 1
        if tag in ("td", "th") and self.parts and "".join(self.parts).strip():
            self.parts.append(" | ")
        link_here = tag == "a" and not in_link
        if link_here:
            self.links.append((element.get("href", ""), normalize_space(element.text_content())))
            self.link_chars += len(normalize_space(element.text_content()))
        self._add(element.text)
        for child in element:
            self.walk(child, here, in_link or link_here)
            self._add(child.tail)
        if tag in data.LIST_TAGS:
            self.list_depth -= 1
        if is_block:
            self.flush()
            self.stack.pop()

    def _add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def _context(self, element: lxml.html.HtmlElement, tag: str, path: str) -> _Context:
        outer = self.stack[-1]
        container = outer.container
        if tag in _CONTAINER_TAGS:
            self.containers += 1
            container = self.containers
        if tag in data.HEADING_TAGS:
            return _Context("heading", int(tag[1]), path, container)
        if tag == "li":
            return _Context("list_item", max(1, self.list_depth), path, container)
        if tag in ("dt",):
            return _Context("heading", 6, path, container) if outer.kind != "heading" else outer
        if outer.kind in ("heading", "list_item") and tag not in _CONTAINER_TAGS:
            return _Context(outer.kind, outer.level, path, container)
        return _Context("paragraph", 0, path, container)


def _path_step(element: lxml.html.HtmlElement) -> str:
    classes = (element.get("class") or "").split()
    if not classes:
        return element.tag
    return f"{element.tag}.{_DIGITS.sub('', classes[0]).rstrip('_-')}"


def _walk(tree: lxml.html.HtmlElement) -> list[_DomBlock]:
    body = tree.find("body")
    walker = _Walker()
    walker.walk(body if body is not None else tree, "", False)
    walker.flush()
    return walker.blocks


# --- Choosing the story ------------------------------------------------------------------


def _select_main(blocks: list[_DomBlock], main_text: str) -> list[_DomBlock]:
    """Blocks that trafilatura kept, plus structure that sits in the same containers."""
    candidates = [b for b in blocks if not _is_link_block(b)]
    kept_text = normalize_key(main_text)
    if len(kept_text) < 0.1 * sum(len(b.text) for b in candidates):
        return candidates  # trafilatura found next to nothing: trust the cleaned DOM
    padded = f" {kept_text} "
    in_main = [f" {normalize_key(b.text)} " in padded for b in candidates]
    containers = {b.container for b, keep in zip(candidates, in_main, strict=True) if keep}
    out: list[_DomBlock] = []
    for block, keep in zip(candidates, in_main, strict=True):
        structural = block.kind != "paragraph" or word_count(block.text) < _SHORT_BLOCK_WORDS
        if keep or (structural and block.container in containers):
            out.append(block)
    return out


def _is_link_block(block: _DomBlock) -> bool:
    """Navigation and teaser titles: blocks that are (almost) all link text."""
    if block.link_chars == 0:
        return False
    if block.kind == "heading" or word_count(block.text) <= 12:
        return block.link_share >= 0.8
    return block.link_share >= 0.6


def _drop_title_and_byline(blocks: list[_DomBlock], title: str) -> list[_DomBlock]:
    title_key = normalize_key(title)
    out = []
    for index, block in enumerate(blocks):
        key = normalize_key(block.text)
        if title_key and key == title_key and (block.kind == "heading" or index == 0):
            continue
        if index < 4 and _BYLINE.match(block.text) and word_count(block.text) <= 15:
            continue
        out.append(block)
    return out


def _drop_emptied_headings(all_blocks: list[_DomBlock], kept: list[_DomBlock]) -> list[_DomBlock]:
    """Headings whose content was not kept ("Meest gelezen" over a list of links) go too."""
    kept_ids = {id(b) for b in kept}
    flags: list[bool] = []
    for block in all_blocks:
        if id(block) in kept_ids:
            flags.append(False)
        elif flags:
            flags[-1] = True
    as_blocks = [Block(b.kind, b.text, b.level) for b in kept]  # type: ignore[arg-type]
    survivors = set(map(id, drop_orphan_headings(as_blocks, flags)))
    return [dom for dom, block in zip(kept, as_blocks, strict=True) if id(block) in survivors]


def _byline(tree: lxml.html.HtmlElement) -> str:
    for element in tree.iter("p", "span", "div"):
        text = normalize_space(element.text_content())
        if len(text) > 120:
            continue
        match = _BYLINE.match(text)
        if match:
            return match.group("name").strip()
    return ""


def _content_links(
    blocks: list[_DomBlock], kept_keys: set[str], base: str
) -> tuple[tuple[str, ...], list[str]]:
    """Links in the story text, and the deals among them."""
    links: list[str] = []
    deals: list[str] = []
    for block in blocks:
        if normalize_key(block.text) not in kept_keys:
            continue
        for href, label in block.links:
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
                continue
            link = join_url(base, href) if base else href
            if not link:
                continue
            links.append(link)
            name = deal_name_from_link(href, label)
            if name:
                deals.append(name)
    return unique(links), deals
