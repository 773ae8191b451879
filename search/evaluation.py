"""Retrieval quality at document level: Recall@5, Recall@10, MRR@10 and nDCG@10 per search mode.

A question file is JSON Lines: ``{"q": "...", "relevant": ["<document IRI or source URL>", ...]}``
(list each relevant document once). Hits are reduced to documents in rank order
(a document counts at its best passage) before scoring; relevance is binary.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from search.facets import SearchFilters
from search.hits import SearchHit

DEFAULT_MODES = ("keyword", "semantic", "hybrid")
CUTOFF = 10
PASSAGE_DEPTH = 100
"""Passages asked for per question, enough to fill 10 distinct documents."""


@dataclass(frozen=True, slots=True)
class Question:
    q: str
    relevant: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RankingScores:
    recall_at_5: float
    recall_at_10: float
    mrr_at_10: float
    ndcg_at_10: float


@dataclass(frozen=True, slots=True)
class ModeScores:
    """Mean scores of one search mode over a question set."""

    mode: str
    questions: int
    recall_at_5: float
    recall_at_10: float
    mrr_at_10: float
    ndcg_at_10: float
    ndcg_per_question: tuple[float, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "questions": self.questions,
            "recall@5": round(self.recall_at_5, 4),
            "recall@10": round(self.recall_at_10, 4),
            "mrr@10": round(self.mrr_at_10, 4),
            "ndcg@10": round(self.ndcg_at_10, 4),
        }


class Searcher(Protocol):
    def search(
        self, query: str, mode: str = ..., filters: SearchFilters | None = ..., k: int = ...
    ) -> list[SearchHit]: ...


def load_questions(path: Path) -> list[Question]:
    """Read a question file; a bad line raises ValueError naming the line."""
    questions = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            q = str(data["q"]).strip()
            relevant = tuple(dict.fromkeys(str(r) for r in data["relevant"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a question line ({exc})") from exc
        if not q or not relevant:
            raise ValueError(f"{path}:{number}: a question needs a 'q' and at least one 'relevant'")
        questions.append(Question(q, relevant))
    return questions


def documents_of(hits: Iterable[SearchHit]) -> list[tuple[str, ...]]:
    """The distinct documents of ranked hits, in order: (document IRI, source URL) each."""
    seen: set[str] = set()
    documents = []
    for hit in hits:
        if hit.document_iri not in seen:
            seen.add(hit.document_iri)
            documents.append(tuple(x for x in (hit.document_iri, hit.document_url) if x))
    return documents


def score_ranking(ranked: Sequence[Collection[str]], relevant: Collection[str]) -> RankingScores:
    """Scores of one ranked list of documents (each given by its identifiers) against the relevant ones."""
    wanted = list(dict.fromkeys(relevant))
    if not wanted:
        raise ValueError("a ranking can only be scored against at least one relevant document")
    found: set[str] = set()
    found_at: list[int] = []  # how many relevant documents were found by each rank
    dcg = 0.0
    first_hit = 0
    for rank, identifiers in enumerate(ranked[:CUTOFF], start=1):
        matched = [r for r in wanted if r in identifiers and r not in found]
        if matched:
            found.update(matched)
            dcg += 1.0 / math.log2(rank + 1)
            first_hit = first_hit or rank
        found_at.append(len(found))
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(wanted), CUTOFF) + 1))

    def recall(cutoff: int) -> float:
        return (found_at[min(cutoff, len(found_at)) - 1] if found_at else 0) / len(wanted)

    return RankingScores(
        recall_at_5=recall(5),
        recall_at_10=recall(10),
        mrr_at_10=1.0 / first_hit if first_hit else 0.0,
        ndcg_at_10=dcg / ideal,
    )


def mean_scores(mode: str, scores: Sequence[RankingScores]) -> ModeScores:
    n = len(scores)

    def mean(values: Iterable[float]) -> float:
        return sum(values) / n if n else 0.0

    return ModeScores(
        mode=mode,
        questions=n,
        recall_at_5=mean(s.recall_at_5 for s in scores),
        recall_at_10=mean(s.recall_at_10 for s in scores),
        mrr_at_10=mean(s.mrr_at_10 for s in scores),
        ndcg_at_10=mean(s.ndcg_at_10 for s in scores),
        ndcg_per_question=tuple(s.ndcg_at_10 for s in scores),
    )


def evaluate(
    index: Searcher,
    questions: Sequence[Question],
    modes: Sequence[str] = DEFAULT_MODES,
    *,
    passage_depth: int = PASSAGE_DEPTH,
) -> dict[str, ModeScores]:
    """Document-level scores of each mode of ``index`` over the questions."""
    results = {}
    for mode in modes:
        per_question = [
            score_ranking(documents_of(index.search(q.q, mode=mode, k=passage_depth)), q.relevant)
            for q in questions
        ]
        results[mode] = mean_scores(mode, per_question)
    return results


def sweep_fusion(
    index: Any, questions: Sequence[Question], grid: Sequence[Mapping[str, float]]
) -> list[tuple[Mapping[str, float], ModeScores]]:
    """Hybrid scores for each set of option changes (e.g. ``{"keyword_weight": 0.5}``) on a reader."""
    rows = []
    for changes in grid:
        view = index.with_options(replace(index.options, **changes))
        rows.append((changes, evaluate(view, questions, ("hybrid",))["hybrid"]))
    return rows


def format_table(results: Mapping[str, ModeScores] | Sequence[ModeScores]) -> str:
    """A Markdown table of mode scores."""
    rows = list(results.values()) if isinstance(results, Mapping) else list(results)
    lines = [
        "| mode | questions | Recall@5 | Recall@10 | MRR@10 | nDCG@10 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in rows:
        lines.append(
            f"| {s.mode} | {s.questions} | {s.recall_at_5:.3f} | {s.recall_at_10:.3f} | "
            f"{s.mrr_at_10:.3f} | {s.ndcg_at_10:.3f} |"
        )
    return "\n".join(lines)


__all__ = [
    "DEFAULT_MODES",
    "ModeScores",
    "Question",
    "RankingScores",
    "documents_of",
    "evaluate",
    "format_table",
    "load_questions",
    "mean_scores",
    "score_ranking",
    "sweep_fusion",
]
