"""End to end in a real browser: Debian's Chromium, headless, driven by Playwright, against the
app served on 127.0.0.1 over the sample corpus.

Every page is checked with axe-core (no serious or critical violations), for console errors
(a Content-Security-Policy violation is one) and for sideways scrolling at 360 px; a
screenshot of each, at desktop and phone width, goes to tests/artifacts/screenshots/.
``make test`` installs Chromium when it is missing (.ci/setup-browser);
``IMPACTKG_SKIP_BROWSER=1`` skips these tests instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("IMPACTKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HERE = Path(__file__).resolve().parent
AXE = (HERE / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
SHOTS = HERE / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
BLOCKING_IMPACTS = {"serious", "critical"}


def _browser_or_skip():
    if not os.path.exists(CHROMIUM):
        reason = f"no Chromium at {CHROMIUM}"
        if os.environ.get("IMPACTKG_SKIP_BROWSER") == "1":
            pytest.skip(f"browser tests skipped (IMPACTKG_SKIP_BROWSER=1): {reason}")
        pytest.fail(f"{reason}; run `bash .ci/setup-browser` (make test does), or set "
                    "IMPACTKG_SKIP_BROWSER=1 to skip the browser tests", pytrace=False)
    return pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    sync_api = _browser_or_skip()
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Checked:
    """A page whose console errors are collected; ``audit`` runs axe and takes the screenshots."""

    def __init__(self, browser, base: str) -> None:
        self.context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
        self.context.set_default_timeout(90_000)  # a loaded two-core machine is slow, not broken
        self.page = self.context.new_page()
        self.base = base
        self.console_errors: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(
            f"{self.page.url}: {message.text}"))
        self.page.on("pageerror", lambda error: self.console_errors.append(f"{self.page.url}: {error}"))

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, (path, response and response.status)

    def follow(self, link) -> None:
        """Click a link and wait until the browser is at its address."""
        href = link.get_attribute("href")
        link.click()
        self.page.wait_for_url(re.compile(re.escape(href.split("#")[0]) + r"(#.*)?$"))

    def audit(self, name: str) -> None:
        page = self.page
        page.evaluate(AXE)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        blocking = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                    for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"{name}: " + "; ".join(blocking)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        assert overflow <= PHONE["width"], f"{name}: the page scrolls sideways at 360 px ({overflow} px wide)"
        assert not self.console_errors, self.console_errors

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def checked(browser, sample_site) -> Iterator[Checked]:
    page = Checked(browser, sample_site.base)
    yield page
    page.close()


def test_search_open_a_hit_narrow_with_a_facet_and_page_on(checked: Checked) -> None:
    page = checked.page
    checked.goto("/")
    checked.audit("home")
    page.fill("#q", "opschalingspartners")
    page.click("form.search button[type=submit]")
    page.wait_for_url(re.compile(r"/zoeken\?q=opschalingspartners"))
    assert page.locator("ol.hits > li").count() == 10
    assert page.locator("ol.hits mark").count() > 0
    checked.audit("search")
    total_before = page.locator("h2.results-count").inner_text()
    facet = page.locator(".facet").filter(has_text="Deal").locator("li a").first
    facet_label = facet.inner_text().strip()
    facet.click()
    page.wait_for_url(re.compile(r"deal="))
    assert page.locator(".chosen .chip").first.inner_text().startswith(facet_label)
    assert page.locator("h2.results-count").inner_text() != total_before
    checked.audit("search-narrowed")
    page.locator(".hit details.why summary").first.click()
    assert page.locator(".hit details.why dl").first.is_visible()
    page.click("a[rel=next]")
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator("ol.hits").get_attribute("start") == "11"
    first_hit = page.locator("ol.hits > li h3 a").first
    title = first_hit.inner_text()
    checked.follow(first_hit)
    assert "/id/doc/" in page.url and page.locator("h1").inner_text()
    assert title in page.content()
    checked.audit("passage")


def test_keyboard_only_search(checked: Checked) -> None:
    page = checked.page
    checked.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"

    def tab_to(selector: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", f"no visible focus on {selector}"
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#q")
    page.keyboard.type("profijtgroep")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken\?q=profijtgroep"))
    tab_to("ol.hits > li h3 a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/id/doc/"))
    assert page.locator("h1").is_visible()


def test_deal_page_draws_the_chain_and_lights_up_links(checked: Checked) -> None:
    page = checked.page
    checked.goto("/deals")
    checked.audit("deals")
    checked.follow(page.locator("table a", has_text="City Deal Fietsen voor Iedereen"))
    svg = page.locator("svg.chain")
    assert svg.is_visible() and svg.bounding_box()["width"] > 600
    assert page.locator("svg.chain a.node").count() >= 10
    for stage in ("Ambitie", "Activiteiten", "Output", "Impact"):
        assert page.locator("svg.chain .stage-title", has_text=stage).count() == 1
    checked.audit("deal")
    checked.goto("/deals/city-deal-eenzaamheid-doorbreken")
    link = page.locator("svg.chain path.link-chain").first
    source = link.get_attribute("data-from")
    page.locator(f'svg.chain a.node[data-iri="{source}"]').hover()
    assert page.locator("svg.chain path.link.lit").count() >= 1
    page.locator("svg.chain a.note").first.click()
    assert page.url.endswith("#aanname-1")
    checked.audit("deal-with-assumption")


def test_resource_page_follow_a_link(checked: Checked) -> None:
    page = checked.page
    checked.goto("/id/deal/city-deal-fietsen-voor-iedereen")
    assert page.locator("h1").inner_text() == "City Deal Fietsen voor Iedereen"
    checked.audit("resource-deal")
    link = page.locator("section.incoming ul.link-list a").first
    label = link.inner_text()
    checked.follow(link)
    assert page.locator("h1").inner_text().startswith(label.rstrip("…"))
    assert page.locator("#bewijs-kop").count() == 1  # its evidence, quote marked
    assert page.locator("figure.evidence mark").count() >= 1
    checked.audit("resource-extracted")
    checked.goto("/def/Lesson")
    checked.audit("class")
    checked.follow(page.locator("a[rel=next]").first)
    assert "page=2" in page.url
    checked.goto("/concept/phase-4")
    checked.audit("concept")
    checked.goto("/def")
    checked.audit("ontology")


def test_switch_language_and_stay_in_it(checked: Checked) -> None:
    page = checked.page
    checked.goto("/lessen")
    checked.audit("lessons")
    checked.follow(page.locator("a.language"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Lessons and working elements"
    checked.audit("lessons-en")
    page.select_option("#filter-kind", "working_element")  # app.js submits the form on change
    page.wait_for_url(re.compile(r"kind=working_element"))
    assert "lang=en" in page.url
    checked.follow(page.locator("nav a", has_text="Documents"))
    assert page.locator("h1").inner_text() == "Documents" and "lang=en" in page.url
    checked.audit("documents-en")
    checked.follow(page.locator("a.language"))
    assert page.locator("h1").inner_text() == "Documenten"


def test_documents_and_a_document(checked: Checked) -> None:
    page = checked.page
    checked.goto("/documenten")
    checked.audit("documents")
    checked.follow(page.locator("ul.documents h2 a").first)
    assert page.locator(".doc-passage").count() >= 1
    checked.audit("document")
    jump = page.locator("a.to-mark").first
    target = jump.get_attribute("href")
    jump.click()
    assert page.url.endswith(target)


def test_ask_a_question_and_follow_a_citation(checked: Checked) -> None:
    page = checked.page
    checked.goto("/")
    page.fill("#vraag", "Hoe betrek je partijen die weerstand bieden?")
    page.click("form.ask button[type=submit]")
    page.wait_for_url(re.compile(r"/vraag\?q="))
    assert page.locator(".answer-text p").count() >= 1
    checked.audit("ask")
    citation = page.locator(".answer-text a.cite").first
    target = citation.get_attribute("href")
    assert target.startswith("#citaat-")
    citation.click()
    assert page.url.endswith(target)
    mark = page.locator(f"mark{target}")
    assert mark.is_visible() and mark.inner_text().strip()
    assert page.evaluate("document.activeElement.tagName") == "MARK"  # app.js moves focus there
    checked.goto("/vraag?q=Wie+won+de+Tour+de+France+in+1998%3F")
    assert page.locator(".answer.declined .no-answer").is_visible()
    checked.audit("ask-declined")
    checked.goto("/vraag?q=Wie+sprak+er+op+de+CoP+in+Amersfoort%3F")
    page.locator("details.sparql summary").click()
    editor = page.locator("details.sparql a").get_attribute("href")
    assert editor.startswith("/sparql?query=") and "SELECT" in editor.replace("%20", " ")
    checked.audit("ask-graph")


def test_ask_page_without_a_question_and_error_pages(checked: Checked) -> None:
    checked.goto("/vraag")
    checked.audit("ask-empty")
    response = checked.page.goto(checked.base + "/deals/geen-deal")
    assert response.status == 404
    checked.console_errors.clear()  # the browser logs the 404 itself
    checked.audit("error-404")


def test_the_audit_catches_what_it_should(browser, sample_site) -> None:
    """axe and the console check do fail on a page with real problems (so a pass means something)."""
    page = Checked(browser, sample_site.base)
    try:
        page.page.set_content('<html><body><img src="data:,"><p style="color:#ccc">grijs</p>'
                              '<input type="text"></body></html>')
        with pytest.raises(AssertionError, match=r"image-alt|label"):
            page.audit("audit-self-check")
    finally:
        page.close()
