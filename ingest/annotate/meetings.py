"""Meetings: CoP meetings and other gatherings, with date, place, host, chair, speakers, topics."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ingest.annotate.agents import AgentIndex
from ingest.annotate.cues import (
    CHAIR_CUES,
    CHAIR_ROLES,
    COP_WORDS,
    HOST_CUES,
    MEETING_PLACE,
    MEETING_TOPIC,
    MEETING_WORDS,
    MONTHS,
    PLACE_ROW,
    SPEAKER_CUES,
)
from ingest.annotate.dates import find_dates, format_dutch, parse_iso
from ingest.annotate.found import Agent, Evidence, Finding
from ingest.annotate.text import Sentence
from ingest.annotate.world import World

# A report is about a meeting held up to this many days before the report's date.
REPORT_WINDOW_DAYS = 21


@dataclass(slots=True)
class MeetingIndex:
    """The meetings of a document; ``main`` is the one the document reports on, if any."""

    meetings: list[Finding] = field(default_factory=list)
    main: Finding | None = None
    chairs: dict[int, list[Agent]] = field(default_factory=dict)
    hosts: dict[int, list[Agent]] = field(default_factory=dict)
    speakers: dict[int, list[Agent]] = field(default_factory=dict)
    topics: dict[int, list[str]] = field(default_factory=dict)


def find_meetings(
    sentences: list[Sentence],
    agents: AgentIndex,
    document_date: date | None,
    headings: list[str],
    deal_names: dict[tuple[int, int], list[str]],
    title: str = "",
    world: World | None = None,
) -> MeetingIndex:
    """Meetings named with a date, and who chaired, hosted and spoke at them.

    A report whose title names a meeting ('Verslag werksessie …') is about a meeting even
    when no sentence says so: its first date (a 'Datum |' row, say) and place make it.
    """
    index = MeetingIndex()
    last: Finding | None = None
    chair_candidates: list[tuple[int, Agent, Finding | None]] = []
    for position, sentence in enumerate(sentences):
        meeting = _meeting(sentence, document_date, deal_names.get(
            (sentence.passage, sentence.index), []), world)
        if meeting is not None:
            existing = next((m for m in index.meetings if m.key == meeting.key), None)
            if existing is None:
                index.meetings.append(meeting)
                last = meeting
            else:
                last = existing
        for person in agents.in_sentence(sentence, people=True):
            if any(r.lower() in CHAIR_ROLES for r in person.roles) and _chair_here(sentence):
                chair_candidates.append((position, person, last))
        if last is None:
            continue
        mentions = agents.by_sentence.get((sentence.passage, sentence.index), [])
        for cue in HOST_CUES.finditer(sentence.text):
            for agent, start, _ in mentions:
                if not agent.is_person and cue.end() <= start <= cue.end() + 50:
                    _add(index.hosts, id(last), agent)
                    break
        for cue in CHAIR_CUES.finditer(sentence.text):
            for agent, start, _ in mentions:
                if agent.is_person and cue.end() <= start <= cue.end() + 60:
                    _add(index.chairs, id(last), agent)
                    break
    index.main = _main_meeting(index.meetings, document_date)
    if index.main is None and MEETING_WORDS.search(title):
        index.main = _meeting_from_title(title, sentences, document_date, world)
        if index.main is not None and not any(m.key == index.main.key for m in index.meetings):
            index.meetings.insert(0, index.main)
    if index.main is not None and COP_WORDS.search(title):
        index.main.attrs["cop"] = True  # 'Verslag CoP …': the meeting it reports on is a CoP
    for _, person, before in chair_candidates:
        target = index.main or before
        if target is not None:
            _add(index.chairs, id(target), person)
    if index.main is not None:
        main_slot = id(index.main)
        chairs = {id(a) for agents_ in index.chairs.values() for a in agents_}
        for sentence in sentences:
            if not SPEAKER_CUES.search(sentence.text):
                continue
            for person in agents.in_sentence(sentence, people=True):
                if id(person) not in chairs:
                    _add(index.speakers, main_slot, person)
        topics = index.topics.setdefault(main_slot, [])
        for heading in headings:
            if heading not in topics:
                topics.append(heading)
    for meeting in index.meetings:
        topic = MEETING_TOPIC.search(meeting.sentence.text[meeting.evidence.start
                                                           - meeting.sentence.start:])
        if topic and not any(ch.isdigit() for ch in topic["topic"]):
            index.topics.setdefault(id(meeting), []).insert(0, topic["topic"].strip())
    return index


def _meeting_from_title(title: str, sentences: list[Sentence], document_date: date | None,
                        world: World | None = None) -> Finding | None:
    """The meeting a report's title names, dated by the first date near the top."""
    for sentence in sentences[:8]:
        dates = find_dates(sentence.text, document_date)
        if not dates:
            continue
        when = dates[0]
        place = ""
        for other in sentences[:8]:
            row = PLACE_ROW.match(other.text)
            if row:
                place = row["place"].split(",")[-1].strip()
                break
        place = place or _place(sentence.text, world) or _place(title, world)
        kind = (MEETING_WORDS.search(title)["kind"] or "bijeenkomst").capitalize()
        label = f"{kind}, {format_dutch(when.iso)}" + (f", {place}" if place else "")
        return Finding(
            kind="meeting", label=label, key=f"meeting {when.iso}",
            evidence=Evidence(sentence.passage, sentence.start, sentence.end), sentence=sentence,
            confidence=0.8, attrs={"date": when.iso, "place": place, "cop": bool(
                COP_WORDS.search(title))},
        )
    return None


