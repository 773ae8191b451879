"""Passages: sentence-aware chunks of a document's text, each with its heading path and offsets.

Passages are packed from whole sentences within one section (the text under one heading) to
between ``min_words`` and ``max_words`` words; a long section is cut into passages of even
size, never inside a sentence, and a sentence longer than ``max_words`` is a passage of its
own. A section shorter than ``min_words`` joins the next one (the passage then runs over the
next heading); a short last section joins the passage before it when that stays within
``max_words``. ``text[start_char:end_char]`` of the document text is the passage text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.document import Block, ExtractedDocument
from ingest.read_text import looks_like_heading
from ingest.sentences import split_sentences

_WORD = re.compile(r"\w+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")


@dataclass(frozen=True, slots=True)
class ChunkOptions:
    """Passage size in words."""

    min_words: int = 60
    max_words: int = 150

    def __post_init__(self) -> None:
        if not 0 < self.min_words <= self.max_words:
            raise ValueError(
                f"need 0 < min_words <= max_words, got {self.min_words} and {self.max_words}"
            )


@dataclass(frozen=True, slots=True)
class Chunk:
    """One passage. ``heading_path`` lists the headings above its start, outermost first."""

    position: int
    text: str
    heading_path: tuple[str, ...]
    start_char: int
    end_char: int

    @property
    def word_count(self) -> int:
        return len(_WORD.findall(self.text))


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence, with where it is and what is above it."""

    start: int
    end: int
    words: int
    heading_path: tuple[str, ...]
    section: int


@dataclass(slots=True)
class _Section:
    units: list[_Unit] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(unit.words for unit in self.units)


def chunk_document(
    source: str | ExtractedDocument | Sequence[Block], options: ChunkOptions | None = None
) -> tuple[Chunk, ...]:
    """Passages of a document, of its blocks, or of plain text.

    For blocks the offsets are into :func:`ingest.document.blocks_to_text` of them (the same as
    ``ExtractedDocument.text``); for a string, into that string, with paragraphs split at
    blank lines and headings found by their shape.
    """
    options = options or ChunkOptions()
    if isinstance(source, ExtractedDocument):
        text, units = _units_from_blocks(source.blocks)
    elif isinstance(source, str):
        text, units = source, _units_from_text(source)
    else:
        text, units = _units_from_blocks(source)
    units = _cut_long_units(text, units, options.max_words)
    passages = _pack(_sections(units), options)
    return tuple(
        Chunk(
            position=position,
            text=text[group[0].start : group[-1].end],
            heading_path=group[0].heading_path,
            start_char=group[0].start,
            end_char=group[-1].end,
        )
        for position, group in enumerate(passages)
    )


@dataclass(frozen=True, slots=True)
class Chunker:
    """Pipeline step: a document in, its passages out."""

    options: ChunkOptions = field(default_factory=ChunkOptions)

    def run(self, document: ExtractedDocument) -> tuple[Chunk, ...]:
        return chunk_document(document, self.options)


# --- Units -------------------------------------------------------------------------------


def _units_from_blocks(blocks: Sequence[Block]) -> tuple[str, list[_Unit]]:
    parts: list[str] = []
    units: list[_Unit] = []
    path: list[tuple[int, str]] = []
    section = 0
    cursor = 0
    for block in blocks:
        if not block.text:
            continue
        if parts:
            cursor += 2  # the blank line between paragraphs
        start = cursor
        parts.append(block.text)
        cursor += len(block.text)
        if block.kind == "heading" and len(_WORD.findall(block.text)) <= _LONGEST_HEADING_WORDS:
            path = _push_heading(path, block.level or 2, block.text)
            section += 1
            continue
        units.extend(_sentence_units(block.text, start, tuple(h for _, h in path), section))
    return "\n\n".join(parts), units


