"""Benchmark: documents per second for reading, template cleaning and chunking HTML pages.

Generates N synthetic programme-website pages of about 5 kB (menu, cookie banner, story with
headings and lists, "Lees ook" teasers of other pages, footer), then times, in one process
pinned to one core: read_html on every page, learning one site template from all pages and
cleaning every page with it, and chunking every cleaned page. Run:

    .venv/bin/python bench/bench_extract.py --pages 200

Nothing is asserted; the target is 20 documents per second or more.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest import ReadOptions, SiteTemplate, chunk_document, read_html

SUBJECTS = ("De deal", "De gemeente", "Het programmabureau", "De profijtgroep", "Elke proeftuin",
            "De stuurgroep", "De woningcorporatie", "Het onderzoeksteam", "De dealmaker")
VERBS = ("onderzoekt", "beschrijft", "meet", "verbetert", "borgt", "deelt", "test", "bespreekt")
OBJECTS = ("de werkzame elementen van de aanpak", "de impact op de lange termijn",
           "de aannames tussen output en impact", "de rol van partijen die weerstand bieden",
           "de diversiteit van de proeftuinen", "de zachte waarde van het project",
           "de opschaling naar tien gemeenten", "de lessen uit de vorige bijeenkomst")
TAILS = ("samen met bewoners.", "in de tweede fase.", "voor het einde van het jaar.",
         "met hulp van Platform31.", "zoals afgesproken in de dealtekst.", "in vijf steden.")
HEADINGS = ("Aanleiding", "Aanpak", "Resultaten", "Lessen", "Opschalen", "Borgen", "Vervolg")


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"


def paragraph(rng: random.Random, n: int) -> str:
    return " ".join(sentence(rng) for _ in range(n))


def make_pages(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    leads = [paragraph(rng, 2) for _ in range(count)]
    pages = []
    for index in range(count):
        body = [f"<p>{leads[index]}</p>"]
        for heading in rng.sample(HEADINGS, 4):
            body.append(f"<h2>{heading}</h2><p>{paragraph(rng, 5)}</p><p>{paragraph(rng, 3)}</p>")
        body.append("<ul>" + "".join(f"<li>{sentence(rng)}</li>" for _ in range(3)) + "</ul>")
        teasers = "".join(
            f'<div class="et_pb_module et_pb_blurb"><h4><a href="/nieuws/p{other}/">Bericht {other}'
            f'</a></h4><p>{leads[other]}</p><p><a href="/nieuws/p{other}/">Lees meer</a></p></div>'
            for other in rng.sample(range(count), min(3, count))
            if other != index
        )
        html = f"""<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">
<title>Bericht {index} - Voorbeeldsite</title><meta property="og:site_name" content="Voorbeeldsite">
<meta property="article:published_time" content="2024-0{1 + index % 9}-1{index % 10}"></head><body>
<div id="cookie-notice"><p>Wij gebruiken cookies om de site te verbeteren.</p><a>Accepteren</a></div>
<header id="main-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/nieuws/">Nieuws</a></li>
<li><a href="/city-deals/">City Deals</a></li></ul></nav></header>
<div class="et_pb_section"><div class="et_pb_row"><div class="et_pb_column et_pb_column_3_4">
<div class="et_pb_module et_pb_text"><div class="et_pb_text_inner"><h1>Bericht {index}</h1>
{"".join(body)}</div></div></div>
<div class="et_pb_column et_pb_column_1_4">{teasers}</div></div></div>
<footer id="main-footer"><p>Voorbeeldsite is een kennisplatform voor City Deals.</p></footer>
</body></html>"""
        pages.append((f"https://voorbeeld.example/nieuws/p{index}/", html))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    pages = make_pages(args.pages)
    size_kb = sum(len(html.encode()) for _, html in pages) / len(pages) / 1024
    options = ReadOptions()
    read_html(pages[0][1].encode(), pages[0][0], options)  # warm imports and caches

    started = time.perf_counter()
    documents = []
    for source, html in pages:
        outcome = read_html(html.encode(), source, options)
        if outcome.document is not None:
            documents.append(outcome.document)
    read_done = time.perf_counter()
    template = SiteTemplate.learn(documents)
    cleaned = [template.clean(document) for document in documents]
    template_done = time.perf_counter()
    passages = sum(len(chunk_document(document)) for document in cleaned)
    chunk_done = time.perf_counter()

    total = chunk_done - started
    count = len(pages)
    print(f"{count} pages of {size_kb:.1f} kB on one core: {count / total:.1f} documents/s "
          f"({1000 * total / count:.1f} ms per document: read {1000 * (read_done - started) / count:.1f}, "
          f"template {1000 * (template_done - read_done) / count:.1f}, "
          f"chunk {1000 * (chunk_done - template_done) / count:.1f}); {len(documents)} read, "
          f"{passages} passages")


if __name__ == "__main__":
    main()
