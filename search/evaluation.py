"""Retrieval quality at document level: Recall@5, Recall@10, MRR@10 and nDCG@10 per search mode.

A question file is JSON Lines, one question per line, in either form:

    {"q": "...", "relevant": ["<document IRI or source URL>", ...]}
    {"id": "q001", "q": "...", "kind": "paraphrase", "fact": true, "names": "deal",
     "split": "heldout", "judgments": {"<document>": 2, ...}, "pooled": {"<document>": 0}}

``relevant`` is binary (grade 1 each). ``judgments`` are graded (2 answers the question,
1 is relevant, 0 is not); ``pooled`` holds judgments added after pooling and counts the
same. Hits are reduced to documents in rank order (a document counts at its best
passage) before scoring. nDCG uses the gain 2^grade - 1 (so binary judgments give the
usual nDCG); recall and MRR count every document with a grade above 0.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
    """A question with the documents that answer it; ``grades`` (document, grade) when graded.

    ``kind``, ``fact``, ``names`` and ``split`` describe the question for reports by group
    (literal / paraphrase / english, fact questions, tuning / heldout); they do not affect
    scoring.
    """

    q: str
    relevant: tuple[str, ...]
    grades: tuple[tuple[str, int], ...] = ()
    id: str = ""
    kind: str = ""
    fact: bool = False
    names: str = ""
    split: str = ""

    def grade_map(self) -> dict[str, int]:
        """Document -> grade (every relevant document with grade 1 when not graded)."""
        return dict(self.grades) if self.grades else {r: 1 for r in self.relevant}

    def with_documents(self, resolve: Callable[[str], str]) -> Question:
        """The same question with every document reference passed through ``resolve``."""
        return replace(
            self,
            relevant=tuple(dict.fromkeys(resolve(r) for r in self.relevant)),
            grades=tuple((resolve(d), g) for d, g in self.grades),
        )


@dataclass(frozen=True, slots=True)
class RankingScores:
    recall_at_5: float
    recall_at_10: float
    mrr_at_10: float
    ndcg_at_10: float


@dataclass(frozen=True, slots=True)
class ModeScores:
    """Mean scores of one search mode over a question set (and each question's scores)."""

    mode: str
    questions: int
    recall_at_5: float
    recall_at_10: float
    mrr_at_10: float
    ndcg_at_10: float
    ndcg_per_question: tuple[float, ...] = ()
    per_question: tuple[RankingScores, ...] = field(default=(), repr=False, compare=False)

    def select(self, indices: Sequence[int]) -> ModeScores:
        """The means over a subset of the questions (by position)."""
        return mean_scores(self.mode, [self.per_question[i] for i in indices])

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
            questions.append(_question(json.loads(line)))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path}:{number}: not a question line ({exc})") from exc
    return questions


def _question(data: Mapping[str, Any]) -> Question:
    q = str(data["q"]).strip()
    if "judgments" in data:
        grades = {str(d): int(g) for d, g in {**data["judgments"], **data.get("pooled", {})}.items()}
        if any(g < 0 for g in grades.values()):
            raise ValueError("grades must be 0 or more")
        relevant = tuple(d for d, g in grades.items() if g > 0)
        graded = tuple(grades.items())
    else:
        relevant = tuple(dict.fromkeys(str(r) for r in data["relevant"]))
        graded = ()
    if not q or not relevant:
        raise ValueError("a question needs a 'q' and at least one relevant document")
    return Question(
        q, relevant, graded,
        id=str(data.get("id", "")), kind=str(data.get("kind", "")),
        fact=bool(data.get("fact", False)), names=str(data.get("names", "")),
        split=str(data.get("split", "")),
    )


def documents_of(hits: Iterable[SearchHit]) -> list[tuple[str, ...]]:
    """The distinct documents of ranked hits, in order: (document IRI, source URL) each."""
    seen: set[str] = set()
    documents = []
    for hit in hits:
        if hit.document_iri not in seen:
            seen.add(hit.document_iri)
            documents.append(tuple(x for x in (hit.document_iri, hit.document_url) if x))
    return documents


