"""The ontology folder: Turtle that parses, bilingual terms, contract terms, shapes that pass and fail,
curated reference data, and canned queries that run."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.plugins.sparql import prepareQuery

ROOT = Path(__file__).parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
REFERENCE_DIR = ONTOLOGY_DIR / "reference"
QUERIES_DIR = ONTOLOGY_DIR / "queries"
CONTRACTS = ROOT / "docs" / "CONTRACTS.md"

IKG = Namespace("https://w3id.org/impactkg/def#")
IKGC = Namespace("https://w3id.org/impactkg/concept/")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
SCHEMA = Namespace("https://schema.org/")
# Not rdflib.namespace.XSD: pytest probes module globals, and that namespace warns on the probe.
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = URIRef(XSD_NS + "integer")
XSD_DECIMAL = URIRef(XSD_NS + "decimal")
XSD_BOOLEAN = URIRef(XSD_NS + "boolean")
XSD_STRING = URIRef(XSD_NS + "string")
CORE_IRI = URIRef("https://w3id.org/impactkg/def")
ALIGN_IRI = URIRef("https://w3id.org/impactkg/def/align")
BASE_IRI = "https://w3id.org/impactkg/id/"
PROGRAMME_IRI = URIRef(BASE_IRI + "programme/agenda-stad")

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
ALL_TURTLE = sorted(ONTOLOGY_DIR.rglob("*.ttl"))
ALL_QUERIES = sorted(QUERIES_DIR.glob("*.rq"))


# --------------------------------------------------------------------------- helpers


def _parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def _slug(text: str) -> str:
    """The deal/agent slug rule: lower-case ASCII, every run of non-alphanumerics becomes one '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {o.language or "" for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def _results(report: Graph, severity: URIRef = SH.Violation) -> list[tuple[object, object, object]]:
    """(focus node, result path, source shape) of every result with the given severity."""
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) == severity:
            found.append(
                (
                    report.value(result, SH.focusNode),
                    report.value(result, SH.resultPath),
                    report.value(result, SH.sourceShape),
                )
            )
    return found


def _validate(data: Graph, shapes: Graph) -> Graph:
    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=False
    )
    return report


def _contract_section() -> str:
    text = CONTRACTS.read_text(encoding="utf-8")
    start = text.index("## Ontology terms the code writes")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def _contract_classes_and_properties() -> tuple[set[str], set[str]]:
    section = _contract_section()
    classes_part = section[section.index("Classes:") : section.index("Properties")]
    properties_part = section[section.index("Properties") : section.index("Standard terms")]
    classes = set(re.findall(r"ikg:(\w+)", classes_part))
    properties = set(re.findall(r"ikg:(\w+)", properties_part))
    # "ikg:Passage" appears in the properties list only as the range of supportedBy.
    properties -= classes
    return classes, properties


def _contract_concept_bullets() -> Iterator[tuple[list[str], str]]:
    """(concept local names, scheme local name) for every concept-scheme bullet in CONTRACTS.md."""
    text = CONTRACTS.read_text(encoding="utf-8")
    section = text[text.index("Concepts and concept schemes") : text.index("- Instances:")]
    for bullet in re.split(r"\n  - ", section)[1:]:
        names = re.findall(r"ikgc:([\w-]+)", bullet)
        schemes = [n for n in names if n[0].isupper()]
        concepts = [n for n in names if n[0].islower()]
        assert len(schemes) == 1, bullet
        yield concepts, schemes[0]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def core() -> Graph:
    return _parse(ONTOLOGY_DIR / "impact.ttl")


