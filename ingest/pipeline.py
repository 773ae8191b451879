"""The ingest pipeline: sources → documents → passages (+ annotations) → graph and search.

Steps run in a fixed order for every source: read bytes, skip if unchanged, extract, clean
with the site's template, chunk, annotate, then write the document's named graph and hand
its passages to the sink. Writes are committed in batches: the sink is flushed first, then
the graph batch is applied in one transaction, so a crash in between only means the next
run processes those documents again. Bad sources are reported, never fatal.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

from ingest.chunk import ChunkOptions, chunk_document
from ingest.document import MEDIA_HTML, ExtractedDocument, ReadOptions, guess_doc_type
from ingest.fetch import FetchOptions, HostRateLimiter, fetch_url
from ingest.free_memory import release_free_memory
from ingest.http_cache import HttpCache
from ingest.read import read_bytes
from ingest.sink import PassageSink
from ingest.sources import RawSource, is_url, iter_local, local_files, raw_from_fetch, read_local
from ingest.spill import Spill
from ingest.template import PageBlocks, SiteTemplate
from kg import GraphStore, IriMinter
from kg.builders import DocumentFacts, PassageFacts, document_triples, passage_triples
from kg.passages import records_from_triples
from kg.records import PassageRecord
from kg.terms import Triple

log = logging.getLogger(__name__)

INGEST_VERSION = "2"  # 2: prose that opens like "Deze City Deal ..." is no longer an about-line

Status = Literal["new", "changed", "unchanged", "failed", "pruned", "skipped"]


@dataclass(frozen=True, slots=True)
class IngestOptions:
    read: ReadOptions = field(default_factory=ReadOptions)
    chunk: ChunkOptions = field(default_factory=ChunkOptions)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    crawl: bool = False
    max_pages: int = 50
    max_depth: int = 2
    prune: bool = False
    force: bool = False
    commit_every: int = 25  # documents per graph transaction: at most this much work a kill loses
    template_max_pages: int = 2000  # pages per site that template learning keeps in memory
    cache_dir: Path | None = None
    spill_dir: Path | None = None  # where read documents wait for their batch (None: temp dir)
    annotator_version: str = ""

    @property
    def content_version(self) -> str:
        """What changes documents and passages; a different value reads the source again."""
        return f"ingest-{INGEST_VERSION}/chunk-{self.chunk.min_words}-{self.chunk.max_words}"

    @property
    def extractor_version(self) -> str:
        """The content version plus the annotator's (see ingest.reannotate)."""
        if not self.annotator_version:
            return self.content_version
        return f"{self.content_version}{ANNOTATE_MARK}{self.annotator_version}"


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    source: str
    status: Status
    passages: int = 0
    message: str = ""
    document_iri: str = ""


