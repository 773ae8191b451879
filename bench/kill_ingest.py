"""SIGKILL the ingest process at random points, then prove nothing was lost (issue [10/10]).

One data folder and one synthetic site (``bench/synthetic_site.py``) for the whole run. Each
round rewrites some pages (so there is work), starts an ingest in a child process and kills
it with SIGKILL at one of these points, watched from outside (no hook in the code):

- ``random``: after a random delay;
- ``flush``: while the search index writes its files (a ``.tmp-*`` file in ``DATA/search``);
- ``after-flush``: just after the search manifest changed, i.e. between the search flush and
  the graph transaction of a batch;
- ``publish``: while a generation is being built (``DATA/generations/.building-*``).

After each kill it checks: the primary store opens; the current generation opens, its
graph validates against the SHACL shapes and its search index holds exactly its graph's
passages (``impactkg.repair.check_agreement``); then a re-run (not killed) completes, every
page's current bytes are stored (content hash per document), and both the writer's and the
new generation's search index agree with the graph. It reports how many documents each
re-run had to redo: the work the kill lost.

Ingest runs ``wiring.run_ingest`` with :class:`random_embedder.RandomEmbedder` (the model
would make each round minutes long on two shared cores; see bench_memory.py).

    .venv/bin/python bench/kill_ingest.py --kills 50            # make kill-test
    .venv/bin/python bench/kill_ingest.py --kills 3 --pages 30 --commit-every 5

Exit status 1 when any check failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from random_embedder import settings_with_random_embedder
from synthetic_site import write_site

if TYPE_CHECKING:
    from impactkg.settings import Settings
    from kg import GenerationReader

MODES = ("random", "flush", "after-flush", "publish")
_POLL_S = 0.002


@dataclass(slots=True)
class Round:
    number: int
    mode: str
    killed: bool = False
    seconds: float = 0.0
    redone: int = 0
    rerun_s: float = 0.0
    problems: list[str] = field(default_factory=list)


def child_ingest(data: Path, site: Path) -> None:
    """One ingest run (in the child process the parent kills)."""
    from impactkg import wiring

    settings = settings_with_random_embedder(data)
    summary, generation = wiring.run_ingest(settings, [str(site)], wiring.ingest_options(settings))
    print(json.dumps({"new": summary.count("new"), "changed": summary.count("changed"),
                      "failed": summary.count("failed"), "generation": generation.id}))


def start_ingest(data: Path, site: Path, commit_every: int) -> subprocess.Popen[str]:
    # annotate_with_model off: prototype similarity with random vectors means nothing
    env = {**os.environ, "IMPACTKG_INGEST_COMMIT_EVERY_DOCUMENTS": str(commit_every),
           "IMPACTKG_ANNOTATE_WITH_MODEL": "false"}
    return subprocess.Popen([sys.executable, __file__, "--child-ingest", str(data), str(site)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _manifest_stamp(data: Path) -> int:
    try:
        return (data / "search" / "manifest.json").stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _building(data: Path) -> set[str]:
    """Generation folders being built (or left by a writer killed while it built one)."""
    return {p.name for p in (data / "generations").glob(".building-*")}


def _phase_seen(data: Path, mode: str, stamp: int, left_before: set[str]) -> bool:
    if mode == "flush":
        return any((data / "search").glob(".tmp-*"))
    if mode == "after-flush":
        return _manifest_stamp(data) != stamp
    if mode == "publish":
        return bool(_building(data) - left_before)
    return False


def kill_at(process: subprocess.Popen[str], data: Path, mode: str, delay_s: float) -> bool:
    """Wait for the point ``mode`` names (or ``delay_s``), then SIGKILL; False if it ended first."""
    started = time.monotonic()
    stamp, left_before = _manifest_stamp(data), _building(data)
    while process.poll() is None:
        if (mode == "random" and time.monotonic() - started >= delay_s) or _phase_seen(
                data, mode, stamp, left_before):
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(_POLL_S)
    return False


def rewrite_pages(pages: list[Path], rng: random.Random, count: int) -> None:
    """Give ``count`` pages a new paragraph in their story, so ingest has passages to write."""
    for page in rng.sample(pages, min(count, len(pages))):
        html = re.sub(r'<p class="bijgewerkt">.*?</p>', "", page.read_text(encoding="utf-8"))
        number = rng.randint(1, 10**9)
        update = (f'<p class="bijgewerkt">Bijgewerkt: in overleg {number} besprak de werkgroep '
                  f"opnieuw hoe de aanpak van deze City Deal in andere gemeenten kan landen, "
                  f"en welke partners daarvoor nodig zijn.</p>")
        page.write_text(html.replace("</ul></div>", f"</ul>{update}</div>", 1), encoding="utf-8")


KNOWN_VIOLATIONS: set[tuple[str, str]] = set()
"""Kinds (path, message) of SHACL violations the first, uninterrupted ingest already has: the
annotator's, not the kills' (see docs/RELIABILITY.md). A kill must not add another kind."""


def violation_kinds(data: Path) -> set[tuple[str, str]]:
    from impactkg import wiring
    from kg.validate import validate_store

    with wiring.open_reader(settings_with_random_embedder(data)) as reader:
        return {(f.path, f.message) for f in validate_store(reader.store).violations}


def check_after_kill(data: Path) -> list[str]:
    """The store opens; the current generation validates and its index agrees with its graph."""
    from impactkg import wiring
    from kg.validate import validate_store

    settings = settings_with_random_embedder(data)
    problems = []
    try:
        with wiring.open_writer(settings) as store:
            store.quad_count()
    except Exception as error:
        problems.append(f"primary store does not open: {error}")
    with wiring.open_reader(settings) as reader:
        report = validate_store(reader.store)
        new = [f for f in report.violations if (f.path, f.message) not in KNOWN_VIOLATIONS]
        if new:
            problems.append(f"generation {reader.generation.id}: {len(new)} SHACL "
                            f"violations, e.g. {new[0].focus} {new[0].message}")
        problems += generation_agreement(settings, reader)
    return problems


def generation_agreement(settings: Settings, reader: GenerationReader) -> list[str]:
    """The current generation's search index holds exactly its graph's passages."""
    from impactkg.repair import check_agreement

    agreement = check_agreement(settings, reader.generation, reader)
    return [] if agreement.agrees else [f"generation {reader.generation.id}: {agreement.line()}"]


_STORED_HASHES = ("SELECT ?src ?hash WHERE { ?d a ikg:Document ; prov:hadPrimarySource ?src ; "
                  "ikg:contentHash ?hash }")


def _stale_pages(graph: object, pages: list[Path]) -> list[Path]:
    """Pages whose current bytes the graph does not hold."""
    stored = {row[0].value: row[1].value for row in graph.query(_STORED_HASHES).rows}  # type: ignore[attr-defined]
    return [p for p in pages
            if stored.get(p.resolve().as_uri()) != hashlib.sha256(p.read_bytes()).hexdigest()]


def check_complete(data: Path, pages: list[Path]) -> list[str]:
    """Every page's current bytes are stored and published, and both the writer's and the
    current generation's search index agree with their graph (validation ran after the kill)."""
    from impactkg import wiring
    from search.consistency import check_index_against_graph

    settings = settings_with_random_embedder(data)
    problems = []
    with wiring.open_writer(settings) as store:
        stale = _stale_pages(store, pages)
        if stale:
            problems.append(f"{len(stale)} pages not stored as they are now, e.g. {stale[0]}")
        with wiring.open_sink(settings) as sink:
            agreement = check_index_against_graph(store, sink)
            if not agreement.agrees:
                problems.append(f"writer: {agreement.line()}")
    with wiring.open_reader(settings) as reader:
        stale = _stale_pages(reader, pages)
        if stale:
            problems.append(f"generation {reader.generation.id}: {len(stale)} pages not "
                            f"published as they are now, e.g. {stale[0]}")
        problems += generation_agreement(settings, reader)
    return problems