@pytest.fixture(scope="module")
def concepts() -> Graph:
    return _parse(ONTOLOGY_DIR / "concepts.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse(ONTOLOGY_DIR / "shapes.ttl")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """Every ontology module, as the store's ontology graph holds them."""
    return _parse(*sorted(ONTOLOGY_DIR.glob("*.ttl")))


@pytest.fixture(scope="module")
def reference() -> Graph:
    return _parse(*sorted(REFERENCE_DIR.glob("*.ttl")))


@pytest.fixture(scope="module")
def store_like(ontology: Graph, reference: Graph) -> Graph:
    """Ontology plus reference data: what the store's union default graph holds before any ingest."""
    return ontology + reference


@pytest.fixture(scope="module")
def data_context(core: Graph, reference: Graph) -> Graph:
    """What data is validated together with: reference data and the class hierarchy.

    Not the whole ontology: that would also run the meta-shapes (SPARQL, slow in pySHACL) on every
    ontology term for every validation.
    """
    context = Graph() + reference
    for triple in core.triples((None, RDFS.subClassOf, None)):
        context.add(triple)
    return context


@pytest.fixture(scope="module")
def ontology_report(ontology: Graph, shapes: Graph) -> Graph:
    return _validate(ontology, shapes)


EXAMPLE_TTL = """
@prefix ikg:     <https://w3id.org/impactkg/def#> .
@prefix ikgc:    <https://w3id.org/impactkg/concept/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix schema:  <https://schema.org/> .
@prefix doc:     <https://w3id.org/impactkg/id/doc/> .
@prefix agent:   <https://w3id.org/impactkg/id/agent/> .
@prefix deal:    <https://w3id.org/impactkg/id/deal/> .

doc:0a1b2c3d4e5f a ikg:Document ;
    dcterms:title "Community of Practice: impact maken en opschalen"@nl ;
    schema:url <https://agendastad.nl/voorbeeld-cop-verslag/> ;
    dcterms:date "2024-03-05"^^xsd:date ;
    ikg:contentHash "sha256:9f2c" ;
    ikg:extractorVersion "0.1.0" ;
    ikg:documentType ikgc:doctype-cop-report ;
    ikg:sourceSite "agendastad.nl" ;
    ikg:aboutDeal deal:city-deal-fietsen-voor-iedereen .

<https://w3id.org/impactkg/id/doc/0a1b2c3d4e5f/p7> a ikg:Passage ;
    ikg:inDocument doc:0a1b2c3d4e5f ;
    ikg:position 7 ;
    ikg:headingPath "Vind de werkzame elementen!" ;
    ikg:startChar 5120 ;
    ikg:endChar 5480 ;
    ikg:text "Waardering koppelt output aan impact: jongeren blijven vrijwilligerswerk doen." ;
    ikg:mentionsDeal deal:city-deal-fietsen-voor-iedereen .

<https://w3id.org/impactkg/id/meeting/cop-2024-03> a ikg:CoPMeeting ;
    rdfs:label "CoP impact maken en opschalen"@nl ;
    schema:startDate "2024-03-05"^^xsd:date ;
    ikg:place "Amersfoort" ;
    ikg:chair agent:vera-beuzenberg ;
    ikg:speaker agent:jacqueline-scheidsbach , agent:wouter-kersten .

agent:vera-beuzenberg a ikg:Person ; rdfs:label "Vera Beuzenberg" ; ikg:role "dagvoorzitter" .
agent:jacqueline-scheidsbach a ikg:Person ;
    rdfs:label "Jacqueline Scheidsbach" ;
    ikg:role "Executive Director" ;
    ikg:affiliatedWith agent:impact-centre-erasmus .
agent:wouter-kersten a ikg:Person ;
    rdfs:label "Wouter Kersten" ;
    ikg:role "opschalingsexpert" ;
    ikg:affiliatedWith agent:platform31 .

<https://w3id.org/impactkg/id/lesson/1> a ikg:Lesson ;
    rdfs:label "Betrek partijen die weerstand bieden vroeg"@nl ;
    ikg:supportedBy <https://w3id.org/impactkg/id/doc/0a1b2c3d4e5f/p7> ;
    ikg:method ikgc:method-curated ;
    ikg:confidence "1.0"^^xsd:decimal ;
    ikg:inPhase ikgc:phase-4 ;
    ikg:scalingType ikgc:scaling-scale-up ;
    ikg:learnedAt <https://w3id.org/impactkg/id/meeting/cop-2024-03> ;
    ikg:givenBy agent:wouter-kersten ;
    ikg:aboutDeal deal:city-deal-fietsen-voor-iedereen ;
    ikg:lessonTheme ikgc:theme-early-involvement ;
    prov:wasGeneratedBy <https://w3id.org/impactkg/id/extraction/1> .

<https://w3id.org/impactkg/id/extraction/1> a ikg:Extraction ;
    ikg:method ikgc:method-curated ;
    ikg:confidence "1.0"^^xsd:decimal ;
    ikg:supportedBy <https://w3id.org/impactkg/id/doc/0a1b2c3d4e5f/p7> ;
    ikg:quote "Waardering koppelt output aan impact" ;
    ikg:quoteStart 0 ;
    ikg:quoteEnd 36 .

<https://w3id.org/impactkg/id/output/1> a ikg:Output ;
    rdfs:label "jongeren hebben diensttijd gedaan"@nl ;
    ikg:quantity "100"^^xsd:integer ;
    ikg:unit "jongeren"@nl ;
    ikg:contributesToImpact <https://w3id.org/impactkg/id/impact/1> ;
    ikg:aboutDeal deal:city-deal-fietsen-voor-iedereen ;
    ikg:supportedBy <https://w3id.org/impactkg/id/doc/0a1b2c3d4e5f/p7> ;
    ikg:method ikgc:method-model ;
    ikg:confidence "0.82"^^xsd:decimal .

<https://w3id.org/impactkg/id/impact/1> a ikg:Impact ;
    rdfs:label "jongeren blijven vrijwilligerswerk doen"@nl ;
    ikg:impactDomain ikgc:domain-social ;
    ikg:impactDirection ikgc:direction-positive ;
    ikg:valueType ikgc:value-pre-financial ;
    ikg:supportedBy <https://w3id.org/impactkg/id/doc/0a1b2c3d4e5f/p7> ;
    ikg:method ikgc:method-model ;
    ikg:confidence "0.77"^^xsd:decimal .

<https://w3id.org/impactkg/id/working-element/1> a ikg:WorkingElement ;
    rdfs:label "waardering"@nl ;
    ikg:lessonTheme ikgc:theme-early-involvement ;
    ikg:aboutDeal deal:city-deal-kennis-maken ;
    ikg:predictsImpact <https://w3id.org/impactkg/id/impact/1> ;
    ikg:condition "de ervaring is positief voor de jongeren"@nl ;
    ikg:context "Maatschappelijke Diensttijd"@nl ;
    ikg:supportedBy <https://w3id.org/impactkg/id/doc/0a1b2c3d4e5f/p7> ;
    ikg:method ikgc:method-rule ;
    ikg:confidence "0.6"^^xsd:decimal .

<https://w3id.org/impactkg/id/assumption/1> a ikg:Assumption ;
    rdfs:label "jongeren krijgen waardering voor hun inzet"@nl ;
    ikg:assumptionStatus ikgc:assumption-supported ;
    ikg:supportedBy <https://w3id.org/impactkg/id/doc/0a1b2c3d4e5f/p7> ;
    ikg:method ikgc:method-model ;
    ikg:confidence "0.7"^^xsd:decimal .

<https://w3id.org/impactkg/id/assumption/2> a ikg:Assumption ;
    rdfs:label "jongeren vinden de training op het goede niveau"@nl ;
    ikg:assumptionStatus ikgc:assumption-untested ;
    ikg:aboutDeal deal:city-deal-fietsen-voor-iedereen ;
    ikg:supportedBy <https://w3id.org/impactkg/id/doc/0a1b2c3d4e5f/p7> ;
    ikg:method ikgc:method-model ;
    ikg:confidence "0.6"^^xsd:decimal .

<https://w3id.org/impactkg/id/change-link/1> a ikg:ChangeLink ;
    ikg:fromOutput <https://w3id.org/impactkg/id/output/1> ;
    ikg:toImpact <https://w3id.org/impactkg/id/impact/1> ;
    ikg:hasAssumption <https://w3id.org/impactkg/id/assumption/1> ,
        <https://w3id.org/impactkg/id/assumption/2> ;
    ikg:hasWorkingElement <https://w3id.org/impactkg/id/working-element/1> ;
    ikg:supportedBy <https://w3id.org/impactkg/id/doc/0a1b2c3d4e5f/p7> .

<https://w3id.org/impactkg/id/stakeholder/1> a ikg:ScalingPartner ;
    rdfs:label "partijen die weerstand bieden"@nl ;
    ikg:stakeholderStance ikgc:stance-resistant ;
    ikg:aboutDeal deal:city-deal-fietsen-voor-iedereen ;
    ikg:supportedBy <https://w3id.org/impactkg/id/doc/0a1b2c3d4e5f/p7> .
"""

LESSON = URIRef(BASE_IRI + "lesson/1")
PASSAGE = URIRef(BASE_IRI + "doc/0a1b2c3d4e5f/p7")
DOCUMENT = URIRef(BASE_IRI + "doc/0a1b2c3d4e5f")
EXTRACTION = URIRef(BASE_IRI + "extraction/1")


@pytest.fixture()
def example() -> Graph:
    """A complete, valid document graph in the shape ingest writes (fresh per test: tests mutate it)."""
    return Graph().parse(data=EXAMPLE_TTL, format="turtle")


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", ALL_TURTLE, ids=lambda p: str(p.relative_to(ONTOLOGY_DIR)))
def test_turtle_parses(path: Path) -> None:
    graph = _parse(path)
    assert len(graph) > 0


def test_expected_files_exist() -> None:
    for name in ("impact.ttl", "concepts.ttl", "align.ttl", "shapes.ttl"):
        assert (ONTOLOGY_DIR / name).is_file(), name
    assert (REFERENCE_DIR / "agenda-stad.ttl").is_file()
    assert (REFERENCE_DIR / "organisations.ttl").is_file()
    assert len(ALL_QUERIES) >= 5
    assert not list(ONTOLOGY_DIR.rglob("*.py")), "ontology/ holds no Python"


# --------------------------------------------------------------------------- the core ontology


def test_ontology_header(core: Graph) -> None:
    assert (CORE_IRI, RDF.type, OWL.Ontology) in core
    assert core.value(CORE_IRI, OWL.versionIRI) == URIRef("https://w3id.org/impactkg/def/1.0.0")
    assert core.value(CORE_IRI, OWL.versionInfo) is not None
    assert str(core.value(CORE_IRI, VANN.preferredNamespacePrefix)) == "ikg"
    assert str(core.value(CORE_IRI, VANN.preferredNamespaceUri)) == str(IKG)
    for predicate in (DCTERMS.title, DCTERMS.description, RDFS.label, SKOS.definition):
        assert {"nl", "en"} <= _languages(core, CORE_IRI, predicate), predicate


def test_namespaces_match_kg_package() -> None:
    namespaces = pytest.importorskip("kg.namespaces")
    assert str(namespaces.IKG) == str(IKG)
    assert str(namespaces.IKGC) == str(IKGC)


def test_every_ikg_term_is_labelled_and_defined_in_dutch_and_english(core: Graph) -> None:
    terms = {s for t in TERM_TYPES for s in core.subjects(RDF.type, t) if str(s).startswith(str(IKG))}
    assert len(terms) > 60
    missing = []
    for term in sorted(terms):
        for predicate in (RDFS.label, SKOS.definition):
            lacking = {"nl", "en"} - _languages(core, term, predicate)
            if lacking:
                missing.append(f"{term} {predicate} {sorted(lacking)}")
    assert not missing, "\n".join(missing)


def test_every_ikg_iri_used_anywhere_is_declared(core: Graph) -> None:
    """A typo such as ikg:supportedby in any Turtle file or canned query fails here."""
    declared = {s for t in TERM_TYPES for s in core.subjects(RDF.type, t)}
    used: set[str] = set()
    for path in ALL_TURTLE:
        for triple in _parse(path):
            used.update(
                str(node)
                for node in triple
                if isinstance(node, URIRef) and str(node).startswith(str(IKG)) and node != URIRef(IKG)
            )
    for path in ALL_QUERIES:
        query_text = path.read_text(encoding="utf-8")
        used.update(str(IKG) + name for name in re.findall(r"\bikg:(\w+)", query_text))
    undeclared = sorted(u for u in used if URIRef(u) not in declared)
    assert not undeclared, undeclared


def test_property_kinds_are_not_mixed(core: Graph) -> None:
    object_props = set(core.subjects(RDF.type, OWL.ObjectProperty))
    datatype_props = set(core.subjects(RDF.type, OWL.DatatypeProperty))
    assert not object_props & datatype_props
    for prop in datatype_props:
        for range_ in core.objects(prop, RDFS.range):
            assert range_ in {RDFS.Literal, RDF.langString} or str(range_).startswith(XSD_NS), prop
    for prop in object_props:
        for range_ in core.objects(prop, RDFS.range):
            assert range_ != RDFS.Literal and not str(range_).startswith(XSD_NS), prop


def test_contract_classes_and_properties_exist(core: Graph) -> None:
    classes, properties = _contract_classes_and_properties()
    assert {"Deal", "Lesson", "Extraction"} <= classes
    assert {"supportedBy", "inDocument", "status"} <= properties
    missing_classes = sorted(c for c in classes if (IKG[c], RDF.type, OWL.Class) not in core)
    assert not missing_classes, missing_classes
    missing_props = sorted(
        p
        for p in properties
        if (IKG[p], RDF.type, OWL.ObjectProperty) not in core
        and (IKG[p], RDF.type, OWL.DatatypeProperty) not in core
    )
    assert not missing_props, missing_props


def test_brief_classes_exist(core: Graph) -> None:
    brief = [
        "Programme", "Deal", "CityDeal", "TownDeal", "Partnership", "Ambition", "PolicyStrategy",
        "Activity", "Output", "Impact", "Assumption", "ChangeLink", "WorkingElement", "Lesson",
        "BeneficiaryGroup", "Stakeholder", "ScalingPartner", "Person", "Organisation", "CoPMeeting",
        "Meeting", "Document", "Passage", "Extraction",
    ]  # fmt: skip
    assert not [c for c in brief if (IKG[c], RDF.type, OWL.Class) not in core]


@pytest.mark.parametrize(
    ("prop", "range_"),
    [
        ("position", XSD_INTEGER),
        ("startChar", XSD_INTEGER),
        ("endChar", XSD_INTEGER),
        ("curated", XSD_BOOLEAN),
        ("confidence", XSD_DECIMAL),
        ("headingPath", XSD_STRING),
        ("supportedBy", IKG.Passage),
        ("inDocument", IKG.Document),
        ("documentType", SKOS.Concept),
        ("method", SKOS.Concept),
        ("assumptionStatus", SKOS.Concept),
        ("chainStage", SKOS.Concept),
    ],
)
def test_contract_ranges(core: Graph, prop: str, range_: URIRef) -> None:
    assert core.value(IKG[prop], RDFS.range) == range_


def test_class_hierarchy(core: Graph) -> None:
    for child, parent in [
        ("CityDeal", "Deal"),
        ("TownDeal", "Deal"),
        ("ScalingPartner", "Stakeholder"),
        ("CoPMeeting", "Meeting"),
    ]:
        assert (IKG[child], RDFS.subClassOf, IKG[parent]) in core


def test_concept_valued_properties_name_their_scheme(core: Graph, concepts: Graph) -> None:
    concept_props = [p for p in core.subjects(RDFS.range, SKOS.Concept)]
    assert len(concept_props) >= 10
    for prop in concept_props:
        scheme = core.value(prop, IKG.conceptScheme)
        assert scheme is not None, prop
        assert (scheme, RDF.type, SKOS.ConceptScheme) in concepts, (prop, scheme)


# --------------------------------------------------------------------------- concepts


def test_contract_concepts_exist_in_their_schemes(concepts: Graph) -> None:
    bullets = list(_contract_concept_bullets())
    assert len(bullets) == 10
    for concept_names, scheme_name in bullets:
        scheme = IKGC[scheme_name]
        assert (scheme, RDF.type, SKOS.ConceptScheme) in concepts, scheme
        in_scheme = set(concepts.subjects(SKOS.inScheme, scheme))
        assert {IKGC[n] for n in concept_names} == in_scheme, scheme
        for name in concept_names:
            assert (IKGC[name], RDF.type, SKOS.Concept) in concepts, name


def test_every_concept_is_complete(concepts: Graph) -> None:
    problems = []
    for concept in concepts.subjects(RDF.type, SKOS.Concept):
        for predicate in (SKOS.prefLabel, SKOS.definition):
            lacking = {"nl", "en"} - _languages(concepts, concept, predicate)
            if lacking:
                problems.append(f"{concept} {predicate} {sorted(lacking)}")
        for predicate in (SKOS.notation, SKOS.inScheme, SKOS.topConceptOf):
            if concepts.value(concept, predicate) is None:
                problems.append(f"{concept} lacks {predicate}")
        scheme = concepts.value(concept, SKOS.inScheme)
        if (scheme, SKOS.hasTopConcept, concept) not in concepts:
            problems.append(f"{scheme} does not list {concept} as top concept")
    for scheme in concepts.subjects(RDF.type, SKOS.ConceptScheme):
        if {"nl", "en"} - _languages(concepts, scheme, SKOS.prefLabel):
            problems.append(f"{scheme} lacks prefLabel nl/en")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        (
            "ChainStages",
            [
                "stage-ambition",
                "stage-policy-strategy",
                "stage-implementation",
                "stage-output",
                "stage-impact",
            ],
        ),
        ("Phases", ["phase-1", "phase-2", "phase-3", "phase-4"]),
    ],
)
def test_ordered_schemes_have_order(concepts: Graph, scheme: str, expected: list[str]) -> None:
    members = list(concepts.subjects(SKOS.inScheme, IKGC[scheme]))
    ordered = sorted(members, key=lambda c: int(concepts.value(c, IKG.order)))
    assert [str(c).removeprefix(str(IKGC)) for c in ordered] == expected