def score_ranking(
    ranked: Sequence[Collection[str]],
    relevant: Collection[str],
    grades: Mapping[str, int] | None = None,
) -> RankingScores:
    """Scores of one ranked list of documents (each given by its identifiers) against the relevant ones.

    ``grades`` (document -> grade) makes nDCG graded; without it every relevant document
    has grade 1.
    """
    wanted = list(dict.fromkeys(relevant))
    if not wanted:
        raise ValueError("a ranking can only be scored against at least one relevant document")
    grade_of = {r: (grades or {}).get(r, 1) for r in wanted}
    found: set[str] = set()
    found_at: list[int] = []  # how many relevant documents were found by each rank
    dcg = 0.0
    first_hit = 0
    for rank, identifiers in enumerate(ranked[:CUTOFF], start=1):
        matched = [r for r in wanted if r in identifiers and r not in found]
        if matched:
            found.update(matched)
            dcg += _gain(max(grade_of[r] for r in matched)) / math.log2(rank + 1)
            first_hit = first_hit or rank
        found_at.append(len(found))
    best = sorted(grade_of.values(), reverse=True)[:CUTOFF]
    ideal = sum(_gain(g) / math.log2(rank + 1) for rank, g in enumerate(best, start=1))

    def recall(cutoff: int) -> float:
        return (found_at[min(cutoff, len(found_at)) - 1] if found_at else 0) / len(wanted)

    return RankingScores(
        recall_at_5=recall(5),
        recall_at_10=recall(10),
        mrr_at_10=1.0 / first_hit if first_hit else 0.0,
        ndcg_at_10=dcg / ideal,
    )


def _gain(grade: int) -> float:
    return float(2**grade - 1)


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
        per_question=tuple(scores),
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
            score_ranking(
                documents_of(index.search(q.q, mode=mode, k=passage_depth)),
                q.relevant,
                q.grade_map(),
            )
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


KIND_GROUPS = ("literal", "paraphrase", "english")


def question_groups(questions: Sequence[Question]) -> dict[str, list[int]]:
    """Positions of the questions in each reporting group: all, each kind, fact, names-a-thing."""
    groups: dict[str, list[int]] = {"all": list(range(len(questions)))}
    kinds = [k for k in KIND_GROUPS if any(q.kind == k for q in questions)]
    kinds += sorted({q.kind for q in questions if q.kind and q.kind not in KIND_GROUPS})
    for kind in kinds:
        groups[kind] = [i for i, q in enumerate(questions) if q.kind == kind]
    for name, test in (("fact", lambda q: q.fact), ("names", lambda q: bool(q.names))):
        members = [i for i, q in enumerate(questions) if test(q)]
        if members:
            groups[name] = members
    return groups


def format_group_table(
    results: Mapping[str, ModeScores], groups: Mapping[str, Sequence[int]]
) -> str:
    """A Markdown table of nDCG@10 per mode (rows) and question group (columns)."""
    names = [g for g, members in groups.items() if members]
    header = " | ".join(f"{g} ({len(groups[g])})" for g in names)
    lines = [f"| mode | {header} |", "|---|" + "---:|" * len(names)]
    for mode, scores in results.items():
        cells = " | ".join(f"{scores.select(groups[g]).ndcg_at_10:.3f}" for g in names)
        lines.append(f"| {mode} | {cells} |")
    return "\n".join(lines)


__all__ = [
    "DEFAULT_MODES",
    "KIND_GROUPS",
    "ModeScores",
    "Question",
    "RankingScores",
    "documents_of",
    "evaluate",
    "format_group_table",
    "format_table",
    "load_questions",
    "mean_scores",
    "question_groups",
    "score_ranking",
    "sweep_fusion",
]
