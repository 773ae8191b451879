"""Dutch sentence splitting with character offsets.

A full stop, question mark, exclamation mark or ellipsis (with any closing quotes or
brackets after it) ends a sentence when white space and then a capital, a digit or an
opening quote follow. It does not after an abbreviation ("bijv.", "o.a.", "dhr."), after
an initial ("J. Scheidsbach", "W.J. Kersten"), or after a list number at the start of a
line ("1. Verkennen").
"""

from __future__ import annotations

import re

from ingest.boilerplate_data import ABBREVIATIONS_CONTINUE, ABBREVIATIONS_MAY_END

# Candidate end: terminal punctuation, closing quotes/brackets, then white space.
_CANDIDATE = re.compile(r"(?:\.{3}|…|[.!?])+[\"'”’»)\]]*(?=\s)")
_OPENERS = "\"'“‘«([¿¡"
_TOKEN_BEFORE = re.compile(r"([\w.\-]+)\.$")
_INITIALS = re.compile(r"^(?:[A-ZÀ-Ý]\.)*[A-ZÀ-Ý]$")
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})$")
_DIGITS = re.compile(r"^\d+$")

Span = tuple[int, int]


def split_sentences(text: str) -> tuple[Span, ...]:
    """(start, end) offsets of the sentences in ``text``, white space excluded."""
    spans: list[Span] = []
    start = _skip_space(text, 0)
    for match in _CANDIDATE.finditer(text):
        end = match.end()
        if end <= start:
            continue
        nxt = _skip_space(text, end)
        if nxt >= len(text):
            break
        if _is_boundary(text, start, match.start(), match.group(0), nxt):
            spans.append((start, _trim_end(text, start, end)))
            start = nxt
    if start < len(text):
        end = _trim_end(text, start, len(text))
        if end > start:
            spans.append((start, end))
    return tuple(spans)


def sentence_texts(text: str) -> tuple[str, ...]:
    """The sentences of ``text`` as strings."""
    return tuple(text[start:end] for start, end in split_sentences(text))


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _starts_sentence(text: str, index: int) -> bool:
    """Whether the text at ``index`` looks like the start of a sentence."""
    char = text[index]
    if char in _OPENERS:
        rest = text[index + 1 : index + 3].lstrip(_OPENERS)
        return bool(rest) and (rest[0].isupper() or rest[0].isdigit())
    return char.isupper() or char.isdigit()


def _is_boundary(text: str, sentence_start: int, punct_start: int, punct: str, nxt: int) -> bool:
    if not _starts_sentence(text, nxt):
        return False
    if not punct.startswith(".") or punct.startswith("..."):
        return True  # ? ! … end a sentence when a capital follows
    line_start = text.rfind("\n", 0, punct_start) + 1
    word_start = max(
        text.rfind(" ", 0, punct_start) + 1,
        text.rfind("(", 0, punct_start) + 1,
        line_start,
        sentence_start,
    )
    word = text[word_start:punct_start]
    if not word:
        return True
    lowered = word.lower().lstrip("(\"'“‘")
    if lowered in ABBREVIATIONS_CONTINUE:
        return False
    if lowered in ABBREVIATIONS_MAY_END:
        return True  # a capital follows, so the sentence ends here
    if _INITIALS.match(word):
        return False  # "J. Scheidsbach", "W.J. Kersten"
    if _DIGITS.match(word) and text[:word_start].rstrip()[-1:] in (":", ";", ","):
        return False  # "vier fases: 1. Verkennen"
    # "1. Verkennen" at the start of a line or of the text is a list number
    at_line_start = word_start in (line_start, sentence_start)
    return not (at_line_start and _LIST_NUMBER.match(text[line_start:punct_start]))
