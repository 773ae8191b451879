"""What the web app needs from the layers below, handed to it by the composition root.

The app never builds stores, indexes or embedders itself (that needs settings, which only
``impactkg`` reads); ``impactkg.wiring`` implements :class:`Services` and passes it to
:func:`webapp.create_app`. Tests build the same object through the same wiring.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from kg.backend import QueryableGraph
from kg.encoded import EncodedResult
from kg.pool import QueryRequest
from kg.query import QueryResult, Term
from kg.snapshots import Snapshot
from search import SearchIndex


@dataclass(frozen=True, slots=True)
class Limits:
    """The settings the web app enforces (see docs/settings.md for each)."""

    max_returned_rows: int = 10_000
    sparql_time_limit_ms: int = 10_000
    search_default_k: int = 10
    dataset_licence: str = ""  # licence IRI published in /.well-known/void ("" = not stated)


@dataclass(frozen=True, slots=True)
class ReadResources:
    """Everything a request reads, all from one generation.

    ``search`` is None when the generation has no search index (a graph without documents);
    ``answerer`` is the question-answering service for this generation.
    """

    graph: QueryableGraph
    search: SearchIndex | None = None
    answerer: Any = None


class Services(Protocol):
    limits: Limits
    base_iri: str  # where instances are minted (links to the resource browser start here)

    def snapshot(self) -> AbstractContextManager[Snapshot[ReadResources]]:
        """The newest generation, pinned until the block ends (one per request)."""
        ...

    def sparql(
        self, sparql: str, *, max_rows: int | None = None,
        substitutions: dict[str, Term] | None = None,
    ) -> QueryResult:
        """Run a query over the newest generation within the SPARQL time limit."""
        ...

    def run_sparql(self, request: QueryRequest) -> EncodedResult:
        """The same, answered as bytes (the SPARQL endpoint serialises them without decoding).

        ``request`` carries the protocol's dataset (default-graph-uri, named-graph-uri).
        Raises kg's QueryTimeoutError at the limit and PoolBusyError when every worker
        stayed busy; both become HTTP errors in webapp.errors.
        """
        ...

    def close(self) -> None: ...
