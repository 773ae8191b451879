"""The options of the answerer: evidence depth, answer length, abstaining thresholds, the chat writer."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ChatOptions:
    """An OpenAI-compatible chat endpoint that rewrites the extractive answer (off unless given).

    ``url`` is the API base (``http://127.0.0.1:8080/v1``); requests go to ``{url}/chat/completions``
    and nowhere else. ``api_key`` is the key itself (the composition root reads it from the
    environment variable the settings name); empty sends no Authorization header.
    """

    url: str
    model: str
    api_key: str = ""
    timeout_s: float = 20.0
    max_tokens: int = 500

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise ValueError(f"the chat endpoint must be an http(s) URL, not {self.url!r}")
        if not self.model:
            raise ValueError("the chat endpoint needs a model name")
        if self.timeout_s <= 0 or self.max_tokens < 1:
            raise ValueError("chat timeout_s and max_tokens must be positive")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When evidence counts as an answer; calibrated on the tuning part of the evaluation set.

    A question is answered from evidence when its best sentence scores at least
    ``min_evidence_score`` (see :func:`ask.abstain.evidence_score`). The values and how they
    were chosen are in docs/ask.md.
    """

    min_evidence_score: float = 0.835
    """For Dutch questions (the corpus is Dutch)."""
    min_evidence_score_en: float = 0.79
    """For English questions: similarity across languages runs lower with the same evidence."""
    min_sentence_similarity: float = 0.0
    """Sentences below this cosine similarity to the question are never quoted."""

    def for_language(self, language: str) -> float:
        return self.min_evidence_score_en if language == "en" else self.min_evidence_score


@dataclass(frozen=True, slots=True)
class AskOptions:
    """How much evidence the answerer reads and how long its answers are."""

    candidate_passages: int = 20
    """Passages the search returns for one question (the nearest are shown when unanswered)."""
    evidence_passages: int = 4
    """Best passages whose sentences are embedded, scored and may be quoted (one more than
    ``max_sentences`` leaves room for a repeat or a weak one)."""
    max_sentences: int = 3
    """Sentences in an extractive answer."""
    max_sentence_chars: int = 600
    """Longer sentences (tables, run-on lists) are not quoted."""
    duplicate_similarity: float = 0.92
    """Two sentences at least this similar (cosine) say the same; only the better is kept."""
    shown_passages: int = 5
    """Supporting passages in the answer (the cited ones first)."""
    max_graph_rows: int = 50
    max_question_chars: int = 500
    max_resources: int = 12
    thresholds: Thresholds = field(default_factory=Thresholds)
    chat: ChatOptions | None = None

    def __post_init__(self) -> None:
        for name in ("candidate_passages", "evidence_passages", "max_sentences", "shown_passages",
                     "max_graph_rows", "max_question_chars", "max_resources"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.evidence_passages > self.candidate_passages:
            raise ValueError("evidence_passages cannot exceed candidate_passages")


__all__ = ["AskOptions", "ChatOptions", "Thresholds"]