def test_phase_notations(concepts: Graph) -> None:
    notations = {str(concepts.value(IKGC[f"phase-{n}"], SKOS.notation)) for n in range(1, 5)}
    assert notations == {"1", "2", "3", "4"}


def test_dutch_labels_use_the_cop_words(core: Graph, concepts: Graph) -> None:
    def nl(graph: Graph, node: URIRef, predicate: URIRef) -> str:
        return next(str(o) for o in graph.objects(node, predicate) if getattr(o, "language", None) == "nl")

    assert nl(core, IKG.BeneficiaryGroup, RDFS.label) == "profijtgroep"
    assert nl(core, IKG.WorkingElement, RDFS.label) == "werkzaam element"
    assert nl(core, IKG.Lesson, RDFS.label) == "geleerde les"
    assert nl(core, IKG.ScalingPartner, RDFS.label) == "opschaalpartner"
    assert nl(core, IKG.Assumption, RDFS.label) == "aanname"
    assert nl(concepts, IKGC["phase-4"], SKOS.prefLabel) == "borgen"


# --------------------------------------------------------------------------- meta-shapes


def test_ontology_conforms_to_meta_shapes(ontology_report: Graph) -> None:
    assert _results(ontology_report, SH.Violation) == []
    assert _results(ontology_report, SH.Warning) == []


