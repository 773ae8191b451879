"""People and organisations: names, roles, affiliations, surname back-references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.annotate.cues import (
    NAME_PARTICLES,
    NAME_TOKEN,
    NOT_FIRST_NAMES,
    NOT_ORGANISATIONS,
    ORG_DESCRIPTORS,
    ORG_HEAD_WORDS,
    PARTICLE,
    PERSON_NAME,
    ROLE_SUFFIXES,
    ROLE_WORDS,
    SPEAKER_CUES,
)
from ingest.annotate.found import Agent, Evidence
from ingest.annotate.text import Sentence, fold
from ingest.annotate.world import KnownMention, World

_CAP = r"[A-ZÀ-Ý][\wÀ-ÿ-]*"
_HEAD_ORG = re.compile(
    rf"\b(?P<head>(?i:gemeente|provincie|hogeschool|rijksuniversiteit|universiteit(?:\s+van)?|"
    rf"stichting|vereniging|waterschap|GGD|GGZ)|Bureau|Buro|Studio|Fotostudio|Atelier|Instituut|"
    rf"Centrum|Platform|Fonds)\s+"
    rf"(?P<name>{_CAP}(?:\s+{_CAP})?)"
)
_PLURAL_HEAD_ORG = re.compile(
    rf"\b(?P<head>(?i:gemeenten|provincies))\s+(?P<names>{_CAP}(?:(?:,\s+|\s+en\s+){_CAP})+)"
)
_DESCRIPTOR_ORG = re.compile(
    rf"\b(?i:{'|'.join(ORG_DESCRIPTORS)})\s+(?P<name>(?:De\s+|de\s+|Het\s+)?{_CAP}"
    rf"(?:\s+{_CAP})?)"
)
_MINISTRY = re.compile(
    rf"\b(?i:ministerie|minister)\s+van\s+{_CAP}(?:\s+{_CAP})*"
    rf"(?:(?:,\s+{_CAP}(?:\s+{_CAP})*)*\s+en\s+{_CAP}(?:\s+{_CAP})*)?"
)
_SUFFIX_ORGS = (
    re.compile(rf"\b[A-Z][\wÀ-ÿ-]*(?:bond|centrum|instituut|bureau|fonds|hogeschool|universiteit|"
               rf"academie)\b"
               rf"(?:\s+(?:voor|van)(?:\s+(?:de|het))?\s+{_CAP})?"),
    re.compile(r"\bPlatform\s?\d+\b"),
    re.compile(rf"\b(?:{_CAP}\s+)?Centre(?:\s+{_CAP})?"),
    re.compile(rf"\b{_CAP}\s+(?:University|Institute|Foundation|Lab|Academy)\b"),
)
_PERSON = re.compile(PERSON_NAME)
_ROLE = "|".join([*sorted((re.escape(r) for r in ROLE_WORDS), key=len, reverse=True),
                  ROLE_SUFFIXES])
_ROLE_BEFORE = re.compile(rf"\b(?P<role>{_ROLE})\s*(?:was|is|:|\|)?\s*$", re.IGNORECASE)
_LOCAL_ROLE_BEFORE = re.compile(
    rf"\b(?P<role>wethouder|burgemeester|gedeputeerde)\s+van\s+(?P<place>{_CAP}),\s*$",
    re.IGNORECASE,
)
_ROLE_AFTER = re.compile(
    rf"^\s*,\s*(?P<role>(?:[\w-]+\s+){{0,2}}?(?:{_ROLE}))\s+(?:bij|van)\s+", re.IGNORECASE
)
_IS_ROLE_AFTER = re.compile(r"^\s+is\s+(?P<role>[\w -]{3,40}?)\s+(?:bij|van)\s+")
_AFFILIATION_AFTER = re.compile(r"^\s*(?:van|bij)\s+(?:de\s+|het\s+)?")
_CAP_RUN = re.compile(rf"^{_CAP}(?:\s+{_CAP}){{0,3}}")
_CONTEXT_BEFORE = re.compile(
    rf"\b(?:door|aldus|volgens|met|geeft|gaf|vertelt|vertelde|presenteert|opent|opende|sluit|"
    rf"spreekt|sprak|zegt|zei|presenteerde|dr\.|prof\.|ir\.|drs\.|mr\.|{_ROLE})\s*(?:was|is|:|\|)?"
    rf"\s*$",
    re.IGNORECASE,
)
_CONTEXT_AFTER = re.compile(r"^\s*(?:,\s*\w+|van\s|bij\s|:|“|\"|\()")
_BRACKET_ORG = re.compile(rf"^\s*\((?P<org>{_CAP}(?:\s+{_CAP})*)\)")
_TITLES = r"(?:(?:mr|dr|drs|prof|ir|ing|mevr|dhr)\.?\s+)*"
# 'T.J. Mulder', 'mr. A.J. (Annemiek) Schouten', 'P. van der Meulen': initials and a surname.
_INITIALS_PERSON = re.compile(
    rf"(?<![\w.])(?P<init>(?:[A-Z]\.\s?){{1,5}})\s*(?:\((?P<first>{NAME_TOKEN})\)\s*)?"
    rf"(?P<sur>(?:{PARTICLE}\s+)?{NAME_TOKEN})"
)
# 'de ministeries van VenJ, SZW, VWS en BZK': one organisation per abbreviation.
_MINISTRIES = re.compile(
    r"\bministeries\s+van\s+(?P<items>[A-Z][\w&]*(?:(?:,\s+|\s+en\s+)[A-Z][\w&]*)+)"
)
_COMPANY = re.compile(rf"\b(?P<name>{_CAP}(?:\s+{_CAP}){{0,3}})\s+(?:B\.V\.|BV|N\.V\.|NV|bv)(?![\w.])")
# A list of places after these words names the bodies that govern them as parties.
_PARTY_HEAD = re.compile(r"\b(?:gemeenten|steden|gemeentezijde|partnersteden|kennissteden)\b"
                         r"|\b(?:Steden|Gemeenten)\s*:", re.IGNORECASE)
_PLACE_PREPOSITION = re.compile(
    r"\b(?:in|uit|naar|te|rond|bij|tussen|via|door|vanuit|meer)\s+(?:onder\s+meer\s+)?$",
    re.IGNORECASE)
_LIST_GLUE = re.compile(r"^\s*(?:,\s*(?:en\s+|of\s+)?|\s+en\s+|\s+of\s+|\s*–\s*)$")
_LOCAL_ROLE_NAME_PLACE = re.compile(
    r"^\s+(?:\([^)]*\)\s+)?van\s+(?:de\s+gemeente\s+)?$", re.IGNORECASE)


@dataclass(slots=True)
class AgentIndex:
    """Every agent of a document and where each was mentioned, by (passage, sentence)."""

    agents: dict[str, Agent] = field(default_factory=dict)
    by_sentence: dict[tuple[int, int], list[tuple[Agent, int, int]]] = field(default_factory=dict)

    def people(self) -> list[Agent]:
        return [a for a in self.agents.values() if a.is_person]

    def organisations(self) -> list[Agent]:
        return [a for a in self.agents.values() if not a.is_person]

    def in_sentence(self, sentence: Sentence, people: bool | None = None) -> list[Agent]:
        found = self.by_sentence.get((sentence.passage, sentence.index), [])
        seen: list[Agent] = []
        for agent, _, _ in found:
            if (people is None or agent.is_person == people) and agent not in seen:
                seen.append(agent)
        return seen


class AgentFinder:
    """Finds people and organisations sentence by sentence, in document order.

    With a ``world`` (reference data and first names) a known place, deal, programme or
    organisation name is never a person, a person needs evidence (a known first name,
    initials, or a role or speech cue), and organisations are typed from the reference
    data: ministries by abbreviation or department name, municipalities named as parties.
    """

    def __init__(self, world: World | None = None) -> None:
        self.index = AgentIndex()
        self.world = world
        self._known: list[KnownMention] = []

    def run(self, sentences: list[Sentence]) -> AgentIndex:
        for sentence in sentences:
            self._sentence(sentence)
        return self.index

    # -- organisations ------------------------------------------------------------------------

    def _canonical(self, name: str) -> str:
        """The reference label of a known organisation ('ministerie van BZK' -> its full name)."""
        if self.world is None:
            return name
        words = [m.known for m in self.world.find(name)]
        known = self.world.folded.get(tuple(fold(w) for w in re.findall(r"[\wÀ-ÿ&’'+/.-]*[\wÀ-ÿ&+]", name)))
        if known is not None and known.kind == "organisation":
            return known.label
        if known is not None and known.kind == "place" and known.organisation:
            return known.organisation  # '(Noardeast-Fryslân)' after a name: the municipality
        if len(words) == 1 and words[0].kind == "organisation" and fold(words[0].label).endswith(
                fold(name).split(" van ")[-1]):
            return words[0].label
        return name

    def _world_spans(self, text: str) -> list[tuple[int, int, str]]:
        """Organisations the reference data knows, and municipalities named as parties."""
        spans: list[tuple[int, int, str]] = []
        if self.world is None:
            return spans
        known = self._known
        for m in known:
            if m.known.kind == "organisation":
                spans.append((m.start, m.end, m.known.label))
        places = [m for m in known if m.known.kind == "place" and m.known.organisation]
        runs: list[list[KnownMention]] = []
        for m in places:
            if runs and _LIST_GLUE.match(text[runs[-1][-1].end : m.start]):
                runs[-1].append(m)
            else:
                runs.append([m])
        for run in runs:
            head = _PARTY_HEAD.search(text[max(0, run[0].start - 40) : run[0].start])
            before = text[max(0, run[0].start - 12) : run[0].start].lower()
            if _PLACE_PREPOSITION.search(text[max(0, run[0].start - 20) : run[0].start]) and not (
                    head or re.search(r"\bgemeenten?\s+(?:de\s+)?$", before)):
                continue  # 'uit Groningen, Leiden en Tilburg': places, not parties
            subject = not text[: run[0].start].strip()
            if len(run) >= 3 or ((head or subject) and len(run) >= 2) or re.search(
                    r"\bgemeenten?\s+(?:de\s+)?$", before):
                for m in run:
                    spans.append((m.start, m.end, m.known.organisation))
        for m in _MINISTRIES.finditer(text):
            for item in re.finditer(r"[A-Z][\w&]*", m["items"]):
                name = self._canonical(f"ministerie van {item.group()}")
                if name != f"ministerie van {item.group()}":
                    start = m.start("items") + item.start()
                    spans.append((start, start + len(item.group()), name))
        return spans

    def _org_spans(self, text: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = list(self._world_spans(text))
        for m in _COMPANY.finditer(text):
            spans.append((m.start("name"), m.end("name"), m["name"]))
        for m in _MINISTRY.finditer(text):
            # The minister of X signs for the ministry of X.
            name = re.sub(r"^(?i:minister)\b(?!ie)", "ministerie", m.group())
            spans.append((m.start(), m.end(), name))
        for m in _HEAD_ORG.finditer(text):
            head = m["head"]
            name = f"{head} {m['name']}"
            if head.lower() == "gemeente" and self.world is not None:
                place = self._place_at(text, m.start("name"))
                if place is not None:
                    spans.append((m.start(), place.end, place.known.organisation
                                  or f"gemeente {place.known.label}"))
                    continue
            spans.append((m.start(), m.end(), name))
        for m in _PLURAL_HEAD_ORG.finditer(text) if self.world is None else ():
            head = "gemeente" if m["head"].lower() == "gemeenten" else "provincie"
            for name in re.finditer(_CAP, m["names"]):
                start = m.start("names") + name.start()
                spans.append((start, start + len(name.group()), f"{head} {name.group()}"))
        for m in _DESCRIPTOR_ORG.finditer(text):
            spans.append((m.start("name"), m.end("name"), m["name"]))
        for pattern in _SUFFIX_ORGS:
            for m in pattern.finditer(text):
                if re.match(r"\s+[A-Z]", text[m.end():]) and any(
                        fold(m.group()).endswith(d) for d in ORG_DESCRIPTORS):
                    continue  # 'Mobiliteitsadviesbureau Goudappel': a descriptor, then the name
                spans.append((m.start(), m.end(), m.group()))
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept: list[tuple[int, int, str]] = []
        for span in spans:
            if any(span[0] < e and s < span[1] for s, e, _ in kept):
                continue
            name = self._canonical(_clean_org(span[2]))
            if name and fold(name) not in NOT_ORGANISATIONS and not self._known_non_org(span):
                kept.append((span[0], span[1], name))
        return kept

    def _place_at(self, text: str, position: int) -> KnownMention | None:
        for m in self._known:
            if m.start == position and m.known.kind == "place":
                return m
        return None

    def _known_non_org(self, span: tuple[int, int, str]) -> bool:
        """A span that is exactly a known programme or event name ('Dag van de Stad')."""
        return any(m.known.kind == "name" and m.start <= span[0] and span[1] <= m.end
                   for m in self._known)

    # -- one sentence -------------------------------------------------------------------------

    def _sentence(self, sentence: Sentence) -> None:
        text = sentence.text
        taken: list[tuple[int, int]] = []
        self._known = self.world.find(text) if self.world is not None else []
        orgs = self._org_spans(text)
        for start, end, name in orgs:
            self._mention(self._agent(name, False, 0.85), sentence, start, end)
            taken.append((start, end))
        if self.world is not None:
            self._initials(sentence, taken, orgs)
        for m in _PERSON.finditer(text):
            found = m.group()
            overlap = [s for s, e in taken if m.start() < e and s < m.end()]
            if overlap:
                # 'Pieter Aalders van de Rijksuniversiteit …': keep what comes before the org.
                found = re.sub(rf"(?:\s+{PARTICLE})*\s*$", "", text[m.start() : min(overlap)])
                if len(found.split()) < 2:
                    continue
            start, name = _strip_leading(text, m.start(), found)
            if not name:
                continue
            words = name.split()
            if (self.world is not None and len(words) >= 3 and not self.world.is_first_name(words[0])
                    and self.world.is_first_name(words[1])):
                # 'Wijkcoördinator Esra Kaya', 'Initiatiefnemer Jesse Aarts': a title in front
                start = text.index(words[1], start)
                name = " ".join(words[1:])
            end = start + len(name)
            parts = name.split()
            if len(parts) >= 4 and parts[2] == "van":
                # 'Bram Jansen van Rijkswaterstaat': the name ends before the preposition.
                name = " ".join(parts[:2])
                end = start + len(name)
            known = self._known_surname(name)
            if known is not None:
                self._mention(known, sentence, start, end)
                taken.append((start, end))
                if fold(known.name) == fold(name):
                    self._roles(known, sentence, start, end, orgs)
                continue
            parts = name.split()
            if len(parts) < 2 or parts[-1].lower() in NAME_PARTICLES:
                continue
            if any(fold(p) in ORG_HEAD_WORDS for p in parts):
                continue
            if self.world is not None:
                if self._not_a_person(start, end, parts):
                    continue
                first = parts[0].split("-")[0]
                evidence = self.world.is_first_name(parts[0]) or self.world.is_first_name(first)
                if not evidence and not self._person_context(text, start, end) and fold(
                        name) not in self.index.agents:
                    continue
            elif not self._person_context(text, start, end) and fold(name) not in self.index.agents:
                continue
            person = self._agent(name, True, 0.85)
            self._mention(person, sentence, start, end)
            taken.append((start, end))
            self._roles(person, sentence, start, end, orgs)
        self._back_references(sentence, taken)

    def _not_a_person(self, start: int, end: int, parts: list[str]) -> bool:
        """A known place, deal, programme or organisation overlaps the name, or its words are
        not name-like ('Dag van de Stad', 'Zwolle Amersfoort', 'Team Regio')."""
        for m in self._known:
            if m.start < end and start < m.end:
                if m.start <= start or m.known.kind != "place":
                    return True
                if self.world is not None and not self.world.is_first_name(parts[0]):
                    return True
        return any(p in NOT_FIRST_NAMES for p in parts[1:]) and not (
            self.world is not None and self.world.is_first_name(parts[0]))

    def _initials(self, sentence: Sentence, taken: list[tuple[int, int]],
                  orgs: list[tuple[int, int, str]]) -> None:
        """People named by initials and surname: 'T.J. Mulder', 'A.J. (Annemiek) Schouten'."""
        text = sentence.text
        for m in _INITIALS_PERSON.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if any(k.start < m.end() and m.start() < k.end for k in self._known):
                continue
            initials = re.sub(r"\s+", "", m["init"])
            surname = m["sur"].strip()
            if surname.split()[-1] in NOT_FIRST_NAMES:
                continue
            name = f"{m['first']} {surname}" if m["first"] else f"{initials} {surname}"
            person = self._agent(name, True, 0.85)
            self._mention(person, sentence, m.start(), m.end())
            taken.append(m.span())
            self._roles(person, sentence, m.start(), m.end(), orgs)

    def _person_context(self, text: str, start: int, end: int) -> bool:
        before = text[max(0, start - 45) : start]
        after = text[end : end + 40]
        if _CONTEXT_BEFORE.search(before) or _LOCAL_ROLE_BEFORE.search(before):
            return True
        if _CONTEXT_AFTER.match(after) or _IS_ROLE_AFTER.match(after):
            return True
        return bool(SPEAKER_CUES.match(after.lstrip()))

    def _roles(
        self, person: Agent, sentence: Sentence, start: int, end: int,
        orgs: list[tuple[int, int, str]],
    ) -> None:
        text = sentence.text
        before = text[max(0, start - 45) : start]
        local = _LOCAL_ROLE_BEFORE.search(before)
        if local:
            person.add_role(local["role"].lower())
            head = "provincie" if local["role"].lower() == "gedeputeerde" else "gemeente"
            org = self._agent(f"{head} {local['place']}", False, 0.75)
            place_start = max(0, start - 45) + local.start("place")
            self._mention(org, sentence, place_start, place_start + len(local["place"]))
            person.add_affiliation(org)
        else:
            role = _ROLE_BEFORE.search(before)
            if role:
                person.add_role(_role_text(role["role"]))
        cursor = end
        after = text[cursor:]
        role_after = _ROLE_AFTER.match(after) or _IS_ROLE_AFTER.match(after)
        if role_after:
            person.add_role(_role_text(role_after["role"]))
            cursor += role_after.end()
            org_at = self._org_at(sentence, cursor, orgs)
            if org_at is not None:
                person.add_affiliation(org_at)
            return
        bracket = _BRACKET_ORG.match(after)
        if bracket:
            org = self._agent(self._canonical(_clean_org(bracket["org"])), False, 0.8)
            self._mention(org, sentence, cursor + bracket.start("org"), cursor + bracket.end("org"))
            person.add_affiliation(org)
            return
        aff = _AFFILIATION_AFTER.match(after)
        if aff:
            org_at = self._org_at(sentence, cursor + aff.end(), orgs)
            if org_at is not None:
                person.add_affiliation(org_at)

    def _org_at(
        self, sentence: Sentence, position: int, orgs: list[tuple[int, int, str]]
    ) -> Agent | None:
        """The organisation that starts at ``position`` (after 'van de', 'bij')."""
        text = sentence.text
        rest = text[position:]
        article = re.match(r"(?:de|het)\s+", rest)
        if article:
            position += article.end()
            rest = text[position:]
        for start, end, name in orgs:
            if start <= position + 1 and end > position:
                return self.index.agents.get(fold(name)) or self._agent(name, False, 0.85)
            # 'van de gemeente Utrecht': the head word sits right at the position.
            if position <= start <= position + 12 and text[position:start].strip().lower() in {
                "", "gemeente", "provincie", "zorgverzekeraar", "netbeheerder", "woningcorporatie"
            }:
                return self.index.agents.get(fold(name)) or self._agent(name, False, 0.85)
        if any(k.start == position and k.known.kind == "name" for k in self._known):
            return None  # 'projectleider van Fietsen voor Iedereen': a deal, not an employer
        place = self._place_at(text, position)
        if place is not None and place.known.organisation:
            org = self._agent(place.known.organisation, False, 0.8)
            self._mention(org, sentence, place.start, place.end)
            return org
        run = _CAP_RUN.match(rest)
        if not run:
            return None
        name = self._canonical(_clean_org(run.group()))
        parts = name.split()
        if not name or fold(name) in NOT_ORGANISATIONS or (
            len(parts) >= 2 and self._known_surname(name) is None and parts[0] not in
            NOT_FIRST_NAMES and fold(name) in self.index.agents
            and self.index.agents[fold(name)].is_person
        ):
            return None
        org = self._agent(name, False, 0.7)
        self._mention(org, sentence, position, position + len(run.group()))
        return org

    # -- surnames -------------------------------------------------------------------------------

    def _known_surname(self, name: str) -> Agent | None:
        folded = fold(name)
        for agent in self.index.people():
            if fold(agent.name) == folded or fold(agent.surname) == folded:
                return agent
        return None

    def _back_references(self, sentence: Sentence, taken: list[tuple[int, int]]) -> None:
        """'Scheidsbach' after 'Jacqueline Scheidsbach': the same person."""
        text = sentence.text
        for person in self.index.people():
            surname = person.surname
            if surname == person.name:
                continue
            variants = {surname, surname[:1].upper() + surname[1:]}
            for variant in variants:
                for m in re.finditer(rf"(?<![\w-]){re.escape(variant)}(?![\w-])", text):
                    if any(m.start() < e and s < m.end() for s, e in taken):
                        continue
                    self._mention(person, sentence, m.start(), m.end())
                    taken.append(m.span())

    # -- registry -------------------------------------------------------------------------------

    def _agent(self, name: str, is_person: bool, confidence: float) -> Agent:
        key = fold(name)
        agent = self.index.agents.get(key)
        if agent is None:
            agent = Agent(name=name, is_person=is_person, confidence=confidence)
            self.index.agents[key] = agent
        else:
            agent.confidence = max(agent.confidence, confidence)
        return agent

    def _mention(self, agent: Agent, sentence: Sentence, start: int, end: int) -> None:
        evidence = Evidence(sentence.passage, sentence.start + start, sentence.start + end)
        agent.mentions.append((sentence, evidence))
        self.index.by_sentence.setdefault((sentence.passage, sentence.index), []).append(
            (agent, start, end)
        )


def _strip_leading(text: str, start: int, name: str) -> tuple[int, str]:
    """Drop sentence starters and role words in front of a name ('Wethouder Ruud Blom')."""
    parts = name.split()
    offset = start
    role_words = {r.lower() for r in ROLE_WORDS}
    while parts and (parts[0] in NOT_FIRST_NAMES or parts[0].lower() in role_words):
        offset = text.index(parts[0], offset) + len(parts[0])
        parts = parts[1:]
        while offset < len(text) and text[offset] == " ":
            offset += 1
    if not parts:
        return start, ""
    return offset, " ".join(parts)


def _clean_org(name: str) -> str:
    name = re.sub(r"^(?:de|het)\s+(?=[A-Z])", "", name.strip(" ,.;:"))
    words = name.split()
    while words and words[-1].lower() in {"voor", "van", "en", "de", "het", "op", "in"}:
        words.pop()
    return " ".join(words)


def _role_text(role: str) -> str:
    return role if any(c.isupper() for c in role[1:]) else role.lower()

