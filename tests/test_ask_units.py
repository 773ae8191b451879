"""The answerer's parts on small inputs: sentences, language, linking, templates, citations, the
chat-answer check, the evaluation file. Graphs here are real in-memory Oxigraph stores."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from ask.answer import Answer, Citation, Draft, Evidence, PassageView, Segment
from ask.catalog import EntityCatalog
from ask.chat import ChatError, check_rewrite
from ask.compose import number
from ask.evaluation import judge_answer, load_questions
from ask.intent import BOTH, EVIDENCE, GRAPH, analyse
from ask.language import detect_language
from ask.linking import link, mentioned_in, unknown_names
from ask.options import AskOptions, ChatOptions
from ask.templates import display_sparql
from ask.text import split_sentences, with_antecedents
from kg.namespaces import REFERENCE_GRAPH
from kg.query import QueryResult, Term, run_query

TURTLE = """
@prefix ikg: <https://w3id.org/impactkg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/impactkg/id/> .

id:deal\\/city-deal-ruimte-voor-lopen a ikg:CityDeal ; skos:prefLabel "City Deal Ruimte voor Lopen"@nl ;
    skos:altLabel "Ruimte voor Lopen"@nl ; ikg:theme "mobiliteit"@nl ; ikg:status "lopend" ;
    ikg:curated true .
id:deal\\/city-deal-klimaatadaptatie a ikg:CityDeal ; skos:prefLabel "City Deal Klimaatadaptatie"@nl ;
    ikg:theme "klimaatadaptatie"@nl ; ikg:status "afgerond" ; schema:startDate "2016-03-09"^^xsd:date ;
    ikg:curated true .
id:agent\\/wouter-kersten a ikg:Person ; rdfs:label "Wouter Kersten" ;
    ikg:affiliatedWith id:agent\\/platform31 .
id:agent\\/marloes-de-graaf a ikg:Person ; rdfs:label "Marloes de Graaf" .
id:agent\\/ellen-vos a ikg:Person ; rdfs:label "Ellen Vos" ; ikg:role "kwartiermaker" .
id:agent\\/platform31 a ikg:Organisation ; rdfs:label "Platform31" .
id:meeting\\/m1 a ikg:Meeting , ikg:CoPMeeting ;
    rdfs:label "Community of Practice, 5 maart 2024, Amersfoort" ; ikg:place "Amersfoort" ;
    schema:startDate "2024-03-05"^^xsd:date ; ikg:speaker id:agent\\/wouter-kersten ;
    ikg:chair id:agent\\/ellen-vos .
id:meeting\\/m2 a ikg:Meeting ; rdfs:label "Werksessie, 4 maart 2025, Groningen" ; ikg:place "Groningen" ;
    ikg:speaker id:agent\\/marloes-de-graaf .
"""


class MemoryGraph:
    """A QueryableGraph over an in-memory Oxigraph store, through kg's own run_query."""

    def __init__(self, turtle: str = TURTLE) -> None:
        self.store = ox.Store()
        self.store.load(turtle.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(REFERENCE_GRAPH))

    def query(self, sparql: str, *, max_rows: int | None = None,
              substitutions: dict[str, Term] | None = None) -> QueryResult:
        return run_query(self.store, sparql, max_rows=max_rows, substitutions=substitutions)

    def graph_iris(self) -> list[str]:
        return [REFERENCE_GRAPH]

    def quad_count(self) -> int:
        return len(self.store)


@pytest.fixture(scope="module")
def graph() -> MemoryGraph:
    return MemoryGraph()


@pytest.fixture(scope="module")
def catalog(graph: MemoryGraph) -> EntityCatalog:
    return EntityCatalog.from_graph(graph)


# -- sentences and language ---------------------------------------------------------------------


def test_sentences_keep_offsets_and_leave_out_what_answers_nothing() -> None:
    text = ("Bevindingen\n1. De output overtreft de doelen: 320 cursussen. Dit zei dr. Aalders ook.\n"
            "Wouter Kersten: “Om op te schalen moet je zorgen voor diversiteit.” Klopt dat?\n"
            "Datum | dinsdag 4 maart 2025")
    sentences = split_sentences(text)
    assert all(text[s.start:s.end] == s.text for s in sentences)
    quotable = [s.text for s in sentences if s.quotable]
    assert quotable == ["De output overtreft de doelen: 320 cursussen.", "Dit zei dr. Aalders ook.",
                        "Wouter Kersten: “Om op te schalen moet je zorgen voor diversiteit.”"]
    assert {"Bevindingen", "Klopt dat?", "Datum | dinsdag 4 maart 2025"} <= {s.text for s in sentences}


@pytest.mark.parametrize(("question", "language"), [
    ("Wie sprak er op de CoP in Amersfoort?", "nl"),
    ("Who spoke at the Community of Practice in Amersfoort?", "en"),
    ("Which City Deals are about mobility?", "en"),
    ("Welke City Deals gaan over mobiliteit?", "nl"),
    ("werkzame elementen", "nl"),
])
def test_language(question: str, language: str) -> None:
    assert detect_language(question) == language


