"""A corpus of broken files, made here, through the real ``impactkg ingest`` in a subprocess.

Truncated PDFs, zip bombs disguised as DOCX (one honest, one whose headers lie), HTML nested
100,000 deep, empty and binary files, wrong and mixed encodings and a huge single line go in
beside good files. Each bad file gets exactly one line with its reason, the good ones are
stored, what was stored before is still there, and the process stays far below the size the
bomb would unpack to (its peak RSS is read from the kernel with ``os.wait4``).
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
CLI = Path(sys.executable).with_name("impactkg")
RULES_ONLY = ["--setting", "annotate_with_model", "false"]
DOCX_SAMPLE = "verslag-werksessie-opschalingspartners-2025-03-04.docx"
BOMB_BYTES = 1 << 30  # what the honest bomb unpacks to
LESSON = ("In Zwolle leerde de gemeente dat bewoners eerder meedoen als de wijkagent erbij is. "
          "Die les nam de City Deal mee naar Deventer en Apeldoorn, waar het ook werkte. ")


# Runs the CLI as its own child and writes that child's peak RSS (KiB) to argv[1]. Linux keeps
# ru_maxrss across fork and exec, so a child of this (large) test process would report the test
# process's size; a grandchild of a small interpreter reports its own.
_MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(child.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def impactkg(data_dir: Path, *args: str) -> tuple[int, str, str, int]:
    """Run the CLI; (exit code, stdout, stderr, peak RSS in bytes of the CLI process)."""
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "peak"
        result = subprocess.run([sys.executable, "-c", _MEASURE, str(peak_file), str(CLI),
                                 "--data-dir", str(data_dir), *args],
                                capture_output=True, text=True, timeout=900)
        peak = int(peak_file.read_text()) * 1024
    return result.returncode, result.stdout, result.stderr, peak


def honest_bomb() -> bytes:
    """A DOCX whose word/document.xml really unpacks to 1 GB of zeros (about 1 MB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"\0" * (16 << 20)
            for _ in range(BOMB_BYTES // len(block)):
                part.write(block)
    return buffer.getvalue()


def lying_bomb() -> bytes:
    """A DOCX whose headers say word/document.xml is 1,000 bytes; it unpacks to 64 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(SAMPLES / DOCX_SAMPLE) as sample, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in sample.infolist():  # a real package, so python-docx gets to the document
            if info.filename != "word/document.xml":
                archive.writestr(info, sample.read(info))
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (64 << 20))
    data = bytearray(buffer.getvalue())
    name = b"word/document.xml"
    local = data.index(b"PK\x03\x04")
    while data[local + 30 : local + 30 + len(name)] != name:
        local = data.index(b"PK\x03\x04", local + 4)
    struct.pack_into("<I", data, local + 22, 1000)
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 1000)
    return bytes(data)


def write_corpus(folder: Path) -> dict[str, str]:
    """The bad files, and what each should become: "failed", "skipped" or "stored"."""
    folder.mkdir()
    pdf = (SAMPLES / "tussenevaluatie-fietsen-voor-iedereen-2025.pdf").read_bytes()
    files = {
        "afgebroken.pdf": (pdf[: len(pdf) // 3], "failed"),
        "alleen-kop.pdf": (b"%PDF-1.7\n", "failed"),
        "bom.docx": (honest_bomb(), "failed"),
        "liegende-bom.docx": (lying_bomb(), "failed"),
        "diep.html": (b"<html><body>" + b"<div>" * 100_000 + b"tekst" + b"</div>" * 100_000
                      + b"</body></html>", "failed"),
        "leeg.txt": (b"", "skipped"),
        "ruis.txt": (bytes(range(256)) * 40, "failed"),
        "ruis.pdf": (os.urandom(20_000), "failed"),
        "gemengd.html": ("<html><head><meta charset='utf-8'><title>Wijkagent</title></head><body>"
                         "<article><h1>Wijkagent</h1><p>Café-gesprek in Zwolle: " .encode()
                         + LESSON.encode() + " Geëvalueerd “samen”. ".encode("cp1252")
                         + b"</p></article></body></html>", "stored"),
        "utf16-zonder-bom.txt": (("Wijkagent\n\n" + LESSON * 2).encode("utf-16-le"), "stored"),
        "een-regel.txt": (("woord " * 30_000).encode(), "stored"),
    }
    for name, (data, _expected) in files.items():
        (folder / name).write_bytes(data)
    return {name: expected for name, (_data, expected) in files.items()}


@pytest.mark.skipif(not CLI.exists(), reason="the impactkg script is not installed in this venv")
def test_broken_files_each_get_one_line_and_nothing_stored_is_lost(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert impactkg(data_dir, "init")[0] == 0
    good = tmp_path / "goed"
    good.mkdir()
    (good / "les.md").write_text("# Wijkagent\n\n" + LESSON * 3, encoding="utf-8")
    (good / "notitie.txt").write_text("Notitie\n\n" + LESSON * 2, encoding="utf-8")
    code, out, err, _peak = impactkg(data_dir, *RULES_ONLY, "ingest", str(good))
    assert code == 0, err
    before = _stats(data_dir)

    expected = write_corpus(tmp_path / "slecht")
    code, out, err, peak = impactkg(data_dir, *RULES_ONLY, "ingest", str(tmp_path / "slecht"))

    assert code == 1, out + err  # broken files are failures; the run itself finished
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith(("MISLUKT", "OVERGESLAGEN"))]
    for name, outcome in expected.items():
        mine = [line for line in lines if line.split("  ", 1)[1].split(": ", 1)[0].endswith(
            "/" + name)]
        if outcome == "stored":
            assert mine == [], mine
            continue
        assert len(mine) == 1, (name, lines)
        assert mine[0].startswith("MISLUKT" if outcome == "failed" else "OVERGESLAGEN"), mine
    reasons = "\n".join(lines)
    assert "zip bomb" in reasons and "nests deeper than" in reasons and "binary content" in reasons
    assert peak < BOMB_BYTES * 0.8, f"peak RSS {peak / 1e6:.0f} MB: was the bomb unpacked?"
    after = _stats(data_dir)
    stored = sum(outcome == "stored" for outcome in expected.values())
    assert after["instances"]["Document"] == before["instances"]["Document"] + stored
    assert after["quads"] > before["quads"]
    search = subprocess.run([str(CLI), "--data-dir", str(data_dir), "search", "wijkagent Zwolle",
                             "--mode", "keyword", "--format", "json"], capture_output=True,
                            text=True, timeout=300)
    sources = {hit["document_url"].rsplit("/", 1)[-1] for hit in json.loads(search.stdout)["hits"]}
    assert {"les.md", "notitie.txt"} <= sources  # stored before: still found


def _stats(data_dir: Path) -> dict:
    result = subprocess.run([str(CLI), "--data-dir", str(data_dir), "stats", "--format", "json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
