"""The settings table: documented, typed, layered."""

from __future__ import annotations

from pathlib import Path

import pytest

from impactkg.settings import SETTINGS, SettingsError, load_settings

REPO = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in doc]
    assert not missing, f"undocumented settings: {missing}"
    assert all(s.help for s in SETTINGS)


def test_layers_file_env_cli(tmp_path: Path) -> None:
    (tmp_path / "impactkg.toml").write_text("port = 6000\nchunk_max_words = 120\n")
    settings = load_settings(tmp_path, {"chunk_max_words": "140"},
                             {"IMPACTKG_PORT": "7000", "IMPACTKG_ALLOW_PRIVATE": "ja"})
    assert settings.port == 7000
    assert settings.chunk_max_words == 140
    assert settings.allow_private is True
    assert settings.fusion_rrf_k == 60


def test_bad_values_are_clear(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="unknown setting 'nope'"):
        load_settings(tmp_path, {"nope": "1"}, {})
    with pytest.raises(SettingsError, match="port needs a int, not 'vijf'"):
        load_settings(tmp_path, {"port": "vijf"}, {})
