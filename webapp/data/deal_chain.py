"""A deal's impact chain read from the graph: its elements, the links between them, the
assumptions on the links, working elements beside them and beneficiary groups below.

An element belongs to the deal when it is in the deal's scope (``webapp.data.deal_scope``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from typing import Any

from kg.namespaces import IKG
from webapp.chain import BELOW, SIDE, ChainEdge, ChainNode, layout
from webapp.data.deal_scope import DealScope
from webapp.data.graph import browse_url, label_key, labels, ref, select_each, value

CHAIN_CLASSES = tuple(str(IKG[name]) for name in (
    "Ambition", "PolicyStrategy", "Activity", "Output", "Impact", "WorkingElement", "BeneficiaryGroup",
    "ChangeLink", "Assumption"))
STAGE_OF_CLASS = {
    str(IKG.Ambition): "ambition", str(IKG.PolicyStrategy): "policy", str(IKG.Activity): "activity",
    str(IKG.Output): "output", str(IKG.Impact): "impact", str(IKG.WorkingElement): SIDE,
    str(IKG.BeneficiaryGroup): BELOW,
}
_LINKS = """
SELECT ?s ?p ?o WHERE {
  #VALUES#
  ?s ?p ?o .
  FILTER (?p IN (ikg:servesAmbition, ikg:implementsStrategy, ikg:producesOutput, ikg:contributesToImpact,
                 ikg:predictsImpact, ikg:fromOutput, ikg:toImpact, ikg:hasAssumption, ikg:hasWorkingElement,
                 ikg:coCreatedWith, ikg:quantity, ikg:unit, ikg:impactDomain, ikg:impactDirection,
                 ikg:assumptionStatus, ikg:condition, ikg:context))
}
"""
STAGE_LIMIT = 60
"""Elements of one stage (or change links, assumptions) a deal page lists; the rest are counted."""
# (property, which end is the source in the chain's left-to-right direction)
_CHAIN_LINKS = {
    str(IKG.servesAmbition): "reverse",      # policy -> ambition: drawn ambition -> policy
    str(IKG.implementsStrategy): "reverse",  # activity -> policy: drawn policy -> activity
    str(IKG.producesOutput): "forward",      # activity -> output
    str(IKG.contributesToImpact): "forward",  # output -> impact
    str(IKG.predictsImpact): "reverse",      # working element -> impact: drawn impact -- element
    str(IKG.coCreatedWith): "forward",       # activity -> beneficiary group
}


def chain_data(scope: DealScope) -> dict[str, Any]:
    """The chain's elements by stage, its links with their assumptions, and the laid-out diagram."""
    direct = scope.direct
    kinds: dict[str, str] = {}
    totals: dict[str, int] = {}
    for cls in CHAIN_CLASSES:
        members = sorted((iri for iri in scope.of_type(cls) if iri not in kinds),
                         key=lambda iri: (iri not in direct, iri))
        totals[STAGE_OF_CLASS.get(cls, cls.rsplit("#", 1)[-1])] = len(members)
        kinds.update((iri, cls) for iri in members[:STAGE_LIMIT])
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in select_each(_LINKS, "s", kinds):
        facts[value(row["s"])][value(row["p"]).rsplit("#", 1)[-1]].append(value(row["o"]))
    concept_iris = [v for f in facts.values() for key in ("impactDomain", "impactDirection", "assumptionStatus")
                    for v in f.get(key, [])]
    label_of = labels([*kinds, *concept_iris])
    same_as = _same_elements(kinds, label_of)
    for iri in same_as.keys() - same_as.values():
        totals[STAGE_OF_CLASS[kinds[iri]]] -= 1
    edges, assumptions = _edges(kinds, facts, label_of, same_as)
    nodes = [_node(iri, STAGE_OF_CLASS[kind], facts[iri], label_of)
             for iri, kind in sorted(kinds.items(), key=lambda item: label_of[item[0]].lower())
             if kind in STAGE_OF_CLASS and same_as.get(iri, iri) == iri]
    diagram = layout(nodes, edges)
    also: dict[str, list[str]] = defaultdict(list)
    for iri, canonical in same_as.items():
        if iri != canonical:
            also[canonical].append(iri)
    stages: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        stages[node.stage].append({**ref(node.iri, label_of), "detail": node.detail,
                                   "direct": node.iri in direct,
                                   "also": [ref(other, label_of) for other in also[node.iri]],
                                   "links": _links_of(node.iri, edges, label_of)})
    return {"stages": stages, "totals": totals, "assumptions": assumptions, "diagram": asdict(diagram),
            "diagram_empty": diagram.is_empty,
            "edges": [{"source": e.source, "target": e.target, "kind": e.kind, "assumptions": list(e.notes)}
                      for e in edges]}


