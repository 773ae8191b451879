"""The answer records and their JSON form (the shape the CLI, the JSON API and the web app share)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """One quoted span of a passage, before it gets a citation number.

    ``start``/``end`` are offsets of ``quote`` in ``passage_text``. Curated reference data has no
    passage: then ``passage_iri`` is empty, ``document_iri`` is the reference graph and the
    offsets are None.
    """

    passage_iri: str
    document_iri: str
    title: str
    source: str
    quote: str
    start: int | None
    end: int | None
    passage_text: str = ""
    date: str = ""
    heading_path: tuple[str, ...] = ()
    score: float = 0.0

    @property
    def key(self) -> tuple[str, str, int | None, int | None]:
        return (self.passage_iri or self.document_iri, self.quote, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Segment:
    """Part of an answer sentence and the evidence its citation markers point to."""

    text: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Draft:
    """An answer sentence before numbering: segments, each followed by its markers."""

    segments: tuple[Segment, ...]
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Citation:
    id: int
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        e = self.evidence
        return {"id": self.id, "passage_iri": e.passage_iri, "document_iri": e.document_iri,
                "title": e.title, "source": e.source, "quote": e.quote, "start": e.start,
                "end": e.end, "score": round(e.score, 4)}


@dataclass(frozen=True, slots=True)
class AnswerSentence:
    text: str
    citations: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations)}


@dataclass(frozen=True, slots=True)
class Resource:
    """A resource the answer is about, with its key facts (property local name -> values)."""

    iri: str
    type: str
    label: str
    facts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"iri": self.iri, "type": self.type, "label": self.label,
                "facts": {name: list(values) for name, values in self.facts.items()}}


@dataclass(frozen=True, slots=True)
class CitedSpan:
    citation: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PassageView:
    """A supporting passage with the spans the answer cites marked."""

    passage_iri: str
    document_iri: str
    title: str
    source: str
    date: str
    heading_path: tuple[str, ...]
    text: str
    cited: tuple[CitedSpan, ...]
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"passage_iri": self.passage_iri, "document_iri": self.document_iri,
                "title": self.title, "source": self.source, "date": self.date,
                "heading_path": list(self.heading_path), "text": self.text,
                "cited": [{"citation": c.citation, "start": c.start, "end": c.end} for c in self.cited],
                "score": round(self.score, 4)}


@dataclass(frozen=True, slots=True)
class GraphRows:
    variables: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"variables": list(self.variables), "rows": [list(row) for row in self.rows]}


@dataclass(frozen=True, slots=True)
class Answer:
    """A cited answer, or the honest statement that there is none, with what supports it.

    ``kind``: "graph", "evidence", "graph+evidence", or "declined" for a question outside the
    programme's subject. ``writer`` says who wrote ``text``: "extractive" (sentences quoted from
    passages, the default) or "chat" (the configured chat model, from the same citations).
    """

    question: str
    language: str
    answered: bool
    kind: str
    reason: str
    text: str
    sentences: tuple[AnswerSentence, ...]
    citations: tuple[Citation, ...]
    resources: tuple[Resource, ...]
    passages: tuple[PassageView, ...]
    linked: tuple[dict[str, Any], ...]
    sparql: str | None
    graph_rows: GraphRows | None
    timings_ms: dict[str, float]
    writer: str = "extractive"
    writer_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (see docs/ask.md for every field)."""
        return {
            "question": self.question, "language": self.language, "answered": self.answered,
            "kind": self.kind, "reason": self.reason, "text": self.text,
            "sentences": [s.to_dict() for s in self.sentences],
            "citations": [c.to_dict() for c in self.citations],
            "resources": [r.to_dict() for r in self.resources],
            "passages": [p.to_dict() for p in self.passages],
            "linked": list(self.linked),
            "sparql": self.sparql,
            "graph_rows": self.graph_rows.to_dict() if self.graph_rows is not None else None,
            "timings_ms": {name: round(value, 1) for name, value in self.timings_ms.items()},
            "writer": self.writer, "writer_note": self.writer_note,
        }


__all__ = [
    "Answer",
    "AnswerSentence",
    "Citation",
    "CitedSpan",
    "Draft",
    "Evidence",
    "GraphRows",
    "PassageView",
    "Resource",
    "Segment",
]
