"""The whole path on a remote store (setting store_url) against the private Virtuoso of tests/virtuoso.py.

init → ingest the samples → annotate → search with a deal facet → the web app's pages and
/sparql with SPARQLWrapper → canned queries with parameters. The data directory keeps only
the search indexes and their generations; the graph lives in Virtuoso.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import virtuoso
from click.testing import CliRunner
from sparql_fixtures import fetch, serve  # noqa: F401 - fixture by name
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from impactkg.cli import cli
from kg.generations import current_generation
from kg.remote import RemoteGraphStore

virtuoso_endpoint = virtuoso.virtuoso_endpoint  # the session fixture, requested by name below

REPO = Path(__file__).resolve().parents[1]
FIETSEN = "https://w3id.org/impactkg/id/deal/city-deal-fietsen-voor-iedereen"


def clear(endpoint: str) -> None:
    with RemoteGraphStore(endpoint, timeout_s=60) as store:
        with store.batch() as batch:
            for graph in store.graph_iris():
                batch.drop_graph(graph)
        store.remove_staging_graphs()


@pytest.fixture
def remote(virtuoso_endpoint: str, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    clear(virtuoso_endpoint)
    yield tmp_path / "data", virtuoso_endpoint
    clear(virtuoso_endpoint)


def test_whole_path_on_virtuoso(remote: tuple[Path, str], serve) -> None:  # noqa: F811
    data_dir, endpoint = remote
    store_url = endpoint.replace("http://", "sparql+http://", 1)
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(cli, ["--data-dir", str(data_dir), "--setting", "store_url", store_url,
                                     "--setting", "annotate_with_model", "false", *args],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    run("init")
    assert not (data_dir / "store").exists()  # no embedded store: the graph is in Virtuoso
    with RemoteGraphStore(endpoint, timeout_s=60) as store:
        assert "urn:impactkg:graph:ontology" in store.graph_iris()
    run("ingest", str(REPO / "samples"))
    generation = current_generation(data_dir)
    assert generation.manifest["graph_store"] == "remote" and not generation.graph_path.exists()
    assert (generation.path / "search").is_dir()  # the indexes still publish generations
    stats = json.loads(run("stats", "--format", "json").output)
    assert stats["instances"]["Document"] == 7 and stats["instances"]["Lesson"] > 10
    annotated = run("annotate", "--all")
    assert "7" in annotated.output
    hits = json.loads(run("search", "partijen die weerstand bieden", "--deal", "Fietsen voor Iedereen",
                          "--format", "json").output)["hits"]
    assert hits and all(FIETSEN in hit["deals"] for hit in hits)
    canned = json.loads(run("sparql", "weerstand", "--param", "deal", FIETSEN, "--format", "json").output)
    assert canned["results"]["bindings"]

    base = serve(data_dir, store_url=store_url)
    assert json.loads(fetch(base + "/api/stats.json").body)["instances"]["Document"] == 7
    client = SPARQLWrapper(base + "/sparql")
    client.setReturnFormat(JSON)
    client.setQuery(f"SELECT ?p ?o WHERE {{ <{FIETSEN}> ?p ?o }}")
    about = client.query().convert()["results"]["bindings"]
    assert {"type": "literal", "value": "mobiliteit", "xml:lang": "nl"} in [b["o"] for b in about]
    client.setMethod(POST)
    client.setQuery("SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { GRAPH ?g { ?l a ikg:Lesson } }")
    lessons = int(client.query().convert()["results"]["bindings"][0]["n"]["value"])
    assert lessons == stats["instances"]["Lesson"]
    refused = fetch(base + "/sparql?" + urllib.parse.urlencode({"query": "CLEAR GRAPH <urn:x>"}))
    assert refused.status == 403
    narrowed = json.loads(fetch(base + "/queries/lessen-per-fase-en-opschaling.json?fase=phase-4").body)
    phases = {row["lesFase"]["value"] for row in narrowed["results"]["bindings"]}
    assert phases == {"https://w3id.org/impactkg/concept/phase-4"}
    page = fetch(base + "/queries/weerstand?deal=" + urllib.parse.quote(FIETSEN), accept="text/html")
    assert page.status == 200 and "/id/deal/city-deal-fietsen-voor-iedereen" in page.text
    void = fetch(base + "/.well-known/void")
    assert void.status == 200 and b"void:triples" in void.body
