"""Running SPARQL against an Oxigraph store and holding the result in a plain record."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from kg.errors import SparqlError, SparqlSyntaxError
from kg.namespaces import PREFIXES
from kg.sparqltext import names_dataset

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


@dataclass(frozen=True, slots=True)
class QueryDataset:
    """The RDF dataset of a query, as the SPARQL protocol names it.

    ``default_graphs`` (``default-graph-uri``) are merged into the default graph;
    ``named_graphs`` (``named-graph-uri``) are the graphs ``GRAPH`` can reach. When either is
    given the dataset is exactly that, as the protocol says, and the query's own ``FROM``
    clauses are overridden. An empty dataset means: the query's ``FROM`` clauses if it has
    them, otherwise the union of all named graphs as default graph.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def evaluate(
    store: ox.Store,
    sparql: str,
    *,
    substitutions: dict[str, Term] | None = None,
    dataset: QueryDataset | None = None,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Start evaluating ``sparql``: the lazy answer of the engine, errors as :class:`SparqlError`.

    Errors can still be raised while the answer is read; callers map those too.
    """
    check_query_allowed(sparql)
    bound = {ox.Variable(name): value for name, value in (substitutions or {}).items()}
    try:
        return store.query(sparql, prefixes=PREFIXES, substitutions=bound or None,
                           **_dataset_options(sparql, dataset))
    except SyntaxError as error:
        raise SparqlSyntaxError(f"SPARQL syntax error: {error}") from None
    except (OSError, ValueError, TypeError, RuntimeError) as error:
        raise SparqlError(f"SPARQL error: {error}") from None


def _dataset_options(sparql: str, dataset: QueryDataset | None) -> dict[str, object]:
    if dataset:
        try:
            return {"default_graph": [ox.NamedNode(g) for g in dataset.default_graphs],
                    "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs]}
        except ValueError as error:
            raise SparqlError(f"not a graph IRI: {error}") from None
    if names_dataset(sparql):  # Oxigraph ignores FROM when the union flag is set
        return {}
    return {"use_default_graph_as_union": True}


def run_query(
    store: ox.Store,
    sparql: str,
    *,
    max_rows: int | None = None,
    substitutions: dict[str, Term] | None = None,
    dataset: QueryDataset | None = None,
) -> QueryResult:
    """Evaluate ``sparql`` with the union of all graphs as default graph.

    The common prefixes (ikg, skos, prov, ...) are predeclared, so a query may use them
    without PREFIX lines. At most ``max_rows`` solutions or triples are kept.
    ``substitutions`` bind variables to RDF terms (SEP-0007: a bound variable must be in
    the SELECT projection).
    """
    answer = evaluate(store, sparql, substitutions=substitutions, dataset=dataset)
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
    except (OSError, ValueError, TypeError, RuntimeError) as error:  # raised lazily while iterating
        raise SparqlError(f"SPARQL error: {error}") from None


class StoreGraph:
    """A :class:`kg.backend.QueryableGraph` over an open Oxigraph store (read-only use)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def query(
        self, sparql: str, *, max_rows: int | None = None,
        substitutions: dict[str, Term] | None = None, dataset: QueryDataset | None = None,
    ) -> QueryResult:
        return run_query(self.store, sparql, max_rows=max_rows, substitutions=substitutions,
                         dataset=dataset)

    def graph_iris(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def quad_count(self) -> int:
        return len(self.store)
