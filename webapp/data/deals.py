"""The deals: a list with what the graph knows of each, and one page per deal."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import url_for

from kg.namespaces import IKG
from webapp.context import graph, limits, memo
from webapp.data.deal_chain import chain_data
from webapp.data.deal_scope import DealScope, deal_scope
from webapp.data.graph import browse_url, document_url, label_key, labels, node, ref, select, select_each, value
from webapp.data.lessons import rows_of_deal
from webapp.errors import NotFound
from webapp.i18n import language

_DEALS = """
SELECT ?deal ?type ?theme ?status ?start ?curated WHERE {
  { VALUES ?type { ikg:Deal ikg:CityDeal ikg:TownDeal } ?deal a ?type }
  UNION {  # a deal the documents refer to that nobody typed yet
    SELECT DISTINCT ?deal ?type WHERE {
      { ?x ikg:aboutDeal ?deal } UNION { ?deal ikg:hasAmbition ?x }
      FILTER NOT EXISTS { ?deal a ?any }
      BIND (ikg:Deal AS ?type)
    }
  }
  OPTIONAL { ?deal ikg:theme ?theme }
  OPTIONAL { ?deal ikg:status ?status }
  OPTIONAL { ?deal schema:startDate ?start }
  OPTIONAL { ?deal ikg:curated ?curated }
}
"""
_ABOUT_COUNTS = """
SELECT ?deal ?type (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?x ikg:aboutDeal ?deal ; a ?type .
  VALUES ?type { ikg:Document ikg:Lesson ikg:WorkingElement ikg:Ambition ikg:PolicyStrategy
                 ikg:Activity ikg:Output ikg:Impact }
} GROUP BY ?deal ?type
"""
_MENTIONS = """
SELECT ?deal (COUNT(DISTINCT ?doc) AS ?n) WHERE {
  { ?doc ikg:mentionsDeal ?deal } UNION { ?passage ikg:mentionsDeal ?deal ; ikg:inDocument ?doc }
  ?doc a ikg:Document .
} GROUP BY ?deal
"""
_PHASES = "SELECT DISTINCT ?deal ?phase WHERE { ?deal ikg:inPhase ?phase }"
_FACTS = """
SELECT DISTINCT ?p ?o WHERE {
  $deal ?p ?o .
  FILTER (?p IN (rdf:type, skos:altLabel, ikg:theme, ikg:status, schema:startDate, ikg:inPhase,
                 ikg:partOfProgramme, rdfs:comment, dcterms:description, ikg:curated, ikg:hasPartnership))
}
"""
_REFERRED_TO = """
ASK { { ?x ikg:aboutDeal $deal } UNION { $deal ikg:hasAmbition ?x } }
"""
_PARTNERS = "SELECT DISTINCT ?partner WHERE { $deal ikg:hasPartnership ?ship . ?ship ikg:hasPartner ?partner }"
_STANCES = "SELECT DISTINCT ?who ?stance WHERE { #VALUES# ?who ikg:stakeholderStance ?stance }"
_DOCUMENT_LINKS = (
    ("about", "SELECT DISTINCT ?doc WHERE { ?doc ikg:aboutDeal $deal . ?doc a ikg:Document }"),
    ("mentions", "SELECT DISTINCT ?doc WHERE { ?doc ikg:mentionsDeal $deal . ?doc a ikg:Document }"),
    ("mentions", "SELECT DISTINCT ?doc WHERE { ?passage ikg:mentionsDeal $deal . ?passage ikg:inDocument ?doc }"),
)
_DOCUMENT_FACTS = """
SELECT ?doc ?date ?type WHERE {
  #VALUES# OPTIONAL { ?doc dcterms:date ?date } OPTIONAL { ?doc ikg:documentType ?type }
}
"""
_MEETING_FACTS = """
SELECT ?meeting ?date ?place WHERE {
  #VALUES# OPTIONAL { ?meeting schema:startDate ?date } OPTIONAL { ?meeting ikg:place ?place }
}
"""
TIMELINE_LIMITS = {"documents": 20, "meetings": 20, "lessons": 15}
"""How many of each a year of the deal page's timeline shows; the rest are a link away."""
CHAIN_CLASSES = ("Ambition", "PolicyStrategy", "Activity", "Output", "Impact")


def deal_slug(deal_iri: str) -> str:
    prefix = limits().base_iri + "deal/"
    return deal_iri[len(prefix):] if deal_iri.startswith(prefix) else ""


