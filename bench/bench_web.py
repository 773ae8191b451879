"""Benchmark the web app through the real server: server time of the search, ask, resource and
deal pages, on the sample corpus and on a synthetic graph of 100k passages.

Each data directory is served by ``impactkg serve`` (waitress) in its own process; requests go
one at a time over HTTP. Server time is what the app itself reports (``Server-Timing: app``,
from the start of the request to the end of rendering); wall time adds HTTP and the client.
Every page kind is warmed up with a few requests first (the model, the generation, the caches
a generation fills once), then timed.

    .venv/bin/python bench/bench_web.py                      # samples + 100k synthetic (~10 min)
    .venv/bin/python bench/bench_web.py --passages 10000 --requests 40
    .venv/bin/python bench/bench_web.py --sample-data data --no-synthetic

Nothing is asserted. Target: p95 under 150 ms for the search and resource pages.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
for folder in (ROOT, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_search import synthetic_queries  # noqa: E402

IMPACTKG = [str(Path(sys.executable).parent / "impactkg")]
SAMPLE_QUERIES = ("opschalingspartners", "profijtgroep betrekken", "waardering vrijwilligers",
                  "borgen na afloop", "partijen die weerstand bieden", "fietslessen voor volwassenen",
                  "eenzaamheid ouderen", "impact meten", "werkzame elementen",
                  "wat blijft er over als de deal stopt")
ASK_QUESTIONS = ROOT / "tests" / "fixtures" / "ask_questions.jsonl"
WARM_UP = 3


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def get(base: str, path: str) -> tuple[int, float, float, bytes]:
    """(status, server ms, wall ms, body) of one GET."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=120) as response:
            body, status = response.read(), response.status
            timing = response.headers.get("Server-Timing", "")
    except urllib.error.HTTPError as error:
        body, status, timing = error.read(), error.code, error.headers.get("Server-Timing", "")
    wall = (time.perf_counter() - started) * 1000
    server = float(timing.split("dur=")[1]) if "dur=" in timing else float("nan")
    return status, server, wall, body


class Server:
    """``impactkg serve`` on a free port, in its own process."""

    def __init__(self, data_dir: Path, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [*IMPACTKG, "--data-dir", str(data_dir), "serve", "--port", str(port)]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"impactkg serve exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                urllib.request.urlopen(self.base + "/api/stats", timeout=5).read()
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("impactkg serve did not start within 300 s")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def json_of(base: str, path: str) -> dict:
    status, _, _, body = get(base, path)
    if status != 200:
        raise RuntimeError(f"{path}: {status} {body[:200]!r}")
    return json.loads(body)


def sample_questions() -> list[str]:
    """The ask evaluation's questions (each asked once: a repeated one would be cached)."""
    lines = ASK_QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()]


def synthetic_questions(count: int) -> list[str]:
    return [f"Wat zeggen de documenten over {query}?" for query in synthetic_queries(count, seed=29)]


