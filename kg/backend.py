"""What every graph backend offers readers (the embedded generation reader, the writer's store,
later a remote SPARQL endpoint)."""

from __future__ import annotations

from typing import Protocol

from kg.query import QueryResult, Term


class QueryableGraph(Protocol):
    def query(
        self, sparql: str, *, max_rows: int | None = None,
        substitutions: dict[str, Term] | None = None,
    ) -> QueryResult: ...

    def graph_iris(self) -> list[str]: ...

    def quad_count(self) -> int: ...
