"""What kind of question is it? Resource questions get a SPARQL template, the rest evidence.

Rules on the folded question text, Dutch and English. A question about resources (who spoke,
which deals, when, where, how many) is answered from the graph; one about working elements or
lessons gets both a resource list and evidence; anything else is answered from evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pyoxigraph as ox

from ask.catalog import DEAL_TYPES, Entity, EntityCatalog
from ask.language import detect_language
from ask.linking import Mention, link, unknown_names
from ask.templates import (
    ANY_DEAL_TYPE,
    DEAL_CONDITIONS,
    DEAL_COUNT,
    DEAL_LIST,
    FACT,
    MEETING_DATES,
    MEETING_LIST,
    MEETING_PEOPLE,
    MEETING_PLACES,
    PEOPLE_OF,
    RESOURCE_CONDITIONS,
    RESOURCE_LIST,
    GraphQuery,
    Term,
    fill,
    ikg,
    make_query,
    meeting_query,
)
from ask.text import fold, words


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


WHO = _rx(r"\b(wie|who|whom)\b")
SPEAKER = _rx(r"\b(sprak|spraken|spreekt|spreker\w*|presenteerde\w*|presentatie\w*|vertelde\w*|"
              r"spoke|speak\w*|present(ed|ations?)|talks?|gave a talk)\b")
CHAIR = _rx(r"\b(dagvoorzitter|voorzitter|voorgezeten|zat\b.*\bvoor|leidde|chair\w*|moderat\w*|"
            r"presided)\b")
HOST = _rx(r"\b(gastheer|gastvrouw\w*|host\w*|organiseerde\w*|georganiseerd|organi[sz]ed)\b")
MEETING = _rx(r"\b(cop|cops|community of practice|bijeenkomst\w*|werksessie\w*|sessie\w*|meetings?|"
              r"conferentie\w*|overleg\w*|webinar\w*|workshop\w*|studiereis|werkbezoek\w*|"
              r"vergadering\w*|events?)\b")
MEETINGS_PLURAL = _rx(r"\b(cops|cop's|bijeenkomsten|werksessies|sessies|meetings|conferenties|events)\b")
COP = _rx(r"\b(cop|cops|cop's|community of practice)\b")
KINDS = ("werksessie", "conferentie", "overleg", "webinar", "studiereis", "werkbezoek", "vergadering")
WHEN = _rx(r"\b(wanneer|when|welke datum|op welke dag|what date|which date|in welk jaar|what year)\b")
WHERE = _rx(r"\b(waar|where|in welke (plaats|stad)|which (city|town|place))\b")
LIST = _rx(r"\b(welke|which|noem|list|overzicht|opsomming)\b|^what (are|were) the\b")
WHAT_IS = _rx(r"^(wat|what) (is|zijn|was|waren|are|were)\b")
COUNT = _rx(r"\b(hoeveel|how many|aantal|number of)\b")
DEALS = _rx(r"\b(deals|citydeals|towndeals)\b")
"""Plural: "welke deals gaan over ..." lists; "welke deal helpt ..." asks the evidence to name one."""
CITY = _rx(r"\bcity ?deals?\b")
TOWN = _rx(r"\btown ?deals?\b")
EXIST = _rx(r"\b(zijn er|bestaan er|zijn er allemaal|are there|exist)\b")
SIGNED = _rx(r"\b(ondertekend|getekend|gesloten|gestart|begonnen|startte|begon|signed|started|"
             r"began|launched|concluded)\b")
THEME = _rx(r"\b(thema|theme|onderwerp|topic)\b|\bgaat\b.*\bover\b|\bwhat is\b.*\babout\b")
STATUS = _rx(r"\b(status|afgerond|lopend|loopt\b.*\bnog|nog bezig|finished|completed|still running|"
             r"ongoing)\b")
PHASE = _rx(r"\b(fase|phase)\b")
AFFILIATION = _rx(r"\b(organisaties?|waar werkt|werkt (hij|zij|ze) (bij|voor)|werkt (bij|voor)|"
                  r"werkzaam (bij|voor)|bij welke|van welke organisatie|voor wie werkt|"
                  r"organi[sz]ations?|works? (at|for)|employer|for which)\b")
ROLE = _rx(r"\b(rol|functie|role|job|position)\b")
WHO_IS = _rx(r"^(wie is|wie was|who is|who was)\b")
PEOPLE = _rx(r"\b(wie|who|mensen|personen|people|persons|medewerkers|staff)\b")
HOW = _rx(r"^(hoe|how)\b|\b(hoe (je|kun|kan|moet|zorg|voorkom|krijg|borg|maak|betrek|ga|overtuig)|"
          r"wat moet je|wat kun je|what should|how (do|can|should) (you|we|a deal)|tips?|adviez?e?n?|"
          r"advice|wat werkt|what works)\b")
CLASSES = (
    (_rx(r"\b(werkzame elementen|werkzaam element|werkzame element|working elements?)\b"),
     "WorkingElement"),
    (_rx(r"\b(lessen|les|lessons?|geleerde lessen|lessons learned)\b"), "Lesson"),
    (_rx(r"\b(aannames?|assumptions?|veronderstellingen?)\b"), "Assumption"),
)

GRAPH = "graph"
EVIDENCE = "evidence"
BOTH = "graph+evidence"


@dataclass(frozen=True, slots=True)
class Analysis:
    """The question as the answerer understands it."""

    question: str
    language: str
    mentions: tuple[Mention, ...]
    unknown: tuple[str, ...]
    """Capitalised names the catalog does not know; evidence must contain them."""
    kind: str
    graph: GraphQuery | None
    asked_classes: tuple[str, ...]
    """Annotated classes the question names ("werkzame elementen" -> "WorkingElement")."""
    boost_classes: tuple[str, ...] = ()
    """Annotated classes whose evidence ranks higher: the named ones, or lessons for a how-question."""

    def of_type(self, *types: str) -> list[Entity]:
        seen: list[Entity] = []
        for mention in self.mentions:
            if mention.entity.type in types and mention.entity not in seen:
                seen.append(mention.entity)
        return seen


def analyse(question: str, catalog: EntityCatalog, deal_facet: str = "") -> Analysis:
    """Link the question and choose a template; ``deal_facet`` is a deal the user filtered on."""
    mentions = tuple(link(question, catalog))
    unknown = tuple(unknown_names(question, list(mentions)))
    folded = fold(" ".join(question.split()))
    if DEALS.search(folded) and (LIST.search(folded) or COUNT.search(folded)):
        mentions = _deal_names_as_themes(mentions, catalog)
    asked = tuple(cls for pattern, cls in CLASSES if pattern.search(folded))
    boost = asked or (("Lesson", "WorkingElement") if HOW.search(folded) else ())
    partial = Analysis(question, detect_language(question), mentions, unknown, EVIDENCE, None, asked,
                       boost)
    query = _choose(folded, partial, deal_facet if _is_iri(deal_facet) else "")
    if query is None:
        return partial
    return replace(partial, kind=BOTH if query.name == "resources" else GRAPH, graph=query)


def _is_iri(text: str) -> bool:
    """Whether text can be bound as an IRI (a facet typed by hand may hold spaces or worse)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _deal_names_as_themes(mentions: tuple[Mention, ...], catalog: EntityCatalog) -> tuple[Mention, ...]:
    """In "Welke City Deals gaan over klimaatadaptatie?" the word is the theme asked about, not
    the deal that happens to carry it as a short name: a list of deals never names one of them."""
    changed = []
    for mention in mentions:
        theme = None
        if mention.entity.type in DEAL_TYPES:
            written = tuple(w.folded for w in words(mention.text))
            theme = next((n.entity for n in catalog.candidates(written[0]) if n.words == written
                          and n.entity.type == "Theme"), None) if written else None
        changed.append(replace(mention, entity=theme) if theme is not None else mention)
    return tuple(changed)


