"""Benchmark ingest: extraction alone, the whole pipeline, and a second, unchanged run.

Writes N synthetic Dutch pages of about 5 kB of a fictional programme site (menu, cookie
banner, a story about one City Deal with its lessons, chain elements, people and meetings,
"Lees ook" teasers of other pages, footer) as files, ``site/nieuws/<slug>/index.html``, into
a temporary folder; nothing touches the network. Then it measures:

- extraction alone, in this process pinned to one core: read every page's bytes
  (``ingest.read_bytes``), learn one site template from all pages and clean every page with
  it, chunk every page; with the read and chunk options the pipeline gets from the settings;
- the whole pipeline through the composition root (``impactkg.wiring.run_ingest``, in a fresh
  data folder made by ``wiring.initialise``), in a child process, with timing wrappers around
  the steps: reading, chunking, building triples, annotation rules, the annotation model,
  embedding for search, the rest of the search index, the graph write and publishing;
  once with ``annotate_with_model`` true (the default) and once with it false;
- a second, unchanged run over the same data folder: in the same process as the first run,
  and in a fresh process (as ``impactkg ingest`` run again would be), with the ratio
  first run / second run.

Run (about a minute at the default size on a quiet two-core machine, several minutes under
load; embedding dominates):

    .venv/bin/python bench/bench_ingest.py
    .venv/bin/python bench/bench_ingest.py --docs 100 --json

Nothing is asserted. Targets: extraction 20 documents per second or more on one core for
5 kB pages; an unchanged re-run 50 times faster than the first run; annotation adding at
most 50% to ingest time, embedding excluded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DOCS = 30
SITE_FOLDER = "site"
TARGET_EXTRACT_DOCS_PER_S = 20.0
TARGET_RERUN_SPEEDUP = 50.0
TARGET_ANNOTATION_SHARE = 0.5

from synthetic_site import write_site  # noqa: E402 - the bench folder is the script's own

# -- extraction alone ------------------------------------------------------------------------


@contextmanager
def one_core() -> Iterator[str]:
    """Pin this process to one core while the block runs; says which, or why not."""
    if not hasattr(os, "sched_setaffinity"):
        yield "not pinned (os.sched_setaffinity is not available here)"
        return
    before = os.sched_getaffinity(0)
    core = sorted(before)[0]
    os.sched_setaffinity(0, {core})
    try:
        yield f"pinned to core {core} of {len(before)}"
    finally:
        os.sched_setaffinity(0, before)


def measure_extraction(paths: list[Path], settings: Any, repeat: int = 3) -> dict[str, Any]:
    """read_bytes + one template for the site + chunking, with the pipeline's options.

    Timed ``repeat`` times on one core; the run with the median time is reported.
    """
    from impactkg import wiring
    from ingest import read_bytes

    options = wiring.ingest_options(settings)
    bodies = [(path.resolve().as_uri(), path.read_bytes()) for path in paths]
    read_bytes(bodies[0][1], bodies[0][0], "text/html", options.read)  # warm imports and caches
    with one_core() as pinning:
        runs = sorted((_extract_once(bodies, options) for _ in range(repeat)),
                      key=lambda run: run["seconds"])
    median = runs[len(runs) // 2]
    return {"pinning": pinning, "documents": len(bodies), "repeats_s": [r["seconds"] for r in runs],
            **median}


def _extract_once(bodies: list[tuple[str, bytes]], options: Any) -> dict[str, Any]:
    from ingest import SiteTemplate, chunk_document, read_bytes

    started = time.perf_counter()
    documents = []
    for source, body in bodies:
        outcome = read_bytes(body, source, "text/html", options.read)
        if outcome.document is not None:
            documents.append(outcome.document)
    read_done = time.perf_counter()
    template = SiteTemplate.learn(documents)
    cleaned = [template.clean(document) for document in documents]
    template_done = time.perf_counter()
    passages = sum(len(chunk_document(document, options.chunk)) for document in cleaned)
    chunk_done = time.perf_counter()
    uncleaned = sum(len(chunk_document(document, options.chunk)) for document in documents)
    count = len(bodies)
    seconds = chunk_done - started
    return {
        "read": len(documents), "passages": passages, "passages_without_template": uncleaned,
        "seconds": seconds, "docs_per_s": count / seconds,
        "ms_per_doc": {"read": 1000 * (read_done - started) / count,
                       "template": 1000 * (template_done - read_done) / count,
                       "chunk": 1000 * (chunk_done - template_done) / count},
    }


# -- the whole pipeline (in a worker process) ------------------------------------------------

STAGES = (
    ("setup", "open store, search index; other"),
    ("annotator_setup", "annotator set-up (rules, deals)"),
    ("collect", "list and read files"),
    ("known", "graph: query known documents"),
    ("extract", "extract: read HTML + template"),
    ("chunk", "chunk"),
    ("triples", "graph: build triples"),
    ("annotate_rules", "annotate: rules (and model scoring)"),
    ("annotate_model", "annotate: model (embedding sentences)"),
    ("prototypes", "annotate: embed prototypes (set-up)"),
    ("search_index", "search: index, flush"),
    ("search_embed", "search: embed passages"),
    ("graph_write", "graph: write batches"),
    ("publish", "publish generation"),
)
EMBED_STAGES = ("annotate_model", "prototypes", "search_embed")


@dataclass
class Profiler:
    """Exclusive time per stage: a stage's time without the stages running inside it."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    stack: list[list[Any]] = field(default_factory=list)  # [stage, start, time in children]

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        frame = [name, time.perf_counter(), 0.0]
        self.stack.append(frame)
        try:
            yield
        finally:
            self.stack.pop()
            spent = time.perf_counter() - frame[1]
            self.seconds[name] += spent - frame[2]
            if self.stack:
                self.stack[-1][2] += spent

    def wrap(self, owner: Any, attribute: str, name: str | Callable[[], str]) -> None:
        """Replace ``owner.attribute`` (a function or method) by a timed one."""
        original = getattr(owner, attribute)
        stage_of = name if callable(name) else (lambda: name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(stage_of()):
                return original(*args, **kwargs)

        setattr(owner, attribute, timed)


def _embedding_stage(profiler: Profiler) -> Callable[[], str]:
    def stage() -> str:
        names = [frame[0] for frame in profiler.stack]
        if "annotate_rules" in names:
            return "annotate_model"
        if "annotator_setup" in names:
            return "prototypes"
        return "search_embed"
    return stage


def instrument(profiler: Profiler) -> None:
    """Timing wrappers around the steps run_ingest goes through (nothing else changes)."""
    from impactkg import wiring
    from ingest import pipeline
    from ingest.annotate import Annotator
    from search import SearchIndex

    original_embedder = wiring.embedder
    timed_embedders: dict[int, Any] = {}

    def embedder(settings: Any) -> Any:
        real = original_embedder(settings)
        if id(real) not in timed_embedders:
            for method in ("embed_passages", "embed_query"):
                profiler.wrap(real, method, _embedding_stage(profiler))
            timed_embedders[id(real)] = real
        return real

    wiring.embedder = embedder  # type: ignore[assignment]
    profiler.wrap(wiring, "open_annotator", "annotator_setup")
    profiler.wrap(wiring, "publish", "publish")
    profiler.wrap(pipeline.IngestPipeline, "collect", "collect")
    profiler.wrap(pipeline.IngestPipeline, "_known_documents", "known")
    profiler.wrap(pipeline.IngestPipeline, "_read_all", "extract")
    profiler.wrap(pipeline.IngestPipeline, "_document_graph", "triples")
    profiler.wrap(pipeline.IngestPipeline, "_write", "graph_write")
    profiler.wrap(pipeline.IngestPipeline, "_prune", "graph_write")
    profiler.wrap(pipeline, "chunk_document", "chunk")
    profiler.wrap(Annotator, "annotate", "annotate_rules")
    for method in ("replace_document", "remove_document", "flush", "publish_to"):
        profiler.wrap(SearchIndex, method, "search_index")


def timed_run(settings: Any, site: Path, profiler: Profiler) -> dict[str, Any]:
    from impactkg import wiring

    profiler.seconds.clear()
    started = time.perf_counter()
    summary, generation = wiring.run_ingest(settings, [str(site)], wiring.ingest_options(settings))
    seconds = time.perf_counter() - started
    stages = {name: profiler.seconds.get(name, 0.0) for name, _ in STAGES}
    stages["setup"] = seconds - sum(v for k, v in stages.items() if k != "setup")
    return {
        "seconds": seconds, "stages": stages, "summary": summary.line(),
        "new": summary.count("new"), "changed": summary.count("changed"),
        "unchanged": summary.count("unchanged"), "failed": summary.count("failed"),
        "passages": summary.passages_added, "generation": generation.path.name,
        "failures": [f"{o.source}: {o.message}" for o in summary.failed][:5],
        "load_after": load_average(),
    }


def worker(spec: dict[str, Any]) -> dict[str, Any]:
    """One child process: (initialise and) ingest the site ``runs`` times into one data folder."""
    from impactkg import wiring
    from impactkg.settings import load_settings

    data_dir = Path(spec["data_dir"])
    settings = load_settings(data_dir, spec["overrides"], environ={})
    if not wiring.is_initialised(data_dir):
        wiring.initialise(settings)
    profiler = Profiler()
    instrument(profiler)
    return {"runs": [timed_run(settings, Path(spec["site"]), profiler)
                     for _ in range(spec["runs"])]}


def spawn_worker(spec: dict[str, Any]) -> dict[str, Any]:
    """Run :func:`worker` in a fresh interpreter; adds the process's wall time."""
    started = time.perf_counter()
    process = subprocess.run([sys.executable, __file__, "--worker", json.dumps(spec)],
                             capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"worker failed ({process.returncode}):\n{process.stderr[-3000:]}")
    result = json.loads(process.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    return result


# -- reporting ------------------------------------------------------------------------------


def annotation_share(run: dict[str, Any]) -> dict[str, float]:
    """What annotation adds to the rest of ingest: with all embedding taken out, and with only
    the search side's embedding taken out (so the annotation model counts as annotation)."""
    stages = run["stages"]
    embedding = sum(stages[name] for name in EMBED_STAGES)
    rules = stages["annotate_rules"] + stages["annotator_setup"]
    model = stages["annotate_model"] + stages["prototypes"]
    rest = run["seconds"] - embedding - rules
    return {"embedding_s": embedding, "rules_s": rules, "model_s": model, "rest_s": rest,
            "rules_share": rules / rest if rest > 0 else float("nan"),
            "with_model_share": (rules + model) / rest if rest > 0 else float("nan")}


def derive(results: dict[str, Any]) -> dict[str, Any]:
    """The headline figures and whether they meet the targets."""
    docs = results["docs"]
    first = results["model_on"]["runs"][0]
    same = results["model_on"]["runs"][1]
    fresh = results["rerun_fresh"]
    without_prototypes = same["seconds"] - same["stages"]["prototypes"]
    figures: dict[str, Any] = {
        "extraction_docs_per_s": results["extraction"]["docs_per_s"],
        "pipeline_docs_per_s": docs / first["seconds"],
        "first_run_s": first["seconds"],
        "rerun_same_process_s": same["seconds"],
        "rerun_fresh_run_ingest_s": fresh["runs"][0]["seconds"],
        "rerun_fresh_process_s": fresh["process_seconds"],
        "rerun_without_prototypes_s": without_prototypes,
        "speedup_same_process": first["seconds"] / same["seconds"],
        "speedup_fresh_run_ingest": first["seconds"] / fresh["runs"][0]["seconds"],
        "speedup_fresh_process": first["seconds"] / fresh["process_seconds"],
        "speedup_without_prototypes": first["seconds"] / without_prototypes,
        "annotation_model_on": annotation_share(first),
    }
    if "model_off" in results:
        off = results["model_off"]["runs"][0]
        figures["pipeline_docs_per_s_model_off"] = docs / off["seconds"]
        figures["annotation_model_off"] = annotation_share(off)
    figures["targets"] = {
        f"extraction >= {TARGET_EXTRACT_DOCS_PER_S:g} docs/s":
            figures["extraction_docs_per_s"] >= TARGET_EXTRACT_DOCS_PER_S,
        f"unchanged re-run >= {TARGET_RERUN_SPEEDUP:g}x faster (same process)":
            figures["speedup_same_process"] >= TARGET_RERUN_SPEEDUP,
        f"unchanged re-run >= {TARGET_RERUN_SPEEDUP:g}x faster (fresh process)":
            figures["speedup_fresh_process"] >= TARGET_RERUN_SPEEDUP,
        f"annotation rules add <= {100 * TARGET_ANNOTATION_SHARE:g}% (embedding excluded)":
            figures["annotation_model_on"]["rules_share"] <= TARGET_ANNOTATION_SHARE,
    }
    return figures


def report(results: dict[str, Any]) -> str:
    docs = results["docs"]
    extraction = results["extraction"]
    figures = results["figures"]
    first = results["model_on"]["runs"][0]
    same = results["model_on"]["runs"][1]
    fresh = results["rerun_fresh"]
    cores = os.cpu_count() or 1
    lines = [
        f"# bench_ingest: {docs} pages of {results['page_kb']:.1f} kB",
        "",
        f"Machine: {results['machine']}; load average (1 min) {results['load_before']:.2f} "
        f"before, {results['load_after']:.2f} after (after includes this benchmark's own work).",
    ]
    if results["load_before"] > cores / 2:
        lines.append(f"Other processes were loading the machine (load {results['load_before']:.1f}"
                     f" on {cores} cores before the start): the figures are slower than on a "
                     "quiet machine.")
    ms = extraction["ms_per_doc"]
    lines += [
        "",
        "| measurement | documents/s | seconds | passages | note |",
        "|---|---:|---:|---:|---|",
        f"| extraction alone (read + template + chunk) | {extraction['docs_per_s']:.1f} | "
        f"{extraction['seconds']:.2f} | {extraction['passages']} | {extraction['pinning']}; "
        f"median of {len(extraction['repeats_s'])}; "
        f"ms/doc: read {ms['read']:.1f}, template {ms['template']:.1f}, chunk {ms['chunk']:.1f} |",
    ]
    for key, label in (("model_on", "whole pipeline, annotation model on (default)"),
                       ("model_off", "whole pipeline, annotation model off")):
        if key in results:
            run = results[key]["runs"][0]
            lines.append(f"| {label} | {docs / run['seconds']:.2f} | {run['seconds']:.1f} | "
                         f"{run['passages']} | {run['new']} new, {run['failed']} failed |")
    lines += [
        f"| unchanged re-run, same process | {docs / same['seconds']:.1f} | "
        f"{same['seconds']:.2f} | {same['passages']} | first/second "
        f"{figures['speedup_same_process']:.1f}x |",
        f"| unchanged re-run, fresh process: run_ingest | "
        f"{docs / fresh['runs'][0]['seconds']:.1f} | {fresh['runs'][0]['seconds']:.2f} | "
        f"{fresh['runs'][0]['passages']} | first/second "
        f"{figures['speedup_fresh_run_ingest']:.1f}x |",
        f"| unchanged re-run, fresh process: whole process | "
        f"{docs / fresh['process_seconds']:.1f} | {fresh['process_seconds']:.2f} | "
        f"{fresh['runs'][0]['passages']} | first/second {figures['speedup_fresh_process']:.1f}x; "
        "with Python start-up and imports |",
        "",
        "Where the time of a pipeline run goes (seconds, each stage without the stages inside it):",
        "",
        "| stage | " + " | ".join(results["columns"]) + " |",
        "|---|" + "---:|" * len(results["columns"]),
    ]
    runs = [results[key]["runs"][index] for key, index in results["column_runs"]]
    for name, label in STAGES:
        lines.append(f"| {label} | " + " | ".join(f"{run['stages'][name]:.2f}" for run in runs)
                     + " |")
    lines.append("| **total** | " + " | ".join(f"**{run['seconds']:.2f}**" for run in runs) + " |")
    lines.append("| load average at the end of the run | "
                 + " | ".join(f"{run['load_after']:.1f}" for run in runs) + " |")
    lines.append("")
    for key, label in (("annotation_model_on", "model on"), ("annotation_model_off", "model off")):
        if key in figures:
            share = figures[key]
            lines.append(
                f"- Annotation ({label}): rules {share['rules_s']:.2f} s on top of "
                f"{share['rest_s']:.2f} s for the rest of ingest without embedding = "
                f"+{100 * share['rules_share']:.0f}%; with the annotation model's embedding "
                f"({share['model_s']:.2f} s) +{100 * share['with_model_share']:.0f}%.")
    lines.append(
        f"- The unchanged re-run without the annotator's prototype embedding would take "
        f"{figures['rerun_without_prototypes_s']:.2f} s "
        f"({figures['speedup_without_prototypes']:.0f}x faster than the first run).")
    stored = first["new"] + first["changed"]
    if stored:
        lines.append(
            f"- Passages per page: {extraction['passages'] / extraction['read']:.2f} with one "
            f"template for the site, {extraction['passages_without_template'] / extraction['read']:.2f}"
            f" without; the pipeline stored {first['passages'] / stored:.2f} per page (all pages "
            "under the named folder learn one template).")
    failures = first["failures"]
    if failures:
        lines.append(f"- {first['failed']} documents failed in the first run (and are tried "
                     f"again in every re-run), e.g. {failures[0]}")
    lines += ["", "Targets:", ""]
    lines += [f"- {name}: {'yes' if met else 'NO'}" for name, met in figures["targets"].items()]
    lines += ["", f"Command: `{results['command']}`"]
    return "\n".join(lines)


def load_average() -> float:
    """The 1-minute load average (how many processes wanted a core), or NaN where unknown."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def machine() -> str:
    cores = os.cpu_count() or 0
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = match.group(1).strip() if match else ""
    return f"{cores} cores{', ' + model if model else ''}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS, help="pages to generate")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-model-off", action="store_true",
                        help="skip the run with annotate_with_model false (halves the time)")
    parser.add_argument("--setting", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="a setting for every run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return
    if args.docs < 2:
        parser.error("--docs must be at least 2")

    folder = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        results = run_all(args, folder, dict(args.setting))
    finally:
        if args.keep:
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(results, indent=1) if args.json else report(results))


def run_all(args: argparse.Namespace, folder: Path, overrides: dict[str, str]) -> dict[str, Any]:
    from impactkg.settings import load_settings

    load_before = load_average()
    site = folder / SITE_FOLDER
    paths = write_site(site, args.docs, args.seed)
    page_kb = sum(p.stat().st_size for p in paths) / len(paths) / 1024
    results: dict[str, Any] = {
        "docs": args.docs, "page_kb": page_kb, "machine": machine(),
        "command": shlex.join([os.path.relpath(sys.executable), *sys.argv]),
        "load_before": load_before, "settings": overrides,
    }
    settings = load_settings(folder / "extract-data", overrides, environ={})
    results["extraction"] = measure_extraction(paths, settings)
    data_on = folder / "data-model-on"
    on = {"site": str(site), "overrides": overrides, "runs": 2, "data_dir": str(data_on)}
    results["model_on"] = spawn_worker(on)
    results["rerun_fresh"] = spawn_worker({**on, "runs": 1})
    results["columns"] = ["model on: first run", "model on: re-run", "re-run, fresh process"]
    results["column_runs"] = [("model_on", 0), ("model_on", 1), ("rerun_fresh", 0)]
    if not args.no_model_off:
        off = {**on, "runs": 1, "data_dir": str(folder / "data-model-off"),
               "overrides": {**overrides, "annotate_with_model": "false"}}
        results["model_off"] = spawn_worker(off)
        results["columns"].insert(1, "model off: first run")
        results["column_runs"].insert(1, ("model_off", 0))
    results["load_after"] = load_average()
    results["figures"] = derive(results)
    return results


if __name__ == "__main__":
    main()
