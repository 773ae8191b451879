"""The search page: hits with marked words, facets with counts, modes, pages, why each hit."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import url_for
from werkzeug.datastructures import MultiDict

from search import MODES, SearchFilters, SearchHit, highlight_html
from webapp.context import limits, resources
from webapp.data.facets import SEARCH_FACETS, compact, expand
from webapp.data.graph import browse_url, document_url, labels, ref
from webapp.errors import BadRequest, Unavailable
from webapp.guard import check_text_length
from webapp.i18n import t

FACET_VALUES_SHOWN = 12
_FILTER_FIELDS = {"deal": "deals", "doc_type": "doc_types", "stage": "stages", "phase": "phases",
                  "site": "sites"}


def facet_titles() -> dict[str, str]:
    return {
        "deal": t("Deal", "Deal"), "doc_type": t("Soort document", "Document type"),
        "stage": t("Schakel in de keten", "Chain stage"), "phase": t("Fase", "Phase"),
        "year": t("Jaar", "Year"), "site": t("Website of map", "Site or folder"),
    }


@dataclass(frozen=True, slots=True)
class SearchArgs:
    """The state of a search page, all of it from the URL."""

    q: str = ""
    mode: str = "hybrid"
    selected: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(facet, values as the URL carries them) for each facet with a choice."""
    page: int = 1

    @classmethod
    def from_query(cls, args: Mapping[str, Any], *, question: bool = False) -> SearchArgs:
        """The state from the URL; ``question``: ``q`` is a question (its own length limit)."""
        multi = args if isinstance(args, MultiDict) else MultiDict(args)
        q = (multi.get("q") or "").strip()
        caps = limits().requests
        if question:
            check_text_length(q, caps.max_question_chars, "question", "ask_max_question_chars")
        else:
            check_text_length(q, caps.max_search_chars, "search text", "search_max_query_chars")
        mode = multi.get("mode") or "hybrid"
        if mode not in MODES:
            raise BadRequest(f"mode must be one of {', '.join(MODES)}, not {mode[:20]!r}")
        selected = []
        for facet in SEARCH_FACETS:
            values = tuple(dict.fromkeys(v.strip() for v in multi.getlist(facet) if v.strip()))
            if facet == "year" and len(values) > 1:
                raise BadRequest("choose one year at a time")
            if values:
                selected.append((facet, values))
        return cls(q=q, mode=mode, selected=tuple(selected), page=_page_number(multi.get("page")))

    def values(self, facet: str) -> tuple[str, ...]:
        return dict(self.selected).get(facet, ())

    def without(self, facet: str) -> SearchArgs:
        return replace(self, selected=tuple(item for item in self.selected if item[0] != facet), page=1)

    def toggled(self, facet: str, value: str) -> SearchArgs:
        current = self.values(facet)
        if value in current:
            chosen = tuple(v for v in current if v != value)
        else:
            chosen = (value,) if facet == "year" else (*current, value)
        rest = [item for item in self.selected if item[0] != facet]
        if chosen:
            rest.append((facet, chosen))
        order = {name: index for index, name in enumerate(SEARCH_FACETS)}
        return replace(self, selected=tuple(sorted(rest, key=lambda item: order[item[0]])), page=1)

    def url_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"q": self.q}
        if self.mode != "hybrid":
            params["mode"] = self.mode
        for facet, values in self.selected:
            params[facet] = list(values)
        if self.page > 1:
            params["page"] = self.page
        return params

    def url(self) -> str:
        return url_for("search.page", **self.url_params())


def _page_number(raw: str | None) -> int:
    if not raw:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        raise BadRequest(f"page must be a whole number from 1, not {raw[:20]!r}")
    return int(raw)


def filters_of(args: SearchArgs, base_iri: str) -> SearchFilters:
    values: dict[str, Any] = {}
    for facet, chosen in args.selected:
        expanded = tuple(expand(facet, value, base_iri) for value in chosen)
        if facet == "year":
            values["date_from"] = values["date_to"] = expanded[0]
        else:
            values[_FILTER_FIELDS[facet]] = expanded
    return SearchFilters(**values)


def facet_value(hit: SearchHit, facet: str) -> tuple[str, ...]:
    if facet == "year":
        return (hit.date[:4],) if len(hit.date) >= 4 else ()
    return tuple(hit.facets.get(facet, ()))


