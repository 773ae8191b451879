"""Canned queries with declared parameters: parsing, binding as RDF terms, pages, CLI."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from sparql_fixtures import fetch, serve  # noqa: F401 - fixture by name

from impactkg.cli import cli
from kg.canned import ParameterError, QueryParameter, bind_parameters, parse_parameter
from kg.ontology import canned_queries

IKGC = "https://w3id.org/impactkg/concept/"
FIETSEN = "https://w3id.org/impactkg/id/deal/city-deal-fietsen-voor-iedereen"
REQUIRED = {  # the list, and the canned query that answers each
    "deals by theme and phase": "deals-per-thema-en-fase",
    "lessons by phase and scaling strategy": "lessen-per-fase-en-opschaling",
    "working elements with their evidence": "werkzame-elementen",
    "people and organisations per meeting": "bijeenkomsten-en-sprekers",
    "outputs and impacts per deal": "outputs-en-impacts-per-deal",
    "documents per deal over time": "documenten-per-deal",
    "assumptions not yet tested": "aannames-niet-getoetst",
    "stakeholders that resist": "weerstand",
}


def test_parameter_declarations() -> None:
    parameter = parse_parameter(' fase concept ikgc:Phases "Fase / phase"')
    assert parameter == QueryParameter("fase", "concept", IKGC + "Phases", "", "Fase / phase")
    text = parse_parameter('thema text@nl ikg:theme "Thema"')
    assert (text.kind, text.language, text.range_iri) == ("text", "nl", "https://w3id.org/impactkg/def#theme")
    assert parse_parameter("vanaf date").label == "vanaf"
    for bad in ("x", "9x date", "x colour", "x instance", 'x date a b "label"', "x text@nl@en"):
        with pytest.raises(ValueError):
            parse_parameter(bad)


def test_every_canned_query_projects_its_parameters() -> None:
    """Substitution needs the variable in the SELECT projection (checked by Oxigraph)."""
    store = ox.Store()
    names = {q.name for q in canned_queries()}
    assert set(REQUIRED.values()) <= names
    for query in canned_queries():
        for parameter in query.parameters:
            value = ox.NamedNode(IKGC + "x") if parameter.kind in ("instance", "concept") else ox.Literal("x")
            list(store.query(query.sparql, substitutions={ox.Variable(parameter.name): value},
                             use_default_graph_as_union=True))


def test_values_are_bound_as_terms_never_pasted() -> None:
    (query,) = [q for q in canned_queries() if q.name == "deals-per-thema-en-fase"]
    bound = bind_parameters(query.parameters, {"fase": "phase-2", "thema": 'x" } ; DROP ALL #'})
    assert bound["fase"] == ox.NamedNode(IKGC + "phase-2")
    assert bound["thema"] == ox.Literal('x" } ; DROP ALL #', language="nl")  # a literal, nothing more
    assert bind_parameters(query.parameters, {"fase": "ikgc:phase-3"})["fase"].value == IKGC + "phase-3"
    assert bind_parameters(query.parameters, {"fase": "", "thema": "  "}) == {}
    for values, message in [({"fase": "fase twee"}, "fase: 'fase twee' is not"),
                            ({"fase": "javascript:alert(1)"}, "is not a concept"),
                            ({"kleur": "rood"}, "unknown parameter 'kleur'")]:
        with pytest.raises(ParameterError, match=message):
            bind_parameters(query.parameters, values)
    date = QueryParameter("vanaf", "date")
    assert bind_parameters((date,), {"vanaf": "2024-03-05"})["vanaf"].datatype.value.endswith("#date")
    with pytest.raises(ParameterError, match="YYYY-MM-DD"):
        bind_parameters((date,), {"vanaf": "5 maart"})


@pytest.fixture
def base(serve, sample_data: Path) -> str:  # noqa: F811
    return serve(sample_data)


def rows(base: str, path: str) -> list[dict]:
    answer = fetch(base + path)
    assert answer.status == 200, answer.text
    return json.loads(answer.body)["results"]["bindings"]


def test_every_canned_query_has_a_page_and_json_and_csv(base: str) -> None:
    listing = json.loads(fetch(base + "/queries.json").body)["queries"]
    assert {q["name"] for q in listing} == {q.name for q in canned_queries()}
    page = fetch(base + "/queries", accept="text/html")
    assert page.status == 200 and "/queries/weerstand" in page.text
    for query in listing:
        html = fetch(base + query["url"], accept="text/html")
        assert html.status == 200, (query["name"], html.text[:300])
        for parameter in query["parameters"]:
            assert f'name="{parameter["name"]}"' in html.text
        assert query["json"] in html.text and query["csv"] in html.text
        answer = fetch(base + query["json"])
        assert answer.content_type == "application/sparql-results+json"
        table = list(csv.reader(io.StringIO(fetch(base + query["csv"]).text)))
        assert len(table) - 1 == len(json.loads(answer.body)["results"]["bindings"]), query["name"]


def test_parameters_narrow_the_answer(base: str) -> None:
    everything = rows(base, "/queries/lessen-per-fase-en-opschaling.json")
    borgen = rows(base, "/queries/lessen-per-fase-en-opschaling.json?fase=phase-4")
    both = rows(base, "/queries/lessen-per-fase-en-opschaling.json?" + urllib.parse.urlencode(
        {"fase": IKGC + "phase-4", "opschaling": "scaling-replicate"}))
    assert len(everything) > len(borgen) > len(both) > 0
    assert {r["lesFase"]["value"] for r in borgen} == {IKGC + "phase-4"}
    assert {r["lesOpschaling"]["value"] for r in both} == {IKGC + "scaling-replicate"}
    assert all(r["fase"]["value"] == IKGC + "phase-4" for r in borgen)  # the bound value is shown
    resisting = rows(base, "/queries/weerstand.json")
    for_fietsen = rows(base, "/queries/weerstand.json?deal=" + urllib.parse.quote(FIETSEN))
    assert 0 < len(for_fietsen) < len(resisting)
    assert {r["dealVanPartij"]["value"] for r in for_fietsen} == {FIETSEN}
    documents = rows(base, "/queries/documenten-per-deal.json?deal=" + urllib.parse.quote(FIETSEN))
    dates = [r["datum"]["value"] for r in documents if "datum" in r]
    assert documents and dates == sorted(dates)
    themes = rows(base, "/queries/deals-per-thema-en-fase.json?thema=mobiliteit")
    assert themes and {r["naam"]["value"] for r in themes} == {"City Deal Fietsen voor Iedereen"}


def test_form_offers_choices_and_keeps_the_chosen_value(base: str) -> None:
    page = fetch(base + "/queries/lessen-per-fase-en-opschaling?fase=" + urllib.parse.quote(
        IKGC + "phase-4"), accept="text/html").text
    assert f'<option value="{IKGC}phase-4" selected>borgen</option>' in page
    assert "opschalen" in page and "— alle / all —" in page
    assert 'href="/id/lesson/' in page  # instances link to the resource browser
    assert "fase=https" in page  # the JSON and CSV links carry the parameters


def test_bad_values_are_400_with_a_clear_message(base: str) -> None:
    for path, message in [
        ("/queries/weerstand.json?deal=geen+iri", "deal: 'geen iri' is not an IRI"),
        ("/queries/weerstand.csv?kleur=rood", "unknown parameter 'kleur'"),
        ("/queries/lessen-per-fase-en-opschaling?fase=phase-9",
         "fase: 'phase-9' is not a concept of Phases; choose one of: phase-1, phase-2"),
    ]:
        answer = fetch(base + path, accept="application/json")
        assert answer.status == 400, path
        assert message in json.loads(answer.body)["error"]
    assert fetch(base + "/queries/bestaat-niet", accept="application/json").status == 404


def test_cli_runs_canned_queries_with_parameters(sample_data: Path) -> None:
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, ["--data-dir", str(sample_data), *args], catch_exceptions=False)

    listing = run("queries")
    assert "--param fase <concept ikgc:Phases>" in listing.output
    everything = json.loads(run("sparql", "weerstand", "--format", "json").output)
    narrowed = json.loads(run("sparql", "weerstand", "--param", "deal", FIETSEN, "--format", "json").output)
    assert 0 < len(narrowed["results"]["bindings"]) < len(everything["results"]["bindings"])
    bad = run("sparql", "weerstand", "--param", "deal", "geen iri")
    assert bad.exit_code == 2 and bad.output.strip() == "Fout / error: deal: 'geen iri' is not an IRI"
    not_canned = run("sparql", "ASK {}", "--param", "deal", FIETSEN)
    assert not_canned.exit_code == 2 and "canned" in not_canned.output
