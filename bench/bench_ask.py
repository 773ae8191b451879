"""Benchmark the answerer: latency of extractive answers in a warm process.

    python bench/bench_ask.py                        # builds a data directory from samples/ first
    python bench/bench_ask.py --data-dir DATA        # an existing data directory
    python bench/bench_ask.py --repeat 3 --questions tests/fixtures/ask_questions.jsonl

The process loads the model and the indexes and answers one question before timing starts
(a warm process, as in a server). The first pass over the questions is timed as "new
questions": every question, and the sentences of the passages it reads, is embedded for the
first time. Later passes repeat the same questions, so their embeddings come from the
in-memory caches; that is the "repeated questions" figure. Set OMP_WAIT_POLICY=PASSIVE when
other processes share the cores (docs/search.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from impactkg import wiring  # noqa: E402
from impactkg.cli import cli  # noqa: E402
from impactkg.settings import load_settings  # noqa: E402

WARM_UP_QUESTION = "Wat is een City Deal?"


def build_samples(data_dir: Path) -> None:
    for args in (["init"], ["ingest", str(ROOT / "samples")]):
        result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], catch_exceptions=False)
        if result.exit_code != 0:
            raise SystemExit(result.output)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(name: str, timings: list[dict[str, float]]) -> str:
    totals = [t["total"] for t in timings]
    parts = " ".join(f"{part} {statistics.median(t[part] for t in timings):.0f}"
                     for part in ("link", "graph", "search", "compose"))
    return (f"{name:<20} n={len(totals):<4} p50 {percentile(totals, 0.5):6.0f} ms  "
            f"p95 {percentile(totals, 0.95):6.0f} ms  max {max(totals):6.0f} ms  (median ms: {parts})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=None, help="existing data directory")
    parser.add_argument("--questions", type=Path, default=ROOT / "tests/fixtures/ask_questions.jsonl")
    parser.add_argument("--repeat", type=int, default=2, help="passes over the questions")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = Path(tmp) / "data"
            started = time.perf_counter()
            build_samples(data_dir)
            print(f"built a data directory from samples/ in {time.perf_counter() - started:.1f} s")
        questions = [json.loads(line)["q"] for line in args.questions.read_text(encoding="utf-8").splitlines()
                     if line.strip()]
        settings = load_settings(data_dir)
        with wiring.open_reader(settings) as reader, wiring.open_search(settings, reader) as index:
            started = time.perf_counter()
            answerer = wiring.open_answerer(settings, reader, index)
            print(f"answerer ready in {(time.perf_counter() - started) * 1000:.0f} ms "
                  f"(entity catalog of {len(answerer.catalog)} entities)")
            answerer.answer(WARM_UP_QUESTION)
            passes = []
            for _ in range(args.repeat):
                passes.append([answerer.answer(q).timings_ms for q in questions])
    print(summary("new questions", passes[0]))
    if len(passes) > 1:
        print(summary("repeated questions", [t for timings in passes[1:] for t in timings]))


if __name__ == "__main__":
    main()
