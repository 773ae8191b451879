"""Rule-based extraction of chain elements, working elements, lessons, stakeholders."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.annotate.agents import AgentIndex
from ingest.annotate.cues import (
    ACTIVITY_CUES,
    ACTIVITY_VERBS,
    AGREEMENT_HEADING,
    AMBITION_CUES,
    ANAPHORIC_START,
    ASSUMPTION_CUES,
    ASSUMPTION_STATUS,
    BACKGROUND_HEADING,
    BENEFICIARY,
    BRACKET_ANY,
    BRACKET_CLASS_WORDS,
    BRACKET_EXAMPLE,
    CLAUSE_SPLIT,
    CO_CREATION,
    DOMAIN_PREFIX,
    DOMAIN_WORDS,
    GENERIC_GROUP_HEADS,
    GROUP_PREPOSITIONS,
    IMPACT_CUES,
    IMPACT_LINE_CUES,
    IMPERATIVE_BLOCKERS,
    IMPERATIVES,
    LESSON_CUES,
    LIST_NUMBER,
    MEETING_WORDS,
    NEGATIVE_WORDS,
    NOT_A_GROUP,
    OUTPUT_CONTEXT,
    OUTPUT_HEADING,
    OUTPUT_INDICATOR,
    PHASE_CUES,
    POLICY_CUES,
    POSITIVE_WORDS,
    RESISTANCE,
    RESISTANT_GROUP,
    SCALING_CUES,
    SCALING_PARTNER,
    STANCE_LIST,
    STANCE_WORDS,
    STOPWORDS,
    WE_CONDITION,
    WE_CONTEXT,
    WE_ENUMERATION,
    WE_PREDICTS,
    WE_WORDS,
    WORKING_ELEMENT_CUES,
    Cue,
)
from ingest.annotate.found import Agent, Evidence, Finding
from ingest.annotate.quantities import (
    VAGUE_QUANTITY,
    has_participle,
    quantities_in,
    quantity_in,
)
from ingest.annotate.text import Sentence, fold, normalise_key, short_label, word_count

_PRONOUN = re.compile(r"\b(?:zijn|haar|hij|hem)\b|\bvolgens (?:hem|haar)\b", re.IGNORECASE)
_CLASS_WORD = re.compile(r"\b(output|outputs|impact|aannames?|ambitie|activiteit(?:en)?)\b",
                         re.IGNORECASE)
_LEAD_FOR_IMPERATIVE = re.compile(
    r"^(?:[“\"‘']\s*)?(?:(?:en|maar|dus|ook|daarom)\s+|ten\s+\w+\s*:\s*|tip\s*\d*\s*:\s*)*",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A rule hit before de-duplication; ``key`` overrides the label as its identity."""

    kind: str
    label: str
    confidence: float
    attrs: dict[str, object]
    key: str = ""


