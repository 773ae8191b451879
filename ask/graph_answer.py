"""Answers from the graph: run the chosen template and say what its rows hold, each part cited."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ask.answer import Draft, Evidence, GraphRows, Segment
from ask.catalog import EntityCatalog
from ask.provenance import own_evidence, statement_evidence
from ask.templates import GraphQuery, ikg
from kg.backend import QueryableGraph
from kg.query import QueryResult

SCHEMA_START = ox.NamedNode("https://schema.org/startDate")
SKOS_PREF = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
MAX_CITED_ROWS = 10
MAX_LISTED = 12

CLASS_NAMES = {
    "nl": {"WorkingElement": "werkzame elementen", "Lesson": "lessen", "Assumption": "aannames"},
    "en": {"WorkingElement": "working elements", "Lesson": "lessons", "Assumption": "assumptions"},
}


@dataclass(frozen=True, slots=True)
class GraphResult:
    """What a template returned: its rows, the sentences saying so, and the resources named."""

    query: GraphQuery
    rows: GraphRows
    drafts: tuple[Draft, ...]
    resources: tuple[tuple[str, str, str], ...]
    """(iri, type, label) of the resources the rows name."""
    quotes: tuple[Evidence, ...]
    """For resource lists: each resource's own quote (candidates for an extractive answer)."""


def _text(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]


def _rows(result: QueryResult) -> GraphRows:
    return GraphRows(result.variables, tuple(tuple(_text(v) for v in row) for row in result.rows))


def _column(result: QueryResult, name: str) -> int:
    return result.variables.index(name)


def _join(items: list[Segment], language: str) -> list[Segment]:
    """A, B and C: separators between the item segments."""
    joined: list[Segment] = []
    last = " en " if language == "nl" else " and "
    for index, item in enumerate(items):
        if index:
            joined.append(Segment(last if index == len(items) - 1 else ", "))
        joined.append(item)
    return joined


def _listing(lead: str, items: list[Segment], language: str, more: int = 0) -> Draft:
    tail = ""
    if more:
        tail = f" (en nog {more})" if language == "nl" else f" (and {more} more)"
    return Draft((Segment(lead), *_join(items, language), Segment(tail + ".")))


def run_graph(graph: QueryableGraph, query: GraphQuery, catalog: EntityCatalog, language: str,
              max_rows: int) -> GraphResult:
    """Run a template and describe its rows (an empty result has no drafts)."""
    result = graph.query(query.sparql, max_rows=max_rows, substitutions=query.bindings)
    rows = _rows(result)
    empty = GraphResult(query, rows, (), (), ())
    if not result.rows or (query.answer == "count" and _text(result.rows[0][0]) in (None, "0")):
        return empty
    build = {
        "meeting-people": _meeting_people, "meeting-dates": _meeting_values,
        "meeting-places": _meeting_values, "meetings": _meetings, "deals": _deals,
        "deal-count": _deal_count, "fact": _facts, "people-of": _people_of,
        "resources": _resources,
    }[query.name]
    return build(graph, query, result, rows, catalog, language)


def _type_of(catalog: EntityCatalog, iri: str, default: str) -> str:
    entity = catalog.entity(iri)
    return entity.type if entity is not None else default


def _meeting_where(result: QueryResult, query: GraphQuery, language: str) -> str:
    labels = {label for row in result.rows
              for label in (_text(row[_column(result, "meetings")]) or "").split(" | ") if label}
    if len(labels) == 1:
        return labels.pop()
    parts = [query.scope.get("cop") or query.scope.get("kind") or
             ("bijeenkomsten" if language == "nl" else "meetings")]
    if "place" in query.scope:
        parts.append("in " + query.scope["place"])
    if "date" in query.scope:
        parts.append(("van " if language == "nl" else "of ") + query.scope["date"])
    return " ".join(parts)


