"""Boilerplate rules that work on blocks from any reader (HTML, PDF, DOCX, text).

Rules, in order: normalise whitespace; remove obfuscated e-mail placeholders; drop blocks that
are boilerplate as a whole (comment forms, share bars, cookie banners, newsletter forms, link
remnants); drop boilerplate sections (a "Lees ook" heading and what follows it); drop exact
repeats of the previous block (captions printed twice); drop headings left without content.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ingest import boilerplate_data as data
from ingest.document import Block

_SPACE_CHARS = "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
_SPACE_TABLE = {ord(ch): " " for ch in _SPACE_CHARS} | {
    ord(ch): None for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad"
}
_MULTI_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLOCK_PATTERNS = re.compile(
    "|".join(f"(?:{p})" for p in data.BOILERPLATE_BLOCK_PATTERNS), re.IGNORECASE
)
_SECTION_PATTERNS = re.compile(
    "|".join(f"(?:{p})" for p in data.BOILERPLATE_SECTION_PATTERNS), re.IGNORECASE
)
_EMAIL = re.compile(
    data.EMAIL_LEAD_IN + data.EMAIL_POINTER + r"\s*(?:" + data.EMAIL_PLACEHOLDER + r")",
    re.IGNORECASE,
)
_ABOUT = re.compile(r"^(?:" + "|".join(data.DEAL_ABOUT_CUES) + r")\b\s*:?\s*", re.IGNORECASE)
_DEAL_NAME = re.compile(data.DEAL_NAME_PATTERN)
_SENTENCE_END = re.compile(r"[.!?]\s+\S")
_LEADING_ARTICLE = re.compile(r"^(?:de|het)\s+", re.IGNORECASE)
_ABOUT_NAME_MAX_WORDS = 8
_NEXT_DEAL = re.compile(r"\s+(?:en|and|&)\s+(?=(?:City|Town) Deal\b)")
_ONLY_SYMBOLS = re.compile(r"^[\W_]*$")
_KEY_STRIP = re.compile(r"[^\w\s]")
_WORD = re.compile(r"\w+")


def normalize_space(text: str) -> str:
    """One line of text: odd spaces become plain ones, zero-width characters go, runs collapse."""
    text = text.translate(_SPACE_TABLE)
    text = unicodedata.normalize("NFC", text)
    return _MULTI_SPACE.sub(" ", text.replace("\n", " ")).strip()


def strip_email_placeholders(text: str) -> str:
    """Remove "[email protected]" style placeholders and the words that pointed to them."""
    if "[" not in text:
        return text
    cleaned = _EMAIL.sub("", text)
    cleaned = re.sub(r"\s+([.,;:!?])", r"\1", cleaned)
    cleaned = re.sub(r"\s{2,}", " ", cleaned).strip()
    if cleaned and cleaned != text and cleaned[-1].isalnum() and text.rstrip()[-1:] not in ".!?":
        # the placeholder ended the sentence without a full stop ("... of met [email protected]")
        cleaned += "."
    return cleaned


def is_boilerplate_block(text: str) -> bool:
    """Whether the whole block is chrome: a comment form line, share bar, cookie text, ..."""
    if _ONLY_SYMBOLS.match(text):
        return True
    return bool(_BLOCK_PATTERNS.fullmatch(text.strip(" .:!»›>")) or _BLOCK_PATTERNS.fullmatch(text))


def is_boilerplate_section(heading: str) -> bool:
    """Whether a heading opens a section that is boilerplate as a whole ("Lees ook", ...)."""
    return bool(_SECTION_PATTERNS.fullmatch(heading.strip(" .:!»›>")))


def normalize_key(text: str) -> str:
    """A comparison key: lower case, no punctuation, single spaces."""
    return " ".join(_KEY_STRIP.sub(" ", text.lower()).split())


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def clean_blocks(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Apply the block rules; returns the blocks that are content."""
    kept: list[Block] = []
    dropped_since_heading: list[bool] = []
    section_level = 0  # > 0 while inside a boilerplate section opened at that level
    previous_key = ""
    for block in blocks:
        text = strip_email_placeholders(normalize_space(block.text))
        if block.kind == "heading":
            level = block.level or 2
            if section_level and level <= section_level:
                section_level = 0
            if is_boilerplate_section(text):
                section_level = level
                _mark_dropped(dropped_since_heading)
                continue
        if section_level:
            _mark_dropped(dropped_since_heading)
            continue
        if not text or is_boilerplate_block(text):
            _mark_dropped(dropped_since_heading)
            continue
        key = normalize_key(text)
        if key and key == previous_key:
            continue  # the same line twice in a row: a caption or a repeated teaser
        previous_key = key
        kept.append(block if text == block.text else Block(block.kind, text, block.level, block.dom_path))
        dropped_since_heading.append(False)
    return drop_orphan_headings(kept, dropped_since_heading)


