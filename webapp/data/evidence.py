"""Evidence: the passages behind a statement, with the quoted span marked.

Extracted resources carry ``ikg:supportedBy`` (the passage), ``ikg:quote`` and the quote's
offsets in the passage text. Shared resources (deals, people, organisations) keep theirs on
``ikg:Extraction`` records. Either way the page shows the passage with the span in <mark>.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from search.highlight import render_html
from webapp.data.graph import browse_url, document_url, node, select, value, values_clause

MAX_EVIDENCE_PASSAGES = 20

_EVIDENCE = """
SELECT ?passage ?quote ?start ?end WHERE {
  {
    $this ikg:supportedBy ?passage .
    OPTIONAL { $this ikg:quote ?quote }
    OPTIONAL { $this ikg:quoteStart ?start }
    OPTIONAL { $this ikg:quoteEnd ?end }
  } UNION {
    ?record rdf:subject $this ; a ikg:Extraction ; ikg:supportedBy ?passage .
    OPTIONAL { ?record ikg:quote ?quote }
    OPTIONAL { ?record ikg:quoteStart ?start }
    OPTIONAL { ?record ikg:quoteEnd ?end }
  } UNION {
    ?record rdf:object $this ; a ikg:Extraction ; rdf:predicate ?predicate ; ikg:supportedBy ?passage .
    FILTER (?predicate != rdf:type)
    OPTIONAL { ?record ikg:quote ?quote }
    OPTIONAL { ?record ikg:quoteStart ?start }
    OPTIONAL { ?record ikg:quoteEnd ?end }
  }
} LIMIT 500
"""

_PASSAGES = """
SELECT ?passage ?text ?position ?doc ?title ?date ?heading WHERE {
  #VALUES#
  ?passage ikg:text ?text .
  OPTIONAL { ?passage ikg:position ?position }
  OPTIONAL { ?passage ikg:headingPath ?heading }
  OPTIONAL { ?passage ikg:inDocument ?doc .
             OPTIONAL { ?doc dcterms:title ?title }
             OPTIONAL { ?doc dcterms:date ?date } }
}
"""


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class PassageInfo:
    iri: str
    text: str
    position: int | None
    document_iri: str
    document_title: str
    date: str
    heading_path: tuple[str, ...]


def passages(iris: Iterable[str]) -> dict[str, PassageInfo]:
    """Text and document facts of the given passages."""
    unique = list(dict.fromkeys(iris))
    if not unique:
        return {}
    found: dict[str, PassageInfo] = {}
    for row in select(_PASSAGES.replace("#VALUES#", values_clause("passage", unique))):
        iri = value(row["passage"])
        found[iri] = PassageInfo(
            iri=iri, text=value(row["text"]),
            position=int(value(row["position"])) if row["position"] is not None else None,
            document_iri=value(row["doc"]), document_title=value(row["title"]),
            date=value(row["date"]),
            heading_path=tuple(value(row["heading"]).split(" > ")) if row["heading"] is not None else (),
        )
    return found


def quote_span(text: str, quote: Quote) -> tuple[int, int] | None:
    """Where the quote is in the passage: its offsets when they hold, else its first occurrence."""
    if quote.start is not None and quote.end is not None and text[quote.start:quote.end] == quote.text:
        return quote.start, quote.end
    if quote.text:
        at = text.find(quote.text)
        if at >= 0:
            return at, at + len(quote.text)
    return None


def name_spans(text: str, name: str) -> list[tuple[int, int]]:
    """Where a name occurs in the text (for evidence that carries no quote, such as a person's)."""
    if len(name) < 3:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(name), text, re.IGNORECASE)]


def marked_html(text: str, spans: Sequence[tuple[int, int]], ids: Sequence[str] = ()) -> str:
    """The passage as escaped HTML with each span in <mark> (``ids`` give marks an id each)."""
    if not ids:
        return render_html(text, sorted(set(spans)))
    out: list[str] = []
    cursor = 0
    for (start, end), mark_id in sorted(zip(spans, ids, strict=True)):
        if start < cursor:  # overlapping spans: keep the first
            continue
        out.append(render_html(text[cursor:start], []))
        out.append(f'<mark id="{mark_id}">' + render_html(text[start:end], []) + "</mark>")
        cursor = end
    out.append(render_html(text[cursor:], []))
    return "".join(out)


def evidence_for(iri: str, *, name: str = "",
                 limit: int = MAX_EVIDENCE_PASSAGES) -> list[dict[str, Any]]:
    """The passages that support a resource, each with its quoted spans marked."""
    quotes: dict[str, list[Quote]] = {}
    for row in select(_EVIDENCE, this=iri):
        passage = value(row["passage"])
        entry = quotes.setdefault(passage, [])
        if row["quote"] is not None:
            entry.append(Quote(value(row["quote"]), _int(row["start"]), _int(row["end"])))
    chosen = list(quotes)[:limit]
    info = passages(chosen)
    shown = []
    for passage in chosen:
        facts = info.get(passage)
        if facts is None:
            continue
        spans = [span for quote in quotes[passage] if (span := quote_span(facts.text, quote))]
        if not spans and name:
            spans = name_spans(facts.text, name)
        shown.append(passage_view(facts, marked_html(facts.text, spans),
                                  quotes=[q.text for q in quotes[passage]]))
    shown.sort(key=lambda item: (item["date"], item["document"]["title"], item["position"] or 0))
    return shown


_SUPPORTED = """
SELECT ?quote ?start ?end WHERE {
  ?x ikg:supportedBy $this ; ikg:quote ?quote .
  OPTIONAL { ?x ikg:quoteStart ?start } OPTIONAL { ?x ikg:quoteEnd ?end }
}
"""


def passage_with_quotes(iri: str) -> dict[str, Any] | None:
    """A passage with every span something was extracted from marked (a passage's own page)."""
    facts = passages([iri]).get(iri)
    if facts is None:
        return None
    quotes = [Quote(value(row["quote"]), _int(row["start"]), _int(row["end"]))
              for row in select(_SUPPORTED, this=iri)]
    spans = [span for quote in quotes if (span := quote_span(facts.text, quote))]
    return passage_view(facts, marked_html(facts.text, spans))


def passage_view(facts: PassageInfo, html: str, **extra: Any) -> dict[str, Any]:
    return {
        "iri": facts.iri, "url": browse_url(facts.iri), "position": facts.position,
        "document": {"iri": facts.document_iri, "title": facts.document_title or facts.document_iri,
                     "url": document_url(facts.document_iri)},
        "date": facts.date, "heading_path": list(facts.heading_path), "html": html, **extra,
    }


def _int(term: object) -> int | None:
    text = value(term)  # type: ignore[arg-type]
    return int(text) if text.lstrip("-").isdigit() else None