def _meeting_people(graph: QueryableGraph, query: GraphQuery, result: QueryResult, rows: GraphRows,
    catalog: EntityCatalog, language: str,
) -> GraphResult:
    role = query.answer
    items, resources = [], []
    for index, row in enumerate(result.rows):
        name, agent, meeting = (_text(row[_column(result, c)]) for c in ("name", "agent", "atMeeting"))
        evidence: tuple[Evidence, ...] = ()
        if index < MAX_CITED_ROWS and agent and meeting:
            found = statement_evidence(graph, ox.NamedNode(meeting), ikg(role), ox.NamedNode(agent),
                                       name or "", language, "")
            evidence = (found,) if found is not None else ()
        items.append(Segment(name or "", evidence))
        resources.append((agent or "", _type_of(catalog, agent or "", "Person"), name or ""))
    where = _meeting_where(result, query, language)
    leads = {
        ("nl", "speaker"): f"Volgens de graaf spraken bij {where}: ",
        ("nl", "chair"): f"Volgens de graaf was de voorzitter van {where}: ",
        ("nl", "host"): f"Volgens de graaf was de gastheer van {where}: ",
        ("en", "speaker"): f"According to the graph, the speakers at {where} were ",
        ("en", "chair"): f"According to the graph, {where} was chaired by ",
        ("en", "host"): f"According to the graph, {where} was hosted by ",
    }
    draft = _listing(leads[(language, role)], items, language)
    return GraphResult(query, rows, (draft,), tuple(resources), ())


def _meeting_values(graph: QueryableGraph, query: GraphQuery, result: QueryResult, rows: GraphRows,
    catalog: EntityCatalog, language: str,
) -> GraphResult:
    """When or where: one sentence per distinct date or place, citing the meeting's own quote."""
    drafts, resources = [], []
    for row in result.rows[:MAX_CITED_ROWS]:
        value, meeting, labels = (_text(v) for v in row[:3])
        found = own_evidence(graph, meeting) if meeting else None
        label = (labels or "").split(" | ")[0]
        if query.answer == "date":
            lead = (f"Volgens de graaf vond {label} plaats op {value}" if language == "nl"
                    else f"According to the graph, {label} took place on {value}")
        else:
            lead = (f"Volgens de graaf vond {label} plaats in {value}" if language == "nl"
                    else f"According to the graph, {label} took place in {value}")
        drafts.append(Draft((Segment(lead, (found,) if found else ()), Segment("."))))
        resources.append((meeting or "", "Meeting", label))
    return GraphResult(query, rows, tuple(drafts), tuple(resources), ())


def _meetings(graph: QueryableGraph, query: GraphQuery, result: QueryResult, rows: GraphRows,
    catalog: EntityCatalog, language: str,
) -> GraphResult:
    items, resources = [], []
    for index, row in enumerate(result.rows):
        label, meeting = _text(row[0]), _text(row[1])
        found = own_evidence(graph, meeting) if meeting and index < MAX_CITED_ROWS else None
        if index < MAX_LISTED:
            items.append(Segment(label or "", (found,) if found else ()))
        resources.append((meeting or "", "Meeting", label or ""))
    lead = (f"De graaf kent {len(result.rows)} bijeenkomst{'en' if len(result.rows) != 1 else ''}"
            f"{_scope_phrase(query, language)}: " if language == "nl" else
            f"The graph holds {len(result.rows)} meeting{'s' if len(result.rows) != 1 else ''}"
            f"{_scope_phrase(query, language)}: ")
    draft = _listing(lead, items, language, max(0, len(result.rows) - MAX_LISTED))
    return GraphResult(query, rows, (draft,), tuple(resources), ())


def _scope_phrase(query: GraphQuery, language: str) -> str:
    scope = query.scope
    nl = language == "nl"
    parts = []
    if "theme" in scope:
        parts.append(f" met het thema {scope['theme']}" if nl else f" with the theme {scope['theme']}")
    if "status" in scope:
        parts.append(f" met de status {scope['status']}" if nl else f" with the status {scope['status']}")
    if "year" in scope:
        parts.append(f" gestart in {scope['year']}" if nl else f" started in {scope['year']}")
    if "phase" in scope:
        parts.append(f" in de fase {scope['phase']}" if nl else f" in the phase {scope['phase']}")
    if "cop" in scope or "kind" in scope:
        meeting = scope.get("cop") or scope["kind"]
        parts.append(f" van de {meeting}" if nl else f" of the {meeting}")
    if "place" in scope:
        parts.append(f" in {scope['place']}")
    if "date" in scope:
        parts.append(f" op {scope['date']}" if nl else f" on {scope['date']}")
    if "deal" in scope:
        parts.append(f" van {scope['deal']}" if nl else f" of {scope['deal']}")
    if "person" in scope:
        parts.append(f" van {scope['person']}" if nl else f" by {scope['person']}")
    return "".join(parts)


