"""Property-based tests: readers, chunker, Dutch dates, questions and canned-query parameters
take anything without an undocumented exception and without hanging.

Every example runs under a wall-clock limit (``time_limit``), so a hang fails the test instead
of stalling the suite. The default suite tries a modest number of examples per target;
``make fuzz`` (bench/fuzz_inputs.py) runs the same tests with ``IMPACTKG_FUZZ_EXAMPLES`` set
high and reports how many inputs each target took (``IMPACTKG_FUZZ_REPORT``).
"""

from __future__ import annotations

import json
import os
import signal
import string
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_ask_units import MemoryGraph

from ask.catalog import EntityCatalog
from ask.intent import analyse
from ingest.annotate.dates import find_dates, format_dutch, parse_iso
from ingest.chunk import ChunkOptions, chunk_document
from ingest.document import Block, ReadOptions, ReadOutcome, blocks_to_text
from ingest.read import read_bytes
from ingest.read_docx import read_docx
from ingest.read_html import read_html
from ingest.read_pdf import read_pdf
from kg.canned import KINDS, ParameterError, QueryParameter, bind_parameters, parse_parameter

REPO = Path(__file__).resolve().parents[1]
PDF = (REPO / "samples" / "tussenevaluatie-fietsen-voor-iedereen-2025.pdf").read_bytes()
DOCX = (REPO / "samples" / "verslag-werksessie-opschalingspartners-2025-03-04.docx").read_bytes()
EXAMPLES = int(os.environ.get("IMPACTKG_FUZZ_EXAMPLES", "40"))
EXAMPLE_LIMIT_S = float(os.environ.get("IMPACTKG_FUZZ_LIMIT_S", "20"))
TRIED: Counter[str] = Counter()
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
SMALL_READS = ReadOptions(max_bytes=2_000_000)


@pytest.fixture(scope="module", autouse=True)
def report_counts() -> Iterator[None]:
    """Writes the number of inputs per target where ``IMPACTKG_FUZZ_REPORT`` says (make fuzz)."""
    yield
    path = os.environ.get("IMPACTKG_FUZZ_REPORT")
    if path:
        report = {"inputs": dict(TRIED)}
        Path(path).write_text(json.dumps(report, indent=1), encoding="utf-8")


@contextmanager
def time_limit(target: str, seconds: float = EXAMPLE_LIMIT_S) -> Iterator[None]:
    """Count one input for target and fail it when it takes longer than ``seconds``."""
    TRIED[target] += 1

    def expire(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"{target}: one input took longer than {seconds:g} s (a hang?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_outcome(outcome: ReadOutcome) -> None:
    """What every reader promises: a document with text, or a one-line reason."""
    assert isinstance(outcome, ReadOutcome)
    if outcome.document is None:
        assert outcome.skipped_reason and "\n" not in outcome.skipped_reason
    else:
        assert outcome.document.text.strip()
        assert outcome.document.text == blocks_to_text(outcome.document.blocks)


# -- strategies ----------------------------------------------------------------------------------

ODD_TEXT = st.sampled_from([
    "\x00", "\ufeff", "\ud800", "\u202e", "\u200d", "\r", "\x0c", "&amp;", "&#0;", "&#xD800;",
    "&#1114112;", "<!--", "-->", "<![CDATA[", "]]>", "<?xml version='1.0'?>", "</p>", "<p",
    "<!DOCTYPE html>", "é", "ﷺ", "\u0301" * 20, "<script>alert(1)</script>", "\\", "%PDF-",
    "PK\x03\x04", "\n\n", " " * 50,
])
TEXT = st.one_of(st.text(max_size=60), ODD_TEXT)
TAGS = st.sampled_from([
    "div", "p", "article", "main", "nav", "a", "h1", "h2", "h3", "ul", "ol", "li", "table", "tr",
    "td", "script", "style", "span", "br", "img", "header", "footer", "section", "aside", "iframe",
    "svg", "math", "template", "noscript", "textarea", "title", "meta", "base", "form", "time",
    "blockquote", "pre", "figure", "figcaption", "button", "select", "option", "head", "body",
])
ATTRIBUTES = st.sampled_from([
    "", ' class="entry-content"', ' id="main"', ' href="/city-deals/kennis-maken/"',
    ' href="javascript:alert(1)"', " href", ' lang="nl"', ' datetime="2024-03-05"',
    ' content="2024-13-45"', ' name="robots" content="nofollow"', ' class="nav menu cookie"',
    ' style="display:none"', ' href="http://[::1"', ' src="data:,x"', " x=\"\x00\"",
])
HTML_NODES = st.recursive(
    TEXT,
    lambda children: st.builds(
        lambda tag, attributes, kids, closed: (
            f"<{tag}{attributes}>{''.join(kids)}" + (f"</{tag}>" if closed else "")),
        TAGS, ATTRIBUTES, st.lists(children, max_size=6), st.booleans()),
    max_leaves=40,
)
SENTENCE = st.sampled_from([
    "De City Deal Kennis maken bracht hogescholen en gemeenten samen in Groningen.",
    "Opschalen begint bij de start, zei Wouter Kersten van Platform31.",
    "Zorg voor diversiteit in situaties, doelgroepen en belangen!",
    "Wat werkt? Waardering werkt: jongeren blijven vrijwilligerswerk doen.",
])


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    body = "".join(draw(st.lists(st.one_of(HTML_NODES, SENTENCE), max_size=8)))
    page = f"<html><head><title>{draw(TEXT)}</title></head><body>{body}</body></html>"
    encoding = draw(st.sampled_from(["utf-8", "cp1252", "utf-16", "latin-1"]))
    data = page.encode(encoding, errors="replace") if encoding != "utf-8" else page.encode(
        "utf-8", errors="surrogatepass")
    cut = draw(st.integers(0, len(data)))
    return data[: cut] if draw(st.booleans()) else data


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """A file truncated and/or with bytes overwritten, inserted or repeated."""
    data = bytearray(original)
    for _ in range(draw(st.integers(0, 12))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(["set", "insert", "delete", "repeat"]))
        if action == "set" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(max_size=16))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 256))] * draw(st.integers(1, 8))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