def _mark_dropped(flags: list[bool]) -> None:
    """Record that something was dropped after the last kept block."""
    if flags:
        flags[-1] = True


def drop_orphan_headings(blocks: Sequence[Block], dropped_after: Sequence[bool]) -> tuple[Block, ...]:
    """Drop headings whose section lost all its content.

    ``dropped_after[i]`` says whether blocks were removed right after ``blocks[i]``. Headings at
    the very end go. A heading followed by a heading of the same or a higher level is an orphan
    only when something was removed under it: an empty section in the source stays as written.
    """
    keep = [True] * len(blocks)
    next_level = 0  # level of the next kept heading; 0 means the end of the document
    content_follows = False
    removed = False  # something was removed between here and the next kept heading
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if block.kind != "heading":
            content_follows, removed = True, False
            continue
        level = block.level or 2
        removed = removed or dropped_after[index]
        at_end = not content_follows and next_level == 0
        closes = not content_follows and (next_level == 0 or next_level <= level)
        if at_end or (closes and removed):
            keep[index] = False
            continue
        next_level, content_follows, removed = level, False, False
    return tuple(block for block, flag in zip(blocks, keep, strict=True) if flag)


def deal_names_in_about_line(text: str) -> tuple[str, ...]:
    """Deal names in a line such as "Dit gaat over de City Deal Fietsen voor iedereen".

    Prose that merely opens with a cue ("Deze City Deal treedt in werking op ...") is not an
    about-line: the names must follow the cue directly, one sentence, each part a short
    capitalised name.
    """
    match = _ABOUT.match(text)
    if not match:
        return ()
    cue = match.group(0).lower()
    rest = text[match.end() :].strip(" .:")
    if _SENTENCE_END.search(rest):
        return ()
    names = [name.strip() for m in _DEAL_NAME.finditer(rest) for name in _NEXT_DEAL.split(m.group(1))]
    if names:
        return tuple(names) if _LEADING_ARTICLE.sub("", rest).startswith(names[0]) else ()
    if not rest:
        return ()
    kind = "Town Deal" if "town" in cue else "City Deal"
    parts = [part.strip() for part in re.split(r",| en ", rest) if part.strip()]
    if not all(part[0].isupper() and len(part.split()) <= _ABOUT_NAME_MAX_WORDS for part in parts):
        return ()
    return tuple(p if p.lower().startswith(("city deal", "town deal")) else f"{kind} {p}" for p in parts)


def split_about_deals(blocks: Sequence[Block]) -> tuple[tuple[str, ...], tuple[Block, ...]]:
    """Take "Dit gaat over de City Deal X" lines out of the blocks; return the deal names too."""
    names: list[str] = []
    kept: list[Block] = []
    for block in blocks:
        found = deal_names_in_about_line(block.text) if len(block.text) < 300 else ()
        if found:
            names.extend(found)
        else:
            kept.append(block)
    return tuple(names), tuple(kept)


def guess_language(text: str, default: str = "") -> str:
    """ISO 639-1 code from function-word counts in the first few thousand characters."""
    words = [w.lower() for w in _WORD.findall(text[:4000])]
    if len(words) < 8:
        return default
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in data.STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] >= max(3, len(words) // 25) else default
