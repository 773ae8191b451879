"""The SPARQL templates that answer questions about resources.

Each template is fixed text assembled from fixed fragments; the values a question supplies
(a place, a deal IRI, a theme word) are bound as variables through the store's substitutions,
never pasted into the text. :func:`display_sparql` gives the same query with its bindings
written as a VALUES block, for the user to read and run again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.namespaces import IKG, PREFIXES

Term = ox.NamedNode | ox.Literal

# -- meetings -------------------------------------------------------------------------------------

MEETING_PEOPLE = """SELECT (MIN(STR(?label)) AS ?name) ?agent (SAMPLE(?meeting) AS ?atMeeting)
       (GROUP_CONCAT(DISTINCT ?meetingLabel; separator=" | ") AS ?meetings) WHERE {
  ?meeting a ikg:Meeting ; ?role ?agent ; rdfs:label ?meetingLabel .
  ?agent rdfs:label ?label .
  FILTER(LANG(?label) IN ("nl", ""))
#CONDITIONS#}
GROUP BY ?agent
ORDER BY ?name
"""

MEETING_DATES = """SELECT ?date (SAMPLE(?meeting) AS ?atMeeting)
       (GROUP_CONCAT(DISTINCT ?meetingLabel; separator=" | ") AS ?meetings) WHERE {
  ?meeting a ikg:Meeting ; rdfs:label ?meetingLabel ; schema:startDate ?date .
#CONDITIONS#}
GROUP BY ?date
ORDER BY ?date
"""

MEETING_PLACES = """SELECT ?where (SAMPLE(?meeting) AS ?atMeeting)
       (GROUP_CONCAT(DISTINCT ?meetingLabel; separator=" | ") AS ?meetings) WHERE {
  ?meeting a ikg:Meeting ; rdfs:label ?meetingLabel ; ikg:place ?where .
#CONDITIONS#}
GROUP BY ?where
ORDER BY ?where
"""

MEETING_LIST = """SELECT ?meetingLabel (SAMPLE(?meeting) AS ?atMeeting) (SAMPLE(?startDate) AS ?date) WHERE {
  ?meeting a ikg:Meeting ; rdfs:label ?meetingLabel .
  OPTIONAL { ?meeting schema:startDate ?startDate }
#CONDITIONS#}
GROUP BY ?meetingLabel
ORDER BY ?date
"""

MEETING_CONDITIONS = {
    "place": "  ?meeting ikg:place ?place .\n",
    "date": "  ?meeting schema:startDate ?onDate .\n  FILTER(STRSTARTS(STR(?onDate), ?datePrefix))\n",
    "cop": "  ?meeting a ikg:CoPMeeting .\n",
    "kind": "  FILTER(CONTAINS(LCASE(STR(?meetingLabel)), ?kind))\n",
    "deal": "  ?meeting ikg:supportedBy/ikg:inDocument/(ikg:aboutDeal|ikg:mentionsDeal) ?deal .\n",
}

# -- deals ----------------------------------------------------------------------------------------

DEAL_LIST = """SELECT (MIN(STR(?label)) AS ?name) ?deal (SAMPLE(?themeValue) AS ?theme)
       (SAMPLE(?statusValue) AS ?status) (SAMPLE(?startValue) AS ?startDate) WHERE {
  ?deal a ?type ; skos:prefLabel ?label .
  FILTER(LANG(?label) IN ("nl", ""))
#TYPE#  OPTIONAL { ?deal ikg:theme ?themeValue }
  OPTIONAL { ?deal ikg:status ?statusValue }
  OPTIONAL { ?deal schema:startDate ?startValue }
#CONDITIONS#}
GROUP BY ?deal
ORDER BY ?name
"""

DEAL_COUNT = """SELECT (COUNT(DISTINCT ?deal) AS ?count) WHERE {
  ?deal a ?type ; skos:prefLabel ?label .
#TYPE##CONDITIONS#}
"""

ANY_DEAL_TYPE = "  VALUES ?type { ikg:CityDeal ikg:TownDeal ikg:Deal }\n"

DEAL_CONDITIONS = {
    "theme": "  ?deal ikg:theme ?anyTheme .\n  FILTER(CONTAINS(LCASE(STR(?anyTheme)), ?themeWord))\n",
    "status": "  ?deal ikg:status ?dealStatus .\n  FILTER(LCASE(STR(?dealStatus)) = ?statusWord)\n",
    "year": "  ?deal schema:startDate ?signed .\n  FILTER(STRSTARTS(STR(?signed), ?datePrefix))\n",
    "phase": "  ?deal ikg:inPhase ?phase .\n",
}

# -- facts about one resource ---------------------------------------------------------------------

FACT = """SELECT (MIN(?text) AS ?value) ?object ?property WHERE {
  ?subject ?property ?object .
  OPTIONAL { ?object rdfs:label|skos:prefLabel ?objectLabel FILTER(LANG(?objectLabel) IN ("nl", "")) }
  BIND(COALESCE(?objectLabel, STR(?object)) AS ?text)
}
GROUP BY ?object ?property
ORDER BY ?value
"""

PEOPLE_OF = """SELECT (MIN(STR(?label)) AS ?name) ?person WHERE {
  ?person a ikg:Person ; ikg:affiliatedWith ?organisation ; rdfs:label ?label .
}
GROUP BY ?person
ORDER BY ?name
"""

# -- annotated resources --------------------------------------------------------------------------

RESOURCE_LIST = """SELECT (MIN(STR(?label)) AS ?name) ?resource (SAMPLE(?passage) AS ?evidence) WHERE {
  ?resource a ?class ; rdfs:label ?label ; ikg:supportedBy ?passage .
#CONDITIONS#}
GROUP BY ?resource
ORDER BY ?name
"""

RESOURCE_CONDITIONS = {
    "deal": "  { ?resource ikg:aboutDeal ?deal } UNION { ?passage ikg:inDocument/ikg:aboutDeal ?deal }\n",
    "meeting": "  ?passage ikg:inDocument ?document .\n"
               "  ?meeting ikg:supportedBy/ikg:inDocument ?document ; rdfs:label ?meetingLabel .\n",
    "learned": "  ?resource ikg:learnedAt ?meeting .\n  ?meeting rdfs:label ?meetingLabel .\n",
    "place": "  ?meeting ikg:place ?place .\n",
    "cop": "  ?meeting a ikg:CoPMeeting .\n",
    "kind": "  FILTER(CONTAINS(LCASE(STR(?meetingLabel)), ?kind))\n",
    "date": "  ?meeting schema:startDate ?onDate .\n  FILTER(STRSTARTS(STR(?onDate), ?datePrefix))\n",
    "person": "  ?resource ikg:givenBy ?person .\n",
    "phase": "  ?resource ikg:inPhase ?phase .\n",
}
MEETING_SLOTS = ("place", "cop", "kind", "date")


@dataclass(frozen=True, slots=True)
class GraphQuery:
    """A filled-in template: its name, text, bindings, and what its rows answer.

    ``answer`` names what the first column holds ("speaker", "deal", "date", ...); the
    composer turns the rows into a sentence from it.
    """

    name: str
    sparql: str
    bindings: dict[str, Term] = field(default_factory=dict)
    answer: str = ""
    scope: dict[str, str] = field(default_factory=dict)
    """Human-readable filters ("place": "Amersfoort") for the answer sentence."""
    companion: GraphQuery | None = None
    """A list query whose rows name what a count counted (cited, not shown)."""


def make_query(name: str, sparql: str, bindings: dict[str, Term], answer: str,
               scope: dict[str, str]) -> GraphQuery:
    """A query whose bound variables are also projected (and grouped on), as Oxigraph requires.

    A bound variable has one value, so grouping on it changes no group.
    """
    head = sparql.partition(" WHERE {")[0]
    missing = [name for name in bindings if not re.search(rf"\?{name}\b", head)]
    if missing:
        extra = "".join(f" ?{name}" for name in missing)
        head, where, rest = sparql.partition(" WHERE {")
        if "\nGROUP BY " in rest:
            rest = rest.replace("\nGROUP BY", "\nGROUP BY" + extra, 1)
        elif "(COUNT(" in head or "(MIN(" in head:
            rest = rest.rstrip("\n") + "\nGROUP BY" + extra + "\n"
        sparql = head + extra + where + rest
    return GraphQuery(name, sparql, dict(bindings), answer, dict(scope))


def fill(template: str, conditions: dict[str, str], used: list[str], type_clause: str = "") -> str:
    """The template with the fragments of the used conditions (fixed text only)."""
    body = "".join(conditions[name] for name in used)
    return template.replace("#CONDITIONS#", body).replace("#TYPE#", type_clause)


def meeting_query(template: str, answer: str, bindings: dict[str, Term], scope: dict[str, str]) -> GraphQuery:
    used = [name for name in ("place", "date", "cop", "kind", "deal") if name in scope]
    return make_query(template_name(template), fill(template, MEETING_CONDITIONS, used), bindings,
                      answer, scope)


def template_name(template: str) -> str:
    names = {MEETING_PEOPLE: "meeting-people", MEETING_DATES: "meeting-dates",
             MEETING_PLACES: "meeting-places", MEETING_LIST: "meetings", DEAL_LIST: "deals",
             DEAL_COUNT: "deal-count", FACT: "fact", PEOPLE_OF: "people-of",
             RESOURCE_LIST: "resources"}
    return names[template]


def display_sparql(query: GraphQuery) -> str:
    """The query with its bindings as a VALUES block at the start of the WHERE group.

    Runs on any SPARQL 1.1 endpoint and gives the same rows as the bound query, because the
    templates use the bound variables only in their outermost group.
    """
    text = query.sparql
    if query.bindings:
        names = " ".join(f"?{name}" for name in query.bindings)
        values = " ".join(str(value) for value in query.bindings.values())
        where = text.index("WHERE {") + len("WHERE {")
        text = f"{text[:where]}\n  VALUES ({names}) {{ ({values}) }}{text[where:]}"
    used = [prefix for prefix in PREFIXES if re.search(rf"(?<![\w?]){prefix}:", text)]
    return "".join(f"PREFIX {prefix}: <{PREFIXES[prefix]}>\n" for prefix in used) + text


def ikg(local: str) -> ox.NamedNode:
    return ox.NamedNode(f"{IKG}{local}")


__all__ = [
    "ANY_DEAL_TYPE",
    "DEAL_CONDITIONS",
    "DEAL_COUNT",
    "DEAL_LIST",
    "FACT",
    "MEETING_DATES",
    "MEETING_LIST",
    "MEETING_PEOPLE",
    "MEETING_PLACES",
    "MEETING_SLOTS",
    "PEOPLE_OF",
    "RESOURCE_CONDITIONS",
    "RESOURCE_LIST",
    "GraphQuery",
    "display_sparql",
    "fill",
    "ikg",
    "make_query",
    "meeting_query",
    "template_name",
]
