"""Declared parameters of the canned queries, and binding user values to them as RDF terms.

A canned query (``ontology/queries/*.rq``) declares its parameters in its comment header::

    # param: deal instance ikg:Deal "Deal"
    # param: fase concept ikgc:Phases "Fase / phase"
    # param: thema text@nl ikg:theme "Thema / theme"

that is ``NAME KIND [RANGE] "LABEL"``, where KIND is one of

- ``instance CLASS``: an IRI (of an instance of CLASS or a subclass);
- ``concept SCHEME``: a SKOS concept of SCHEME, given as IRI, prefixed name or local name;
- ``text`` or ``text@LANG`` with an optional PROPERTY whose values are offered as choices;
- ``date`` (xsd:date, YYYY-MM-DD) or ``integer``.

The variable ``?NAME`` must be in the query's SELECT projection: a value is bound through the
engine's substitutions (never pasted into the text), and an empty value leaves it unbound,
which the query reads as "all".
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.backend import QueryableGraph
from kg.errors import KgError
from kg.namespaces import IKGC, PREFIXES
from kg.query import Term

KINDS = ("instance", "concept", "text", "date", "integer")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
XSD = "http://www.w3.org/2001/XMLSchema#"
MAX_CHOICES = 500


class ParameterError(KgError):
    """A parameter value that cannot be bound (the message names the parameter and why)."""


@dataclass(frozen=True, slots=True)
class QueryParameter:
    """One declared parameter: ``?name`` gets a term of ``kind`` (within ``range_iri``)."""

    name: str
    kind: str
    range_iri: str = ""  # the class, concept scheme or offered property; "" when none
    language: str = ""  # for text@LANG
    label: str = ""


@dataclass(frozen=True, slots=True)
class Choice:
    """A value the form offers for a parameter: what to send and what to show."""

    value: str
    label: str


def parse_parameter(line: str) -> QueryParameter:
    """One ``# param:`` declaration (the text after the colon); ValueError when malformed."""
    try:
        words = shlex.split(line)
    except ValueError as error:
        raise ValueError(f"param declaration {line!r}: {error}") from None
    if len(words) < 2:
        raise ValueError(f"param declaration {line!r}: needs at least NAME KIND")
    name, kind_word, *rest = words
    kind, _, language = kind_word.partition("@")
    if not _NAME.match(name):
        raise ValueError(f"param declaration {line!r}: {name!r} is not a variable name")
    if language and not _LANGUAGE.match(language):
        raise ValueError(f"param declaration {line!r}: {language!r} is not a language tag")
    if kind not in KINDS or (language and kind != "text"):
        raise ValueError(f"param declaration {line!r}: kind must be one of {', '.join(KINDS)}")
    label = rest.pop() if rest and line.rstrip().endswith(('"', "'")) else ""
    if len(rest) > 1:
        raise ValueError(f"param declaration {line!r}: too many words (quote the label)")
    range_iri = expand(rest[0]) if rest else ""
    if kind in ("instance", "concept") and not range_iri:
        raise ValueError(f"param declaration {line!r}: {kind} needs a class or scheme")
    return QueryParameter(name, kind, range_iri, language, label or name)


