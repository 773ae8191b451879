"""The coverage-guided fuzz harness (bench/fuzz_atheris.py, part of ``make fuzz``) runs its
targets and reports a failing input; the long run itself lives outside the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HARNESS = REPO / "bench" / "fuzz_atheris.py"


def fuzz(target: str, runs: int, artifacts: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(HARNESS), target, "--runs", str(runs),
                           "--artifacts", str(artifacts)],
                          capture_output=True, text=True, timeout=600, cwd=REPO)


@pytest.mark.parametrize("target", ["dates", "canned"])
def test_a_target_takes_its_inputs_without_failure(target: str, tmp_path: Path) -> None:
    result = fuzz(target, 300, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"atheris {target}: 300 inputs, exit 0" in result.stdout
    assert not list(tmp_path.iterdir())


def test_a_failing_input_is_reported_and_kept(tmp_path: Path) -> None:
    result = fuzz("selfcheck", 200_000, tmp_path)
    assert result.returncode == 1
    assert "planted failure" in result.stderr
    kept = list(tmp_path.glob("selfcheck-crash-*"))
    assert kept and kept[0].read_bytes().startswith(b"!")