def _deal_statement(scope: dict[str, str]) -> tuple[ox.NamedNode, str]:
    """The statement that put a deal in the list, for its citation."""
    for key, prop in (("theme", "theme"), ("status", "status"), ("phase", "inPhase")):
        if key in scope:
            return ikg(prop), key
    if "year" in scope:
        return SCHEMA_START, "startDate"
    return SKOS_PREF, "name"


def _deal_items(
    graph: QueryableGraph, query: GraphQuery, result: QueryResult, catalog: EntityCatalog, language: str,
) -> tuple[list[Segment], list[tuple[str, str, str]]]:
    prop, column = _deal_statement(query.scope)
    items, resources = [], []
    for index, row in enumerate(result.rows):
        name, deal = _text(row[_column(result, "name")]), _text(row[_column(result, "deal")])
        value_index = _column(result, column) if column in result.variables else 0
        value = row[value_index]
        evidence: tuple[Evidence, ...] = ()
        if index < MAX_CITED_ROWS and deal and isinstance(value, ox.NamedNode | ox.Literal):
            quote = f"{name}: {column} {_text(value)}" if column != "name" else f"{name}"
            found = statement_evidence(graph, ox.NamedNode(deal), prop, value, _text(value) or "",
                                       language, quote)
            evidence = (found,) if found is not None else ()
        if index < MAX_LISTED:
            items.append(Segment(name or "", evidence))
        resources.append((deal or "", _type_of(catalog, deal or "", "Deal"), name or ""))
    return items, resources


def _deal_noun(query: GraphQuery, count: int, language: str) -> str:
    kind = query.scope.get("type", "deal")
    if kind == "deal":
        return "deal" if count == 1 else "deals"
    return kind if count == 1 else f"{kind}s"


def _deals(graph: QueryableGraph, query: GraphQuery, result: QueryResult, rows: GraphRows,
    catalog: EntityCatalog, language: str,
) -> GraphResult:
    items, resources = _deal_items(graph, query, result, catalog, language)
    count = len(result.rows)
    noun = _deal_noun(query, count, language)
    lead = (f"De graaf kent {count} {noun}{_scope_phrase(query, language)}: " if language == "nl"
            else f"The graph holds {count} {noun}{_scope_phrase(query, language)}: ")
    draft = _listing(lead, items, language, max(0, count - MAX_LISTED))
    return GraphResult(query, rows, (draft,), tuple(resources), ())


def _deal_count(graph: QueryableGraph, query: GraphQuery, result: QueryResult, rows: GraphRows,
    catalog: EntityCatalog, language: str,
) -> GraphResult:
    count = int(_text(result.rows[0][0]) or 0)
    items: list[Segment] = []
    resources: list[tuple[str, str, str]] = []
    if query.companion is not None:
        listed = graph.query(query.companion.sparql, substitutions=query.companion.bindings)
        items, resources = _deal_items(graph, query.companion, listed, catalog, language)
    noun = _deal_noun(query, count, language)
    lead = (f"De graaf kent {count} {noun}{_scope_phrase(query, language)}: " if language == "nl"
            else f"The graph holds {count} {noun}{_scope_phrase(query, language)}: ")
    draft = _listing(lead, items, language) if items else Draft((Segment(lead.rstrip(": ") + "."),))
    return GraphResult(query, rows, (draft,), tuple(resources), ())


FACT_LEADS = {
    ("nl", "startDate"): "Volgens de graaf is {s} gestart op ",
    ("en", "startDate"): "According to the graph, {s} started on ",
    ("nl", "theme"): "Het thema van {s} is ",
    ("en", "theme"): "The theme of {s} is ",
    ("nl", "status"): "De status van {s} is ",
    ("en", "status"): "The status of {s} is ",
    ("nl", "inPhase"): "Volgens de graaf zit {s} in de fase ",
    ("en", "inPhase"): "According to the graph, {s} is in the phase ",
    ("nl", "role"): "{s} is ",
    ("en", "role"): "{s} is ",
    ("nl", "affiliatedWith"): "{s} is verbonden aan ",
    ("en", "affiliatedWith"): "{s} is affiliated with ",
}


