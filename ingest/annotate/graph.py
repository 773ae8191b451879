"""Turning findings into RDF triples with their evidence (no store access)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from ingest.annotate.found import Evidence
from kg.iri import IriMinter
from kg.namespaces import IKG, IKGC

Triple = tuple[URIRef, URIRef, URIRef | Literal]

CLASS_IRIS: dict[str, URIRef] = {
    "ambition": IKG.Ambition, "policy_strategy": IKG.PolicyStrategy, "activity": IKG.Activity,
    "output": IKG.Output, "impact": IKG.Impact, "assumption": IKG.Assumption,
    "working_element": IKG.WorkingElement, "lesson": IKG.Lesson, "stakeholder": IKG.Stakeholder,
    "beneficiary_group": IKG.BeneficiaryGroup, "meeting": IKG.Meeting,
    "change_link": IKG.ChangeLink,
}  # fmt: skip
STAGES: dict[str, URIRef] = {
    "ambition": IKGC["stage-ambition"], "policy_strategy": IKGC["stage-policy-strategy"],
    "activity": IKGC["stage-implementation"], "output": IKGC["stage-output"],
    "impact": IKGC["stage-impact"],
}  # fmt: skip
IRI_SEGMENTS: dict[str, str] = {
    "policy_strategy": "policy-strategy", "working_element": "working-element",
    "beneficiary_group": "beneficiary-group", "change_link": "change-link",
}  # fmt: skip


def confidence_literal(value: float) -> Literal:
    clamped = min(1.0, max(0.0, value))
    return Literal(Decimal(f"{clamped:.2f}"), datatype=XSD.decimal)


class TripleBuilder:
    """Collects the triples of one document; adds evidence in one consistent shape."""

    def __init__(
        self, minter: IriMinter, document_iri: str, passage_iris: Sequence[str],
        passage_texts: Sequence[str], activity_iri: str,
    ) -> None:
        self.minter = minter
        self.document = URIRef(document_iri)
        self.passages = [URIRef(p) for p in passage_iris]
        self.texts = passage_texts
        self.activity = URIRef(activity_iri)
        self.triples: set[Triple] = set()
        self._record_evidence: dict[URIRef, tuple[float, list[Triple]]] = {}

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.triples.add((s, p, o))

    def resource_iri(self, kind: str, key: str) -> URIRef:
        return URIRef(self.minter.resource(IRI_SEGMENTS.get(kind, kind), str(self.document), key))

    def label(self, s: URIRef, text: str, lang: str | None = "nl") -> None:
        self.add(s, RDFS.label, Literal(text, lang=lang))

    def evidence(self, s: URIRef, evidence: Evidence, method: str, confidence: float,
                 quote: bool = True) -> None:
        """supportedBy, quote and offsets, method, confidence and the generating run."""
        self.triples.update(self._evidence_triples(s, evidence, method, confidence, quote))

    def _evidence_triples(self, s: URIRef, evidence: Evidence, method: str, confidence: float,
                          quote: bool = True) -> list[Triple]:
        triples: list[Triple] = [(s, IKG.supportedBy, self.passages[evidence.passage])]
        if quote:
            text = self.texts[evidence.passage][evidence.start : evidence.end]
            triples += [(s, IKG.quote, Literal(text)),
                        (s, IKG.quoteStart, Literal(evidence.start, datatype=XSD.integer)),
                        (s, IKG.quoteEnd, Literal(evidence.end, datatype=XSD.integer))]
        triples += [(s, IKG.method, IKGC[f"method-{method}"]),
                    (s, IKG.confidence, confidence_literal(confidence)),
                    (s, PROV.wasGeneratedBy, self.activity)]
        return triples

    def shared_resource_iri(self, kind: str, *key: str) -> URIRef:
        """The IRI of a resource that several documents can name (a meeting, a working
        element): from its kind and key alone, so every document mints the same one."""
        return URIRef(self.minter.resource(IRI_SEGMENTS.get(kind, kind), *key))

    def shared_evidence(self, s: URIRef, cls: URIRef, evidence: Evidence, method: str,
                        confidence: float) -> None:
        """Evidence for a resource shared between documents: the passage and method on the
        resource; quote, offsets and confidence on this document's ikg:Extraction record, so
        that quotes from different documents never get mixed up on one resource."""
        self.add(s, IKG.supportedBy, self.passages[evidence.passage])
        self.add(s, IKG.method, IKGC[f"method-{method}"])
        self.add(s, PROV.wasGeneratedBy, self.activity)
        self.extraction(s, RDF.type, cls, evidence, method, confidence)

    def extraction(self, s: URIRef, p: URIRef, o: URIRef | Literal, evidence: Evidence | None,
                   method: str, confidence: float) -> URIRef | None:
        """A provenance record for one statement about a shared resource (agent, deal).

        None without evidence: an extraction always points to its passage. A record holds one
        piece of evidence (one quote, one confidence): when several rules find the statement in
        the same document, the most confident one is kept.
        """
        if evidence is None:
            return None
        record = URIRef(self.minter.resource("extraction", str(self.document), str(s), str(p),
                                             str(o)))
        kept = self._record_evidence.get(record)
        if kept is not None and kept[0] >= confidence:
            return record
        if kept is not None:
            self.triples.difference_update(kept[1])
        self.add(record, RDF.type, IKG.Extraction)
        self.add(record, RDF.subject, s)
        self.add(record, RDF.predicate, p)
        self.add(record, RDF.object, o)
        triples = self._evidence_triples(record, evidence, method, confidence)
        self.triples.update(triples)
        self._record_evidence[record] = (confidence, triples)
        return record

    def new_deal(self, iri: URIRef, label: str, is_town: bool) -> None:
        self.add(iri, RDF.type, IKG.Deal)
        self.add(iri, RDF.type, IKG.TownDeal if is_town else IKG.CityDeal)
        self.add(iri, SKOS.prefLabel, Literal(label, lang="nl"))
        self.label(iri, label)
        self.add(iri, IKG.curated, Literal(False))

    def sorted_triples(self) -> tuple[Triple, ...]:
        return tuple(sorted(self.triples, key=lambda t: (str(t[0]), str(t[1]), t[2].n3())))
