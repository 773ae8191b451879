"""Sentences with offsets, normalised tokens and short readable labels."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.annotate.cues import (
    LABEL_CUT_PATTERNS,
    LABEL_DROP_PATTERNS,
    LEADING_FILLERS,
    STOPWORDS,
    TRAILING_FUNCTION_WORDS,
)
from ingest.sentences import split_sentences as sentence_spans


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of one passage; ``start``/``end`` are offsets in the passage text."""

    passage: int
    index: int
    start: int
    end: int
    text: str


_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"[\w’'-]+", re.UNICODE)
_TOKEN = re.compile(r"[a-z0-9]+")


def split_sentences(text: str, passage: int = 0) -> list[Sentence]:
    """The sentences of a passage, with offsets into its text; a line break always ends one.

    Within a line the project's Dutch splitter (``ingest.sentences``) decides.
    """
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text):
        for start, end in sentence_spans(line.group()):
            s, e = line.start() + start, line.start() + end
            if text[s:e].strip():
                sentences.append(Sentence(passage, len(sentences), s, e, text[s:e]))
    return sentences


def fold(text: str) -> str:
    """Lower case without accents, for comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokens(text: str) -> list[str]:
    """All alphanumeric tokens of the folded text."""
    return _TOKEN.findall(fold(text))


def stem(token: str) -> str:
    """A crude prefix stem so that 'opschaling' and 'opschalen' meet."""
    return token[:6] if len(token) > 6 else token


def content_tokens(text: str) -> list[str]:
    """Stemmed tokens without Dutch function words."""
    return [stem(t) for t in tokens(text) if t not in STOPWORDS]


def normalise_key(text: str) -> str:
    """The key that identifies an extracted element within a document (for its IRI)."""
    return " ".join(tokens(text))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


# Dutch puts the verb last in a subordinate clause: a label may run this many words over
# its length rather than lose the verb that carries its meaning.
OVERFLOW_WORDS = 3
ATTRIBUTION = re.compile(r",?\s+aldus\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?\s*[.!]?$")


def short_label(text: str, max_words: int = 12, min_words: int = 2) -> str:
    """A readable label of about ``max_words`` words: a clause, not a sentence.

    Drops fillers at the start and an 'aldus X' at the end, examples in brackets or after
    'zoals', then cuts at the longest clause boundary that fits; only when no boundary fits
    is the text cut hard (allowing ``OVERFLOW_WORDS`` more so that a final verb survives).
    """
    label = _strip_edges(text)
    changed = True
    while changed:
        changed = False
        for pattern in LEADING_FILLERS:
            new = pattern.sub("", label, count=1)
            if new != label and word_count(new) >= min_words:
                label, changed = _strip_edges(new), True
    label = _strip_edges(ATTRIBUTION.sub("", label)) or label
    if word_count(label) > max_words:
        for pattern in LABEL_DROP_PATTERNS:
            new = pattern.sub("", label)
            if word_count(new) >= min_words:
                label = _strip_edges(new)
    if word_count(label) > max_words:
        cuts = sorted(
            {m.start() for p in LABEL_CUT_PATTERNS for m in p.finditer(label)}, reverse=True
        )
        for cut in cuts:
            head = _strip_edges(label[:cut])
            if min_words + 1 <= word_count(head) <= max_words:
                label = head
                break
    if word_count(label) > max_words + OVERFLOW_WORDS:
        label = " ".join(label.split()[:max_words])
    label = _without_dangling_end(label, min_words)
    return label[:1].upper() + label[1:] if label else label


def _without_dangling_end(label: str, min_words: int) -> str:
    """'zestien buurtkamers en' -> 'zestien buurtkamers': a label never ends on a word that
    leads into more (a conjunction, article, preposition or subject pronoun)."""
    words = label.split()
    while len(words) > min_words and fold(words[-1].strip(",;:")) in TRAILING_FUNCTION_WORDS:
        words.pop()
    return _strip_edges(" ".join(words))


def _strip_edges(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = text.strip(" ,;:–-“”\"‘’'")
    text = re.sub(r"[.!?…]+$", "", text).strip(" ,;:–-“”\"‘’'")
    # Unbalanced brackets left over from cutting.
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")].strip()
    return text.rstrip(" ,;:")
