"""Re-record tests/fixtures/retrieval/baseline.json ("retrieval_set"): nDCG@10 per mode and group
on both splits, and the held-out floors one question's worth below (1 / questions in the group).

Run it only after the defaults were chosen on the tuning split (bench/sweep_retrieval.py); the
held-out figures it writes are what tests/test_search_heldout.py gates on:

    impactkg --data-dir DATA init
    impactkg --data-dir DATA --setting annotate_with_model false ingest tests/fixtures/retrieval/docs
    .venv/bin/python bench/record_retrieval_baseline.py DATA
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from impactkg import wiring  # noqa: E402
from impactkg.settings import load_settings  # noqa: E402
from search import evaluate, load_questions, question_groups  # noqa: E402

QUESTIONS = ROOT / "tests" / "fixtures" / "retrieval" / "questions.jsonl"
BASELINE = ROOT / "tests" / "fixtures" / "retrieval" / "baseline.json"
MODES = ("hybrid", "semantic", "keyword")


def measure(index, questions: list) -> tuple[dict[str, int], dict[str, dict[str, float]]]:
    groups = question_groups(questions)
    scores = evaluate(index, questions, MODES)
    measured = {mode: {g: round(scores[mode].select(m).ndcg_at_10, 3) for g, m in groups.items()}
                for mode in MODES}
    return {g: len(m) for g, m in groups.items()}, measured


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    args = parser.parse_args(argv)
    settings = load_settings(args.data_dir)
    questions = wiring.resolve_relevant(load_questions(QUESTIONS), QUESTIONS.parent)
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    section = baseline["retrieval_set"]
    with wiring.open_reader(settings) as reader, wiring.open_search(settings, reader) as index:
        for split in ("heldout", "tuning"):
            counts, measured = measure(index, [q for q in questions if q.split == split])
            section[split]["questions"] = counts
            section[split]["measured"] = measured
            if split == "heldout":
                section[split]["floors"] = {
                    mode: {g: round(value - 1 / counts[g], 3) for g, value in groups.items()}
                    for mode, groups in measured.items()
                }
            print(split, json.dumps(measured), flush=True)
    baseline["measured_on"] = datetime.now(UTC).date().isoformat()
    BASELINE.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
