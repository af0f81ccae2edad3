"""The manifest saved beside every index: what it was built from and with, checked on load."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from knowledge.errors import IndexCorruptError

FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True)
class ArticleEntry:
    """One indexed article: its content hash, file stat, and its run of passage ids."""

    doc_id: str
    path: str
    content_hash: str
    size: int
    mtime_ns: int
    first: int
    count: int


@dataclass(frozen=True)
class SkippedEntry:
    """A file that was found but not indexed, remembered so it does not look new every time."""

    path: str
    size: int
    mtime_ns: int
    reason: str


@dataclass(frozen=True)
class Manifest:
    """Everything needed to decide whether a saved index can serve the current settings.

    ``vector_index`` records the FAISS structure that was built and its parameters, e.g.
    ``{"structure": "ivf-sq8", "passages": 1000000, "lists": 2048, "nprobe": 32,
    "tuned_recall_at_10": 0.98, "tuning_queries": 128}`` (empty in indexes made before it existed:
    those are flat).
    """

    format_version: int
    spec: dict[str, Any]
    passages: int
    articles: tuple[ArticleEntry, ...]
    created: str
    skipped: tuple[SkippedEntry, ...] = ()
    vector_index: dict[str, Any] = field(default_factory=dict)

    def article(self, doc_id: str) -> ArticleEntry | None:
        return self._by_doc_id.get(doc_id)

    @cached_property
    def _by_doc_id(self) -> dict[str, ArticleEntry]:
        return {entry.doc_id: entry for entry in self.articles}

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, indent=1, sort_keys=True)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IndexCorruptError(f"index manifest missing: {path}") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise IndexCorruptError(f"index manifest {path} cannot be read ({exc})") from None
        try:
            return cls(
                format_version=int(data["format_version"]),
                spec=dict(data["spec"]),
                passages=int(data["passages"]),
                articles=tuple(ArticleEntry(**entry) for entry in data["articles"]),
                created=str(data["created"]),
                skipped=tuple(SkippedEntry(**entry) for entry in data.get("skipped", [])),
                vector_index=dict(data.get("vector_index") or {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexCorruptError(f"index manifest {path} is malformed ({exc})") from None


def spec_difference(saved: dict[str, Any], wanted: dict[str, Any]) -> str | None:
    """A short description of the first setting that differs, or None when they match."""
    for key in sorted(set(saved) | set(wanted)):
        if saved.get(key) != wanted.get(key):
            return f"{key} changed ({saved.get(key)!r} -> {wanted.get(key)!r})"
    return None
