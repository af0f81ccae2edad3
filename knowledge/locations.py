"""Where the story and its index live: the packaged default story, the user's cache folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import platformdirs

from knowledge.settings import EngineSettings

DEFAULT_STORY = Path(__file__).resolve().parent / "default_story"
APP_NAME = "storybot"


def corpus_folders(settings: EngineSettings) -> list[Path]:
    """The configured story folders, or the packaged default story."""
    if not settings.corpus.paths:
        return [DEFAULT_STORY]
    return [Path(p).expanduser().resolve() for p in settings.corpus.paths]


def index_folder(settings: EngineSettings) -> Path:
    """The configured index folder, or one per story under the user's cache folder."""
    if settings.index.dir:
        return Path(settings.index.dir).expanduser().resolve()
    cache = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "index"
    if not settings.corpus.paths:
        return cache / "default"
    key = "\n".join(str(p) for p in corpus_folders(settings))
    return cache / f"story-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