class ElementFinder:
    """Runs the sentence rules over a document's sentences in order."""

    def __init__(self, agents: AgentIndex, max_words: int = 12,
                 headings: Sequence[tuple[str, ...]] = ()) -> None:
        self.agents = agents
        self.headings = headings
        self._current_heading = ""
        self.max_words = max_words
        self.findings: list[Finding] = []
        self._keys: dict[tuple[str, str], Finding] = {}
        self._by_sentence: dict[tuple[int, int], list[Finding]] = {}
        self._used: set[tuple[int, int]] = set()

    # -- public -------------------------------------------------------------------------------

    def run(self, sentences: list[Sentence]) -> list[Finding]:
        for position, sentence in enumerate(sentences):
            previous = sentences[position - 1] if position else None
            self._sentence(sentence, previous)
        for position, sentence in enumerate(sentences):
            self._attach_we(sentence, sentences, position)
            self._attach_status(sentence, sentences, position)
        return self.findings

    def in_sentence(self, sentence: Sentence, kind: str | None = None) -> list[Finding]:
        found = self._by_sentence.get((sentence.passage, sentence.index), [])
        return [f for f in found if kind is None or f.kind == kind]

    def covered(self, sentence: Sentence) -> bool:
        """Whether a rule already found a chain element, lesson or working element here."""
        if (sentence.passage, sentence.index) in self._used:
            return True
        return any(f.kind not in {"stakeholder", "beneficiary_group"}
                   for f in self.in_sentence(sentence))

    # -- one sentence -------------------------------------------------------------------------

    def _sentence(self, sentence: Sentence, previous: Sentence | None) -> None:
        if sentence.index == 0:
            self._current_heading = self._heading(sentence)
        if _is_heading_line(sentence.text):
            self._current_heading = sentence.text.strip()
            return
        numbered = bool(LIST_NUMBER.match(sentence.text))
        text = LIST_NUMBER.sub("", sentence.text)
        heading = self._current_heading
        assumptions = self._apply(sentence, text, ASSUMPTION_CUES)
        self._brackets(sentence, text)
        for cues in (AMBITION_CUES, POLICY_CUES):
            self._apply(sentence, text, cues)
        is_meeting = bool(MEETING_WORDS.search(text))
        output_context = bool(OUTPUT_CONTEXT.search(text) or OUTPUT_HEADING.search(heading))
        masked = re.sub(r"\([^)]*\)", lambda m: " " * len(m.group()), text)
        background = bool(BACKGROUND_HEADING.search(heading))
        line_impacts = [] if assumptions else self._apply(
            sentence, text, IMPACT_LINE_CUES, first_only=True)
        domain = re.match(r"^(\w+)\s*:", text)
        for impact in line_impacts:
            if domain and fold(domain.group(1)) in DOMAIN_PREFIX:
                impact.attrs["domain"] = DOMAIN_PREFIX[fold(domain.group(1))]
        for clause in _clauses(masked):
            outputs = self._outputs(sentence, clause, output_context)
            if not outputs and not is_meeting:
                made = self._apply(sentence, clause, ACTIVITY_CUES, first_only=True)
                if not made:
                    for part in ([clause] if numbered else re.split(r",\s+", clause)):
                        if ACTIVITY_VERBS.search(part) or (
                                numbered and AGREEMENT_HEADING.search(heading)):
                            self._add(sentence, Candidate(
                                "activity", short_label(part, self.max_words), 0.7, {}))
                            if numbered:
                                break
            if not assumptions and not line_impacts:
                # Background sections describe the problem: only the surer impact rules there.
                cues = IMPACT_CUES if not background else tuple(
                    c for c in IMPACT_CUES if c.confidence >= 0.7)
                self._apply(sentence, clause, cues, first_only=True)
        self._apply(sentence, text, WORKING_ELEMENT_CUES, first_only=True)
        if not self._we_enumeration(sentence, text, previous):
            self._lesson(sentence, text, previous)
        self._stakeholders(sentence, text)
        self._beneficiaries(sentence, previous)

    def _heading(self, sentence: Sentence) -> str:
        if sentence.passage < len(self.headings) and self.headings[sentence.passage]:
            return self.headings[sentence.passage][-1]
        return ""

    def _we_enumeration(self, sentence: Sentence, text: str, previous: Sentence | None) -> bool:
        m = WE_ENUMERATION.search(text)
        if not m or not (WE_WORDS.search(text) or (previous and WE_WORDS.search(previous.text))):
            return False
        for item in _list_items(m["items"]):
            self._add(sentence, Candidate("working_element", short_label(item, self.max_words),
                                          0.8, {}))
        return True

    def _apply(
        self, sentence: Sentence, text: str, cues: tuple[Cue, ...], first_only: bool = False
    ) -> list[Finding]:
        made: list[Finding] = []
        for cue in cues:
            m = cue.pattern.search(text)
            if not m:
                continue
            for label in self._labels(cue, m, text):
                attrs: dict[str, object] = dict(cue.attrs)
                finding = self._add(sentence, Candidate(cue.kind, label, cue.confidence, attrs))
                if finding is not None:
                    made.append(finding)
            if made and first_only:
                break
        return made

    def _labels(self, cue: Cue, m: re.Match[str], text: str) -> list[str]:
        if cue.whole:
            # The clause the cue sits in: after a colon, semicolon or ', maar' before it.
            anchor = max(m.end() - 1, m.start())
            bounds = [b.end() for b in re.finditer(r":\s|;\s|,\s+maar\s", text) if b.end() <= anchor]
            raw = text[bounds[-1] :] if bounds else text
        else:
            raw = m.group("label")
        if cue.split_quotes:
            quoted = re.findall(r"[‘'“\"]([^’'”\"]{3,})[’'”\"]", raw)
            if quoted:
                return [short_label(q, self.max_words) for q in quoted]
        if cue.split_list:
            items = _list_items(raw)
            if len(items) > 1:
                return [short_label(i, self.max_words) for i in items]
        if cue.split_and:
            parts = re.split(r"\s+en\s+(?=(?:een|meer|minder|betere?|lagere?|hogere?)\b)", raw)
            if len(parts) > 1 and all(word_count(p) >= 2 for p in parts):
                return [short_label(p, self.max_words) for p in parts]
        return [short_label(raw, self.max_words)]

    def _add(self, sentence: Sentence, candidate: Candidate) -> Finding | None:
        if word_count(candidate.label) < 1:
            return None
        key = candidate.key or normalise_key(candidate.label)
        existing = self._keys.get((candidate.kind, key))
        if existing is not None:
            existing.confidence = max(existing.confidence, candidate.confidence)
            return None
        attrs = dict(candidate.attrs)
        self._derive_attrs(candidate.kind, candidate.label, sentence.text, attrs)
        finding = Finding(
            kind=candidate.kind,
            label=candidate.label,
            key=key,
            evidence=Evidence(sentence.passage, sentence.start, sentence.end),
            sentence=sentence,
            confidence=candidate.confidence,
            attrs=attrs,
        )
        self._keys[(candidate.kind, key)] = finding
        self._by_sentence.setdefault((sentence.passage, sentence.index), []).append(finding)
        self.findings.append(finding)
        return finding

    def _derive_attrs(self, kind: str, label: str, sentence: str, attrs: dict[str, object]
                      ) -> None:
        if kind in {"lesson", "activity"}:
            attrs.setdefault("phase", _first(PHASE_CUES, sentence) if kind == "lesson" else "")
            attrs.setdefault("scaling", _first(SCALING_CUES, sentence))
        if kind == "impact":
            if "direction" not in attrs:
                if NEGATIVE_WORDS.search(label):
                    attrs["direction"] = "direction-negative"
                elif POSITIVE_WORDS.search(label):
                    attrs["direction"] = "direction-positive"
            scores = [(len(p.findall(label)), i, name) for i, (name, p) in enumerate(DOMAIN_WORDS)]
            best = max(scores, key=lambda s: (s[0], -s[1]))
            if best[0]:
                attrs["domain"] = best[2]
        if kind == "assumption":
            attrs.setdefault("status", "assumption-untested")
        for name in [k for k, v in attrs.items() if v == ""]:
            del attrs[name]

    # -- rules that need more than one pattern ---------------------------------------------------

    def _brackets(self, sentence: Sentence, text: str) -> None:
        seen: set[int] = set()
        for m in BRACKET_EXAMPLE.finditer(text):
            kind = BRACKET_CLASS_WORDS[m["word"].lower()]
            self._bracket_finding(sentence, kind, m["label"])
            seen.add(m.start("label"))
        for m in BRACKET_ANY.finditer(text):
            if m.start("label") in seen:
                continue
            word = _CLASS_WORD.search(text, 0, m.start())
            if word:
                self._bracket_finding(sentence, BRACKET_CLASS_WORDS[word.group(1).lower()],
                                      m["label"])

    def _bracket_finding(self, sentence: Sentence, kind: str, raw: str) -> None:
        attrs: dict[str, object] = {}
        if kind == "output":
            quantity = quantity_in(raw)
            if quantity is not None:
                attrs.update(quantity[0])
        self._add(sentence, Candidate(kind, short_label(raw, self.max_words), 0.85, attrs))

    def _outputs(self, sentence: Sentence, clause: str, context: bool) -> list[Finding]:
        made: list[Finding] = []
        if context:
            for m in OUTPUT_INDICATOR.finditer(clause):
                label = short_label(f"het aantal {m['label']}", self.max_words)
                finding = self._add(sentence, Candidate("output", label, 0.8, {}))
                if finding:
                    made.append(finding)
        found = quantities_in(clause, context)
        if not found:
            vague = VAGUE_QUANTITY.search(clause)
            if not vague or not has_participle(clause[vague.end() :]):
                return made
            label = short_label(clause[vague.start() :], self.max_words)
            finding = self._add(sentence, Candidate("output", label, 0.7, {"unit": vague["unit"]}))
            return [*made, finding] if finding else made
        for attrs, start, end in found:
            label = short_label(clause[start:end], self.max_words)
            finding = self._add(sentence, Candidate("output", label, 0.85, attrs))
            if finding:
                made.append(finding)
        return made

    def _lesson(self, sentence: Sentence, text: str, previous: Sentence | None) -> None:
        if text.rstrip().endswith("?"):
            return
        best: tuple[Cue, re.Match[str]] | None = None
        for cue in LESSON_CUES:
            m = cue.pattern.search(text)
            if m and (best is None or cue.confidence > best[0].confidence):
                best = (cue, m)
        imperative = _imperative(text)
        if best is None and not imperative:
            return
        if previous is not None and previous.passage == sentence.passage and ANAPHORIC_START.match(
            text
        ):
            earlier = self.in_sentence(previous, "lesson")
            if earlier:
                lesson = earlier[0]
                lesson.evidence = Evidence(lesson.evidence.passage, lesson.evidence.start,
                                           sentence.end)
                self._by_sentence.setdefault((sentence.passage, sentence.index), []).append(
                    lesson)
                return
        if best is not None:
            cue, m = best
            labels = self._labels(cue, m, text)
            confidence = cue.confidence
        else:
            labels = [short_label(_LEAD_FOR_IMPERATIVE.sub("", text), self.max_words)]
            confidence = 0.8
        for label in labels:
            lesson = self._add(sentence, Candidate("lesson", label, confidence, {}))
            if lesson is None:
                continue
            self.given_by(lesson, sentence)

    def given_by(self, lesson: Finding, sentence: Sentence) -> None:
        """The person a lesson comes from: named in its sentence, or 'zij/hij' before it."""
        people = self.agents.in_sentence(sentence, people=True)
        if people:
            lesson.attrs["given_by"] = people[0]
            return
        if _PRONOUN.search(sentence.text):
            person = self._last_person_before(sentence)
            if person is not None:
                lesson.attrs["given_by"] = person

    def _last_person_before(self, sentence: Sentence) -> Agent | None:
        best = None
        best_position = (-1, -1)
        for (passage, index), mentions in self.agents.by_sentence.items():
            position = (passage, index)
            if not (sentence.passage - 1 <= passage <= sentence.passage):
                continue
            if position >= (sentence.passage, sentence.index) or position <= best_position:
                continue
            people = [a for a, _, _ in mentions if a.is_person]
            if people:
                best, best_position = people[-1], position
        return best

    def _stakeholders(self, sentence: Sentence, text: str) -> None:
        listed = STANCE_LIST.match(text)
        if listed and STANCE_WORDS[listed["stance"].lower()] == "stance-resistant":
            for item in _list_items(listed["items"], split_and=False):
                self._add(sentence, Candidate("stakeholder", short_label(item, 10), 0.8,
                                              {"stance": "stance-resistant"}, _head_key(item)))
            return
        resist = RESISTANCE.search(text)
        if resist:
            orgs = [a for a in self.agents.in_sentence(sentence, people=False)
                    if _mention_before(self.agents, sentence, a, resist.start(), within=25)]
            if orgs:
                self._agent_stakeholder(sentence, orgs[-1], stance="stance-resistant")
            else:
                group = _nearest_group(text, resist.start(), resist.end())
                if group:
                    words = group.split()
                    generic = any(fold(w) in GENERIC_GROUP_HEADS for w in words[:3])
                    if generic and any(f.kind == "stakeholder" and f.attrs.get("generic")
                                       for f in self.findings):
                        return
                    self._add(sentence, Candidate("stakeholder", short_label(group, 10), 0.75,
                                                  {"stance": "stance-resistant",
                                                   "generic": generic}, _head_key(group)))
        partner = SCALING_PARTNER.search(text)
        if partner:
            orgs = [a for a in self.agents.in_sentence(sentence, people=False)
                    if _mention_before(self.agents, sentence, a, partner.start(), within=60)]
            if orgs:
                self._agent_stakeholder(sentence, orgs[-1], partner=True)
            else:
                self._add(sentence, Candidate("stakeholder", "Opschalingspartners", 0.8,
                                              {"type": "ScalingPartner"}))

    def _agent_stakeholder(self, sentence: Sentence, org: Agent, stance: str = "",
                           partner: bool = False) -> None:
        if stance:
            org.stance = stance
        if partner:
            org.scaling_partner = True
        org.stance_evidence = org.stance_evidence or Evidence(sentence.passage, sentence.start,
                                                               sentence.end)

    def _beneficiaries(self, sentence: Sentence, previous: Sentence | None) -> None:
        text = sentence.text
        for m in BENEFICIARY.finditer(text):
            group = named_beneficiary_group(text, m)
            if group:
                self._add(sentence, Candidate("beneficiary_group", short_label(group, 8), 0.85,
                                              {}))
        for m in CO_CREATION.finditer(text):
            raw = m["group"] or m["subject"]
            if not raw:
                continue
            words = [w for w in re.split(r"\s+", raw.strip("‘’' ")) if w]
            if m["group"]:
                words = words[:1] if len(words) > 1 and fold(words[1]) in STOPWORDS | {
                    "kost", "is"} else words
            else:
                words = [w for w in words if fold(w) not in {"de", "het"}]
            group = " ".join(words).strip("‘’'")
            if not group or fold(group) in STOPWORDS:
                continue
            bg = self._add(sentence, Candidate("beneficiary_group", short_label(group, 6), 0.75,
                                               {}))
            target = bg or self._keys.get(("beneficiary_group", normalise_key(
                short_label(group, 6))))
            related = self.in_sentence(sentence)
            if previous is not None and previous.passage == sentence.passage and re.match(
                    r"(?:dit|dat|die)\s+co-?cre", text, re.IGNORECASE):
                related += self.in_sentence(previous)  # 'Dat co-creëren …' looks back
            for finding in related:
                if finding.kind in {"activity", "ambition"} and target is not None:
                    finding.link("coCreatedWith", target)
            if target is not None:
                target.attrs["co_created"] = True

    # -- attachments after the pass -------------------------------------------------------------

    def _attach_we(self, sentence: Sentence, sentences: list[Sentence], position: int) -> None:
        for we in self.in_sentence(sentence, "working_element"):
            text = sentence.text
            condition = WE_CONDITION.search(text)
            if condition is None:
                for offset in (-1, 1, -2, 2):
                    j = position + offset
                    if 0 <= j < len(sentences) and sentences[j].passage == sentence.passage:
                        condition = WE_CONDITION.search(sentences[j].text)
                        if condition:
                            self._used.add((sentences[j].passage, sentences[j].index))
                            break
            if condition:
                we.attrs["condition"] = short_label(condition["cond"], 16)
            context = WE_CONTEXT.search(text)
            if context is None:
                for other in sentences:
                    if other.passage == sentence.passage:
                        context = WE_CONTEXT.search(other.text)
                        if context and context["case"]:
                            break
                        context = None
            if context:
                we.attrs["context"] = short_label(context["ctx"] or context["case"], 12)
            impacts = self.in_sentence(sentence, "impact")
            if impacts:
                we.link("predictsImpact", impacts[0])
                continue
            predicts = WE_PREDICTS.search(text)
            raw = (predicts["pred"] or predicts["after"]) if predicts else None
            if raw:
                impact = self._add(sentence, Candidate("impact", short_label(raw, self.max_words),
                                                       0.7, {}))
                impact = impact or self._keys.get(("impact", normalise_key(
                    short_label(raw, self.max_words))))
                if impact is not None:
                    we.link("predictsImpact", impact)

    def _attach_status(self, sentence: Sentence, sentences: list[Sentence], position: int
                       ) -> None:
        for assumption in self.in_sentence(sentence, "assumption"):
            tail = sentence.text
            nxt = sentences[position + 1] if position + 1 < len(sentences) else None
            if nxt is not None and nxt.passage == sentence.passage:
                tail += " " + nxt.text
            status = _first(ASSUMPTION_STATUS, tail)
            if not status and re.search(r"\bnog niet (?:gemeten|getest|onderzocht|aangetoond)\b",
                                        tail):
                status = "assumption-untested"
            if status:
                assumption.attrs["status"] = status


