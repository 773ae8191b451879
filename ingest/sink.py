"""The one interface through which ingest hands passages to the search side.

Ingest does not know how search stores passages; the composition root passes an object
that has these methods (search.SearchIndex does), or :class:`NullSink` to skip indexing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from kg.records import PassageRecord


class PassageSink(Protocol):
    def replace_document(self, document_iri: str, passages: Sequence[PassageRecord]) -> None:
        """Make the document's passages exactly these (none: the document is removed)."""

    def remove_document(self, document_iri: str) -> None: ...

    def flush(self) -> None:
        """Persist pending changes (atomically: temp files, then rename)."""

    def publish_to(self, folder: Path) -> None:
        """Write or hard-link the current index files into a generation folder being built."""


class NullSink:
    """Keeps nothing: for graph-only runs and for tests of the graph side."""

    def __init__(self) -> None:
        self.documents: dict[str, tuple[PassageRecord, ...]] = {}

    def replace_document(self, document_iri: str, passages: Sequence[PassageRecord]) -> None:
        self.documents[document_iri] = tuple(passages)

    def remove_document(self, document_iri: str) -> None:
        self.documents.pop(document_iri, None)

    def flush(self) -> None:
        return None

    def publish_to(self, folder: Path) -> None:
        return None
