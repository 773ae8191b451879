"""Words and sentences: folding for name matching, and sentences with their offsets in a passage."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# A sentence ends at . ! ? (optionally followed by closing quotes or brackets) before a space and
# something that can start a sentence.
_BOUNDARY = re.compile(r"(?<=[.!?])(?P<closing>[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-ZÀ-Ý0-9])")
_ABBREVIATIONS = frozenset({
    "dr", "drs", "mr", "ir", "ing", "prof", "bijv", "bv", "o.a", "oa", "e.d", "etc", "nr", "ca",
    "i.p.v", "m.b.t", "t.o.v", "jl", "st", "mevr", "dhr", "resp", "vs", "e.g", "i.e", "mrs", "ms",
    "no", "fig", "art", "incl", "excl", "min", "max", "z.g.a.n", "d.w.z", "m.a.w", "a.s", "jr", "sr",
})
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,2}[.)]|[-•*–]|[a-z][.)])\s+")
_TABLE_ROW = re.compile(r"\s\|\s")
_HEADING_MAX_WORDS = 8


def fold(text: str) -> str:
    """Lower case without accents, for matching names: 'Angélique' and 'angelique' fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    folded: str
    start: int
    end: int


@lru_cache(maxsize=4096)
def _words_cached(text: str) -> tuple[Word, ...]:
    return tuple(Word(m.group(), fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text))


def words(text: str) -> tuple[Word, ...]:
    """The words of a text with their offsets (hyphenated and apostrophe words stay whole)."""
    return _words_cached(text)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a passage: ``passage_text[start:end] == text``.

    ``quotable`` is False for headings, table rows and list markers on their own: they may
    name things (a chair in a table row) but do not answer a question.
    """

    text: str
    start: int
    end: int
    quotable: bool


def _ends_with_abbreviation(fragment: str) -> bool:
    tail = fragment.rstrip(".!?\"'”’)] ").rsplit(maxsplit=1)
    if not tail:
        return False
    last = tail[-1].casefold()
    if last in _ABBREVIATIONS:
        return True
    # an initial: "J. Scheidsbach"
    return len(last) == 1 and last.isalpha() and fragment.rstrip().endswith(".")


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in re.finditer(r"\n", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a passage, line by line; offsets point into ``text``."""
    sentences: list[Sentence] = []
    for line_start, line_end in _line_spans(text):
        line = text[line_start:line_end]
        if not line.strip():
            continue
        marker = _LIST_MARKER.match(line)
        offset = marker.end() if marker else 0
        pieces: list[tuple[int, int]] = []
        begin = offset
        for boundary in _BOUNDARY.finditer(line, offset):
            end = boundary.start() + len(boundary.group("closing"))
            fragment = line[begin:end]
            if _ends_with_abbreviation(fragment) or not fragment.strip():
                continue
            pieces.append((begin, end))
            begin = boundary.end()
        pieces.append((begin, len(line)))
        for begin, end in pieces:
            raw = line[begin:end]
            left = len(raw) - len(raw.lstrip())
            right = len(raw.rstrip())
            if right <= left:
                continue
            piece = raw[left:right]
            sentences.append(Sentence(
                text=piece, start=line_start + begin + left, end=line_start + begin + right,
                quotable=_is_quotable(piece)))
    return sentences


# Words that open a sentence leaning on the one before ("Dat geldt ook voor ..."): quoted alone,
# such a sentence says nothing to someone who has not read its neighbour.
_ANAPHORIC_OPENERS = frozenset({
    "dat", "dit", "deze", "die", "daarom", "daardoor", "daarmee", "daarvoor", "hierdoor",
    "hiermee", "hij", "zij", "ze", "hun", "zijn", "haar", "this", "that", "these", "those",
    "they", "he", "she", "it",
})


def with_antecedents(sentences: list[Sentence], text: str, max_chars: int) -> list[Sentence]:
    """The sentences, where one that opens with a word pointing back ("Dat", "Hij", "This")
    also takes the sentence before it on the same line, so a quote can stand on its own.

    The joined sentence is still one span of ``text``; it is kept only when it fits in
    ``max_chars``.
    """
    joined: list[Sentence] = []
    for index, sentence in enumerate(sentences):
        first = words(sentence.text)[:1]
        previous = sentences[index - 1] if index else None
        if (sentence.quotable and first and first[0].folded in _ANAPHORIC_OPENERS
                and previous is not None and "\n" not in text[previous.end:sentence.start]
                and sentence.end - previous.start <= max_chars):
            sentence = Sentence(text[previous.start:sentence.end], previous.start, sentence.end,
                                quotable=True)
        joined.append(sentence)
    return joined


def without_list_marker(quote: str, start: int) -> tuple[str, int]:
    """A quote without its leading list marker ("2. De aanname ..." -> "De aanname ..."), and
    its start offset moved along."""
    marker = _LIST_MARKER.match(quote)
    if marker is None or marker.end() >= len(quote):
        return quote, start
    return quote[marker.end():], start + marker.end()


def _is_quotable(sentence: str) -> bool:
    """A statement of a few words or more: not a heading, a table row, or a question (a question
    restates what is asked and answers nothing)."""
    if _TABLE_ROW.search(sentence) or sentence.rstrip("\"'”’)] ").endswith("?"):
        return False
    count = len(words(sentence))
    if count < 4:
        return False
    return sentence.rstrip("\"'”’)] ")[-1:] in {".", "!", "?", ":", ";"} or count > _HEADING_MAX_WORDS


__all__ = ["Sentence", "Word", "fold", "split_sentences", "without_list_marker", "words"]
