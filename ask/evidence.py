"""Evidence from the passages: hybrid search with the linked entities as boosts, then the sentences.

Passages come from the search index (the user's mode and facets; a named deal adds a search
filtered on that deal). Each passage is scored by its vector similarity and by how much of the
question's weighted words it holds; a passage about a named deal, person or organisation, or
one that is the evidence of an annotated resource the question asks about, gets a small boost.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ask.answer import Evidence
from ask.catalog import DEAL_TYPES, EntityCatalog
from ask.intent import Analysis
from ask.linking import mentioned_in
from ask.options import AskOptions
from ask.provenance import source_of
from ask.text import split_sentences, with_antecedents
from search import EmbeddingCache, SearchFilters, SearchHit, SearchIndex, embed_with_cache
from search.analysis import analyze
from search.context import passage_context

log = logging.getLogger(__name__)

LINKED_BOOST = 0.02
ASKED_CLASS_BOOST = 0.01
ANNOTATED_SENTENCE_BOOST = 0.02
COVERAGE_WEIGHT = 0.1
SENTENCE_COVERAGE_WEIGHT = 0.1
NAMED_TYPES = (*DEAL_TYPES, "Person", "Organisation")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A passage considered as evidence, with the scores that ranked it."""

    hit: SearchHit
    score: float
    similarity: float
    """Cosine similarity of the question and the passage (title, headings, text)."""
    coverage: float
    """The share of the question's idf-weighted words the passage holds."""
    about_linked: bool


@dataclass(frozen=True, slots=True)
class Retrieval:
    candidates: tuple[Candidate, ...]
    """Best first."""
    idfs: dict[str, float]
    missing_names: tuple[str, ...]
    """Names in the question (known or not) that no candidate passage contains."""


def coverage(text: str, idfs: dict[str, float]) -> float:
    """The idf-weighted share of the question's terms that occur in ``text``."""
    total = sum(idfs.values())
    if total <= 0:
        return 0.0
    present = set(analyze(text))
    return sum(weight for term, weight in idfs.items() if term in present) / total


def retrieve(index: SearchIndex, analysis: Analysis, catalog: EntityCatalog, mode: str,
             filters: SearchFilters | None, options: AskOptions,
             deal_passages: dict[str, int]) -> Retrieval:
    """The candidate passages for a question, re-ranked, and which of its names they lack."""
    question = analysis.question
    hits = {hit.passage_iri: hit for hit in index.search(question, mode, filters, options.candidate_passages)}
    user_deals = set(filters.deals) if filters is not None else set()
    for deal in analysis.of_type(*DEAL_TYPES):
        if deal.iri in user_deals or not deal_passages.get(deal.iri):
            continue
        narrowed = replace(filters or SearchFilters(), deals=(deal.iri,))
        for hit in index.search(question, mode, narrowed, options.evidence_passages):
            hits.setdefault(hit.passage_iri, hit)
    idfs = index.term_idfs(question)
    named = [(entity, catalog.names_of(entity)) for entity in analysis.of_type(*NAMED_TYPES)]
    candidates = []
    for hit in hits.values():
        context = passage_context(hit.document_title, hit.heading_path, hit.text)
        similarity = hit.vector_score or 0.0  # keyword mode: the words and the search order decide
        cover = coverage(context, idfs)
        about = any(entity.iri in hit.deals or any(mentioned_in(context, n) for n in names if " " in n)
                    for entity, names in named)
        asked = analysis.boost_classes and any(
            a.type in analysis.boost_classes for a in catalog.annotations_of(hit.passage_iri))
        score = (similarity + COVERAGE_WEIGHT * cover + (LINKED_BOOST if about else 0.0)
                 + (ASKED_CLASS_BOOST if asked else 0.0))
        candidates.append(Candidate(hit, score, similarity, cover, about))
    candidates.sort(key=lambda c: -c.score)
    return Retrieval(tuple(candidates), idfs, _missing(analysis, catalog, candidates))


