"""Lessons learned and working elements across all deals: one filterable table with exports.

The whole table is built once per generation (and language) and filtered in memory, so a
filter, a page or an export costs no query.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from flask import url_for

from webapp.context import memo
from webapp.data.graph import browse_url, document_url, labels, ref, select, value
from webapp.errors import BadRequest
from webapp.i18n import language, t
from webapp.links import local_name

PAGE_SIZE = 50
KINDS = {"lesson": "https://w3id.org/impactkg/def#Lesson",
         "working_element": "https://w3id.org/impactkg/def#WorkingElement"}
FILTERS = ("kind", "deal", "phase", "scaling", "theme", "year")
CSV_COLUMNS = ("kind", "label", "deals", "phases", "scaling", "themes", "date", "meeting", "given_by",
               "condition", "quote", "passage", "document", "document_title", "iri")

_ROWS = """
SELECT ?item ?kind ?deal ?docDeal ?phase ?scaling ?meeting ?meetingDate ?passage ?doc ?docDate ?quote
       ?givenBy ?condition WHERE {
  VALUES ?kind { ikg:Lesson ikg:WorkingElement }
  ?item a ?kind .
  OPTIONAL { ?item ikg:aboutDeal ?deal }
  OPTIONAL { ?item ikg:inPhase ?phase }
  OPTIONAL { ?item ikg:scalingType ?scaling }
  OPTIONAL { ?item ikg:learnedAt ?meeting OPTIONAL { ?meeting schema:startDate ?meetingDate } }
  OPTIONAL { ?item ikg:supportedBy ?passage . ?passage ikg:inDocument ?doc .
             OPTIONAL { ?doc dcterms:date ?docDate } OPTIONAL { ?doc ikg:aboutDeal ?docDeal } }
  OPTIONAL { ?item ikg:quote ?quote }
  OPTIONAL { ?item ikg:givenBy ?givenBy }
  OPTIONAL { ?item ikg:condition ?condition }
}
"""
_THEMES = "SELECT ?deal ?theme WHERE { ?deal ikg:theme ?theme }"


@dataclass(frozen=True, slots=True)
class LessonArgs:
    """The table's state from the URL: one value per filter (empty: all), and the page."""

    kind: str = ""
    deal: str = ""
    phase: str = ""
    scaling: str = ""
    theme: str = ""
    year: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, args: Mapping[str, Any]) -> LessonArgs:
        values = {name: (args.get(name) or "").strip()[:300] for name in FILTERS}
        if values["kind"] and values["kind"] not in KINDS:
            raise BadRequest(f"kind must be one of {', '.join(KINDS)}")
        if values["year"] and not (values["year"].isdigit() and len(values["year"]) == 4):
            raise BadRequest("year must be four digits")
        raw_page = args.get("page") or "1"
        if not raw_page.isdigit() or int(raw_page) < 1:
            raise BadRequest(f"page must be a whole number from 1, not {raw_page[:20]!r}")
        return cls(**values, page=int(raw_page))

    def params(self, **changes: Any) -> dict[str, Any]:
        state = replace(self, **changes)
        params: dict[str, Any] = {name: getattr(state, name) for name in FILTERS if getattr(state, name)}
        if state.page > 1:
            params["page"] = state.page
        return params


def all_rows() -> list[dict[str, Any]]:
    """Every lesson and working element with its deals, phases, scaling, themes, date and evidence."""
    return memo(("lesson-rows", language()), _build_rows)


def rows_of_deal(deal_iri: str) -> list[dict[str, Any]]:
    """The table's rows about one deal (an index built once per generation)."""
    return memo(("lesson-rows-by-deal", language()), _index_by_deal).get(deal_iri, [])


def _index_by_deal() -> dict[str, list[dict[str, Any]]]:
    index: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in all_rows():
        for deal in row["deals"]:
            index[deal["iri"]].append(row)
    return dict(index)


def _build_rows() -> list[dict[str, Any]]:
    themes: dict[str, set[str]] = defaultdict(set)
    for row in select(_THEMES):
        themes[value(row["deal"])].add(value(row["theme"]))
    items: dict[str, dict[str, Any]] = {}
    for row in select(_ROWS):
        iri = value(row["item"])
        item = items.setdefault(iri, {"kind": value(row["kind"]), "deals": set(), "doc_deals": set(),
                                      "phases": set(), "scaling": set(), "dates": set(), "meeting": "",
                                      "passage": "", "doc": "", "quote": "", "given_by": set(),
                                      "condition": ""})
        for key, var in (("deals", "deal"), ("doc_deals", "docDeal"), ("phases", "phase"),
                         ("scaling", "scaling"), ("given_by", "givenBy")):
            if row[var] is not None:
                item[key].add(value(row[var]))
        for key, var in (("meeting", "meeting"), ("passage", "passage"), ("doc", "doc"), ("quote", "quote"),
                         ("condition", "condition")):
            if row[var] is not None and not item[key]:
                item[key] = value(row[var])
        date = value(row["meetingDate"]) or value(row["docDate"])
        if date:
            item["dates"].add(date)
    all_iris = [*items]
    for item in items.values():
        all_iris += [*item["deals"], *item["doc_deals"], *item["phases"], *item["scaling"], *item["given_by"],
                     item["kind"]] + [iri for iri in (item["meeting"], item["doc"]) if iri]
    label_of = labels(all_iris)
    rows = []
    for iri, item in items.items():
        deals = sorted(item["deals"] or item["doc_deals"], key=lambda d: label_of[d].lower())
        date = min(item["dates"]) if item["dates"] else ""
        kind = next(name for name, cls in KINDS.items() if cls == item["kind"])
        rows.append({
            **ref(iri, label_of), "kind": kind, "kind_label": label_of[item["kind"]],
            "deals": [ref(d, label_of) for d in deals],
            "phases": [ref(p, label_of) for p in sorted(item["phases"])],
            "scaling": [ref(s, label_of) for s in sorted(item["scaling"])],
            "themes": sorted({theme for d in deals for theme in themes.get(d, ())}),
            "date": date, "year": date[:4],
            "meeting": ref(item["meeting"], label_of) if item["meeting"] else None,
            "given_by": [ref(p, label_of) for p in sorted(item["given_by"])],
            "condition": item["condition"],
            "evidence": {"quote": item["quote"], "passage": item["passage"],
                         "document": ref(item["doc"], label_of) if item["doc"] else None,
                         "url": _evidence_url(item["doc"], item["passage"])},
        })
    rows.sort(key=lambda r: (r["date"] == "", r["date"], r["label"].lower()))
    return rows