def expand(name: str) -> str:
    """A prefixed name of the project's prefixes as a full IRI (an IRI stays as it is)."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, colon, local = name.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def bind_parameters(
    parameters: tuple[QueryParameter, ...], values: Mapping[str, str],
) -> dict[str, Term]:
    """The substitutions for the given values; empty values are left unbound.

    Raises :class:`ParameterError` for an unknown parameter name or a value that is not
    a term of the declared kind.
    """
    declared = {p.name: p for p in parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise ParameterError(f"unknown parameter {unknown[0]!r} (this query has: {known})")
    bound: dict[str, Term] = {}
    for name, raw in values.items():
        text = raw.strip()
        if text:
            bound[name] = to_term(declared[name], text)
    return bound


def to_term(parameter: QueryParameter, text: str) -> Term:
    """One value as the RDF term its parameter declares."""
    kind = parameter.kind
    if kind in ("instance", "concept"):
        return _iri(parameter, text)
    if kind == "date":
        if not _DATE.match(text):
            raise ParameterError(f"{parameter.name}: {text!r} is not a date (YYYY-MM-DD)")
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
    if kind == "integer":
        if not _INTEGER.match(text):
            raise ParameterError(f"{parameter.name}: {text!r} is not a whole number")
        return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
    if len(text) > 1000:
        raise ParameterError(f"{parameter.name}: the text is longer than 1000 characters")
    if not text.isascii() and _SURROGATE.search(text):
        raise ParameterError(f"{parameter.name}: the text holds invalid characters (surrogates)")
    return ox.Literal(text, language=parameter.language) if parameter.language else ox.Literal(text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _iri(parameter: QueryParameter, text: str) -> ox.NamedNode:
    candidate = expand(text)
    if ":" not in candidate and parameter.kind == "concept":
        candidate = f"{IKGC}{candidate}"  # a local name such as phase-2
    if not re.match(r"^(https?|urn):", candidate, re.IGNORECASE):
        what = "a concept (IRI, prefixed name or local name)" if parameter.kind == "concept" else "an IRI"
        raise ParameterError(f"{parameter.name}: {text!r} is not {what}")
    try:
        return ox.NamedNode(candidate)
    except ValueError:
        raise ParameterError(f"{parameter.name}: {text!r} is not a valid IRI") from None


_INSTANCES = """
SELECT DISTINCT ?value ?label ?klasse WHERE {
  ?value a ?soort . ?soort rdfs:subClassOf* ?klasse .
  OPTIONAL { ?value skos:prefLabel|rdfs:label ?naam . FILTER (LANG(?naam) IN ("nl", "")) }
  BIND (COALESCE(?naam, STR(?value)) AS ?label)
} ORDER BY LCASE(STR(?label)) ?value
"""
_CONCEPTS = """
SELECT ?value ?label ?schema WHERE {
  ?value skos:inScheme ?schema .
  OPTIONAL { ?value ikg:order ?volgorde }
  OPTIONAL { ?value skos:prefLabel ?naam . FILTER (LANG(?naam) = "nl") }
  BIND (COALESCE(?naam, STR(?value)) AS ?label)
} ORDER BY ?volgorde ?label
"""
_VALUES = """
SELECT DISTINCT ?value ?eigenschap WHERE { ?s ?eigenschap ?value . FILTER (isLiteral(?value)) }
ORDER BY LCASE(STR(?value))
"""


def parameter_choices(parameter: QueryParameter, graph: QueryableGraph) -> list[Choice]:
    """The values a form offers for ``parameter`` (empty when it takes free input)."""
    if parameter.kind == "instance":
        rows = graph.query(_INSTANCES, max_rows=MAX_CHOICES,
                           substitutions={"klasse": ox.NamedNode(parameter.range_iri)}).rows
    elif parameter.kind == "concept":
        rows = graph.query(_CONCEPTS, max_rows=MAX_CHOICES,
                           substitutions={"schema": ox.NamedNode(parameter.range_iri)}).rows
    elif parameter.kind == "text" and parameter.range_iri:
        rows = graph.query(_VALUES, max_rows=MAX_CHOICES,
                           substitutions={"eigenschap": ox.NamedNode(parameter.range_iri)}).rows
        wanted = parameter.language
        return [Choice(v.value, v.value) for v, _ in rows
                if isinstance(v, ox.Literal) and (v.language or "") == wanted]
    else:
        return []
    return [Choice(value.value, label.value if label is not None else value.value)
            for value, label, _ in rows if isinstance(value, ox.NamedNode)]


def check_concepts(parameters: tuple[QueryParameter, ...], bound: Mapping[str, Term],
                   graph: QueryableGraph) -> None:
    """ParameterError when a concept parameter names no concept of its scheme in ``graph``."""
    for parameter in parameters:
        value = bound.get(parameter.name)
        if parameter.kind != "concept" or value is None:
            continue
        choices = parameter_choices(parameter, graph)
        if choices and value.value not in {choice.value for choice in choices}:  # type: ignore[union-attr]
            local = [c.value.removeprefix(str(IKGC)) for c in choices]
            raise ParameterError(
                f"{parameter.name}: {value.value.removeprefix(str(IKGC))!r} is not a concept of "  # type: ignore[union-attr]
                f"{parameter.range_iri.removeprefix(str(IKGC))}; choose one of: {', '.join(local)}")