def _choose(folded: str, analysis: Analysis, deal_facet: str) -> GraphQuery | None:
    deals = analysis.of_type(*DEAL_TYPES)
    people = analysis.of_type("Person")
    organisations = analysis.of_type("Organisation")
    if WHO.search(folded) and (SPEAKER.search(folded) or CHAIR.search(folded) or HOST.search(folded)) \
            and (MEETING.search(folded) or analysis.of_type("Place", "Date", "Year")):
        role = "chair" if CHAIR.search(folded) else "host" if HOST.search(folded) else "speaker"
        return _meeting(MEETING_PEOPLE, role, folded, analysis, deals, deal_facet)
    if MEETING.search(folded) and WHEN.search(folded) and not SIGNED.search(folded):
        return _meeting(MEETING_DATES, "date", folded, analysis, deals, deal_facet)
    if MEETING.search(folded) and WHERE.search(folded):
        return _meeting(MEETING_PLACES, "place", folded, analysis, deals, deal_facet)
    if MEETINGS_PLURAL.search(folded) and (LIST.search(folded) or COUNT.search(folded)):
        return _meeting(MEETING_LIST, "meeting", folded, analysis, deals, deal_facet)
    if len(deals) == 1 and not people:
        fact = _deal_fact(folded)
        if fact:
            return _fact(deals[0], fact)
    if DEALS.search(folded) and not deals and (LIST.search(folded) or COUNT.search(folded)):
        query = _deal_list(folded, analysis)
        if query is not None:
            return query
    if len(people) == 1 and (WHO_IS.search(folded) or AFFILIATION.search(folded) or ROLE.search(folded)):
        if WHO_IS.search(folded) and not (AFFILIATION.search(folded) or ROLE.search(folded)):
            return _fact(people[0], "role", "affiliatedWith")
        return _fact(people[0], "affiliatedWith" if AFFILIATION.search(folded) else "role")
    if len(organisations) == 1 and not people and PEOPLE.search(folded) and not MEETING.search(folded):
        return make_query("people-of", PEOPLE_OF, {"organisation": organisations[0].term}, "person",
                          {"organisation": organisations[0].label})
    if analysis.asked_classes and (LIST.search(folded) or WHAT_IS.search(folded)):
        return _resources(folded, analysis, deals, deal_facet)
    return None