def search_data(args: SearchArgs) -> dict[str, Any]:
    """Up to ``max_results`` hits for the query, one page of them shown, facets counted over all."""
    index = resources().search
    if index is None:
        raise Unavailable("this generation has no search index yet; run `impactkg ingest` first")
    base_iri = limits().base_iri
    page_size = limits().search_default_k
    data: dict[str, Any] = {
        "query": args.q, "mode": args.mode, "modes": list(MODES), "page": args.page,
        "page_size": page_size, "total": 0, "capped": False, "hits": [], "facets": [],
        "selected": [], "pages": 0,
    }
    if not args.q:
        return data
    depth = index.options.max_results
    # Up to ``depth`` hits to count facets over; only the shown page is marked up.
    hits = index.search(args.q, mode=args.mode, filters=filters_of(args, base_iri), k=depth, highlight=False)
    counts: dict[str, Counter[str]] = {}
    for facet in SEARCH_FACETS:
        # A facet with a choice counts its values as if it had none, so the other values
        # show how many hits choosing them (as an alternative) would add.
        pool = hits
        if args.values(facet):
            pool = index.search(args.q, mode=args.mode, filters=filters_of(args.without(facet), base_iri),
                                k=depth, highlight=False)
        counts[facet] = Counter(value for hit in pool for value in facet_value(hit, facet))
    pages = max(1, math.ceil(len(hits) / page_size))
    if args.page > pages and hits:
        raise BadRequest(f"there are only {pages} pages of results")
    shown = hits[(args.page - 1) * page_size: args.page * page_size]
    label_of = labels(_iris_to_label(shown, counts, args, base_iri))
    data.update(
        total=len(hits), capped=len(hits) >= depth, pages=pages,
        hits=[_hit(hit, label_of, args.q) for hit in shown],
        facets=_facets(args, counts, label_of, base_iri),
        selected=[
            {"facet": facet, "value": value, "label": _facet_label(facet, expand(facet, value, base_iri),
                                                                   label_of),
             "remove_url": args.toggled(facet, value).url()}
            for facet, values in args.selected for value in values
        ],
        pagination=_pagination(args, pages),
        mode_urls={mode: replace(args, mode=mode, page=1).url() for mode in MODES},
    )
    return data


def _iris_to_label(shown: list[SearchHit], counts: dict[str, Counter[str]], args: SearchArgs,
                   base_iri: str) -> list[str]:
    iris = [deal for hit in shown for deal in hit.deals]
    for facet, counter in counts.items():
        if facet not in ("site", "year"):
            iris.extend(counter)
    for facet, values in args.selected:
        if facet not in ("site", "year"):
            iris.extend(expand(facet, value, base_iri) for value in values)
    return iris


def _facet_label(facet: str, stored: str, label_of: dict[str, str]) -> str:
    if facet == "site" and stored.startswith("file://"):  # a local folder: its name, not its path
        return f"{t('map', 'folder')} {PurePosixPath(unquote(urlsplit(stored).path)).name}"
    return stored if facet in ("site", "year") else label_of.get(stored, stored)


def _facets(args: SearchArgs, counts: dict[str, Counter[str]], label_of: dict[str, str],
            base_iri: str) -> list[dict[str, Any]]:
    titles = facet_titles()
    facets = []
    for facet in SEARCH_FACETS:
        chosen = set(args.values(facet))
        ordered = (sorted(counts[facet].items(), reverse=True) if facet == "year"
                   else counts[facet].most_common())
        values = []
        for stored, count in ordered:
            short = compact(facet, stored, base_iri)
            if len(values) >= FACET_VALUES_SHOWN and short not in chosen:
                continue
            values.append({"value": short, "label": _facet_label(facet, stored, label_of), "count": count,
                           "selected": short in chosen, "url": args.toggled(facet, short).url()})
        if values:
            facets.append({"facet": facet, "title": titles[facet], "values": values,
                           "more": max(0, len(ordered) - len(values))})
    return facets


def _hit(hit: SearchHit, label_of: dict[str, str], query: str) -> dict[str, Any]:
    return {
        "rank": hit.rank,
        "passage": {"iri": hit.passage_iri, "url": browse_url(hit.passage_iri)},
        "document": {"iri": hit.document_iri, "title": hit.document_title or hit.document_iri,
                     "url": document_url(hit.document_iri), "source": hit.document_url},
        "date": hit.document_date,
        "deals": [ref(deal, label_of) for deal in hit.deals],
        "heading_path": list(hit.heading_path),
        "text": hit.text,
        "highlighted": hit.highlighted or highlight_html(hit.text, query),
        "why": {"fused_score": round(hit.fused_score, 5), "keyword_rank": hit.keyword_rank,
                "keyword_score": _rounded(hit.keyword_score), "vector_rank": hit.vector_rank,
                "vector_score": _rounded(hit.vector_score)},
    }


def _rounded(score: float | None) -> float | None:
    return None if score is None else round(score, 4)


def _pagination(args: SearchArgs, pages: int) -> dict[str, Any]:
    def at(number: int) -> str:
        return replace(args, page=number).url()

    window = range(max(1, args.page - 2), min(pages, args.page + 2) + 1)
    return {
        "previous": at(args.page - 1) if args.page > 1 else None,
        "next": at(args.page + 1) if args.page < pages else None,
        "pages": [{"number": n, "url": at(n), "current": n == args.page} for n in window],
    }