def test_meta_shapes_catch_a_missing_translation(ontology: Graph, shapes: Graph) -> None:
    # A few terms and concepts, as the ontology states them, with translations taken out.
    broken = Graph()
    for subject in (IKG.Lesson, IKG.position, IKG.Passage, IKGC["phase-2"], CORE_IRI):
        for triple in ontology.triples((subject, None, None)):
            broken.add(triple)
    broken.remove((IKG.Lesson, RDFS.label, Literal("lesson learned", lang="en")))
    broken.remove((IKG.position, SKOS.definition, None))
    broken.remove((IKGC["phase-2"], SKOS.prefLabel, Literal("aanjagen en implementeren", lang="nl")))
    broken.remove((CORE_IRI, SKOS.definition, None))
    violations = {(focus, path) for focus, path, _ in _results(_validate(broken, shapes))}
    assert violations == {
        (IKG.Lesson, RDFS.label),
        (IKG.position, SKOS.definition),
        (IKGC["phase-2"], SKOS.prefLabel),
        (CORE_IRI, SKOS.definition),
    }


# --------------------------------------------------------------------------- data shapes


def test_reference_data_has_no_violations(data_context: Graph, shapes: Graph) -> None:
    report = _validate(data_context, shapes)
    assert _results(report, SH.Violation) == []
    assert _results(report, SH.Warning) == []


