"""Search, ask, SPARQL, canned queries and resource pages keep answering correctly while an
ingest (``impactkg ingest``, the real pipeline, in its own process) writes and
publishes generations into the same data directory.

Correct means: no 5xx, and every answer consistent with ONE generation. Note ``n`` is added by
the n-th publish, so an answer read from a generation with ``k`` notes may mention notes
0..k-1 and no other; a SPARQL count of documents and passages must be a pair some generation
had (each note adds the same passages), never documents of one and passages of another.
(tests/test_web_stress.py checks the stats, lessons and deal pages the same way.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

from webapp_server import LiveApp, fetch

REPO = Path(__file__).resolve().parents[1]
PUBLISHES = 4
IMPACTKG = str(Path(sys.executable).parent / "impactkg")
PUBLISHED = re.compile(r"\(generation (g\d+)\)")


def write_and_publish(data: Path, folder: Path, count: int) -> dict[str, int]:
    """``impactkg ingest`` of one new note at a time (a process each, as a user runs it); the
    generation each run published -> the notes it holds."""
    published = {}
    for number in range(count):
        note = folder / f"notitie-{number}.txt"
        note.write_text(f"Notitie {number} over borgen met een kwartiermaker\n\n"
                        + f"Notitie {number}: de deal leerde dat borgen met een kwartiermaker werkt. " * 30,
                        encoding="utf-8")
        run = subprocess.run([IMPACTKG, "--data-dir", str(data), "--setting", "keep_generations", "1",
                              "--setting", "annotate_with_model", "false", "ingest", str(note)],
                             capture_output=True, text=True, timeout=300, cwd=REPO)
        assert run.returncode == 0, run.stderr[-2000:]
        published[PUBLISHED.search(run.stdout).group(1)] = number + 1
    return published
SPARQL_COUNTS = ("PREFIX ikg: <https://w3id.org/impactkg/def#> SELECT ?docs ?passages WHERE { "
                 "{ SELECT (COUNT(DISTINCT ?d) AS ?docs) WHERE { ?d a ikg:Document } } "
                 "{ SELECT (COUNT(DISTINCT ?p) AS ?passages) WHERE { ?p a ikg:Passage } } }")
JSON_PATHS = ("/api/search?" + urlencode({"q": "borgen met een kwartiermaker", "mode": "keyword"}),
              "/api/search?" + urlencode({"q": "notitie kwartiermaker"}),
              "/api/ask?" + urlencode({"q": "Wat leerde de deal over borgen met een kwartiermaker?"}),
              "/api/documents", "/api/resource?iri=" + quote(
                  "https://w3id.org/impactkg/id/deal/city-deal-fietsen-voor-iedereen", safe=""))
NOTE = re.compile(r"Notitie (\d+)")


def sparql_counts(site: LiveApp) -> tuple[int, int] | str:
    status, _, body = fetch(site.url("/sparql?query=" + quote(SPARQL_COUNTS, safe="")),
                            accept="application/sparql-results+json")
    if status != 200:
        return f"{status} {body[:200]}"
    row = json.loads(body)["results"]["bindings"][0]
    return int(row["docs"]["value"]), int(row["passages"]["value"])


def test_readers_see_one_generation_while_an_ingest_publishes(sample_copy: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    failures: list[str] = []
    mentioned: dict[str, set[int]] = defaultdict(set)  # generation -> note numbers an answer showed
    documents_seen: dict[str, set[int]] = defaultdict(set)  # generation -> documents listed
    count_pairs: set[tuple[int, int]] = set()
    pages_ok = [0]
    done = threading.Event()

    with LiveApp(sample_copy, threads=8) as site:
        fetch(site.url(JSON_PATHS[2]), accept="application/json")  # the model and the answerer
        first = sparql_counts(site)
        assert isinstance(first, tuple), first
        _, _, listing = fetch(site.url("/api/documents"), accept="application/json")
        resource_page = json.loads(listing)["documents"][0]

        def read_json(worker: int) -> None:
            number = worker
            while not done.is_set():
                path = JSON_PATHS[number % len(JSON_PATHS)]
                number += 1
                status, _, body = fetch(site.url(path), accept="application/json")
                if status != 200:
                    failures.append(f"{path}: {status} {body[:200]}")
                    continue
                data = json.loads(body)
                mentioned[data["generation"]].update(int(n) for n in NOTE.findall(body))
                if path == "/api/documents":
                    documents_seen[data["generation"]].add(len(data["documents"]))

        def read_sparql_and_pages() -> None:
            while not done.is_set():
                counts = sparql_counts(site)
                if isinstance(counts, str):
                    failures.append(f"sparql: {counts}")
                else:
                    count_pairs.add(counts)
                for path in (resource_page["page"], "/queries/lessen-per-fase.json",
                             "/resource?iri=" + quote(resource_page["iri"], safe="")):
                    status, _, body = fetch(site.url(path))
                    if status != 200 or (path.startswith("/documenten") and resource_page["title"][:30]
                                         not in body):
                        failures.append(f"{path}: {status} {body[:200]}")
                    else:
                        pages_ok[0] += 1

        readers = [threading.Thread(target=read_json, args=(n,)) for n in range(5)]
        readers.append(threading.Thread(target=read_sparql_and_pages))
        for thread in readers:
            thread.start()
        published = write_and_publish(sample_copy, notes, PUBLISHES)
        last = sparql_counts(site)  # the server opens the last generation in the background
        deadline = time.monotonic() + 60
        while (not isinstance(last, tuple) or last[0] < first[0] + PUBLISHES) and time.monotonic() < deadline:
            time.sleep(0.2)  # the readers go on meanwhile, so they see the last generation too
            last = sparql_counts(site)
        time.sleep(0.5)
        done.set()
        for thread in readers:
            thread.join(timeout=120)

    assert len(published) == PUBLISHES
    assert not failures, failures[:5]
    assert pages_ok[0] > 0
    # an answer read from a generation mentions only the notes that generation had
    for generation, numbers in mentioned.items():
        notes_then = published.get(generation, 0)
        assert all(n < notes_then for n in numbers), (generation, notes_then, sorted(numbers))
    assert len(mentioned) >= 3, f"answers came from only {sorted(mentioned)}"
    assert any(published.get(g) == PUBLISHES for g in mentioned)
    for generation, sizes in documents_seen.items():
        assert len(sizes) == 1, (generation, sizes)  # one generation, one document list
    # every SPARQL count is a (documents, passages) pair of one generation
    assert isinstance(last, tuple) and last[0] == first[0] + PUBLISHES
    per_note = (last[1] - first[1]) // PUBLISHES
    assert per_note > 0 and last[1] - first[1] == per_note * PUBLISHES
    for documents, passages in count_pairs:
        added = documents - first[0]
        assert 0 <= added <= PUBLISHES and passages == first[1] + added * per_note, (documents, passages)
    assert len(count_pairs) >= 2, count_pairs
