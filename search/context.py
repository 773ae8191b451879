"""The text a passage is embedded and keyword-indexed as: document title, heading path, passage text.

A passage alone often lacks its subject ("Dit werkte goed omdat..."); the title and
headings put it back. The same string feeds both indexes, and its hash keys the
embedding cache.
"""

from __future__ import annotations

from collections.abc import Sequence

HEADING_SEPARATOR = " > "


def passage_context(title: str, heading_path: Sequence[str], text: str) -> str:
    """Title, heading path (" > " joined) and text on separate lines, empty parts left out."""
    headings = [h.strip() for h in heading_path if h and h.strip()]
    title = title.strip()
    if headings and title and headings[0].casefold() == title.casefold():
        headings = headings[1:]
    parts = [title, HEADING_SEPARATOR.join(headings), text.strip()]
    return "\n".join(part for part in parts if part)


__all__ = ["HEADING_SEPARATOR", "passage_context"]
