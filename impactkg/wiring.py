"""Builds stores, readers and services from settings: the only place that wires packages together."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from impactkg.settings import Settings

if TYPE_CHECKING:  # ingest, search and Flask load only in the commands that need them
    from ingest.pipeline import Annotating, IngestOptions, IngestSummary
    from ingest.sink import PassageSink
    from ingest.sources import RawSource
from kg import GenerationReader, GraphStore, IriMinter, publish_generation
from kg.generations import Generation, GenerationWriter
from kg.namespaces import ONTOLOGY_GRAPH
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


def ingest_options(settings: Settings, **overrides: object) -> IngestOptions:
    from ingest.chunk import ChunkOptions
    from ingest.document import ReadOptions
    from ingest.fetch import DEFAULT_USER_AGENT, FetchOptions
    from ingest.pipeline import IngestOptions

    fetch = FetchOptions(
        user_agent=settings.user_agent or DEFAULT_USER_AGENT,
        timeout_s=settings.fetch_timeout_s, max_bytes=settings.fetch_max_bytes,
        allow_private=bool(overrides.pop("allow_private", False)) or settings.allow_private,
        per_host_delay_s=settings.fetch_per_host_delay_s,
    )
    return IngestOptions(
        read=ReadOptions(max_bytes=settings.fetch_max_bytes),
        chunk=ChunkOptions(min_words=settings.chunk_min_words, max_words=settings.chunk_max_words),
        fetch=fetch, max_pages=settings.crawl_max_pages, max_depth=settings.crawl_max_depth,
        cache_dir=settings.data_dir / "cache" / "http",
        **overrides,  # type: ignore[arg-type]
    )


def initialise(settings: Settings) -> tuple[int, Generation]:
    with open_writer(settings) as store:
        triples = load_standard_graphs(store)
        generation = publish(store, settings, summary={"reason": "init"})
    return triples, generation


def open_sink(settings: Settings) -> PassageSink:
    """The search side's writer for this data directory (NullSink until search is wired)."""
    from ingest.sink import NullSink

    return NullSink()


def open_annotator(settings: Settings) -> Annotating | None:
    return None


def run_ingest(
    settings: Settings,
    targets: list[str],
    options: IngestOptions,
    progress: Callable[[Iterable[RawSource], int], Iterable[RawSource]] | None = None,
) -> tuple[IngestSummary, Generation]:
    """Ingest the targets in the writer process and publish one generation at the end."""
    from ingest.pipeline import IngestPipeline

    with open_writer(settings) as store:
        if not store.has_graph(ONTOLOGY_GRAPH):
            load_standard_graphs(store)
        sink = open_sink(settings)
        annotator = open_annotator(settings)
        if annotator is not None:
            options = replace(options, annotator_version=annotator.version)
        pipeline = IngestPipeline(store, sink, minter(settings), options, annotator, progress)
        summary = pipeline.run(targets)
        generation = publish(store, settings, [sink.publish_to], summary={
            "reason": "ingest", "new": summary.count("new"), "changed": summary.count("changed"),
            "failed": summary.count("failed")})
    return summary, generation