def _missing(analysis: Analysis, catalog: EntityCatalog, candidates: Sequence[Candidate]) -> tuple[str, ...]:
    """Names the question needs that no candidate holds: unknown capitalised names, and named
    deals, people and organisations with no passage about them (by facet or by a full name)."""
    texts = [passage_context(c.hit.document_title, c.hit.heading_path, c.hit.text) for c in candidates]
    missing = [name for name in analysis.unknown if not any(mentioned_in(t, name) for t in texts)]
    for mention in analysis.mentions:
        entity = mention.entity
        if entity.type not in NAMED_TYPES:
            continue
        written = " ".join(mention.text.split())
        names = [n for n in catalog.names_of(entity) if len(n.split()) > 1] + [written]
        if any(entity.iri in c.hit.deals for c in candidates):
            continue
        if not any(mentioned_in(t, n) for t in texts for n in names):
            missing.append(written)
    return tuple(dict.fromkeys(missing))


@dataclass(frozen=True, slots=True)
class Scored:
    """A sentence that could be quoted, and why.

    ``similarity`` is the cosine similarity of the sentence and the question's focus (the
    question without the deals, people and organisations it names, which the passage already
    matched); ``coverage`` the share of the focus's weighted words it holds; ``passage_rank``
    the rank of its passage among the candidates (0 = best).
    """

    evidence: Evidence
    similarity: float
    coverage: float
    score: float
    passage_rank: int