def test_reference_data_alone_has_no_violations(reference: Graph, shapes: Graph) -> None:
    """Shapes name subclasses as targets, so data validates without the ontology mixed in."""
    assert _results(_validate(reference, shapes)) == []


def test_complete_example_conforms(example: Graph, data_context: Graph, shapes: Graph) -> None:
    report = _validate(example + data_context, shapes)
    assert _results(report, SH.Violation) == []
    assert _results(report, SH.Warning) == []


def _violations_after(example: Graph, context: Graph, shapes: Graph) -> set[tuple[object, object]]:
    return {(focus, path) for focus, path, _ in _results(_validate(example + context, shapes))}


def test_lesson_without_evidence_is_a_violation(example: Graph, data_context: Graph, shapes: Graph) -> None:
    example.remove((LESSON, IKG.supportedBy, None))
    assert (LESSON, IKG.supportedBy) in _violations_after(example, data_context, shapes)


@pytest.mark.parametrize(
    ("focus", "path", "mutate"),
    [
        (LESSON, RDFS.label, lambda g: g.remove((LESSON, RDFS.label, None))),
        (LESSON, IKG.method, lambda g: g.remove((LESSON, IKG.method, None))),
        (LESSON, IKG.method, lambda g: g.set((LESSON, IKG.method, IKGC["phase-1"]))),
        (
            LESSON,
            IKG.confidence,
            lambda g: g.set((LESSON, IKG.confidence, Literal("1.5", datatype=XSD_DECIMAL))),
        ),
        (LESSON, IKG.confidence, lambda g: g.set((LESSON, IKG.confidence, Literal(0.5)))),
        (LESSON, IKG.inPhase, lambda g: g.set((LESSON, IKG.inPhase, IKGC["stage-output"]))),
        (PASSAGE, IKG.inDocument, lambda g: g.remove((PASSAGE, IKG.inDocument, None))),
        (
            PASSAGE,
            IKG.inDocument,
            lambda g: g.add((PASSAGE, IKG.inDocument, URIRef(BASE_IRI + "doc/other"))),
        ),
        (PASSAGE, IKG.text, lambda g: g.remove((PASSAGE, IKG.text, None))),
        (PASSAGE, IKG.position, lambda g: g.set((PASSAGE, IKG.position, Literal("7")))),
        (PASSAGE, IKG.startChar, lambda g: g.set((PASSAGE, IKG.startChar, Literal(9999)))),
        (DOCUMENT, IKG.contentHash, lambda g: g.remove((DOCUMENT, IKG.contentHash, None))),
        (DOCUMENT, IKG.extractorVersion, lambda g: g.remove((DOCUMENT, IKG.extractorVersion, None))),
        (DOCUMENT, None, lambda g: g.remove((DOCUMENT, SCHEMA.url, None))),
        (EXTRACTION, IKG.quoteStart, lambda g: g.set((EXTRACTION, IKG.quoteStart, Literal(40)))),
    ],
    ids=[
        "lesson-label",
        "lesson-method-missing",
        "lesson-method-wrong-scheme",
        "confidence-above-1",
        "confidence-double",
        "phase-wrong-scheme",
        "passage-no-document",
        "passage-two-documents",
        "passage-no-text",
        "position-not-integer",
        "start-after-end",
        "document-no-hash",
        "document-no-extractor-version",
        "document-no-origin",
        "quote-start-after-end",
    ],
)
def test_shapes_report_violations(example, data_context, shapes, focus, path, mutate) -> None:
    mutate(example)
    violations = _violations_after(example, data_context, shapes)
    assert (focus, path) in violations, violations


