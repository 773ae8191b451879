"""Counts that describe the graph: quads, named graphs, instances per ontology class."""

from __future__ import annotations

from dataclasses import dataclass

from kg.backend import QueryableGraph
from kg.namespaces import IKG, ONTOLOGY_GRAPH

_INSTANCES_PER_CLASS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?class }}
  FILTER(?g != <{ONTOLOGY_GRAPH}> && STRSTARTS(STR(?class), "{IKG}"))
}} GROUP BY ?class ORDER BY DESC(?n) ?class
"""


@dataclass(frozen=True, slots=True)
class GraphStats:
    quads: int
    graphs: int
    instances: dict[str, int]  # local name of the ikg class -> count

    def as_dict(self) -> dict:
        return {"quads": self.quads, "graphs": self.graphs, "instances": dict(self.instances)}


def graph_stats(graph: QueryableGraph) -> GraphStats:
    result = graph.query(_INSTANCES_PER_CLASS)
    instances = {row[0].value[len(str(IKG)):]: int(row[1].value) for row in result.rows}
    return GraphStats(graph.quad_count(), len(graph.graph_iris()), instances)
