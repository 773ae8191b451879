"""Running SPARQL against an Oxigraph store and holding the result in a plain record."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from kg.errors import SparqlError, SparqlSyntaxError
from kg.namespaces import PREFIXES

ResultKind = TypingLiteral["select", "ask", "graph"]
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_COMMENT_OR_STRING = re.compile(
    r"#[^\n]*"  # comments
    r"|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''"  # long strings
    r"|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'"  # short strings
    r"|<[^<>\s]*>"  # IRIs
)


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The answer to one query: solutions, a boolean or triples."""

    kind: ResultKind
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool = False
    triples: tuple[ox.Triple, ...] = ()
    truncated: bool = False
    prefixes: dict[str, str] = field(default_factory=dict)


def check_query_allowed(sparql: str) -> None:
    """Refuse federated queries: a server must not be made to call other hosts."""
    code = _COMMENT_OR_STRING.sub(" ", sparql)
    if _SERVICE.search(code):
        raise SparqlError("SERVICE (federated query) is not allowed here")


def run_query(
    store: ox.Store,
    sparql: str,
    *,
    max_rows: int | None = None,
    substitutions: dict[str, Term] | None = None,
) -> QueryResult:
    """Evaluate ``sparql`` with the union of all graphs as default graph.

    The common prefixes (ikg, skos, prov, ...) are predeclared, so a query may use them
    without PREFIX lines. At most ``max_rows`` solutions or triples are kept.
    """
    check_query_allowed(sparql)
    bound = {ox.Variable(name): value for name, value in (substitutions or {}).items()}
    try:
        answer = store.query(
            sparql,
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
            substitutions=bound or None,
        )
    except SyntaxError as error:
        raise SparqlSyntaxError(f"SPARQL syntax error: {error}") from None
    except (OSError, ValueError, TypeError, RuntimeError) as error:
        raise SparqlError(f"SPARQL error: {error}") from None
    return _collect(answer, max_rows)


def _collect(answer: object, max_rows: int | None) -> QueryResult:
    try:
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(answer), prefixes=dict(PREFIXES))
        if isinstance(answer, ox.QuerySolutions):
            variables = tuple(v.value for v in answer.variables)
            rows: list[tuple[Term | None, ...]] = []
            for solution in answer:
                if max_rows is not None and len(rows) >= max_rows:
                    return QueryResult("select", variables, tuple(rows), truncated=True,
                                       prefixes=dict(PREFIXES))
                rows.append(tuple(solution[name] for name in variables))
            return QueryResult("select", variables, tuple(rows), prefixes=dict(PREFIXES))
        triples: list[ox.Triple] = []
        for triple in answer:  # type: ignore[attr-defined]
            if max_rows is not None and len(triples) >= max_rows:
                return QueryResult("graph", triples=tuple(triples), truncated=True,
                                   prefixes=dict(PREFIXES))
            triples.append(triple)
        return QueryResult("graph", triples=tuple(triples), prefixes=dict(PREFIXES))
    except (OSError, ValueError, TypeError) as error:  # raised lazily while iterating
        raise SparqlError(f"SPARQL error: {error}") from None


class StoreGraph:
    """A :class:`kg.backend.QueryableGraph` over an open Oxigraph store (read-only use)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def query(
        self, sparql: str, *, max_rows: int | None = None,
        substitutions: dict[str, Term] | None = None,
    ) -> QueryResult:
        return run_query(self.store, sparql, max_rows=max_rows, substitutions=substitutions)

    def graph_iris(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def quad_count(self) -> int:
        return len(self.store)
