"""The development set's fixed split: which documents are held out.

The split is decided by a rule that reads nothing but file names and the ``style`` field
of each gold file, so no one can move a document between the parts after seeing scores:
within each style, the documents are sorted by the SHA-256 of their file stem and every
third one (positions 1, 4, 7, …) is held out. The rule and its outcome are recorded in
``SPLIT.md`` beside the documents, and a test checks that the gold files agree with it.

Usage: ``python -m ingest.annotate.devset tests/fixtures/annotation_dev [--write]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

HELDOUT = "heldout"
TUNE = "tune"


def assign_split(styles: Mapping[str, str]) -> dict[str, str]:
    """The split of every document, given each document's style (stem → style)."""
    by_style: dict[str, list[str]] = {}
    for stem, style in styles.items():
        by_style.setdefault(style, []).append(stem)
    split: dict[str, str] = {}
    for stems in by_style.values():
        ordered = sorted(stems, key=lambda s: hashlib.sha256(s.encode("utf-8")).hexdigest())
        for position, stem in enumerate(ordered):
            split[stem] = HELDOUT if position % 3 == 1 else TUNE
    return split


def gold_files(folder: Path) -> list[Path]:
    """The gold files of a folder (JSON files that name a document)."""
    return [path for path in sorted(folder.glob("*.json"))
            if "document" in json.loads(path.read_text(encoding="utf-8"))]


def read_styles(folder: Path) -> dict[str, str]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8"))["style"]
            for path in gold_files(folder)}


def split_table(folder: Path) -> str:
    styles = read_styles(folder)
    split = assign_split(styles)
    lines = ["| document | style | split |", "|---|---|---|"]
    for stem in sorted(styles, key=lambda s: (styles[s], split[s], s)):
        lines.append(f"| {stem} | {styles[stem]} | {split[stem]} |")
    held = sum(1 for s in split.values() if s == HELDOUT)
    lines.append("")
    lines.append(f"{len(split)} documents: {len(split) - held} tune, {held} held out.")
    return "\n".join(lines)


def write_split(folder: Path) -> None:
    """Set the ``split`` field of every gold file from the rule."""
    split = assign_split(read_styles(folder))
    for path in gold_files(folder):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("split") != split[path.stem]:
            data["split"] = split[path.stem]
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.annotate.devset",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--write", action="store_true", help="write the split into the gold files")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"error: {args.folder} is not a folder", file=sys.stderr)
        return 2
    if args.write:
        write_split(args.folder)
    print(split_table(args.folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
