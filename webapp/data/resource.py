"""The page of one resource: labels and types, links out and in, evidence, related resources.

Works for every IRI in the graph: instances under the base IRI, ontology terms (classes
list their instances, properties their use) and SKOS concepts (their definitions in Dutch
and English, and what uses them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import url_for

from kg.namespaces import IKG, OWL, RDF, RDFS, SKOS
from webapp.context import limits
from webapp.data.evidence import evidence_for, passage_with_quotes
from webapp.data.ontology import ontology_index
from webapp.data.graph import (
    browse_url,
    document_url,
    fallback_label,
    iri_of,
    is_iri,
    labels,
    literal,
    node,
    ref,
    select,
    value,
)
from webapp.errors import BadRequest, NotFound
from webapp.i18n import language
from webapp.links import curie
from webapp.rdf import FORMATS

OUTGOING_LIMIT = 2_000
OUTGOING_SHOWN = 10
INCOMING_SHOWN = 10
INCOMING_PAGE_SIZE = 50
RELATED_SHOWN = 24
RDF_TYPE = str(RDF.type)
CLASS_TYPES = {str(OWL.Class), str(RDFS.Class)}
PROPERTY_TYPES = {str(OWL.ObjectProperty), str(OWL.DatatypeProperty), str(OWL.AnnotationProperty),
                  str(RDF.Property)}
DEAL_TYPES = {str(IKG.Deal), str(IKG.CityDeal), str(IKG.TownDeal)}
DEFINITION_PROPERTIES = (str(SKOS.definition), str(RDFS.comment))
PROPERTY_ORDER = (RDF_TYPE, str(SKOS.prefLabel), str(RDFS.label), str(SKOS.altLabel),
                  str(SKOS.definition), str(RDFS.comment))
HIDDEN_RELATED_TYPES = {str(IKG.Extraction), str(IKG.Passage)}

_OUTGOING = "SELECT DISTINCT ?p ?o WHERE { $this ?p ?o }"
_INCOMING_COUNTS = (
    "SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p $this FILTER(isIRI(?s)) } GROUP BY ?p")
_INCOMING = "SELECT DISTINCT ?s WHERE { ?s $p $this FILTER(isIRI(?s)) } LIMIT #LIMIT# OFFSET #OFFSET#"
_USE_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s $this ?o }"
_RELATED = """
SELECT ?other (SAMPLE(?type) AS ?kind) (COUNT(DISTINCT ?passage) AS ?shared) WHERE {
  $this ikg:supportedBy ?passage .
  ?other ikg:supportedBy ?passage .
  FILTER (?other != $this && isIRI(?other))
  OPTIONAL { ?other a ?type }
} GROUP BY ?other ORDER BY DESC(?shared) LIMIT 200
"""


@dataclass(frozen=True, slots=True)
class ResourceArgs:
    """A resource page's state: the IRI, and which incoming property is paged (show more)."""

    iri: str
    incoming: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, iri: str, args: Any) -> ResourceArgs:
        incoming = (args.get("in") or "").strip()
        raw_page = args.get("page") or "1"
        if not raw_page.isdigit() or int(raw_page) < 1:
            raise BadRequest(f"page must be a whole number from 1, not {raw_page[:20]!r}")
        if incoming:
            node(incoming)
        return cls(iri=iri, incoming=incoming, page=int(raw_page))


def resource_data(args: ResourceArgs) -> dict[str, Any]:
    this = node(args.iri).value
    outgoing = select(f"{_OUTGOING} LIMIT {OUTGOING_LIMIT}", this=this)
    counts = {value(row["p"]): int(value(row["n"])) for row in select(_INCOMING_COUNTS, this=this)}
    if not outgoing and not counts:
        raise NotFound(f"{args.iri} is not in the graph")
    if args.incoming and args.incoming not in counts:
        raise NotFound(f"nothing links to this resource with {args.incoming}")
    types = [iri_of(row["o"]) for row in outgoing if value(row["p"]) == RDF_TYPE and is_iri(row["o"])]
    is_class = bool(CLASS_TYPES & set(types))
    incoming_iris = {prop: _incoming_page(this, prop, args, is_class) for prop in counts}
    wanted = set(types) | {value(r["p"]) for r in outgoing} | set(counts)
    wanted |= {iri_of(r["o"]) for r in outgoing if is_iri(r["o"])}
    wanted |= {iri for page in incoming_iris.values() for iri in page}
    wanted.add(args.iri)
    label_of = labels(sorted(wanted))
    label = label_of[args.iri]
    data: dict[str, Any] = {
        "iri": args.iri, "label": label, "curie": curie(args.iri),
        "url": browse_url(args.iri),
        "types": [ref(iri, label_of) for iri in types],
        "kind": _kind(types),
        "definitions": _definitions(outgoing),
        "outgoing": _outgoing_groups(outgoing, label_of),
        "incoming": _incoming_groups(args, counts, incoming_iris, label_of, is_class),
        "evidence": evidence_for(args.iri, name=label if label != fallback_label(args.iri) else ""),
        "related": _related(this),
        "formats": _formats(args.iri),
        "special_pages": _special_pages(args.iri, types),
        "incoming_paged": args.incoming,
    }
    if str(IKG.Passage) in types:
        data["passage"] = passage_with_quotes(args.iri)
    if data["kind"] == "ontology":
        data["ontology"] = ontology_index()
    if PROPERTY_TYPES & set(types):
        data["uses"] = int(value(select(_USE_COUNT, this=this)[0]["n"]))
    return data