def request_plan(base: str, queries: list[str], questions: list[str], count: int,
                 rng: random.Random) -> dict[str, list[str]]:
    """The paths to time per page kind, picked from what the server itself lists."""
    deals = [d["page"] for d in json_of(base, "/api/deals")["deals"] if d["documents_about"]]
    rows = json_of(base, "/api/lessons")["rows"]
    documents = json_of(base, "/api/documents")["documents"]
    resources = [r["url"] for r in rows]
    resources += [r["evidence"]["passage"] for r in rows if r["evidence"]["passage"]]
    resources = [path if path.startswith("/") else "/resource?iri=" + quote(path, safe="")
                 for path in resources]
    resources += [d["url"] for d in documents] + ["/def/Lesson", "/concept/phase-1", "/def/aboutDeal"]
    facets = json_of(base, "/api/search?" + urlencode({"q": queries[0]}))["facets"]
    deal_values = next((f["values"] for f in facets if f["facet"] == "deal"), [])
    search = []
    for number in range(count):
        params = {"q": queries[number % len(queries)]}
        if number % 4 == 3 and deal_values:
            params["deal"] = rng.choice(deal_values)["value"]
        elif number % 5 == 4:
            params["page"] = "2"
        search.append("/zoeken?" + urlencode(params))
    return {
        "search": search,
        "resource": [rng.choice(resources) for _ in range(count)],
        "deal": [rng.choice(deals) for _ in range(max(1, count // 2))] if deals else [],
        "ask": ["/vraag?" + urlencode({"q": question}) for question in questions[:max(1, count // 2)]],
    }


def time_plan(base: str, plan: dict[str, list[str]]) -> dict[str, dict]:
    results = {}
    for kind, paths in plan.items():
        if not paths:
            continue
        status, _, _, _ = get(base, paths[0])
        if status == 503 and kind == "ask":
            results[kind] = {"skipped": "question answering is not available"}
            continue
        for path in paths[:WARM_UP]:
            get(base, path)
        server, wall, errors = [], [], 0
        for path in paths:
            status, server_ms, wall_ms, _ = get(base, path)
            if status != 200:
                errors += 1
                continue
            server.append(server_ms)
            wall.append(wall_ms)
        results[kind] = {
            "requests": len(server), "errors": errors,
            "server_p50_ms": round(statistics.median(server), 1),
            "server_p95_ms": round(percentile(server, 0.95), 1),
            "wall_p50_ms": round(statistics.median(wall), 1), "wall_p95_ms": round(percentile(wall, 0.95), 1),
        }
    return results


def sample_data(target: Path) -> Path:
    for args in (["init"], ["ingest", str(ROOT / "samples")]):
        subprocess.run([*IMPACTKG, "--data-dir", str(target), *args], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return target


def run(name: str, data_dir: Path, queries: list[str], questions: list[str], count: int,
        port: int) -> dict:
    print(f"serving {name} ...", file=sys.stderr, flush=True)
    server = Server(data_dir, port)
    try:
        plan = request_plan(server.base, queries, questions, count, random.Random(3))
        return time_plan(server.base, plan)
    finally:
        server.close()


def print_report(results: dict[str, dict]) -> None:
    print(f"\n{'data':<22}{'page':<10}{'n':>5}{'server p50':>12}{'server p95':>12}"
          f"{'wall p50':>10}{'wall p95':>10}")
    for name, kinds in results.items():
        for kind, figures in kinds.items():
            if "skipped" in figures:
                print(f"{name:<22}{kind:<10}  ({figures['skipped']})")
                continue
            print(f"{name:<22}{kind:<10}{figures['requests']:>5}{figures['server_p50_ms']:>12}"
                  f"{figures['server_p95_ms']:>12}{figures['wall_p50_ms']:>10}{figures['wall_p95_ms']:>10}"
                  + (f"  errors {figures['errors']}" if figures["errors"] else ""))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--passages", type=int, default=100_000, help="size of the synthetic graph")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page kind")
    parser.add_argument("--sample-data", type=Path,
                        help="a data directory with samples/ ingested (else one is built)")
    parser.add_argument("--synthetic-data", type=Path, help="keep/reuse the synthetic data directory here")
    parser.add_argument("--no-synthetic", action="store_true")
    parser.add_argument("--port", type=int, default=5391)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON as well")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    results: dict[str, dict] = {}
    try:
        samples = args.sample_data or sample_data(workdir / "samples")
        results["samples"] = run("samples", samples, list(SAMPLE_QUERIES), sample_questions(),
                                 args.requests, args.port)
        if not args.no_synthetic:
            import synthetic_graph

            synthetic = args.synthetic_data or workdir / "synthetic"
            if not (synthetic / "current").exists():
                print(f"building a synthetic graph of {args.passages:,} passages ...", file=sys.stderr,
                      flush=True)
                started = time.perf_counter()
                synthetic_graph.build(synthetic, args.passages)
                print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
            results[f"synthetic {args.passages // 1000}k"] = run(
                "synthetic", synthetic, synthetic_queries(40), synthetic_questions(args.requests),
                args.requests, args.port + 1)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_report(results)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
