"""Putting an answer together: sentences without repeats, numbered citations, marked passages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ask.answer import AnswerSentence, Citation, CitedSpan, Draft, PassageView, Segment
from ask.evidence import Candidate, Scored
from ask.options import AskOptions
from ask.provenance import source_of
from ask.text import fold, words

ANSWER_MARGIN = 0.07
"""A further sentence is quoted only when it scores within this much of the best one."""
_SIMILAR_WORDS = 0.7


def _word_set(text: str) -> set[str]:
    return {w.folded for w in words(text) if len(w.folded) > 2}


def _same(a: str, b: str) -> bool:
    if fold(" ".join(a.split())) == fold(" ".join(b.split())):
        return True
    left, right = _word_set(a), _word_set(b)
    if not left or not right:
        return False
    return len(left & right) / min(len(left), len(right)) >= _SIMILAR_WORDS


def select_sentences(
    scored: Sequence[Scored], vectors: np.ndarray | None, options: AskOptions,
    only: Sequence[int] | None = None,
) -> list[Scored]:
    """The answer's sentences: the best sentence of each of the best passages, in passage order.

    A passage's sentence is left out when it scores more than ``ANSWER_MARGIN`` under the best
    sentence of all, or says the same as one already chosen (the same words, or vectors at
    least ``duplicate_similarity`` apart). ``vectors`` are the embeddings of ``scored``.
    With ``only`` (indexes into ``scored``, best first) those sentences are taken in order of
    score instead, any number per passage: the quotes of the resources a graph query listed.
    """
    if not scored:
        return []
    if only is not None:
        order = list(only)
    else:
        best_of_passage: dict[int, int] = {}
        for index, candidate in enumerate(scored):  # scored is best first
            best_of_passage.setdefault(candidate.passage_rank, index)
        order = [index for _, index in sorted(best_of_passage.items())]
    if not order:
        return []
    floor = max(scored[i].score for i in order) - ANSWER_MARGIN
    chosen: list[int] = []
    for index in order:
        candidate = scored[index]
        if len(chosen) >= options.max_sentences:
            break
        if candidate.score < floor or candidate.similarity < options.thresholds.min_sentence_similarity:
            continue
        duplicate = any(
            _same(candidate.evidence.quote, scored[other].evidence.quote)
            or (vectors is not None
                and float(vectors[index] @ vectors[other]) >= options.duplicate_similarity)
            for other in chosen)
        if not duplicate:
            chosen.append(index)
    return [scored[i] for i in chosen]


def number(drafts: Sequence[Draft]) -> tuple[str, tuple[AnswerSentence, ...], tuple[Citation, ...]]:
    """Give every distinct piece of evidence a number, in order of first use, and render the text."""
    ids: dict[tuple[str, str, int | None, int | None], int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    for draft in drafts:
        parts: list[str] = []
        used: list[int] = []
        for segment in draft.segments:
            marks = []
            for evidence in segment.evidence:
                if evidence.key not in ids:
                    ids[evidence.key] = len(citations) + 1
                    citations.append(Citation(ids[evidence.key], evidence))
                number_ = ids[evidence.key]
                if number_ not in marks:
                    marks.append(number_)
            parts.append(_with_marks(segment.text, marks))
            used += [m for m in marks if m not in used]
        sentences.append(AnswerSentence("".join(parts).strip(), tuple(used)))
    return " ".join(s.text for s in sentences), tuple(sentences), tuple(citations)


_TRAILING = re.compile(r"([.!?:;,]*[\"'”’)\]]*)$")


def _with_marks(text: str, marks: list[int]) -> str:
    """Markers go before a sentence's closing punctuation: 'Waardering is een element [1].'"""
    if not marks:
        return text
    tag = " " + " ".join(f"[{m}]" for m in marks)
    match = _TRAILING.search(text)
    tail = match.group(1) if match else ""
    if tail and tail[0] in ".!?":
        return text[: len(text) - len(tail)] + tag + tail
    return text + tag


def extractive_drafts(chosen: Sequence[Scored]) -> list[Draft]:
    return [Draft((Segment(s.evidence.quote, (s.evidence,)),), s.score) for s in chosen]


def passage_views(citations: Sequence[Citation], candidates: Sequence[Candidate],
                  options: AskOptions) -> tuple[PassageView, ...]:
    """The cited passages (marked) first, then the nearest others, up to ``shown_passages``
    (every cited passage is shown, even past the limit)."""
    views: dict[str, PassageView] = {}
    for citation in citations:
        e = citation.evidence
        if not e.passage_iri:
            continue
        span = CitedSpan(citation.id, e.start or 0, e.end or 0) if e.start is not None else None
        view = views.get(e.passage_iri)
        if view is None:
            views[e.passage_iri] = PassageView(
                e.passage_iri, e.document_iri, e.title, e.source, e.date, e.heading_path,
                e.passage_text, (span,) if span else (), e.score)
        elif span is not None:
            views[e.passage_iri] = replace(view, cited=(*view.cited, span))
    for candidate in candidates:
        if len(views) >= options.shown_passages:
            break
        hit = candidate.hit
        if hit.passage_iri not in views:
            views[hit.passage_iri] = PassageView(
                hit.passage_iri, hit.document_iri, hit.document_title, source_of(hit.document_url),
                hit.document_date, hit.heading_path, hit.text, (), candidate.score)
    return tuple(views.values())


__all__ = ["extractive_drafts", "number", "passage_views", "select_sentences"]
