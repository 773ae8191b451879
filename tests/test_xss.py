"""Script payloads in documents, names, query strings, SPARQL results and answers render inert.

Two documents full of payloads (tests/fixtures/hostile: a Markdown report whose title, front
matter, deal name and headings carry them, and a plain-text news item whose body text does)
are ingested into a copy of the sample data. Every page that shows them is fetched: the
raw payload never appears unescaped in the HTML. Then each page is opened in Chromium: no
dialog fires, no ``window.__xss`` is set, no element the payloads would inject exists (no
``data-xss`` element, no inline event handler, no ``javascript:`` link, no inline script with
the payload), including the results table the SPARQL editor builds in the browser.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from test_browser import browser  # noqa: F401  (the module's Chromium, or a skip)
from webapp_server import LiveApp, fetch, fetch_json

REPO = Path(__file__).resolve().parents[1]
HOSTILE = REPO / "tests" / "fixtures" / "hostile"
RAW_PAYLOADS = ("<script>window.__xss", "<img src=x data-xss", "<svg data-xss", "<iframe data-xss",
                "<b data-xss", "<script>alert(", "<img src=x onerror=alert(1)>",
                "</textarea><script>")
ESCAPED = "&lt;script&gt;window.__xss"
QUERY_PAYLOAD = "<img src=x onerror=alert(1)>"
INJECTED = """() => ({
  marked: document.querySelectorAll('[data-xss]').length,
  handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
      .filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
  javascript_links: [...document.querySelectorAll('[href], [src], [action]')]
      .filter(e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src')
                                          || e.getAttribute('action') || '')).length,
  scripts: [...document.scripts].filter(s => s.textContent.includes('__xss')
      && s.type !== 'application/json').length,
  iframes: document.querySelectorAll('iframe').length,
  flag: window.__xss === undefined ? null : String(window.__xss),
})"""


@pytest.fixture(scope="module")
def hostile_site(sample_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    from click.testing import CliRunner

    from impactkg.cli import cli

    data = tmp_path_factory.mktemp("hostile-data") / "data"
    shutil.copytree(sample_data, data, symlinks=True)
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "ingest", str(HOSTILE)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with LiveApp(data) as site:
        yield site


@pytest.fixture(scope="module")
def hostile_pages(hostile_site: LiveApp) -> dict[str, str]:
    """Name -> path of every page that shows a payload (found through the JSON API)."""
    site = hostile_site
    _, documents = fetch_json(site.url("/api/documents"))
    hostile_docs = [d for d in documents["documents"] if "__xss" in d["title"]]
    assert len(hostile_docs) == 2, [d["title"] for d in documents["documents"]]
    _, deals = fetch_json(site.url("/api/deals"))
    deal = next(d for d in deals["deals"] if "__xss" in d["label"])
    lesson_page, lesson = next((number, row) for number in range(1, 20)
                               for row in fetch_json(site.url(f"/api/lessons?page={number}"))[1]["rows"]
                               if "__xss" in row["label"])
    deal_iri = deal["iri"]
    sparql = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?s ?label WHERE "
              "{ ?s rdfs:label ?label FILTER(CONTAINS(STR(?label), \"__xss\")) } LIMIT 20")
    pages = {
        "search": "/zoeken?" + urlencode({"q": "Veilige Wijken buurtcoach weerstand"}),
        "search-query-string": "/zoeken?" + urlencode({"q": QUERY_PAYLOAD + " borgen"}),
        "search-bad-facet": "/zoeken?" + urlencode({"q": "borgen", "deal": QUERY_PAYLOAD}),
        "ask": "/vraag?" + urlencode({"q": "Wat is de les over partners die weerstand bieden?"}),
        "ask-query-string": "/vraag?" + urlencode({"q": QUERY_PAYLOAD + " Wat is een werkzaam element?"}),
        "deal": deal["page"],
        "deal-resource": "/resource?" + urlencode({"iri": deal_iri}),
        "deals": "/deals",
        "lessons": f"/lessen?page={lesson_page}",
        "lesson-resource": "/resource?" + urlencode({"iri": lesson["iri"]}),
        "documents": "/documenten",
        "resource-bad-iri": "/resource?" + urlencode({"iri": "https://x.org/" + QUERY_PAYLOAD}),
        "canned-query": "/queries/documenten-per-deal?" + urlencode({"deal": deal_iri}),
        "canned-bad-value": "/queries/documenten-per-deal?" + urlencode({"deal": QUERY_PAYLOAD}),
        "sparql-editor": "/sparql?query=" + quote(sparql, safe=""),
    }
    for number, document in enumerate(hostile_docs):
        pages[f"document-{number}"] = document["page"]
        pages[f"document-resource-{number}"] = "/resource?" + urlencode({"iri": document["iri"]})
    return pages


def test_no_page_carries_a_payload_unescaped(hostile_site: LiveApp, hostile_pages: dict[str, str]) -> None:
    escaped_on = []
    for name, path in hostile_pages.items():
        status, headers, body = fetch(hostile_site.url(path), accept="text/html")
        assert status < 500 and headers["Content-Type"].startswith("text/html"), (name, status)
        for payload in RAW_PAYLOADS:
            assert payload not in body, (name, path, payload)
        if ESCAPED in body or "&lt;img src=x onerror=alert(1)&gt;" in body:
            escaped_on.append(name)
    # the payloads really were on the pages (escaped), so the check above could have failed
    for expected in ("search", "deal", "deals", "lessons", "document-0", "document-1", "search-query-string",
                     "deal-resource", "canned-query"):
        assert expected in escaped_on, (expected, escaped_on)


def test_the_json_api_returns_payloads_as_data_not_markup(hostile_site: LiveApp) -> None:
    status, headers, body = fetch(hostile_site.url("/api/documents"), accept="application/json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert headers["X-Content-Type-Options"] == "nosniff"  # never sniffed as HTML
    assert "<script>window.__xss" in body  # the text itself, kept as written


def test_every_page_is_inert_in_the_browser(browser, hostile_site: LiveApp,  # noqa: F811
                                            hostile_pages: dict[str, str]) -> None:
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(90_000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    try:
        for name, path in hostile_pages.items():
            page.goto(hostile_site.url(path))
            page.wait_for_load_state("networkidle")
            if name == "sparql-editor":  # the table is built in the browser from the JSON results
                page.wait_for_selector("#results tbody tr")
                assert "__xss" in page.inner_text("#results tbody"), "the payloads were not in the table"
            page.mouse.move(200, 300)
            page.keyboard.press("Tab")
            found = page.evaluate(INJECTED)
            assert found == {"marked": 0, "handlers": [], "javascript_links": 0, "scripts": 0,
                             "iframes": 0, "flag": None}, (name, path, found)
        assert not dialogs, dialogs
    finally:
        context.close()