def deals_data() -> dict[str, Any]:
    """Every deal with its type, theme, status, phases and how much the graph holds about it."""
    return memo(("deals", language()), _deals)


def _deals() -> dict[str, Any]:
    rows: dict[str, dict[str, Any]] = {}
    for row in select(_DEALS):
        deal = value(row["deal"])
        entry = rows.setdefault(deal, {"type": value(row["type"]), "theme": [], "status": value(row["status"]),
                                       "start": value(row["start"]), "curated": value(row["curated"]) == "true"})
        if row["theme"] is not None and value(row["theme"]) not in entry["theme"]:
            entry["theme"].append(value(row["theme"]))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in select(_ABOUT_COUNTS):
        counts[value(row["deal"])][value(row["type"]).rsplit("#", 1)[-1]] = int(value(row["n"]))
    mentions = {value(r["deal"]): int(value(r["n"])) for r in select(_MENTIONS)}
    phases: dict[str, list[str]] = defaultdict(list)
    for row in select(_PHASES):
        if value(row["phase"]) not in phases[value(row["deal"])]:
            phases[value(row["deal"])].append(value(row["phase"]))
    label_of = labels([*rows, *(e["type"] for e in rows.values()), *(p for ps in phases.values() for p in ps)])
    deals = []
    for deal, entry in rows.items():
        count = counts.get(deal, {})
        slug = deal_slug(deal)
        deals.append({
            **ref(deal, label_of),
            "page": _deal_page_url(slug) if slug else browse_url(deal),
            "type": ref(entry["type"], label_of), "theme": entry["theme"], "status": entry["status"],
            "start": entry["start"], "curated": entry["curated"],
            "phases": [ref(p, label_of) for p in sorted(phases.get(deal, []))],
            "documents_about": count.get("Document", 0), "documents_mentioning": mentions.get(deal, 0),
            "lessons": count.get("Lesson", 0) + count.get("WorkingElement", 0),
            "chain_elements": sum(count.get(name, 0) for name in CHAIN_CLASSES),
        })
    deals.sort(key=lambda d: (-(d["documents_about"] + d["documents_mentioning"]), d["label"].lower()))
    return {"deals": deals, "count": len(deals)}


def _deal_page_url(slug: str) -> str:
    return url_for("deals.deal", slug=slug)


