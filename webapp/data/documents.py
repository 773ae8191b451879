"""Documents: a list with type, date, deals and source, and each document's passages with
what was extracted from them."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from flask import url_for

from kg.namespaces import IKG
from webapp.context import limits, memo
from webapp.data.evidence import Quote, marked_html, quote_span
from webapp.data.graph import browse_url, labels, ref, select, value
from webapp.errors import BadRequest, NotFound
from webapp.i18n import language, t
from webapp.links import local_name

PAGE_SIZE = 50
SKIPPED_TYPES = {str(IKG.Extraction), str(IKG.Passage), "http://www.w3.org/ns/prov#Entity"}
# A resource typed with both shows as the more specific one.
MORE_SPECIFIC = {str(IKG.CoPMeeting): str(IKG.Meeting), str(IKG.ScalingPartner): str(IKG.Stakeholder)}

_DOCUMENTS = """
SELECT ?doc ?title ?date ?type ?source ?url ?site WHERE {
  ?doc a ikg:Document .
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc dcterms:date ?date }
  OPTIONAL { ?doc ikg:documentType ?type }
  OPTIONAL { ?doc prov:hadPrimarySource ?source }
  OPTIONAL { ?doc schema:url ?url }
  OPTIONAL { ?doc ikg:sourceSite ?site }
}
"""
_DOCUMENT_DEALS = """
SELECT DISTINCT ?doc ?deal ?about WHERE {
  { ?doc ikg:aboutDeal ?deal BIND(true AS ?about) } UNION { ?doc ikg:mentionsDeal ?deal BIND(false AS ?about) }
  ?doc a ikg:Document .
}
"""
_PASSAGE_COUNTS = "SELECT ?doc (COUNT(?p) AS ?n) WHERE { ?p ikg:inDocument ?doc } GROUP BY ?doc"
_DOCUMENT_FACTS = "SELECT DISTINCT ?p ?o WHERE { $doc ?p ?o }"
_PASSAGES = """
SELECT ?passage ?position ?text ?heading ?x ?type ?quote ?start ?end WHERE {
  ?passage ikg:inDocument $doc ; ikg:text ?text .
  OPTIONAL { ?passage ikg:position ?position }
  OPTIONAL { ?passage ikg:headingPath ?heading }
  OPTIONAL {
    ?x ikg:supportedBy ?passage ; a ?type .
    OPTIONAL { ?x ikg:quote ?quote } OPTIONAL { ?x ikg:quoteStart ?start } OPTIONAL { ?x ikg:quoteEnd ?end }
  }
}
"""


@dataclass(frozen=True, slots=True)
class DocumentArgs:
    doc_type: str = ""
    deal: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, args: Mapping[str, Any]) -> DocumentArgs:
        raw_page = args.get("page") or "1"
        if not raw_page.isdigit() or int(raw_page) < 1:
            raise BadRequest(f"page must be a whole number from 1, not {raw_page[:20]!r}")
        return cls(doc_type=(args.get("doc_type") or "").strip()[:300], deal=(args.get("deal") or "").strip()[:300],
                   page=int(raw_page))

    def params(self, **changes: Any) -> dict[str, Any]:
        state = replace(self, **changes)
        params: dict[str, Any] = {k: getattr(state, k) for k in ("doc_type", "deal") if getattr(state, k)}
        if state.page > 1:
            params["page"] = state.page
        return params


def document_key(document_iri: str) -> str:
    prefix = limits().base_iri + "doc/"
    return document_iri[len(prefix):] if document_iri.startswith(prefix) else ""


def all_documents() -> list[dict[str, Any]]:
    return memo(("documents", language()), _build_documents)


def _build_documents() -> list[dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for row in select(_DOCUMENTS):
        iri = value(row["doc"])
        docs.setdefault(iri, {"title": value(row["title"]), "date": value(row["date"]), "type": value(row["type"]),
                              "source": value(row["url"]) or value(row["source"]), "site": value(row["site"])})
    deals: dict[str, dict[str, bool]] = defaultdict(dict)
    for row in select(_DOCUMENT_DEALS):
        about = value(row["about"]) == "true"
        deals[value(row["doc"])][value(row["deal"])] = deals[value(row["doc"])].get(value(row["deal"]), False) or about
    passages = {value(r["doc"]): int(value(r["n"])) for r in select(_PASSAGE_COUNTS)}
    label_of = labels([*docs, *(d["type"] for d in docs.values() if d["type"]),
                       *(deal for found in deals.values() for deal in found)])
    rows = []
    for iri, doc in docs.items():
        key = document_key(iri)
        rows.append({
            **ref(iri, label_of), "title": doc["title"] or label_of[iri],
            "page": url_for("documents.document", key=key) if key else browse_url(iri),
            "date": doc["date"], "type": ref(doc["type"], label_of) if doc["type"] else None,
            "source": doc["source"], "source_is_web": doc["source"].startswith(("http://", "https://")),
            "site": doc["site"], "passages": passages.get(iri, 0),
            "deals": [{**ref(deal, label_of), "about": about}
                      for deal, about in sorted(deals.get(iri, {}).items(), key=lambda item: (not item[1], item[0]))],
        })
    rows.sort(key=lambda r: (r["date"] == "", r["date"]), reverse=True)
    return rows


def documents_data(args: DocumentArgs) -> dict[str, Any]:
    rows = all_documents()
    types = Counter(r["type"]["iri"] for r in rows if r["type"])
    type_labels = {r["type"]["iri"]: r["type"]["label"] for r in rows if r["type"]}
    deals = Counter(d["iri"] for r in rows for d in r["deals"])
    deal_labels = {d["iri"]: d["label"] for r in rows for d in r["deals"]}
    chosen = [r for r in rows
              if (not args.doc_type or (r["type"] and r["type"]["iri"] == args.doc_type))
              and (not args.deal or args.deal in {d["iri"] for d in r["deals"]})]
    pages = max(1, math.ceil(len(chosen) / PAGE_SIZE))
    if args.page > pages:
        raise BadRequest(f"there are only {pages} pages")
    return {
        "filters": {"doc_type": args.doc_type, "deal": args.deal},
        "total": len(chosen), "page": args.page, "pages": pages,
        "documents": chosen[(args.page - 1) * PAGE_SIZE: args.page * PAGE_SIZE],
        "choices": {
            "doc_type": [{"value": v, "label": type_labels[v], "count": n} for v, n in types.most_common()],
            "deal": [{"value": v, "label": deal_labels[v], "count": n}
                     for v, n in sorted(deals.items(), key=lambda item: deal_labels[item[0]].lower())],
        },
        "pagination": {
            "previous": url_for("documents.index", **args.params(page=args.page - 1)) if args.page > 1 else None,
            "next": url_for("documents.index", **args.params(page=args.page + 1)) if args.page < pages else None,
            "pages": [{"number": n, "url": url_for("documents.index", **args.params(page=n)), "current": n == args.page}
                      for n in range(max(1, args.page - 2), min(pages, args.page + 2) + 1)],
        },
    }


def document_data(key: str) -> dict[str, Any]:
    """One document: its facts, and each passage with the resources extracted from it marked."""
    iri = limits().base_iri + "doc/" + key
    facts = select(_DOCUMENT_FACTS, doc=iri)
    if not any(value(r["p"]).endswith("#type") and value(r["o"]) == str(IKG.Document) for r in facts):
        raise NotFound(f"there is no document {key!r} in the graph")
    listed = next((row for row in all_documents() if row["iri"] == iri), None)
    passages: dict[str, dict[str, Any]] = {}
    extracted: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in select(_PASSAGES, doc=iri):
        passage = value(row["passage"])
        passages.setdefault(passage, {
            "text": value(row["text"]),
            "position": int(value(row["position"])) if row["position"] is not None else None,
            "heading_path": value(row["heading"]).split(" > ") if row["heading"] is not None else []})
        if row["x"] is None or value(row["type"]) in SKIPPED_TYPES:
            continue
        item = extracted[passage].setdefault(value(row["x"]), {"types": set(), "quote": None})
        item["types"].add(value(row["type"]))
        if row["quote"] is not None and item["quote"] is None:
            start, end = value(row["start"]), value(row["end"])
            item["quote"] = Quote(value(row["quote"]), int(start) if start.isdigit() else None,
                                  int(end) if end.isdigit() else None)
    label_of = labels([iri, *(x for found in extracted.values() for x in found),
                       *(ty for found in extracted.values() for item in found.values() for ty in item["types"])])
    shown = []
    for number, (passage, info) in enumerate(sorted(passages.items(), key=lambda item: item[1]["position"] or 0)):
        items, spans, ids = [], [], []
        for x, item in sorted(extracted[passage].items(), key=lambda e: label_of[e[0]].lower()):
            kind = _specific_type(item["types"])
            span = quote_span(info["text"], item["quote"]) if item["quote"] else None
            mark_id = f"m{number}-{len(items)}" if span else ""
            if span:
                spans.append(span)
                ids.append(mark_id)
            items.append({**ref(x, label_of), "type": ref(kind, label_of), "mark": mark_id,
                          "quote": item["quote"].text if item["quote"] else ""})
        shown.append({"iri": passage, "url": browse_url(passage), "anchor": local_name(passage), **info,
                      "html": marked_html(info["text"], spans, ids), "extracted": items})
    return {
        **ref(iri, label_of), "key": key, "listed": listed,
        "facts": _facts(facts),
        "passages": shown,
        "extracted_count": sum(len(p["extracted"]) for p in shown),
    }


def _specific_type(types: set[str]) -> str:
    for specific in MORE_SPECIFIC:
        if specific in types:
            return specific
    return sorted(types)[0]


FACT_NAMES = {
    "title": ("titel", "title"), "date": ("datum", "date"), "language": ("taal", "language"),
    "url": ("webadres", "URL"), "hadPrimarySource": ("bron", "source"), "sourceSite": ("website", "site"),
    "generatedAtTime": ("ingelezen", "ingested"), "extractorVersion": ("versie van de verwerking", "extractor version"),
    "contentHash": ("inhoudshash", "content hash"),
}


def _facts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    facts = []
    for row in rows:
        name = value(row["p"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if name in FACT_NAMES:
            facts.append({"property": name, "label": t(*FACT_NAMES[name]), "value": value(row["o"])})
    order = list(FACT_NAMES)
    return sorted(facts, key=lambda f: order.index(f["property"]))
