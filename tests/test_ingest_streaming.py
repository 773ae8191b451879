"""Ingest streams: sources are read as they are iterated, read documents wait on disk, and
template learning keeps a bounded sample per site. (Peak memory itself is measured by
bench/bench_memory.py, never asserted here.)"""

from __future__ import annotations

from pathlib import Path

from ingest.document import MEDIA_HTML, MEDIA_TEXT, Block, ExtractedDocument, blocks_to_text
from ingest.pipeline import _SiteLearning
from ingest.sources import iter_local
from ingest.spill import Spill


def page(source: str, *paragraphs: str, media_type: str = MEDIA_HTML) -> ExtractedDocument:
    blocks = (Block("heading", "Nieuws", 1), *(Block("paragraph", p) for p in paragraphs))
    return ExtractedDocument(source, "Titel", blocks_to_text(blocks), blocks, media_type)


def test_the_spill_gives_back_what_was_added_in_order_also_after_more_adds(tmp_path: Path) -> None:
    with Spill(tmp_path / "spill") as spill:
        for number in range(3):
            spill.add(("bron", number, page(f"file:///{number}.html", f"Alinea {number}.")))
        first = [record[1] for record in spill]
        spill.add(("bron", 3, None))
        assert first == [0, 1, 2]
        assert [record[1] for record in spill] == [0, 1, 2, 3]
        assert spill.count == 4
    assert list((tmp_path / "spill").iterdir()) == []  # the file is gone with the spill


def test_a_folder_is_read_file_by_file_as_it_is_iterated(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("eerste versie", encoding="utf-8")
    sources = iter_local(tmp_path, 1_000_000)
    assert next(sources).body == b"eerste versie"
    (tmp_path / "b.txt").write_text("tweede versie", encoding="utf-8")
    assert next(sources).body == b"tweede versie"  # read when reached, not up front


def test_template_learning_keeps_at_most_the_set_number_of_pages_per_site() -> None:
    footer = "Schrijf je in voor de nieuwsbrief van Agenda Stad en blijf op de hoogte."
    learning = _SiteLearning(max_pages=3)
    for number in range(6):
        learning.add("site-a", page(f"https://a.example/{number}", f"Verhaal nummer {number} over "
                                    "de City Deal en wat de partners leerden.", footer))
    learning.add("site-b", page("https://b.example/1", "Een verhaal.", footer))
    learning.add("site-c", page("file:///notitie.txt", "Platte tekst.", media_type=MEDIA_TEXT))
    templates = learning.templates()
    assert set(templates) == {"site-a"}  # one page teaches nothing; text files are not learnt
    assert templates["site-a"].page_count == 3
    cleaned = templates["site-a"].clean(page("https://a.example/9", "Nieuw verhaal over de "
                                              "aanpak in Zwolle en Deventer.", footer))
    assert footer not in cleaned.text


def test_unchanged_pages_teach_only_sites_with_a_changed_page() -> None:
    learning = _SiteLearning(max_pages=10)
    learning.add("site-a", page("https://a.example/1", "Iets."), changed=False)
    assert not learning.wants("site-a")
    learning.add("site-a", page("https://a.example/2", "Iets anders."))
    assert learning.wants("site-a")
