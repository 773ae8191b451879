"""Start-up repair of a generation's search index, and the index/graph agreement check.

A generation's search index that is missing or damaged (no manifest, an unreadable or
truncated data file, counts that do not match) is rebuilt from the same generation's graph,
with a warning, instead of failing the web app or the command. The rebuild happens once,
under a lock in the generation folder, into a temporary folder that is renamed into place;
the damaged folder is kept beside it (``search.damaged-<time>``) for a look and goes when
the generation is collected.
"""

from __future__ import annotations

import fcntl
import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from impactkg.settings import Settings

if TYPE_CHECKING:
    from kg.backend import QueryableGraph
    from kg.generations import Generation
    from search import QueryVectors, SearchIndex
    from search.consistency import IndexAgreement

log = logging.getLogger(__name__)

SEARCH_FOLDER = "search"
REPAIR_LOCK = "repair.lock"


def open_search_or_rebuild(
    settings: Settings, generation: Generation, graph: QueryableGraph,
    query_vectors: QueryVectors | None = None,
) -> SearchIndex | None:
    """The generation's search index, rebuilt from its graph first when it is missing or
    damaged; None when there is no index and the graph holds no passages (a fresh store).

    ``query_vectors``: query embeddings shared with other generations' indexes (a server's)."""
    from search import IndexFormatError, IndexNotFound

    try:
        return _open(settings, generation, graph, query_vectors=query_vectors)
    except (IndexNotFound, IndexFormatError) as error:
        if isinstance(error, IndexNotFound) and not _has_passages(graph):
            return None
        log.warning("the search index of generation %s cannot be used (%s); rebuilding it from "
                    "the graph", generation.id, error)
    with open(generation.path / REPAIR_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process rebuilds; the others wait, then open it
        try:
            return _open(settings, generation, graph, query_vectors=query_vectors)
        except (IndexNotFound, IndexFormatError):
            count = rebuild_search(settings, generation, graph)
        log.warning("rebuilt the search index of generation %s from the graph: %d passages",
                    generation.id, count)
        return _open(settings, generation, graph, query_vectors=query_vectors)


def rebuild_search(settings: Settings, generation: Generation, graph: QueryableGraph) -> int:
    """Embed and index the graph's passages into the generation's search folder; the count."""
    from impactkg import wiring
    from kg.passages import passage_records
    from search import SearchIndex

    by_document: dict[str, list] = {}
    for record in passage_records(graph):
        by_document.setdefault(record.document_iri, []).append(record)
    folder = generation.path / SEARCH_FOLDER
    work = Path(tempfile.mkdtemp(prefix=".search-rebuild-", dir=generation.path))
    try:
        with SearchIndex.open_writer(work / "writer", wiring.embedder(settings),
                                     wiring.search_options(settings)) as writer:
            for document_iri, passages in by_document.items():
                writer.replace_document(document_iri, passages)
            writer.publish_to(work / SEARCH_FOLDER)
        if folder.exists():
            folder.rename(generation.path / f"search.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
        (work / SEARCH_FOLDER).rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return sum(len(p) for p in by_document.values())


def check_agreement(settings: Settings, generation: Generation, graph: QueryableGraph) -> IndexAgreement:
    """Whether the generation's search index holds exactly its graph's passages (no repair:
    a damaged index raises the search package's error)."""
    from search import IndexNotFound
    from search.consistency import check_index_against_graph

    try:
        index = _open(settings, generation, graph, link=False)
    except IndexNotFound:
        return check_index_against_graph(graph, None)
    with index:
        return check_index_against_graph(graph, index)


def _open(settings: Settings, generation: Generation, graph: QueryableGraph,
          link: bool = True, query_vectors: QueryVectors | None = None) -> SearchIndex:
    from impactkg import wiring
    from search import SearchIndex

    return SearchIndex.open(generation.path / SEARCH_FOLDER, wiring.embedder(settings),
                            wiring.search_options(settings),
                            entities=wiring.entity_linker(settings, graph) if link else None,
                            query_vectors=query_vectors)


def _has_passages(graph: QueryableGraph) -> bool:
    return bool(graph.query("ASK { ?p a ikg:Passage }").boolean)
