"""Where an IRI is browsed on this server, and short names (CURIEs) for the ones we show.

- instances ``<base_iri><path>``               -> ``/id/<path>``
- ontology terms ``ikg:<Local>``                -> ``/def/<Local>`` (the ontology itself: ``/def``)
- concepts and schemes ``ikgc:<local>``         -> ``/concept/<local>``
- any other IRI                                 -> ``/resource?iri=<IRI>``
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from kg.namespaces import IKG, IKGC, PREFIXES

ONTOLOGY_IRI = str(IKG).rstrip("#")
_SAFE_PATH = "/:@!$&'()*+,;=-._~"


@dataclass(frozen=True, slots=True)
class IriPaths:
    """Maps IRIs to this server's paths and back, for one base IRI."""

    base_iri: str

    def path_of(self, iri: str) -> str:
        """The path (with query) on this server that shows ``iri``."""
        if iri.startswith(str(IKG)) and len(iri) > len(str(IKG)):
            return "/def/" + quote(iri[len(str(IKG)):], safe=_SAFE_PATH)
        if iri == ONTOLOGY_IRI:
            return "/def"
        if iri.startswith(str(IKGC)) and len(iri) > len(str(IKGC)):
            return "/concept/" + quote(iri[len(str(IKGC)):], safe=_SAFE_PATH)
        if iri.startswith(self.base_iri) and len(iri) > len(self.base_iri) and "?" not in iri:
            return "/id/" + quote(iri[len(self.base_iri):], safe=_SAFE_PATH)
        return "/resource?iri=" + quote(iri, safe="")

    def instance_iri(self, path: str) -> str:
        return self.base_iri + path

    def is_instance(self, iri: str) -> bool:
        return iri.startswith(self.base_iri)


def term_iri(local: str) -> str:
    return ONTOLOGY_IRI if not local else str(IKG) + local


def concept_iri(local: str) -> str:
    return str(IKGC) + local


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def curie(iri: str) -> str:
    """``ikg:Lesson`` for a known namespace, else the IRI itself."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace):]
            if all(ch.isalnum() or ch in "-_." for ch in local):
                return f"{prefix}:{local}"
    return iri


def local_name(iri: str) -> str:
    """The last segment of an IRI (after '#' or '/'), for a fallback label."""
    for separator in ("#", "/"):
        head, _, tail = iri.rstrip("/").rpartition(separator)
        if head and tail:
            return tail
    return iri