def _evidence_url(document: str, passage: str) -> str:
    """The document page scrolled to the passage (where the quote is marked)."""
    if not document:
        return browse_url(passage) if passage else ""
    return document_url(document) + (f"#{local_name(passage)}" if passage else "")


def _matches(row: dict[str, Any], args: LessonArgs) -> bool:
    return ((not args.kind or row["kind"] == args.kind)
            and (not args.deal or args.deal in {d["iri"] for d in row["deals"]})
            and (not args.phase or args.phase in {p["iri"] for p in row["phases"]})
            and (not args.scaling or args.scaling in {s["iri"] for s in row["scaling"]})
            and (not args.theme or args.theme in row["themes"])
            and (not args.year or row["year"] == args.year))


def filtered_rows(args: LessonArgs) -> list[dict[str, Any]]:
    return [row for row in all_rows() if _matches(row, args)]


def lessons_data(args: LessonArgs) -> dict[str, Any]:
    """One page of the filtered table, the filter choices with counts, and export links."""
    rows = filtered_rows(args)
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    if args.page > pages:
        raise BadRequest(f"there are only {pages} pages")
    return {
        "filters": {name: getattr(args, name) for name in FILTERS},
        "total": len(rows), "page": args.page, "pages": pages, "page_size": PAGE_SIZE,
        "rows": rows[(args.page - 1) * PAGE_SIZE: args.page * PAGE_SIZE],
        "choices": _choices(),
        "pagination": {
            "previous": url_for("lessons.table", **args.params(page=args.page - 1)) if args.page > 1 else None,
            "next": url_for("lessons.table", **args.params(page=args.page + 1)) if args.page < pages else None,
            "pages": [{"number": n, "url": url_for("lessons.table", **args.params(page=n)), "current": n == args.page}
                      for n in range(max(1, args.page - 2), min(pages, args.page + 2) + 1)],
        },
        "exports": {"csv": url_for("api.lessons_csv", **args.params(page=1), lang=None),
                    "json": url_for("api.lessons", **args.params(page=1), lang=None)},
    }


def csv_rows(args: LessonArgs) -> list[list[str]]:
    return [[row["kind"], row["label"], " | ".join(d["label"] for d in row["deals"]),
             " | ".join(p["label"] for p in row["phases"]), " | ".join(s["label"] for s in row["scaling"]),
             " | ".join(row["themes"]), row["date"], row["meeting"]["label"] if row["meeting"] else "",
             " | ".join(p["label"] for p in row["given_by"]), row["condition"], row["evidence"]["quote"],
             row["evidence"]["passage"], row["evidence"]["document"]["iri"] if row["evidence"]["document"] else "",
             row["evidence"]["document"]["label"] if row["evidence"]["document"] else "", row["iri"]]
            for row in filtered_rows(args)]


def _choices() -> dict[str, list[dict[str, Any]]]:
    return memo(("lesson-choices", language()), _build_choices)


def _build_choices() -> dict[str, list[dict[str, Any]]]:
    rows = all_rows()
    kinds = Counter(row["kind"] for row in rows)
    counted: dict[str, Counter[str]] = {name: Counter() for name in ("deal", "phase", "scaling", "theme", "year")}
    label_of: dict[str, str] = {}
    for row in rows:
        for key, refs_key in (("deal", "deals"), ("phase", "phases"), ("scaling", "scaling")):
            for item in row[refs_key]:
                counted[key][item["iri"]] += 1
                label_of[item["iri"]] = item["label"]
        for theme in row["themes"]:
            counted["theme"][theme] += 1
        if row["year"]:
            counted["year"][row["year"]] += 1
    kind_labels = {"lesson": t("geleerde les", "lesson learned"), "working_element": t("werkzaam element",
                                                                                         "working element")}
    choices = {"kind": [{"value": k, "label": kind_labels[k], "count": kinds[k]} for k in KINDS if kinds[k]]}
    for key, counter in counted.items():
        ordered = (sorted(counter.items(), reverse=True) if key == "year"
                   else sorted(counter.items(), key=lambda item: label_of.get(item[0], item[0]).lower()))
        choices[key] = [{"value": v, "label": label_of.get(v, v), "count": n} for v, n in ordered]
    return choices
