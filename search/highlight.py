"""Mark the words of a passage that match the query's terms, after the same analysis as the keyword index."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from search.analysis import query_terms, term_spans

MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"


def highlight_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) offsets in ``text`` of tokens whose index term is one of ``terms``."""
    wanted = set(terms)
    if not wanted:
        return []
    return [(start, end) for start, end, term in term_spans(text) if term in wanted]


def spans_for_query(text: str, query: str) -> list[tuple[int, int]]:
    """Highlight spans of ``text`` for a free-text query (stop words never match)."""
    return highlight_spans(text, query_terms(query))


def render_html(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` HTML-escaped, with each span wrapped in <mark>; adjacent marks are merged."""
    out: list[str] = []
    cursor = 0
    for start, end in _merge_adjacent(text, spans):
        out.append(escape(text[cursor:start], quote=True))
        out.append(MARK_OPEN + escape(text[start:end], quote=True) + MARK_CLOSE)
        cursor = end
    out.append(escape(text[cursor:], quote=True))
    return "".join(out)


def highlight_html(text: str, query: str) -> str:
    """The passage as safe HTML with the query's matched words in <mark>."""
    return render_html(text, spans_for_query(text, query))


def _merge_adjacent(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans; two spans with only spaces between them become one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isspace()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


__all__ = ["highlight_html", "highlight_spans", "render_html", "spans_for_query"]
