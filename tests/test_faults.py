"""Faults on the data directory: kills, a full disk, no permission, damaged files.

Every test works on a real data directory (a private copy of the ingested samples) through
the real ``impactkg`` command in a child process, so exit codes and stderr are what a user
sees. The long kill run (50 kills) is ``make kill-test``; here three rounds prove the loop.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from impactkg.storage_errors import storage_errno

REPO = Path(__file__).resolve().parents[1]
IMPACTKG = str(Path(sys.executable).with_name("impactkg"))

NEW_DOCUMENT = """# Werksessie opschalen in Zwolle

Op 12 maart 2026 kwamen de partners van de City Deal Kennis Maken in Zwolle bijeen om te
bespreken hoe studenten en wijkbewoners samen vraagstukken in de buurt blijven oppakken. De
gemeente, Hogeschool Windesheim en twee woningcorporaties spraken af dat elk semester een vaste
contactpersoon in de wijk aanwezig is, zodat bewoners weten bij wie zij terechtkunnen.

De deelnemers leerden dat een proeftuin pas opschaalt wanneer de eigenaarschap bij de bewoners
ligt en de gemeente ruimte geeft om te experimenteren zonder vooraf vastgelegde uitkomsten.
"""


def run(data: Path, *args: str, limit_bytes: int | None = None) -> subprocess.CompletedProcess[str]:
    """``impactkg --data-dir DATA ARGS`` in a child process (with a file size limit if given)."""

    def limit() -> None:
        if limit_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run([IMPACTKG, "--data-dir", str(data), *args], capture_output=True,
                          text=True, preexec_fn=limit, timeout=600)


def current(data: Path) -> str:
    return (data / "current").read_text(encoding="utf-8").strip()


def assert_served_and_agreeing(data: Path) -> None:
    checked = run(data, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "agree" in checked.stdout
    found = run(data, "search", "opschalen", "--format", "json")
    assert found.returncode == 0, found.stderr
    assert '"hits": [' in found.stdout and '"passage_iri"' in found.stdout


@pytest.fixture
def new_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "nieuw"
    folder.mkdir()
    (folder / "werksessie-zwolle.md").write_text(NEW_DOCUMENT, encoding="utf-8")
    return folder


# -- disk full, file size limit, permissions -------------------------------------------------


def test_a_write_that_fails_is_one_line_and_the_previous_generation_stays(
        sample_copy: Path, new_folder: Path) -> None:
    """RLIMIT_FSIZE makes every write past 64 kB fail with EFBIG, as a full disk would (and it
    works for any user, where chmod does not stop root)."""
    before = current(sample_copy)
    failed = run(sample_copy, "ingest", "--no-progress", str(new_folder), limit_bytes=64_000)
    assert failed.returncode == 4, failed.stdout + failed.stderr
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in failed.stderr, failed.stderr
    assert lines[0].startswith("Fout / error: cannot write to the data directory")
    assert f"generation {before} is unchanged and still served" in lines[0]
    assert current(sample_copy) == before
    assert_served_and_agreeing(sample_copy)
    again = run(sample_copy, "ingest", "--no-progress", str(new_folder))
    assert again.returncode == 0, again.stderr
    assert current(sample_copy) != before
    assert_served_and_agreeing(sample_copy)


def _mount_tmpfs(folder: Path, size_kb: int) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                          capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None,
                    reason="mounting a small tmpfs needs root")
def test_a_full_disk_is_one_line_and_the_previous_generation_stays(
        sample_copy: Path, new_folder: Path, tmp_path: Path) -> None:
    mount = tmp_path / "small-disk"
    used_kb = sum(p.stat().st_size for p in sample_copy.rglob("*") if p.is_file()) // 1024
    if not _mount_tmpfs(mount, used_kb + 4096):
        pytest.skip("mount -t tmpfs is not permitted here")
    try:
        data = mount / "data"
        shutil.copytree(sample_copy, data, symlinks=True)
        free = shutil.disk_usage(mount).free
        (mount / "filler").write_bytes(b"\0" * max(0, free - 64 * 1024))
        before = current(data)
        failed = run(data, "ingest", "--no-progress", str(new_folder))
        assert failed.returncode == 4, failed.stdout + failed.stderr
        assert failed.stderr.strip().count("\n") == 0, failed.stderr
        assert "no space left on the device" in failed.stderr
        assert current(data) == before
        (mount / "filler").unlink()
        assert_served_and_agreeing(data)
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.skipif(os.geteuid() == 0, reason="chmod does not stop root (see the test above)")
def test_no_permission_is_one_line(sample_copy: Path, new_folder: Path) -> None:
    before = current(sample_copy)
    folders = [sample_copy / "store", sample_copy / "search", sample_copy / "generations"]
    for folder in folders:
        folder.chmod(0o555)
    try:
        failed = run(sample_copy, "ingest", "--no-progress", str(new_folder))
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert failed.returncode == 4, failed.stdout + failed.stderr
    assert "permission denied" in failed.stderr and "Traceback" not in failed.stderr
    assert current(sample_copy) == before


@pytest.mark.parametrize(("error", "expected"), [
    (OSError("IO error: No space left on device: While appending to file: x/000046.log"),
     errno.ENOSPC),
    (sqlite3.OperationalError("database or disk is full"), errno.ENOSPC),
    (OSError(errno.EACCES, "Permission denied"), errno.EACCES),
    (sqlite3.OperationalError("attempt to write a readonly database"), errno.EROFS),
    (OSError(errno.ENOENT, "No such file or directory"), None),
    (ValueError("no space left"), None),
])
def test_storage_errors_are_recognised(error: BaseException, expected: int | None) -> None:
    assert storage_errno(error) == expected


def test_a_storage_error_hidden_behind_a_later_one_is_found() -> None:
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError:
            raise RuntimeError("closing the store failed") from None
    except RuntimeError as outer:
        outer.__context__ = OSError(errno.ENOSPC, "No space left on device")
        assert storage_errno(outer) == errno.ENOSPC


# -- damaged files --------------------------------------------------------------------------


def _garble(path: Path) -> None:
    """Replace a file by garbage of half its length (a new file: its hard links elsewhere,
    such as the writer's copy, stay as they were)."""
    size = path.stat().st_size
    path.unlink()
    path.write_bytes(bytes(range(256)) * (size // 512 + 1))


def test_a_damaged_search_index_is_rebuilt_from_the_graph(sample_copy: Path) -> None:
    search = sample_copy / "generations" / current(sample_copy) / "search"
    for file in sorted(search.glob("vectors-*/*")) + sorted(search.glob("passages-*.sqlite")):
        _garble(file)
    found = run(sample_copy, "search", "opschalen", "--format", "json")
    assert found.returncode == 0, found.stderr
    assert "rebuilding it from the graph" in found.stderr
    assert '"passage_iri"' in found.stdout
    assert list(search.parent.glob("search.damaged-*"))
    assert_served_and_agreeing(sample_copy)


def test_a_missing_search_index_is_rebuilt_for_the_web_app(sample_copy: Path) -> None:
    from impactkg.settings import load_settings
    from impactkg.wiring import build_app

    shutil.rmtree(sample_copy / "generations" / current(sample_copy) / "search")
    app = build_app(load_settings(sample_copy))
    response = app.test_client().get("/api/search?q=opschalen")
    assert response.status_code == 200
    assert response.get_json()["hits"]
    assert_served_and_agreeing(sample_copy)


@pytest.mark.parametrize("damage", ["garbled store files", "missing graph folder",
                                    "garbled manifest", "missing generation folder"])
def test_a_damaged_generation_is_skipped_for_the_one_before(sample_copy: Path, damage: str) -> None:
    newest = current(sample_copy)
    generation = sample_copy / "generations" / newest
    if damage == "garbled store files":
        for file in (generation / "graph").glob("*.sst"):
            _garble(file)
    elif damage == "missing graph folder":
        shutil.rmtree(generation / "graph")
    elif damage == "garbled manifest":
        (generation / "manifest.json").write_text("{not json", encoding="utf-8")
    else:
        shutil.rmtree(generation)
    answered = run(sample_copy, "sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert answered.returncode == 0, answered.stderr
    assert f"generation {newest} is damaged" in answered.stderr
    assert "serving generation g" in answered.stderr


# -- kills ----------------------------------------------------------------------------------


def test_work_committed_by_a_killed_run_is_published_by_the_next(sample_copy: Path) -> None:
    """A run killed while publishing leaves DATA/unpublished; the next run publishes although
    it finds nothing new (here: the unchanged samples)."""
    before = current(sample_copy)
    (sample_copy / "unpublished").touch()
    again = run(sample_copy, "ingest", "--no-progress", str(REPO / "samples"))
    assert again.returncode == 0, again.stderr
    assert "nieuw/new 0, gewijzigd/changed 0" in again.stdout
    assert current(sample_copy) != before
    assert not (sample_copy / "unpublished").exists()
    published = current(sample_copy)
    unchanged = run(sample_copy, "ingest", "--no-progress", str(REPO / "samples"))
    assert unchanged.returncode == 0, unchanged.stderr
    assert current(sample_copy) == published  # without the marker nothing new is published


def test_killed_ingests_lose_nothing_that_was_committed() -> None:
    """Three rounds of bench/kill_ingest.py: kill, check the store, re-run, check again."""
    done = subprocess.run([sys.executable, str(REPO / "bench" / "kill_ingest.py"), "--kills", "3",
                           "--pages", "24", "--rewrite", "16", "--commit-every", "4",
                           "--modes", "after-flush,publish,random"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rounds with problems: 0" in done.stdout
    assert " killed after " in done.stdout
