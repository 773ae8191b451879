"""Passage records for the search side, read from a graph (the store, or one document's graph)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kg.backend import QueryableGraph
from kg.namespaces import IKG, IKGC
from kg.query import StoreGraph
from kg.records import PassageRecord
from kg.terms import Triple, to_quads

_CHAIN_STAGES = {
    "Ambition": "stage-ambition", "PolicyStrategy": "stage-policy-strategy",
    "Activity": "stage-implementation", "Output": "stage-output", "Impact": "stage-impact",
}

_PASSAGES = """
SELECT ?p ?doc ?pos ?text ?heading ?start ?end ?title ?url ?src ?date ?type ?site WHERE {
  ?p a ikg:Passage ; ikg:inDocument ?doc ; ikg:position ?pos ; ikg:text ?text .
  OPTIONAL { ?p ikg:headingPath ?heading }
  OPTIONAL { ?p ikg:startChar ?start } OPTIONAL { ?p ikg:endChar ?end }
  OPTIONAL { ?doc dcterms:title ?title } OPTIONAL { ?doc schema:url ?url }
  OPTIONAL { ?doc prov:hadPrimarySource ?src } OPTIONAL { ?doc dcterms:date ?date }
  OPTIONAL { ?doc ikg:documentType ?type } OPTIONAL { ?doc ikg:sourceSite ?site }
  #FILTER#
}
"""

_DEALS = """
SELECT DISTINCT ?doc ?deal ?about WHERE {
  { ?doc ikg:aboutDeal ?deal BIND(true AS ?about) }
  UNION { ?doc ikg:mentionsDeal ?deal BIND(false AS ?about) }
  #FILTER#
}
"""

_PASSAGE_FACETS = """
SELECT DISTINCT ?p ?class ?phase WHERE {
  ?r ikg:supportedBy ?p .
  ?p ikg:inDocument ?doc .
  OPTIONAL { ?r a ?class }
  OPTIONAL { ?r ikg:inPhase ?phase }
  #FILTER#
}
"""


def _filter(doc_iris: list[str] | None) -> str:
    if doc_iris is None:
        return ""
    return "VALUES ?doc { " + " ".join(f"<{iri}>" for iri in doc_iris) + " }"


def _value(term: object) -> str:
    return "" if term is None else term.value  # type: ignore[attr-defined]


def passage_records(graph: QueryableGraph, doc_iris: list[str] | None = None) -> list[PassageRecord]:
    """Every passage (of the given documents) with its document's metadata and its facets.

    ``graph`` is any store that answers SPARQL: the writer's embedded or remote store, or a
    scratch store with one document.

    Facets: ``deal`` (documents' aboutDeal/mentionsDeal), ``about`` (aboutDeal only: the
    deals the document is about, which search boosts for questions naming a deal),
    ``doc_type``, ``site``, ``date``, and per passage ``stage`` and ``phase`` from the
    resources it supports.
    """
    if doc_iris is not None and not doc_iris:
        return []
    where = _filter(doc_iris)
    deals: dict[str, set[str]] = defaultdict(set)
    about: dict[str, set[str]] = defaultdict(set)
    for doc, deal, is_about in graph.query(_DEALS.replace("#FILTER#", where)).rows:
        deals[doc.value].add(deal.value)
        if is_about is not None and is_about.value == "true":
            about[doc.value].add(deal.value)
    stages: dict[str, set[str]] = defaultdict(set)
    phases: dict[str, set[str]] = defaultdict(set)
    ikg, ikgc = str(IKG), str(IKGC)
    for passage, cls, phase in graph.query(_PASSAGE_FACETS.replace("#FILTER#", where)).rows:
        if cls is not None and cls.value.startswith(ikg) and cls.value[len(ikg):] in _CHAIN_STAGES:
            stages[passage.value].add(ikgc + _CHAIN_STAGES[cls.value[len(ikg):]])
        if phase is not None:
            phases[passage.value].add(phase.value)
    records = []
    for row in graph.query(_PASSAGES.replace("#FILTER#", where)).rows:
        p, doc, pos, text, heading, start, end, title, url, src, date, doc_type, site = row
        facets = {
            "deal": tuple(sorted(deals.get(doc.value, ()))),
            "about": tuple(sorted(about.get(doc.value, ()))),
            "doc_type": (doc_type.value,) if doc_type is not None else (),
            "site": (site.value,) if site is not None else (),
            "stage": tuple(sorted(stages.get(p.value, ()))),
            "phase": tuple(sorted(phases.get(p.value, ()))),
            "date": (date.value,) if date is not None else (),
        }
        records.append(PassageRecord(
            iri=p.value, document_iri=doc.value, position=int(pos.value), text=text.value,
            heading_path=tuple(_value(heading).split(" > ")) if heading is not None else (),
            document_title=_value(title), document_url=_value(url) or _value(src),
            document_date=_value(date),
            start_char=int(start.value) if start is not None else 0,
            end_char=int(end.value) if end is not None else 0,
            facets=facets,
        ))
    records.sort(key=lambda r: (r.document_iri, r.position))
    return records


def records_from_triples(document_iri: str, triples: list[Triple]) -> list[PassageRecord]:
    """Passage records (with facets) read from one document's triples before they are stored."""
    scratch = ox.Store()
    scratch.extend(to_quads(triples, document_iri + "/graph"))
    return passage_records(StoreGraph(scratch), [document_iri])
