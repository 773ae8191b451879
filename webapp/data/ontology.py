"""The ontology's table of contents (the /def page): classes, properties, concept schemes."""

from __future__ import annotations

from typing import Any

from kg.namespaces import IKG, IKGC
from webapp.context import memo
from webapp.data.graph import labels, ref, select, value
from webapp.i18n import language

_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?instance) AS ?n) WHERE {
  ?class a owl:Class . FILTER (STRSTARTS(STR(?class), STR(ikg:)))
  OPTIONAL { ?instance a ?class }
} GROUP BY ?class
"""
_PROPERTIES = """
SELECT DISTINCT ?property ?kind WHERE {
  VALUES ?kind { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  ?property a ?kind . FILTER (STRSTARTS(STR(?property), STR(ikg:)))
}
"""
_SCHEMES = """
SELECT ?scheme ?concept ?order WHERE {
  ?scheme a skos:ConceptScheme . FILTER (STRSTARTS(STR(?scheme), STR(ikgc:)))
  OPTIONAL { ?concept skos:inScheme ?scheme OPTIONAL { ?concept ikg:order ?order } }
}
"""


def ontology_index() -> dict[str, Any]:
    """Classes with instance counts, properties by kind, and each concept scheme's concepts."""
    return memo(("ontology-index", language()), _build)


def _build() -> dict[str, Any]:
    classes = {value(r["class"]): int(value(r["n"])) for r in select(_CLASSES)}
    properties = [(value(r["property"]), value(r["kind"])) for r in select(_PROPERTIES)]
    schemes: dict[str, list[tuple[float, str]]] = {}
    for row in select(_SCHEMES):
        members = schemes.setdefault(value(row["scheme"]), [])
        if row["concept"] is not None:
            order = float(value(row["order"])) if row["order"] is not None else 1e9
            members.append((order, value(row["concept"])))
    label_of = labels([*classes, *(p for p, _ in properties), *schemes,
                       *(c for members in schemes.values() for _, c in members)])

    def by_label(iris: Any) -> list[str]:
        return sorted(iris, key=lambda iri: label_of[iri].lower())

    kinds = {"ObjectProperty": [], "DatatypeProperty": [], "AnnotationProperty": []}
    for prop, kind in properties:
        kinds[kind.rsplit("#", 1)[-1]].append(prop)
    return {
        "namespace": str(IKG), "concept_namespace": str(IKGC),
        "classes": [{**ref(iri, label_of), "instances": classes[iri]} for iri in by_label(classes)],
        "properties": {kind: [ref(iri, label_of) for iri in by_label(iris)] for kind, iris in kinds.items()},
        "schemes": [{**ref(scheme, label_of),
                     "concepts": [ref(c, label_of) for _, c in sorted(schemes[scheme],
                                                                       key=lambda m: (m[0], label_of[m[1]]))]}
                    for scheme in by_label(schemes)],
    }
