"""Queries with a hard time limit run in a worker process that is killed at the limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg import GraphStore, SparqlSyntaxError, publish_generation
from kg.errors import QueryTimeoutError
from kg.limited import run_query_limited

SLOW = """SELECT (COUNT(*) AS ?n) WHERE {
  ?a ?p1 ?b . ?c ?p2 ?d . ?e ?p3 ?f . ?g ?p4 ?h . ?i ?p5 ?j . ?k ?p6 ?l }"""


@pytest.fixture(scope="module")
def generation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("limited")
    with GraphStore(folder) as store:
        store.replace_graph("https://example.org/g", [
            (URIRef(f"https://example.org/s{i}"), URIRef("https://example.org/p"), Literal(i))
            for i in range(200)])
        return publish_generation(store).graph_path


def test_quick_query_returns_rows(generation: Path) -> None:
    result = run_query_limited(generation, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5",
                               time_limit_ms=20_000)
    assert len(result.rows) == 5


def test_runaway_query_is_killed_at_the_limit(generation: Path) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="time limit of 1500 ms"):
        run_query_limited(generation, SLOW, time_limit_ms=1500)
    assert time.monotonic() - started < 15  # stopped, not run to the end (hours)


def test_errors_cross_the_process_boundary(generation: Path) -> None:
    with pytest.raises(SparqlSyntaxError):
        run_query_limited(generation, "SELEC nothing", time_limit_ms=20_000)
