"""Is a question Dutch or English? Counting function words is enough for questions."""

from __future__ import annotations

from ask.lexicon import DUTCH_MARKERS, ENGLISH_MARKERS
from ask.text import words


def detect_language(question: str) -> str:
    """"nl" or "en"; Dutch when it cannot tell (the corpus and most users are Dutch)."""
    tokens = [w.folded for w in words(question)]
    dutch = sum(t in DUTCH_MARKERS for t in tokens)
    english = sum(t in ENGLISH_MARKERS for t in tokens)
    return "en" if english > dutch else "nl"


__all__ = ["detect_language"]