def _chair_here(sentence: Sentence) -> bool:
    lowered = sentence.text.lower()
    return any(role in lowered for role in CHAIR_ROLES)


def _place(text: str, world: World | None) -> str:
    """Where a meeting is: a known place after 'in'/'te' or at the end ('…, Utrecht'), else
    the first known place in the sentence; without reference data, a capitalised word after
    'in'/'te'."""
    if world is None:
        for m in MEETING_PLACE.finditer(text):
            if m["place"].lower() not in MONTHS and not m["place"].startswith(("City", "Town")):
                return m["place"]
        return ""
    known = world.find(text)
    places = [m for m in known if m.known.kind == "place"]
    for m in MEETING_PLACE.finditer(text):
        # A village or a city abroad that the reference data does not list ('in Dokkum').
        if (m["place"].lower() not in MONTHS and not m["place"].startswith(("City", "Town"))
                and not any(k.start <= m.start("place") < k.end for k in known)):
            return m["place"]
        if any(k.start == m.start("place") and k.known.kind == "place" for k in known):
            break
    for m in places:
        before = text[max(0, m.start - 25) : m.start].lower()
        if re.search(r"\b(?:in|te|naar)\s+(?:(?:het|de)\s+[^,.;]{0,20}\s+(?:in|van|te)\s+)?$",
                     before) or not text[m.end :].strip(" .;)"):
            return text[m.start : m.end]
    return text[places[0].start : places[0].end] if places else ""


def _meeting(sentence: Sentence, document_date: date | None, deals: list[str],
             world: World | None = None) -> Finding | None:
    words = MEETING_WORDS.search(sentence.text)
    if not words:
        return None
    dates = [d for d in find_dates(sentence.text, document_date) if _plausible(d.iso,
                                                                                document_date)]
    if not dates:
        return None
    when = dates[0]
    is_cop = bool(COP_WORDS.search(sentence.text))
    if words["sign"] and not words["kind"] and not deals:
        return None  # 'werden gesloten' without a deal: not a signing
    kind = "Community of Practice" if is_cop else (
        words["kind"].strip()[:1].upper() + words["kind"].strip()[1:]
        if words["kind"] and not words["kind"].lower().startswith("cop") else
        ("Ondertekening" if words["sign"] else "Bijeenkomst")
    )
    place = _place(sentence.text, world)
    deal = f" {deals[0]}" if deals else ""
    label = f"{kind}{deal}, {format_dutch(when.iso)}" + (f", {place}" if place else "")
    return Finding(
        kind="meeting",
        label=label,
        key=f"{'cop' if is_cop else 'meeting'} {when.iso}",
        evidence=Evidence(sentence.passage, sentence.start, sentence.end),
        sentence=sentence,
        confidence=0.9 if not when.relative else 0.8,
        attrs={"date": when.iso, "place": place, "cop": is_cop},
    )


def _plausible(iso: str, document_date: date | None) -> bool:
    """A meeting date within two years of the document (not 'in 2030')."""
    if document_date is None:
        return True
    year = int(iso[:4])
    return abs(year - document_date.year) <= 2


def _main_meeting(meetings: list[Finding], document_date: date | None) -> Finding | None:
    if document_date is None:
        return None
    for meeting in meetings:
        iso = str(meeting.attrs["date"])
        when = parse_iso(iso) if len(iso) == 10 else None
        if when is not None and 0 <= (document_date - when).days <= REPORT_WINDOW_DAYS:
            return meeting
    return None


def _add(table: dict[int, list[Agent]], slot: int, agent: Agent) -> None:
    items = table.setdefault(slot, [])
    if all(a is not agent for a in items):
        items.append(agent)