@dataclass(frozen=True, slots=True)
class IngestSummary:
    outcomes: tuple[SourceOutcome, ...]
    reannotated: int = 0

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def passages_added(self) -> int:
        return sum(o.passages for o in self.outcomes if o.status in ("new", "changed"))

    @property
    def changed_anything(self) -> bool:
        """Whether the run wrote to the graph or the index (else nothing needs publishing)."""
        return self.reannotated > 0 or any(
            o.status in ("new", "changed", "pruned") for o in self.outcomes)

    @property
    def failed(self) -> tuple[SourceOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")

    def line(self) -> str:
        return (f"nieuw/new {self.count('new')}, gewijzigd/changed {self.count('changed')}, "
                f"ongewijzigd/unchanged {self.count('unchanged')}, mislukt/failed "
                f"{self.count('failed')}, overgeslagen/skipped {self.count('skipped')}, "
                f"verwijderd/pruned {self.count('pruned')}, "
                f"passages {self.passages_added}"
                + (f", opnieuw geannoteerd/re-annotated {self.reannotated}" if self.reannotated
                   else ""))


class Annotating:
    """What the pipeline needs of an annotator (ingest.annotate.Annotator has it)."""

    version: str

    def annotate(self, document: DocumentFacts, passages: Sequence[PassageFacts],
                 deal_names: Sequence[str]) -> Iterable[Triple]: ...


@dataclass(frozen=True, slots=True)
class _Known:
    content_hash: str
    extractor_version: str


class IngestPipeline:
    """Runs the steps above for a list of targets (paths, URLs)."""

    def __init__(
        self,
        store: GraphStore,
        sink: PassageSink,
        minter: IriMinter,
        options: IngestOptions,
        annotator: Annotating | None = None,
        progress: Callable[[Iterable[RawSource], int], Iterable[RawSource]] | None = None,
    ) -> None:
        self.store = store
        self.sink = sink
        self.minter = minter
        self.options = options
        self.annotator = annotator
        self.progress = progress
        self._cache = HttpCache(options.cache_dir) if options.cache_dir else None
        self._limiter = HostRateLimiter(options.fetch.per_host_delay_s)

    # -- sources -------------------------------------------------------------------------

    @property
    def _revalidating_cache(self) -> HttpCache | None:
        """The cache for conditional requests; --force fetches everything in full."""
        return None if self.options.force else self._cache

    def collect(self, target: str) -> tuple[Iterable[RawSource], list[SourceOutcome]]:
        """The raw sources a target names (a folder's files are read one at a time, as the
        caller iterates), or an outcome saying why there are none."""
        if is_url(target):
            if self.options.crawl:
                from ingest.crawl import CrawlOptions, crawl_problem, crawl_site

                crawl_options = CrawlOptions(max_pages=self.options.max_pages,
                                             max_depth=self.options.max_depth,
                                             fetch=self.options.fetch)
                fetched, problems = [], []
                for item in crawl_site(target, crawl_options, self._revalidating_cache,
                                       limiter=self._limiter):
                    status, reason = crawl_problem(item)
                    if status:
                        problems.append(SourceOutcome(item.url, status, message=reason))
                    elif item.result is not None:
                        fetched.append(raw_from_fetch(item.result, item.links))
                return fetched, problems
            result = fetch_url(target, self.options.fetch, self._revalidating_cache,
                               limiter=self._limiter)
            return [raw_from_fetch(result)], []
        path = Path(target)
        if not path.exists():
            return [], [SourceOutcome(target, "failed", message="no such file or folder")]
        return iter_local(path, self.options.read.max_bytes), []

    # -- the run -------------------------------------------------------------------------

    def run(self, targets: Sequence[str]) -> IngestSummary:
        """Read and extract source by source into a spill file, learn the site templates,
        then clean, annotate and write batch by batch: memory holds one batch (and what
        template learning keeps per site), never the corpus."""
        outcomes: list[SourceOutcome] = []
        seen: set[str] = set()
        known = self._known_documents()
        with Spill(self.options.spill_dir) as read, Spill(self.options.spill_dir) as learn_only:
            learning = _SiteLearning(self.options.template_max_pages)
            for raw in self._sources(targets, outcomes):
                seen.add(raw.source)
                changed = self._read_one(raw, known, outcomes)
                if changed is not None:
                    read.add(changed)
                    learning.add(raw.group, changed[1])
                elif _may_teach(raw, outcomes):
                    learn_only.add(_learn_only(raw))
            templates = self._learn_templates(learning, learn_only)
            pending: list[tuple[RawSource, ExtractedDocument]] = []
            for raw, document in read:
                template = templates.get(raw.group)
                if template is not None and document.media_type == MEDIA_HTML:
                    document = template.clean(document)
                pending.append((raw, document))
                if len(pending) >= self.options.commit_every:
                    outcomes.extend(self._write(pending, known))
                    pending = []
            outcomes.extend(self._write(pending, known))
        if self.options.prune:
            outcomes.extend(self._prune(targets, seen))
        return IngestSummary(tuple(outcomes))

    def _sources(self, targets: Sequence[str], outcomes: list[SourceOutcome]) -> Iterator[RawSource]:
        """Every target's raw sources, one at a time, wrapped in the progress bar if any."""
        collected = []
        for target in targets:
            found, problems = self.collect(target)
            collected.append(found)
            outcomes.extend(problems)
        raws: Iterable[RawSource] = itertools.chain.from_iterable(collected)
        if self.progress is not None:
            raws = self.progress(raws, sum(_expected_count(t) for t in targets))
        yield from raws

    def _known_documents(self) -> dict[str, _Known]:
        rows = self.store.query(
            "SELECT ?doc ?hash ?version WHERE { ?doc a ikg:Document ; ikg:contentHash ?hash ; "
            "ikg:extractorVersion ?version }").rows
        return {doc.value: _Known(h.value, v.value) for doc, h, v in rows}

    def _read_one(
        self, raw: RawSource, known: dict[str, _Known], outcomes: list[SourceOutcome]
    ) -> tuple[RawSource, ExtractedDocument] | None:
        """The source and its document if it changed; else None, with an outcome saying why."""
        doc_iri = self.minter.document(raw.source)
        if raw.error:
            outcomes.append(SourceOutcome(raw.source, "failed", message=raw.error))
            return None
        previous = known.get(doc_iri)
        same_reading = previous is not None and (
            content_version(previous.extractor_version) == self.options.content_version)
        if same_reading and not self.options.force and (
                raw.not_modified or previous.content_hash == content_hash(raw.body)):
            # a new annotator alone does not need the source: run_ingest re-annotates
            outcomes.append(SourceOutcome(raw.source, "unchanged", document_iri=doc_iri))
            return None
        if raw.not_modified:  # stored with another reader, or lost: fetch it in full
            raw = raw_from_fetch(fetch_url(raw.url, self.options.fetch, None,
                                           limiter=self._limiter), raw.links)
            if raw.error:
                outcomes.append(SourceOutcome(raw.source, "failed", message=raw.error))
                return None
        outcome = read_bytes(raw.body, raw.source, raw.media_type, self.options.read)
        if outcome.document is None:  # a listing page without text is no failure
            status: Status = "skipped" if outcome.no_text else "failed"
            outcomes.append(SourceOutcome(raw.source, status, message=outcome.skipped_reason))
            return None
        return raw, outcome.document

    def _learn_templates(self, learning: _SiteLearning, learn_only: Spill) -> dict[str, SiteTemplate]:
        """Each changed site's template, learnt from its pages (changed or not).

        Unchanged pages of a site with a changed page are read again, for learning only; a
        site where nothing changed costs nothing.
        """
        for raw in learn_only:
            if not learning.wants(raw.group):
                continue
            if not raw.body:  # a local file: read it again rather than keep it
                raw = read_local(Path(url2pathname(urlsplit(raw.source).path)),
                                 self.options.read.max_bytes, raw.group)
                if raw.error:
                    continue
            outcome = read_bytes(raw.body, raw.source, raw.media_type, self.options.read)
            if outcome.document is not None:
                learning.add(raw.group, outcome.document, changed=False)
        return learning.templates()

    def _write(
        self, batch: list[tuple[RawSource, ExtractedDocument]], known: dict[str, _Known]
    ) -> list[SourceOutcome]:
        if not batch:
            return []
        outcomes = []
        with self.store.batch() as graph_batch:
            for raw, document in batch:
                doc_iri = self.minter.document(raw.source)
                try:
                    triples, records = self._document_graph(raw, document, doc_iri)
                except Exception as error:  # one bad document never stops the batch
                    log.exception("failed to build the graph of %s", raw.source)
                    outcomes.append(SourceOutcome(raw.source, "failed",
                                                  message=f"{type(error).__name__}: {error}"))
                    continue
                graph_batch.replace_graph(self.minter.document_graph(doc_iri), triples)
                self.sink.replace_document(doc_iri, records)
                status: Status = "changed" if doc_iri in known else "new"
                outcomes.append(SourceOutcome(raw.source, status, len(records), document_iri=doc_iri))
            self.sink.flush()  # before the graph commits: see the module docstring
        if self._cache is not None:
            for raw, _ in batch:
                if raw.fetch_result is not None:
                    self._cache.remember(raw.fetch_result, links=raw.links)
        release_free_memory()  # see ingest/free_memory.py: a long ingest held ever more free
        return outcomes

    def _document_graph(
        self, raw: RawSource, document: ExtractedDocument, doc_iri: str
    ) -> tuple[list[Triple], list[PassageRecord]]:
        chunks = chunk_document(document.blocks, self.options.chunk)
        facts = DocumentFacts(
            iri=doc_iri, source=raw.source, title=document.title,
            content_hash=content_hash(raw.body), extractor_version=self.options.extractor_version,
            fetched_at=raw.fetched_at, doc_type=document_type(document, raw), url=raw.url,
            date=document.date, author=document.author, language=document.language,
            site=raw.site, tags=document.tags, deal_names=document.deal_names,
        )
        passages = [PassageFacts(self.minter.passage(doc_iri, c.position), c.position, c.text,
                                 tuple(c.heading_path), c.start_char, c.end_char) for c in chunks]
        triples = list(document_triples(facts))
        triples.extend(passage_triples(doc_iri, passages))
        if self.annotator is not None:
            triples.extend(self.annotator.annotate(facts, passages, document.deal_names))
        return triples, records_from_triples(doc_iri, triples)

    def _prune(self, targets: Sequence[str], seen: set[str]) -> list[SourceOutcome]:
        folders = [Path(t).resolve().as_uri() + "/" for t in targets
                   if not is_url(t) and Path(t).is_dir()]
        if not folders:
            return []
        rows = self.store.query(
            "SELECT ?doc ?src WHERE { ?doc a ikg:Document ; prov:hadPrimarySource ?src }").rows
        outcomes = []
        with self.store.batch() as graph_batch:
            for doc, src in rows:
                if src.value in seen or not any(src.value.startswith(f) for f in folders):
                    continue
                graph_batch.drop_graph(self.minter.document_graph(doc.value))
                self.sink.remove_document(doc.value)
                outcomes.append(SourceOutcome(src.value, "pruned", document_iri=doc.value))
            self.sink.flush()
        return outcomes


class _SiteLearning:
    """The pages each site's template is learnt from: at most ``max_pages`` per site, as
    ``(source, prose blocks)``, so memory is bounded per site (a bigger site is learnt from
    its first ``max_pages`` pages: changed ones first, then unchanged ones)."""

    def __init__(self, max_pages: int) -> None:
        self.max_pages = max_pages
        self._pages: dict[str, list[PageBlocks]] = defaultdict(list)

    def add(self, group: str, document: ExtractedDocument, changed: bool = True) -> None:
        if document.media_type != MEDIA_HTML or (not changed and not self.wants(group)):
            return
        pages = self._pages[group]
        if len(pages) < self.max_pages:
            pages.append((document.source, tuple(b for b in document.blocks if b.kind != "heading")))

    def wants(self, group: str) -> bool:
        """Whether pages of this site are still learnt from (it has a changed page, room left)."""
        return 0 < len(self._pages.get(group, ())) < self.max_pages

    def templates(self) -> dict[str, SiteTemplate]:
        return {group: SiteTemplate.learn(pages) for group, pages in self._pages.items()
                if len(pages) > 1}


def _may_teach(raw: RawSource, outcomes: list[SourceOutcome]) -> bool:
    """Whether an unchanged source may still teach its site's template."""
    return (bool(raw.body) and not raw.error and raw.media_type == MEDIA_HTML
            and bool(outcomes) and outcomes[-1].source == raw.source
            and outcomes[-1].status == "unchanged")


def _learn_only(raw: RawSource) -> RawSource:
    """What the learn-only spill keeps of a source: a local file is read again when needed."""
    if raw.source.startswith("file:"):
        return replace(raw, body=b"", fetch_result=None)
    return replace(raw, fetch_result=None)


def _expected_count(target: str) -> int:
    """How many sources a target will likely give, for the progress bar only."""
    if is_url(target):
        return 1
    path = Path(target)
    return len(local_files(path)) if path.exists() else 0


ANNOTATE_MARK = "/annotate-"


def content_version(extractor_version: str) -> str:
    """The part of a stored extractor version that is about reading and chunking."""
    return extractor_version.partition(ANNOTATE_MARK)[0]


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def document_type(document: ExtractedDocument, raw: RawSource) -> str:
    """A document type concept's local name: the reader's hint, else cues in title and source."""
    return document.doc_type_hint or guess_doc_type(raw.source, document.title) or "doctype-other"


