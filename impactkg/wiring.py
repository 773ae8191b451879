"""Builds stores, readers and services from settings: the only place that wires packages together."""

from __future__ import annotations

from pathlib import Path

from impactkg.settings import Settings
from kg import GenerationReader, GraphStore, IriMinter, publish_generation
from kg.generations import Generation, GenerationWriter
from kg.ontology import standard_graphs
from kg.store import STORE_FOLDER


def minter(settings: Settings) -> IriMinter:
    return IriMinter(settings.base_iri)


def open_writer(settings: Settings) -> GraphStore:
    return GraphStore(settings.data_dir)


def open_reader(settings: Settings) -> GenerationReader:
    return GenerationReader(settings.data_dir)


def is_initialised(data_dir: Path) -> bool:
    return (data_dir / STORE_FOLDER).is_dir()


def load_standard_graphs(store: GraphStore) -> int:
    """(Re)load the ontology, shapes, alignments and reference data graphs in one transaction."""
    with store.batch() as batch:
        for graph_iri, graph in standard_graphs():
            batch.replace_graph(graph_iri, graph)
    return batch.triples_written


def publish(store: GraphStore, settings: Settings, writers: list[GenerationWriter] | None = None,
            summary: dict | None = None) -> Generation:
    return publish_generation(store, writers or [], keep=settings.keep_generations, summary=summary)


def initialise(settings: Settings) -> tuple[int, Generation]:
    with open_writer(settings) as store:
        triples = load_standard_graphs(store)
        generation = publish(store, settings, summary={"reason": "init"})
    return triples, generation
