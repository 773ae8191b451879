"""Whether a search index and a graph hold the same passages (after a crash, a kill, a repair).

Every passage the index holds must be a passage of the graph with the same text, and every
passage of the graph must be in the index. Texts are compared by hash, so the check holds
one short string per passage, not the corpus.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kg.backend import QueryableGraph
from search.index import SearchIndex

_GRAPH_PASSAGES = "SELECT ?p ?text WHERE { ?p a ikg:Passage ; ikg:text ?text }"


@dataclass(frozen=True, slots=True)
class IndexAgreement:
    """What a graph and a search index disagree about (nothing, when :attr:`agrees`)."""

    graph_passages: int
    index_passages: int
    only_in_index: tuple[str, ...]
    only_in_graph: tuple[str, ...]
    text_differs: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        return not (self.only_in_index or self.only_in_graph or self.text_differs)

    def line(self) -> str:
        """One line for a person: the counts, and the first disagreement of each kind."""
        if self.agrees:
            return (f"index and graph agree: {self.index_passages} passages")
        parts = [f"{len(found)} {what} (e.g. {found[0]})" for what, found in (
            ("indexed passages missing from the graph", self.only_in_index),
            ("graph passages missing from the index", self.only_in_graph),
            ("passages whose indexed text differs from the graph", self.text_differs))
            if found]
        return "index and graph disagree: " + "; ".join(parts)


def check_index_against_graph(graph: QueryableGraph, index: SearchIndex | None) -> IndexAgreement:
    """Compare the passages (IRI and text) of ``graph`` and ``index`` (None: an empty index)."""
    in_graph = {row[0].value: _digest(row[1].value)
                for row in graph.query(_GRAPH_PASSAGES).rows}
    in_index: dict[str, bytes] = {}
    if index is not None:
        in_index = {iri: _digest(text) for iri, text in index.passage_texts()}
    return IndexAgreement(
        graph_passages=len(in_graph),
        index_passages=len(in_index),
        only_in_index=tuple(sorted(in_index.keys() - in_graph.keys())),
        only_in_graph=tuple(sorted(in_graph.keys() - in_index.keys())),
        text_differs=tuple(sorted(iri for iri in in_index.keys() & in_graph.keys()
                                  if in_index[iri] != in_graph[iri])),
    )


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
