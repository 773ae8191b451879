"""Many request threads through the real server while a writer ingests and publishes with
``keep_generations=1``: no 500s, and each response is read from one generation only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from webapp_server import LiveApp, fetch

from kg.generations import collect_garbage

REPO = Path(__file__).resolve().parents[1]
PUBLISHES = 6
READERS = 8
WRITER = """
import json, sys
from pathlib import Path
from impactkg.settings import load_settings
from impactkg.wiring import ingest_options, run_ingest

data, folder, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
settings = load_settings(data, {"keep_generations": 1, "annotate_with_model": False}, environ={})
for number in range(count):
    note = folder / f"les-{number}.txt"
    note.write_text(f"Les {number} over borgen en opschalen met partners. " * 40, encoding="utf-8")
    summary, generation = run_ingest(settings, [str(note)], ingest_options(settings))
    print(json.dumps({"generation": generation.id, "quads": generation.manifest["quads"]}), flush=True)
"""
PATHS = ("/api/stats", "/api/search?q=borgen+opschalen", "/api/lessons",
         "/deals/city-deal-fietsen-voor-iedereen",
         "/id/deal/city-deal-fietsen-voor-iedereen", "/api/documents", "/zoeken?q=opschalen&mode=keyword")


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_readers_keep_being_served_while_the_writer_publishes(sample_copy: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    failures: list[str] = []
    seen: dict[str, set[int]] = defaultdict(set)  # generation -> quad counts the stats reported
    generations_per_path: dict[str, set[str]] = defaultdict(set)
    done = threading.Event()

    with LiveApp(sample_copy, threads=8) as site:
        fetch(site.url("/api/search?q=warm"))  # load the model before the clock starts
        files_before = open_files()

        def read(worker: int) -> None:
            number = worker
            while not done.is_set():
                path = PATHS[number % len(PATHS)]
                number += 1
                status, headers, body = fetch(site.url(path), accept="application/json")
                if status != 200:
                    failures.append(f"{path}: {status} {body[:200]}")
                    continue
                if headers["Content-Type"].startswith("application/json"):
                    data = json.loads(body)
                    generations_per_path[path].add(data["generation"])
                    if path == "/api/stats":
                        seen[data["generation"]].add(data["quads"])

        readers = [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
        for thread in readers:
            thread.start()
        started = time.monotonic()
        writer = subprocess.run([sys.executable, "-c", WRITER, str(sample_copy), str(notes), str(PUBLISHES)],
                                capture_output=True, text=True, timeout=600, cwd=REPO)
        time.sleep(0.5)  # readers see the last generation too
        done.set()
        for thread in readers:
            thread.join(timeout=120)
        elapsed = time.monotonic() - started
        files_after = open_files()

    assert writer.returncode == 0, writer.stderr[-2000:]
    published = {g["generation"]: g["quads"] for g in map(json.loads, writer.stdout.splitlines())}
    assert len(published) == PUBLISHES
    assert not failures, failures[:5]
    # every stats answer reported the quad count its own generation was published with
    for generation, quads in seen.items():
        if generation in published:
            assert quads == {published[generation]}, (generation, quads)
        else:
            assert len(quads) == 1  # the generation the copy started with
    assert len(seen) >= 3, f"readers saw only {sorted(seen)} in {elapsed:.1f}s"
    assert len(generations_per_path["/api/search?q=borgen+opschalen"]) >= 2
    # per-thread SQLite connections and per-generation stores were released, not piled up
    assert files_after < files_before + 40, (files_before, files_after)
    # Old generations do not pile up: at the writer's last publish the server held at most the
    # generation it served, the one it was opening in the background and one retired generation
    # still finishing a request (keep_generations 1 adds the new one).
    generations = sorted(p.name for p in (sample_copy / "generations").iterdir() if p.name.startswith("g"))
    assert len(generations) <= 4, generations
    # ... and the server released every one of them: with it closed, the next collection leaves
    # only the current generation (a reader lock still held would keep its generation).
    collect_garbage(sample_copy, keep=1)
    left = sorted(p.name for p in (sample_copy / "generations").iterdir() if p.name.startswith("g"))
    assert left == [generations[-1]], (generations, left)
