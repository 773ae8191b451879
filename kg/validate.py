"""SHACL validation of the stored data against ``ontology/shapes.ttl`` (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from kg.namespaces import ONTOLOGY_GRAPH, SH
from kg.ontology import ALIGN_GRAPH, SHAPES_GRAPH, shapes_graph
from kg.terms import from_ox

_SKIPPED_GRAPHS = {SHAPES_GRAPH, ALIGN_GRAPH}


@dataclass(frozen=True, slots=True)
class Finding:
    severity: str  # Violation, Warning or Info
    focus: str
    path: str
    message: str


@dataclass(frozen=True, slots=True)
class ValidationReport:
    findings: tuple[Finding, ...]

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "Violation")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "Warning")

    @property
    def conforms(self) -> bool:
        return not self.violations


def data_graph(store: ox.Store, include_ontology: bool = False) -> Graph:
    """All data graphs merged into one rdflib graph, plus the class hierarchy.

    The ontology graph itself is left out unless asked for (checking its labels and
    definitions is slow and only needed when it changes); its ``rdfs:subClassOf`` triples
    are kept so that shapes targeting ``ikg:Deal`` also reach ``ikg:CityDeal``.
    """
    skipped = _SKIPPED_GRAPHS if include_ontology else _SKIPPED_GRAPHS | {ONTOLOGY_GRAPH}
    graph = Graph()
    for quad in store:
        name = quad.graph_name
        if isinstance(name, ox.NamedNode) and name.value in skipped:
            if name.value == ONTOLOGY_GRAPH and quad.predicate.value == str(RDFS.subClassOf):
                graph.add((from_ox(quad.subject), RDFS.subClassOf, from_ox(quad.object)))
            continue
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graph


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    _, report, _ = validate(
        data, shacl_graph=shapes if shapes is not None else shapes_graph(),
        inference="none", advanced=True, allow_warnings=True,
    )
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
        findings.append(Finding(
            severity=severity,
            focus=str(report.value(result, SH.focusNode) or ""),
            path=str(report.value(result, SH.resultPath) or ""),
            message=str(report.value(result, SH.resultMessage) or ""),
        ))
    findings.sort(key=lambda f: (f.severity != "Violation", f.focus, f.path))
    return ValidationReport(tuple(findings))


def validate_store(store: ox.Store, include_ontology: bool = False) -> ValidationReport:
    return validate_graph(data_graph(store, include_ontology))