def run_round(number: int, mode: str, data: Path, site: Path, pages: list[Path],
              rng: random.Random, args: argparse.Namespace, run_s: float) -> Round:
    """Rewrite pages, kill an ingest at ``mode`` (a random delay: up to ``run_s``), check."""
    result = Round(number, mode)
    rewrite_pages(pages, rng, args.rewrite)
    started = time.monotonic()
    process = start_ingest(data, site, args.commit_every)
    result.killed = kill_at(process, data, mode, rng.uniform(0.1, 1.0) * run_s)
    result.seconds = time.monotonic() - started
    if not result.killed:
        _, err = process.communicate()
        if process.returncode != 0:
            result.problems.append(f"ingest failed ({process.returncode}): "
                                   f"{err.strip().splitlines()[-1:]}")
    result.problems += check_after_kill(data)
    rerun_started = time.monotonic()
    rerun = start_ingest(data, site, args.commit_every)
    out, err = rerun.communicate()
    result.rerun_s = time.monotonic() - rerun_started
    if rerun.returncode != 0:
        result.problems.append(f"re-run failed ({rerun.returncode}): {err.strip().splitlines()[-1:]}")
        return result
    summary = json.loads(out.strip().splitlines()[-1])
    result.redone = summary["new"] + summary["changed"]
    if summary["failed"]:
        result.problems.append(f"re-run: {summary['failed']} sources failed")
    result.problems += check_complete(data, pages)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50, help="Rounds (each kills one ingest).")
    parser.add_argument("--pages", type=int, default=60, help="Pages of the synthetic site.")
    parser.add_argument("--rewrite", type=int, default=40, help="Pages changed per round.")
    parser.add_argument("--commit-every", type=int, default=25, help="Documents per batch.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--modes", type=lambda text: text.split(","), default=list(MODES),
                        help=f"Kill points, taken in turn (default: {','.join(MODES)}).")
    parser.add_argument("--child-ingest", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_ingest:
        child_ingest(*args.child_ingest)
        return
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="kill-ingest-") as work:
        data, site = Path(work) / "data", Path(work) / "site"
        pages = sorted(write_site(site, args.pages))
        from impactkg import wiring

        wiring.initialise(settings_with_random_embedder(data))
        first = start_ingest(data, site, args.commit_every)
        first.communicate()
        KNOWN_VIOLATIONS.update(violation_kinds(data))
        if KNOWN_VIOLATIONS:
            print(f"the uninterrupted first ingest already has SHACL violations: {KNOWN_VIOLATIONS}")
        run_s = 5.0
        rounds = []
        for number in range(1, args.kills + 1):
            mode = args.modes[(number - 1) % len(args.modes)]
            result = run_round(number, mode, data, site, pages, rng, args, run_s)
            run_s = result.rerun_s or run_s  # the next random delay scales with a whole run
            rounds.append(result)
            print(f"round {number:>3} {mode:<11} {'killed' if result.killed else 'ended first'} "
                  f"after {result.seconds:5.1f} s; re-run redid {result.redone:>3} documents; "
                  + ("OK" if not result.problems else "PROBLEMS: " + " | ".join(result.problems)),
                  flush=True)
    killed = [r for r in rounds if r.killed]
    print(f"\n{len(killed)} kills in {len(rounds)} rounds "
          f"({dict(Counter(r.mode for r in killed))}); pages {args.pages}, "
          f"{args.rewrite} rewritten per round, batch {args.commit_every} documents")
    print(f"documents a re-run redid after a kill: max {max((r.redone for r in killed), default=0)}, "
          f"mean {sum(r.redone for r in killed) / max(1, len(killed)):.1f}")
    failed = [r for r in rounds if r.problems]
    print(f"rounds with problems: {len(failed)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
