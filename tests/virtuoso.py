"""A private, throw-away Virtuoso server for the remote-store tests (a session fixture).

It runs ``virtuoso-t`` in a temporary folder on free 127.0.0.1 ports, waits until the SPARQL
endpoint answers, grants SPARQL_UPDATE to the anonymous SPARQL user, and yields the endpoint
URL; afterwards it stops the server and removes the folder.

Without Virtuoso the tests that use it FAIL with a message saying how to install it
(``bash .ci/setup-services``), unless ``IMPACTKG_SKIP_REMOTE=1`` asks to skip them.

Use it from a test module with ``virtuoso_endpoint = virtuoso.virtuoso_endpoint``.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

VIRTUOSO = os.environ.get("IMPACTKG_VIRTUOSO_BIN", "/usr/bin/virtuoso-t")
ISQL = os.environ.get("IMPACTKG_ISQL_BIN", "/usr/bin/isql-vt")
SKIP_VARIABLE = "IMPACTKG_SKIP_REMOTE"
READY_TIMEOUT_S = 60.0
START_ATTEMPTS = 3
FOLDER_PREFIX = "impactkg-virtuoso-"
OWNER_FILE = "owner.pid"

INI = """\
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
CaseMode   = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
"""


def _unavailable(reason: str, remedy: str) -> None:
    """Skip when the developer opted out; otherwise fail loudly (CI must run these tests)."""
    if os.environ.get(SKIP_VARIABLE) == "1":
        pytest.skip(f"remote-store tests skipped ({SKIP_VARIABLE}=1): {reason}")
    pytest.fail(f"{reason}\n{remedy}, or set {SKIP_VARIABLE}=1 to skip the remote-store tests.",
                pytrace=False)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: get SIGTERM when pytest dies, so no server outlives a killed test run."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # a clean shutdown takes about a second
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _start(folder: Path) -> tuple[subprocess.Popen, str, int]:
    """One attempt: the server process, its endpoint URL and SQL port (raises on failure)."""
    sql_port, http_port = _free_port(), _free_port()
    while http_port == sql_port:
        http_port = _free_port()
    (folder / "virtuoso.ini").write_text(INI.format(sql_port=sql_port, http_port=http_port))
    log = open(folder / "server.log", "ab")  # noqa: SIM115 - the child holds it
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", "virtuoso.ini"],
        cwd=folder, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,  # only sets the parent-death signal
    )
    log.close()
    url = f"http://127.0.0.1:{http_port}/sparql"
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:  # a busy port makes virtuoso-t exit after about 2 s
            raise RuntimeError(f"virtuoso-t exited with code {process.returncode}")
        if _answers(url):
            return process, url, sql_port
        time.sleep(0.1)
    _stop(process)
    raise RuntimeError(f"virtuoso-t did not answer on {url} within {READY_TIMEOUT_S:g} s")


def _grant_update(sql_port: int) -> None:
    done = subprocess.run(
        [ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0 or "Error" in done.stdout:
        raise RuntimeError(f"granting SPARQL_UPDATE failed: {(done.stdout + done.stderr).strip()}")


def _remove_orphans() -> None:
    """Remove folders of earlier runs that were killed before they could clean up (50 MB each)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        try:
            owner = int((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            pass  # alive, another user's


@pytest.fixture(scope="session")
def virtuoso_endpoint() -> Iterator[str]:
    """The URL of a private Virtuoso SPARQL endpoint that anyone may update."""
    if not (os.access(VIRTUOSO, os.X_OK) and os.access(ISQL, os.X_OK)):
        _unavailable(f"Virtuoso is not installed ({VIRTUOSO} or {ISQL} is missing).",
                     "Install it with `bash .ci/setup-services` (as root)")
    _remove_orphans()
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    (folder / OWNER_FILE).write_text(str(os.getpid()))
    process: subprocess.Popen | None = None
    try:
        errors: list[str] = []
        for attempt in range(START_ATTEMPTS):
            database = folder / f"db{attempt}"  # a failed attempt may leave a lock file behind
            database.mkdir()
            try:
                process, url, sql_port = _start(database)
                break
            except RuntimeError as error:
                errors.append(str(error))
        else:
            log_tail = (database / "server.log").read_text(errors="replace")[-800:].strip()
            _unavailable(f"Virtuoso did not start: {'; '.join(errors)}. Its log ends:\n"
                         f"{log_tail or '(empty)'}", "Fix what the log says")
        _grant_update(sql_port)
        yield url
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(folder, ignore_errors=True)
