"""Exporting the dataset (all graphs or one) as TriG, N-Quads or Turtle.

Quads stream from the store to the output one at a time: memory does not grow with the
dataset. The one exception is Turtle of all graphs together (it has no named graphs): a
triple found in several graphs is written once, so the store's query engine keeps the set
of distinct triples while it runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO, TypeVar

import pyoxigraph as ox

from kg.namespaces import PREFIXES

EXPORT_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                  "turtle": ox.RdfFormat.TURTLE}

_DISTINCT_TRIPLES = (
    "SELECT DISTINCT ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")

_T = TypeVar("_T")


class _Counted:
    """Passes items through and counts them."""

    def __init__(self, items: Iterable[_T]) -> None:
        self._items = items
        self.count = 0

    def __iter__(self) -> Iterator[_T]:
        for item in self._items:
            self.count += 1
            yield item


def export_dataset(
    store: ox.Store, output: BinaryIO, fmt: str, graph_iri: str | None = None
) -> int:
    """Write the quads (or one graph's triples) to ``output``; returns how many were written.

    Turtle has no named graphs: it gets the union of all graphs unless a graph is named.
    """
    rdf_format = EXPORT_FORMATS[fmt]
    graph = ox.NamedNode(graph_iri) if graph_iri else None
    if rdf_format is ox.RdfFormat.TURTLE:
        triples = _Counted(_graph_triples(store, graph) if graph is not None
                           else _distinct_triples(store))
        ox.serialize(triples, output, rdf_format, prefixes=PREFIXES)
        return triples.count
    quads = _Counted(store.quads_for_pattern(None, None, None, graph))
    prefixes = PREFIXES if rdf_format is ox.RdfFormat.TRIG else None
    ox.serialize(quads, output, rdf_format, prefixes=prefixes)
    return quads.count


def _graph_triples(store: ox.Store, graph: ox.NamedNode) -> Iterator[ox.Triple]:
    for quad in store.quads_for_pattern(None, None, None, graph):
        yield ox.Triple(quad.subject, quad.predicate, quad.object)


def _distinct_triples(store: ox.Store) -> Iterator[ox.Triple]:
    for solution in store.query(_DISTINCT_TRIPLES):
        yield ox.Triple(solution["s"], solution["p"], solution["o"])