class SentenceVectors:
    """Sentence embeddings kept in memory, and on disk when given a cache file.

    Embedding sentences is most of the cost of a new question (tens of milliseconds each on
    one core); a warm process embeds a passage's sentences once, and with ``store`` (an
    :class:`search.EmbeddingCache`, keyed by model and text hash) later processes and
    generations reuse them too.
    """

    def __init__(self, max_entries: int = 20_000, store: EmbeddingCache | None = None):
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.store = store

    def embed(self, index: SearchIndex, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            try:
                fresh, _ = embed_with_cache(index.embedder, self.store, missing)
            except sqlite3.Error as error:  # a read-only or broken cache file: go on without it
                log.warning("sentence vector cache not used: %s", error)
                self.store = None
                fresh = index.embedder.embed_passages(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._vectors[text] = np.asarray(vector, dtype=np.float32)
                while len(self._vectors) > self.max_entries:
                    self._vectors.popitem(last=False)
        with self._lock:
            return np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)


def _evidence_of(candidate: Candidate, text: str, start: int, end: int) -> Evidence:
    hit = candidate.hit
    return Evidence(
        passage_iri=hit.passage_iri, document_iri=hit.document_iri, title=hit.document_title,
        source=source_of(hit.document_url), quote=text, start=start, end=end, passage_text=hit.text,
        date=hit.document_date, heading_path=hit.heading_path, score=candidate.score)


def focus_of(analysis: Analysis) -> str:
    """The question without the deals, people and organisations it names ("Wie vormen de
    profijtgroep van de City Deal X?" -> "Wie vormen de profijtgroep van de ?")."""
    text = analysis.question
    for mention in sorted(analysis.mentions, key=lambda m: -m.start):
        if mention.entity.type in NAMED_TYPES:
            text = text[: mention.start] + text[mention.end:]
    return " ".join(text.split())


def _annotated(catalog: EntityCatalog, evidence: Evidence, classes: Sequence[str]) -> bool:
    """Whether the sentence is (part of) the quote of an annotated resource of these classes."""
    if evidence.start is None or evidence.end is None:
        return False
    return any(a.type in classes and a.start < evidence.end and evidence.start < a.end
               for a in catalog.annotations_of(evidence.passage_iri))


def _preselect(pool: Sequence[tuple[Evidence, int, float]], covers: Sequence[float],
               quotes: set[tuple[str, int | None, int | None]], per_passage: int) -> list[int]:
    """Which sentences are worth embedding: per passage the ``per_passage`` with the most of the
    question's words (annotated quotes first, earlier sentences on a tie), and every given quote.

    Embedding is most of the cost of a new question; words are free.
    """
    by_passage: dict[int, list[int]] = {}
    for index, (evidence, rank, _) in enumerate(pool):
        if (evidence.passage_iri, evidence.start, evidence.end) in quotes:
            continue
        by_passage.setdefault(rank, []).append(index)
    keep = [i for i, (e, _, _) in enumerate(pool) if (e.passage_iri, e.start, e.end) in quotes]
    for indexes in by_passage.values():
        ranked = sorted(indexes, key=lambda i: (-(pool[i][2] + covers[i]), i))
        keep += ranked[:per_passage]
    return sorted(keep)


def score_sentences(index: SearchIndex, vectors: SentenceVectors, analysis: Analysis,
                    retrieval: Retrieval, extra: Sequence[Evidence], options: AskOptions,
                    catalog: EntityCatalog) -> list[Scored]:
    """Every quotable sentence of the best passages, and the given quotes, scored, best first.

    Score: cosine similarity to the question's focus plus a share for the focus's weighted
    words the sentence holds; a sentence that is the quote of an annotated resource the
    question asks about (a lesson for a how-question, the graph's working elements for
    "welke werkzame elementen") gets a bonus.
    """
    top = retrieval.candidates[: options.evidence_passages]
    ranks = {c.hit.passage_iri: rank for rank, c in enumerate(retrieval.candidates)}
    pool: list[tuple[Evidence, int, float]] = []
    for rank, candidate in enumerate(top):
        text = candidate.hit.text
        for sentence in with_antecedents(split_sentences(text), text, options.max_sentence_chars):
            if sentence.quotable and len(sentence.text) <= options.max_sentence_chars:
                pool.append((_evidence_of(candidate, sentence.text, sentence.start, sentence.end), rank, 0.0))
    extra_places = {(e.passage_iri, e.start, e.end) for e in extra}
    pool = [(e, r, ANNOTATED_SENTENCE_BOOST if (e.passage_iri, e.start, e.end) in extra_places
             or _annotated(catalog, e, analysis.boost_classes) else 0.0)
            for e, r, _ in pool]
    seen = {(e.passage_iri, e.start, e.end) for e, _, _ in pool}
    for quote in extra:
        place = (quote.passage_iri, quote.start, quote.end)
        if place in seen or len(quote.quote) > options.max_sentence_chars:
            continue
        seen.add(place)
        pool.append((quote, ranks.get(quote.passage_iri, len(retrieval.candidates)),
                     ANNOTATED_SENTENCE_BOOST))
    if not pool:
        return []
    focus = focus_of(analysis) or analysis.question
    idfs = index.term_idfs(focus) if focus != analysis.question else retrieval.idfs
    covers = [coverage(e.quote, idfs) for e, _, _ in pool]
    keep = _preselect(pool, covers, extra_places | {(q.passage_iri, q.start, q.end) for q in extra},
                      options.sentences_per_passage)
    pool, covers = [pool[i] for i in keep], [covers[i] for i in keep]
    query_vector = index.embed_query(focus)
    similarities = vectors.embed(index, [e.quote for e, _, _ in pool]) @ query_vector
    scored = []
    for (evidence, rank, bonus), similarity, cover in zip(pool, similarities, covers, strict=True):
        score = float(similarity) + SENTENCE_COVERAGE_WEIGHT * cover + bonus
        scored.append(Scored(replace(evidence, score=score), float(similarity), cover, score, rank))
    scored.sort(key=lambda s: -s.score)
    return scored


__all__ = [
    "Candidate",
    "Retrieval",
    "Scored",
    "SentenceVectors",
    "coverage",
    "focus_of",
    "retrieve",
    "score_sentences",
]
