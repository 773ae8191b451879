"""Re-running annotation over stored documents, without fetching or reading them again."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from ingest.pipeline import ANNOTATE_MARK, Annotating
from ingest.sink import PassageSink
from kg import GraphStore, IriMinter
from kg.builders import document_triples, passage_triples, read_document_facts
from kg.passages import records_from_triples

log = logging.getLogger(__name__)


def annotator_version_of(extractor_version: str) -> str:
    """The annotator part of a document's extractor version ("" when it was not annotated)."""
    _, mark, version = extractor_version.partition(ANNOTATE_MARK)
    return version if mark else ""


def with_annotator_version(extractor_version: str, version: str) -> str:
    return extractor_version.partition(ANNOTATE_MARK)[0] + ANNOTATE_MARK + version


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


@dataclass(frozen=True, slots=True)
class ReannotateSummary:
    annotated: int
    unchanged: int
    failed: tuple[tuple[str, str], ...]

    def line(self) -> str:
        return (f"geannoteerd/annotated {self.annotated}, ongewijzigd/unchanged {self.unchanged}, "
                f"mislukt/failed {len(self.failed)}")


def reannotate(
    store: GraphStore,
    sink: PassageSink,
    annotator: Annotating,
    minter: IriMinter,
    *,
    since_version: str | None = None,
    everything: bool = False,
    commit_every: int = 25,
    progress: Callable[[Iterable[str], int], Iterable[str]] | None = None,
) -> ReannotateSummary:
    """Annotate the stored documents again.

    By default only documents annotated by another annotator version; with
    ``since_version`` those annotated by a version older than it; with ``everything`` all.
    """
    rows = store.query("SELECT ?doc ?version WHERE { ?doc a ikg:Document ; "
                       "ikg:extractorVersion ?version } ORDER BY ?doc").rows
    todo = []
    for doc, version in rows:
        done_with = annotator_version_of(version.value)
        if everything:
            todo.append(doc.value)
        elif since_version is not None:
            if not done_with or _version_key(done_with) < _version_key(since_version):
                todo.append(doc.value)
        elif done_with != annotator.version:
            todo.append(doc.value)
    failed: list[tuple[str, str]] = []
    annotated = 0
    iterable: Iterable[str] = progress(todo, len(todo)) if progress else todo
    chunk: list[str] = []
    for doc_iri in iterable:
        chunk.append(doc_iri)
        if len(chunk) >= commit_every:
            annotated += _annotate_chunk(store, sink, annotator, minter, chunk, failed)
            chunk = []
    annotated += _annotate_chunk(store, sink, annotator, minter, chunk, failed)
    return ReannotateSummary(annotated, len(rows) - len(todo), tuple(failed))


def _annotate_chunk(
    store: GraphStore, sink: PassageSink, annotator: Annotating, minter: IriMinter,
    doc_iris: list[str], failed: list[tuple[str, str]],
) -> int:
    """Annotate some documents; the sink is flushed before the graph batch commits."""
    annotated = 0
    with store.batch() as batch:
        for doc_iri in doc_iris:
            graph_iri = minter.document_graph(doc_iri)
            try:
                facts, passages = read_document_facts(store, doc_iri, graph_iri)
                facts = replace(facts, extractor_version=with_annotator_version(
                    facts.extractor_version, annotator.version))
                triples = list(document_triples(facts))
                triples.extend(passage_triples(doc_iri, passages))
                triples.extend(annotator.annotate(facts, passages, facts.deal_names))
            except Exception as error:  # one bad document never stops the run
                log.exception("re-annotating %s failed", doc_iri)
                failed.append((doc_iri, f"{type(error).__name__}: {error}"))
                continue
            batch.replace_graph(graph_iri, triples)
            sink.replace_document(doc_iri, records_from_triples(doc_iri, triples))
            annotated += 1
        sink.flush()
    return annotated
