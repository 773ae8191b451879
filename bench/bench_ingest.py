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
import random
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

# -- the synthetic site ------------------------------------------------------------------------

DEALS = (
    ("City Deal Inclusieve Stad", "inclusieve-stad"),
    ("City Deal Klimaatadaptatie", "klimaatadaptatie"),
    ("City Deal Circulaire Stad", "circulaire-stad"),
    ("City Deal Kennis Maken", "kennis-maken"),
    ("City Deal Fietsen voor Iedereen", "fietsen-voor-iedereen"),
    ("City Deal Ruimte voor Lopen", "ruimte-voor-lopen"),
    ("City Deal Impact Ondernemen", "impact-ondernemen"),
    ("City Deal Voedsel op de Stedelijke Agenda", "voedsel-op-de-stedelijke-agenda"),
    ("City Deal Energieke wijken, duurzaam en sociaal", "energieke-wijken"),
    ("Town Deal Sterke Streken", "sterke-streken"),
)
CITIES = ("Amersfoort", "Deventer", "Zwolle", "Tilburg", "Groningen", "Leeuwarden", "Arnhem",
          "Breda", "Heerlen", "Almere", "Utrecht", "Rotterdam", "Enschede", "Den Bosch")
FIRST_NAMES = ("Marieke", "Jeroen", "Fatima", "Sander", "Ingrid", "Youssef", "Annelies", "Bram",
               "Petra", "Kees", "Noor", "Willem", "Sanne", "Mohamed", "Lotte", "Hans")
SURNAMES = ("de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
            "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker")
ROLES = ("programmamanager", "projectleider", "wethouder", "onderzoeker", "kwartiermaker",
         "beleidsadviseur", "dealmaker", "opschalingsexpert")
ORGANISATIONS = ("gemeente {city}", "Hogeschool Windesheim", "Platform31", "provincie Overijssel",
                 "woningcorporatie Woonstad", "Universiteit Utrecht", "Planbureau voor de "
                 "Leefomgeving", "stichting Buurtkracht")
TOPICS = ("armoede en schulden", "hittestress in versteende wijken", "hergebruik van "
          "bouwmaterialen", "fietsen voor nieuwkomers", "gezond voedsel op school",
          "eenzaamheid onder ouderen", "werk voor jongeren zonder startkwalificatie",
          "de energietransitie in oude wijken", "lopen als vervoermiddel", "sociaal ondernemen")
GROUPS = ("bewoners", "jongeren", "ouderen", "gezinnen", "vrijwilligers", "nieuwkomers",
          "ondernemers", "leerlingen")
ACTIVITIES = ("fietslessen", "huisbezoeken", "trainingen", "buurtmaaltijden", "spreekuren",
              "werkplaatsen", "stadslandbouwprojecten", "energiecoaches")
ELEMENTS = ("Waardering voor vrijwilligers", "Een vaste contactpersoon", "Vertrouwen tussen "
            "buurt en gemeente", "Eigenaarschap bij de bewoners", "Een laagdrempelige plek in "
            "de wijk", "Ruimte om te experimenteren")
PREDICTS = ("deelnemers blijven meedoen", "de aanpak na de subsidie overeind blijft",
            "bewoners zelf initiatief nemen", "partners blijven investeren")
LESSONS = ("betrek partijen die weerstand bieden al vroeg", "kies vanaf het begin welke "
           "schaalpartners je nodig hebt", "meet niet alleen output maar ook zachte waarde",
           "begin klein en leer van elke stap", "leg werkzame elementen vast voordat je "
           "opschaalt", "zorg voor diversiteit in proeftuinen en doelgroepen")
PHASES = ("verkennen", "ontwerpen", "aanjagen", "implementeren", "leren", "borgen")
MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december")
HEADINGS = ("Aanpak", "Resultaten", "Werkzame elementen", "Lessen", "Opschalen", "Borgen",
            "Wat hebben we geleerd", "Vervolg")


@dataclass(frozen=True, slots=True)
class _Story:
    slug: str
    title: str
    lead: str
    date: str
    deal: tuple[str, str]
    city: str
    topic: str


