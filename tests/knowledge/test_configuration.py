"""Settings: YAML + environment, unknown keys and bad values rejected with the key's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import load_settings
from knowledge.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "storybot.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_load() -> None:
    settings = load_settings(None, environ={})
    assert settings.answer.max_chars == 300
    assert settings.limits.max_question_chars == 500
    assert settings.corpus.paths == ()


def test_file_then_environment_override(tmp_path: Path) -> None:
    path = _write(tmp_path, "answer:\n  max_citations: 4\nretrieval:\n  dense_weight: 0.6\n")
    settings = load_settings(path, environ={"STORYBOT_ANSWER__MAX_CITATIONS": "2"})
    assert settings.answer.max_citations == 2
    assert settings.retrieval.dense_weight == 0.6


def test_config_path_from_environment(tmp_path: Path) -> None:
    path = _write(tmp_path, "limits:\n  max_question_chars: 120\n")
    settings = load_settings(None, environ={"STORYBOT_CONFIG": str(path)})
    assert settings.limits.max_question_chars == 120


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("answer:\n  max_citatons: 4\n", {}, "unknown config key 'answer.max_citatons'"),
        ("anwser:\n  max_citations: 4\n", {}, "unknown config key 'anwser'"),
        ("answer:\n  max_citations: lots\n", {}, "'answer.max_citations': expected a whole"),
        ("answer:\n  max_citations: 40\n", {}, "max_citations must be between 1 and 10"),
        ("model:\n  query_quantization: int4\n", {}, "'model.query_quantization'"),
        ("", {"STORYBOT_RETRIEVAL__DENSE_WEIGHT": "heavy"}, "'retrieval.dense_weight'"),
        ("", {"STORYBOT_NOPE__X": "1"}, "unknown config key 'nope'"),
        ("answer: [1, 2\n", {}, "is not valid YAML"),
        ("- just\n- a list\n", {}, "must hold a mapping"),
    ],
)
def test_bad_settings_are_one_line_errors_naming_the_key(
    tmp_path: Path, text: str, env: dict[str, str], message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ=env)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "absent.yaml", environ={})