def _meeting_scope(folded: str, analysis: Analysis, deals: list[Entity], deal_facet: str,
                   bindings: dict[str, Term], scope: dict[str, str]) -> None:
    places = analysis.of_type("Place")
    if places:
        bindings["place"], scope["place"] = places[0].term, places[0].label
    dates = analysis.of_type("Date", "Year")
    if dates:
        bindings["datePrefix"], scope["date"] = ox.Literal(dates[0].label), dates[0].label
    if COP.search(folded):
        scope["cop"] = "Community of Practice"
    else:
        kind = next((k for k in KINDS if k in folded), "")
        if kind:
            bindings["kind"], scope["kind"] = ox.Literal(kind), kind
    deal = deals[0] if len(deals) == 1 else None
    if deal is not None:
        bindings["deal"], scope["deal"] = deal.term, deal.label
    elif deal_facet:
        bindings["deal"], scope["deal"] = ox.NamedNode(deal_facet), deal_facet


def _meeting(template: str, answer: str, folded: str, analysis: Analysis, deals: list[Entity],
             deal_facet: str) -> GraphQuery:
    bindings: dict[str, Term] = {}
    scope: dict[str, str] = {}
    _meeting_scope(folded, analysis, deals, deal_facet, bindings, scope)
    if template == MEETING_PEOPLE:
        bindings["role"] = ikg(answer)
    return meeting_query(template, answer, bindings, scope)


def _deal_fact(folded: str) -> str:
    if SIGNED.search(folded) or (WHEN.search(folded) and "deal" in folded):
        return "startDate"
    if THEME.search(folded):
        return "theme"
    if PHASE.search(folded):
        return "inPhase"
    if STATUS.search(folded):
        return "status"
    return ""


