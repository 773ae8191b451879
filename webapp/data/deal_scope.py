"""What belongs to a deal: resources that say so, and everything extracted from its documents.

Lessons and working elements are not looked up here: the deal page takes them from the lessons
table (``webapp.data.lessons``), which is built once per generation.

Three small queries with the deal's IRI in them, merged here. (One query with a UNION joined
to the rest took 20 s on 100k passages in Oxigraph; these take milliseconds.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from webapp.data.graph import select, value

_TYPES = """FILTER (?type IN (ikg:Ambition, ikg:PolicyStrategy, ikg:Activity, ikg:Output, ikg:Impact,
  ikg:WorkingElement, ikg:BeneficiaryGroup, ikg:ChangeLink, ikg:Assumption, ikg:Stakeholder,
  ikg:ScalingPartner, ikg:Organisation, ikg:Person, ikg:Meeting))"""
_ABOUT = "SELECT ?x ?type WHERE { ?x ikg:aboutDeal $deal . ?x a ?type " + _TYPES + " }"
_AMBITIONS = "SELECT ?x ?type WHERE { $deal ikg:hasAmbition ?x . ?x a ?type }"
_FROM_DOCUMENTS = """
SELECT DISTINCT ?x ?type WHERE {
  ?doc ikg:aboutDeal $deal . ?doc a ikg:Document .
  ?passage ikg:inDocument ?doc . ?x ikg:supportedBy ?passage . ?x a ?type
""" + _TYPES + "}"


@dataclass(slots=True)
class DealScope:
    """Each resource of the deal with its types; ``direct`` ones say they are about the deal."""

    types: dict[str, set[str]] = field(default_factory=dict)
    direct: set[str] = field(default_factory=set)

    def of_type(self, *classes: str) -> list[str]:
        wanted = set(classes)
        return [iri for iri, types in self.types.items() if types & wanted]


def deal_scope(deal_iri: str) -> DealScope:
    scope = DealScope()
    for query, direct in ((_ABOUT, True), (_AMBITIONS, True), (_FROM_DOCUMENTS, False)):
        for row in select(query, deal=deal_iri):
            iri = value(row["x"])
            scope.types.setdefault(iri, set()).add(value(row["type"]))
            if direct:
                scope.direct.add(iri)
    return scope