# -- readers -------------------------------------------------------------------------------------


@FUZZ
@given(html_pages())
def test_html_reader_takes_any_markup(page: bytes) -> None:
    with time_limit("html reader"):
        check_outcome(read_html(page, "https://www.agendastad.nl/nieuws/x/", SMALL_READS))


@FUZZ
@given(mutated(PDF))
def test_pdf_reader_takes_any_damage(data: bytes) -> None:
    with time_limit("pdf reader"):
        check_outcome(read_pdf(data, "tussenevaluatie.pdf", SMALL_READS))


@FUZZ
@given(mutated(DOCX))
def test_docx_reader_takes_any_damage(data: bytes) -> None:
    with time_limit("docx reader"):
        check_outcome(read_docx(data, "verslag.docx", SMALL_READS))


@FUZZ
@given(st.one_of(st.binary(max_size=4000),
                 st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.lists(st.one_of(SENTENCE, TEXT), max_size=40).map(
                     lambda parts: "\n".join(parts).encode("utf-8", "surrogatepass"))),
       st.sampled_from(["x.txt", "x.md", "x.html", "x.pdf", "x.docx", "x", "x.png"]),
       st.sampled_from(["", "text/plain; charset=utf-16", "text/html; charset=nonsense",
                        "application/pdf", "text/plain; charset=\"cp1252\"", "image/png"]))
def test_any_bytes_under_any_name_are_read_or_refused(data: bytes, name: str,
                                                       media_type: str) -> None:
    with time_limit("text reader (any bytes)"):
        check_outcome(read_bytes(data, name, media_type, SMALL_READS))


# -- chunker -------------------------------------------------------------------------------------

BLOCKS = st.lists(st.builds(
    Block, st.sampled_from(["heading", "paragraph", "list_item"]),
    st.one_of(TEXT, SENTENCE, st.lists(SENTENCE, max_size=30).map(" ".join),
              st.integers(0, 3000).map(lambda n: "woord " * n)),
    st.integers(-2, 9)), max_size=30)


@FUZZ
@given(st.one_of(BLOCKS, st.text(max_size=5000)),
       st.integers(1, 80).flatmap(lambda low: st.tuples(st.just(low), st.integers(low, 300))))
