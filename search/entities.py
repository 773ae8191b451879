"""Linking a question's names to the graph: which deals and concepts a query names.

The label table comes from outside (``kg.labels.entity_labels`` read from the graph, handed
in by the wiring); this module only matches it against query text. Matching is on whole
tokens, case- and accent-insensitive, longest label first, without overlaps, so "City Deal
Fietsen voor Iedereen" links that deal once and not also "Fietsen".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.labels import CONCEPT, EntityLabel
from search.stopwords_nl import STOPWORDS_NL

_TOKEN = re.compile(r"[^\W_]+")
MIN_LABEL_CHARS = 4
"""Shorter labels ("ICE", "PBL") are too ambiguous to link in free text."""


@dataclass(frozen=True, slots=True)
class LinkedEntity:
    """A resource a query names: by which label, at which token positions."""

    iri: str
    kind: str
    label: str
    lang: str
    start: int
    end: int


def fold(text: str) -> tuple[str, ...]:
    """Tokens of a text, case-folded and without accents ("Fryslân" -> "fryslan")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return tuple(_TOKEN.findall(plain))


class EntityLinker:
    """Finds the labels of a label table in query text."""

    def __init__(self, labels: Iterable[EntityLabel]):
        self._by_first: dict[str, list[tuple[tuple[str, ...], EntityLabel]]] = {}
        self._labels_of: dict[str, list[EntityLabel]] = {}
        for label in labels:
            tokens = fold(label.label)
            if not tokens or len(label.label.strip()) < MIN_LABEL_CHARS:
                continue
            if all(t in STOPWORDS_NL for t in tokens):
                continue
            self._by_first.setdefault(tokens[0], []).append((tokens, label))
            self._labels_of.setdefault(label.iri, []).append(label)
        for candidates in self._by_first.values():
            candidates.sort(key=lambda item: -len(item[0]))

    def __len__(self) -> int:
        return len(self._labels_of)

    def link(self, query: str) -> list[LinkedEntity]:
        """The entities the query names, in order of appearance, longest match first."""
        tokens = fold(query)
        found: list[LinkedEntity] = []
        position = 0
        while position < len(tokens):
            match = self._match_at(tokens, position)
            if match is None:
                position += 1
                continue
            length, labels = match
            for label in labels:
                found.append(LinkedEntity(label.iri, label.kind, label.label, label.lang,
                                          position, position + length))
            position += length
        return found

    def labels_of(self, iri: str) -> Sequence[EntityLabel]:
        """Every label of a resource."""
        return self._labels_of.get(iri, ())

    def _match_at(self, tokens: tuple[str, ...], position: int) -> tuple[int, list[EntityLabel]] | None:
        best_length = 0
        best: list[EntityLabel] = []
        for label_tokens, label in self._by_first.get(tokens[position], ()):
            length = len(label_tokens)
            if length < best_length:
                break
            if tokens[position:position + length] == label_tokens:
                if length > best_length:
                    best_length, best = length, []
                if all(other.iri != label.iri for other in best):
                    best.append(label)
        return (best_length, best) if best else None


def expansion_text(linker: EntityLinker, linked: Sequence[LinkedEntity], lang: str = "nl") -> str:
    """Labels in ``lang`` of the concepts a query names in another language (English
    "working element" adds Dutch "werkzaam element"), for the keyword query."""
    extra: list[str] = []
    for entity in linked:
        if entity.kind != CONCEPT or not entity.lang or entity.lang == lang:
            continue
        extra.extend(label.label for label in linker.labels_of(entity.iri) if label.lang == lang)
    return " ".join(dict.fromkeys(extra))


__all__ = ["EntityLinker", "LinkedEntity", "expansion_text", "fold"]
