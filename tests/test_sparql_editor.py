"""The SPARQL editor page driven in Chromium (Debian's /usr/bin/chromium through Playwright).

Checks what an analyst does: type a query, run it with Ctrl+Enter, read the table (prefixed
names, links to this server's resource pages), download CSV/JSON, share the URL, insert a
prefix, load an example; and that the page runs under the Content-Security-Policy without
violations (no inline scripts or styles).
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sparql_fixtures import fetch, serve  # noqa: F401 - fixture by name

CHROMIUM = os.environ.get("IMPACTKG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (bash .ci/setup-services)",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, serve, sample_data: Path):  # noqa: F811
    base = serve(sample_data, max_returned_rows=50)
    context = browser.new_context(accept_downloads=True, base_url=base)
    page = context.new_page()
    page.problems = []  # console errors and CSP violations
    page.on("console", lambda message: message.type == "error"
            and "favicon" not in message.location.get("url", "")  # not ours: the web app's
            and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def set_query(page, text: str) -> None:
    page.evaluate("text => window.impactkgEditor.setValue(text)", text)


def test_run_with_ctrl_enter_shows_a_linked_table(page) -> None:
    page.goto("/sparql")
    assert page.locator(".CodeMirror .cm-keyword").first.is_visible()  # highlighted
    set_query(page, "SELECT ?les ?fase WHERE { ?les a ikg:Lesson ; ikg:inPhase ?fase } ORDER BY ?les")
    page.click(".CodeMirror")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results tbody tr")
    assert "rijen / rows" in page.inner_text("#status")
    first = page.locator("#results tbody tr").first
    lesson = first.locator("td").nth(0).locator("a")
    assert lesson.inner_text().startswith("id:lesson/")
    assert lesson.get_attribute("href").startswith("/id/lesson/")
    assert lesson.get_attribute("title").startswith("https://w3id.org/impactkg/id/lesson/")
    phase = first.locator("td").nth(1).locator("a")
    assert phase.inner_text().startswith("ikgc:phase-")
    assert phase.get_attribute("href").startswith("/concept/phase-")
    assert page.problems == []


def test_query_is_kept_in_the_url_and_a_shared_link_runs(page) -> None:
    query = "SELECT ?deal WHERE { ?deal a ikg:CityDeal } ORDER BY ?deal LIMIT 3"
    page.goto("/sparql")
    set_query(page, query)
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["query"] == [query]
    shared = page.url
    page.goto("/sparql")
    page.goto(shared)  # opening a shared link fills the editor and runs the query
    page.wait_for_selector("#results tbody tr")
    assert page.locator("#results tbody tr").count() == 3
    assert page.evaluate("window.impactkgEditor.getValue()") == query
    assert page.problems == []


def test_downloads_are_csv_and_json(page) -> None:
    page.goto("/sparql")
    set_query(page, "SELECT ?fase ?naam WHERE { ?fase skos:inScheme ikgc:Phases ; skos:prefLabel ?naam "
                    "FILTER(LANG(?naam) = 'nl') } ORDER BY ?fase")
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    with page.expect_download() as csv_download:
        page.click("#download-csv")
    text = Path(csv_download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "fase,naam" and "borgen" in text
    href = page.get_attribute("#download-json", "href")
    answer = fetch(page.url.split("/sparql")[0] + href)
    assert answer.content_type == "application/sparql-results+json"
    assert len(answer.text) > 100


def test_prefixes_are_insertable_and_examples_load(page) -> None:
    page.goto("/sparql")
    set_query(page, "SELECT * WHERE { ?s a org:Organization } LIMIT 1")
    page.select_option("#prefix-select", "org")
    assert page.evaluate("window.impactkgEditor.getValue()").startswith(
        "PREFIX org: <http://www.w3.org/ns/org#>\n")
    page.select_option("#example-select", "weerstand")
    assert "ikgc:stance-resistant" in page.evaluate("window.impactkgEditor.getValue()")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results tbody tr")
    assert "naam" in page.inner_text("#results thead")
    assert page.problems == []


def test_errors_truncation_and_graph_results_are_shown(page) -> None:
    page.goto("/sparql")
    set_query(page, "SELECT ?x WHERE { ?x ")
    page.click("#run")
    page.wait_for_selector("#status.error-text")
    assert "SPARQL syntax error" in page.inner_text("#status")
    assert [p for p in page.problems if "400" not in p] == []  # the browser logs the 400 itself
    page.problems.clear()
    set_query(page, "SELECT ?s WHERE { ?s ?p ?o }")
    page.click("#run")
    expect(page.locator("#status")).to_contain_text("afgekapt")  # no wait_for_function: CSP forbids eval
    assert page.locator("#results tbody tr").count() == 50
    set_query(page, "CONSTRUCT { ?d a ikg:CityDeal ; skos:prefLabel ?n } WHERE { SELECT DISTINCT ?d ?n "
                    "WHERE { ?d a ikg:CityDeal ; skos:prefLabel ?n } ORDER BY ?d LIMIT 4 }")
    page.click("#run")
    expect(page.locator("#results tbody tr")).to_have_count(8)  # 4 solutions, 2 triples each
    assert page.inner_text("#results thead").split() == ["subject", "predicate", "object"]
    assert page.problems == []


def test_canned_query_page_form(page) -> None:
    page.goto("/queries/lessen-per-fase-en-opschaling")
    all_rows = page.locator(".results-table tbody tr").count()
    page.select_option("#param-fase", label="borgen")
    page.click("form.parameters button")
    page.wait_for_url("**fase=*")
    assert 0 < page.locator(".results-table tbody tr").count() < all_rows
    assert page.locator("#param-fase option:checked").inner_text() == "borgen"
    page.click("text=Open in de editor")
    page.wait_for_selector("#results tbody tr")
    assert page.problems == []
