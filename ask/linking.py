"""Finding what a question names: catalog names (longest first), dates and years, and capitalised
names the graph does not know (which the evidence must then contain)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from ask.catalog import Entity, EntityCatalog, Name
from ask.lexicon import COMMON_CAPITALISED
from ask.text import Word, fold, words

_MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10,
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})\s+)?(?P<month>{_MONTH_NAMES})\s+(?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?P<iso>(?:19|20)\d\d-\d\d(?:-\d\d)?)\b"
    rf"|\b(?P<year_only>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_PARTICLES = frozenset({"de", "van", "der", "den", "ten", "ter", "te", "het", "du", "la", "le", "von"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the question linked to an entity (``question[start:end] == text``)."""

    text: str
    start: int
    end: int
    entity: Entity

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end, "iri": self.entity.iri,
                "type": self.entity.type, "label": self.entity.label}


def _written_as_name(name: Name, written: tuple[Word, ...]) -> bool:
    """Surnames and acronyms link only when written as names ("Vos", "ICE"; not "vos", "ice")."""
    if not name.needs_capital:
        return True
    last = written[-1].text
    if len(name.words) == 1 and len(last) <= 5 and name.words[0].upper() == last.upper():
        return last.isupper() or last[:1].isupper()
    return last[:1].isupper()


def link(question: str, catalog: EntityCatalog) -> list[Mention]:
    """Entities named in the question, left to right; a longer name wins over a shorter one."""
    found = words(question)
    mentions: list[Mention] = []
    position = 0
    while position < len(found):
        best: list[Name] = []
        for name in catalog.candidates(found[position].folded):
            size = len(name.words)
            if best and size < len(best[0].words):
                break
            written = found[position:position + size]
            if (len(written) == size and tuple(w.folded for w in written) == name.words
                    and _written_as_name(name, written)):
                if best and name.priority < best[0].priority:
                    continue
                if best and name.priority > best[0].priority:
                    best = []
                if all(other.entity != name.entity for other in best):
                    best.append(name)
        if not best:
            position += 1
            continue
        size = len(best[0].words)
        start, end = found[position].start, found[position + size - 1].end
        mentions += [Mention(question[start:end], start, end, name.entity) for name in best]
        position += size
    return mentions + _dates(question, mentions)


def _dates(question: str, taken: list[Mention]) -> list[Mention]:
    """Dates ("5 maart 2024" -> 2024-03-05, "maart 2024" -> 2024-03) and years."""
    mentions = []
    for match in _DATE.finditer(question):
        if any(m.start < match.end() and match.start() < m.end for m in taken):
            continue
        if match.group("year_only"):
            value, type_name = match.group("year_only"), "Year"
        elif match.group("iso"):
            value, type_name = match.group("iso"), "Date"
        else:
            value = f"{match.group('year')}-{_MONTHS[match.group('month').lower()]:02d}"
            if match.group("day"):
                value += f"-{int(match.group('day')):02d}"
            type_name = "Date"
        entity = Entity("", type_name, value, ox.Literal(value))
        mentions.append(Mention(match.group(), match.start(), match.end(), entity))
    return mentions


def unknown_names(question: str, mentions: list[Mention]) -> list[str]:
    """Capitalised names in the question that no mention covers ("Tour de France", "Maastricht").

    The first word is skipped (every question starts with a capital), and so are the
    programme's own capitalised words ("City Deal", "CoP") and nationalities.
    """
    covered = [(m.start, m.end) for m in mentions]
    found = words(question)
    names: list[list[Word]] = []
    current: list[Word] = []
    for index, word in enumerate(found):
        inside = any(start <= word.start < end for start, end in covered)
        is_name = (index > 0 and not inside and word.text[:1].isupper()
                   and word.folded not in COMMON_CAPITALISED and not word.text.isdigit())
        if is_name or (current and word.folded in _PARTICLES and not inside):
            current.append(word)
        else:
            if current:
                names.append(current)
            current = []
    if current:
        names.append(current)
    result = []
    for name in names:
        while name and name[-1].folded in _PARTICLES:
            name = name[:-1]
        if name:
            result.append(question[name[0].start:name[-1].end])
    return result


def mentioned_in(text: str, name: str) -> bool:
    """Whether a name occurs in a text as whole words (folded: case and accents ignored)."""
    folded_name = fold(name)
    if not folded_name.strip():
        return False
    pattern = r"(?<![^\W_])" + re.escape(folded_name) + r"(?![^\W_])"
    return re.search(pattern, fold(text)) is not None


__all__ = ["Mention", "link", "mentioned_in", "unknown_names"]
