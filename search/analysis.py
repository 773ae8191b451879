"""Dutch text analysis shared by the keyword index and the highlighter.

A token is a run of letters or digits. It is case-folded, dropped if it is a
stop word, stemmed with the Snowball Dutch stemmer and then folded once more:
Dutch writes one long vowel as "aa" in a closed syllable and "a" + "e" in an open
one (werkzaam / werkzame, groot / grote), which the stemmer leaves apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

from search.stopwords_nl import STOPWORDS_NL

ANALYZER_NAME = "nl-snowball-fold-v1"
"""Recorded in the manifest: an index built with another analyzer must be rebuilt."""

_TOKEN = re.compile(r"[^\W_]+")
_VOWELS = "aeiouy"
_FINAL_E = re.compile(r"(?<=[^aeiouy])e$")
_DOUBLE_VOWEL = re.compile(r"([aeou])\1(?=[^aeiouy]+$)")
_STEMMER = Stemmer.Stemmer("dutch")
_STEM_CACHE_SIZE = 200_000


@lru_cache(maxsize=_STEM_CACHE_SIZE)
def _stem(word: str) -> str:
    stem = _STEMMER.stemWord(word)
    if len(stem) > 3:
        stem = _FINAL_E.sub("", stem)
    return _DOUBLE_VOWEL.sub(r"\1", stem)


def normalize_token(token: str) -> str:
    """Case-fold and NFKC-normalise one token (no stemming)."""
    return unicodedata.normalize("NFKC", token).casefold()


@lru_cache(maxsize=_STEM_CACHE_SIZE)
def term_of(token: str) -> str | None:
    """The index term of one raw token, or None when it is a stop word or too short."""
    word = normalize_token(token)
    if word in STOPWORDS_NL or (len(word) < 2 and not word.isdigit()):
        return None
    return _stem(word)


def analyze(text: str) -> list[str]:
    """The index terms of a text, in order, with repeats."""
    terms = []
    for match in _TOKEN.finditer(text):
        term = term_of(match.group())
        if term is not None:
            terms.append(term)
    return terms


def query_terms(query: str) -> list[str]:
    """The distinct index terms of a query, in order of first appearance."""
    return list(dict.fromkeys(analyze(query)))


def term_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, term) for every indexable token of ``text``, offsets into ``text``."""
    for match in _TOKEN.finditer(text):
        term = term_of(match.group())
        if term is not None:
            yield match.start(), match.end(), term


__all__ = ["ANALYZER_NAME", "analyze", "normalize_token", "query_terms", "term_of", "term_spans"]
