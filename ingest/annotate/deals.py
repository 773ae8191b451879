"""Deals: the curated reference list, and finding deals in text by name and variant."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ingest.annotate.cues import DEAL_MENTION, DEAL_NAME_CONNECTORS, DEAL_NAME_STOP
from ingest.annotate.text import fold, tokens
from kg.namespaces import IKG


@dataclass(frozen=True, slots=True)
class KnownDeal:
    """A curated deal: its IRI, every label people use for it, and whether it is a Town Deal."""

    iri: str
    labels: tuple[str, ...]
    is_town_deal: bool = False

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class DealMention:
    """A deal named in a sentence: a known deal, or a new name (``known`` is None)."""

    start: int
    end: int
    name: str
    known: KnownDeal | None
    is_town_deal: bool
    confidence: float


def load_known_deals(source: Graph | str | Path | Iterable[str | Path]) -> tuple[KnownDeal, ...]:
    """The curated deals in a Turtle file (or files, or a graph): City Deals and Town Deals.

    Labels come from ``skos:prefLabel`` first, then ``skos:altLabel`` and ``rdfs:label``.
    """
    if isinstance(source, Graph):
        graph = source
    else:
        paths = [source] if isinstance(source, str | Path) else list(source)
        graph = Graph()
        for path in paths:
            graph.parse(str(path), format="turtle")
    deals: dict[str, KnownDeal] = {}
    for cls, town in ((IKG.CityDeal, False), (IKG.TownDeal, True), (IKG.Deal, False)):
        for subject in graph.subjects(RDF.type, cls):
            if not isinstance(subject, URIRef) or str(subject) in deals:
                continue
            labels: list[str] = []
            for prop in (SKOS.prefLabel, SKOS.altLabel, RDFS.label):
                for value in sorted(str(v) for v in graph.objects(subject, prop)):
                    if value not in labels:
                        labels.append(value)
            if labels:
                deals[str(subject)] = KnownDeal(str(subject), tuple(labels), town)
    return tuple(sorted(deals.values(), key=lambda d: d.iri))


def core_name(label: str) -> tuple[str, ...]:
    """The tokens of a deal name without 'City Deal' / 'Town Deal' / 'CD' in front."""
    toks = tokens(label)
    if len(toks) >= 2 and toks[0] in {"city", "town"} and toks[1] == "deal":
        return tuple(toks[2:])
    if len(toks) >= 1 and toks[0] in {"citydeal", "towndeal", "cd", "td"}:
        return tuple(toks[1:])
    return tuple(toks)


class DealMatcher:
    """Finds deal names in sentences and matches them to the curated deals."""

    def __init__(self, known: Sequence[KnownDeal]) -> None:
        self._known = tuple(known)
        self._cores: list[tuple[tuple[str, ...], KnownDeal]] = []
        for deal in self._known:
            for label in deal.labels:
                core = core_name(label)
                if core:
                    self._cores.append((core, deal))
        # Longest names first so that 'Voedsel op de stedelijke agenda' beats 'Voedsel'.
        self._cores.sort(key=lambda item: -len(item[0]))
        self._first_tokens = {core[0] for core, _ in self._cores if core}

    def match_name(self, name: str) -> KnownDeal | None:
        """The known deal for a full name as a page states it ('City Deal X')."""
        core = core_name(name)
        for known_core, deal in self._cores:
            if core == known_core:
                return deal
        return None

    def find(self, sentence: str) -> list[DealMention]:
        """Deals named in one sentence, known or new ('City Deal X' with X capitalised)."""
        found: list[DealMention] = []
        for m in DEAL_MENTION.finditer(sentence):
            kind = fold(m["kind"]).replace(" ", "").replace("-", "")
            is_town = kind in {"towndeal", "td"}
            words = m["name"].split()
            toks = [tokens(w)[0] if tokens(w) else "" for w in words]
            known, length, confidence = self._match_known(toks, kind)
            if known is not None:
                end = m.start("name") + len(" ".join(words[:length]))
                name_text = sentence[m.start() : end]
                found.append(DealMention(m.start(), end, name_text, known, known.is_town_deal,
                                         confidence))
                continue
            if kind in {"cd", "td"}:
                continue  # abbreviations only for deals we know
            new_words = self._new_name(words)
            if new_words:
                end = m.start("name") + len(" ".join(new_words))
                label = f"{'Town' if is_town else 'City'} Deal {' '.join(new_words)}"
                found.append(DealMention(m.start(), end, label, None, is_town, 0.75))
        return found

    def find_bare(self, sentence: str, taken: Sequence[tuple[int, int]] = ()) -> list[DealMention]:
        """Known deals named without 'City Deal' in front: 'Kennis Maken', lists of deals.

        A name of two or more words matches when it starts with a capital letter ('de
        circulaire stad' is a theme, 'Circulaire Stad' a deal); a one-word name
        ('Klimaatadaptatie', 'Fietsen') only when capitalised and the sentence speaks of
        deals or names another deal.
        """
        words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[\wÀ-ÿ&]+", sentence)]
        if not any(w[:1].isupper() and fold(w) in self._first_tokens for _, _, w in words):
            return []
        folded = [tokens(w)[0] if tokens(w) else "" for _, _, w in words]
        found: list[DealMention] = []
        singles: list[DealMention] = []
        i = 0
        while i < len(words):
            hit = None
            if folded[i] in self._first_tokens and words[i][2][:1].isupper():
                for core, deal in self._cores:
                    n = len(core)
                    if tuple(folded[i : i + n]) == core:
                        start, end = words[i][0], words[i + n - 1][1]
                        if not any(start < e and s_ < end for s_, e in taken):
                            hit = DealMention(start, end, sentence[start:end], deal,
                                              deal.is_town_deal, 0.85 if n >= 2 else 0.7)
                        break
            if hit is None:
                i += 1
                continue
            (found if len(hit.name.split()) >= 2 else singles).append(hit)
            i += len(hit.name.split())
        if singles and (found or taken or re.search(r"\bdeals?\b", sentence, re.IGNORECASE)):
            for hit in singles:
                initial = not sentence[: hit.start].strip(" “\"‘'-•")
                if not initial or found or taken or len(singles) > 1:
                    found.append(hit)
        return sorted(found, key=lambda m: m.start)

    def _match_known(
        self, toks: list[str], kind: str
    ) -> tuple[KnownDeal | None, int, float]:
        for core, deal in self._cores:
            if tuple(toks[: len(core)]) == core:
                return deal, len(core), 0.95
        # 'de City Deal fietsen': the first word of exactly one known deal.
        if toks and toks[0] and toks[0] not in DEAL_NAME_CONNECTORS | DEAL_NAME_STOP:
            candidates = {d.iri: d for core, d in self._cores if core and core[0] == toks[0]}
            if len(candidates) == 1 and kind not in {"cd", "td"}:
                return next(iter(candidates.values())), 1, 0.8
        return None, 0, 0.0

    @staticmethod
    def _new_name(words: list[str]) -> list[str]:
        """Capitalised words (with connectors between them) after 'City Deal'."""
        name: list[str] = []
        pending: list[str] = []
        for word in words:
            clean = word.strip(",.;:!?()“”\"‘’'")
            if not clean:
                break
            if clean[0].isupper() or clean[0].isdigit():
                name.extend(pending)
                pending = []
                name.append(clean)
                if clean != word:
                    break
            elif clean.lower() in DEAL_NAME_CONNECTORS and name:
                pending.append(clean)
            else:
                break
        return name
