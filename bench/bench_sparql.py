"""Benchmark SPARQL: the canned queries on a synthetic graph of about 1M triples shaped like ours.

    python bench/bench_sparql.py                      # 1M triples, every engine (about 20-30 min)
    python bench/bench_sparql.py --triples 100000 --skip rdflib,virtuoso

Per canned query (and a few with parameters) the median (p50) time of:
- ``pyoxigraph``: ``Store.query`` on the generation's read-only store in this process, every
  solution read (the engine alone);
- ``run_query``: the project's in-process call (the same plus the QueryResult record);
- ``pool``: the project's query API through the warm worker pool (``kg.pool.QueryPool``,
  a worker process per query, answer bytes decoded into a QueryResult) - the web app's path;
- ``http``: POST /sparql to the app served on 127.0.0.1 (SPARQL JSON results, JSON parsed);
- ``rdflib``: rdflib's in-memory Dataset (union default graph), once per query, 30 s cap;
- ``virtuoso``: the same queries at a private Virtuoso 7 (``tests/virtuoso.py``'s set-up),
  through ``kg.remote.RemoteGraphStore``.

Every path caps results at 10,000 rows (``max_returned_rows``). The graph: the ontology and
reference graphs plus one named graph per synthetic document (passages, lessons with phases
and scaling strategies, outputs, impacts, change links with assumptions and working
elements, stakeholders with stances, meetings with speakers and their organisations).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from impactkg.settings import load_settings  # noqa: E402
from impactkg.wiring import build_app, load_standard_graphs  # noqa: E402
from kg.canned import bind_parameters  # noqa: E402
from kg.generations import publish_generation  # noqa: E402
from kg.namespaces import IKG, IKGC, PREFIXES  # noqa: E402
from kg.ontology import canned_queries  # noqa: E402
from kg.pool import PoolOptions, QueryPool, QueryRequest  # noqa: E402
from kg.query import run_query  # noqa: E402
from kg.store import GraphStore  # noqa: E402

BASE = "https://w3id.org/impactkg/id/"
MAX_ROWS = 10_000
RDFLIB_CAP_S = 30
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
XSD_DATE = ox.NamedNode(PREFIXES["xsd"] + "date")
XSD_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
_WORD_TEXT = """
aanpak ambitie impact output uitvoering beleid gemeente provincie partners samenwerking wijk
bewoners jongeren ouderen vrijwilligers werkzame elementen opschalen repliceren stoppen borgen
leren verbeteren profijtgroep weerstand bezwaren woningcorporaties ondernemers onderwijs zorg
energie circulair mobiliteit fietsen klimaat groen water armoede schulden werk
"""
WORDS = tuple(_WORD_TEXT.split())
DEALS = ["city-deal-fietsen-voor-iedereen", "city-deal-eenzaamheid-doorbreken", "city-deal-circulaire-stad",
         "city-deal-kennis-maken", "city-deal-inclusieve-stad", "city-deal-klimaatadaptatie"]
EXTRA_QUERIES = {  # name: (canned query, parameters)
    "lessen-per-fase-en-opschaling?fase=phase-4": ("lessen-per-fase-en-opschaling", {"fase": "phase-4"}),
    "weerstand?deal=fietsen": ("weerstand", {"deal": BASE + "deal/" + DEALS[0]}),
    "outputs-en-impacts-per-deal?deal=fietsen": ("outputs-en-impacts-per-deal",
                                                 {"deal": BASE + "deal/" + DEALS[0]}),
    "documenten-per-deal?deal=fietsen": ("documenten-per-deal", {"deal": BASE + "deal/" + DEALS[0]}),
}


# -- the synthetic graph ---------------------------------------------------------------------

def _n(local: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + local)


def _t(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(IKG) + name)


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def document_quads(number: int, rng: random.Random) -> list[ox.Quad]:
    """About 320 triples: one document's graph in the shape ingest and annotation write."""
    doc = _n(f"doc/{number:06x}")
    graph = ox.NamedNode(doc.value + "/graph")
    deal = _n("deal/" + DEALS[number % len(DEALS)])
    triples: list[tuple] = []

    def add(s: ox.NamedNode, p: str | ox.NamedNode, o: object) -> None:
        triples.append((s, _t(p) if isinstance(p, str) else p, o))

    lit, date = ox.Literal, f"{2016 + number % 9}-{1 + number % 12:02d}-{1 + number % 28:02d}"
    dcterms, schema = PREFIXES["dcterms"], PREFIXES["schema"]
    add(doc, RDF_TYPE, _t("Document"))
    add(doc, ox.NamedNode(dcterms + "title"), lit(_text(rng, 6), language="nl"))
    add(doc, ox.NamedNode(dcterms + "date"), lit(date, datatype=XSD_DATE))
    doc_type = rng.choice(["news", "cop-report", "evaluation"])
    add(doc, "documentType", ox.NamedNode(f"{IKGC}doctype-{doc_type}"))
    add(doc, "sourceSite", lit("agendastad.nl"))
    add(doc, "aboutDeal", deal)
    add(doc, "contentHash", lit(f"sha256:{number:x}"))
    add(doc, "extractorVersion", lit("0.1.0+annotator-0.1"))
    add(doc, ox.NamedNode(schema + "url"), ox.NamedNode(f"https://agendastad.nl/bench/{number}"))
    passages = [ox.NamedNode(f"{doc.value}/p{i}") for i in range(20)]
    for i, passage in enumerate(passages):
        add(passage, RDF_TYPE, _t("Passage"))
        add(passage, "inDocument", doc)
        add(passage, "position", lit(str(i), datatype=XSD_INTEGER))
        add(passage, "text", lit(_text(rng, 40)))
        add(passage, "headingPath", lit(_text(rng, 3)))
        add(passage, "startChar", lit(str(i * 300), datatype=XSD_INTEGER))
        add(passage, "endChar", lit(str(i * 300 + 280), datatype=XSD_INTEGER))
        if i % 4 == 0:
            add(passage, "mentionsDeal", deal)
    label = ox.NamedNode(PREFIXES["rdfs"] + "label")
    meeting = _n(f"meeting/{number // 3:05x}")
    people = [_n(f"agent/persoon-{(number * 3 + k) % 900}") for k in range(3)]
    organisation = _n(f"agent/organisatie-{number % 120}")
    if number % 3 == 0:
        add(meeting, RDF_TYPE, _t("CoPMeeting"))
        add(meeting, label, lit(f"CoP {date}", language="nl"))
        add(meeting, ox.NamedNode(schema + "startDate"), lit(date, datatype=XSD_DATE))
        add(meeting, "place", lit(rng.choice(["Amersfoort", "Rotterdam", "Utrecht", "Zwolle"])))
        add(meeting, "chair", people[0])
        add(meeting, "speaker", people[1])
        add(meeting, "speaker", people[2])
    # A person or organisation is described once, in the first document that names it:
    # Oxigraph's union default graph keeps one copy of a triple per graph, so descriptions
    # repeated in every document would multiply the rows of every join through them.
    for person in people:
        key = int(person.value.rsplit("-", 1)[1])
        if key != number * 3 + people.index(person):
            continue
        add(person, RDF_TYPE, _t("Person"))
        add(person, label, lit(f"{WORDS[key % len(WORDS)].title()} {WORDS[key // 7 % len(WORDS)].title()}"))
        add(person, "role", lit(("projectleider", "wethouder", "onderzoeker")[key % 3]))
        add(person, "affiliatedWith", _n(f"agent/organisatie-{key % 120}"))
    if number < 120:
        add(organisation, RDF_TYPE, _t("Organisation"))
        add(organisation, label, lit(f"Organisatie {number}", language="nl"))

    def extracted(kind: str, index: int, name: str) -> ox.NamedNode:
        node = _n(f"{kind.lower()}/{number:06x}-{index}")
        add(node, RDF_TYPE, _t(kind))
        add(node, label, lit(name, language="nl"))
        add(node, "supportedBy", rng.choice(passages))
        add(node, "method", ox.NamedNode(f"{IKGC}method-rule"))
        add(node, "confidence", lit("0.8", datatype=ox.NamedNode(PREFIXES["xsd"] + "decimal")))
        return node

    for k in range(4):
        lesson = extracted("Lesson", k, _text(rng, 8))
        add(lesson, "inPhase", ox.NamedNode(f"{IKGC}phase-{1 + (number + k) % 4}"))
        if k % 2 == 0:
            add(lesson, "scalingType", ox.NamedNode(IKGC + rng.choice(
                ["scaling-scale-up", "scaling-replicate", "scaling-stop"])))
        add(lesson, "aboutDeal", deal)
        add(lesson, "learnedAt", meeting)
        add(lesson, "givenBy", people[k % 3])
    outputs = [extracted("Output", k, _text(rng, 5)) for k in range(2)]
    impacts = [extracted("Impact", k, _text(rng, 5)) for k in range(2)]
    for output, impact in zip(outputs, impacts, strict=True):
        add(output, "quantity", lit(str(rng.randint(5, 500)), datatype=XSD_INTEGER))
        add(output, "unit", lit("deelnemers", language="nl"))
        add(output, "aboutDeal", deal)
        add(output, "contributesToImpact", impact)
        add(impact, "impactDomain", ox.NamedNode(f"{IKGC}domain-social"))
        add(impact, "aboutDeal", deal)
    assumption = extracted("Assumption", 0, _text(rng, 7))
    add(assumption, "assumptionStatus", ox.NamedNode(IKGC + rng.choice(
        ["assumption-untested", "assumption-supported", "assumption-refuted"])))
    add(assumption, "aboutDeal", deal)
    element = extracted("WorkingElement", 0, _text(rng, 3))
    add(element, "predictsImpact", impacts[0])
    add(element, "condition", lit(_text(rng, 6), language="nl"))
    link = _n(f"change-link/{number:06x}")
    add(link, RDF_TYPE, _t("ChangeLink"))
    add(link, "fromOutput", outputs[0])
    add(link, "toImpact", impacts[0])
    add(link, "hasAssumption", assumption)
    add(link, "hasWorkingElement", element)
    for k in range(2):
        stakeholder = extracted("Stakeholder", k, _text(rng, 3))
        add(stakeholder, "stakeholderStance", ox.NamedNode(IKGC + rng.choice(
            ["stance-resistant", "stance-supportive", "stance-neutral"])))
        add(stakeholder, "aboutDeal", deal)
    return [ox.Quad(s, p, o, graph) for s, p, o in triples]


