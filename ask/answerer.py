"""The answerer: a question in, a cited answer (or an honest "no good answer") out."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import replace

from ask.abstain import judge, message
from ask.answer import Answer, Citation, Draft, Resource
from ask.catalog import EntityCatalog
from ask.chat import ChatError, ChatWriter
from ask.compose import extractive_drafts, number, passage_views, select_sentences
from ask.errors import AskError
from ask.evidence import Retrieval, SentenceVectors, retrieve, score_sentences
from ask.graph_answer import GraphResult, run_graph
from ask.intent import BOTH, EVIDENCE, GRAPH, Analysis, analyse
from ask.options import AskOptions
from ask.provenance import resource_facts
from ask.templates import display_sparql
from kg.backend import QueryableGraph
from kg.errors import KgError
from search import MODES, EmbeddingCache, SearchFilters, SearchIndex
from search.errors import BadSearchRequest

log = logging.getLogger(__name__)

DECLINED = "declined"


class Answerer:
    """Answers questions over one graph generation and its search index.

    Cheap to build when given a catalog (``EntityCatalog.from_graph`` once per generation);
    safe to share between threads.
    """

    def __init__(self, graph: QueryableGraph, search_index: SearchIndex,
                 options: AskOptions | None = None, catalog: EntityCatalog | None = None,
                 sentence_cache: EmbeddingCache | None = None,
                 sentence_vectors: SentenceVectors | None = None):
        """``sentence_cache``: a file of sentence vectors shared with other processes (optional).

        ``sentence_vectors``: the in-memory sentence vectors to use, shared with the answerers
        of other generations (a server keeps one for its life, so a publish does not make every
        question embed its sentences again); without it the answerer has its own.
        """
        self.graph = graph
        self.search_index = search_index
        self.options = options or AskOptions()
        self.catalog = catalog if catalog is not None else EntityCatalog.from_graph(graph)
        self._vectors = (sentence_vectors if sentence_vectors is not None
                         else SentenceVectors(store=sentence_cache))
        self._deal_passages = search_index.facet_values("deal")
        self._writer = ChatWriter(self.options.chat) if self.options.chat is not None else None

    def answer(self, question: str, mode: str = "hybrid", filters: SearchFilters | None = None) -> Answer:
        """Answer one question. Raises :class:`AskError` for a question or request it cannot take."""
        question = self._checked(question, mode, filters)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        deal_facet = filters.deals[0] if filters is not None and len(filters.deals) == 1 else ""
        analysis = analyse(question, self.catalog, deal_facet)
        timings["link"] = _since(started)

        mark = time.perf_counter()
        graph = self._graph(analysis)
        timings["graph"] = _since(mark)

        mark = time.perf_counter()
        try:
            retrieval = retrieve(self.search_index, analysis, self.catalog, mode, filters, self.options,
                                 self._deal_passages)
        except BadSearchRequest as error:
            raise AskError(str(error)) from None
        timings["search"] = _since(mark)

        mark = time.perf_counter()
        answer = self._compose(analysis, graph, retrieval)
        timings["compose"] = _since(mark)
        timings["total"] = _since(started)
        return replace(answer, timings_ms=timings)

    # -- steps ------------------------------------------------------------------------------

    def _checked(self, question: object, mode: str, filters: object) -> str:
        if not isinstance(question, str) or not question.strip():
            raise AskError("stel een vraag / ask a question (the question is empty)")
        question = " ".join(question.split())
        if len(question) > self.options.max_question_chars:
            raise AskError(f"de vraag is te lang / the question is too long "
                           f"(at most {self.options.max_question_chars} characters)")
        if mode not in MODES:
            raise AskError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        if filters is not None and not isinstance(filters, SearchFilters):
            raise AskError("filters must be a SearchFilters")
        return question

    def _graph(self, analysis: Analysis) -> GraphResult | None:
        if analysis.graph is None:
            return None
        if analysis.unknown and analysis.kind == GRAPH:
            return None  # "Wie sprak er in Maastricht?": a name the graph lacks would be ignored
        try:
            return run_graph(self.graph, analysis.graph, self.catalog, analysis.language,
                             self.options.max_graph_rows)
        except KgError as error:  # a template must never fail; if one does, answer from evidence
            log.warning("graph template %s failed: %s", analysis.graph.name, error)
            return None

    def _compose(self, analysis: Analysis, graph: GraphResult | None, retrieval: Retrieval) -> Answer:
        language = analysis.language
        graph_found = graph is not None and bool(graph.drafts)
        kind = analysis.kind
        reason = ""
        if kind == GRAPH and graph_found:
            assert graph is not None
            drafts: list[Draft] = list(graph.drafts)
            answered = True
        else:
            scored = score_sentences(self.search_index, self._vectors, analysis, retrieval,
                                     graph.quotes if graph is not None else (), self.options,
                                     self.catalog)
            vectors = self._vectors.embed(self.search_index, [s.evidence.quote for s in scored])
            quotes = {e.key for e in graph.quotes} if graph is not None and kind == BOTH else set()
            listed = [i for i, s in enumerate(scored) if s.evidence.key in quotes]
            chosen = select_sentences(scored, vectors, self.options, listed or None)
            verdict = judge(analysis, retrieval, scored[0] if scored else None, self.options.thresholds)
            answered = verdict.answered
            if verdict.answered:
                drafts = extractive_drafts(chosen)
                kind = BOTH if kind == BOTH and graph_found else EVIDENCE
            elif kind == BOTH and graph_found and not retrieval.missing_names:
                assert graph is not None
                drafts, answered = list(graph.drafts), True  # the list holds even if no sentence says it
            else:
                drafts = []
                reason = verdict.reason
                if kind == GRAPH:
                    reason = message("graph_empty", language) + " " + reason
                if verdict.off_topic:
                    kind = DECLINED
        text, sentences, citations = number(drafts)
        answer = Answer(
            question=analysis.question, language=language, answered=answered, kind=kind,
            reason=reason, text=text, sentences=sentences, citations=citations,
            resources=self._resources(analysis, graph, citations),
            passages=passage_views(citations, retrieval.candidates, self.options),
            linked=tuple(m.to_dict() for m in analysis.mentions),
            sparql=display_sparql(analysis.graph) if analysis.graph is not None else None,
            graph_rows=graph.rows if graph is not None else None,
            timings_ms={},
        )
        if answered and citations and self._writer is not None:
            answer = self._rewrite(answer)
        return answer

    def _resources(self, analysis: Analysis, graph: GraphResult | None,
                   citations: Sequence[Citation]) -> tuple[Resource, ...]:
        """The graph's rows, the annotated resources of the cited passages, the linked entities."""
        found: dict[str, tuple[str, str]] = {}
        for iri, type_name, label in graph.resources if graph is not None else ():
            if iri:
                found.setdefault(iri, (type_name, label))
        for citation in citations:
            evidence = citation.evidence
            for annotation in self.catalog.annotations_of(evidence.passage_iri):
                overlaps = (evidence.start is not None and evidence.end is not None
                            and annotation.start < evidence.end and evidence.start < annotation.end)
                if overlaps:
                    found.setdefault(annotation.iri, (annotation.type, annotation.label))
        for mention in analysis.mentions:
            if mention.entity.iri:
                found.setdefault(mention.entity.iri, (mention.entity.type, mention.entity.label))
        return tuple(resource_facts(self.graph, iri, type_name, label)
                     for iri, (type_name, label) in list(found.items())[: self.options.max_resources])

    def _rewrite(self, answer: Answer) -> Answer:
        assert self._writer is not None
        try:
            rewrite = self._writer.rewrite(answer.question, answer.language, answer.citations,
                                           self.options.max_sentences)
        except ChatError as error:
            log.warning("chat writer not used: %s", error)
            return replace(answer, writer_note=str(error))
        return replace(answer, text=rewrite.text, sentences=rewrite.sentences, writer="chat")


def _since(mark: float) -> float:
    return (time.perf_counter() - mark) * 1000


__all__ = ["DECLINED", "Answerer"]