def deal_data(slug: str) -> dict[str, Any]:
    """One deal: its facts, partners, impact chain, meetings, lessons and documents over time."""
    deal_iri = limits().base_iri + "deal/" + slug
    facts: dict[str, list[Any]] = defaultdict(list)
    for row in select(_FACTS, deal=deal_iri):
        facts[value(row["p"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]].append(row["o"])
    types = [value(t) for t in facts.get("type", [])]
    if not {str(IKG.Deal), str(IKG.CityDeal), str(IKG.TownDeal)} & set(types):
        if types or not graph().query(_REFERRED_TO.replace("$deal", str(node(deal_iri)))).boolean:
            raise NotFound(f"there is no deal {slug!r} in the graph")
        types = [str(IKG.Deal)]  # referred to as a deal, not typed yet
    scope = deal_scope(deal_iri)
    partners = [value(r["partner"]) for r in select(_PARTNERS, deal=deal_iri)]
    people = scope.of_type(*(str(IKG[name]) for name in ("Stakeholder", "ScalingPartner", "Organisation", "Person")))
    stances = select_each(_STANCES, "who", people)
    documents = _deal_documents(deal_iri)
    lessons = rows_of_deal(deal_iri)
    meeting_iris = [*scope.of_type(str(IKG.Meeting)), *(row["meeting"]["iri"] for row in lessons if row["meeting"])]
    meetings = select_each(_MEETING_FACTS, "meeting", meeting_iris)
    iris = [deal_iri, *types, *partners, *(value(f) for key in ("inPhase", "partOfProgramme") for f in facts[key]),
            *people, *(value(r["stance"]) for r in stances), *documents,
            *(value(r["type"]) for rows in documents.values() for r in rows if r["type"]),
            *meeting_iris]
    label_of = labels(iris)
    chain = chain_data(scope)
    data = {
        **ref(deal_iri, label_of), "slug": slug,
        "types": [ref(t, label_of) for t in types],
        "alt_labels": sorted({value(v) for v in facts.get("altLabel", [])}),
        "themes": sorted({value(v) for v in facts.get("theme", [])}),
        "status": ", ".join(sorted({value(v) for v in facts.get("status", [])})),
        "start": min((value(v) for v in facts.get("startDate", [])), default=""),
        "description": next((value(v) for key in ("comment", "description") for v in facts.get(key, [])), ""),
        "curated": any(value(v) == "true" for v in facts.get("curated", [])),
        "phases": [ref(p, label_of) for p in sorted({value(v) for v in facts.get("inPhase", [])})],
        "programme": [ref(value(v), label_of) for v in facts.get("partOfProgramme", [])],
        "partners": [ref(p, label_of) for p in partners],
        "stakeholders": _stakeholders(scope, people, stances, label_of),
        "chain": chain,
        "meetings": _meetings(meetings, label_of),
        "lessons": lessons,
        "documents": _documents(documents, label_of),
    }
    data["timeline"] = _timeline(data)
    return data


def _stakeholders(scope: DealScope, people: list[str], stances: list[dict[str, Any]],
                  label_of: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    stance_of: dict[str, set[str]] = defaultdict(set)
    for row in stances:
        stance_of[value(row["who"])].add(value(row["stance"]))
    groups: dict[str, list[dict[str, Any]]] = {"scaling_partners": [], "stakeholders": [], "organisations": [],
                                               "people": []}
    shown: dict[tuple[str, str], dict[str, Any]] = {}
    for who in sorted(people, key=lambda iri: (label_of[iri].lower(), iri)):
        names = {cls.rsplit("#", 1)[-1] for cls in scope.types[who]}
        group = ("scaling_partners" if "ScalingPartner" in names else "stakeholders" if "Stakeholder" in names
                 else "people" if "Person" in names else "organisations")
        stances_of_who = [ref(s, label_of) for s in sorted(stance_of[who])]
        # A group a document names without a name of its own ("Opschalingspartners") is minted
        # per document: shown once, with the others linked from it.
        key = (group, label_key(label_of[who]))
        same = shown.get(key)
        if same is not None:
            same["also"].append(ref(who, label_of))
            same["stances"] += [s for s in stances_of_who if s not in same["stances"]]
            continue
        shown[key] = entry = {**ref(who, label_of), "stances": stances_of_who, "also": []}
        groups[group].append(entry)
    return groups


def _meetings(rows: list[dict[str, Any]], label_of: dict[str, str]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(value(row["meeting"]), {**ref(value(row["meeting"]), label_of), "date": value(row["date"]),
                                                "place": value(row["place"])})
    return sorted(seen.values(), key=lambda m: m["date"])


def _deal_documents(deal_iri: str) -> dict[str, list[dict[str, Any]]]:
    """Documents about or mentioning the deal, each with its facts rows and whether it is about it."""
    about: dict[str, bool] = {}
    for kind, query in _DOCUMENT_LINKS:
        for row in select(query, deal=deal_iri):
            doc = value(row["doc"])
            about[doc] = about.get(doc, False) or kind == "about"
    found: dict[str, list[dict[str, Any]]] = {doc: [] for doc in about}
    for row in select_each(_DOCUMENT_FACTS, "doc", about):
        found[value(row["doc"])].append({**row, "about": about[value(row["doc"])]})
    return found


def _documents(documents: dict[str, list[dict[str, Any]]], label_of: dict[str, str]) -> list[dict[str, Any]]:
    found = []
    for iri, rows in documents.items():
        first = rows[0] if rows else {"date": None, "type": None, "about": False}
        found.append({**ref(iri, label_of), "page": document_url(iri), "date": value(first["date"]),
                      "type": ref(value(first["type"]), label_of) if first["type"] else None,
                      "about": any(r["about"] for r in rows)})
    return sorted(found, key=lambda d: (d["date"], d["label"].lower()))


def _timeline(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Documents, meetings and lessons by year (undated ones last), a few of each shown per year."""
    years: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: {"documents": [], "meetings": [], "lessons": []})
    for key in ("documents", "meetings", "lessons"):
        for item in data[key]:
            years[item["date"][:4] or "?"][key].append(item)
    timeline = []
    for year in sorted(years, key=lambda y: (y == "?", y)):
        found = years[year]
        entry: dict[str, Any] = {"year": year}
        for key, limit in TIMELINE_LIMITS.items():
            entry[key] = found[key][:limit]
            entry[f"{key}_total"] = len(found[key])
        if year != "?":
            entry["lessons_url"] = url_for("lessons.table", deal=data["iri"], year=year)
        entry["documents_url"] = url_for("documents.index", deal=data["iri"])
        timeline.append(entry)
    return timeline