def _node(iri: str, stage: str, facts: dict[str, list[str]], label_of: dict[str, str]) -> ChainNode:
    detail = ""
    if stage == "output" and facts.get("quantity"):
        detail = " ".join([facts["quantity"][0], *facts.get("unit", [])[:1]])
        if detail.split()[0] in label_of[iri].split():  # "35 vrijwilligers volgden ..." says it already
            detail = ""
    elif stage == "impact":
        detail = ", ".join(label_of[c] for c in [*facts.get("impactDomain", []), *facts.get("impactDirection", [])])
    elif stage == SIDE and facts.get("context"):
        detail = facts["context"][0]
    return ChainNode(iri=iri, stage=stage, label=label_of[iri], url=browse_url(iri), detail=detail)


def _same_elements(kinds: dict[str, str], label_of: dict[str, str]) -> dict[str, str]:
    """Each chain element mapped to the one the page shows for it.

    Annotation mints an element per document, so two documents of a deal that both name the
    impact "Minder eenzaamheid" give two resources; the page shows one element of a stage per
    label (the first in the deal's order: direct elements first) and links the others from it.
    """
    shown: dict[tuple[str, str], str] = {}
    same_as: dict[str, str] = {}
    for iri, kind in kinds.items():
        if kind not in STAGE_OF_CLASS:
            continue
        key = (STAGE_OF_CLASS[kind], label_key(label_of[iri]))
        same_as[iri] = shown.setdefault(key, iri)
    return same_as


def _edges(kinds: dict[str, str], facts: dict[str, dict[str, list[str]]],
           label_of: dict[str, str], same_as: dict[str, str],
           ) -> tuple[list[ChainEdge], list[dict[str, Any]]]:
    notes: dict[tuple[str, str], list[int]] = defaultdict(list)
    kind_of: dict[tuple[str, str], str] = {}
    assumptions: list[dict[str, Any]] = []
    for source, properties in facts.items():
        for prop, direction in _CHAIN_LINKS.items():
            for target in properties.get(prop.rsplit("#", 1)[-1], []):
                if target not in kinds:
                    continue
                start, end = same_as.get(source, source), same_as.get(target, target)
                if start == end:
                    continue
                pair = (start, end) if direction == "forward" else (end, start)
                kind_of.setdefault(pair, "working_element" if "predicts" in prop else "chain")
    for link, kind in sorted(kinds.items()):
        if kind != str(IKG.ChangeLink):
            continue
        link_facts = facts.get(link, {})
        for output_element in link_facts.get("fromOutput", []):
            for impact_element in link_facts.get("toImpact", []):
                if output_element not in kinds or impact_element not in kinds:
                    continue  # one end is beyond what the page lists
                output = same_as.get(output_element, output_element)
                impact = same_as.get(impact_element, impact_element)
                kind_of.setdefault((output, impact), "chain")
                for assumption in link_facts.get("hasAssumption", []):
                    number = len(assumptions) + 1
                    notes[(output, impact)].append(number)
                    status = facts.get(assumption, {}).get("assumptionStatus", [])
                    assumptions.append({
                        "number": number, **ref(assumption, label_of),
                        "status": ref(status[0], label_of) if status else None,
                        "output": ref(output, label_of), "impact": ref(impact, label_of),
                        "link": ref(link, label_of)})
                for element in link_facts.get("hasWorkingElement", []):
                    if element in kinds:
                        kind_of.setdefault((impact, same_as.get(element, element)), "working_element")
    edges = [ChainEdge(source, target, kind, tuple(notes.get((source, target), ())))
             for (source, target), kind in sorted(kind_of.items())]
    return edges, assumptions


def _links_of(iri: str, edges: list[ChainEdge], label_of: dict[str, str]) -> list[dict[str, Any]]:
    linked = [edge.target for edge in edges if edge.source == iri]
    linked += [edge.source for edge in edges if edge.target == iri]
    return [ref(other, label_of) for other in dict.fromkeys(linked)]