def _units_from_text(text: str) -> list[_Unit]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    paragraphs = [(s, e) for s, e in ((_lstrip(text, s, e), e) for s, e in spans) if text[s:e].strip()]
    units: list[_Unit] = []
    path: list[tuple[int, str]] = []
    section = 0
    for index, (start, end) in enumerate(paragraphs):
        body = text[start:end]
        following = ""
        if index + 1 < len(paragraphs):
            following = text[paragraphs[index + 1][0] : paragraphs[index + 1][1]]
        if looks_like_heading(body, following.strip()):
            path = _push_heading(path, 2, body.strip())
            section += 1
            continue
        units.extend(_sentence_units(body, start, tuple(h for _, h in path), section))
    return units


def _lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _push_heading(path: list[tuple[int, str]], level: int, heading: str) -> list[tuple[int, str]]:
    return [(lvl, h) for lvl, h in path if lvl < level] + [(level, heading)]


def _sentence_units(body: str, offset: int, path: tuple[str, ...], section: int) -> list[_Unit]:
    units = []
    for start, end in split_sentences(body):
        words = len(_WORD.findall(body[start:end]))
        if words:
            units.append(_Unit(offset + start, offset + end, words, path, section))
    return units


_LONGEST_HEADING_WORDS = 40
"""A "heading" longer than this (a whole article inside <h2>) is chunked as text: heading text is
not counted in passage sizes, so a long one would make a passage of any size."""
_LONGEST_SENTENCE_FACTOR = 4
"""A real sentence longer than max_words stays whole; a "sentence" this many times longer is a
line without stops (a text dump, a table flattened into one line) and is cut between words."""


def _cut_long_units(text: str, units: list[_Unit], max_words: int) -> list[_Unit]:
    """Units no longer than _LONGEST_SENTENCE_FACTOR * max_words, so no passage grows without
    bound; an over-long unit is cut into pieces of max_words."""
    longest = _LONGEST_SENTENCE_FACTOR * max_words
    if all(unit.words <= longest for unit in units):
        return units
    cut: list[_Unit] = []
    for unit in units:
        if unit.words <= longest:
            cut.append(unit)
            continue
        spans = [m.span() for m in _WORD.finditer(text, unit.start, unit.end)]
        for first in range(0, len(spans), max_words):
            group = spans[first : first + max_words]
            end = unit.end if first + max_words >= len(spans) else group[-1][1]
            start = unit.start if first == 0 else group[0][0]
            cut.append(_Unit(start, end, len(group), unit.heading_path, unit.section))
    return cut


# --- Packing -----------------------------------------------------------------------------


def _sections(units: Sequence[_Unit]) -> list[_Section]:
    sections: list[_Section] = []
    for unit in units:
        if not sections or sections[-1].units[-1].section != unit.section:
            sections.append(_Section())
        sections[-1].units.append(unit)
    return sections


def _pack(sections: list[_Section], options: ChunkOptions) -> list[list[_Unit]]:
    merged: list[_Section] = []
    carry: list[_Unit] = []
    for section in sections:
        units = carry + section.units
        if sum(u.words for u in units) < options.min_words:
            carry = units  # too short to stand alone: joins the next section
            continue
        merged.append(_Section(units))
        carry = []
    passages: list[list[_Unit]] = []
    for section in merged:
        passages.extend(_split_section(section.units, options))
    if carry:
        if passages and _words(passages[-1]) + _words(carry) <= options.max_words:
            passages[-1] = passages[-1] + carry
        else:
            passages.append(carry)
    return passages


def _split_section(units: list[_Unit], options: ChunkOptions) -> list[list[_Unit]]:
    """Cut one section into passages of even size, at sentence ends only."""
    total = _words(units)
    if total <= options.max_words:
        return [units]
    target = total / math.ceil(total / options.max_words)
    passages: list[list[_Unit]] = []
    current: list[_Unit] = []
    size = 0
    for unit in units:
        over_max = size + unit.words > options.max_words
        nearer_without = abs(size - target) <= abs(size + unit.words - target)
        if current and (over_max or (nearer_without and size >= options.min_words)):
            passages.append(current)
            current, size = [], 0
        current.append(unit)
        size += unit.words
    if current:
        if passages and size < options.min_words and _words(passages[-1]) + size <= options.max_words:
            passages[-1] = passages[-1] + current
        else:
            passages.append(current)
    return passages


def _words(units: Sequence[_Unit]) -> int:
    return sum(unit.words for unit in units)
