"""Finding and loading the Turtle files of ``ontology/`` (from a checkout or an installed wheel)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.canned import QueryParameter, parse_parameter
from kg.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH

SHAPES_GRAPH = "urn:impactkg:graph:shapes"
ALIGN_GRAPH = "urn:impactkg:graph:align"

CORE_FILES = ("impact.ttl", "concepts.ttl")


def ontology_dir() -> Path:
    """The folder with the ontology files: the installed ``ontology`` data package or the checkout's."""
    candidates = [Path(__file__).resolve().parents[1] / "ontology"]
    spec = importlib.util.find_spec("ontology")
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(str(p)) for p in spec.submodule_search_locations]
    for folder in candidates:
        if (folder / "impact.ttl").is_file():
            return folder
    raise FileNotFoundError("the ontology files (ontology/impact.ttl) cannot be found")


def parse_turtle(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def core_graph() -> Graph:
    """The OWL ontology and its SKOS concept schemes."""
    folder = ontology_dir()
    return parse_turtle(*(folder / name for name in CORE_FILES))


def shapes_graph() -> Graph:
    return parse_turtle(ontology_dir() / "shapes.ttl")


def reference_files() -> list[Path]:
    return sorted((ontology_dir() / "reference").glob("*.ttl"))


@dataclass(frozen=True, slots=True)
class CannedQuery:
    """A ``.rq`` file from ``ontology/queries`` with its ``# title:`` style header.

    ``parameters`` come from ``# param:`` lines (see :mod:`kg.canned`).
    """

    name: str
    title: str
    title_en: str
    description: str
    sparql: str
    description_en: str = ""
    parameters: tuple[QueryParameter, ...] = ()


def canned_queries() -> list[CannedQuery]:
    queries = []
    for path in sorted((ontology_dir() / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header: dict[str, str] = {}
        parameters: list[QueryParameter] = []
        for line in text.splitlines():
            if line.startswith("#") and ":" in line:
                key, _, value = line.lstrip("# ").partition(":")
                key = key.strip().lower()
                if key == "param":
                    try:
                        parameters.append(parse_parameter(value))
                    except ValueError as error:
                        raise ValueError(f"{path.name}: {error}") from None
                header.setdefault(key, value.strip())
        queries.append(CannedQuery(path.stem, header.get("title", path.stem),
                                   header.get("title_en", ""), header.get("description", ""), text,
                                   header.get("description_en", ""), tuple(parameters)))
    return queries


def canned_query(name: str) -> CannedQuery | None:
    return next((query for query in canned_queries() if query.name == name), None)


def standard_graphs() -> Iterator[tuple[str, Graph]]:
    """The named graphs every store starts with: ontology, shapes, alignments, reference data."""
    folder = ontology_dir()
    yield ONTOLOGY_GRAPH, core_graph()
    yield SHAPES_GRAPH, shapes_graph()
    if (folder / "align.ttl").is_file():
        yield ALIGN_GRAPH, parse_turtle(folder / "align.ttl")
    yield REFERENCE_GRAPH, parse_turtle(*reference_files())
