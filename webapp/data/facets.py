"""Facet values as they appear in URLs: short, readable and shareable.

A deal is its IRI's slug (``city-deal-kennis-maken``), a document type, chain stage or
phase the local name of its concept (``doctype-news``, ``stage-output``, ``phase-2``), a
site its host name, a year four digits. Full IRIs are accepted too.
"""

from __future__ import annotations

import re

from kg.namespaces import IKGC
from webapp.errors import BadRequest

SEARCH_FACETS = ("deal", "doc_type", "stage", "phase", "site", "year")
CONCEPT_FACETS = {"doc_type": "doctype-", "stage": "stage-", "phase": "phase-"}
_YEAR = re.compile(r"^\d{4}$")
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")


def expand(facet: str, value: str, base_iri: str) -> str:
    """The stored facet value for what a URL carries."""
    value = value.strip()
    if facet == "year":
        if not _YEAR.match(value):
            raise BadRequest(f"year must be four digits, not {value[:20]!r}")
        return value
    if facet == "site" or value.startswith(("http://", "https://")):
        return value
    if facet == "deal":
        if not _SLUG.match(value):
            raise BadRequest(f"not a deal name in a URL: {value[:80]!r}")
        return f"{base_iri}deal/{value}"
    prefix = CONCEPT_FACETS.get(facet)
    if prefix is None:
        raise BadRequest(f"unknown facet {facet!r}")
    if not _SLUG.match(value):
        raise BadRequest(f"not a {facet} value: {value[:80]!r}")
    local = value if value.startswith(prefix) else prefix + value
    return str(IKGC) + local


def compact(facet: str, value: str, base_iri: str) -> str:
    """What a URL carries for a stored facet value (the inverse of :func:`expand`)."""
    if facet == "deal" and value.startswith(f"{base_iri}deal/"):
        return value[len(f"{base_iri}deal/"):]
    if facet in CONCEPT_FACETS and value.startswith(str(IKGC)):
        return value[len(str(IKGC)):]
    return value
