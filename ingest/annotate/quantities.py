"""Counted results in Dutch clauses: '350 huurwoningen geïsoleerd', '320 volwassenen rondden …'."""

from __future__ import annotations

import re

from ingest.annotate.cues import NON_OUTPUT_UNITS, NUMBER_WORDS, OUTPUT_VERBS, STOPWORDS
from ingest.annotate.text import fold

QUANTITY = re.compile(
    r"(?P<pre>\b(?:ruim|bijna|circa|ongeveer|meer dan|zo'n|ca\.)\s+)?"
    r"(?P<num>\b\d{1,3}(?:[.\s]\d{3})+\b|\b\d+(?:,\d+)?\b|\b(?:"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")\b)\s+(?P<unit>[a-zà-ÿ][\w-]*(?:\s+[a-zà-ÿ][\w-]*)?)",
    re.IGNORECASE,
)
PARTICIPLE = re.compile(
    r"^(?:(?:af|uit|in|op|aan|door|mee|toe|over|bij|vast|samen|terug|weg|voor|na|om)?ge\w{2,}"
    r"(?<!hei)(?:d|t)|(?:be|ver|ont|her|er)\w{2,}(?<!hei)(?:d|t)|(?:\w+)?(?:gesloten|gedaan|"
    r"gegeven|gekregen|gelopen|gezien|gevonden|gekozen|geschreven|gebleven|gegaan|gekomen|"
    r"geweest|ontvangen|bezocht|getroffen|geholpen|gebouwd|opgeleid))$"
)
AUX = re.compile(r"\b(?:hebben|heeft|zijn|is|werden|waren|werd|had|hadden)\b", re.IGNORECASE)
VAGUE_QUANTITY = re.compile(r"\b(?P<num>zoveel|zo veel)\s+(?P<unit>[a-zà-ÿ]+)\s+"
                            r"(?:hebben|zijn)\b", re.IGNORECASE)


def number_value(raw: str) -> float | None:
    """'1.200' -> 1200, '1,5' -> 1.5, 'negen' -> 9."""
    word = NUMBER_WORDS.get(raw.lower())
    if word is not None:
        return float(word)
    compact = re.sub(r"[.\s](?=\d{3}\b)", "", raw).replace(",", ".")
    try:
        return float(compact)
    except ValueError:
        return None


def has_participle(text: str) -> bool:
    """Whether a word of the text is a past participle ('geïsoleerd', 'afgerond', 'gesloten')."""
    return any(PARTICIPLE.match(fold(w.strip(".,;:!?()“”\"'"))) for w in text.split())


def quantity_in(clause: str) -> tuple[dict[str, object], int] | None:
    """The counted result in a clause (strict: a perfect tense or a past-tense result verb)."""
    found = quantities_in(clause, False)
    return (found[0][0], found[0][1]) if found else None


def quantities_in(clause: str, context: bool) -> list[tuple[dict[str, object], int, int]]:
    """Counted results in a clause: (quantity and unit, label start, label end).

    Strict: the clause reports a result (a perfect tense with a participle, or a past-tense
    result verb) and the quantity nearest the verb is taken. In an output context (the word
    'output', an 'Output' section) a bare list of counts is enough, and every count counts.
    """
    if re.search(r"\b(?:wordt|worden|zal|zullen|gaat|gaan)\b", clause, re.IGNORECASE):
        return []
    candidates: list[tuple[dict[str, object], int, int]] = []
    for m in QUANTITY.finditer(clause):
        raw = m["num"]
        if re.fullmatch(r"(?:19|20)\d\d", raw):
            continue
        kept: list[str] = []
        for word in m["unit"].split():
            folded = fold(word)
            if folded in STOPWORDS or PARTICIPLE.match(folded) or OUTPUT_VERBS.fullmatch(folded):
                break
            kept.append(word)
        if not kept or fold(kept[0]) in NON_OUTPUT_UNITS or fold(kept[-1]) in NON_OUTPUT_UNITS:
            continue
        value = number_value(raw)
        if value is None:
            continue
        quantity = int(value) if value.is_integer() else value
        candidates.append(({"quantity": quantity, "unit": " ".join(kept)}, m.start(),
                           m.start("unit") + len(" ".join(kept))))
    if not candidates:
        return []
    aux = AUX.search(clause)
    verb = OUTPUT_VERBS.search(clause)
    anchor = None
    if aux is not None and has_participle(clause):
        anchor = aux.start()
    elif verb is not None:
        anchor = verb.start()
    if anchor is not None:
        if len(candidates) > 1 and re.match(r"\s*(?:in|via|rond|bij|op|na|voor|uit|met|over)\b",
                                            clause, re.IGNORECASE):
            # 'In de drie wijken zijn 350 woningen …': the fronted place is not what was counted.
            after = [c for c in candidates if c[1] > anchor]
            candidates = after or candidates
        best = min(candidates, key=lambda c: anchor - c[2] if c[2] <= anchor else c[1] - anchor)
        return [(best[0], best[1], len(clause))]
    if not context:
        return []
    ends = [c[1] for c in candidates[1:]] + [len(clause)]
    return [(attrs, start, end) for (attrs, start, _), end in zip(candidates, ends, strict=True)]
