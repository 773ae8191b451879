"""Shared fixtures: data directories and a CLI runner. Nothing here reaches the network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def invoke(runner: CliRunner, data_dir: Path):
    """Run ``impactkg --data-dir DATA ARGS...`` in-process and return Click's result."""
    from impactkg.cli import cli

    def run(*args: str, input: str | None = None):
        return runner.invoke(cli, ["--data-dir", str(data_dir), *args], input=input,
                             catch_exceptions=False)

    return run


@pytest.fixture
def initialised(invoke, data_dir: Path) -> Path:
    result = invoke("init")
    assert result.exit_code == 0, result.output
    return data_dir


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with samples/ ingested (model annotation and embeddings included).

    Built once per test session; tests must only read it. Copy it to change it.
    """
    from impactkg.cli import cli

    data = tmp_path_factory.mktemp("sample-data") / "data"
    runner = CliRunner()
    for args in (["init"], ["ingest", str(REPO / "samples")]):
        result = runner.invoke(cli, ["--data-dir", str(data), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return data


@pytest.fixture
def sample_copy(sample_data: Path, tmp_path: Path) -> Path:
    """A private copy of :func:`sample_data` that a test may change."""
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(sample_data, copy, symlinks=True)
    return copy


@pytest.fixture(scope="session")
def sample_site(sample_data: Path):
    """The web app over :func:`sample_data`, served by waitress on 127.0.0.1 for the session."""
    from webapp_server import LiveApp

    with LiveApp(sample_data) as site:
        yield site


@pytest.fixture(scope="session")
def ask_data(sample_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:func:`sample_data` plus the documents written for the ask evaluation (tests/fixtures/ask_docs).

    Built once per test session from a copy of ``sample_data``; tests must only read it.
    """
    import shutil

    from impactkg.cli import cli

    data = tmp_path_factory.mktemp("ask-data") / "data"
    shutil.copytree(sample_data, data, symlinks=True)
    result = CliRunner().invoke(cli, ["--data-dir", str(data), "ingest",
                                      str(REPO / "tests" / "fixtures" / "ask_docs")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return data