# -- linking ------------------------------------------------------------------------------------


def test_linking_prefers_the_longest_name_and_needs_capitals_for_surnames(catalog: EntityCatalog) -> None:
    question = "Wat zei Kersten op 5 maart 2024 over de City Deal Ruimte voor Lopen in Amersfoort?"
    found = {(m.text, m.entity.type, m.entity.label) for m in link(question, catalog)}
    assert ("Kersten", "Person", "Wouter Kersten") in found
    assert ("City Deal Ruimte voor Lopen", "CityDeal", "City Deal Ruimte voor Lopen") in found
    assert ("Amersfoort", "Place", "Amersfoort") in found
    assert ("5 maart 2024", "Date", "2024-03-05") in found
    assert not any(m.entity.label == "Ellen Vos" for m in link("Is een vos een roofdier?", catalog))
    mentions = link(question, catalog)
    assert all(question[m.start:m.end] == m.text for m in mentions)


def test_unknown_names_are_the_capitalised_words_nothing_links(catalog: EntityCatalog) -> None:
    question = "Wie won de Tour de France in 1998 en sprak hij in Amersfoort of Maastricht?"
    assert unknown_names(question, link(question, catalog)) == ["Tour de France", "Maastricht"]
    assert mentioned_in("De CoP in Amersfoort was druk.", "amersfoort")
    assert not mentioned_in("Amersfoortse koffie", "Amersfoort")


# -- question kinds and templates ---------------------------------------------------------------


def rows_of(graph: MemoryGraph, question: str, catalog: EntityCatalog) -> set[str]:
    analysis = analyse(question, catalog)
    assert analysis.graph is not None, question
    result = graph.query(analysis.graph.sparql, substitutions=analysis.graph.bindings)
    return {row[0].value for row in result.rows}


@pytest.mark.parametrize(("question", "expected"), [
    ("Wie sprak er op de CoP in Amersfoort?", {"Wouter Kersten"}),
    ("Who spoke at the Community of Practice in Amersfoort?", {"Wouter Kersten"}),
    ("Wie was de dagvoorzitter van de Community of Practice in Amersfoort?", {"Ellen Vos"}),
    ("Wie sprak er op de werksessie in Groningen?", {"Marloes de Graaf"}),
    ("Wanneer was de CoP in Amersfoort?", {"2024-03-05"}),
    ("Welke City Deals gaan over mobiliteit?", {"City Deal Ruimte voor Lopen"}),
    ("Which City Deals are about mobility?", {"City Deal Ruimte voor Lopen"}),
    ("Welke City Deals zijn afgerond?", {"City Deal Klimaatadaptatie"}),
    ("Hoeveel City Deals zijn er afgerond?", {"1"}),
    ("Wanneer is de City Deal Klimaatadaptatie ondertekend?", {"2016-03-09"}),
    ("Over welk thema gaat de City Deal Klimaatadaptatie?", {"klimaatadaptatie"}),
    ("Wat is de rol van Ellen Vos?", {"kwartiermaker"}),
    ("Bij welke organisatie werkt Wouter Kersten?", {"Platform31"}),
    ("Wie werken er bij Platform31?", {"Wouter Kersten"}),
])
def test_resource_questions_get_templates_with_exact_rows(graph: MemoryGraph, catalog: EntityCatalog,
                                                          question: str, expected: set[str]) -> None:
    assert analyse(question, catalog).kind == GRAPH
    assert rows_of(graph, question, catalog) == expected


@pytest.mark.parametrize(("question", "kind"), [
    ("Hoe borg je impact nadat een deal is afgelopen?", EVIDENCE),
    ("Welke deal helpt gemeenten met voedselbeleid?", EVIDENCE),
    ("Wat hebben deals geleerd over partijen die weerstand bieden?", EVIDENCE),
    ("Wat vertelde Wouter Kersten over werken met partijen die weerstand bieden?", EVIDENCE),
    ("Welke werkzame elementen zijn bekend voor opschaling?", BOTH),
    ("Welke lessen kwamen uit de CoP in Amersfoort?", BOTH),
])
def test_other_questions_go_to_evidence(catalog: EntityCatalog, question: str, kind: str) -> None:
    assert analyse(question, catalog).kind == kind


def test_values_are_bound_never_pasted_and_the_shown_query_gives_the_same_rows(
        graph: MemoryGraph, catalog: EntityCatalog) -> None:
    sneaky = 'Wie sprak er op de CoP in Amersfoort"} ; DROP ALL ; #?'
    query = analyse(sneaky, catalog).graph
    assert query is not None
    assert "Amersfoort" not in query.sparql  # the value travels as a binding
    assert query.bindings["place"] == ox.Literal("Amersfoort")
    shown = display_sparql(query)
    assert 'VALUES (?place ?role) { ("Amersfoort" <https://w3id.org/impactkg/def#speaker>) }' in shown
    assert shown.startswith("PREFIX ikg: <https://w3id.org/impactkg/def#>")
    bound = graph.query(query.sparql, substitutions=query.bindings).rows
    again = graph.query(shown).rows
    assert [tuple(v.value for v in row) for row in again] == [tuple(v.value for v in row) for row in bound]


