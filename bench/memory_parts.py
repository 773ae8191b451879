"""Where ingest's memory goes: resident memory after every batch, part by part.

``bench_memory.py`` gives one number per run (the peak). This script runs the same ingest
(synthetic site, seeded random embedder) in a child process and samples, after every
``--every`` batches (each batch ends with the search writer's flush):

- ``rss``: resident memory now (``VmRSS``), and ``flush_peak``: the highest resident memory
  *during* that flush (``VmHWM`` after resetting it through ``/proc/self/clear_refs``);
- ``heap_used`` / ``heap_free``: glibc's malloc arenas, bytes in use and bytes held free
  (``mallinfo2``), to see whether freed memory is kept by the allocator;
- ``vectors``: the vectors the writer's faiss index holds in memory (ntotal x dim x 4 bytes),
  ``passages`` their count (a streamed flat writer holds only those added since its flush);

and at the end the peak (``VmHWM``) and the highest resident size per phase (a thread samples
every 0.2 s): ``peak_read`` (reading and template learning, before the first batch),
``peak_write`` (writing batches), ``peak_publish``.

``--sink none`` hands passages to a sink that drops them, so the figures are the graph
store's (Oxigraph/RocksDB) and the pipeline's alone; the difference to ``--sink search``
is the search index writer's. ``--code DIR`` measures the impactkg code in DIR (a ``git
archive`` of another commit), like ``bench_memory.py``. Setting ``MEMORY_PARTS_TRIM=1``
calls ``malloc_trim`` after every batch of a ``--sink none`` run (how the trim's effect was
measured before ingest did it itself). Nothing is asserted.

    .venv/bin/python bench/memory_parts.py --pages 1000 3000 --sink search
    .venv/bin/python bench/memory_parts.py --pages 1000 3000 --sink none
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_memory import use_code
from random_embedder import settings_with_random_embedder
from synthetic_site import write_site

MB = 1024 * 1024


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _libc() -> Any:
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    return libc


def status_mb(field: str) -> float:
    """A field of /proc/self/status (VmRSS, VmHWM) in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Make VmHWM start again from the current resident memory (Linux 4.0+)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


class DropSink:
    """A passage sink that keeps nothing (graph-only measurement)."""

    def replace_document(self, document_iri: str, passages: Sequence[Any]) -> None:
        return None

    def remove_document(self, document_iri: str) -> None:
        return None

    def flush(self) -> None:
        return None

    def publish_to(self, folder: Path) -> None:
        return None

    def __enter__(self) -> DropSink:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def child(data: Path, site: Path, sink_kind: str, every: int) -> None:
    """Ingest ``site`` into ``data``, printing one JSON line per sample."""
    from impactkg import wiring
    from search.index import SearchIndex

    libc = _libc()
    settings = settings_with_random_embedder(data)
    flushes = {"n": 0, "documents": 0}
    phase_peaks = _sample_phases(flushes)
    publish = wiring.publish

    def publish_phase(*args: Any, **kwargs: Any) -> Any:
        flushes["publishing"] = 1
        return publish(*args, **kwargs)

    wiring.publish = publish_phase  # type: ignore[assignment]

    def sample(index: Any, peak: float) -> None:
        info = libc.mallinfo2()
        vectors = getattr(index, "_vectors", None)
        row = {"flush": flushes["n"], "rss": round(status_mb("VmRSS"), 1),
               "flush_peak": round(peak, 1), "heap_used": round(info.uordblks / MB, 1),
               "heap_free": round(info.fordblks / MB, 1), "mmapped": round(info.hblkhd / MB, 1)}
        if vectors is not None:
            row["vectors"] = round(int(vectors._index.ntotal) * vectors.dim * 4 / MB, 1)
            row["passages"] = int(vectors._index.ntotal)
        print(json.dumps(row), flush=True)

    if sink_kind == "none":
        drop = DropSink()

        def drop_flush() -> None:
            flushes["n"] += 1
            if os.environ.get("MEMORY_PARTS_TRIM"):
                libc.malloc_trim(0)
            if flushes["n"] % every == 0:
                sample(None, status_mb("VmRSS"))

        drop.flush = drop_flush  # type: ignore[method-assign]
        wiring.open_sink = lambda settings, reembed=False: drop  # type: ignore[assignment]
    else:
        original = SearchIndex.flush

        def measured_flush(self: SearchIndex) -> None:
            flushes["n"] += 1
            if flushes["n"] % every:
                original(self)
                return
            reset_peak()
            original(self)
            sample(self, status_mb("VmHWM"))

        SearchIndex.flush = measured_flush  # type: ignore[method-assign]
    summary, _ = wiring.run_ingest(settings, [str(site)], wiring.ingest_options(settings))
    print(json.dumps({"done": summary.line(), "rss": round(status_mb("VmRSS"), 1),
                      "peak": round(status_mb("VmHWM"), 1),
                      **{f"peak_{k}": round(v, 1) for k, v in phase_peaks.items()}}), flush=True)


def _sample_phases(flushes: dict[str, int]) -> dict[str, float]:
    """Highest resident memory (sampled every 0.2 s by a thread) while reading and learning
    templates (no flush yet), while writing batches, and while publishing."""
    import threading
    import time

    peaks = {"read": 0.0, "write": 0.0, "publish": 0.0}

    def sample() -> None:
        while True:
            phase = ("publish" if flushes.get("publishing") else
                     "write" if flushes["n"] else "read")
            peaks[phase] = max(peaks[phase], status_mb("VmRSS"))
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()
    return peaks


def measure(pages: int, work: Path, sink: str, every: int, code: Path | None) -> list[dict[str, Any]]:
    site, data = work / f"site-{pages}", work / f"data-{pages}-{sink}"
    write_site(site, pages)
    env = {**os.environ, "IMPACTKG_DATA_DIR": str(data)}
    subprocess.run([str(Path(sys.executable).parent / "impactkg"), "init"], env=env, check=True,
                   capture_output=True)
    out = subprocess.run([sys.executable, __file__, *(["--code", str(code)] if code else []),
                          "--child", str(data), str(site), sink, str(every)],
                         env=env, check=True, capture_output=True, text=True).stdout
    shutil.rmtree(site)
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--sink", choices=("search", "none"), default="search")
    parser.add_argument("--every", type=int, default=10, help="Sample every this many flushes.")
    parser.add_argument("--code", type=Path, help="Measure the impactkg code in this folder.")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    use_code(args.code)
    if args.child:
        data, site, sink, every = args.child
        child(Path(data), Path(site), sink, int(every))
        return
    work = Path(tempfile.mkdtemp(prefix="memory-parts-"))
    try:
        for pages in args.pages:
            for row in measure(pages, work, args.sink, args.every, args.code):
                print(json.dumps({"pages": pages, "sink": args.sink, **row}), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
