"""What the web app needs from the layers below, handed to it by the composition root.

The app never builds stores, indexes or embedders itself (that needs settings, which only
``impactkg`` reads); ``impactkg.wiring`` implements :class:`Services` and passes it to
:func:`webapp.create_app`. Tests build the same object through the same wiring.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from kg.backend import QueryableGraph
from kg.encoded import EncodedResult
from kg.namespaces import DEFAULT_BASE_IRI
from kg.pool import QueryRequest
from kg.query import QueryResult, Term
from kg.snapshots import Snapshot
from search import SearchIndex

if TYPE_CHECKING:
    from search import SearchFilters

T = TypeVar("T")


class AnswersQuestions(Protocol):
    """What the ask page needs: ``ask.Answerer.answer`` (``Answer.to_dict()`` is what it shows)."""

    def answer(self, question: str, mode: str = "hybrid", filters: SearchFilters | None = None) -> Any: ...


@dataclass(frozen=True, slots=True)
class RequestLimits:
    """How large a request may be before it is refused with 413 (webapp.guard checks them)."""

    max_body_bytes: int = 1_000_000
    max_query_string_bytes: int = 65_536
    max_parameters: int = 200
    max_parameter_chars: int = 2_000  # one value; the SPARQL text has its own limit
    max_sparql_chars: int = 50_000
    max_search_chars: int = 500
    max_question_chars: int = 500


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Requests per minute one client may make on the expensive routes (0 = no limit).

    ``burst`` requests of a kind may come at once; after that they are spread at the rate.
    ``trusted_proxy_hops`` is how many proxies in front of the app append to X-Forwarded-For
    (0: the client is the peer address and the header is ignored).
    """

    search_per_minute: int = 120
    ask_per_minute: int = 20
    sparql_per_minute: int = 60
    burst: int = 10
    trusted_proxy_hops: int = 0


@dataclass(frozen=True, slots=True)
class Limits:
    """The settings the web app enforces (see docs/settings.md for each).

    ``base_iri`` is where instances are minted: ``/id/<path>`` on this server stands for
    ``<base_iri><path>``.
    """

    max_returned_rows: int = 10_000
    sparql_time_limit_ms: int = 10_000
    search_default_k: int = 10
    base_iri: str = DEFAULT_BASE_IRI  # where instances are minted (links to /id/… start here)
    dataset_licence: str = ""  # licence IRI published in /.well-known/void ("" = not stated)
    requests: RequestLimits = RequestLimits()
    rates: RateLimits = RateLimits()


class Memo:
    """Values computed once per generation (counts, the lessons table, facet labels).

    A generation never changes, so what is derived from it can be kept until the generation
    is closed. Two threads may compute the same value at once; the later one wins, which is
    harmless because both computed it from the same data.
    """

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
        return value


@dataclass(frozen=True, slots=True)
class ReadResources:
    """Everything a request reads, all from one generation.

    ``search`` is None when the generation has no search index (a graph without documents);
    ``answerer`` answers questions over this generation (None without a search index; the
    composition root may build it on first use);
    ``memo`` keeps what pages derive from the generation.
    """

    graph: QueryableGraph
    search: SearchIndex | None = None
    answerer: AnswersQuestions | None = None
    memo: Memo = field(default_factory=Memo)


class Services(Protocol):
    """``limits`` are the settings the app enforces; ``snapshot()`` pins one generation."""

    limits: Limits

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
