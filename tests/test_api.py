"""The JSON API over a real server: every route is in the OpenAPI document and answers as it says."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import jsonschema
import pytest
from webapp_server import fetch, fetch_json

from webapp.openapi import openapi_document

ERROR_KEYS = {"ok", "status", "error", "code"}


def api_rules(app) -> set[str]:
    return {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/api/")}


def test_every_api_route_is_documented_and_every_documented_path_is_a_route(sample_site) -> None:
    documented = set(openapi_document()["paths"])
    assert api_rules(sample_site.app) == documented


def test_the_openapi_document_is_served_and_valid_json_schema(sample_site) -> None:
    status, document = fetch_json(sample_site.url("/api/openapi.json"))
    assert status == 200 and document["openapi"].startswith("3.1")
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def example_url(path: str, operation: dict, sample_site) -> str:
    params = {}
    for param in operation.get("parameters", []):
        if "example" not in param:
            continue
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", quote(str(param["example"]), safe=""))
        else:
            params[param["name"]] = param["example"]
    if "{key}" in path:  # a document's key depends on where the samples were read from
        _, documents = fetch_json(sample_site.url("/api/documents"))
        path = path.replace("{key}", documents["documents"][0]["page"].rsplit("/", 1)[-1])
    return path + ("?" + urlencode(params) if params else "")


@pytest.mark.parametrize("path", sorted(openapi_document()["paths"]))
def test_each_route_answers_its_example_with_its_documented_schema(sample_site, path: str) -> None:
    document = openapi_document()
    operation = document["paths"][path]["get"]
    url = example_url(path, operation, sample_site)
    status, headers, body = fetch(sample_site.url(url))
    assert status == 200, (url, body[:300])
    content = operation["responses"]["200"]["content"]
    media_type = next(iter(content))
    assert headers["Content-Type"].startswith(media_type)
    if media_type != "application/json":
        return
    import json

    schema = {**content[media_type]["schema"], "components": document["components"]}
    jsonschema.validate(json.loads(body), schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("url", [
    "/api/search?q=x&mode=magic", "/api/search?q=x&page=0", "/api/search?q=x&year=99",
    "/api/search?q=x&deal=%3Cscript%3E", "/api/resource", "/api/resource?iri=not%20an%20iri",
    "/api/lessons?kind=poem", "/api/lessons?page=-1",
    "/api/resource?iri=https://w3id.org/impactkg/def%23Lesson&in=%3Cbad%3E",
])
def test_bad_requests_are_a_400_in_the_one_error_shape(sample_site, url: str) -> None:
    status, body = fetch_json(sample_site.url(url))
    assert status == 400, body
    assert set(body) == ERROR_KEYS and body["ok"] is False and body["status"] == 400
    assert body["code"] == "bad_request" and body["error"] and "\n" not in body["error"]


@pytest.mark.parametrize("url", ["/api/search?q=" + "x" * 600, "/api/ask?q=" + "x" * 600])
def test_over_long_search_text_and_question_are_a_413_in_the_one_error_shape(sample_site, url: str) -> None:
    status, body = fetch_json(sample_site.url(url))
    assert status == 413, body
    assert set(body) == ERROR_KEYS and body["code"] == "payload_too_large" and "500" in body["error"]


@pytest.mark.parametrize("url", ["/api/deals/no-such-deal", "/api/documents/0000", "/api/nothing-here",
                                 "/api/resource?iri=https://w3id.org/impactkg/id/none"])
def test_unknown_things_are_a_404_in_the_one_error_shape(sample_site, url: str) -> None:
    status, body = fetch_json(sample_site.url(url))
    assert status == 404 and set(body) == ERROR_KEYS and body["code"] == "not_found"


def test_every_answer_names_the_generation_it_was_read_from(sample_site) -> None:
    _, stats = fetch_json(sample_site.url("/api/stats"))
    for url in ("/api/search?q=fietsen", "/api/deals", "/api/lessons", "/api/documents"):
        _, body = fetch_json(sample_site.url(url))
        assert body["generation"] == stats["generation"]


def test_search_facets_narrow_and_count(sample_site) -> None:
    _, everything = fetch_json(sample_site.url("/api/search?q=opschalingspartners"))
    deals = next(f for f in everything["facets"] if f["facet"] == "deal")
    first = deals["values"][0]
    _, narrowed = fetch_json(sample_site.url(f"/api/search?q=opschalingspartners&deal={first['value']}"))
    assert narrowed["total"] == first["count"] < everything["total"]
    assert all(first["label"] in [d["label"] for d in hit["deals"]] for hit in narrowed["hits"])
    chosen = next(f for f in narrowed["facets"] if f["facet"] == "deal")
    assert [v["value"] for v in chosen["values"] if v["selected"]] == [first["value"]]
    # the other deals still show how many hits choosing them as well would add
    assert {v["value"] for v in chosen["values"]} == {v["value"] for v in deals["values"]}
    assert narrowed["selected"][0]["facet"] == "deal"


def test_search_pages_and_modes(sample_site) -> None:
    _, first = fetch_json(sample_site.url("/api/search?q=impact"))
    assert first["pages"] > 1 and len(first["hits"]) == first["page_size"]
    _, second = fetch_json(sample_site.url("/api/search?q=impact&page=2"))
    assert second["hits"][0]["rank"] == first["page_size"] + 1
    assert not {h["passage"]["iri"] for h in first["hits"]} & {h["passage"]["iri"] for h in second["hits"]}
    _, keyword = fetch_json(sample_site.url("/api/search?q=impact&mode=keyword"))
    assert all(h["why"]["vector_rank"] is None and h["why"]["keyword_rank"] for h in keyword["hits"])
    status, _ = fetch_json(sample_site.url("/api/search?q=impact&page=99"))
    assert status == 400


def test_lessons_filters_and_exports_agree(sample_site) -> None:
    _, everything = fetch_json(sample_site.url("/api/lessons"))
    phase = everything["choices"]["phase"][0]
    _, filtered = fetch_json(sample_site.url("/api/lessons?" + urlencode({"phase": phase["value"]})))
    assert filtered["total"] == phase["count"] < everything["total"]
    assert all(phase["value"] in [p["iri"] for p in row["phases"]] for row in filtered["rows"])
    csv_url = "/api/lessons.csv?" + urlencode({"phase": phase["value"]})
    status, headers, csv_text = fetch(sample_site.url(csv_url))
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["kind", "label", "deals"]
    assert len(rows) - 1 == filtered["total"]
