"""Load test of the web app with locust: mixed traffic at 8 and 32 clients, before and during an
ingest, on the sample corpus. ``make load`` runs it.

The data directory (samples/ ingested, as ``make demo`` does) is served by ``impactkg serve``
(waitress, the settings' ``serve_threads``) in its own process, with the rate limits OFF: every
locust client comes from 127.0.0.1 and would share one client's limit. For each client count it
runs locust headless (bench/locustfile_web.py: search, ask, resource pages, SPARQL, canned
queries and one runaway SPARQL query) twice, bounded by ``--seconds`` and ``--max-requests``:
once with the server alone, once while a writer process ingests new notes into the same data
directory and publishes a generation after each (``impactkg.wiring.run_ingest``, the real
pipeline, model annotation included).

    .venv/bin/python bench/load_web.py                          # 8 and 32 clients, 60 s a phase
    .venv/bin/python bench/load_web.py --clients 8 --seconds 20 # a quick look
    .venv/bin/python bench/load_web.py --sample-data data       # reuse a built data directory (copied)
    .venv/bin/python bench/load_web.py --setting embedding_threads 1   # any server setting
    .venv/bin/python bench/load_web.py --writer-setting annotate_with_model false  # many publishes

Nothing is asserted; the figures go in docs/RELIABILITY.md. Target: zero errors and search p95
under 200 ms at 32 clients.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, quote_plus

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
for folder in (ROOT, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_web import SAMPLE_QUERIES, Server, json_of, sample_data, sample_questions  # noqa: E402

LOCUST = str(Path(sys.executable).parent / "locust")
LOAD_SETTINGS = {"rate_limit_search_per_minute": "0", "rate_limit_ask_per_minute": "0",
                 "rate_limit_sparql_per_minute": "0", "sparql_time_limit_ms": "3000"}
"""Rate limits off (one address for every client); the runaway query stops after 3 s."""
SPARQL_QUERIES = (
    "PREFIX ikg: <https://w3id.org/impactkg/def#> SELECT (COUNT(?l) AS ?n) WHERE { ?l a ikg:Lesson }",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX ikg: <https://w3id.org/impactkg/def#> "
    "SELECT ?deal ?label WHERE { ?deal a ikg:Deal ; rdfs:label ?label } LIMIT 50",
    "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n) LIMIT 20",
)
WRITER = """
import json, sys, time
from pathlib import Path
from impactkg.settings import load_settings
from impactkg.wiring import ingest_options, lower_cpu_priority, run_ingest

data, folder, seconds = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
settings = load_settings(data, {"keep_generations": 2, **json.loads(sys.argv[4])}, environ={})
lower_cpu_priority(settings)  # as `impactkg ingest` does
deadline, number = time.monotonic() + seconds, 0
while time.monotonic() < deadline:
    note = folder / f"les-{number}.txt"
    note.write_text(f"Les {number}: de City Deal leerde dat borgen en opschalen met partners tijd kost. "
                    * 40, encoding="utf-8")
    summary, generation = run_ingest(settings, [str(note)], ingest_options(settings))
    print(json.dumps({"generation": generation.id}), flush=True)
    number += 1
