"""Dutch date phrases ('5 maart 2024', 'eind november', 'in juni') resolved to ISO dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.annotate.cues import FUTURE_CUES, MONTH_NAMES, MONTHS, PAST_CUES

_MONTH_NAMES = "|".join(MONTHS)
_DAY_MONTH = re.compile(
    rf"\b(?:(?P<first>[0-3]?\d)\s*(?:en|-|–|t/m|tot en met)\s*)?"
    rf"(?P<day>[0-3]?\d)\s+(?P<month>{_MONTH_NAMES})\b(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_MONTH_ONLY = re.compile(
    rf"\b(?:(?P<part>begin|eind|half|medio|midden)\s+)?(?P<month>{_MONTH_NAMES})\b"
    rf"(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_WEEKDAYS = {"maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4,
             "zaterdag": 5, "zondag": 6}
_DAY_NAMES = "|".join(_WEEKDAYS)
_WEEK_DAY = re.compile(
    rf"\b(?P<rel>vorige|afgelopen|volgende|komende|aanstaande)\s+week\s+(?P<day>{_DAY_NAMES})",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    rf"\b(?:(?P<rel>afgelopen|vorige|komende|aanstaande|volgende)\s+)?(?P<day>{_DAY_NAMES})"
    rf"(?:avond|middag|ochtend)?\b(?!\s+(?:[0-3]?\d\b|de\s+\d))",
    re.IGNORECASE,
)
_DAY_WORDS = re.compile(r"\b(?P<word>eergisteren|gisteren|vandaag|vanavond|vanmiddag|morgen|"
                        r"overmorgen)\b", re.IGNORECASE)
_DAY_OFFSETS = {"eergisteren": -2, "gisteren": -1, "vandaag": 0, "vanavond": 0, "vanmiddag": 0,
                "morgen": 1, "overmorgen": 2}
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


_EARLIEST, _LATEST = date(1000, 1, 1), date(9000, 12, 31)


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
    if document_date is not None and not _EARLIEST <= document_date <= _LATEST:
        document_date = None  # a date this far off is a metadata error, not a point to count from
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
        iso = _iso(year, month, int(m["first"] or m["day"])) if year else None  # a range: its start
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
    if document_date is not None:
        found += _relative_days(sentence, document_date, direction, taken)
    return sorted(found, key=lambda d: d.start)


def _relative_days(sentence: str, document_date: date, direction: int,
                   taken: list[tuple[int, int]]) -> list[DateMention]:
    """'afgelopen dinsdag', 'volgende week woensdag', 'donderdag', 'gisteren', 'morgen'.

    A weekday without a cue is the last one before the document date when the sentence
    speaks of the past or of nothing (news reports on what happened), else the next one.
    """
    out: list[DateMention] = []
    for m in _WEEK_DAY.finditer(sentence):
        if _overlaps(m.span(), taken):
            continue
        monday = document_date - timedelta(days=document_date.weekday())
        weeks = -1 if m["rel"].lower() in {"vorige", "afgelopen"} else 1
        when = monday + timedelta(weeks=weeks, days=_WEEKDAYS[m["day"].lower()])
        out.append(DateMention(m.start(), m.end(), when.isoformat(), m.group(), True))
        taken.append(m.span())
    for m in _WEEKDAY.finditer(sentence):
        if _overlaps(m.span(), taken):
            continue
        rel = (m["rel"] or "").lower()
        ahead = rel in {"komende", "aanstaande", "volgende"} or (not rel and direction > 0)
        day = _WEEKDAYS[m["day"].lower()]
        if ahead:
            when = document_date + timedelta(days=(day - document_date.weekday()) % 7 or 7)
        else:
            when = document_date - timedelta(days=(document_date.weekday() - day) % 7 or 7)
        out.append(DateMention(m.start(), m.end(), when.isoformat(), m.group(), True))
        taken.append(m.span())
    for m in _DAY_WORDS.finditer(sentence):
        if _overlaps(m.span(), taken):
            continue
        when = document_date + timedelta(days=_DAY_OFFSETS[m["word"].lower()])
        out.append(DateMention(m.start(), m.end(), when.isoformat(), m.group(), True))
    return out


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
