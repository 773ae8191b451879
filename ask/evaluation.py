"""Scoring the answerer on a question set (JSON lines), for `impactkg eval-ask` and the quality test.

Each line: ``{"id", "q", "lang", "kind", "style", "split", "relevant"?, "expected"?}`` where
``kind`` is "evidence", "both", "graph" or "unanswerable"; ``relevant`` lists documents by file
name with verbatim ``evidence`` phrases, and ``expected`` a graph question's exact answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from ask.answer import Answer
from ask.text import fold

KINDS = ("evidence", "both", "graph", "unanswerable")
TOP_CITATIONS = 3


@dataclass(frozen=True, slots=True)
class Relevant:
    document: str
    """The document's file name (or the last part of its URL)."""
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AskQuestion:
    id: str
    question: str
    kind: str
    split: str = "tune"
    language: str = "nl"
    style: str = ""
    relevant: tuple[Relevant, ...] = ()
    expected: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


def load_questions(path: Path) -> list[AskQuestion]:
    """Read a question file; a bad line raises ValueError naming the line."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            kind = item["kind"]
            if kind not in KINDS:
                raise ValueError(f"kind must be one of {', '.join(KINDS)}")
            relevant = tuple(Relevant(r["doc"], tuple(r["evidence"])) for r in item.get("relevant", ()))
            if kind in ("evidence", "both") and not relevant:
                raise ValueError("an evidence question needs relevant documents")
            if kind == "graph" and not item.get("expected"):
                raise ValueError("a graph question needs its expected answers")
            questions.append(AskQuestion(
                id=str(item.get("id", number)), question=item["q"], kind=kind,
                split=item.get("split", "tune"), language=item.get("lang", "nl"),
                style=item.get("style", ""), relevant=relevant,
                expected=tuple(str(v) for v in item.get("expected", ()))))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: {error}") from None
    return questions


def _document_name(source: str) -> str:
    path = urlparse(source).path if "://" in source else source
    return PurePosixPath(path.rstrip("/")).name


def _normal(text: str) -> str:
    return fold(" ".join(text.split()))


@dataclass(frozen=True, slots=True)
class Outcome:
    """How the answerer did on one question."""

    question: AskQuestion
    answered: bool
    kind: str
    passage_hit: bool = False
    """A correct passage (the right document, holding an evidence phrase) among the first citations."""
    document_hit: bool = False
    exact: bool = False
    """Graph questions: the answer column holds exactly the expected values."""
    cited: tuple[str, ...] = ()
    got: tuple[str, ...] = ()
    reason: str = ""


def judge_answer(question: AskQuestion, answer: Answer) -> Outcome:
    cited_documents: list[str] = []
    passage_hit = document_hit = False
    passages = {p.passage_iri: p.text for p in answer.passages}
    relevant = {r.document: r.evidence for r in question.relevant}
    for citation in answer.citations[:TOP_CITATIONS]:
        name = _document_name(citation.evidence.source)
        cited_documents.append(name)
        if name in relevant:
            document_hit = True
            text = _normal(passages.get(citation.evidence.passage_iri, citation.evidence.passage_text))
            if any(_normal(phrase) in text for phrase in relevant[name]):
                passage_hit = True
    got: tuple[str, ...] = ()
    exact = False
    if question.kind == "graph" and answer.graph_rows is not None:
        got = tuple(sorted({row[0] for row in answer.graph_rows.rows if row and row[0] is not None}))
        exact = answer.answered and {_normal(v) for v in got} == {_normal(v) for v in question.expected}
    return Outcome(question, answer.answered, answer.kind, passage_hit, document_hit, exact,
                   tuple(cited_documents), got, answer.reason)


def _share(hits: Iterable[bool]) -> float | None:
    values = list(hits)
    return sum(values) / len(values) if values else None


@dataclass(frozen=True, slots=True)
class Scores:
    """The four figures of the issue, for one part of the set."""

    name: str
    questions: int
    citation_top3: float | None
    """Answerable evidence questions with a correct passage among the first three citations."""
    document_top3: float | None
    unanswerable_declined: float | None
    answerable_answered: float | None
    graph_exact: float | None

    def as_dict(self) -> dict[str, object]:
        return {"split": self.name, "questions": self.questions, "citation_top3": self.citation_top3,
                "document_top3": self.document_top3, "unanswerable_declined": self.unanswerable_declined,
                "answerable_answered": self.answerable_answered, "graph_exact": self.graph_exact}


def scores(name: str, outcomes: Sequence[Outcome]) -> Scores:
    evidence = [o for o in outcomes if o.question.kind in ("evidence", "both")]
    return Scores(
        name=name, questions=len(outcomes),
        citation_top3=_share(o.passage_hit for o in evidence),
        document_top3=_share(o.document_hit for o in evidence),
        unanswerable_declined=_share(not o.answered for o in outcomes if not o.question.answerable),
        answerable_answered=_share(o.answered for o in outcomes if o.question.answerable),
        graph_exact=_share(o.exact for o in outcomes if o.question.kind == "graph"),
    )


@dataclass(frozen=True, slots=True)
class Report:
    outcomes: tuple[Outcome, ...]
    parts: tuple[Scores, ...] = field(default=())

    def part(self, name: str) -> Scores:
        return next(p for p in self.parts if p.name == name)


def evaluate(ask: Callable[[str], Answer], questions: Sequence[AskQuestion]) -> Report:
    """Ask every question and score the answers: per split and over all questions."""
    outcomes = tuple(judge_answer(q, ask(q.question)) for q in questions)
    splits = sorted({o.question.split for o in outcomes})
    parts = [scores(split, [o for o in outcomes if o.question.split == split]) for split in splits]
    parts.append(scores("all", outcomes))
    return Report(outcomes, tuple(parts))


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_report(report: Report, errors: bool = False) -> str:
    lines = ["| part | questions | correct passage in top 3 | correct document in top 3 | "
             "unanswerable declined | answerable answered | graph exact |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for part in report.parts:
        lines.append(f"| {part.name} | {part.questions} | {_cell(part.citation_top3)} | "
                     f"{_cell(part.document_top3)} | {_cell(part.unanswerable_declined)} | "
                     f"{_cell(part.answerable_answered)} | {_cell(part.graph_exact)} |")
    if errors:
        lines.append("")
        for o in report.outcomes:
            q = o.question
            wrong = ((q.answerable and not o.answered) or (not q.answerable and o.answered)
                     or (q.kind in ("evidence", "both") and not o.passage_hit)
                     or (q.kind == "graph" and not o.exact))
            if wrong:
                detail = (f"cited {', '.join(o.cited) or '-'}" if q.kind != "graph"
                          else f"got {list(o.got)}, expected {list(q.expected)}")
                lines.append(f"{q.id} [{q.split}, {q.kind}] answered={o.answered} {detail}: {q.question}"
                             + (f" ({o.reason})" if o.reason else ""))
    return "\n".join(lines)


__all__ = ["AskQuestion", "Outcome", "Relevant", "Report", "Scores", "evaluate", "format_report",
           "judge_answer", "load_questions", "scores"]
