"""The application's settings: the engine's sections plus the front ends' own.

Loaded once at start-up from the shipped defaults, the user's YAML (``--config`` or
``STORYBOT_CONFIG``) and ``STORYBOT_<SECTION>__<KEY>`` environment variables. Secrets (the Discord
token) are never settings: they come only from the environment, where they are read at use.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from config import DEFAULT_CONFIG
from knowledge.configuration import load
from knowledge.settings import CorpusSettings, EngineSettings, IndexSettings


@dataclass(frozen=True)
class LoggingSettings:
    """How StoryBot logs (always to stderr)."""

    level: Literal["debug", "info", "warning", "error"] = "warning"
    format: Literal["text", "json"] = "text"


@dataclass(frozen=True)
class AppSettings(EngineSettings):
    """Everything ``storybot`` reads."""

    logging: LoggingSettings = field(default_factory=LoggingSettings)


def load_settings(
    path: Path | None = None, environ: Mapping[str, str] | None = None
) -> AppSettings:
    """Defaults, then ``path`` (or ``$STORYBOT_CONFIG``), then environment overrides."""
    env = os.environ if environ is None else environ
    if path is None and env.get("STORYBOT_CONFIG"):
        path = Path(env["STORYBOT_CONFIG"])
    return load(AppSettings, DEFAULT_CONFIG, path, env)


def with_overrides(
    settings: AppSettings, corpus: list[str] | None = None, index_dir: str | None = None
) -> AppSettings:
    """Apply command-line ``--corpus`` / ``--index-dir``, which win over config and environment."""
    if corpus:
        settings = replace(settings, corpus=replace(settings.corpus, paths=tuple(corpus)))
    if index_dir:
        settings = replace(settings, index=replace(settings.index, dir=index_dir))
    return settings


__all__ = [
    "AppSettings",
    "CorpusSettings",
    "IndexSettings",
    "LoggingSettings",
    "load_settings",
    "with_overrides",
]
