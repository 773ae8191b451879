"""What every graph backend offers: readers (the embedded generation reader, the writer's store,
a remote SPARQL endpoint) and writers (the embedded :class:`kg.store.GraphStore` and
:class:`kg.remote.RemoteGraphStore`).

tests/test_kg_contract.py holds the one contract test class that every writer passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from kg.query import QueryDataset, QueryResult, Term
from kg.terms import Triple


class QueryableGraph(Protocol):
    def query(
        self, sparql: str, *, max_rows: int | None = None,
        substitutions: dict[str, Term] | None = None, dataset: QueryDataset | None = None,
    ) -> QueryResult: ...

    def graph_iris(self) -> list[str]: ...

    def quad_count(self) -> int: ...


class GraphBatch(Protocol):
    """Writes collected inside ``with writer.batch() as batch:``; all or none are applied."""

    triples_written: int

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> None: ...

    def drop_graph(self, graph_iri: str) -> None: ...


class GraphWriter(Protocol):
    """A store the writing process changes, one named graph at a time.

    ``batch()`` applies nothing when its block raises. ``graph_iris`` and ``quad_count``
    cover the user's named graphs only (not an endpoint's own system graphs).
    """

    def batch(self) -> AbstractContextManager[GraphBatch]: ...

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> int: ...

    def drop_graph(self, graph_iri: str) -> None: ...

    def graph_iris(self) -> list[str]: ...

    def has_graph(self, graph_iri: str) -> bool: ...

    def query(self, sparql: str) -> QueryResult: ...

    def quad_count(self) -> int: ...

    def close(self) -> None: ...


class PublishingWriter(GraphWriter, Protocol):
    """The writer of a data directory, which publishes generations (kg.generations).

    ``checkpoint(folder)`` writes the read-only copy of the graph that a generation carries
    and returns True; a store whose graph lives elsewhere (a remote endpoint, which does its
    own isolation) writes nothing and returns False: its generations hold the indexes only.
    """

    data_dir: Path

    def checkpoint(self, target: Path) -> bool: ...


class SingleWrites:
    """``replace_graph`` and ``drop_graph`` as one-operation batches, for any writer with ``batch()``."""

    def batch(self) -> AbstractContextManager[GraphBatch]:
        raise NotImplementedError

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> int:
        with self.batch() as pending:
            pending.replace_graph(graph_iri, triples)
        return pending.triples_written

    def drop_graph(self, graph_iri: str) -> None:
        with self.batch() as pending:
            pending.drop_graph(graph_iri)
