"""Two things a new user ran into, through the real CLI and a real HTTP server on 127.0.0.1.

1. ``impactkg ingest http://127.0.0.1:PORT/ --crawl`` without ``--allow-private`` printed
   ``skipped 1`` and exited 0. A start URL that is refused, unreachable or missing must fail
   with its reason, crawl or not; dead links found during a crawl stay skipped with a reason.
2. A folder with a site's listing page (links, no main text) failed the whole run with exit 1.
   Pages without main text are skipped with their reason; failure is kept for broken files.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpfixture
import pytest
from httpfixture import LocalHTTPServer, Route

http_server = httpfixture.http_server

RULES_ONLY = ("--setting", "annotate_with_model", "false",
              "--setting", "fetch_per_host_delay_s", "0")
ARTICLE_TEXT = (
    "De City Deal Kennis maken bracht gemeenten, hogescholen en universiteiten samen. In "
    "Groningen leerden de partners dat studenten het beste leren in echte wijkvraagstukken. "
    "Daarom kregen wijkteams een vaste plek in het onderwijs, ook na afloop van de deal. "
)


def article(title: str, *links: str) -> str:
    anchors = "".join(f'<p><a href="{link}">Lees ook {link}</a></p>' for link in links)
    return (f"<html lang='nl'><head><title>{title}</title></head><body><main><article><h1>{title}"
            f"</h1><p>{ARTICLE_TEXT * 2}</p>{anchors}</article></main></body></html>")


def listing(*links: str) -> str:
    """A site's overview page: a heading and links, no text of its own."""
    items = "".join(f'<li><a href="{link}">Nieuwsbericht over de City Deal {i}</a></li>'
                    for i, link in enumerate(links))
    return (f"<!doctype html><html lang='nl'><head><title>Nieuws - Agenda Stad</title></head>"
            f"<body><header><nav><a href='/'>Home</a></nav></header><main><h1>Nieuws</h1>"
            f"<ul>{items}</ul><nav><a href='/nieuws/page/2/'>Volgende</a></nav></main>"
            f"</body></html>")


def lines(result, prefix: str) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith(prefix)]


def documents(invoke) -> int:
    figures = json.loads(invoke("stats", "--format", "json").output)
    return int(figures["instances"].get("Document", 0))


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- 1. the start URL --------------------------------------------------------------------------


@pytest.mark.parametrize("crawl", [("--crawl",), ()], ids=["crawl", "single"])
def test_a_refused_start_url_fails_with_its_reason(invoke, initialised: Path,
                                                   http_server: LocalHTTPServer,
                                                   crawl: tuple[str, ...]) -> None:
    http_server.route("/", article("Kennis maken"))
    result = invoke(*RULES_ONLY, "ingest", *crawl, http_server.url("/"))
    assert result.exit_code == 1, result.output
    (failure,) = lines(result, "MISLUKT / FAILED")
    assert failure.endswith("refused: 127.0.0.1 is a loopback address; "
                            "use --allow-private to fetch from private networks")
    assert "mislukt/failed 1" in result.output and "overgeslagen/skipped 0" in result.output
    assert http_server.requests == []  # not even robots.txt was asked
    assert "Traceback" not in result.output


@pytest.mark.parametrize("crawl", [("--crawl",), ()], ids=["crawl", "single"])
def test_an_unreachable_start_url_fails_with_its_reason(invoke, initialised: Path,
                                                        crawl: tuple[str, ...]) -> None:
    port = closed_port()
    result = invoke(*RULES_ONLY, "ingest", "--allow-private", *crawl, f"http://127.0.0.1:{port}/")
    assert result.exit_code == 1, result.output
    (failure,) = lines(result, "MISLUKT / FAILED")
    assert f"connection refused by 127.0.0.1:{port}" in failure


@pytest.mark.parametrize("crawl", [("--crawl",), ()], ids=["crawl", "single"])
def test_a_missing_start_url_fails_with_its_reason(invoke, initialised: Path,
                                                   http_server: LocalHTTPServer,
                                                   crawl: tuple[str, ...]) -> None:
    result = invoke(*RULES_ONLY, "ingest", "--allow-private", *crawl, http_server.url("/weg/"))
    assert result.exit_code == 1, result.output
    (failure,) = lines(result, "MISLUKT / FAILED")
    assert failure.endswith("/weg/: 404 Not Found")


