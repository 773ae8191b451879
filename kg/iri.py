"""Deterministic IRIs: re-ingesting the same source mints the same IRIs."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from kg.namespaces import DEFAULT_BASE_IRI

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 60) -> str:
    """Lower-case ASCII slug: 'City Deal Fietsen voor Iedereen' -> 'city-deal-fietsen-voor-iedereen'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "x"


def short_hash(*parts: str, length: int = 12) -> str:
    """A stable hex digest of the parts (joined with a separator that cannot occur in them)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(frozen=True, slots=True)
class IriMinter:
    """Mints instance IRIs under one base IRI.

    Deals come from their name, documents from their source (URL or path), passages from
    their document and position, everything else from a kind and stable key parts.
    """

    base_iri: str = DEFAULT_BASE_IRI

    def __post_init__(self) -> None:
        if not self.base_iri.endswith(("/", "#")):
            raise ValueError(f"base IRI must end with '/' or '#': {self.base_iri}")

    def deal(self, name: str) -> str:
        return f"{self.base_iri}deal/{slugify(name, max_length=200)}"

    def document(self, source: str) -> str:
        return f"{self.base_iri}doc/{short_hash(source)}"

    def passage(self, document_iri: str, position: int) -> str:
        return f"{document_iri}/p{position}"

    def document_graph(self, document_iri: str) -> str:
        """The named graph that holds everything extracted from one document."""
        return f"{document_iri}/graph"

    def agent(self, name: str) -> str:
        return f"{self.base_iri}agent/{slugify(name)}"

    def resource(self, kind: str, *key_parts: str) -> str:
        """Any other resource: ``kind`` is a path segment (lesson, meeting, ...), the key makes it unique."""
        return f"{self.base_iri}{slugify(kind)}/{short_hash(*key_parts)}"