class _Writer:
    """Sentences about one deal, varied by a seeded random generator."""

    def __init__(self, rng: random.Random, deal: str, city: str, topic: str) -> None:
        self.rng = rng
        self.deal = deal
        self.city = city
        self.topic = topic

    def pick(self, values: tuple[str, ...]) -> str:
        return self.rng.choice(values)

    def person(self) -> str:
        organisation = self.pick(ORGANISATIONS).format(city=self.city)
        return (f"{self.pick(FIRST_NAMES)} {self.pick(SURNAMES)}, {self.pick(ROLES)} bij "
                f"{organisation}")

    def sentence(self, kind: str) -> str:
        r, group, topic = self.rng, self.pick(GROUPS), self.topic
        activity, n = self.pick(ACTIVITIES), r.randrange(12, 480)
        options = {
            "ambition": f"De ambitie van de {self.deal} is dat {group} in {self.city} minder "
                        f"last hebben van {topic}.",
            "policy": f"De gemeente {self.city} heeft een nieuwe aanpak voor {topic} vastgesteld "
                      f"samen met de partners van de deal.",
            "activity": f"In {self.city} wordt een netwerk van {activity} opgezet voor "
                        f"{group} in drie wijken.",
            "output": f"In {2019 + r.randrange(6)} hebben {n} {group} meegedaan aan de "
                      f"{activity} in {self.city}.",
            "impact": f"Uit de evaluatie blijkt dat {group} na een jaar vaker werk hebben en "
                      f"minder vaak eenzaam zijn.",
            "assumption": f"We gingen ervan uit dat {group} vaker komen als de {activity} "
                          f"dicht bij huis zijn.",
            "element": f"{self.pick(ELEMENTS)} is een werkzaam element: het voorspelt of "
                       f"{self.pick(PREDICTS)}.",
            "lesson": f"Een belangrijke les: {self.pick(LESSONS)}.",
            "person": f"{self.person()}, vertelde over de {activity} en de rol van de "
                      f"{self.pick(('gemeente', 'provincie', 'corporatie'))}.",
            "meeting": f"Op {r.randrange(1, 28)} {self.pick(MONTH_NAMES)} {2021 + r.randrange(4)} "
                       f"kwamen de deelnemers van de {self.deal} bijeen in {self.pick(CITIES)} "
                       f"voor de Community of Practice over {topic}.",
            "phase": f"De deal staat nu in de fase van {self.pick(PHASES)}.",
            "filler": f"{self.pick(('Daarna', 'Tijdens de middag', 'In de werkgroep'))} "
                      f"bespraken de partners hoe de {activity} beter aansluiten bij wat "
                      f"{group} zelf willen en wat de wijk al heeft.",
        }
        return options[kind]

    def paragraph(self, kinds: tuple[str, ...], extra: int) -> str:
        chosen = list(kinds) + self.rng.sample(("filler", "output", "impact", "person"), extra)
        self.rng.shuffle(chosen)
        return " ".join(self.sentence(kind) for kind in chosen)


def _stories(count: int, rng: random.Random) -> list[_Story]:
    stories = []
    for index in range(count):
        deal = DEALS[index % len(DEALS)]
        city = rng.choice(CITIES)
        topic = rng.choice(TOPICS)
        title = rng.choice((f"Lessen over {topic} in {city}", f"{deal[0]}: wat werkt bij {topic}",
                            f"Community of Practice in {city} over {topic}",
                            f"Opschalen in {city}: {topic}"))
        writer = _Writer(rng, deal[0], city, topic)
        lead = " ".join((writer.sentence("meeting"), writer.sentence("ambition")))
        date = f"20{21 + index % 4}-{1 + index % 12:02d}-{1 + index % 28:02d}"
        slug = f"{index:04d}-{_slug(title)}"[:72].rstrip("-")
        stories.append(_Story(slug, title, lead, date, deal, city, topic))
    return stories


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def make_page(story: _Story, teasers: list[_Story], rng: random.Random) -> str:
    """One page of about 5 kB: site chrome around a story, with teasers of other stories."""
    writer = _Writer(rng, story.deal[0], story.city, story.topic)
    sections = [f"<p>{story.lead}</p>",
                f'<p>Dit artikel gaat over de <a href="/city-deals/{story.deal[1]}/">'
                f"{story.deal[0]}</a>.</p>"]
    plan = (("policy", "activity"), ("assumption", "element"), ("lesson", "phase"))
    for heading, kinds in zip(rng.sample(HEADINGS, len(plan)), plan, strict=True):
        sections.append(f"<h2>{heading}</h2><p>{writer.paragraph(kinds, 3)}</p>")
    sections.append("<ul>" + "".join(f"<li>{writer.sentence('lesson')}</li>" for _ in range(3))
                    + "</ul>")
    related = "".join(
        f'<div class="et_pb_blurb"><h4><a href="/nieuws/{other.slug}/">{other.title}</a></h4>'
        f'<p>{other.lead}</p><p><a href="/nieuws/{other.slug}/">Lees meer</a></p></div>'
        for other in teasers)
    menu = "".join(f'<li><a href="/{item.lower().replace(" ", "-")}/">{item}</a></li>'
                   for item in ("Home", "Nieuws", "City Deals", "Town Deals", "Agenda",
                                "Kennisbank", "Over ons", "Contact"))
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{story.title} - Agenda Stad Voorbeeld</title>
<meta property="og:site_name" content="Agenda Stad Voorbeeld">
<meta property="article:published_time" content="{story.date}"></head><body>
<div id="cookie-notice"><p>Wij gebruiken cookies om de site te verbeteren.</p><a>Accepteren</a></div>
<header id="main-header"><nav><ul>{menu}</ul></nav></header>
<div class="et_pb_section"><div class="et_pb_row"><div class="et_pb_column et_pb_column_3_4">
<div class="et_pb_module et_pb_text"><div class="et_pb_text_inner"><h1>{story.title}</h1>
{"".join(sections)}</div></div></div>
<div class="et_pb_column et_pb_column_1_4"><h3>Lees ook</h3>{related}</div></div></div>
<footer id="main-footer"><p>Agenda Stad Voorbeeld is een fictief kennisplatform voor City Deals
en Town Deals.</p><p>Schrijf je in voor onze nieuwsbrief</p></footer>
</body></html>"""


def write_site(folder: Path, count: int, seed: int = 11) -> list[Path]:
    """Write ``count`` pages as ``folder/nieuws/<slug>/index.html``; returns their paths."""
    rng = random.Random(seed)
    stories = _stories(count, rng)
    paths = []
    for index, story in enumerate(stories):
        others = [s for i, s in enumerate(stories) if i != index]
        html = make_page(story, rng.sample(others, min(3, len(others))), rng)
        path = folder / "nieuws" / story.slug / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        paths.append(path)
    return paths


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