def _fact(entity: Entity, *properties: str) -> GraphQuery:
    iris = {"startDate": ox.NamedNode("https://schema.org/startDate")}
    if len(properties) == 1:
        prop = iris.get(properties[0]) or ikg(properties[0])
        return make_query("fact", FACT, {"subject": entity.term, "property": prop}, properties[0],
                          {"subject": entity.label})
    values = " ".join(f"ikg:{p}" for p in properties)
    sparql = FACT.replace("WHERE {\n", "WHERE {\n  VALUES ?property { " + values + " }\n", 1)
    return make_query("fact", sparql, {"subject": entity.term}, "+".join(properties),
                      {"subject": entity.label})


def _deal_list(folded: str, analysis: Analysis) -> GraphQuery | None:
    bindings: dict[str, Term] = {}
    scope: dict[str, str] = {}
    used: list[str] = []
    themes = analysis.of_type("Theme")
    if themes:
        bindings["themeWord"], scope["theme"] = ox.Literal(themes[0].label), themes[0].label
        used.append("theme")
    statuses = analysis.of_type("Status")
    if statuses:
        bindings["statusWord"] = ox.Literal(fold(statuses[0].label))
        scope["status"] = statuses[0].label
        used.append("status")
    years = analysis.of_type("Year", "Date")
    if years:
        bindings["datePrefix"], scope["year"] = ox.Literal(years[0].label), years[0].label
        used.append("year")
    phases = analysis.of_type("Phase")
    if phases:
        bindings["phase"], scope["phase"] = phases[0].term, phases[0].label
        used.append("phase")
    if not used and not EXIST.search(folded):
        return None  # "Welke deals leerden iets over weerstand?" asks for evidence
    if TOWN.search(folded) and not CITY.search(folded):
        bindings["type"], scope["type"] = ikg("TownDeal"), "Town Deal"
        type_clause = ""
    elif CITY.search(folded) and not TOWN.search(folded):
        bindings["type"], scope["type"] = ikg("CityDeal"), "City Deal"
        type_clause = ""
    else:
        type_clause = ANY_DEAL_TYPE
    listing = make_query("deals", fill(DEAL_LIST, DEAL_CONDITIONS, used, type_clause), bindings,
                         "deal", scope)
    if not COUNT.search(folded):
        return listing
    counting = make_query("deal-count", fill(DEAL_COUNT, DEAL_CONDITIONS, used, type_clause),
                          bindings, "count", scope)
    return replace(counting, companion=listing)


def _resources(folded: str, analysis: Analysis, deals: list[Entity], deal_facet: str) -> GraphQuery:
    cls = analysis.asked_classes[0]
    bindings: dict[str, Term] = {"class": ikg(cls)}
    scope: dict[str, str] = {"class": cls}
    meeting_scope: dict[str, str] = {}
    _meeting_scope(folded, analysis, deals, deal_facet, bindings, meeting_scope)
    used: list[str] = []
    if "deal" in meeting_scope:
        used.append("deal")
    meeting_slots = [slot for slot in ("place", "cop", "kind", "date") if slot in meeting_scope]
    if meeting_slots:  # a lesson knows where it was learned; other resources go by their document
        used += ["learned" if cls == "Lesson" else "meeting", *meeting_slots]
    people = analysis.of_type("Person")
    if people:
        bindings["person"], scope["person"] = people[0].term, people[0].label
        used.append("person")
    phases = analysis.of_type("Phase")
    if phases:
        bindings["phase"], scope["phase"] = phases[0].term, phases[0].label
        used.append("phase")
    scope.update(meeting_scope)
    return make_query("resources", fill(RESOURCE_LIST, RESOURCE_CONDITIONS, used), bindings, cls, scope)


__all__ = ["BOTH", "EVIDENCE", "GRAPH", "Analysis", "analyse"]
