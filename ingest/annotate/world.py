"""What the annotator knows about the world: places, organisations, programmes and first names.

The curated reference data (``ontology/reference/*.ttl``) names every Dutch municipality
and province, the ministries with their abbreviations, and the programme's recurring
organisations. A mention of any of them is typed from that list, never guessed from its
shape: "Zwolle", "BZK" or "Dag van de Stad" is not a person. First names come from the
name dictionary the ``gender-guesser`` package ships (names common in the Netherlands and
the countries most Dutch residents' families come from), so that a person needs evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ingest.annotate.cues import NOT_PERSON_NAMES
from ingest.annotate.text import fold
from kg.namespaces import IKG

_SCHEMA_PLACE = URIRef("https://schema.org/Place")
_ORG_SITE = URIRef("http://www.w3.org/ns/org#hasPrimarySite")
_TOKEN = re.compile(r"[\wÀ-ÿ&’'+/.-]*[\wÀ-ÿ&+]")
# Columns of nam_dict.txt (gender-guesser): Great Britain, U.S.A., France, Belgium, the
# Netherlands, East Frisia, Germany, Turkey, Arabia/Persia, other countries.
_NAME_COLUMNS = (30, 32, 37, 38, 40, 41, 42, 76, 77, 84)


@dataclass(frozen=True, slots=True)
class Known:
    """A name the reference data knows: what it is and its canonical label.

    ``kind`` is ``organisation``, ``place`` or ``name`` (a programme, event or other
    non-person name that is neither). ``organisation`` is, for a place, the label of the
    body that governs it ("gemeente Zwolle").
    """

    kind: str
    label: str
    organisation: str = ""
    iri: str = ""


@dataclass(frozen=True, slots=True)
class KnownMention:
    start: int
    end: int
    known: Known


@dataclass(slots=True)
class World:
    """Lookup tables built once from the reference graph."""

    exact: dict[tuple[str, ...], Known] = field(default_factory=dict)
    folded: dict[tuple[str, ...], Known] = field(default_factory=dict)
    first_names: frozenset[str] = frozenset()
    places: dict[str, Known] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)
    """Every name of a canonical label ('Nationale Politie' -> 'politie', 'Politie', ...)."""
    lengths: dict[str, set[int]] = field(default_factory=dict)
    """For each first word (folded), the lengths of the known names that start with it."""

    def add(self, name: str, known: Known) -> None:
        words = tuple(_TOKEN.findall(name))
        if not words:
            return
        self.aliases.setdefault(known.label, set()).add(name)
        self.lengths.setdefault(fold(words[0]), set()).add(len(words))
        self.exact.setdefault(words, known)
        if len(words) >= 2 or not _is_acronym(words[0]):
            self.folded.setdefault(tuple(fold(w) for w in words), known)
        if known.kind == "place":
            self.places.setdefault(fold(name), known)

    def find(self, text: str) -> list[KnownMention]:
        """Known names in a text, longest first, without overlaps.

        Abbreviations ('BZK', 'SP') match only as written; a single-word place or name
        only when capitalised and not the first word of the sentence ('Best practices',
        'Buren helpen'), unless a preposition or 'gemeente' stands before it.
        """
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        folded = [fold(t[2]) for t in tokens]
        found: list[KnownMention] = []
        i = 0
        while i < len(tokens):
            hit = None
            for length in sorted(self.lengths.get(folded[i], ()), reverse=True):
                if i + length > len(tokens):
                    continue
                words = tuple(t[2] for t in tokens[i : i + length])
                known = self.exact.get(words)
                if known is None and re.sub(r"^[’']s-", "", words[0])[:1].isupper():
                    known = self.folded.get(tuple(folded[i : i + length]))
                if known is None:
                    continue
                if length == 1 and not self._single_word_ok(words[0], text, tokens, i, known,
                                                            exact=self.exact.get(words) is known):
                    continue
                hit = KnownMention(tokens[i][0], tokens[i + length - 1][1], known)
                i += length
                break
            if hit is None:
                i += 1
            else:
                found.append(hit)
        return found

    @staticmethod
    def _single_word_ok(word: str, text: str, tokens: list[tuple[int, int, str]], i: int,
                        known: Known, exact: bool = False) -> bool:
        if _is_acronym(word) or (exact and known.kind == "organisation"):
            return True
        if not re.sub(r"^[’']s-", "", word)[:1].isupper():
            return False
        if known.kind == "organisation":
            return True
        before = text[: tokens[i][0]].rstrip()
        if before and not before.endswith((".", ":", "“", "\"", "‘", "!", "?", "–", "-", "•")):
            return True
        # First word of a sentence: only as the head of a list ('Ede, Den Bosch en Groningen')
        return bool(re.match(r"\s*(?:,\s*|\s+en\s+)[A-Z’']", text[tokens[i][1]:]))

    def is_first_name(self, word: str) -> bool:
        return fold(word) in self.first_names

    def place(self, name: str) -> Known | None:
        return self.places.get(fold(name))


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 2 and len(word) <= 8


def build_world(graph: Graph, first_names: frozenset[str] = frozenset()) -> World:
    """The lookup tables for a reference graph (organisations, places, programmes)."""
    world = World(first_names=first_names)
    governing: dict[URIRef, str] = {}
    for org in sorted(graph.subjects(RDF.type, IKG.Organisation), key=str):
        label = _dutch_label(graph, org)
        if not label:
            continue
        for site in graph.objects(org, _ORG_SITE):
            governing[site] = label  # type: ignore[index]
        known = Known("organisation", label)
        for name in _names(graph, org, (RDFS.label, SKOS.altLabel)):
            world.add(name, known)
    for place in sorted(graph.subjects(RDF.type, _SCHEMA_PLACE), key=str):
        label = str(graph.value(place, SKOS.prefLabel) or _dutch_label(graph, place))
        known = Known("place", label, governing.get(place, ""), str(place))  # type: ignore[arg-type]
        if "/place/provincie-" in str(place):
            continue  # 'Utrecht' and 'Groningen' are the cities; provinces are named as such
        for name in _names(graph, place, (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)):
            world.add(name, known)
    for deal_class in (IKG.CityDeal, IKG.TownDeal):
        for deal in graph.subjects(RDF.type, deal_class):
            for name in _names(graph, deal, (SKOS.prefLabel, SKOS.altLabel)):
                if len(name.split()) >= 2:
                    world.add(name, Known("name", name))
    for programme in graph.subjects(RDF.type, IKG.Programme):
        for name in _names(graph, programme, (SKOS.prefLabel, SKOS.altLabel)):
            world.add(name, Known("name", name))
    for name in NOT_PERSON_NAMES:
        world.add(name, Known("name", name))
    return world


def _names(graph: Graph, subject: object, props: Iterable[URIRef]) -> list[str]:
    out: list[str] = []
    for prop in props:
        for value in graph.objects(subject, prop):  # type: ignore[arg-type]
            if getattr(value, "language", "nl") in (None, "nl") and str(value) not in out:
                out.append(str(value))
    return out


def _dutch_label(graph: Graph, subject: object) -> str:
    for value in graph.objects(subject, RDFS.label):  # type: ignore[arg-type]
        if getattr(value, "language", None) in (None, "nl"):
            return str(value)
    return ""


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """First names (folded) from gender-guesser's dictionary, for the countries above.

    About 0.3 s and a few MB once per process; empty when the package is missing.
    """
    try:
        data = resources.files("gender_guesser").joinpath("data/nam_dict.txt")
        raw = data.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        return frozenset()
    names: set[str] = set()
    for line in raw.decode("iso-8859-1").splitlines():
        if not line or line[0] == "#" or len(line) < 31:
            continue
        if not any(c < len(line) and line[c] not in " $" for c in _NAME_COLUMNS):
            continue
        name = line[3:29].strip()
        for variant in {name.replace("+", "-"), name.replace("+", " ")}:
            if variant and "<" not in variant:
                names.add(fold(variant))
    return frozenset(names)


@lru_cache(maxsize=4)
def world_from_files(paths: tuple[Path, ...]) -> World:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return build_world(graph, first_names())
