"""The names the graph knows for its things: a label -> IRI table for linking text to the graph.

One row per (label, resource): deals (their preferred and alternative labels, plus the name
without "City Deal" / "Town Deal" in front, which is how pages usually write them),
organisations, people, meetings and the places they were held, and the ontology's
concepts and classes with their Dutch and English labels. Search links a question's
names through this table (boosting the passages of documents about a named deal), and
question answering can share it; it is read from any :class:`kg.backend.QueryableGraph`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.backend import QueryableGraph

DEAL = "deal"
ORGANISATION = "organisation"
PERSON = "person"
EVENT = "event"
PLACE = "place"
CONCEPT = "concept"
KINDS = (DEAL, ORGANISATION, PERSON, EVENT, PLACE, CONCEPT)

_DEAL_PREFIX = re.compile(r"^(?:city|town)\s*-?\s*deal\s+|^(?:cd|td)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EntityLabel:
    """One name of one resource: ``kind`` is one of KINDS, ``lang`` a language tag or ""."""

    label: str
    iri: str
    kind: str
    lang: str = ""


_DEALS = """
SELECT DISTINCT ?x ?label WHERE {
  ?x a ?type ; (skos:prefLabel|skos:altLabel|rdfs:label) ?label .
  VALUES ?type { ikg:Deal ikg:CityDeal ikg:TownDeal }
}
"""

_AGENTS = """
SELECT DISTINCT ?x ?type ?label WHERE {
  ?x a ?type ; (rdfs:label|skos:prefLabel|skos:altLabel) ?label .
  VALUES ?type { ikg:Organisation ikg:Person }
}
"""

_MEETINGS = """
SELECT DISTINCT ?x ?label ?place WHERE {
  ?x a ikg:Meeting .
  OPTIONAL { ?x (rdfs:label|skos:prefLabel) ?label }
  OPTIONAL { ?x ikg:place ?place }
}
"""

_CONCEPTS = """
SELECT DISTINCT ?x ?label WHERE {
  { ?x a skos:Concept } UNION { ?x a owl:Class . FILTER(STRSTARTS(STR(?x), STR(ikg:))) }
  ?x (skos:prefLabel|skos:altLabel|rdfs:label) ?label .
}
"""


def entity_labels(graph: QueryableGraph) -> list[EntityLabel]:
    """Every label the graph holds for deals, agents, meetings, places and concepts."""
    rows: list[EntityLabel] = []
    for iri, label in graph.query(_DEALS).rows:
        rows.extend(_deal_labels(_text(label), iri.value, _lang(label)))  # type: ignore[union-attr]
    for iri, kind, label in graph.query(_AGENTS).rows:
        is_person = kind is not None and kind.value.endswith("Person")  # type: ignore[union-attr]
        rows.append(EntityLabel(_text(label), iri.value, PERSON if is_person else ORGANISATION,  # type: ignore[union-attr]
                                _lang(label)))
    for iri, label, place in graph.query(_MEETINGS).rows:
        if label is not None:
            rows.append(EntityLabel(_text(label), iri.value, EVENT, _lang(label)))  # type: ignore[union-attr]
        if place is not None:
            rows.append(EntityLabel(_text(place), iri.value, PLACE, _lang(place)))  # type: ignore[union-attr]
    for iri, label in graph.query(_CONCEPTS).rows:
        rows.append(EntityLabel(_text(label), iri.value, CONCEPT, _lang(label)))  # type: ignore[union-attr]
    unique = {(r.label.casefold(), r.iri, r.kind): r for r in rows if r.label.strip()}
    return sorted(unique.values(), key=lambda r: (r.kind, r.iri, r.label))


def without_deal_prefix(name: str) -> str:
    """A deal's name without "City Deal", "Town-Deal", "CD" or "TD" in front."""
    return _DEAL_PREFIX.sub("", name.strip())


def _deal_labels(label: str, iri: str, lang: str) -> list[EntityLabel]:
    """A deal's label, and the same name without "City Deal" in front when that is left."""
    out = [EntityLabel(label, iri, DEAL, lang)]
    core = without_deal_prefix(label)
    if core != label.strip() and len(core.split()) >= 1 and len(core) >= 4:
        out.append(EntityLabel(core, iri, DEAL, lang))
    return out


def _text(term: object) -> str:
    return " ".join(str(getattr(term, "value", term)).split())


def _lang(term: object) -> str:
    return str(getattr(term, "language", "") or "")


__all__ = ["CONCEPT", "DEAL", "EVENT", "KINDS", "ORGANISATION", "PERSON", "PLACE", "EntityLabel",
           "entity_labels"]