def build(data_dir: Path, triples: int) -> tuple[Path, int, list[list[ox.Quad]]]:
    """The data directory with one published generation; returns its graph path and quad count."""
    rng = random.Random(7)
    documents: list[list[ox.Quad]] = []
    with GraphStore(data_dir) as store:
        load_standard_graphs(store)
        total = store.quad_count()
        number = 0
        while total < triples:
            quads = document_quads(number, rng)
            documents.append(quads)
            total += len(quads)
            number += 1
        store.oxigraph.bulk_extend([q for document in documents for q in document])
        generation = publish_generation(store)
        count = store.quad_count()
    return generation.graph_path, count, documents


# -- timing ----------------------------------------------------------------------------------

def p50_each(runs: dict[str, Callable[[], object]], repeat: int, budget_s: float = 60.0) -> dict[str, float]:
    """Median wall time in ms of each run, measured in turns (a load that comes and goes on a
    shared machine then falls on all of them alike)."""
    for run in runs.values():
        run()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in runs}
    started = time.perf_counter()
    for _ in range(repeat):
        for name, run in runs.items():
            begin = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - begin) * 1000)
        if time.perf_counter() - started > budget_s and len(times[name]) >= 3:
            break
    return {name: statistics.median(values) for name, values in times.items()}


def p50(run: Callable[[], object], repeat: int, budget_s: float = 20.0) -> float:
    """Median wall time in ms (fewer repetitions once the budget is spent)."""
    run()  # warm-up
    times = []
    started = time.perf_counter()
    for _ in range(repeat):
        begin = time.perf_counter()
        run()
        times.append((time.perf_counter() - begin) * 1000)
        if time.perf_counter() - started > budget_s and len(times) >= 3:
            break
    return statistics.median(times)


