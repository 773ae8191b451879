"""Exporting the dataset (all graphs or one) as TriG, N-Quads or Turtle."""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from kg.namespaces import PREFIXES

EXPORT_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                  "turtle": ox.RdfFormat.TURTLE}


def export_dataset(
    store: ox.Store, output: BinaryIO, fmt: str, graph_iri: str | None = None
) -> int:
    """Write the quads (or one graph's triples) to ``output``; returns how many were written.

    Turtle has no named graphs: it gets the union of all graphs unless a graph is named.
    """
    rdf_format = EXPORT_FORMATS[fmt]
    graph = ox.NamedNode(graph_iri) if graph_iri else None
    quads = list(store.quads_for_pattern(None, None, None, graph))
    if rdf_format is ox.RdfFormat.TURTLE:
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        ox.serialize(sorted(triples, key=str), output, rdf_format, prefixes=PREFIXES)
        return len(triples)
    prefixes = PREFIXES if rdf_format is ox.RdfFormat.TRIG else None
    ox.serialize(quads, output, rdf_format, prefixes=prefixes)
    return len(quads)
