"""The annotation step: document metadata and passages in, RDF triples out."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ingest.annotate.agents import AgentFinder, AgentIndex
from ingest.annotate.classifier import SentenceClassifier, load_classifier
from ingest.annotate.cues import DEAL_PHASE, DEAL_PHASE_WORDS, MEETING_WORDS, NEW_DEAL
from ingest.annotate.dates import parse_iso
from ingest.annotate.deals import DealMatcher, KnownDeal, load_known_deals
from ingest.annotate.elements import ElementFinder
from ingest.annotate.found import CHAIN_KINDS, CLASS_KEYS, Agent, Evidence, Finding
from ingest.annotate.graph import CLASS_IRIS, STAGES, Triple, TripleBuilder
from ingest.annotate.meetings import MeetingIndex, find_meetings
from ingest.annotate.similarity import Embedder, ModelThresholds, PrototypeModel, gated_classes
from ingest.annotate.text import Sentence, normalise_key, short_label, split_sentences, word_count
from ingest.annotate.themes import lesson_themes
from ingest.annotate.world import World, build_world, first_names, world_from_files
from kg.builders import DocumentFacts, PassageFacts
from kg.iri import IriMinter
from kg.namespaces import IKG, IKGC, SCHEMA
from kg.ontology import reference_files
from kg.records import PassageRecord

log = logging.getLogger(__name__)

ANNOTATOR_VERSION = "2.0.3"
"""Changes whenever the rules, prototypes or thresholds change, so documents get re-annotated."""

MIN_MODEL_SENTENCE_WORDS = 6
SHARED_KINDS = frozenset({"working_element"})
"""Kinds whose resources several documents share (besides agents, deals and meetings)."""
THEMED_KINDS = frozenset({"lesson", "working_element"})
# A sentence the classifier may read: one that advises, judges, explains why or quotes.
# Plain narrative (who came, what was signed, where) never gets embedded: that is most of a
# news page and most of the embedding bill.
CLASSIFIER_GATE = re.compile(
    r"[“”\"]|\b(?:moet\w*|mo(?:est|esten)|belangrijk\w*|les(?:sen)?|advies|advis\w*|aanbevel\w*|"
    r"raad\w*|tip|zorg\w*|beter|best|eerst|pas|alleen|zonder|nooit|altijd|vooral|juist|"
    r"werk(?:t|en|te|ten|zaam|zame)|doordat|omdat|dankzij|help\w*|hielp\w*|verschil|succes\w*|"
    r"factor\w*|sleutel|voorwaarde|cruciaal|essentieel|kunst|geleerd|leer\w*|inzicht\w*|"
    r"conclu\w*|blijkt|bleek|kost|durf\w*|je|jij|we|wij|ons|onze|wie|begin\w*|betrek\w*|"
    r"vertrouw\w*|achteraf|fout\w*|mislukt\w*|probleem|knel\w*)\b", re.IGNORECASE)
WE_MODEL_GATE = re.compile(
    r"\b(?:werk(?:t|en|te|ten|zaam|zame)|doordat|omdat|dankzij|zorg(?:t|en|de|den)|help(?:t|en)|"
    r"hielp(?:en)?|maak(?:t|te)\b[^.]{0,30}\bverschil|succes\w*|factor\w*|sleutel|voorwaarde|"
    r"drempel|doorslaggevend|cruciaal|essentieel|vertrouw\w*)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class AnnotateOptions:
    """What an Annotator needs: IRIs, the curated deals, an optional embedder, thresholds.

    ``known_deals`` may be an rdflib Graph holding the reference Turtle or a sequence of
    KnownDeal. With ``embedder`` None only the cue-phrase rules run.
    """

    minter: IriMinter = field(default_factory=IriMinter)
    known_deals: Graph | Sequence[KnownDeal] = ()
    embedder: Embedder | None = None
    thresholds: ModelThresholds = field(default_factory=ModelThresholds)
    max_label_words: int = 12
    min_confidence: float = 0.5

    def __post_init__(self) -> None:
        if not 3 <= self.max_label_words <= 40:
            raise ValueError(f"max_label_words must lie in [3, 40], got {self.max_label_words}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence must lie in [0, 1], got {self.min_confidence}")


@dataclass(frozen=True, slots=True)
class AnnotationInput:
    """One document: its IRI, title, ISO date, passages, and the deals its page names.

    ``passage_vectors``: the passage embeddings search already made (rows in passage
    order, same engine as the annotator's embedder), or None.
    """

    document_iri: str
    title: str
    date: str
    passages: Sequence[PassageRecord]
    deal_names_from_page: tuple[str, ...] = ()
    passage_vectors: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class AnnotationResult:
    """The triples for the document's named graph, how many resources per class, what was left."""

    triples: tuple[Triple, ...]
    counts: dict[str, int]
    skipped: tuple[str, ...] = ()


class Annotator:
    """Finds deals, people, meetings, chain elements, working elements and lessons in a document.

    Cheap to build; ``warm_up()`` embeds the prototypes (only with an embedder); ``run()``
    is pure: the same input gives the same triples.
    """

    def __init__(self, options: AnnotateOptions) -> None:
        self.options = options
        known = options.known_deals
        self.known_deals: tuple[KnownDeal, ...] = (
            load_known_deals(known) if isinstance(known, Graph) else tuple(known)
        )
        self._world: World | None = None
        self._deals = DealMatcher(self.known_deals)
        self._model = (
            PrototypeModel(options.embedder, options.thresholds) if options.embedder else None
        )
        classifier = load_classifier() if options.embedder else None
        # Weights only mean something for vectors of the embedder they were trained with.
        self._classifier: SentenceClassifier | None = (
            classifier if classifier is not None and options.embedder is not None
            and classifier.embedder_name == options.embedder.name else None
        )

    @property
    def version(self) -> str:
        return ANNOTATOR_VERSION

    @property
    def world(self) -> World:
        """Places, organisations and first names: from the reference graph the annotator was
        given, else from the curated reference files shipped with the ontology."""
        if self._world is None:
            known = self.options.known_deals
            if isinstance(known, Graph) and len(known) > len(self.known_deals) * 20:
                self._world = build_world(known, first_names())
            else:
                self._world = world_from_files(tuple(reference_files()))
        return self._world

    def warm_up(self) -> None:
        _ = self.world
        if self._model is not None:
            self._model.warm_up()

    def annotate(self, document: DocumentFacts, passages: Sequence[PassageFacts],
                 deal_names: Sequence[str]) -> tuple[Triple, ...]:
        """The pipeline's call (``ingest.pipeline.Annotating``): ``run`` on its records."""
        records = [
            PassageRecord(iri=p.iri, document_iri=document.iri, position=p.position, text=p.text,
                          heading_path=tuple(p.heading_path), document_title=document.title,
                          document_date=document.date, start_char=p.start_char,
                          end_char=p.end_char)
            for p in passages
        ]
        result = self.run(AnnotationInput(document.iri, document.title, document.date, records,
                                          tuple(deal_names)))
        for reason in result.skipped:
            log.info("annotate %s: %s", document.iri, reason)
        return result.triples

    def run(self, doc: AnnotationInput) -> AnnotationResult:
        skipped: list[str] = []
        passages = [p for p in doc.passages if p.text.strip()]
        skipped += [f"{p.iri}: empty passage" for p in doc.passages if not p.text.strip()]
        if not passages:
            return AnnotationResult((), dict.fromkeys(CLASS_KEYS, 0), (*skipped, "no passages"))
        document_date = parse_iso(doc.date) if doc.date else None
        if doc.date and document_date is None:
            skipped.append(f"date {doc.date!r} is not ISO 8601: relative dates left unresolved")
        sentences: list[Sentence] = []
        for i, passage in enumerate(passages):
            sentences += split_sentences(passage.text, i)
        run = _Run(self, doc, passages, sentences, document_date, skipped)
        return run.execute()


class _Run:
    """The state of annotating one document."""

    def __init__(self, annotator: Annotator, doc: AnnotationInput,
                 passages: list[PassageRecord], sentences: list[Sentence],
                 document_date: date | None, skipped: list[str]) -> None:
        self.a = annotator
        self.options = annotator.options
        self.doc = doc
        self.passages = passages
        self.sentences = sentences
        self.document_date = document_date
        self.skipped = skipped
        self.out = TripleBuilder(
            self.options.minter, doc.document_iri, [p.iri for p in passages],
            [p.text for p in passages],
            self.options.minter.resource("annotator", ANNOTATOR_VERSION),
        )
        self.counts: dict[str, int] = dict.fromkeys(CLASS_KEYS, 0)
        self.sentence_deals: dict[tuple[int, int], list[URIRef]] = {}

    def execute(self) -> AnnotationResult:
        deal_names, about = self._deals()
        agents = AgentFinder(self.a.world).run(self.sentences)
        headings = []
        for p in self.passages:
            if p.heading_path and p.heading_path[-1] not in headings:
                headings.append(p.heading_path[-1])
        meetings = find_meetings(self.sentences, agents, self.document_date, headings, deal_names,
                                 self.doc.title, self.a.world)
        finder = ElementFinder(agents, self.options.max_label_words,
                               [p.heading_path for p in self.passages])
        findings = finder.run(self.sentences)
        findings += self._model_findings(finder)
        findings = [f for f in findings if f.confidence >= self.options.min_confidence]
        self._agents(agents)
        self._meetings(meetings)
        self._elements(findings, meetings, about)
        self._change_links(findings)
        out = self.out
        out.add(out.activity, RDF.type, PROV.Activity)
        out.add(out.activity, RDFS.label, Literal(f"impactkg annotator {ANNOTATOR_VERSION}"))
        return AnnotationResult(out.sorted_triples(), self.counts, tuple(self.skipped))

    # -- deals ----------------------------------------------------------------------------------

    def _deals(self) -> tuple[dict[tuple[int, int], list[str]], URIRef | None]:
        """Link the document to the deals it is about or mentions; return names per sentence."""
        out = self.out
        mentions: dict[str, list[tuple[Sentence, Evidence, float]]] = {}
        labels: dict[str, tuple[str, bool, bool]] = {}
        names: dict[tuple[int, int], list[str]] = {}
        matcher = self._matcher()
        curated = {deal.iri for deal in self.a.known_deals}  # the page's own deal names are not
        for sentence in self.sentences:
            prefixed = matcher.find(sentence.text)
            bare = matcher.find_bare(sentence.text, [(m.start, m.end) for m in prefixed])
            for m in [*prefixed, *bare]:
                iri = m.known.iri if m.known else self.options.minter.deal(m.name)
                labels[iri] = (m.known.label if m.known else m.name, iri not in curated,
                               m.is_town_deal)
                evidence = Evidence(sentence.passage, sentence.start + m.start,
                                    sentence.start + m.end)
                mentions.setdefault(iri, []).append((sentence, evidence, m.confidence))
                names.setdefault((sentence.passage, sentence.index), []).append(labels[iri][0])
                deal_iris = self.sentence_deals.setdefault((sentence.passage, sentence.index), [])
                if URIRef(iri) not in deal_iris:
                    deal_iris.append(URIRef(iri))
        about: set[str] = set()
        for name in (*self.doc.deal_names_from_page, *self._title_deals(matcher)):
            known = self.a._deals.match_name(name)
            iri = known.iri if known else self.options.minter.deal(name)
            labels.setdefault(iri, (known.label if known else name, iri not in curated,
                                    name.lower().startswith("town")))
            about.add(iri)
        counted = {iri: len(items) for iri, items in mentions.items()}
        if not about and counted:
            top = max(counted.values())
            leaders = [iri for iri, n in counted.items() if n == top]
            if top >= 3 and len(leaders) == 1:
                about.add(leaders[0])
        for iri in sorted(labels):
            deal = URIRef(iri)
            label, is_new, is_town = labels[iri]
            items = mentions.get(iri, [])
            first = items[0][1] if items else None
            confidence = max((c for _, _, c in items), default=0.9)
            if is_new:
                out.new_deal(deal, label, is_town)
                if first is not None:
                    out.evidence(deal, first, "rule", min(confidence, 0.75))
                else:
                    out.add(deal, IKG.method, IKGC["method-rule"])
                    out.add(deal, IKG.confidence, Literal("0.70", datatype=XSD.decimal))
            link = IKG.aboutDeal if iri in about else IKG.mentionsDeal
            out.add(out.document, link, deal)
            if first is not None:
                out.extraction(out.document, link, deal, first, "rule",
                               0.95 if iri in about else confidence)
            for _, evidence, _ in items:
                out.add(out.passages[evidence.passage], IKG.mentionsDeal, deal)
            self.counts["deal"] += 1
            self._deal_phase(deal, items, iri in about)
        main = URIRef(next(iter(about))) if len(about) == 1 else None
        return names, main

    def _matcher(self) -> DealMatcher:
        """The curated deals, plus the deals this page says it is about (so that a mention of
        an uncurated deal by its full name matches the page's own name for it)."""
        extra = [KnownDeal(self.options.minter.deal(name), (name,), name.lower().startswith("town"))
                 for name in self.doc.deal_names_from_page
                 if self.a._deals.match_name(name) is None]
        return DealMatcher((*self.a.known_deals, *extra)) if extra else self.a._deals

    def _title_deals(self, matcher: DealMatcher) -> list[str]:
        return [m.name if m.known is None else m.known.label for m in matcher.find(self.doc.title)]

    def _deal_phase(self, deal: URIRef, items: list[tuple[Sentence, Evidence, float]],
                    is_about: bool) -> None:
        for sentence in self.sentences:
            in_sentence = [e for s, e, _ in items if s is sentence]
            phase = DEAL_PHASE.search(sentence.text)
            if phase and (in_sentence or (is_about and "deal" in sentence.text.lower())):
                evidence = Evidence(sentence.passage, sentence.start, sentence.end)
                concept = IKGC[DEAL_PHASE_WORDS[phase["phase"].lower()]]
                self.out.add(deal, IKG.inPhase, concept)
                self.out.extraction(deal, IKG.inPhase, concept, evidence, "rule", 0.8)
                return
            new = NEW_DEAL.search(sentence.text)
            if new and in_sentence:
                self.out.add(deal, IKG.inPhase, IKGC["phase-1"])
                self.out.extraction(deal, IKG.inPhase, IKGC["phase-1"], in_sentence[0], "rule",
                                    0.6)
                return

    # -- agents ---------------------------------------------------------------------------------

    def _agents(self, agents: AgentIndex) -> None:
        out = self.out
        for agent in agents.agents.values():
            iri = self.agent_iri(agent)
            cls = IKG.Person if agent.is_person else IKG.Organisation
            out.add(iri, RDF.type, cls)
            out.add(iri, RDFS.label, Literal(agent.name))
            for passage in sorted({e.passage for _, e in agent.mentions}):
                out.add(iri, IKG.supportedBy, out.passages[passage])
            first = agent.mentions[0][1] if agent.mentions else None
            out.extraction(iri, RDF.type, cls, first, "rule", agent.confidence)
            for role in agent.roles:
                out.add(iri, IKG.role, Literal(role, lang="nl"))
            for org in agent.affiliations:
                out.add(iri, IKG.affiliatedWith, self.agent_iri(org))
            if agent.stance or agent.scaling_partner:
                out.add(iri, RDF.type, IKG.Stakeholder)
                if agent.scaling_partner:
                    out.add(iri, RDF.type, IKG.ScalingPartner)
                    out.extraction(iri, RDF.type, IKG.ScalingPartner, agent.stance_evidence,
                                   "rule", 0.8)
                if agent.stance:
                    out.add(iri, IKG.stakeholderStance, IKGC[agent.stance])
                    out.extraction(iri, IKG.stakeholderStance, IKGC[agent.stance],
                                   agent.stance_evidence, "rule", 0.8)
                self.counts["stakeholder"] += 1
            self.counts["person" if agent.is_person else "organisation"] += 1

    def agent_iri(self, agent: Agent) -> URIRef:
        return URIRef(self.options.minter.agent(agent.name))

    # -- meetings -------------------------------------------------------------------------------

    def _meetings(self, index: MeetingIndex) -> None:
        out = self.out
        self.meeting_iris: dict[int, URIRef] = {}
        for meeting in index.meetings:
            iri = self.meeting_iri(meeting)
            self.meeting_iris[id(meeting)] = iri
            out.add(iri, RDF.type, IKG.Meeting)
            if meeting.attrs.get("cop"):
                out.add(iri, RDF.type, IKG.CoPMeeting)
            out.label(iri, meeting.label)
            out.shared_evidence(iri, IKG.Meeting, meeting.evidence, "rule", meeting.confidence)
            place = str(meeting.attrs.get("place") or "")
            known_place = self.a.world.place(place) if place else None
            if known_place is not None and known_place.iri:
                out.add(iri, SCHEMA.location, URIRef(known_place.iri))
            when = str(meeting.attrs["date"])
            datatype = XSD.date if len(when) == 10 else XSD.gYearMonth
            out.add(iri, SCHEMA.startDate, Literal(when, datatype=datatype))
            if meeting.attrs.get("place"):
                out.add(iri, IKG.place, Literal(str(meeting.attrs["place"])))
            slot = id(meeting)
            for prop, table in ((IKG.chair, index.chairs), (IKG.host, index.hosts),
                                (IKG.speaker, index.speakers)):
                for agent in table.get(slot, []):
                    out.add(iri, prop, self.agent_iri(agent))
            for topic in index.topics.get(slot, []):
                out.add(iri, IKG.topic, Literal(topic, lang="nl"))
            self.counts["meeting"] += 1
        self.main_meeting = self.meeting_iris.get(id(index.main)) if index.main else None

    def meeting_iri(self, meeting: Finding) -> URIRef:
        """One IRI per real meeting: its date and place (canonical name), whichever document
        names it; a report ingested twice, or a meeting announced in one document and
        reported in another, is one resource."""
        place = str(meeting.attrs.get("place") or "")
        known = self.a.world.place(place) if place else None
        key = known.iri if known is not None else normalise_key(place)
        return self.out.shared_resource_iri("meeting", str(meeting.attrs["date"]), key)

    # -- chain elements, working elements, lessons --------------------------------------------

    def _elements(self, findings: list[Finding], meetings: MeetingIndex,
                  about: URIRef | None) -> None:
        out = self.out
        self.finding_iris: dict[int, URIRef] = {}
        for f in findings:
            self.finding_iris[id(f)] = (out.shared_resource_iri(f.kind, f.key)
                                        if f.kind in SHARED_KINDS else out.resource_iri(f.kind, f.key))
        for f in findings:
            iri = self.finding_iris[id(f)]
            out.add(iri, RDF.type, CLASS_IRIS[f.kind])
            if f.kind == "stakeholder" and f.attrs.get("type") == "ScalingPartner":
                out.add(iri, RDF.type, IKG.ScalingPartner)
            out.label(iri, f.label)
            if f.kind in SHARED_KINDS:
                out.shared_evidence(iri, CLASS_IRIS[f.kind], f.evidence, f.method, f.confidence)
            else:
                out.evidence(iri, f.evidence, f.method, f.confidence)
            if f.kind in THEMED_KINDS:
                for theme in lesson_themes(f.sentence.text):
                    out.add(iri, IKG.lessonTheme, IKGC[theme])
                for deal in self.sentence_deals.get((f.sentence.passage, f.sentence.index), ()):
                    out.add(iri, IKG.aboutDeal, deal)
            if f.kind in STAGES:
                out.add(iri, IKG.chainStage, STAGES[f.kind])
            self._attributes(iri, f)
            if about is not None and (f.kind in CHAIN_KINDS or f.kind in {
                    "lesson", "stakeholder", "working_element"}):
                out.add(iri, IKG.aboutDeal, about)
                if f.kind == "ambition":
                    out.add(about, IKG.hasAmbition, iri)
            if f.kind == "lesson" and self.main_meeting is not None:
                out.add(iri, IKG.learnedAt, self.main_meeting)
            for name, targets in f.links.items():
                for target in targets:
                    target_iri = self.finding_iris.get(id(target))
                    if target_iri is not None:
                        out.add(iri, IKG[name], target_iri)
            self.counts[f.kind] += 1

    def _attributes(self, iri: URIRef, f: Finding) -> None:
        out = self.out
        a = f.attrs
        if "quantity" in a:
            out.add(iri, IKG.quantity, Literal(str(a["quantity"]), datatype=XSD.decimal))
        if "unit" in a:
            out.add(iri, IKG.unit, Literal(str(a["unit"]), lang="nl"))
        for key, prop in (("direction", IKG.impactDirection), ("domain", IKG.impactDomain),
                          ("phase", IKG.inPhase), ("scaling", IKG.scalingType),
                          ("stance", IKG.stakeholderStance), ("status", IKG.assumptionStatus)):
            if a.get(key):
                out.add(iri, prop, IKGC[str(a[key])])
        for key, prop in (("condition", IKG.condition), ("context", IKG.context)):
            if a.get(key):
                out.add(iri, prop, Literal(str(a[key]), lang="nl"))
        person = a.get("given_by")
        if isinstance(person, Agent):
            out.add(iri, IKG.givenBy, self.agent_iri(person))

    def _change_links(self, findings: list[Finding]) -> None:
        """Output → impact steps, with the assumptions and working elements found beside them."""
        out = self.out
        for f in findings:
            if f.kind not in {"assumption", "working_element"}:
                continue
            same = [g for g in findings if g.evidence.passage == f.evidence.passage]
            output = _nearest(f, [g for g in same if g.kind == "output"])
            impact = _nearest(f, [g for g in same if g.kind == "impact"])
            if output is None or impact is None:
                continue  # a change link needs exactly one output and one impact (shapes)
            if f.kind == "working_element" and output.sentence is not f.sentence:
                continue
            key_parts = (output.key, impact.key)
            link = out.resource_iri("change_link", " | ".join(key_parts))
            out.add(link, RDF.type, IKG.ChangeLink)
            out.label(link, short_label(f"{output.label} → {impact.label}", 16))
            out.evidence(link, f.evidence, f.method, min(f.confidence, 0.7))
            out.add(link, IKG.hasAssumption if f.kind == "assumption" else IKG.hasWorkingElement,
                    self.finding_iris[id(f)])
            out.add(link, IKG.fromOutput, self.finding_iris[id(output)])
            out.add(link, IKG.toImpact, self.finding_iris[id(impact)])
            out.add(self.finding_iris[id(output)], IKG.contributesToImpact,
                    self.finding_iris[id(impact)])

    # -- the model --------------------------------------------------------------------------------

    def _model_findings(self, finder: ElementFinder) -> list[Finding]:
        model = self.a._model
        if model is None:
            return []
        allowed_passages = set(range(len(self.passages)))
        vectors = self.doc.passage_vectors
        if vectors is not None:
            if len(vectors) != len(self.doc.passages):
                self.skipped.append("passage_vectors do not match the passages; not used")
            else:
                keep = [i for i, p in enumerate(self.doc.passages) if p.text.strip()]
                scores = model.passage_scores(np.asarray(vectors)[keep])
                allowed_passages = {i for i, s in enumerate(scores)
                                    if s >= self.options.thresholds.passage_gate}
        classifier = self.a._classifier
        learned = {"lesson", "working_element"} if classifier is not None else set()
        allowed: list[set[str]] = []
        chosen: list[Sentence] = []
        for sentence in self.sentences:
            if finder.covered(sentence) or word_count(sentence.text) < MIN_MODEL_SENTENCE_WORDS:
                continue
            if sentence.text.rstrip().endswith("?") or _is_heading(sentence.text):
                continue
            gate_open = sentence.passage in allowed_passages and not MEETING_WORDS.search(
                sentence.text)
            kinds = (gated_classes(sentence.text) - learned) if gate_open else set()
            if kinds or (learned and CLASSIFIER_GATE.search(sentence.text)):
                allowed.append(kinds)
                chosen.append(sentence)
        if not chosen:
            return []
        vectors = np.asarray(self.options.embedder.embed_passages(  # type: ignore[union-attr]
            [s.text for s in chosen]), dtype=np.float32)
        learned_verdicts = classifier.classify(vectors) if classifier is not None else [None] * len(
            chosen)
        made: list[Finding] = []
        for sentence, verdict in zip(chosen, learned_verdicts, strict=True):
            if verdict is None or (verdict.kind == "working_element"
                                   and not WE_MODEL_GATE.search(sentence.text)):
                continue  # a working element names what makes it work
            label = short_label(sentence.text, self.options.max_label_words)
            finding = Finding(
                kind=verdict.kind, label=label, key=normalise_key(label),
                evidence=Evidence(sentence.passage, sentence.start, sentence.end),
                sentence=sentence, method="model",
                confidence=min(0.9, max(0.5, verdict.probability)),
            )
            if verdict.kind == "lesson":
                finder.given_by(finding, sentence)
            made.append(finding)
        taken = {id(f.sentence) for f in made}
        rest = [(i, s) for i, s in enumerate(chosen) if id(s) not in taken and allowed[i]]
        prototype_verdicts = model.classify_vectors(vectors[[i for i, _ in rest]],
                                                    [allowed[i] for i, _ in rest]) if rest else []
        for (_, sentence), verdict in zip(rest, prototype_verdicts, strict=True):
            if verdict is None:
                continue
            label = short_label(sentence.text, self.options.max_label_words)
            threshold = self.options.thresholds.for_class(verdict.kind)
            confidence = min(0.8, max(0.5, 0.55 + 2 * (verdict.similarity - threshold)
                                      + verdict.margin))
            made.append(Finding(
                kind=verdict.kind, label=label, key=normalise_key(label),
                evidence=Evidence(sentence.passage, sentence.start, sentence.end),
                sentence=sentence, method="model", confidence=confidence,
            ))
        return made


def _is_heading(text: str) -> bool:
    stripped = text.strip()
    return word_count(stripped) <= 10 and not stripped.endswith((".", "!", "?", "”", "\"", "’"))


def _nearest(anchor: Finding, candidates: list[Finding]) -> Finding | None:
    if not candidates:
        return None
    return min(candidates, key=lambda g: (abs(g.sentence.index - anchor.sentence.index),
                                          g.sentence.index > anchor.sentence.index))
