"""Facet filters over passage metadata, applied before the top-k cut.

Facets come from ``PassageRecord.facets``: ``deal``, ``doc_type``, ``stage``,
``phase``, ``site`` (several values each) and ``date``. Within one facet the
values are alternatives (OR); different facets must all hold (AND). A date range
is inclusive and works on ISO prefixes: ``date_to="2023"`` keeps all of 2023.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np

from search.errors import BadSearchRequest

FACET_NAMES = ("deal", "doc_type", "stage", "phase", "site")
ABOUT = "about"
"""The deals a passage's document is about (not only mentions): what ranking boosts for a
question that names a deal. Not a filter."""
_FILTER_FIELDS = {
    "deal": "deals",
    "doc_type": "doc_types",
    "stage": "stages",
    "phase": "phases",
    "site": "sites",
}
_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE_CEILING = "\uffff"
_EMPTY_IDS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Which passages a search may return; empty fields do not filter."""

    deals: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name.startswith("date_"):
                if value and not _ISO_PREFIX.match(value):
                    raise BadSearchRequest(
                        f"{field.name} must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}"
                    )
            elif isinstance(value, str):
                # A lone string would otherwise be read as a tuple of characters.
                object.__setattr__(self, field.name, (value,) if value else ())
            else:
                object.__setattr__(self, field.name, tuple(v for v in value if v))
        if self.date_from and self.date_to and self.date_from > self.date_to + _DATE_CEILING:
            raise BadSearchRequest(f"date_from {self.date_from} is after date_to {self.date_to}")

    @property
    def is_empty(self) -> bool:
        return not (self.facet_items() or self.date_from or self.date_to)

    def facet_items(self) -> list[tuple[str, tuple[str, ...]]]:
        """(facet name, allowed values) for each facet this filter constrains."""
        items = []
        for facet, field_name in _FILTER_FIELDS.items():
            values = getattr(self, field_name)
            if values:
                items.append((facet, values))
        return items


def passage_date(facets: Mapping[str, Sequence[str] | str], document_date: str = "") -> str:
    """The date a passage is filtered on: its ``date`` facet, else its document's date."""
    value = facets.get("date", ())
    if isinstance(value, str):
        return value or document_date
    return next((v for v in value if v), document_date)


def _date_in_range(date: str, date_from: str, date_to: str) -> bool:
    if not (date_from or date_to):
        return True
    if not date:
        return False
    return (not date_from or date >= date_from) and (not date_to or date <= date_to + _DATE_CEILING)


def matches(filters: SearchFilters, facets: Mapping[str, Sequence[str] | str], date: str = "") -> bool:
    """Whether one passage with these facet values and date passes the filter."""
    for facet, allowed in filters.facet_items():
        values = facets.get(facet, ())
        values = (values,) if isinstance(values, str) else values
        if not set(values) & set(allowed):
            return False
    return _date_in_range(date, filters.date_from, filters.date_to)


class FacetIndex:
    """Posting lists (facet, value) -> sorted passage ids, and each passage's date."""

    def __init__(self, rows: Iterable[tuple[int, Mapping[str, Sequence[str] | str], str]]):
        postings: dict[tuple[str, str], list[int]] = {}
        ids: list[int] = []
        dates: list[str] = []
        self._about: dict[int, tuple[str, ...]] = {}
        for passage_id, facets, date in rows:
            ids.append(passage_id)
            dates.append(date)
            about = facets.get(ABOUT, ())
            about = (about,) if isinstance(about, str) else tuple(v for v in about if v)
            if about:
                self._about[passage_id] = about
            for facet in FACET_NAMES:
                values = facets.get(facet, ())
                for value in (values,) if isinstance(values, str) else values:
                    if value:
                        postings.setdefault((facet, value), []).append(passage_id)
        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        self.ids = np.asarray(ids, dtype=np.int64)[order]
        self.dates = np.asarray(dates, dtype=str)[order] if dates else np.zeros(0, dtype="U10")
        self._postings = {
            key: np.unique(np.asarray(value, dtype=np.int64)) for key, value in postings.items()
        }

    def __len__(self) -> int:
        return len(self.ids)

    def values(self, facet: str) -> dict[str, int]:
        """Each value of a facet and how many passages carry it."""
        return {value: len(found) for (name, value), found in self._postings.items() if name == facet}

    def about(self, passage_id: int) -> tuple[str, ...]:
        """The deals the passage's document is about (empty when none is known)."""
        return self._about.get(passage_id, ())

    def allowed_ids(self, filters: SearchFilters | None) -> np.ndarray | None:
        """Sorted ids of the passages the filter lets through, or None when it filters nothing."""
        if filters is None or filters.is_empty:
            return None
        allowed: np.ndarray | None = None
        for facet, values in filters.facet_items():
            lists = [self._postings.get((facet, value), _EMPTY_IDS) for value in values]
            union = np.unique(np.concatenate(lists)) if len(lists) > 1 else lists[0]
            allowed = union if allowed is None else np.intersect1d(allowed, union, True)
        if filters.date_from or filters.date_to:
            keep = self.dates != ""
            if filters.date_from:
                keep &= self.dates >= filters.date_from
            if filters.date_to:
                keep &= self.dates <= filters.date_to + _DATE_CEILING
            dated = self.ids[keep]
            allowed = dated if allowed is None else np.intersect1d(allowed, dated, True)
        assert allowed is not None
        return allowed


__all__ = ["ABOUT", "FACET_NAMES", "FacetIndex", "SearchFilters", "matches", "passage_date"]
