"""Shared fixtures: a hashing embedder for fast tests, the real model and engine loaded once."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from knowledge.embedding import HashingEmbedder, SentenceTransformerEmbedder
from knowledge.engine import Engine
from knowledge.settings import EngineSettings, IndexSettings, ModelSettings

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def hashing_embedder() -> HashingEmbedder:
    return HashingEmbedder(dimension=256)


@pytest.fixture(scope="session")
def real_embedder() -> SentenceTransformerEmbedder:
    """The packaged all-MiniLM-L6-v2, loaded once per test session."""
    return SentenceTransformerEmbedder(ModelSettings())


@pytest.fixture(scope="session")
def default_engine(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: SentenceTransformerEmbedder
) -> Engine:
    """The real engine on the default story, with its index in a temporary folder."""
    folder = tmp_path_factory.mktemp("default-index")
    settings = EngineSettings(index=IndexSettings(dir=str(folder)))
    return Engine.open(settings, embedder=real_embedder)


@pytest.fixture
def write_story(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write ``{file name: content}`` into a fresh story folder and return it."""

    def write(files: dict[str, str | bytes]) -> Path:
        folder = tmp_path / "story"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return write


def story_settings(story: Path, index: Path, **answer: object) -> EngineSettings:
    """Engine settings for a test story and index folder."""
    settings = EngineSettings()
    settings = replace(settings, corpus=replace(settings.corpus, paths=(str(story),)))
    settings = replace(settings, index=IndexSettings(dir=str(index)))
    if answer:
        settings = replace(settings, answer=replace(settings.answer, **answer))
    return settings
