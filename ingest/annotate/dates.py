"""Dutch date phrases ('5 maart 2024', 'eind november', 'in juni') resolved to ISO dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingest.annotate.cues import FUTURE_CUES, MONTH_NAMES, MONTHS, PAST_CUES

_MONTH_NAMES = "|".join(MONTHS)
_DAY_MONTH = re.compile(
    rf"\b(?P<day>[0-3]?\d)\s+(?P<month>{_MONTH_NAMES})\b(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_MONTH_ONLY = re.compile(
    rf"\b(?:(?P<part>begin|eind|half|medio|midden)\s+)?(?P<month>{_MONTH_NAMES})\b"
    rf"(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_NUMERIC = re.compile(r"\b(?P<day>[0-3]?\d)-(?P<month>[01]?\d)-(?P<year>(?:19|20)\d\d)\b")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in a sentence; ``iso`` is ``YYYY-MM-DD`` or ``YYYY-MM`` (month precision)."""

    start: int
    end: int
    iso: str
    text: str
    relative: bool


def parse_iso(value: str) -> date | None:
    """The date of an ISO string such as '2024-03-05' (or its first 10 characters)."""
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def find_dates(sentence: str, document_date: date | None) -> list[DateMention]:
    """Dates in one sentence; dates without a year are resolved against the document date.

    A past cue ('vorige', 'afgelopen') puts a month before the document date, a future cue
    ('volgende', 'komende') after it; with neither, the nearest of the two is taken.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    direction = _direction(sentence)
    for pattern in (_ISO, _NUMERIC):
        for m in pattern.finditer(sentence):
            iso = _iso(int(m["year"]), int(m["month"]), int(m["day"]))
            if iso:
                found.append(DateMention(m.start(), m.end(), iso, m.group(), False))
                taken.append(m.span())
    for m in _DAY_MONTH.finditer(sentence):
        if _overlaps(m.span(), taken):
            continue
        month = MONTHS[m["month"].lower()]
        year, relative = _year(m["year"], month, document_date, direction)
        iso = _iso(year, month, int(m["day"])) if year else None
        if iso:
            found.append(DateMention(m.start(), m.end(), iso, m.group(), relative))
            taken.append(m.span())
    for m in _MONTH_ONLY.finditer(sentence):
        if _overlaps(m.span(), taken):
            continue
        month = MONTHS[m["month"].lower()]
        year, relative = _year(m["year"], month, document_date, direction)
        if year and (m["year"] or m["part"] or _has_time_preposition(sentence, m.start())):
            found.append(DateMention(m.start(), m.end(), f"{year:04d}-{month:02d}", m.group(),
                                     relative))
            taken.append(m.span())
    return sorted(found, key=lambda d: d.start)


def _has_time_preposition(sentence: str, start: int) -> bool:
    before = sentence[max(0, start - 12) : start].lower().split()
    return bool(before) and before[-1] in {"in", "tot", "vanaf", "sinds", "eind", "begin"}


def _direction(sentence: str) -> int:
    lowered = sentence.lower()
    if any(re.search(rf"\b{cue}\b", lowered) for cue in PAST_CUES):
        return -1
    if any(re.search(rf"\b{cue}\b", lowered) for cue in FUTURE_CUES):
        return 1
    return 0


def _year(
    explicit: str | None, month: int, document_date: date | None, direction: int
) -> tuple[int | None, bool]:
    if explicit:
        return int(explicit), False
    if document_date is None:
        return None, True
    year = document_date.year
    if direction < 0:
        return (year if month <= document_date.month else year - 1), True
    if direction > 0:
        return (year if month >= document_date.month else year + 1), True
    past = year if month <= document_date.month else year - 1
    future = year if month >= document_date.month else year + 1
    past_gap = (document_date.month - month) % 12
    future_gap = (month - document_date.month) % 12
    return (past if past_gap <= future_gap else future), True


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def format_dutch(iso: str) -> str:
    """'2024-03-05' -> '5 maart 2024'; '2023-11' -> 'november 2023'."""
    parts = iso.split("-")
    if len(parts) == 2:
        return f"{MONTH_NAMES[int(parts[1])]} {parts[0]}"
    return f"{int(parts[2])} {MONTH_NAMES[int(parts[1])]} {parts[0]}"
