"""The annotation development set: complete, well formed, and split by its recorded rule."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.annotate.devset import HELDOUT, assign_split, gold_files, read_styles
from ingest.annotate.evaluate import load_gold
from ingest.annotate.found import CLASS_KEYS

DEV = Path(__file__).resolve().parent / "fixtures" / "annotation_dev"
STYLES = {"news", "event", "cop", "deal", "evaluation", "letter", "interview"}


def test_the_set_has_enough_documents_in_every_style() -> None:
    styles = read_styles(DEV)
    assert len(styles) >= 40
    assert set(styles.values()) == STYLES


def test_every_gold_file_names_an_existing_document_with_a_date_and_all_classes() -> None:
    for path in gold_files(DEV):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert (DEV / data["document"]).is_file(), path.name
        assert len(data["date"]) == 10, path.name
        assert data["source"], path.name
        assert set(data["items"]) == set(CLASS_KEYS), path.name


def test_the_split_follows_the_recorded_rule_and_holds_out_about_a_third() -> None:
    styles = read_styles(DEV)
    expected = assign_split(styles)
    for doc in load_gold(DEV):
        assert doc.split == expected[doc.path.stem], doc.path.name
    held = sum(1 for s in expected.values() if s == HELDOUT)
    assert 0.3 <= held / len(expected) <= 0.4
    recorded = (DEV / "SPLIT.md").read_text(encoding="utf-8")
    for stem, split in expected.items():
        assert f"| {stem} | {styles[stem]} | {split} |" in recorded, stem


def test_the_split_rule_does_not_depend_on_the_order_it_is_given() -> None:
    styles = read_styles(DEV)
    reordered = dict(reversed(list(styles.items())))
    assert assign_split(reordered) == assign_split(styles)


def test_no_training_sentence_resembles_a_held_out_document() -> None:
    """The classifier's sentences were decontaminated against the held-out part."""
    from ingest.annotate.text import content_tokens
    from ingest.sentences import split_sentences

    held: list[set[str]] = []
    for doc in load_gold(DEV):
        if doc.split != HELDOUT:
            continue
        for line in doc.body.splitlines():
            held += [set(content_tokens(line[s:e])) for s, e in split_sentences(line)]
    training = Path(__file__).resolve().parents[1] / "ingest" / "annotate" / "training"
    for line in (training / "sentences.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        words = set(content_tokens(line.split("\t", 1)[1]))
        for other in held:
            shared = words & other
            assert not (other and len(shared) >= 3
                        and len(shared) / min(len(words), len(other)) >= 0.5), line
