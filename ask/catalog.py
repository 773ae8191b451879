"""The names a question can link to, read once per graph generation from the graph's labels.

Deals (curated names and their variants), people, organisations, meeting places, themes and
statuses of deals, phases and chain stages; and, per passage, the annotated resources
(lessons, working elements, ...) whose evidence it is. Building one costs a few queries over
the whole graph; a catalog is immutable and shared by every question of that generation.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ask.lexicon import COMMON_CAPITALISED, STATUS_SYNONYMS, THEME_SYNONYMS
from ask.text import fold, words
from kg.backend import QueryableGraph
from kg.labels import without_deal_prefix
from kg.namespaces import IKG, IKGC

log = logging.getLogger(__name__)

DEAL_TYPES = ("CityDeal", "TownDeal", "Deal")
ANNOTATED_CLASSES = ("Lesson", "WorkingElement", "Assumption", "Output", "Impact", "Ambition",
                     "Activity", "PolicyStrategy", "BeneficiaryGroup")
_MAX_NAME_WORDS = 12
_THEME_STOP = frozenset({"en", "and", "van", "de", "het", "op"})


@dataclass(frozen=True, slots=True)
class Entity:
    """Something a question can name. ``term`` is what a query binds (an IRI or a literal)."""

    iri: str
    type: str
    label: str
    term: ox.NamedNode | ox.Literal
    curated: bool = False


@dataclass(frozen=True, slots=True)
class Name:
    """One way of writing an entity, as folded words; ``needs_capital`` for surnames and acronyms."""

    words: tuple[str, ...]
    entity: Entity
    needs_capital: bool = False
    priority: int = 0


@dataclass(frozen=True, slots=True)
class Annotation:
    """An annotated resource and the quote in the passage that is its evidence."""

    iri: str
    type: str
    label: str
    passage_iri: str
    quote: str
    start: int
    end: int
    confidence: float


_DEALS = """
SELECT ?deal ?type ?name ?kind ?curated WHERE {
  ?deal a ?type .
  VALUES ?type { ikg:Deal ikg:CityDeal ikg:TownDeal }
  { ?deal skos:prefLabel ?name BIND("pref" AS ?kind) }
  UNION { ?deal skos:altLabel ?name BIND("alt" AS ?kind) }
  UNION { ?deal rdfs:label ?name BIND("label" AS ?kind) }
  OPTIONAL { ?deal ikg:curated ?curated }
}
"""
_UNLABELLED_DEALS = """
SELECT DISTINCT ?deal WHERE {
  ?x ikg:aboutDeal|ikg:mentionsDeal ?deal .
  FILTER NOT EXISTS { ?deal skos:prefLabel|rdfs:label ?label }
}
"""
_AGENTS = """
SELECT ?agent ?type ?name ?kind WHERE {
  ?agent a ?type .
  VALUES ?type { ikg:Person ikg:Organisation }
  { ?agent rdfs:label ?name BIND("pref" AS ?kind) }
  UNION { ?agent skos:altLabel ?name BIND("alt" AS ?kind) }
}
"""
_PLACES = "SELECT DISTINCT ?place WHERE { ?meeting ikg:place ?place }"
_THEMES = "SELECT DISTINCT ?theme WHERE { ?deal ikg:theme ?theme }"
_STATUSES = "SELECT DISTINCT ?status WHERE { ?deal ikg:status ?status }"
_CONCEPTS = """
SELECT ?concept ?scheme ?name ?kind ?notation WHERE {
  ?concept skos:inScheme ?scheme .
  { ?concept skos:prefLabel ?name BIND("pref" AS ?kind) }
  UNION { ?concept skos:altLabel ?name BIND("alt" AS ?kind) }
  VALUES ?scheme { ikgc:Phases ikgc:ChainStages }
  OPTIONAL { ?concept skos:notation ?notation }
}
"""
_ANNOTATIONS = """
SELECT ?r ?class ?label ?passage ?quote ?start ?end ?confidence WHERE {
  ?r ikg:supportedBy ?passage ; a ?class ; rdfs:label ?label .
  VALUES ?class { ikg:Lesson ikg:WorkingElement ikg:Assumption ikg:Output ikg:Impact ikg:Ambition
                  ikg:Activity ikg:PolicyStrategy ikg:BeneficiaryGroup }
  # Resources shared across documents (working elements, meetings) keep their evidence on one
  # ikg:Extraction record per passage; the others carry it themselves.
  OPTIONAL { ?x rdf:subject ?r ; ikg:supportedBy ?passage ; ikg:quote ?xquote .
             OPTIONAL { ?x ikg:quoteStart ?xstart } OPTIONAL { ?x ikg:quoteEnd ?xend }
             OPTIONAL { ?x ikg:confidence ?xconfidence } }
  OPTIONAL { ?r ikg:quote ?rquote }
  OPTIONAL { ?r ikg:quoteStart ?rstart } OPTIONAL { ?r ikg:quoteEnd ?rend }
  OPTIONAL { ?r ikg:confidence ?rconfidence }
  BIND(COALESCE(?xquote, ?rquote) AS ?quote)
  BIND(IF(BOUND(?xquote), ?xstart, ?rstart) AS ?start)
  BIND(IF(BOUND(?xquote), ?xend, ?rend) AS ?end)
  BIND(COALESCE(?xconfidence, ?rconfidence) AS ?confidence)
}
"""


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _value(term: object) -> str:
    return "" if term is None else term.value  # type: ignore[attr-defined]


def _folded_words(text: str) -> tuple[str, ...]:
    return tuple(w.folded for w in words(text))


def _label_from_slug(iri: str) -> str:
    slug = _local(iri).replace("-", " ")
    for prefix in ("city deal ", "town deal "):
        if slug.startswith(prefix):
            return prefix.title() + slug[len(prefix):]
    return slug


class EntityCatalog:
    """Names from the graph, matched against questions by :mod:`ask.linking`."""

    def __init__(self, names: Sequence[Name], annotations: dict[str, tuple[Annotation, ...]]):
        self._by_first: dict[str, list[Name]] = defaultdict(list)
        for name in names:
            if name.words and len(name.words) <= _MAX_NAME_WORDS:
                self._by_first[name.words[0]].append(name)
        for candidates in self._by_first.values():
            candidates.sort(key=lambda n: (-len(n.words), -n.priority))
        self._entities: dict[str, Entity] = {}
        self._names_of: dict[str, list[str]] = defaultdict(list)
        for name in names:
            key = name.entity.iri or f"{name.entity.type}:{name.entity.label}"
            self._entities.setdefault(key, name.entity)
            self._names_of[key].append(" ".join(name.words))
        self._annotations = annotations

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def from_graph(cls, graph: QueryableGraph) -> EntityCatalog:
        """Read every linkable name and the annotation index from a graph (a few queries)."""
        names: list[Name] = []
        names += _deal_names(graph)
        names += _agent_names(graph)
        names += _literal_names(graph, _PLACES, "Place", priority=2)
        names += _theme_names(graph)
        names += _status_names(graph)
        names += _concept_names(graph)
        annotations = _annotations(graph)
        log.info("entity catalog: %d names, %d annotated passages", len(names), len(annotations))
        return cls(names, annotations)

    # -- reading ----------------------------------------------------------------------------

    def candidates(self, first_word: str) -> list[Name]:
        """Names starting with this folded word, longest first."""
        return self._by_first.get(first_word, [])

    def entity(self, iri: str) -> Entity | None:
        return self._entities.get(iri)

    def entities(self, type_name: str | None = None) -> list[Entity]:
        return [e for e in self._entities.values() if type_name is None or e.type == type_name]

    def names_of(self, entity: Entity) -> list[str]:
        """Every folded way the catalog knows to write this entity."""
        return list(self._names_of.get(entity.iri or f"{entity.type}:{entity.label}", ()))

    def annotations_of(self, passage_iri: str) -> tuple[Annotation, ...]:
        return self._annotations.get(passage_iri, ())

    def __len__(self) -> int:
        return len(self._entities)


def _deal_names(graph: QueryableGraph) -> list[Name]:
    rows = graph.query(_DEALS).rows
    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    curated: set[str] = set()
    for deal, type_, name, kind, is_curated in rows:
        types[deal.value].add(_local(type_.value))
        labels[deal.value].append((kind.value, name.value))
        if is_curated is not None and is_curated.value == "true":
            curated.add(deal.value)
    for (deal,) in graph.query(_UNLABELLED_DEALS).rows:
        if isinstance(deal, ox.NamedNode):
            types[deal.value].add("Deal")
            labels[deal.value].append(("pref", _label_from_slug(deal.value)))
    names: list[Name] = []
    for iri, found in labels.items():
        type_name = next(t for t in DEAL_TYPES if t in types[iri] or t == "Deal")
        pref = next((n for k, n in found if k == "pref"), found[0][1])
        entity = Entity(iri, type_name, pref, ox.NamedNode(iri), iri in curated)
        priority = 10 if entity.curated else 5
        variants = {n for _, n in found}
        for label in list(variants):
            short = without_deal_prefix(label)
            if short != label and len(_folded_words(short)) >= 2:
                variants.add(short)
        for variant in variants:
            names.append(Name(_folded_words(variant), entity, _is_acronym(variant), priority))
    return names


def _is_acronym(text: str) -> bool:
    return len(text) <= 5 and text.isupper()


def _agent_names(graph: QueryableGraph) -> list[Name]:
    labels: dict[tuple[str, str], list[tuple[ox.Literal, bool]]] = defaultdict(list)
    for agent, type_, name, kind in graph.query(_AGENTS).rows:
        labels[(agent.value, _local(type_.value))].append((name, kind.value == "pref"))
    names: list[Name] = []
    surnames: Counter[tuple[str, ...]] = Counter()
    people: list[tuple[Entity, set[str]]] = []
    for (iri, type_name), literals in labels.items():
        found = {literal.value for literal, _ in literals}
        entity = Entity(iri, type_name, _dutch_label(literals), ox.NamedNode(iri))
        for variant in found:
            names.append(Name(_folded_words(variant), entity, _is_acronym(variant), 8))
        if type_name == "Person":
            people.append((entity, found))
            for variant in found:
                for surname in _surnames(variant):
                    surnames[surname] += 1
    for entity, found in people:  # "Scheidsbach", "De Graaf": only when one person has it
        for variant in found:
            for surname in _surnames(variant):
                if surnames[surname] == 1 and not set(surname) & COMMON_CAPITALISED:
                    names.append(Name(surname, entity, needs_capital=True, priority=6))
    return names


def _dutch_label(literals: Sequence[tuple[ox.Literal, bool]]) -> str:
    """The label to show: a preferred label before an alternative, Dutch, then untagged, capitalised."""
    def rank(item: tuple[ox.Literal, bool]) -> tuple[bool, int, bool, str]:
        literal, preferred = item
        language = {"nl": 0, None: 1}.get(literal.language, 2)
        return not preferred, language, not literal.value[:1].isupper(), literal.value

    return min(literals, key=rank)[0].value


def _surnames(full_name: str) -> list[tuple[str, ...]]:
    parts = _folded_words(full_name)
    if len(parts) < 2:
        return []
    found = [parts[1:]]
    if len(parts) > 2:
        found.append(parts[-1:])
    return found


def _literal_names(graph: QueryableGraph, sparql: str, type_name: str, priority: int) -> list[Name]:
    names = []
    for (value,) in graph.query(sparql).rows:
        if isinstance(value, ox.Literal) and value.value.strip():
            entity = Entity("", type_name, value.value, value)
            names.append(Name(_folded_words(value.value), entity, priority=priority))
    return names


def _theme_names(graph: QueryableGraph) -> list[Name]:
    """Each content word of a theme links to it ("mobiliteit"; "onderwijs" of "kennis en onderwijs").

    The bound value is the word itself, so one word selects every theme that contains it.
    """
    theme_words: set[str] = set()
    for (value,) in graph.query(_THEMES).rows:
        theme_words.update(w for w in _folded_words(value.value) if w not in _THEME_STOP and len(w) > 3)
    names = [Name((word,), Entity("", "Theme", word, ox.Literal(word)), priority=1)
             for word in sorted(theme_words)]
    names += [Name((alias,), Entity("", "Theme", word, ox.Literal(word)), priority=1)
              for alias, word in THEME_SYNONYMS.items() if word in theme_words]
    return names


def _status_names(graph: QueryableGraph) -> list[Name]:
    statuses = {fold(value.value): value for (value,) in graph.query(_STATUSES).rows
                if isinstance(value, ox.Literal)}
    return [Name((word,), Entity("", "Status", statuses[status].value, statuses[status]), priority=1)
            for word, status in STATUS_SYNONYMS.items() if status in statuses]


def _concept_names(graph: QueryableGraph) -> list[Name]:
    found: dict[str, tuple[bool, list[tuple[ox.Literal, bool]], str]] = {}
    for concept, scheme, name, kind, notation in graph.query(_CONCEPTS).rows:
        is_phase, literals, _ = found.setdefault(
            concept.value, (scheme.value == f"{IKGC}Phases", [], _value(notation)))
        literals.append((name, kind.value == "pref"))
    names = []
    for iri, (is_phase, literals, notation) in found.items():
        entity = Entity(iri, "Phase" if is_phase else "ChainStage", _dutch_label(literals),
                        ox.NamedNode(iri))
        for literal, _ in literals:
            folded = _folded_words(literal.value)
            if is_phase or len(folded) >= 2:  # "impact", "output": too common to mean the stage
                names.append(Name(folded, entity, priority=3))
        if is_phase and notation:
            names += [Name((word, notation), entity, priority=4) for word in ("fase", "phase")]
    return names


def _annotations(graph: QueryableGraph) -> dict[str, tuple[Annotation, ...]]:
    by_passage: dict[str, list[Annotation]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    ikg = str(IKG)
    for row in graph.query(_ANNOTATIONS).rows:
        resource, cls, label, passage, quote, start, end, confidence = row
        if (resource.value, passage.value) in seen or not cls.value.startswith(ikg):
            continue
        seen.add((resource.value, passage.value))
        by_passage[passage.value].append(Annotation(
            iri=resource.value, type=cls.value[len(ikg):], label=label.value,
            passage_iri=passage.value, quote=_value(quote),
            start=int(start.value) if start is not None else -1,
            end=int(end.value) if end is not None else -1,
            confidence=float(confidence.value) if confidence is not None else 0.0))
    return {passage: tuple(found) for passage, found in by_passage.items()}


__all__ = ["ANNOTATED_CLASSES", "DEAL_TYPES", "Annotation", "Entity", "EntityCatalog", "Name"]