def test_missing_optional_richness_is_only_a_warning(
    example: Graph, data_context: Graph, shapes: Graph
) -> None:
    example.remove((DOCUMENT, DCTERMS.title, None))
    example.remove((URIRef(BASE_IRI + "assumption/1"), IKG.assumptionStatus, None))
    example.remove((URIRef(BASE_IRI + "meeting/cop-2024-03"), SCHEMA.startDate, None))
    report = _validate(example + data_context, shapes)
    assert _results(report, SH.Violation) == []
    warned = {(focus, path) for focus, path, _ in _results(report, SH.Warning)}
    assert (DOCUMENT, DCTERMS.title) in warned
    assert (URIRef(BASE_IRI + "assumption/1"), IKG.assumptionStatus) in warned
    assert (URIRef(BASE_IRI + "meeting/cop-2024-03"), None) in warned


# --------------------------------------------------------------------------- reference data


def _deals(reference: Graph) -> list[URIRef]:
    return sorted({s for t in (IKG.CityDeal, IKG.TownDeal) for s in reference.subjects(RDF.type, t)})


def test_programme(reference: Graph) -> None:
    assert (PROGRAMME_IRI, RDF.type, IKG.Programme) in reference
    assert Literal("Agenda Stad", lang="nl") in set(reference.objects(PROGRAMME_IRI, SKOS.prefLabel))
    assert reference.value(PROGRAMME_IRI, IKG.curated) == Literal(True)


