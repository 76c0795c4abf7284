"""One recorded configuration: settings and rule thresholds, from TOML, hashed into every report."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import claimcheck
from claimcheck.errors import ConfigError
from claimcheck.settings import Settings, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claimcheck.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_config_file_sets_settings_and_rule_thresholds(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, "max_bytes = 1000\n[rules]\nlearned_flag_threshold = 0.9\n"))
    assert settings.max_bytes == 1000 and settings.rules.learned_flag_threshold == 0.9
    assert settings.changed_from_defaults() == {"max_bytes": 1000, "rules.learned_flag_threshold": 0.9}


def test_a_config_file_sets_the_spam_score(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, "[spam]\nthreshold = 0.6\n"))
    assert settings.spam.threshold == 0.6
    assert settings.changed_from_defaults() == {"spam.threshold": 0.6}
    assert settings.config_sha256 != Settings().config_sha256


def test_the_hash_changes_with_any_value_and_only_then() -> None:
    assert Settings().config_sha256 == Settings().config_sha256
    assert Settings(top_k=4).config_sha256 != Settings().config_sha256
    assert Settings().changed_from_defaults() == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[rules]\nlearned_flag_treshold = 0.9\n", "unknown setting.*rules.learned_flag_treshold"),
        ("max_byte = 3\n", "unknown setting.*max_byte"),
        ("max_bytes = \n", "cannot read configuration"),
        ("rules = 3\n", r"\[rules\] must be a table"),
        ("[spam]\nthreshhold = 0.6\n", "unknown setting.*spam.threshhold"),
    ],
)
def test_a_bad_config_file_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_the_configuration_depends_on_no_stage_that_it_configures() -> None:
    """settings.py (the verdict rules' thresholds included) imports no verdict, claim, signal or text module."""
    source = Path(claimcheck.__file__).with_name("settings.py").read_text(encoding="utf-8")
    imported = [
        node.module or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.level == 1
    ]
    assert "records" in imported, "the check reads settings.py's own imports"
    assert [m for m in imported if m.split(".")[0] in ("verdicts", "claims", "signals", "text")] == []
