"""The HTML pages over a real server: they render, link their JSON twins, escape what users and
documents write, carry the security headers, and keep their state in the URL."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
from webapp_server import fetch, fetch_json

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PAGES = ["/", "/zoeken", "/zoeken?q=opschalingspartners", "/vraag", "/deals",
         "/deals/city-deal-fietsen-voor-iedereen", "/lessen", "/documenten", "/def", "/def/Lesson",
         "/def/aboutDeal", "/concept/phase-1", "/concept/Phases", "/id/deal/city-deal-fietsen-voor-iedereen",
         "/resource?iri=" + "https%3A%2F%2Fw3id.org%2Fimpactkg%2Fid%2Fprogramme%2Fagenda-stad"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


def page(site, path: str) -> tuple[int, dict[str, str], str]:
    return fetch(site.url(path), accept=BROWSER)


@pytest.mark.parametrize("path", PAGES)
def test_each_page_renders_safely_in_dutch(sample_site, path: str) -> None:
    status, headers, body = page(sample_site, path)
    assert status == 200, body[:500]
    assert headers["Content-Type"].startswith("text/html")
    assert '<html lang="nl">' in body and "<main" in body
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"]
    assert not INLINE_SCRIPT.search(body) and not EVENT_HANDLER.search(body)
    assert not STYLE_ATTRIBUTE.search(body)  # the CSP would block them
    assert "Server-Timing" in headers


@pytest.mark.parametrize("path", ["/", "/zoeken?q=fietsen", "/deals", "/lessen", "/documenten"])
def test_pages_link_their_json_twin(sample_site, path: str) -> None:
    _, _, body = page(sample_site, path)
    twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)"', body)
    assert twin is not None
    status, data = fetch_json(sample_site.url(html.unescape(twin.group(1))))
    assert status == 200 and "generation" in data


def test_what_users_type_is_escaped(sample_site) -> None:
    attack = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    for path in ("/zoeken", "/vraag"):
        status, _, body = page(sample_site, f"{path}?" + urlencode({"q": attack}))
        assert "<script>alert(1)" not in body and "<img src=x" not in body, path
        if status == 200:
            assert html.escape(attack, quote=True) in body or "&lt;script&gt;" in body


def test_english_is_one_switch_away_and_stays_on(sample_site) -> None:
    _, _, dutch = page(sample_site, "/deals")
    assert ">Zoeken<" in dutch and 'hreflang="en"' in dutch
    _, _, english = page(sample_site, "/deals?lang=en")
    assert '<html lang="en">' in english and ">Search<" in english and ">Lessons<" in english
    links = re.findall(r'href="(/(?:zoeken|deals/[^"]+|lessen|documenten)[^"]*)"', english)
    assert links and all("lang=en" in link for link in links), links
    switch_back = re.search(r'<a class="language" href="([^"]+)"', english).group(1)
    assert "lang=" not in html.unescape(switch_back)


def test_search_page_marks_words_shows_facets_pages_and_why(sample_site) -> None:
    _, _, body = page(sample_site, "/zoeken?q=opschalingspartners")
    assert "<mark>" in body.lower() or "<mark>opschalingspartners" in body.lower()
    assert 'class="facets"' in body and "Verfijnen" in body
    assert 'rel="next"' in body
    assert "Waarom deze passage?" in body and "plaats" in body
    facet_link = re.search(r'<li><a href="(/zoeken\?q=opschalingspartners&amp;deal=[^"]+)"', body).group(1)
    _, _, narrowed = page(sample_site, html.unescape(facet_link))
    assert 'class="chip"' in narrowed  # the chosen filter shows, with a link that removes it
    assert 'type="hidden" name="deal"' in narrowed  # a new search keeps the filter


def test_a_search_without_words_explains_itself(sample_site) -> None:
    status, _, body = page(sample_site, "/zoeken")
    assert status == 200 and "Typ een zoekvraag" in body


def test_bad_input_gives_an_html_error_page_with_a_way_back(sample_site) -> None:
    status, headers, body = page(sample_site, "/zoeken?q=x&mode=nonsense")
    assert status == 400 and headers["Content-Type"].startswith("text/html")
    assert "mode must be one of" in body and 'href="/"' in body
    status, _, body = page(sample_site, "/deals/not-a-deal")
    assert status == 404 and "not-a-deal" in body


def test_deal_page_draws_the_chain_and_lists_it(sample_site) -> None:
    _, deal = fetch_json(sample_site.url("/api/deals/city-deal-fietsen-voor-iedereen"))
    _, _, body = page(sample_site, "/deals/city-deal-fietsen-voor-iedereen")
    svg = body[body.index("<svg"):body.index("</svg>")]
    nodes = re.findall(r'<a href="[^"]+" class="node stage-(\w+)"', svg)
    expected = {stage: len(items) for stage, items in deal["chain"]["stages"].items()}
    assert {stage: nodes.count(stage) for stage in set(nodes)} == expected
    assert "Impactketen" in body and 'id="keten-lijst"' in body
    for stage in ("Ambitie", "Beleid &amp; strategie", "Activiteiten", "Output", "Impact"):
        assert stage in svg
    assert "Lessen en documenten door de tijd" in body


def test_deal_facts_are_listed_once_though_several_documents_state_them(sample_site) -> None:
    # Three sample documents type this deal; the union default graph repeats each triple per graph.
    _, deal = fetch_json(sample_site.url("/api/deals/city-deal-eenzaamheid-doorbreken"))
    types = [t["iri"] for t in deal["types"]]
    assert len(types) == len(set(types)) and "https://w3id.org/impactkg/def#CityDeal" in types
    for key in ("phases", "programme", "partners"):
        iris = [item["iri"] for item in deal[key]]
        assert len(iris) == len(set(iris)), key


def test_a_chain_element_two_documents_name_is_shown_once(sample_site) -> None:
    # Two sample documents of this deal both name the impact "Minder eenzaamheid"; annotation
    # mints one resource per document, the page shows one element and links the other.
    _, deal = fetch_json(sample_site.url("/api/deals/city-deal-eenzaamheid-doorbreken"))
    chain = deal["chain"]
    for stage, items in chain["stages"].items():
        labels = [" ".join(item["label"].casefold().split()) for item in items]
        assert len(labels) == len(set(labels)), stage
    merged = [item for items in chain["stages"].values() for item in items if item["also"]]
    assert [item["label"] for item in merged] == ["Minder eenzaamheid"]
    other = merged[0]["also"][0]
    assert other["iri"] != merged[0]["iri"] and other["label"] == "Minder eenzaamheid"
    shown = {item["iri"] for items in chain["stages"].values() for item in items}
    assert all(edge["source"] in shown and edge["target"] in shown for edge in chain["edges"])
    assert chain["totals"]["impact"] == len(chain["stages"]["impact"])
    _, _, body = page(sample_site, "/deals/city-deal-eenzaamheid-doorbreken")
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert svg.count(">Minder eenzaamheid<") == 1
    assert f'(ook in <a href="{other["url"]}">een ander document</a>)' in body
    # The same for a group of people a document names without a name of its own.
    _, fietsen = fetch_json(sample_site.url("/api/deals/city-deal-fietsen-voor-iedereen"))
    for group, entries in fietsen["stakeholders"].items():
        labels = [" ".join(entry["label"].casefold().split()) for entry in entries]
        assert len(labels) == len(set(labels)), group
    assert any(entry["also"] for entries in fietsen["stakeholders"].values() for entry in entries)


def test_deal_page_puts_assumptions_on_their_links(sample_site) -> None:
    _, deals = fetch_json(sample_site.url("/api/deals"))
    with_links = []
    for deal in deals["deals"]:
        slug = deal["page"].rsplit("/", 1)[-1]
        _, data = fetch_json(sample_site.url(f"/api/deals/{slug}"))
        if data["chain"]["assumptions"]:
            with_links.append((slug, data))
    assert with_links, "the samples hold an assumption on a change link of some deal"
    slug, data = with_links[0]
    _, _, body = page(sample_site, f"/deals/{slug}")
    assert body.count('class="note"') >= 1 and 'id="aanname-1"' in body
    assert data["chain"]["assumptions"][0]["label"] in html.unescape(body)
    assert 'class="link link-chain"' in body


def test_lessons_table_filters_pages_and_exports(sample_site) -> None:
    _, _, body = page(sample_site, "/lessen")
    assert "<table" in body and 'name="phase"' in body and "Exporteer" in body
    csv_link = re.search(r'href="(/api/lessons\.csv[^"]*)"', body).group(1)
    status, headers, _ = fetch(sample_site.url(html.unescape(csv_link)))
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    _, _, lessons_only = page(sample_site, "/lessen?kind=working_element")
    assert lessons_only.count("<tr>") < body.count("<tr>")


def test_documents_list_and_a_document_with_its_extractions(sample_site) -> None:
    _, listing = fetch_json(sample_site.url("/api/documents"))
    assert listing["total"] == 7
    _, _, body = page(sample_site, "/documenten")
    first = listing["documents"][0]
    assert html.escape(first["title"]) in body
    _, _, document = page(sample_site, first["page"])
    assert document.count('class="doc-passage"') == first["passages"]
    assert "<mark id=" in document and 'class="extracted"' in document


def test_home_page_counts_and_entry_points(sample_site) -> None:
    _, stats = fetch_json(sample_site.url("/api/stats"))
    _, _, body = page(sample_site, "/")
    assert f'<span class="count">{stats["instances"]["Document"]}</span>' in body
    assert stats["generation"] in body
    for link in ('href="/deals"', 'href="/lessen"', 'href="/documenten"', 'href="/def"', 'href="/sparql"',
                 'href="/queries"'):
        assert link in body
    assert "/vraag?q=" in body  # example questions


def test_ask_page_answers_with_citations_and_says_when_it_cannot(sample_site) -> None:
    question = "Hoe betrek je partijen die weerstand bieden?"
    _, _, body = page(sample_site, "/vraag?" + urlencode({"q": question}))
    anchors = set(re.findall(r'class="cite" href="#(citaat-\d+)"', body))
    assert anchors and all(f'<mark id="{anchor}">' in body for anchor in anchors)
    _, _, graph = page(sample_site, "/vraag?" + urlencode({"q": "Wie sprak er op de CoP in Amersfoort?"}))
    assert "uit de graaf" in graph and "/sparql?query=" in graph and "Wouter Kersten" in graph
    _, _, declined = page(sample_site, "/vraag?" + urlencode({"q": "Wie won de Tour de France in 1998?"}))
    assert "Hier is geen goed antwoord op gevonden." in declined