def test_a_start_url_behind_a_broken_robots_txt_fails(invoke, initialised: Path,
                                                      http_server: LocalHTTPServer) -> None:
    http_server.route("/robots.txt", Route("kapot", status=503))
    http_server.route("/", article("Kennis maken"))
    result = invoke(*RULES_ONLY, "ingest", "--allow-private", "--crawl", http_server.url("/"))
    assert result.exit_code == 1, result.output
    (failure,) = lines(result, "MISLUKT / FAILED")
    assert "robots.txt unreachable (503 Service Unavailable)" in failure
    assert http_server.hits("/") == 0


def test_dead_links_found_during_a_crawl_are_skipped_with_their_reason(
    invoke, initialised: Path, http_server: LocalHTTPServer
) -> None:
    http_server.route("/", article("Kennis maken", "/weg/", "/ook-weg/", "/les/"))
    http_server.route("/les/", article("Les uit Groningen"))
    http_server.route("/ook-weg/", Route("verdwenen", status=410))
    result = invoke(*RULES_ONLY, "ingest", "--allow-private", "--crawl", "--max-pages", "10",
                    http_server.url("/"))
    assert result.exit_code == 0, result.output
    skipped = sorted(lines(result, "OVERGESLAGEN / SKIPPED"))
    assert [line.rsplit(": ", 1)[1] for line in skipped] == ["410 Gone", "404 Not Found"]
    assert "nieuw/new 2" in result.output and "overgeslagen/skipped 2" in result.output
    assert documents(invoke) == 2


def test_a_link_to_a_server_error_during_a_crawl_still_fails(
    invoke, initialised: Path, http_server: LocalHTTPServer
) -> None:
    http_server.route("/", article("Kennis maken", "/stuk/"))
    http_server.route("/stuk/", Route("fout", status=500))
    result = invoke(*RULES_ONLY, "ingest", "--allow-private", "--crawl", http_server.url("/"))
    assert result.exit_code == 1, result.output
    (failure,) = lines(result, "MISLUKT / FAILED")
    assert failure.endswith("/stuk/: 500 Internal Server Error")
    assert documents(invoke) == 1  # the start page is stored all the same


# -- 2. pages without main text ----------------------------------------------------------------


def test_a_listing_page_in_a_folder_is_skipped_not_failed(invoke, initialised: Path,
                                                          tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "nieuws" / "kennis-maken").mkdir(parents=True)
    (site / "nieuws" / "index.html").write_text(
        listing("/nieuws/kennis-maken/", "/nieuws/a/", "/nieuws/b/"), encoding="utf-8")
    (site / "nieuws" / "kennis-maken" / "index.html").write_text(
        article("Kennis maken"), encoding="utf-8")
    (site / "leeg.txt").write_text("", encoding="utf-8")

    result = invoke(*RULES_ONLY, "ingest", str(site))

    assert result.exit_code == 0, result.output
    skipped = lines(result, "OVERGESLAGEN / SKIPPED")
    assert len(skipped) == 2, result.output
    assert any("nieuws/index.html: empty page: no main text found" in s for s in skipped)
    assert any("leeg.txt: empty file" in s for s in skipped)
    assert lines(result, "MISLUKT") == []
    assert "nieuw/new 1" in result.output and "overgeslagen/skipped 2" in result.output
    assert documents(invoke) == 1


def test_a_listing_page_in_a_crawl_is_skipped_and_its_links_followed(
    invoke, initialised: Path, http_server: LocalHTTPServer
) -> None:
    http_server.route("/", listing("/nieuws/kennis-maken/"))
    http_server.route("/nieuws/kennis-maken/", article("Kennis maken"))
    result = invoke(*RULES_ONLY, "ingest", "--allow-private", "--crawl", http_server.url("/"))
    assert result.exit_code == 0, result.output
    skipped = sorted(line.split("  ", 1)[1] for line in lines(result, "OVERGESLAGEN / SKIPPED"))
    assert skipped == [http_server.url("/") + ": empty page: no main text found",
                       http_server.url("/nieuws/page/2/") + ": 404 Not Found"]
    assert "nieuw/new 1" in result.output


def test_a_broken_file_still_fails_beside_a_listing_page(invoke, initialised: Path,
                                                         tmp_path: Path) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "overzicht.html").write_text(listing("/a/", "/b/"), encoding="utf-8")
    (folder / "kapot.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    result = invoke(*RULES_ONLY, "ingest", str(folder))
    assert result.exit_code == 1
    (failure,) = lines(result, "MISLUKT / FAILED")
    assert "kapot.pdf" in failure and "PDF" in failure
    assert len(lines(result, "OVERGESLAGEN / SKIPPED")) == 1
