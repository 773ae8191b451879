"""The CLI through Click's runner: init, stats, sparql, export, validate, settings, get, routes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg import GraphStore, publish_generation
from kg.namespaces import IKG


def test_commands_before_init_say_what_to_do(invoke) -> None:
    result = invoke("stats")
    assert result.exit_code == 1
    assert "run `impactkg init` first" in result.output
    assert "Traceback" not in result.output


def test_init_loads_ontology_and_reference_data(invoke, initialised: Path) -> None:
    result = invoke("stats", "--format", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["graphs"] >= 3
    assert figures["instances"].get("CityDeal", 0) >= 5
    assert figures["instances"].get("Programme") == 1
    again = invoke("init")  # idempotent
    assert again.exit_code == 0
    assert json.loads(invoke("stats", "--format", "json").output)["quads"] == figures["quads"]


def test_sparql_formats(invoke, initialised: Path) -> None:
    query = ("SELECT ?deal ?label WHERE { ?deal a ikg:CityDeal ; skos:prefLabel ?label } "
             "ORDER BY ?label LIMIT 3")
    table = invoke("sparql", query)
    assert table.exit_code == 0, table.output
    assert "City Deal" in table.output and "(3 rijen / rows)" in table.output
    as_json = json.loads(invoke("sparql", query, "--format", "json").output)
    assert as_json["head"]["vars"] == ["deal", "label"]
    assert len(as_json["results"]["bindings"]) == 3
    assert as_json["results"]["bindings"][0]["label"]["xml:lang"] == "nl"
    rows = list(csv.reader(io.StringIO(invoke("sparql", query, "--format", "csv").output)))
    assert rows[0] == ["deal", "label"] and len(rows) == 4
    tsv = invoke("sparql", query, "--format", "tsv").output.splitlines()
    assert tsv[0] == "?deal\t?label" and tsv[1].startswith("<https://")
    ask = invoke("sparql", "ASK { ?d a ikg:TownDeal }")
    assert "ja (true)" in ask.output


def test_sparql_from_file_and_stdin(invoke, initialised: Path, tmp_path: Path) -> None:
    query_file = tmp_path / "q.rq"
    query_file.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?d a ikg:Programme }")
    assert "1" in invoke("sparql", str(query_file), "--format", "csv").output.splitlines()[1]
    piped = invoke("sparql", "-", "--format", "csv", input="ASK { ?d a ikg:Programme }")
    assert "true" in piped.output
    missing = invoke("sparql", str(tmp_path / "missing.rq"))
    assert missing.exit_code == 1 and "query file not found" in missing.output


def test_bad_sparql_is_one_line_and_exit_2(invoke, initialised: Path) -> None:
    result = invoke("sparql", "SELEC ?x WHERE { ?x ?y ?z }")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fout / error: SPARQL syntax error")
    federated = invoke("sparql", "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }")
    assert federated.exit_code == 2 and "SERVICE" in federated.output


def test_canned_queries_are_listed_and_run(invoke, initialised: Path) -> None:
    listing = invoke("queries")
    assert listing.exit_code == 0
    names = [line.split()[0] for line in listing.output.splitlines()
             if line.strip() and not line.startswith(" ")]  # indented lines list parameters
    assert names
    for name in names:
        result = invoke("sparql", name, "--format", "json")
        assert result.exit_code == 0, (name, result.output)


def test_export_formats(invoke, initialised: Path, tmp_path: Path) -> None:
    from rdflib import Dataset, Graph

    trig = tmp_path / "all.trig"
    assert invoke("export", "--format", "trig", "-o", str(trig)).exit_code == 0
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    assert len(list(dataset.graphs())) >= 3
    nquads = invoke("export", "--format", "nquads")
    assert nquads.exit_code == 0 and nquads.output.count("\n") > 100
    turtle = tmp_path / "ref.ttl"
    result = invoke("export", "--format", "turtle", "--graph", "urn:impactkg:graph:reference",
                    "-o", str(turtle))
    assert result.exit_code == 0
    graph = Graph().parse(turtle, format="turtle")
    assert (None, RDF.type, IKG.CityDeal) in graph


def test_validate_passes_on_clean_data_and_fails_on_violations(invoke, initialised: Path) -> None:
    clean = invoke("validate", "--ontology")
    assert clean.exit_code == 0, clean.output
    assert "0 overtredingen / violations" in clean.output
    with GraphStore(initialised) as store:
        lesson = URIRef("https://w3id.org/impactkg/id/lesson/zonder-bewijs")
        store.replace_graph("https://example.org/bad", [
            (lesson, RDF.type, IKG.Lesson), (lesson, RDFS.label, Literal("Betrek weerstand vroeg")),
        ])
        publish_generation(store)
    broken = invoke("validate")
    assert broken.exit_code == 1
    assert "Violation" in broken.output and "zonder-bewijs" in broken.output


def test_second_writer_gets_one_line(invoke, initialised: Path) -> None:
    with GraphStore(initialised):
        result = invoke("init")
    assert result.exit_code == 3
    assert result.output.strip().count("\n") == 0
    assert "is being written by impactkg process" in result.output


def test_settings_listing_and_bad_setting(invoke) -> None:
    listing = invoke("settings", "--format", "json")
    assert json.loads(listing.output)["fusion_rrf_k"] == 60
    bad = invoke("--setting", "port", "vijf", "settings")
    assert bad.exit_code == 1 and "port needs a int" in bad.output


def test_get_runs_a_request_without_a_server(invoke, initialised: Path) -> None:
    result = invoke("get", "/api/stats.json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["graphs"] >= 3
    page = invoke("get", "/")
    assert "impactkg" in page.output and "lang=\"nl\"" in page.output


def test_routes_lists_every_page_and_api_route(invoke, data_dir: Path) -> None:
    result = invoke("routes")
    assert result.exit_code == 0, result.output
    rules = {line.split()[1] for line in result.output.splitlines()}
    for rule in ("/", "/zoeken", "/vraag", "/deals/<slug>", "/id/<path:rest>", "/def/<local>", "/lessen",
                 "/documenten/<key>", "/api/search", "/api/openapi.json"):
        assert rule in rules, rule


def test_a_writer_runs_at_the_cpu_priority_of_the_setting_with_passive_engine_threads(tmp_path: Path) -> None:
    # In a child process: a lowered priority cannot be raised again without privileges (and
    # in-process ingests of other tests may have lowered this one's already).
    code = ("import os, sys; from pathlib import Path; from impactkg.settings import load_settings; "
            "from impactkg.wiring import lower_cpu_priority; "
            "settings = load_settings(Path(sys.argv[1]), {'ingest_nice': sys.argv[2]}, environ={}); "
            "lower_cpu_priority(settings); lower_cpu_priority(settings); "
            "print(os.nice(0), os.environ['OMP_WAIT_POLICY'])")
    start = os.nice(0)
    if start >= 18:
        pytest.skip("this test process already runs at the lowest priority")
    environ = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    for nice, expected in ((start + 1, start + 1), (19, 19), (0, start)):
        done = subprocess.run([sys.executable, "-c", code, str(tmp_path), str(nice)],
                              capture_output=True, text=True, check=True, env=environ)
        assert done.stdout.split() == [str(expected), "PASSIVE"], nice  # engine threads wait passively
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path), "0"], capture_output=True,
                          text=True, check=True, env={**environ, "OMP_WAIT_POLICY": "ACTIVE"})
    assert done.stdout.split()[1] == "ACTIVE"  # the user's own policy stays