def test_chunker_covers_the_text_with_passages_of_bounded_size(
    source: list[Block] | str, sizes: tuple[int, int]
) -> None:
    options = ChunkOptions(*sizes)
    with time_limit("chunker"):
        chunks = chunk_document(source, options)
    text = source if isinstance(source, str) else blocks_to_text(source)
    headings = 0 if isinstance(source, str) else sum(b.kind == "heading" for b in source)
    assert [c.position for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert 0 <= chunk.start_char < chunk.end_char <= len(text)
        assert text[chunk.start_char : chunk.end_char] == chunk.text
        # sentences count up to 4x max_words, short sections merge; headings (<= 40 words) ride along
        assert chunk.word_count <= 6 * options.max_words + 40 * headings
    starts = [c.start_char for c in chunks]
    assert starts == sorted(starts)


# -- Dutch dates ---------------------------------------------------------------------------------

DATE_WORDS = st.sampled_from([
    "maart", "mei", "december", "jan", "sept", "begin", "eind", "medio", "half", "in", "tot",
    "vorige", "afgelopen", "volgende", "komende", "week", "maandag", "zondagavond", "gisteren",
    "morgen", "overmorgen", "vandaag", "t/m", "en", "-", "2024", "1999", "2099", "31", "0", "29",
    "30-02-2024", "2024-02-30", "2024-13-01", "05-03-2024", "de", "op",
])


@FUZZ
@given(st.lists(st.one_of(DATE_WORDS, st.integers(-5, 10_000).map(str), TEXT), max_size=25)
       .map(" ".join),
       st.one_of(st.none(), st.dates(), st.sampled_from([date.min, date.max, date(2024, 2, 29)])))
def test_dutch_dates_parse_anything(sentence: str, document_date: date | None) -> None:
    with time_limit("dutch dates"):
        mentions = find_dates(sentence, document_date)
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(sentence)
        assert sentence[mention.start : mention.end] == mention.text
        assert parse_iso(mention.iso) is not None or len(mention.iso) == 7
        assert format_dutch(mention.iso)


# -- questions and canned-query parameters -------------------------------------------------------

GRAPH = MemoryGraph()
CATALOG = EntityCatalog.from_graph(GRAPH)
QUESTION_WORDS = st.sampled_from([
    "wie", "sprak", "op", "de", "CoP", "in", "Amersfoort", "welke", "deals", "hoeveel", "City",
    "Deal", "Ruimte", "voor", "Lopen", "wanneer", "waar", "Wouter", "Kersten", "lessen", "?",
    "5 maart 2024", "'", '"', "}", "{", "\\", "#", "SELECT * WHERE", "<http://x/>", "FILTER(",
    ") }", "Platform31", "werkzame", "elementen", "status", "thema", "how", "who",
])


@FUZZ
@given(st.lists(st.one_of(QUESTION_WORDS, TEXT), max_size=30).map(" ".join),
       st.sampled_from(["", "https://w3id.org/impactkg/id/deal/city-deal-klimaatadaptatie",
                        "Ruimte voor Lopen", "'} DROP"]))
def test_questions_are_analysed_and_their_queries_run(question: str, deal_facet: str) -> None:
    with time_limit("question parsing"):
        analysis = analyse(question, CATALOG, deal_facet)
        query = analysis.graph
        while query is not None:  # the template's SPARQL with the question's values bound
            GRAPH.query(query.sparql, max_rows=50, substitutions=query.bindings)
            query = query.companion


PARAMETERS = (
    QueryParameter("deal", "instance", "https://w3id.org/impactkg/def#CityDeal"),
    QueryParameter("fase", "concept", "https://w3id.org/impactkg/def#PhaseScheme"),
    QueryParameter("vanaf", "date"),
    QueryParameter("aantal", "integer"),
    QueryParameter("zoek", "text", language="nl"),
    QueryParameter("vrij", "text"),
)
VALUES = st.one_of(TEXT, st.sampled_from([
    "ikg:CityDeal", "<https://x/>", "https://w3id.org/impactkg/id/x> } ; DROP ALL ; <",
    "phase-2", "urn:x", "2024-02-30", "99999999999999999999999", "-0", "1e5", "x" * 1001,
    "javascript:alert(1)", "https://exa mple.org/", "\" } INSERT DATA { <a> <b> <c> } #",
]))


@FUZZ
@given(st.dictionaries(st.one_of(st.sampled_from([p.name for p in PARAMETERS]),
                                 st.text(max_size=8)), VALUES, max_size=6))
def test_canned_parameters_bind_or_raise_parameter_error(values: dict[str, str]) -> None:
    with time_limit("canned parameters"):
        try:
            bound = bind_parameters(PARAMETERS, values)
        except ParameterError as error:
            assert str(error)
            return
    assert set(bound) <= {p.name for p in PARAMETERS}


@FUZZ
@given(st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(st.sampled_from([*KINDS, "text@nl", "text@", "text@123", "ikg:Deal",
                                        '"een label"', "'", '"', "deal", "?x", "<x>"]),
                       st.text(alphabet=string.printable, max_size=10)), max_size=6).map(" ".join)))
def test_parameter_declarations_parse_or_raise_value_error(line: str) -> None:
    with time_limit("canned declarations"):
        try:
            parameter = parse_parameter(line)
        except ValueError as error:
            assert str(error).startswith("param declaration")
            return
    assert parameter.kind in KINDS and parameter.name