"""


# --new-queries: every search is three of these words in random order, so (nearly) every query
# is one the server has not embedded before (24,360 orderings) and no query vector is cached.
NEW_QUERY_WORDS = (
    "wijk", "bewoners", "gemeente", "partners", "financiering", "evaluatie", "jongeren", "ouderen",
    "fiets", "mobiliteit", "energie", "armoede", "samenwerking", "lessen", "borging", "opschaling",
    "kennis", "hogeschool", "wethouder", "ondernemers", "inkoop", "circulair", "klimaat",
    "binnenstad", "veiligheid", "voedsel", "gezondheid", "vrijwilligers", "werkgevers", "onderwijs",
)


def load_plan(base: str, new_queries: bool = False) -> dict[str, object]:
    """What the users request, picked from what the server lists."""
    rows = json_of(base, "/api/lessons")["rows"]
    documents = json_of(base, "/api/documents")["documents"]
    deals = [d["page"] for d in json_of(base, "/api/deals")["deals"]]
    resources = [r["url"] if r["url"].startswith("/") else "/resource?iri=" + quote(r["url"], safe="")
                 for r in rows]
    resources += [d["url"] for d in documents] + deals + ["/def/Lesson", "/concept/phase-1", "/lessen"]
    canned = [f"/queries/{q['name']}.json" for q in json_of(base, "/queries.json")["queries"]
              if not q.get("parameters")]
    return {"search": [quote_plus(q) for q in SAMPLE_QUERIES],
            "ask": [quote_plus(q) for q in sample_questions()[:20]],
            "resource": resources, "sparql": list(SPARQL_QUERIES), "canned": canned,
            "new_query_words": list(NEW_QUERY_WORDS) if new_queries else []}


def run_locust(base: str, plan_file: Path, clients: int, seconds: int, max_requests: int,
               out: Path) -> dict[str, dict]:
    """One headless locust run; figures per request name and in total, from its CSV."""
    env = {**os.environ, "IMPACTKG_LOAD_PLAN": str(plan_file),
           "IMPACTKG_LOAD_MAX_REQUESTS": str(max_requests)}
    command = [LOCUST, "-f", str(BENCH / "locustfile_web.py"), "--headless", "--host", base,
               "-u", str(clients + 1), "-r", str(clients + 1), "-t", f"{seconds}s",
               "--csv", str(out), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"]
    subprocess.run(command, env=env, cwd=ROOT, check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, timeout=seconds + 120)
    figures = {}
    with open(f"{out}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            figures[row["Name"]] = {
                "requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": _ms(row["50%"]), "p95_ms": _ms(row["95%"]), "p99_ms": _ms(row["99%"]),
            }
    failures = Path(f"{out}_failures.csv").read_text(encoding="utf-8").splitlines()[1:6]
    if failures:
        figures["Aggregated"]["failures"] = failures
    return figures


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=int, default=60, help="length of one phase")
    parser.add_argument("--max-requests", type=int, default=20_000, help="cap of one phase")
    parser.add_argument("--sample-data", type=Path, help="a data directory with samples/ ingested (copied)")
    parser.add_argument("--port", type=int, default=5395)
    parser.add_argument("--json", type=Path, help="write the figures to this file as well")
    parser.add_argument("--new-queries", action="store_true",
                        help="every search a query the server has not seen (no cached query vectors)")
    parser.add_argument("--setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a setting of the server (e.g. serve_threads 16); repeatable")
    parser.add_argument("--writer-setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a setting of the writer (e.g. annotate_with_model false: cheap ingests, "
                             "a generation every few seconds); repeatable")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="load-web-"))
    data = workdir / "data"
    results: list[dict] = []
    try:
        if args.sample_data:
            shutil.copytree(args.sample_data, data, symlinks=True)
        else:
            print("ingesting samples/ ...", file=sys.stderr, flush=True)
            sample_data(data)
        for name, value in {**LOAD_SETTINGS, **dict(args.setting)}.items():
            os.environ[f"IMPACTKG_{name.upper()}"] = value
        server = Server(data, args.port)
        try:
            plan = load_plan(server.base, args.new_queries)
            plan_file = workdir / "plan.json"
            plan_file.write_text(json.dumps(plan), encoding="utf-8")
            for path in plan["search"][:3] + plan["ask"][:3]:  # the model, the answerer, the caches
                json_of(server.base, ("/api/search?q=" if path in plan["search"] else "/api/ask?q=") + path)
            for clients in args.clients:
                for phase in ("before", "during"):
                    results.append(run_phase(server.base, data, workdir, plan_file, clients, phase, args))
        finally:
            server.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


def run_phase(base: str, data: Path, workdir: Path, plan_file: Path, clients: int, phase: str,
              args: argparse.Namespace) -> dict:
    print(f"{clients} clients, {phase} an ingest ...", file=sys.stderr, flush=True)
    writer = None
    if phase == "during":
        notes = workdir / f"notes-{clients}"
        notes.mkdir()
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(data), str(notes), str(args.seconds),
                                   json.dumps(dict(args.writer_setting))],
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    figures = run_locust(base, plan_file, clients, args.seconds, args.max_requests,
                         workdir / f"locust-{clients}-{phase}-{random.randrange(10**6)}")
    generations = 0
    if writer is not None:
        out, err = writer.communicate(timeout=600)
        if writer.returncode != 0:
            raise RuntimeError(f"the writer failed: {err[-2000:]}")
        generations = len(out.splitlines())
    return {"clients": clients, "phase": phase, "seconds": round(time.monotonic() - started),
            "generations_published": generations, "figures": figures}


def print_report(results: list[dict]) -> None:
    print(f"\n{'clients':>7} {'phase':<7}{'kind':<10}{'n':>7}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'p99 ms':>8}{'errors':>8}")
    for result in results:
        for kind, f in result["figures"].items():
            label = "all" if kind == "Aggregated" else kind
            print(f"{result['clients']:>7} {result['phase']:<7}{label:<10}{f['requests']:>7}{f['rps']:>8}"
                  f"{f['p50_ms'] or '-':>8}{f['p95_ms'] or '-':>8}{f['p99_ms'] or '-':>8}{f['errors']:>8}")
        if result["phase"] == "during":
            print(f"{'':>8}(generations published during the run: {result['generations_published']})")
        for failure in result["figures"].get("Aggregated", {}).get("failures", []):
            print(f"{'':>8}failure: {failure}")


if __name__ == "__main__":
    main()
