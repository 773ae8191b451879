"""Prototype similarity: the model side of annotation (recall where no cue phrase fired)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ingest.annotate.prototypes import BACKGROUND, PROTOTYPES

# A sentence is only offered to the model for a class when one of these words occurs:
# a cheap lexical gate that keeps plain narrative out (and the embedding bill down).
GATES: dict[str, re.Pattern[str]] = {
    "ambition": re.compile(r"\b(?:ambiti\w*|doel\w*|missie|streven|willen|wil)\b", re.I),
    "policy_strategy": re.compile(r"\b(?:beleid\w*|strategie\w*|aanpak|visie|afspra\w+|koers)\b",
                                  re.I),
    "activity": re.compile(r"\b(?:organiseer\w*|organiseren|ontwikkel\w*|opgezet|uitgevoerd|"
                           r"proef|pilot|training\w*|werken\s+aan|gewerkt|opdoen|"
                           r"doorgerekend|doorrekenen|door\s+te\s+rekenen)\b", re.I),
    "output": re.compile(r"\b(?:\d+|zoveel|aantal)\b", re.I),
    "impact": re.compile(r"\b(?:effect\w*|impact|gevolg\w*|minder|meer|vaker|beter\w*|"
                         r"blijven|lange\s+termijn|gedaald|gestegen|waarde\w*)\b", re.I),
    "assumption": re.compile(r"\b(?:aanname\w*|ervan\s+uit|verwacht\w*|veronderstel\w*)\b", re.I),
    "working_element": re.compile(r"\b(?:werkza\w+|werkt|voorspel\w*|voorwaarde|sleutel)\b",
                                  re.I),
    "lesson": re.compile(r"\b(?:moet\w*|belangrijk|zorg|les\w*|inzicht|tip|advies|beter|"
                         r"kunnen|kun|helpt|geen\s+kwestie|keuze|lijken|blijkt|pas)\b", re.I),
}


class Embedder(Protocol):
    """The embedding engine search uses (see docs/CONTRACTS.md)."""

    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class ModelThresholds:
    """When a sentence counts as a class by similarity alone.

    ``min_similarity``: cosine to the nearest prototype of the class (per class, else
    ``default``); ``margin``: how much closer than the nearest background prototype and
    than the runner-up class; ``passage_gate``: passages whose vector is further than this
    from every prototype are skipped (only used with precomputed passage vectors).
    """

    default: float = 0.86
    per_class: tuple[tuple[str, float], ...] = ()
    margin: float = 0.01
    passage_gate: float = 0.80

    def __post_init__(self) -> None:
        for name, value in (("default", self.default), ("margin", self.margin),
                            ("passage_gate", self.passage_gate), *self.per_class):
            if not -1.0 <= value <= 1.0:
                raise ValueError(f"threshold {name} must lie in [-1, 1], got {value}")
        unknown = {name for name, _ in self.per_class} - set(PROTOTYPES)
        if unknown:
            raise ValueError(f"no prototypes for classes: {sorted(unknown)}")

    def for_class(self, kind: str) -> float:
        return dict(self.per_class).get(kind, self.default)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The model's best class for a sentence, with its similarity and the margin it won by."""

    kind: str
    similarity: float
    margin: float


class PrototypeModel:
    """Holds the embedded prototypes; classifies sentences by their nearest prototype."""

    def __init__(self, embedder: Embedder, thresholds: ModelThresholds) -> None:
        self.embedder = embedder
        self.thresholds = thresholds
        self._kinds: list[str] = []
        self._matrix: np.ndarray | None = None
        self._background: np.ndarray | None = None

    @property
    def ready(self) -> bool:
        return self._matrix is not None

    def warm_up(self) -> None:
        """Embed the prototypes once (as queries: short descriptions of what to find)."""
        if self._matrix is not None:
            return
        rows: list[np.ndarray] = []
        for kind, texts in PROTOTYPES.items():
            for text in texts:
                rows.append(np.asarray(self.embedder.embed_query(text), dtype=np.float32))
                self._kinds.append(kind)
        self._matrix = np.vstack(rows)
        self._background = np.vstack([
            np.asarray(self.embedder.embed_query(t), dtype=np.float32) for t in BACKGROUND
        ])

    def passage_scores(self, vectors: np.ndarray) -> np.ndarray:
        """For each passage vector, its similarity to the nearest class prototype."""
        self.warm_up()
        assert self._matrix is not None
        return (np.asarray(vectors, dtype=np.float32) @ self._matrix.T).max(axis=1)

    def classify(self, texts: Sequence[str], allowed: Sequence[set[str]]) -> list[Verdict | None]:
        """The class each text is closest to among ``allowed`` classes, if it clears the bar."""
        if not texts:
            return []
        vectors = np.asarray(self.embedder.embed_passages(list(texts)), dtype=np.float32)
        return self.classify_vectors(vectors, allowed)

    def classify_vectors(self, vectors: np.ndarray, allowed: Sequence[set[str]]
                         ) -> list[Verdict | None]:
        """``classify`` for sentences already embedded with ``embed_passages``."""
        self.warm_up()
        assert self._matrix is not None and self._background is not None
        if len(vectors) == 0:
            return []
        sims = vectors @ self._matrix.T
        background = (vectors @ self._background.T).max(axis=1)
        verdicts: list[Verdict | None] = []
        for row, kinds, bg in zip(sims, allowed, background, strict=True):
            per_kind: dict[str, float] = {}
            for kind, sim in zip(self._kinds, row, strict=True):
                per_kind[kind] = max(per_kind.get(kind, -1.0), float(sim))
            ranked = sorted(per_kind.items(), key=lambda kv: -kv[1])
            best_kind, best_sim = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else -1.0
            margin = best_sim - max(float(bg), runner_up)
            if (best_kind in kinds and best_sim >= self.thresholds.for_class(best_kind)
                    and margin >= self.thresholds.margin):
                verdicts.append(Verdict(best_kind, best_sim, margin))
            else:
                verdicts.append(None)
        return verdicts


def gated_classes(text: str) -> set[str]:
    """The classes whose lexical gate a sentence passes."""
    return {kind for kind, gate in GATES.items() if gate.search(text)}
