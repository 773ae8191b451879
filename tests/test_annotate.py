"""The annotation step: Dutch text to ontology resources, with evidence, rules and model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from ingest.annotate import (
    ANNOTATOR_VERSION,
    AnnotateOptions,
    AnnotationInput,
    AnnotationResult,
    Annotator,
    KnownDeal,
    ModelThresholds,
    load_known_deals,
)
from ingest.annotate.dates import find_dates
from ingest.annotate.deals import DealMatcher
from ingest.annotate.evaluate import load_gold, passages_of
from ingest.annotate.found import Evidence
from ingest.annotate.graph import TripleBuilder
from ingest.annotate.prototypes import PROTOTYPES
from ingest.annotate.text import short_label, word_count
from kg.iri import IriMinter
from kg.namespaces import IKG, IKGC, SCHEMA
from kg.records import PassageRecord

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "fixtures" / "annotation_gold"
REFERENCE = GOLD / "reference-deals.ttl"
MINTER = IriMinter()
FIETSEN = URIRef("https://w3id.org/impactkg/id/deal/city-deal-fietsen-voor-iedereen")


def annotator(**options: object) -> Annotator:
    return Annotator(AnnotateOptions(known_deals=load_known_deals(REFERENCE), **options))


def doc_input(stem: str, source: str | None = None) -> AnnotationInput:
    doc = next(d for d in load_gold(GOLD) if d.path.stem == stem)
    iri = MINTER.document(source or stem)
    return AnnotationInput(iri, doc.title, doc.date,
                           passages_of(doc.body, iri, MINTER, doc.title, doc.date),
                           doc.deal_names)


def graph_of(result: AnnotationResult) -> Graph:
    g = Graph()
    for triple in result.triples:
        g.add(triple)
    return g


def by_label(g: Graph, cls: URIRef, text: str) -> URIRef:
    for node in g.subjects(RDF.type, cls):
        if text.lower() in str(g.value(node, RDFS.label)).lower():
            return node  # type: ignore[return-value]
    raise AssertionError(f"no {cls} labelled like {text!r}: "
                         f"{sorted(str(g.value(n, RDFS.label)) for n in g.subjects(RDF.type, cls))}")


def labels(g: Graph, node: URIRef, prop: URIRef) -> set[str]:
    return {str(g.value(o, RDFS.label) or g.value(o, SKOS.prefLabel) or o)
            for o in g.objects(node, prop)}


@pytest.fixture(scope="module")
def cop() -> tuple[AnnotationInput, Graph]:
    doc = doc_input("cop-2024-03-05-amersfoort-impact-opschalen")
    return doc, graph_of(annotator().run(doc))


@pytest.fixture(scope="module")
def wijken() -> tuple[AnnotationInput, Graph]:
    doc = doc_input("energieke-wijken-2023-10-12-zwolle")
    return doc, graph_of(annotator().run(doc))


# -- text ---------------------------------------------------------------------------------------


def test_dutch_dates_resolve_against_the_document_date() -> None:
    march = date(2024, 3, 5)
    assert [d.iso for d in find_dates("Op 5 maart 2024 zijn we in Amersfoort.", march)] == [
        "2024-03-05"]
    assert [d.iso for d in find_dates("Bij de vorige CoP eind november is gekeken.", march)] == [
        "2023-11"]
    assert [d.iso for d in find_dates("De volgende bijeenkomst is in juni.", march)] == ["2024-06"]
    october = date(2023, 10, 12)
    assert [d.iso for d in find_dates("De volgende is eind januari in Deventer.", october)] == [
        "2024-01"]
    assert find_dates("De waarde is in 50 jaar verschoven.", march) == []


def test_labels_are_short_clauses_without_examples() -> None:
    long = ("Grote ambities als ‘gelijke kansen voor iedereen’ en ‘versterken van "
            "kennisverbinding in de stad’ vragen om concrete invulling.")
    assert short_label(long) == "Grote ambities vragen om concrete invulling"
    assert short_label("Houd de opschaling in het achterhoofd, aldus Kersten.") == (
        "Houd de opschaling in het achterhoofd")
    cut = short_label("We wilden vooral leren, en dat ging goed, maar het kostte veel meer tijd "
                      "dan iedereen bij het begin van de deal had verwacht en gehoopt.")
    assert 3 <= word_count(cut) <= 15
    # A label never ends on a word that leads into more (the rest went to another element).
    assert short_label("zestien buurtkamers en") == "Zestien buurtkamers"
    assert short_label("ouderen in de deelnemende wijken zich minder eenzaam voelen en dat zij") == (
        "Ouderen in de deelnemende wijken zich minder eenzaam voelen")
    assert short_label("wat werkt en wat niet") == "Wat werkt en wat niet"


# -- deals --------------------------------------------------------------------------------------


def test_deal_variants_match_the_curated_deal() -> None:
    matcher = DealMatcher(load_known_deals(REFERENCE))
    for text in ("Over de City Deal Fietsen voor Iedereen.", "In de CD Fietsen voor Iedereen werken",
                 "Hij noemt de City Deal fietsen een voorbeeld."):
        found = matcher.find(text)
        assert [m.known.iri for m in found if m.known] == [str(FIETSEN)], text
    assert matcher.find("Vertegenwoordigers van City Deals en Town Deals.") == []
    assert matcher.find("Dat kan op City Dealniveau.") == []


def test_an_unknown_deal_becomes_a_new_uncurated_deal(wijken) -> None:
    _, g = wijken
    new = URIRef(MINTER.deal("City Deal Waterrijke Wijken"))
    assert (new, RDF.type, IKG.CityDeal) in g
    assert g.value(new, IKG.curated) == Literal(False)
    assert str(g.value(new, SKOS.prefLabel)) == "City Deal Waterrijke Wijken"
    assert g.value(new, IKG.supportedBy) is not None


def test_about_a_deal_versus_a_mere_mention(cop, wijken) -> None:
    doc, g = cop
    assert (URIRef(doc.document_iri), IKG.mentionsDeal, FIETSEN) in g
    assert (URIRef(doc.document_iri), IKG.aboutDeal, FIETSEN) not in g
    doc, g = wijken
    about = set(g.objects(URIRef(doc.document_iri), IKG.aboutDeal))
    assert about == {URIRef("https://w3id.org/impactkg/id/deal/city-deal-energieke-wijken")}
    assert (URIRef(doc.document_iri), IKG.mentionsDeal,
            URIRef(MINTER.deal("City Deal Waterrijke Wijken"))) in g
    records = list(g.subjects(RDF.type, IKG.Extraction))
    assert any(g.value(r, RDF.predicate) == IKG.aboutDeal for r in records)


# -- people and organisations --------------------------------------------------------------------


def test_people_with_role_affiliation_and_surname_back_references(cop) -> None:
    _, g = cop
    scheidsbach = URIRef(MINTER.agent("Jacqueline Scheidsbach"))
    assert (scheidsbach, RDF.type, IKG.Person) in g
    assert "Executive Director" in {str(r) for r in g.objects(scheidsbach, IKG.role)}
    assert labels(g, scheidsbach, IKG.affiliatedWith) == {"Impact Centre Erasmus"}
    # 'Scheidsbach' alone, later on, is the same person: evidence from several passages.
    assert len(set(g.objects(scheidsbach, IKG.supportedBy))) >= 3
    assert not any(str(g.value(p, RDFS.label)) == "Scheidsbach"
                   for p in g.subjects(RDF.type, IKG.Person))
    kersten = URIRef(MINTER.agent("Wouter Kersten"))
    assert labels(g, kersten, IKG.affiliatedWith) == {"Platform31"}
    assert "opschalingsexpert" in {str(r) for r in g.objects(kersten, IKG.role)}
    people = {str(g.value(p, RDFS.label)) for p in g.subjects(RDF.type, IKG.Person)}
    assert people == {"Jacqueline Scheidsbach", "Wouter Kersten", "Vera Beuzenberg", "Koen Haer",
                      "Angélique Boel", "Janneke ten Kate"}
    assert (URIRef(MINTER.agent("Planbureau voor de Leefomgeving")), RDF.type,
            IKG.Organisation) in g


def test_the_same_name_in_two_documents_is_the_same_iri() -> None:
    first = graph_of(annotator().run(doc_input("cop-2024-03-05-amersfoort-impact-opschalen")))
    second = graph_of(annotator().run(doc_input("sample-cop-2024-11-12-rotterdam-borgen")))
    both = {s for s in first.subjects(RDF.type, IKG.Person)} & {
        s for s in second.subjects(RDF.type, IKG.Person)}
    assert URIRef(MINTER.agent("Wouter Kersten")) in both
    assert URIRef(MINTER.agent("Vera Beuzenberg")) in both
    orgs = set(first.subjects(RDF.type, IKG.Organisation)) & set(
        second.subjects(RDF.type, IKG.Organisation))
    assert URIRef(MINTER.agent("Platform31")) in orgs


# -- meetings -----------------------------------------------------------------------------------


def test_cop_meetings_with_date_place_chair_and_the_previous_one(cop) -> None:
    _, g = cop
    march = by_label(g, IKG.CoPMeeting, "5 maart 2024")
    assert (march, RDF.type, IKG.Meeting) in g
    assert g.value(march, SCHEMA.startDate) == Literal("2024-03-05", datatype=XSD.date)
    assert str(g.value(march, IKG.place)) == "Amersfoort"
    assert labels(g, march, IKG.chair) == {"Vera Beuzenberg"}
    assert {"Jacqueline Scheidsbach", "Wouter Kersten"} <= labels(g, march, IKG.speaker)
    assert "Vera Beuzenberg" not in labels(g, march, IKG.speaker)
    assert len(set(g.objects(march, IKG.topic))) >= 3
    november = by_label(g, IKG.CoPMeeting, "november 2023")
    assert g.value(november, SCHEMA.startDate) == Literal("2023-11", datatype=XSD.gYearMonth)


def test_a_meeting_report_is_hosted_and_the_next_meeting_is_dated_ahead(wijken) -> None:
    _, g = wijken
    main = by_label(g, IKG.Meeting, "12 oktober 2023")
    assert "gemeente Zwolle" in labels(g, main, IKG.host)
    assert labels(g, main, IKG.chair) == {"Fenna Hoekstra"}
    following = by_label(g, IKG.Meeting, "januari 2024")
    assert str(g.value(following, IKG.place)) == "Deventer"


# -- the impact chain ---------------------------------------------------------------------------


def test_outputs_carry_quantity_and_unit(cop, wijken) -> None:
    _, g = cop
    output = by_label(g, IKG.Output, "100 gezinnen")
    assert g.value(output, IKG.quantity).toPython() == 100
    assert str(g.value(output, IKG.unit)) == "gezinnen"
    assert g.value(output, IKG.chainStage) == IKGC["stage-output"]
    _, g = wijken
    visits = by_label(g, IKG.Output, "huisbezoeken")
    assert g.value(visits, IKG.quantity).toPython() == 1200
    fietsen = graph_of(annotator().run(doc_input("fietsen-voor-iedereen-2024-06-20-nieuws")))
    schools = by_label(fietsen, IKG.Output, "basisscholen")
    assert fietsen.value(schools, IKG.quantity).toPython() == 9


def test_an_assumption_sits_on_the_output_to_impact_step(cop, wijken) -> None:
    _, g = cop
    assumption = by_label(g, IKG.Assumption, "training was op het goede niveau")
    assert g.value(assumption, IKG.assumptionStatus) == IKGC["assumption-untested"]
    link = g.value(None, IKG.hasAssumption, assumption)
    assert (link, RDF.type, IKG.ChangeLink) in g
    assert "100 gezinnen" in str(g.value(g.value(link, IKG.fromOutput), RDFS.label))
    assert "voedingssupplementen" in str(g.value(g.value(link, IKG.toImpact), RDFS.label))
    _, g = wijken
    refuted = by_label(g, IKG.Assumption, "gedrag aanpassen")
    assert g.value(refuted, IKG.assumptionStatus) == IKGC["assumption-refuted"]


def test_impacts_have_direction_and_domain_where_stated(wijken) -> None:
    _, g = wijken
    co2 = by_label(g, IKG.Impact, "CO2-uitstoot")
    assert g.value(co2, IKG.impactDomain) == IKGC["domain-ecological"]
    assert g.value(co2, IKG.impactDirection) == IKGC["direction-positive"]
    rent = by_label(g, IKG.Impact, "huren")
    assert g.value(rent, IKG.impactDirection) == IKGC["direction-negative"]


def test_a_working_element_with_condition_context_and_prediction(cop) -> None:
    _, g = cop
    element = by_label(g, IKG.WorkingElement, "Waardering")
    assert "positieve ervaring" in str(g.value(element, IKG.condition))
    assert str(g.value(element, IKG.context)) == "Maatschappelijke Diensttijd"
    assert "vrijwilligerswerk" in str(g.value(g.value(element, IKG.predictsImpact), RDFS.label))
    assert g.value(None, IKG.hasWorkingElement, element) is not None


def test_lessons_have_who_where_and_which_phase(cop) -> None:
    _, g = cop
    meeting = by_label(g, IKG.CoPMeeting, "5 maart 2024")
    lesson = by_label(g, IKG.Lesson, "vroeg stadium")
    assert labels(g, lesson, IKG.givenBy) == {"Wouter Kersten"}
    assert g.value(lesson, IKG.learnedAt) == meeting
    assert g.value(lesson, IKG.inPhase) == IKGC["phase-1"]
    tip = by_label(g, IKG.Lesson, "werkzame elementen")
    assert labels(g, tip, IKG.givenBy) == {"Jacqueline Scheidsbach"}
    assert g.value(tip, IKG.inPhase) == IKGC["phase-4"]
    stop = graph_of(annotator().run(doc_input("energieke-wijken-2023-10-12-zwolle")))
    assert stop.value(by_label(stop, IKG.Lesson, "stop met"), IKG.scalingType) == IKGC[
        "scaling-stop"]


def test_stakeholders_stance_scaling_partners_and_co_creation(cop, wijken) -> None:
    _, g = cop
    resistant = by_label(g, IKG.Stakeholder, "weerstand")
    assert g.value(resistant, IKG.stakeholderStance) == IKGC["stance-resistant"]
    assert by_label(g, IKG.ScalingPartner, "partners")
    assert by_label(g, IKG.BeneficiaryGroup, "profijtgroep")
    _, g = wijken
    corporation = URIRef(MINTER.agent("Stadswonen"))
    assert g.value(corporation, IKG.stakeholderStance) == IKGC["stance-resistant"]
    assert (URIRef(MINTER.agent("Enexis")), RDF.type, IKG.ScalingPartner) in g
    panel = by_label(g, IKG.Activity, "bewonerspanel")
    assert labels(g, panel, IKG.coCreatedWith)


@pytest.mark.parametrize(("sentence", "groups"), [
    ("De profijtgroep bestaat uit volwassenen die niet of nauwelijks kunnen fietsen, vaak "
     "nieuwe Nederlanders.", ["volwassenen die niet of nauwelijks kunnen fietsen"]),
    ("Elke gemeente ontwikkelt een interventie voor een eigen doelgroep: ouderen, "
     "mkb-ondernemers of jongeren.", ["ouderen"]),
    ("De doelgroep zijn jongeren tussen 16 en 23 jaar.", ["jongeren tussen 16 en 23 jaar"]),
    ("Co-creëren met de profijtgroep is deel van het continu leren.", ["Profijtgroep"]),
    ("Betrek de profijtgroep bij de keuze wat je borgt.", ["Profijtgroep"]),
    ("De doelgroepen zijn breed.", [""]),
    ("Voor de doelgroep is dat lastig.", [""]),
])
def test_the_beneficiary_group_a_sentence_names(sentence: str, groups: list[str]) -> None:
    from ingest.annotate.cues import BENEFICIARY
    from ingest.annotate.elements import named_beneficiary_group

    assert [named_beneficiary_group(sentence, m) for m in BENEFICIARY.finditer(sentence)] == groups


def test_the_phase_of_a_deal() -> None:
    g = graph_of(annotator().run(doc_input("fietsen-voor-iedereen-2024-06-20-nieuws")))
    assert g.value(FIETSEN, IKG.inPhase) == IKGC["phase-3"]


# -- evidence, determinism, shapes ----------------------------------------------------------------


@pytest.mark.parametrize("stem", [p.stem for p in sorted(GOLD.glob("*.json"))])
def test_every_quote_is_the_passage_text_at_its_offsets(stem: str) -> None:
    doc = doc_input(stem)
    g = graph_of(annotator().run(doc))
    texts = {URIRef(p.iri): p.text for p in doc.passages}
    quoted = list(g.subjects(IKG.quote, None))
    assert quoted
    for node in quoted:
        passage = g.value(node, IKG.supportedBy)
        start = g.value(node, IKG.quoteStart).toPython()
        end = g.value(node, IKG.quoteEnd).toPython()
        assert texts[passage][start:end] == str(g.value(node, IKG.quote))
        assert g.value(node, IKG.method) in {IKGC["method-rule"], IKGC["method-model"]}
        assert 0 <= g.value(node, IKG.confidence).toPython() <= 1
        assert g.value(node, PROV.wasGeneratedBy) == URIRef(
            MINTER.resource("annotator", ANNOTATOR_VERSION))
    for cls in (IKG.Lesson, IKG.Ambition, IKG.Activity, IKG.Output, IKG.Impact, IKG.Assumption,
                IKG.WorkingElement, IKG.PolicyStrategy):
        for node in g.subjects(RDF.type, cls):
            assert 1 <= word_count(str(g.value(node, RDFS.label))) <= 15


def test_rerunning_gives_the_same_triples_and_iris() -> None:
    doc = doc_input("energieke-wijken-2023-10-12-zwolle")
    first = annotator().run(doc)
    second = annotator().run(doc)
    assert first.triples == second.triples
    assert len(set(first.triples)) == len(first.triples)
    lesson_iris = {s for s, p, o in first.triples if o == IKG.Lesson}
    key_iri = URIRef(MINTER.resource("lesson", doc.document_iri,
                                     "zorg dat de energiecoach een vast gezicht wordt in de buurt"))
    assert key_iri in lesson_iris
    # Another document with the same text gets its own resources, the agents are shared.
    other = annotator().run(doc_input("energieke-wijken-2023-10-12-zwolle", source="elders"))
    other_lessons = {s for s, p, o in other.triples if o == IKG.Lesson}
    assert not lesson_iris & other_lessons
    assert first.counts["lesson"] == other.counts["lesson"] == len(lesson_iris)


def test_the_output_validates_against_the_shapes() -> None:
    pyshacl = pytest.importorskip("pyshacl")
    shapes_file = REPO / "ontology" / "shapes.ttl"
    if not shapes_file.exists():
        pytest.skip("ontology/shapes.ttl is not there")
    shapes = Graph().parse(shapes_file)
    for stem in ("cop-2024-03-05-amersfoort-impact-opschalen",
                 "sample-verslag-werksessie-opschalingspartners-2025-03-04"):
        doc = doc_input(stem)
        g = graph_of(annotator().run(doc))
        for p in doc.passages:  # what the pipeline writes for each passage
            node = URIRef(p.iri)
            g.add((node, RDF.type, IKG.Passage))
            g.add((node, IKG.text, Literal(p.text)))
            g.add((node, IKG.inDocument, URIRef(doc.document_iri)))
            g.add((node, IKG.position, Literal(p.position, datatype=XSD.integer)))
        conforms, _, report = pyshacl.validate(g, shacl_graph=shapes, inference="none",
                                               allow_warnings=True)
        assert conforms, report


# -- the model part -------------------------------------------------------------------------------


class HashingEmbedder:
    """Bag-of-words vectors: identical texts meet at 1.0, unrelated ones near 0."""

    name = "test:hashing"
    dim = 256

    def __init__(self) -> None:
        self.passage_calls = 0

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            vector[int(hashlib.sha1(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passage_calls += 1
        return np.vstack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim))

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


def model_doc() -> AnnotationInput:
    iri = MINTER.document("model-test")
    text = ("De kantine was vol en de koffie was goed. " + PROTOTYPES["impact"][1])
    passage = PassageRecord(iri=MINTER.passage(iri, 0), document_iri=iri, position=0, text=text)
    return AnnotationInput(iri, "Test", "2024-01-01", [passage])


def test_the_model_adds_what_no_rule_found_and_says_so() -> None:
    doc = model_doc()
    assert annotator().run(doc).counts["impact"] == 0  # rules alone find nothing here
    embedder = HashingEmbedder()
    model = annotator(embedder=embedder)
    model.warm_up()
    g = graph_of(model.run(doc))
    impact = by_label(g, IKG.Impact, "zelfvertrouwen")
    assert g.value(impact, IKG.method) == IKGC["method-model"]
    assert 0.5 <= g.value(impact, IKG.confidence).toPython() <= 0.8


def test_precomputed_passage_vectors_gate_the_model() -> None:
    doc = model_doc()
    embedder = HashingEmbedder()
    model = annotator(embedder=embedder)
    model.warm_up()
    far = np.zeros((1, embedder.dim), dtype=np.float32)
    gated = model.run(AnnotationInput(doc.document_iri, doc.title, doc.date, doc.passages,
                                      passage_vectors=far))
    assert gated.counts["impact"] == 0
    assert embedder.passage_calls == 0  # the gated passage's sentences were never embedded
    near = embedder.embed_passages([PROTOTYPES["impact"][1]])  # a passage much like an impact
    assert model.run(AnnotationInput(doc.document_iri, doc.title, doc.date, doc.passages,
                                     passage_vectors=near)).counts["impact"] == 1
    wrong = model.run(AnnotationInput(doc.document_iri, doc.title, doc.date, doc.passages,
                                      passage_vectors=np.zeros((3, embedder.dim))))
    assert any("passage_vectors" in s for s in wrong.skipped)


# -- options, edges, the pipeline's call ----------------------------------------------------------


def test_bad_options_fail_when_built() -> None:
    with pytest.raises(ValueError, match="max_label_words"):
        AnnotateOptions(max_label_words=1)
    with pytest.raises(ValueError, match="min_confidence"):
        AnnotateOptions(min_confidence=2)
    with pytest.raises(ValueError, match="threshold"):
        ModelThresholds(default=3)
    with pytest.raises(ValueError, match="no prototypes"):
        ModelThresholds(per_class=(("colour", 0.9),))


def test_an_empty_document_is_skipped_with_a_reason() -> None:
    iri = MINTER.document("empty")
    empty = PassageRecord(iri=MINTER.passage(iri, 0), document_iri=iri, position=0, text="  ")
    result = annotator().run(AnnotationInput(iri, "Leeg", "", [empty]))
    assert result.triples == ()
    assert "no passages" in result.skipped
    odd = annotator().run(AnnotationInput(iri, "x", "maart", [
        PassageRecord(iri=MINTER.passage(iri, 0), document_iri=iri, position=0,
                      text="Zorg dat je vroeg begint met opschalen.")]))
    assert any("not ISO" in s for s in odd.skipped)


def test_known_deals_load_from_a_graph_or_the_reference_file() -> None:
    deals = load_known_deals(REFERENCE)
    fietsen = next(d for d in deals if d.iri == str(FIETSEN))
    assert "CD Fietsen voor Iedereen" in fietsen.labels
    assert next(d for d in deals if "vitale" in d.iri).is_town_deal
    graph = Graph().parse(REFERENCE)
    assert Annotator(AnnotateOptions(known_deals=graph)).known_deals == deals
    real = REPO / "ontology" / "reference" / "agenda-stad.ttl"
    if real.exists():
        assert any(d.iri == str(FIETSEN) for d in load_known_deals(real))


def test_the_pipeline_call_returns_the_same_triples() -> None:
    from kg.builders import DocumentFacts, PassageFacts

    doc = doc_input("fietsen-voor-iedereen-2024-06-20-nieuws")
    facts = DocumentFacts(iri=doc.document_iri, source="file:///x", title=doc.title,
                          content_hash="x", extractor_version="x", fetched_at="2024-01-01T00:00:00Z",
                          doc_type="doctype-news", date=doc.date)
    passages = [PassageFacts(p.iri, p.position, p.text, p.heading_path, p.start_char, p.end_char)
                for p in doc.passages]
    model = annotator()
    assert model.version == ANNOTATOR_VERSION
    assert tuple(model.annotate(facts, passages, doc.deal_names_from_page)) == model.run(
        doc).triples


def test_a_known_deal_list_can_be_given_directly() -> None:
    deal = KnownDeal("https://w3id.org/impactkg/id/deal/city-deal-x", ("City Deal Groene Daken",))
    model = Annotator(AnnotateOptions(known_deals=[deal]))
    iri = MINTER.document("x")
    passage = PassageRecord(iri=MINTER.passage(iri, 0), document_iri=iri, position=0,
                            text="De City Deal Groene Daken begint in mei.")
    g = graph_of(model.run(AnnotationInput(iri, "x", "2024-01-01", [passage])))
    assert (URIRef(iri), IKG.mentionsDeal, URIRef(deal.iri)) in g
    assert g.value(URIRef(deal.iri), IKG.curated) is None  # curated deals are not restated


def test_every_month_formats_in_dutch() -> None:
    from ingest.annotate.dates import format_dutch

    assert format_dutch("2024-05-14") == "14 mei 2024"
    assert format_dutch("2023-11") == "november 2023"
    assert [format_dutch(f"2025-{m:02d}").split()[0] for m in range(1, 13)] == [
        "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
        "september", "oktober", "november", "december"]


def test_a_deal_the_page_names_but_nobody_curated_gets_a_type_and_a_label() -> None:
    """The page's own name for an uncurated deal must make a deal resource, also when the text
    repeats that name (it used to match as if curated and stay without type and label)."""
    iri = MINTER.document("eenzaamheid")
    text = ("De City Deal Eenzaamheid doorbreken brengt gemeenten en ouderenbonden samen. "
            "In de City Deal Eenzaamheid doorbreken werken vrijwilligers met huisartsen.")
    passage = PassageRecord(iri=MINTER.passage(iri, 0), document_iri=iri, position=0, text=text)
    result = annotator().run(AnnotationInput(iri, "Dealtekst", "2024-01-01", [passage],
                                             deal_names_from_page=("City Deal Eenzaamheid doorbreken",)))
    g = graph_of(result)
    deal = URIRef(MINTER.deal("City Deal Eenzaamheid doorbreken"))
    assert (URIRef(iri), IKG.aboutDeal, deal) in g
    assert (deal, RDF.type, IKG.CityDeal) in g
    assert (deal, SKOS.prefLabel, Literal("City Deal Eenzaamheid doorbreken", lang="nl")) in g
    assert (deal, IKG.curated, Literal(False)) in g


def test_an_extraction_record_keeps_one_piece_of_evidence_the_most_confident() -> None:
    # Two rules finding the same statement in one document gave a record two confidences and
    # two quotes, which the shapes (maxCount 1) reject.
    builder = TripleBuilder(MINTER, "https://w3id.org/impactkg/id/doc/x", ["urn:p0", "urn:p1"],
                            ["Jan de Vries sprak.", "Spreker: Jan de Vries."], "urn:run")
    person = URIRef("https://w3id.org/impactkg/id/person/jan-de-vries")
    first = builder.extraction(person, RDF.type, IKG.Person, Evidence(0, 0, 12), "rule", 0.6)
    builder.extraction(person, RDF.type, IKG.Person, Evidence(1, 9, 21), "rule", 0.9)
    builder.extraction(person, RDF.type, IKG.Person, Evidence(0, 0, 12), "rule", 0.5)
    about = {(p, o) for s, p, o in builder.triples if s == first}
    assert [o for p, o in about if p == IKG.confidence] == [Literal(Decimal("0.90"))]
    assert [str(o) for p, o in about if p == IKG.quote] == ["Jan de Vries"]
    assert [o for p, o in about if p == IKG.supportedBy] == [URIRef("urn:p1")]
