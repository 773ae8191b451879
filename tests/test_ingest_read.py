"""Readers: HTML, PDF, DOCX, Markdown, plain text; boilerplate rules; reasons for skipping."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from ingest import (
    MEDIA_DOCX,
    MEDIA_HTML,
    MEDIA_MARKDOWN,
    MEDIA_PDF,
    MEDIA_TEXT,
    Block,
    ExtractedDocument,
    ReadOptions,
    SourceReader,
    clean_blocks,
    decode_bytes,
    read_bytes,
    read_file,
    read_html,
    read_pdf,
    sniff,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SITE = REPO / "tests" / "fixtures" / "site"
GOLD = REPO / "tests" / "fixtures" / "site_gold"
CORPUS = SAMPLES / "cop-2024-03-05-amersfoort-impact-opschalen.txt"
PDF_SAMPLE = SAMPLES / "tussenevaluatie-fietsen-voor-iedereen-2025.pdf"
DOCX_SAMPLE = SAMPLES / "verslag-werksessie-opschalingspartners-2025-03-04.docx"
MD_SAMPLE = SAMPLES / "dealtekst-eenzaamheid-doorbreken.md"
SITE_BASE = "https://kennisplein-stad.example"

BOILERPLATE_SNIPPETS = (
    "Laat een reactie achter",
    "Geef een reactie",
    "e-mailadres wordt niet gepubliceerd",
    "Vereiste velden",
    "[email",
    "protected]",
    "e-mail beveiligd",
    "Deel dit artikel",
    "Delen:",
    "Schrijf je in voor de nieuwsbrief",
    "gebruiken cookies",
    "Accepteren",
    "Reactie plaatsen",
    "Lees meer",
    "Tags:",
    "Dit gaat over",
)


def read_ok(path: Path, source: str = "") -> ExtractedDocument:
    outcome = read_file(path, source=source)
    assert outcome.ok, outcome.skipped_reason
    assert outcome.document is not None
    return outcome.document


def assert_no_boilerplate(text: str) -> None:
    for snippet in BOILERPLATE_SNIPPETS:
        assert snippet.lower() not in text.lower(), snippet


# --- The shipped CoP report (plain text) -------------------------------------------------


def test_corpus_copy_is_unchanged() -> None:
    shared = REPO.parent / "shared" / "corpus" / CORPUS.name
    if not shared.exists():
        pytest.skip("no shared corpus beside the repository")
    assert CORPUS.read_bytes() == shared.read_bytes()


def test_corpus_text_has_no_comment_form_or_email_placeholder() -> None:
    document = read_ok(CORPUS)
    raw = CORPUS.read_text(encoding="utf-8")
    assert "Laat een reactie achter" in raw and "[email\u00a0protected]" in raw  # the trap is there
    assert_no_boilerplate(document.text)
    assert document.text.endswith("neem dan contact op met je dealmaker.")
    assert "\u00a0" not in document.text


def test_corpus_metadata_and_structure() -> None:
    document = read_ok(CORPUS)
    assert document.media_type == MEDIA_TEXT
    assert document.title == "Community of Practice: impact maken én opschalen"
    assert not document.text.startswith(document.title)
    assert document.date == "2024-03-05"  # from the file name
    assert document.language == "nl"
    assert document.doc_type_hint == "doctype-cop-report"
    headings = [b.text for b in document.blocks if b.kind == "heading"]
    assert headings == [
        "Evalueren en leren",
        "‘Zachte’ waarde is ook hard",
        "Van ambitie naar impact",
        "Vier fasen van impactvol veranderen",
        "Vind de werkzame elementen!",
        "Opschalen van impact is een keuze",
        "Experimenteren met opschaling in het achterhoofd",
        "Zoek enthousiasme, maar betrek ook de weerstand",
    ]
    items = [b.text for b in document.blocks if b.kind == "list_item"]
    assert items[0] == "1. Verkennen en ontwerpen: wat zijn de juiste dingen om te doen?"
    assert len(items) == 4
    # the photo caption printed twice in a row is kept once
    caption = "Jacqueline Scheidsbach van Impact Centre Erasmus geeft uitleg over de weg"
    assert document.text.count(caption) == 1
    # text is the blocks joined by blank lines, headings as their own paragraphs
    assert document.text == "\n\n".join(b.text for b in document.blocks)
    assert "\n\nEvalueren en leren\n\nNa een inleiding" in document.text


# --- HTML: the test site -------------------------------------------------------------------


def site_pages() -> dict[str, dict[str, object]]:
    return json.loads((GOLD / "pages.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("slug", sorted(site_pages()))
def test_site_page_metadata(slug: str) -> None:
    expected = site_pages()[slug]
    document = read_ok(SITE / str(expected["file"]), source=SITE_BASE + str(expected["path"]))
    assert document.media_type == MEDIA_HTML
    assert document.title == expected["title"]
    assert document.site_name == "Kennisplein Stad"
    assert document.language == "nl"
    if expected["date"]:
        assert document.date == expected["date"]
    assert document.author == expected["author"]
    assert list(document.deal_names) == expected["deal_names"]
    assert list(document.tags) == expected["tags"]
    assert_no_boilerplate(document.text)
    assert document.text == "\n\n".join(b.text for b in document.blocks)


def test_html_keeps_headings_and_lists_that_trafilatura_drops() -> None:
    page = SITE / "nieuws" / "cop-zwolle-werkzame-elementen" / "index.html"
    document = read_ok(page, source=f"{SITE_BASE}/nieuws/cop-zwolle-werkzame-elementen/")
    headings = [b.text for b in document.blocks if b.kind == "heading"]
    assert headings == ["Wat werkt, en waarom?", "Oefenen met de eigen deal", "Volgende bijeenkomst"]
    items = [b.text for b in document.blocks if b.kind == "list_item"]
    assert items[0] == "Maak onderscheid tussen wat je telt en wat je wilt bereiken."
    assert all(b.dom_path.endswith(("p", "h2", "li")) for b in document.blocks)
    # the figure caption and the byline are not story text
    assert "Deelnemers van de Community of Practice in de Broerenkerk" not in document.text
    assert "door Marieke van Dalen" not in document.text


def test_html_obfuscated_email_is_removed_with_its_pointer() -> None:
    page = SITE / "nieuws" / "fietsen-voor-iedereen-eerste-resultaten" / "index.html"
    document = read_ok(page)
    assert "Vragen over de proeftuinen kunnen naar het projectteam." in document.text
    assert "via" not in document.text.split("projectteam")[1][:10]


def test_html_samples_read_with_metadata() -> None:
    document = read_ok(SAMPLES / "html" / "cop-2024-11-12-rotterdam-borgen.html")
    assert document.title == "Community of Practice Rotterdam: wat blijft er over als de deal stopt?"
    assert document.date == "2024-11-19"
    assert document.author == "Ilse Koster"
    assert document.deal_names == ("City Deal Fietsen voor iedereen", "City Deal Kennis maken")
    assert "werkzame elementen" in document.tags
    assert document.doc_type_hint == "doctype-cop-report"
    assert_no_boilerplate(document.text)
    assert "Opschalen begint bij de start" not in document.text  # the "Lees ook" teaser
    assert "Stedenagenda is het kennisplatform" not in document.text  # the footer
    assert document.word_count > 400


def test_html_links_are_resolved_and_deal_links_name_deals() -> None:
    html = (
        "<html lang='nl'><head><title>Over fietsen - Site</title></head><body><main><article>"
        "<h1>Over fietsen</h1>"
        "<p>De aanpak is beschreven door de <a href='/city-deals/fietsen-voor-iedereen/'>deal</a>"
        " en door <a href='https://example.org/rapport'>een rapport</a>. Het gaat om fietslessen "
        "voor volwassenen in vijf steden, met een vaste begeleider voor elke cursist.</p>"
        "<p>Tweede alinea met genoeg woorden om als verhaal te gelden voor de lezer.</p>"
        "</article></main></body></html>"
    )
    outcome = read_html(html, "https://site.example/nieuws/over-fietsen/")
    assert outcome.document is not None
    document = outcome.document
    assert document.links == (
        "https://site.example/city-deals/fietsen-voor-iedereen/",
        "https://example.org/rapport",
    )
    assert document.deal_names == ("City Deal Fietsen voor iedereen",)
    assert document.title == "Over fietsen"
    assert not document.text.startswith("Over fietsen")


# --- PDF, DOCX, Markdown -------------------------------------------------------------------


def test_pdf_sample_headings_and_running_heads() -> None:
    document = read_ok(PDF_SAMPLE)
    assert document.media_type == MEDIA_PDF
    assert document.title == "Tussenevaluatie City Deal Fietsen voor iedereen"
    assert document.author == "Bureau Stadsonderzoek"
    assert document.date == "2025-03-28"
    assert document.doc_type_hint == "doctype-evaluation"
    headings = [b.text for b in document.blocks if b.kind == "heading"]
    assert headings == [
        "Samenvatting",
        "Aanpak van de evaluatie",
        "Bevindingen",
        "Stakeholders en opschaling",
        "Aanbevelingen",
    ]
    assert "Pagina " not in document.text
    assert "| maart 2025" not in document.text  # the running header of page 2
    # the paragraph that runs over the page break is one paragraph
    assert any(
        b.text.startswith("De deal wil in 2025 opschalen") and b.text.endswith("kosten van leenfietsen.")
        for b in document.blocks
    )
    items = [b.text for b in document.blocks if b.kind == "list_item"]
    assert len(items) == 8 and items[0].startswith("1. De output overtreft de doelen")


def test_docx_sample_styles_tables_and_properties() -> None:
    document = read_ok(DOCX_SAMPLE)
    assert document.media_type == MEDIA_DOCX
    assert document.title == "Verslag werksessie opschalingspartners City Deal Kennis maken"
    assert document.author == "Programmabureau Kennis maken"
    assert document.date == "2025-03-06"
    assert document.language == "nl"
    assert document.tags == ("opschalen", "stakeholders", "kennisinstellingen")
    assert document.doc_type_hint == "doctype-meeting-report"
    headings = [(b.text, b.level) for b in document.blocks if b.kind == "heading"]
    assert headings[0] == ("Aanleiding", 1)
    assert len(headings) == 5
    assert document.blocks[0].text == "Datum | dinsdag 4 maart 2025"  # a table row
    assert sum(b.kind == "list_item" for b in document.blocks) == 6
    assert "dr. Pieter Aalders" in document.text


def test_markdown_sample_front_matter_and_structure() -> None:
    document = read_ok(MD_SAMPLE)
    assert document.media_type == MEDIA_MARKDOWN
    assert document.title == "Dealtekst City Deal Eenzaamheid doorbreken (samenvatting)"
    assert document.date == "2021-06-15"
    assert document.deal_names == ("City Deal Eenzaamheid doorbreken",)
    assert document.tags == ("dealtekst", "eenzaamheid", "buurtkamers", "ouderen")
    assert document.doc_type_hint == "doctype-deal-text"
    assert document.links == ("https://stedenagenda.example/city-deals/eenzaamheid-doorbreken/",)
    assert "[City Deal" not in document.text and "](" not in document.text
    headings = [b.text for b in document.blocks if b.kind == "heading"]
    assert headings == [
        "Aanleiding",
        "Ambitie",
        "Afspraken",
        "Van output naar impact",
        "Rollen en verantwoordelijkheden",
        "Monitoring en leren",
        "Fasering",
        "Ondertekening",
    ]
    assert "2. De woningcorporaties stellen ruimtes beschikbaar" in document.text


@pytest.mark.parametrize(
    "path", sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.name != "README.md")
)
def test_every_sample_reads_as_dutch_text(path: Path) -> None:
    document = read_ok(path)
    assert document.language == "nl"
    assert 400 <= document.word_count <= 1600
    assert document.title


# --- Skipping with a reason ----------------------------------------------------------------


def test_size_cap_is_a_reason_not_an_exception(tmp_path: Path) -> None:
    options = ReadOptions(max_bytes=1000)
    outcome = read_bytes(CORPUS.read_bytes(), "x.txt", "", options)
    assert not outcome.ok and "larger than the cap of 1000 bytes" in outcome.skipped_reason
    big = tmp_path / "groot.txt"
    big.write_bytes(b"tekst " * 500)
    assert "larger than the cap" in read_file(big, options).skipped_reason
    assert "larger than the cap" in read_pdf(PDF_SAMPLE.read_bytes(), "x.pdf", options).skipped_reason


def test_encrypted_pdf_is_skipped_but_owner_only_encryption_reads() -> None:
    locked = PdfWriter(clone_from=PDF_SAMPLE)
    locked.encrypt(user_password="geheim", owner_password="baas", algorithm="RC4-128")
    buffer = io.BytesIO()
    locked.write(buffer)
    outcome = read_bytes(buffer.getvalue(), "rapport.pdf")
    assert outcome.skipped_reason == "encrypted PDF: a password is needed"
    open_pdf = PdfWriter(clone_from=PDF_SAMPLE)
    open_pdf.encrypt(user_password="", owner_password="baas", algorithm="RC4-128")
    buffer = io.BytesIO()
    open_pdf.write(buffer)
    outcome = read_bytes(buffer.getvalue(), "rapport.pdf")
    assert outcome.ok and "werkzame element" in outcome.document.text  # type: ignore[union-attr]


def test_broken_and_textless_pdfs_are_skipped() -> None:
    truncated = PDF_SAMPLE.read_bytes()[:3000]
    assert read_bytes(truncated, "kapot.pdf").skipped_reason.startswith("unreadable PDF")
    blank = PdfWriter()
    blank.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    blank.write(buffer)
    assert "no text layer" in read_bytes(buffer.getvalue(), "scan.pdf").skipped_reason


def test_non_utf8_text_is_decoded_with_a_note() -> None:
    raw = "Café de Zwaan: een ‘zachte’ waarde van € 35 per deelnemer bij de City Deal.".encode("cp1252")
    outcome = read_bytes(raw * 3, "notitie.txt")
    assert outcome.ok
    document = outcome.document
    assert document is not None
    assert "Café de Zwaan: een ‘zachte’ waarde van € 35" in document.text
    assert document.notes == ("not valid UTF-8; decoded as cp1252",)
    assert decode_bytes("één".encode()).note == ""


def test_declared_charset_is_used_for_html() -> None:
    html = (
        "<html><body><p>Geïnteresseerd in één aanpak voor de wijk? Kom naar de bijeenkomst.</p>"
        "</body></html>"
    )
    outcome = read_bytes(html.encode("latin-1"), "https://x.example/p", "text/html; charset=ISO-8859-1")
    assert outcome.document is not None
    assert "Geïnteresseerd in één aanpak" in outcome.document.text


def test_binary_garbage_is_skipped() -> None:
    garbage = bytes(range(256)) * 40
    assert read_bytes(garbage, "data.txt").skipped_reason.startswith("binary content")
    controls = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 200
    assert read_bytes(controls, "data.txt").skipped_reason.startswith("binary content")


def test_html_bombs_are_refused_before_parsing() -> None:
    deep = "<html><body>" + "<div>" * 5000 + "tekst" + "</div>" * 5000 + "</body></html>"
    assert read_bytes(deep.encode(), "diep.html").skipped_reason == "HTML nests deeper than 400 elements"
    wide = "<html><body>" + "<span>x</span>" * 150_000 + "</body></html>"
    assert read_bytes(wide.encode(), "breed.html").skipped_reason == (
        "HTML has more than 100000 elements"
    )
    options = ReadOptions(max_html_elements=50, max_html_depth=10)
    page = (SITE / "index.html").read_bytes()
    assert "more than 50 elements" in read_html(page, "x", options).skipped_reason


def test_empty_and_boilerplate_only_pages_are_skipped() -> None:
    assert read_bytes(b"   \n", "leeg.txt").skipped_reason == "empty file"
    assert read_bytes(b"<html><body></body></html>", "leeg.html").skipped_reason.startswith("empty page")
    only_form = b"Laat een reactie achter\n\nGeef een reactie\n\nDeel dit artikel\n"
    assert "no text after cleaning" in read_bytes(only_form, "form.txt").skipped_reason
    assert "too little text" in read_bytes(b"Twee woorden.", "kort.txt").skipped_reason


def test_unsupported_types_say_so() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert read_bytes(png, "foto.png", "image/png").skipped_reason == "unsupported content type image/png"
    assert read_bytes(b"oud", "oud.doc").skipped_reason == "unsupported file type .doc"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "geen word-document")
    assert read_bytes(buffer.getvalue(), "archief").skipped_reason == "unsupported zip archive (not a DOCX)"
    assert read_bytes(buffer.getvalue(), "archief.docx").skipped_reason == "not a DOCX (no word/document.xml)"


def test_docx_zip_bomb_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 5_000_000 + b"</w:document>")
    data = buffer.getvalue()
    assert len(data) < 20_000
    outcome = read_bytes(data, "bom.docx", options=ReadOptions(max_bytes=100_000))
    assert "over the cap of 2000000" in outcome.skipped_reason


def test_sniffing_prefers_bytes_over_missing_types() -> None:
    assert sniff(PDF_SAMPLE.read_bytes(), "download", "application/octet-stream").kind == "pdf"
    assert sniff(DOCX_SAMPLE.read_bytes(), "download").kind == "docx"
    assert sniff(b"<!DOCTYPE html><html>", "pagina").kind == "html"
    assert sniff(b"# Kop\n\ntekst", "notitie.md", "text/plain").kind == "markdown"
    assert sniff(b"tekst", "x", "text/plain; charset=windows-1252").charset == "windows-1252"


def test_source_reader_step() -> None:
    step = SourceReader(ReadOptions(max_bytes=5_000_000))
    outcome = step.run(MD_SAMPLE.read_bytes(), "https://x.example/deal.md", "text/markdown")
    assert outcome.ok
    assert step.run_file(CORPUS).ok
    with pytest.raises(ValueError):
        ReadOptions(max_bytes=0)


# --- Block rules ---------------------------------------------------------------------------


def test_clean_blocks_rules() -> None:
    blocks = [
        Block("paragraph", "Wij gebruiken cookies om de site te verbeteren. Accepteer je dat?"),
        Block("heading", "Verslag", 2),
        Block("paragraph", "De deal\u00a0startte in 2021 met vier gemeenten en twee corporaties."),
        Block("paragraph", "Foto: deelnemers aan tafel"),
        Block("paragraph", "Foto: deelnemers aan tafel"),
        Block("paragraph", "Mail vragen naar [email protected]"),
        Block("heading", "Lees ook", 3),
        Block("paragraph", "Een ander artikel over iets anders, met een inleiding."),
        Block("heading", "Meer informatie", 3),
        Block("paragraph", "Deel dit artikel"),
        Block("paragraph", "Delen:"),
    ]
    cleaned = clean_blocks(blocks)
    assert [b.text for b in cleaned] == [
        "Verslag",
        "De deal startte in 2021 met vier gemeenten en twee corporaties.",
        "Foto: deelnemers aan tafel",
        "Mail vragen.",
    ]


def test_page_wide_chrome_wrappers_do_not_swallow_the_story() -> None:
    story = "".join(
        f"<p>Alinea {i} vertelt hoe de deal haar partners betrekt bij het borgen van de aanpak.</p>"
        for i in range(6)
    )
    aspnet = (
        "<html><body><form id='aspnetForm'><nav><a href='/'>Home</a></nav><h1>Titel</h1>"
        f"{story}<footer>Colofon van de site</footer></form></body></html>"
    )
    themed = f"<html><body><div class='page has-sidebar'><h1>Titel</h1>{story}</div></body></html>"
    for html in (aspnet, themed):
        document = read_html(html, "https://x.example/a").document
        assert document is not None
        assert document.text.count("Alinea") == 6
        assert "Colofon" not in document.text and "Home" not in document.text


@pytest.mark.parametrize(("line", "names"), [
    ("Dit gaat over de City Deal Fietsen voor iedereen", ("City Deal Fietsen voor iedereen",)),
    ("Dit gaat over: City Deal Kennis Maken en City Deal Ruimte voor Lopen",
     ("City Deal Kennis Maken", "City Deal Ruimte voor Lopen")),
    ("Betrokken deals: Fietsen voor iedereen, Kennis maken",
     ("City Deal Fietsen voor iedereen", "City Deal Kennis maken")),
    ("Deze City Deal: Fietsen voor Iedereen", ("City Deal Fietsen voor Iedereen",)),
    # prose that only opens like an about-line keeps its text and names no deals
    ("Deze City Deal treedt in werking op de dag na ondertekening en loopt tot en met 31 december "
     "2021. Halverwege de looptijd volgt een evaluatie.", ()),
    ("Deze City Deal loopt samen op met City Deal Ruimte voor Lopen", ()),
    ("Deze City Deal is opgeschaald naar andere gemeenten", ()),
])
def test_about_lines_name_deals_and_prose_does_not(line: str, names: tuple[str, ...]) -> None:
    from ingest.clean import deal_names_in_about_line

    assert deal_names_in_about_line(line) == names