def test_deal_iris_follow_the_slug_rule(reference: Graph) -> None:
    deals = _deals(reference)
    assert 25 <= len(deals) <= 40
    for deal in deals:
        names = [o for o in reference.objects(deal, SKOS.prefLabel) if o.language == "nl"]
        assert len(names) == 1, deal
        assert str(deal) == f"{BASE_IRI}deal/{_slug(str(names[0]))}"


def test_slug_rule_examples() -> None:
    assert _slug("City Deal Fietsen voor Iedereen") == "city-deal-fietsen-voor-iedereen"
    assert _slug("City Deal Energieke wijken, duurzaam en sociaal") == (
        "city-deal-energieke-wijken-duurzaam-en-sociaal"
    )
    assert _slug("Noardeast-Fryslân: één deal") == "noardeast-fryslan-een-deal"


def test_deals_are_curated_and_described(reference: Graph) -> None:
    for deal in _deals(reference):
        assert reference.value(deal, IKG.partOfProgramme) == PROGRAMME_IRI, deal
        assert reference.value(deal, IKG.curated) == Literal(True), deal
        assert "nl" in _languages(reference, deal, RDFS.comment), deal
        assert "nl" in _languages(reference, deal, IKG.theme), deal
        assert list(reference.objects(deal, SKOS.altLabel)), deal
        for status in reference.objects(deal, IKG.status):
            assert str(status) in {"lopend", "afgerond", "in verkenning"}, deal


def test_known_deals_are_present(reference: Graph) -> None:
    deals = {str(d).removeprefix(BASE_IRI + "deal/") for d in _deals(reference)}
    assert {
        "city-deal-fietsen-voor-iedereen",
        "city-deal-kennis-maken",
        "city-deal-circulaire-stad",
        "city-deal-zicht-op-ondermijning",
        "town-deal-sterke-streken",
    } <= deals
    assert (URIRef(BASE_IRI + "deal/town-deal-sterke-streken"), RDF.type, IKG.TownDeal) in reference


def _core_name(name: str) -> str:
    """A deal name without the 'City Deal' / 'Town Deal' / 'CD' / 'TD' in front, folded."""
    words = re.findall(r"\w+", name.casefold())
    if words[:2] in (["city", "deal"], ["town", "deal"]):
        words = words[2:]
    elif words[:1] in (["citydeal"], ["towndeal"], ["cd"], ["td"]):
        words = words[1:]
    return " ".join(words)


def test_names_do_not_collide(reference: Graph) -> None:
    """One written name must not point at two deals, or mention matching becomes ambiguous."""
    owner: dict[str, URIRef] = {}
    for deal in _deals(reference):
        for name in list(reference.objects(deal, SKOS.prefLabel)) + list(
            reference.objects(deal, SKOS.altLabel)
        ):
            key = _core_name(str(name))
            assert key, (deal, name)
            assert owner.setdefault(key, deal) == deal, (key, deal, owner[key])


def test_organisations(reference: Graph) -> None:
    organisations = set(reference.subjects(RDF.type, IKG.Organisation))
    assert len(organisations) >= 4
    for organisation in organisations:
        name = next(o for o in reference.objects(organisation, RDFS.label) if o.language == "nl")
        # kg.iri.IriMinter.agent cuts agent slugs at 60 characters
        assert str(organisation) == f"{BASE_IRI}agent/{_slug(str(name))[:60].rstrip('-')}"
        assert reference.value(organisation, IKG.curated) == Literal(True)
        assert {"nl", "en"} <= _languages(reference, organisation, RDFS.label)
    assert URIRef(BASE_IRI + "agent/platform31") in organisations
    assert URIRef(BASE_IRI + "agent/planbureau-voor-de-leefomgeving") in organisations


# --------------------------------------------------------------------------- alignments


def test_align_is_a_separate_module(core: Graph) -> None:
    align = _parse(ONTOLOGY_DIR / "align.ttl")
    assert list(core.objects(None, OWL.imports)) == []
    assert (ALIGN_IRI, RDF.type, OWL.Ontology) in align
    assert (ALIGN_IRI, OWL.imports, CORE_IRI) in align
    # The core says nothing about the vocabularies it is aligned with.
    foreign = ("https://ontology.commonapproach.org/", "http://www.w3.org/ns/org#", "https://schema.org/")
    assert not [t for t in core if any(str(n).startswith(foreign) for n in t)]


