"""The record a search returns for each passage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from search.highlight import render_html, spans_for_query
from search.store import StoredPassage


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One passage found by a search, with its document and how each ranker scored it.

    ``highlighted`` is the passage text as HTML (escaped) with the query's matched
    words in ``<mark>`` ("" when the search was asked not to highlight). A ranker's
    score is None when that ranker did not run (the other mode); its rank is None when
    the passage was not in its candidate list.
    ``rank`` is 1 for the best hit. ``facets`` are the passage's facet values (deal,
    doc_type, stage, phase, site, ...) and ``date`` the date it is filtered on, so a caller
    can count facet values over the hits.
    """

    passage_iri: str
    document_iri: str
    text: str
    highlighted: str
    document_title: str
    document_url: str
    document_date: str
    deals: tuple[str, ...]
    position: int
    heading_path: tuple[str, ...]
    keyword_score: float | None
    vector_score: float | None
    keyword_rank: int | None
    vector_rank: int | None
    fused_score: float
    rank: int
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (tuples become lists)."""
        data = asdict(self)
        data["deals"] = list(self.deals)
        data["heading_path"] = list(self.heading_path)
        data["facets"] = {name: list(values) for name, values in self.facets.items()}
        return data


def hit_from_row(
    row: StoredPassage,
    query: str,
    *,
    rank: int,
    fused_score: float,
    keyword_score: float | None,
    vector_score: float | None,
    keyword_rank: int | None,
    vector_rank: int | None,
    highlight: bool = True,
) -> SearchHit:
    """The hit for a stored passage: its fields, the highlighted text and the ranker scores."""
    return SearchHit(
        passage_iri=row.iri,
        document_iri=row.document_iri,
        text=row.text,
        highlighted=render_html(row.text, spans_for_query(row.text, query)) if highlight else "",
        document_title=row.document_title,
        document_url=row.document_url,
        document_date=row.document_date,
        deals=tuple(row.facets.get("deal", ())),
        position=row.position,
        heading_path=row.heading_path,
        keyword_score=keyword_score,
        vector_score=vector_score,
        keyword_rank=keyword_rank,
        vector_rank=vector_rank,
        fused_score=fused_score,
        rank=rank,
        facets=dict(row.facets),
        date=row.date,
    )


__all__ = ["SearchHit", "hit_from_row"]