def _facts(graph: QueryableGraph, query: GraphQuery, result: QueryResult, rows: GraphRows,
    catalog: EntityCatalog, language: str,
) -> GraphResult:
    subject = query.bindings["subject"]
    subject_label = query.scope.get("subject", "")
    by_property: dict[str, list[Segment]] = {}
    resources = [(subject.value, _type_of(catalog, subject.value, "Resource"), subject_label)]
    for row in result.rows[:MAX_CITED_ROWS]:
        value, obj, prop = (row[_column(result, c)] for c in ("value", "object", "property"))
        if not isinstance(prop, ox.NamedNode) or not isinstance(obj, ox.NamedNode | ox.Literal):
            continue
        name = prop.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        quote = f"{subject_label}: {name} {_text(value)}"
        found = statement_evidence(graph, subject, prop, obj, _text(value) or "", language, quote)
        by_property.setdefault(name, []).append(Segment(_text(value) or "", (found,) if found else ()))
        if isinstance(obj, ox.NamedNode) and catalog.entity(obj.value) is not None:
            entity = catalog.entity(obj.value)
            resources.append((obj.value, entity.type, entity.label))  # type: ignore[union-attr]
    drafts = [_listing(FACT_LEADS[(language, name)].format(s=subject_label), items, language)
              for name, items in by_property.items() if (language, name) in FACT_LEADS]
    return GraphResult(query, rows, tuple(drafts), tuple(resources), ())


def _people_of(graph: QueryableGraph, query: GraphQuery, result: QueryResult, rows: GraphRows,
    catalog: EntityCatalog, language: str,
) -> GraphResult:
    organisation = query.bindings["organisation"]
    label = query.scope.get("organisation", "")
    items, resources = [], [(organisation.value, "Organisation", label)]
    for index, row in enumerate(result.rows):
        name, person = _text(row[0]), _text(row[1])
        evidence: tuple[Evidence, ...] = ()
        if index < MAX_CITED_ROWS and person:
            found = statement_evidence(graph, ox.NamedNode(person), ikg("affiliatedWith"), organisation,
                                       label, language, f"{name}: affiliatedWith {label}")
            evidence = (found,) if found else ()
        if index < MAX_LISTED:
            items.append(Segment(name or "", evidence))
        resources.append((person or "", "Person", name or ""))
    lead = (f"Volgens de graaf zijn deze mensen verbonden aan {label}: " if language == "nl"
            else f"According to the graph, these people are affiliated with {label}: ")
    draft = _listing(lead, items, language, max(0, len(result.rows) - MAX_LISTED))
    return GraphResult(query, rows, (draft,), tuple(resources), ())


def _resources(graph: QueryableGraph, query: GraphQuery, result: QueryResult, rows: GraphRows,
    catalog: EntityCatalog, language: str,
) -> GraphResult:
    """A resource list: the resources, their own quotes, and a listing sentence to fall back on."""
    cls = query.answer
    items, resources, quotes = [], [], []
    seen_labels: set[str] = set()
    for row in result.rows:
        label, resource = _text(row[0]) or "", _text(row[1]) or ""
        if label.casefold() in seen_labels:
            continue
        seen_labels.add(label.casefold())
        found = own_evidence(graph, resource) if len(quotes) < 2 * MAX_CITED_ROWS else None
        if found is not None:
            quotes.append(found)
        if len(items) < MAX_LISTED:
            items.append(Segment(label, (found,) if found else ()))
        resources.append((resource, cls, label))
    noun = CLASS_NAMES.get(language, CLASS_NAMES["nl"]).get(cls, cls)
    lead = (f"De graaf kent {len(resources)} {noun}{_scope_phrase(query, language)}: " if language == "nl"
            else f"The graph holds {len(resources)} {noun}{_scope_phrase(query, language)}: ")
    draft = _listing(lead, items, language, max(0, len(resources) - MAX_LISTED))
    return GraphResult(query, rows, (draft,), tuple(resources), tuple(quotes))


__all__ = ["GraphResult", "run_graph"]
