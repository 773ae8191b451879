"""Records shared by ingest (which makes them) and search (which indexes them)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PassageRecord:
    """One passage of a document, as handed from ingest to the search side.

    ``facets`` holds filter values taken from the graph, keyed by facet name
    (``deal``, ``doc_type``, ``stage``, ``phase``, ``site``; lists of IRIs or strings) and
    ``date`` (ISO date string or empty).
    """

    iri: str
    document_iri: str
    position: int
    text: str
    heading_path: tuple[str, ...] = ()
    document_title: str = ""
    document_url: str = ""
    document_date: str = ""
    start_char: int = 0
    end_char: int = 0
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