class _Timeout(Exception):
    pass


def with_alarm(seconds: int, run: Callable[[], object]) -> float | None:
    """One run of a pure-Python call, stopped by SIGALRM; ms or None when it ran out."""
    def stop(*_: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    begin = time.perf_counter()
    try:
        run()
        return (time.perf_counter() - begin) * 1000
    except _Timeout:
        return None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- the engines -----------------------------------------------------------------------------

def workload() -> list[tuple[str, str, dict]]:
    canned = {query.name: query for query in canned_queries()}
    items = [(name, query.sparql, {}) for name, query in canned.items()]
    for label, (name, values) in EXTRA_QUERIES.items():
        items.append((label, canned[name].sparql, bind_parameters(canned[name].parameters, values)))
    return items


def serve(data_dir: Path) -> tuple[str, Callable[[], None]]:
    from werkzeug.serving import make_server

    app = build_app(load_settings(data_dir, {"sparql_workers": "2"}, environ={}), warm=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop() -> None:
        server.shutdown()
        app.extensions["impactkg.services"].close()

    return f"http://127.0.0.1:{server.server_port}/sparql", stop


def http_query(url: str, sparql: str) -> None:
    body = urllib.parse.urlencode({"query": sparql}).encode()
    request = urllib.request.Request(url, data=body, headers={
        "Accept": "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=120) as response:
        json.loads(response.read())


def canned_http_url(url: str, label: str) -> str:
    name, values = EXTRA_QUERIES[label]
    return url.replace("/sparql", f"/queries/{name}.json") + "?" + urllib.parse.urlencode(values)


def rdflib_dataset(graph_path: Path):
    from rdflib import Dataset

    from kg.terms import from_ox

    dataset = Dataset(default_union=True)
    store = ox.Store.read_only(str(graph_path))
    for quad in store:
        dataset.graph(from_ox(quad.graph_name)).add(
            (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return dataset


def virtuoso_store(documents: list[list[ox.Quad]]):
    import virtuoso as helper

    from kg.ontology import standard_graphs
    from kg.remote import RemoteGraphStore
    from kg.terms import from_ox

    folder = Path(tempfile.mkdtemp(prefix=helper.FOLDER_PREFIX))
    (folder / helper.OWNER_FILE).write_text(str(__import__("os").getpid()))
    (folder / "db").mkdir()
    process, url, sql_port = helper._start(folder / "db")
    helper._grant_update(sql_port)
    store = RemoteGraphStore(url, timeout_s=600)
    started = time.perf_counter()
    with store.batch() as batch:
        for graph_iri, graph in standard_graphs():
            batch.replace_graph(graph_iri, graph)
    for start in range(0, len(documents), 100):
        with store.batch() as batch:
            for quads in documents[start:start + 100]:
                batch.replace_graph(quads[0].graph_name.value, [
                    (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in quads])
    print(f"virtuoso: loaded {store.quad_count()} quads in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)

    def stop() -> None:
        helper._stop(process)
        shutil.rmtree(folder, ignore_errors=True)

    return store, stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--skip", default="", help="comma-separated: http,rdflib,virtuoso")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    folder = Path(tempfile.mkdtemp(prefix="impactkg-bench-sparql-"))
    try:
        started = time.perf_counter()
        graph_path, quads, documents = build(folder / "data", args.triples)
        print(f"graph: {quads} quads in {len(documents) + 4} graphs, built in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
        store = ox.Store.read_only(str(graph_path))
        pool = QueryPool(PoolOptions(workers=2, time_limit_ms=600_000))
        pool.warm_up(graph_path)
        items = workload()
        results: dict[str, dict[str, object]] = {}
        for label, sparql, bound in items:
            subs = {ox.Variable(k): v for k, v in bound.items()} or None
            row: dict[str, object] = {}
            row["rows"] = len(run_query(store, sparql, max_rows=MAX_ROWS, substitutions=bound).rows)
            row.update(p50_each({
                "pyoxigraph": lambda s=sparql, b=subs: [list(x) for x in itertools.islice(
                    store.query(s, prefixes=PREFIXES, use_default_graph_as_union=True,
                                substitutions=b), MAX_ROWS)],
                "run_query": lambda s=sparql, b=bound: run_query(
                    store, s, max_rows=MAX_ROWS, substitutions=b),
                "pool": lambda s=sparql, b=bound: pool.query(
                    graph_path, QueryRequest(s, MAX_ROWS, b)).decode(),
            }, args.repeat))
            results[label] = row
            print(f"{label}: {row}", file=sys.stderr)
        pool.close()
        if "http" not in skip:
            url, stop = serve(folder / "data")
            try:
                for label, sparql, bound in items:
                    if bound:
                        target = canned_http_url(url, label)
                        results[label]["http"] = p50(lambda t=target: json.loads(
                            urllib.request.urlopen(t, timeout=120).read()), args.repeat)
                    else:
                        results[label]["http"] = p50(lambda s=sparql: http_query(url, s), args.repeat)
            finally:
                stop()
        if "rdflib" not in skip:
            begin = time.perf_counter()
            dataset = rdflib_dataset(graph_path)
            print(f"rdflib: loaded in {time.perf_counter() - begin:.0f} s", file=sys.stderr)
            from kg.terms import from_ox

            for label, sparql, bound in items:
                init = {k: from_ox(v) for k, v in bound.items()}
                results[label]["rdflib"] = with_alarm(RDFLIB_CAP_S, lambda s=sparql, b=init: list(
                    dataset.query(s, initNs=PREFIXES, initBindings=b))[:MAX_ROWS])
                print(f"{label}: rdflib {results[label]['rdflib']}", file=sys.stderr)
            del dataset
        if "virtuoso" not in skip:
            remote, stop = virtuoso_store(documents)
            try:
                for label, sparql, bound in items:
                    results[label]["virtuoso"] = p50(lambda s=sparql, b=bound: remote.query(
                        s, max_rows=MAX_ROWS, substitutions=b or None), args.repeat)
            finally:
                stop()
        print_table(results, quads)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _ms(value: object) -> str:
    if value is None:
        return f"> {RDFLIB_CAP_S * 1000:,}"
    if value == "":
        return "–"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"  # type: ignore[operator]


def print_table(results: dict[str, dict[str, object]], quads: int) -> None:
    print(f"\n{quads:,} quads; p50 in ms; results capped at {MAX_ROWS:,} rows\n")
    print("| query | rows | pyoxigraph | run_query | pool | pool ÷ run_query | pool − run_query "
          "| HTTP /sparql | rdflib | rdflib ÷ pool | Virtuoso |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, row in results.items():
        pool, direct = row["pool"], row["run_query"]
        rdflib = row.get("rdflib", "")
        ratio = "–" if rdflib in ("", None) else f"{rdflib / pool:,.0f}×"  # type: ignore[operator]
        if rdflib is None:
            ratio = f"> {RDFLIB_CAP_S * 1000 / pool:,.0f}×"  # type: ignore[operator]
        print(f"| {label} | {row['rows']} | {_ms(row['pyoxigraph'])} | {_ms(direct)} | {_ms(pool)} "
              f"| {pool / direct:.2f} | {pool - direct:+.1f} | {_ms(row.get('http', ''))} "  # type: ignore[operator]
              f"| {_ms(rdflib)} | {ratio} | {_ms(row.get('virtuoso', ''))} |")


if __name__ == "__main__":
    main()
