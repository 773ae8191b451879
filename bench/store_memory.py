"""What reading a whole Oxigraph store costs in memory, and which part follows the store's size.

Export and publish read every quad of the store, and their peak memory grew with the corpus
(docs/RELIABILITY.md, "Memory"). This script separates the two parts of RocksDB's memory that
pyoxigraph gives no way to set:

- the block cache of the ``id2str`` column (Oxigraph opens it with RocksDB's
  ``OptimizeForPointLookup(128)``: a 128 MB LRU cache and a bloom filter). Terms are stored
  under a hash of their text, so the strings of even a few thousand quads lie all over the
  column and the cache fills long before the export ends; it stops at its 128 MB.
- the index and filter blocks each open table file keeps in memory, outside any cache: about
  a fortieth of the store's size on disk here, however little is read from each file.

It builds synthetic stores (30 subjects x 10 literal-valued predicates per named graph, the
literals 8 random Dutch-looking words each, so most terms go to ``id2str``), then exports each
to /dev/null (N-Quads) in a fresh child process in two ways: one iterator over all quads, and
graph by graph with the store closed and opened again (and ``malloc_trim``) every
``--reopen-every`` quads, which empties the cache and keeps only what each chunk fills plus the
table files' blocks. Peak RSS is the child's ``VmHWM`` (``getrusage`` would carry the
building parent's peak across ``exec``); nothing is asserted.

    .venv/bin/python bench/store_memory.py --graphs 1000 10000
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

WORDS = [f"{stem}{i}" for i in range(5000) for stem in ("stad", "deal", "wijk")]
SUBJECTS_PER_GRAPH = 30
PREDICATES = 10


def build_store(path: Path, graphs: int, seed: int = 1) -> int:
    """A store of ``graphs`` named graphs of 300 quads each; returns its quad count."""
    rnd = random.Random(seed)
    predicates = [ox.NamedNode(f"https://example.org/p{p}") for p in range(PREDICATES)]

    def quads() -> Iterator[ox.Quad]:
        for g in range(graphs):
            graph = ox.NamedNode(f"https://example.org/doc/{g}")
            for s in range(SUBJECTS_PER_GRAPH):
                subject = ox.NamedNode(f"https://example.org/doc/{g}/r{s}")
                for p, predicate in enumerate(predicates):
                    text = " ".join(rnd.choice(WORDS) for _ in range(8))
                    yield ox.Quad(subject, predicate, ox.Literal(f"{text} {g}-{s}-{p}"), graph)

    store = ox.Store(str(path))
    store.bulk_extend(quads())
    store.optimize()
    count = len(store)
    del store
    return count


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(row for row in status if row.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def _export_child(path: str, reopen_every: int) -> dict[str, float]:
    """Runs in the child: export to /dev/null, one iterator or reopening every N quads."""
    libc = ctypes.CDLL("libc.so.6")
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        if reopen_every <= 0:
            store = ox.Store.read_only(path)
            ox.serialize(store.quads_for_pattern(None, None, None, None), sink,
                         ox.RdfFormat.N_QUADS)
        else:
            store = ox.Store.read_only(path)
            graphs = list(store.named_graphs())
            del store
            gc.collect()
            libc.malloc_trim(0)

            def chunked() -> Iterator[ox.Quad]:
                reader, seen = ox.Store.read_only(path), 0
                for graph in graphs:
                    for quad in reader.quads_for_pattern(None, None, None, graph):
                        seen += 1
                        yield quad
                    if seen >= reopen_every:
                        del reader
                        gc.collect()
                        libc.malloc_trim(0)
                        reader, seen = ox.Store.read_only(path), 0

            ox.serialize(chunked(), sink, ox.RdfFormat.N_QUADS)
    return {"peak_mb": _status_mb("VmHWM"), "end_mb": _status_mb("VmRSS"),
            "seconds": time.perf_counter() - started}


def measure(path: Path, reopen_every: int) -> dict[str, float]:
    """Export ``path`` in a fresh child process and return its figures."""
    code = (f"import sys, json; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"import store_memory; print(json.dumps(store_memory._export_child("
            f"{str(path)!r}, {reopen_every})))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--reopen-every", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="build the stores here and keep them")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="store_memory_"))
    root.mkdir(parents=True, exist_ok=True)
    print("| graphs | quads | store on disk | one iterator: peak | reopened every "
          f"{args.reopen_every:,} quads: peak | time (one / reopened) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for graphs in args.graphs:
        path = root / f"g{graphs}"
        if not path.exists():
            build_store(path, graphs)
        size_mb = sum(f.stat().st_size for f in path.iterdir()) / 1e6
        quads = graphs * SUBJECTS_PER_GRAPH * PREDICATES
        one = measure(path, 0)
        reopened = measure(path, args.reopen_every)
        print(f"| {graphs:,} | {quads:,} | {size_mb:,.0f} MB | {one['peak_mb']:.1f} MB | "
              f"{reopened['peak_mb']:.1f} MB | {one['seconds']:.0f} / "
              f"{reopened['seconds']:.0f} s |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