def _incoming_page(this: str, prop: str, args: ResourceArgs, is_class: bool) -> list[str]:
    paged = prop == args.incoming or (is_class and prop == RDF_TYPE and not args.incoming)
    size = INCOMING_PAGE_SIZE if paged else INCOMING_SHOWN
    offset = (args.page - 1) * size if prop == args.incoming else 0
    query = _INCOMING.replace("#LIMIT#", str(size)).replace("#OFFSET#", str(offset))
    return [value(row["s"]) for row in select(query, this=this, p=prop)]


def _kind(types: list[str]) -> str:
    kinds = set(types)
    if kinds & CLASS_TYPES:
        return "class"
    if kinds & PROPERTY_TYPES:
        return "property"
    if str(SKOS.Concept) in kinds or str(SKOS.ConceptScheme) in kinds:
        return "concept"
    if str(OWL.Ontology) in kinds:
        return "ontology"
    return "instance"


def _definitions(outgoing: list[dict[str, Any]]) -> list[dict[str, str]]:
    found = []
    for prop in DEFINITION_PROPERTIES:
        for row in outgoing:
            if value(row["p"]) == prop and not is_iri(row["o"]):
                found.append({"language": getattr(row["o"], "language", None) or "", "text": value(row["o"])})
        if found:
            break
    preferred = [language(), "nl", "en"]
    return sorted(found, key=lambda item: preferred.index(item["language"]) if item["language"] in preferred
                  else len(preferred))


def _property_sort_key(prop: str, label_of: dict[str, str]) -> tuple[int, str]:
    if prop in PROPERTY_ORDER:
        return PROPERTY_ORDER.index(prop), ""
    return len(PROPERTY_ORDER), label_of.get(prop, prop).lower()


def _outgoing_groups(outgoing: list[dict[str, Any]], label_of: dict[str, str]) -> list[dict[str, Any]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in outgoing:
        term = row["o"]
        if is_iri(term):
            item = {"kind": "iri", **ref(iri_of(term), label_of)}
        elif term.__class__.__name__ == "BlankNode":
            item = {"kind": "blank", "value": f"_:{value(term)[:12]}"}
        else:
            item = {"kind": "literal", **literal(term)}
        grouped.setdefault(value(row["p"]), []).append(item)
    groups = []
    for prop in sorted(grouped, key=lambda p: _property_sort_key(p, label_of)):
        items = sorted(grouped[prop], key=lambda i: (i["kind"] != "iri", str(i.get("label", i.get("value", "")))))
        groups.append({"property": {**ref(prop, label_of), "curie": curie(prop)}, "count": len(items),
                       "values": items[:OUTGOING_SHOWN], "more": items[OUTGOING_SHOWN:]})
    return groups


def _incoming_groups(args: ResourceArgs, counts: dict[str, int], pages: dict[str, list[str]],
                     label_of: dict[str, str], is_class: bool) -> list[dict[str, Any]]:
    groups = []
    for prop in sorted(counts, key=lambda p: _property_sort_key(p, label_of)):
        paged = prop == args.incoming or (is_class and prop == RDF_TYPE and not args.incoming)
        size = INCOMING_PAGE_SIZE if paged else INCOMING_SHOWN
        items = sorted((ref(iri, label_of) for iri in pages[prop]), key=lambda r: r["label"].lower())
        page = args.page if prop == args.incoming else 1
        last_page = max(1, math.ceil(counts[prop] / size))
        group: dict[str, Any] = {
            "property": {**ref(prop, label_of), "curie": curie(prop)}, "count": counts[prop],
            "values": items, "page": page, "pages": last_page if paged else 1,
            "more_url": _show_more_url(args.iri, prop, 1) if not paged and counts[prop] > size else None,
            "previous_url": _show_more_url(args.iri, prop, page - 1) if paged and page > 1 else None,
            "next_url": _show_more_url(args.iri, prop, page + 1) if paged and page < last_page else None,
        }
        groups.append(group)
    return groups


def _show_more_url(iri: str, prop: str, page: int) -> str:
    base = browse_url(iri)
    params = {"in": prop}
    if page > 1:
        params["page"] = str(page)
    return base + ("&" if "?" in base else "?") + urlencode(params) + "#in-links"


def _related(this: str) -> list[dict[str, Any]]:
    rows = select(_RELATED, this=this)
    kept = [row for row in rows if value(row["kind"]) not in HIDDEN_RELATED_TYPES][:RELATED_SHOWN]
    iris = [value(row["other"]) for row in kept]
    label_of = labels(iris + [value(row["kind"]) for row in kept if row["kind"] is not None])
    return [{**ref(value(row["other"]), label_of),
             "type": ref(value(row["kind"]), label_of) if row["kind"] is not None else None,
             "shared_passages": int(value(row["shared"]))} for row in kept]


def _formats(iri: str) -> list[dict[str, str]]:
    base = browse_url(iri)
    joiner = "&" if "?" in base else "?"
    return [{"format": name, "label": fmt.label, "media_type": fmt.media_type,
             "url": f"{base}{joiner}format={name}"} for name, fmt in FORMATS.items()]


def _special_pages(iri: str, types: list[str]) -> list[dict[str, str]]:
    pages = []
    base = limits().base_iri
    if DEAL_TYPES & set(types) and iri.startswith(base + "deal/"):
        pages.append({"kind": "deal", "url": url_for("deals.deal", slug=iri[len(base + "deal/"):])})
    if str(IKG.Document) in types:
        pages.append({"kind": "document", "url": document_url(iri)})
    return pages