# -- helpers ------------------------------------------------------------------------------------


def _clauses(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for m in CLAUSE_SPLIT.finditer(text):
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def _first(table: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> str:
    for name, pattern in table:
        if pattern.search(text):
            return name
    return ""


def _imperative(text: str) -> bool:
    """An advice in the imperative: a full sentence (headings, captions and buttons have no
    closing punctuation) that starts with an imperative verb."""
    if not text.rstrip(" ”\"’'").endswith((".", "!")):
        return False
    stripped = _LEAD_FOR_IMPERATIVE.sub("", text.strip())
    words = stripped.split()
    if len(words) < 3:
        return False
    first = fold(words[0].strip(",:;“”\"‘’'"))
    second = fold(words[1].strip(",:;“”\"‘’'"))
    if first == "begin" and second in {"van", "de", "het"}:
        return False
    return first in IMPERATIVES and second not in IMPERATIVE_BLOCKERS


def _mention_before(index: AgentIndex, sentence: Sentence, agent: Agent, position: int,
                    within: int = 1_000) -> bool:
    """Whether the agent is named before ``position`` and at most ``within`` characters from it."""
    for other, _, end in index.by_sentence.get((sentence.passage, sentence.index), []):
        if other is agent and end <= position and position - end <= within:
            return True
    return False


def _is_heading_line(text: str) -> bool:
    """A section heading inside a passage: a short line with no closing punctuation."""
    stripped = text.strip()
    return (bool(stripped) and stripped[0].isupper() and word_count(stripped) <= 10
            and not stripped.endswith((".", "!", "?", ":", ";", ",", "”", "\"", "’"))
            and not LIST_NUMBER.match(stripped) and "|" not in stripped)


def _head_key(group: str) -> str:
    """Groups with the same head noun ('opleidingen die …') are one stakeholder per document."""
    for word in group.split():
        folded = fold(word.strip(",.;:"))
        if folded not in STOPWORDS and folded not in {"enkele", "sommige", "alle", "veel",
                                                      "andere", "een", "aantal"}:
            return f"group {folded}"
    return ""


def _list_items(text: str, split_and: bool = True) -> list[str]:
    """'X, Y en Z' -> ['X', 'Y', 'Z'] (also 'X, Y, en Z')."""
    pattern = r",\s+(?:en\s+|of\s+)?|\s+en\s+(?![A-Z])" if split_and else r",\s+(?:en\s+|of\s+)?"
    return [p.strip(" .;:") for p in re.split(pattern, text) if word_count(p) >= 1]


def _nearest_group(text: str, start: int, end: int) -> str:
    best = ""
    best_distance = 10_000
    for m in RESISTANT_GROUP.finditer(text):
        if text[max(0, m.start() - 3) : m.start()] == "te " or m.start() >= start:
            continue
        distance = 0 if m.end() >= start else start - m.end()
        if distance < best_distance and distance <= 40:
            best, best_distance = m["label"], distance
    words = best.split()
    if words and fold(words[0]) in {"deze", "die", "dit", "zij", "ze", "hun"}:
        return ""  # points back to a group named before
    while words and fold(words[0]) in {"de", "het", "een", "ook", "voor", "aantal", "zeker"}:
        words = words[1:]
    return " ".join(words)


def named_beneficiary_group(text: str, match: re.Match[str]) -> str:
    """The group a BENEFICIARY match names, 'Profijtgroep' for the bare role, or ''.

    'De profijtgroep bestaat uit X' and 'een eigen doelgroep: X' name X; in 'co-creëren met de
    profijtgroep is deel van …' the cue is a preposition's object, so only the role is named;
    'de doelgroepen zijn breed' names nobody.
    """
    role = "Profijtgroep" if fold(match.group(0)).startswith("profijtgroep") else ""
    if match["target"] is None:
        return role
    before = text[:match.start()].split()[-2:]
    if before and fold(before[0]) in GROUP_PREPOSITIONS:
        return role
    group = match["target"].strip()
    first = fold(group.split()[0]) if group.split() else ""
    return "" if not first or first in STOPWORDS or first in NOT_A_GROUP else group