def test_alignments(core: Graph) -> None:
    align = _parse(ONTOLOGY_DIR / "align.ttl")
    cids = Namespace("https://ontology.commonapproach.org/cids#")
    prov = Namespace("http://www.w3.org/ns/prov#")
    org = Namespace("http://www.w3.org/ns/org#")
    assert (IKG.Output, RDFS.subClassOf, cids.Output) in align
    assert (IKG.Impact, SKOS.closeMatch, cids.Outcome) in align
    assert (IKG.Document, RDFS.subClassOf, prov.Entity) in align
    assert (IKG.Extraction, RDFS.subClassOf, prov.Entity) in align
    assert (IKG.supportedBy, RDFS.subPropertyOf, prov.wasDerivedFrom) in align
    assert (IKG.Partnership, RDFS.subClassOf, org.OrganizationalCollaboration) in align
    assert (IKG.Meeting, RDFS.subClassOf, SCHEMA.Event) in align
    assert (IKG.Deal, RDFS.subClassOf, SCHEMA.Project) in align
    iati = "http://reference.iatistandard.org/codelists/ResultType/"
    assert (IKGC["stage-output"], SKOS.closeMatch, URIRef(iati + "1")) in align
    assert (IKGC["stage-impact"], SKOS.closeMatch, URIRef(iati + "3")) in align
    # Every mapped ikg term exists in the core.
    for subject in set(align.subjects()):
        if isinstance(subject, URIRef) and str(subject).startswith(str(IKG)):
            assert any((subject, RDF.type, t) in core for t in TERM_TYPES), subject
    assert not [s for s in align.subjects() if isinstance(s, BNode)]


# --------------------------------------------------------------------------- canned queries


@pytest.mark.parametrize("path", ALL_QUERIES, ids=lambda p: p.name)
def test_query_has_header(path: Path) -> None:
    header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    keys = {line[1:].split(":", 1)[0].strip() for line in header if ":" in line}
    assert {"title", "title_en", "description", "description_en", "graph"} <= keys
    assert path.read_text(encoding="utf-8").startswith("# title: ")


@pytest.mark.parametrize("path", ALL_QUERIES, ids=lambda p: p.name)
def test_query_parses(path: Path) -> None:
    prepareQuery(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", ALL_QUERIES, ids=lambda p: p.name)
def test_query_runs_on_ontology_and_reference(path: Path, store_like: Graph) -> None:
    result = store_like.query(prepareQuery(path.read_text(encoding="utf-8")))
    list(result)


def _rows(graph: Graph, name: str) -> list[dict[str, object]]:
    result = graph.query(prepareQuery((QUERIES_DIR / name).read_text(encoding="utf-8")))
    return [row.asdict() for row in result]


def test_queries_answer_on_reference_data(store_like: Graph) -> None:
    phases = _rows(store_like, "lessen-per-fase.rq")
    assert [str(r["notatie"]) for r in phases] == ["1", "2", "3", "4"]
    assert all(int(r["aantalLessen"]) == 0 for r in phases)
    deals = _rows(store_like, "deals-overzicht.rq")
    assert len(deals) == len(_deals(store_like))
    assert len(_rows(store_like, "deals-en-documenten.rq")) == len(deals)


@pytest.mark.parametrize(
    ("name", "column", "expected"),
    [
        ("lessen-met-herkomst.rq", "inbrengerNaam", "Wouter Kersten"),
        ("werkzame-elementen.rq", "impactNaam", "jongeren blijven vrijwilligerswerk doen"),
        ("aannames-output-impact.rq", "statusNaam", "ondersteund"),
        ("weerstand.rq", "dealNaam", "City Deal Fietsen voor Iedereen"),
        ("bijeenkomsten-en-sprekers.rq", "plaats", "Amersfoort"),
        ("terugkerende-lessen.rq", "themaNaam", "partijen vroeg betrekken"),
    ],
)
def test_queries_answer_on_example(example, store_like, name, column, expected) -> None:
    rows = _rows(example + store_like, name)
    assert expected in {str(r.get(column)) for r in rows}, rows


def test_deal_document_counts_on_example(example: Graph, store_like: Graph) -> None:
    rows = {str(r["deal"]): r for r in _rows(example + store_like, "deals-en-documenten.rq")}
    fietsen = rows[BASE_IRI + "deal/city-deal-fietsen-voor-iedereen"]
    assert int(fietsen["documentenOver"]) == 1
    assert int(fietsen["documentenDieNoemen"]) == 1
    assert int(rows[BASE_IRI + "deal/city-deal-kennis-maken"]["documentenOver"]) == 0


def test_queries_run_in_oxigraph(example: Graph, store_like: Graph) -> None:
    """The store runs the canned queries with Oxigraph, whose SPARQL engine is not rdflib's."""
    ox = pytest.importorskip("pyoxigraph")
    store = ox.Store()
    triples = (example + store_like).serialize(format="nt", encoding="utf-8")
    store.load(triples, format=ox.RdfFormat.N_TRIPLES)
    for path in ALL_QUERIES:
        rows = list(store.query(path.read_text(encoding="utf-8")))
        assert rows, path.name
