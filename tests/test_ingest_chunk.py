"""Dutch sentence splitting and passages: sizes, offsets, heading paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import Block, Chunker, ChunkOptions, blocks_to_text, chunk_document, read_file, sentence_texts

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
CORPUS = SAMPLES / "cop-2024-03-05-amersfoort-impact-opschalen.txt"
SENTENCE_ENDS = (".", "!", "?", "”", "’", '"', ":", ")", "…")


# --- Sentences -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dit kan bijv. met een training. Het werkt o.a. bij Platform31 en m.b.t. wonen.",
            ("Dit kan bijv. met een training.", "Het werkt o.a. bij Platform31 en m.b.t. wonen."),
        ),
        (
            "Volgens J. Scheidsbach en W.J. Kersten is dat zo. Dhr. Haer en mevr. Boel ook.",
            ("Volgens J. Scheidsbach en W.J. Kersten is dat zo.", "Dhr. Haer en mevr. Boel ook."),
        ),
        (
            "Prof. dr. ir. Bosman en drs. De Vries, mr. Smit: d.w.z. i.p.v. t.o.v. e.d. zei hij.",
            ("Prof. dr. ir. Bosman en drs. De Vries, mr. Smit: d.w.z. i.p.v. t.o.v. e.d. zei hij.",),
        ),
        (
            "Het kost ca. 3 mln. euro en nr. 4 kost 2 mld. euro. Dat is veel.",
            ("Het kost ca. 3 mln. euro en nr. 4 kost 2 mld. euro.", "Dat is veel."),
        ),
        (
            "1. Verkennen en ontwerpen: wat zijn de juiste dingen om te doen?",
            ("1. Verkennen en ontwerpen: wat zijn de juiste dingen om te doen?",),
        ),
        (
            "De stap is geen kwestie van 1 + 1 = 2. Het is de kunst. Wat nu? Ja! “Zo gaat het.” Klaar.",
            ("De stap is geen kwestie van 1 + 1 = 2.", "Het is de kunst.", "Wat nu?", "Ja!",
             "“Zo gaat het.”", "Klaar."),
        ),
        (
            "Je begint met je eigen ‘waarom?’-vraag. Fietsen, wandelen enz. De rest volgt.",
            ("Je begint met je eigen ‘waarom?’-vraag.", "Fietsen, wandelen enz.", "De rest volgt."),
        ),
        (
            "Op 5 maart jl. was de CoP. 100 gezinnen volgden etc. een training in het voorjaar.",
            ("Op 5 maart jl. was de CoP.", "100 gezinnen volgden etc. een training in het voorjaar."),
        ),
    ],
)
def test_dutch_sentences(text: str, expected: tuple[str, ...]) -> None:
    assert sentence_texts(text) == expected


# --- Passages ------------------------------------------------------------------------------


def corpus_document():
    outcome = read_file(CORPUS)
    assert outcome.document is not None
    return outcome.document


def all_documents():
    docs = []
    for path in sorted(SAMPLES.rglob("*")):
        if path.is_file() and path.name != "README.md":
            outcome = read_file(path)
            assert outcome.document is not None, (path, outcome.skipped_reason)
            docs.append(outcome.document)
    return docs


def test_offsets_are_exact_and_positions_run_from_zero() -> None:
    for document in all_documents():
        chunks = chunk_document(document)
        assert chunks, document.source
        assert [c.position for c in chunks] == list(range(len(chunks)))
        previous_end = 0
        for chunk in chunks:
            assert document.text[chunk.start_char : chunk.end_char] == chunk.text
            assert chunk.start_char >= previous_end
            previous_end = chunk.end_char
        assert chunk_document(document.blocks) == chunks  # blocks give the same offsets


def test_passage_sizes_and_sentence_boundaries() -> None:
    options = ChunkOptions(min_words=60, max_words=150)
    for document in all_documents():
        chunks = chunk_document(document, options)
        for chunk in chunks:
            assert chunk.word_count <= options.max_words, (document.source, chunk.text[:80])
            assert chunk.text.rstrip().endswith(SENTENCE_ENDS), chunk.text[-40:]
            assert chunk.text[0].isupper() or chunk.text[0].isdigit() or chunk.text[0] in "‘“\"'(", (
                chunk.text[:40]
            )
        # only a document's last passage, or a short document's only one, may be under the minimum
        assert all(c.word_count >= options.min_words for c in chunks[:-1]), document.source
    words = [c.word_count for d in all_documents() for c in chunk_document(d)]
    assert 80 <= sum(words) / len(words) <= 130


def test_corpus_heading_paths() -> None:
    document = corpus_document()
    chunks = chunk_document(document)
    paths = [c.heading_path for c in chunks]
    assert paths[0] == ()  # the lead comes before the first heading; the title is metadata
    assert ("Evalueren en leren",) in paths
    assert ("Van ambitie naar impact",) in paths
    assert ("Vier fasen van impactvol veranderen",) in paths
    assert paths[-1] == ("Zoek enthousiasme, maar betrek ook de weerstand",)
    four_phases = next(c for c in chunks if c.heading_path == ("Vier fasen van impactvol veranderen",))
    assert "1. Verkennen en ontwerpen" in four_phases.text and "4. Borgen" in four_phases.text
    # a passage never spans a heading unless its section was under the minimum
    for chunk in chunks:
        inner = [
            b.text for b in document.blocks if b.kind == "heading" and f"\n\n{b.text}\n\n" in chunk.text
        ]
        assert not inner, (chunk.heading_path, inner)


def test_plain_text_string_gives_heading_paths_and_offsets() -> None:
    raw = CORPUS.read_text(encoding="utf-8")
    chunks = chunk_document(raw)
    for chunk in chunks:
        assert raw[chunk.start_char : chunk.end_char] == chunk.text
    paths = {c.heading_path for c in chunks}
    assert ("Evalueren en leren",) in paths and ("Van ambitie naar impact",) in paths
    # photo captions in the copied web text are not headings
    assert not any("Vier mensen aan tafel" in p[0] for p in paths if p)


def long_paragraph(n: int, start: int = 0) -> str:
    sentence = "Zin nummer {} gaat over de deal en haar partners in de stad."  # 13 words
    return " ".join(sentence.format(i) for i in range(start, start + n))


def test_one_long_sentence_is_its_own_passage() -> None:
    giant = "De deal " + " ".join(["en de partners"] * 60) + " werken samen."
    blocks = (
        Block("paragraph", long_paragraph(5)),
        Block("paragraph", giant),
        Block("paragraph", long_paragraph(5, 10)),
    )
    chunks = chunk_document(blocks)
    assert [c.text for c in chunks if c.word_count > 150] == [giant]
    text = blocks_to_text(blocks)
    assert all(text[c.start_char : c.end_char] == c.text for c in chunks)


def test_long_section_is_cut_evenly_at_sentences() -> None:
    blocks = (Block("heading", "Aanpak", 2), Block("paragraph", long_paragraph(40)))  # 480 words
    chunks = chunk_document(blocks)
    assert len(chunks) == 4
    assert all(110 <= c.word_count <= 130 for c in chunks)
    assert all(c.heading_path == ("Aanpak",) for c in chunks)


def test_short_section_joins_the_next_one_only_when_under_the_minimum() -> None:
    blocks = (
        Block("heading", "Kort", 2),
        Block("paragraph", long_paragraph(2)),  # 24 words: under the minimum
        Block("heading", "Lang", 2),
        Block("paragraph", long_paragraph(8, 2)),
        Block("heading", "Ook lang", 2),
        Block("paragraph", long_paragraph(6, 10)),
    )
    chunks = chunk_document(blocks)
    assert [c.heading_path for c in chunks] == [("Kort",), ("Ook lang",)]
    assert "\n\nLang\n\n" in chunks[0].text  # the short section ran over the next heading
    assert "Ook lang" not in chunks[0].text


def test_heading_levels_nest_in_the_path() -> None:
    blocks = (
        Block("heading", "Resultaten", 2),
        Block("heading", "Output", 3),
        Block("paragraph", long_paragraph(6)),
        Block("heading", "Impact", 3),
        Block("paragraph", long_paragraph(6, 6)),
        Block("heading", "Lessen", 2),
        Block("paragraph", long_paragraph(6, 12)),
    )
    assert [c.heading_path for c in chunk_document(blocks)] == [
        ("Resultaten", "Output"),
        ("Resultaten", "Impact"),
        ("Lessen",),
    ]


def test_chunker_step_runs_on_documents() -> None:
    document = corpus_document()
    assert Chunker(ChunkOptions(40, 80)).run(document) == chunk_document(document, ChunkOptions(40, 80))


def test_chunk_options_are_checked() -> None:
    with pytest.raises(ValueError):
        ChunkOptions(min_words=200, max_words=150)
    with pytest.raises(ValueError):
        ChunkOptions(min_words=0)