# -- citations and the chat check ---------------------------------------------------------------


def evidence(quote: str, passage: str = "p1") -> Evidence:
    return Evidence(passage, "doc", "Titel", "/bron.txt", quote, 0, len(quote), quote)


def test_citations_are_numbered_in_order_of_use_and_marked_before_the_full_stop() -> None:
    one, two = evidence("Eerste zin."), evidence("Tweede zin.", "p2")
    text, sentences, citations = number([
        Draft((Segment("Eerste zin.", (one,)),)),
        Draft((Segment("Sprekers: "), Segment("A", (two,)), Segment(" en "), Segment("B", (one,)),
               Segment("."))),
    ])
    assert text == "Eerste zin [1]. Sprekers: A [2] en B [1]."
    assert [s.citations for s in sentences] == [(1,), (2, 1)]
    assert [c.id for c in citations] == [1, 2]


def test_a_chat_answer_must_cite_existing_sources_in_every_sentence() -> None:
    good = check_rewrite("Een vaste begeleider werkt [1]. Waardering ook. [2]", {1, 2})
    assert [s.citations for s in good.sentences] == [(1,), (2,)]
    assert good.text == "Een vaste begeleider werkt [1]. Waardering ook [2]."
    with pytest.raises(ChatError, match="cites no source"):
        check_rewrite("Zonder bron. Met bron [1].", {1})
    with pytest.raises(ChatError, match="do not exist"):
        check_rewrite("Met een verzonnen bron [3].", {1, 2})
    with pytest.raises(ChatError, match="empty"):
        check_rewrite("   ", {1})


def test_options_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="http"):
        ChatOptions(url="ftp://example.org", model="m")
    with pytest.raises(ValueError, match="model"):
        ChatOptions(url="http://127.0.0.1:9/v1", model="")
    with pytest.raises(ValueError, match="max_sentences"):
        AskOptions(max_sentences=0)


# -- the evaluation file ------------------------------------------------------------------------


def test_the_committed_question_set_has_what_the_issue_asks(tmp_path: Path) -> None:
    questions = load_questions(Path(__file__).parent / "fixtures" / "ask_questions.jsonl")
    answerable = [q for q in questions if q.answerable]
    assert len(questions) >= 50
    assert sum(not q.answerable for q in questions) >= 8
    assert sum(q.kind == "graph" for q in questions) >= 10
    assert sum(q.style == "paraphrase" for q in answerable) >= len(answerable) / 3 - 1
    assert sum(q.language == "en" for q in questions) >= 5
    heldout = sum(q.split == "heldout" for q in questions)
    assert 0.25 <= heldout / len(questions) <= 0.4
    assert any("Tour de France" in q.question for q in questions)

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"q": "Wat?", "kind": "evidence"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":1: an evidence question needs relevant documents"):
        load_questions(bad)


def test_a_search_question_file_is_judged_by_document(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    path = tmp_path / "questions.jsonl"
    path.write_text(json.dumps({"q": "Wat is impact?", "relevant": ["docs/a.html"]}) + "\n", encoding="utf-8")
    [question] = load_questions(path)
    assert question.kind == "evidence" and question.split == "search-set"
    assert question.relevant[0].document == (tmp_path / "docs" / "a.html").resolve().as_posix()

    def answer_citing(source: str) -> Answer:
        cited = Evidence("p1", "doc", "Titel", source, "Impact is blijvend.", 0, 19, "Impact is blijvend.")
        view = PassageView("p1", "doc", "Titel", source, "", (), cited.passage_text, (), 1.0)
        return Answer("Wat is impact?", "nl", True, "evidence", "", "Impact is blijvend [1].", (),
                      (Citation(1, cited),), (), (view,), (), None, None, {})

    assert judge_answer(question, answer_citing(question.relevant[0].document)).passage_hit
    other = judge_answer(question, answer_citing((tmp_path / "b" / "a.html").as_posix()))
    assert not other.document_hit and other.cited == ("a.html",)


def test_a_sentence_that_points_back_takes_its_antecedent_along() -> None:
    text = ("Kersten vindt vroeg betrekken lastig, maar het vergroot de impact. "
            "Dat geldt zeker ook voor partijen die weerstand bieden.\n"
            "Dat staat op een nieuwe regel en blijft alleen.")
    joined = with_antecedents(split_sentences(text), text, max_chars=400)
    assert joined[1].text.startswith("Kersten vindt") and joined[1].text.endswith("weerstand bieden.")
    assert text[joined[1].start:joined[1].end] == joined[1].text
    assert joined[2].text == "Dat staat op een nieuwe regel en blijft alleen."  # not across lines
    assert with_antecedents(split_sentences(text), text, max_chars=60)[1].text.startswith("Dat geldt")
