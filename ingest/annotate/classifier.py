"""A sentence classifier for lessons and working elements over the search embedder's vectors.

A multinomial logistic regression (classes: lesson, working_element, other) trained by
``scripts/train_sentence_classifier.py`` on the labelled sentences in
``ingest/annotate/training/sentences.tsv``; its weights and per-class thresholds
(calibrated on a held-out quarter of those sentences) ship in ``model/sentences.npz``.
Nothing is trained at run time. The classifier only runs with the embedder it was trained
with: vectors of another model mean nothing to its weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

MODEL_FILE = "model/sentences.npz"


@dataclass(frozen=True, slots=True)
class SentenceVerdict:
    """The classifier's class for one sentence and its probability."""

    kind: str
    probability: float


@dataclass(frozen=True, slots=True)
class SentenceClassifier:
    """Weights, bias, class names, thresholds and the embedder they belong to."""

    weights: np.ndarray
    bias: np.ndarray
    classes: tuple[str, ...]
    thresholds: dict[str, float]
    embedder_name: str

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        logits = np.asarray(vectors, dtype=np.float32) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def classify(self, vectors: np.ndarray) -> list[SentenceVerdict | None]:
        """For each vector: the most probable class when it is not 'other' and clears its
        calibrated threshold, else None."""
        if len(vectors) == 0:
            return []
        out: list[SentenceVerdict | None] = []
        for row in self.probabilities(vectors):
            best = int(np.argmax(row))
            kind = self.classes[best]
            threshold = self.thresholds.get(kind)
            if threshold is not None and float(row[best]) >= threshold:
                out.append(SentenceVerdict(kind, float(row[best])))
            else:
                out.append(None)
        return out


def save_classifier(path: str, classifier: SentenceClassifier, **metadata: object) -> None:
    np.savez_compressed(
        path, weights=classifier.weights.astype(np.float32), bias=classifier.bias.astype(np.float32),
        classes=np.array(classifier.classes), threshold_names=np.array(list(classifier.thresholds)),
        threshold_values=np.array(list(classifier.thresholds.values()), dtype=np.float32),
        embedder_name=np.array(classifier.embedder_name),
        **{f"meta_{k}": np.array(v) for k, v in metadata.items()},
    )


@lru_cache(maxsize=1)
def load_classifier() -> SentenceClassifier | None:
    """The shipped classifier, or None when the package has no model file."""
    try:
        with resources.files("ingest.annotate").joinpath(MODEL_FILE).open("rb") as handle:
            data = np.load(handle, allow_pickle=False)
            return SentenceClassifier(
                weights=np.asarray(data["weights"], dtype=np.float32),
                bias=np.asarray(data["bias"], dtype=np.float32),
                classes=tuple(str(c) for c in data["classes"]),
                thresholds={str(k): float(v) for k, v in zip(data["threshold_names"],
                                                             data["threshold_values"], strict=True)},
                embedder_name=str(data["embedder_name"]),
            )
    except (FileNotFoundError, KeyError, ValueError):
        return None
