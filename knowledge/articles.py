"""Find and load a story's articles (.txt, .md, .html) with their metadata.

A file that cannot be used (binary, empty, not UTF-8, too big, unparsable) is skipped with a
warning naming it; the rest still load. Metadata: Markdown front matter, HTML meta tags, a sidecar
``<name>.yaml`` beside any article (which wins), and a byline in the text for the author.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from knowledge.cleaning import clean
from knowledge.errors import CorpusError
from knowledge.markup import html_to_text, markdown_to_text, split_front_matter
from knowledge.models import Article, ArticleMeta

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
META_KEYS = {f.name for f in fields(ArticleMeta)}


@dataclass(frozen=True)
class ArticleFile:
    """An article file found in a corpus folder, with its stable id."""

    doc_id: str
    path: Path


@dataclass(frozen=True)
class Skipped:
    """A file that was not loaded, and why."""

    path: str
    reason: str


def find_articles(folders: Iterable[Path]) -> list[ArticleFile]:
    """Every article file under ``folders``, sorted; ids are paths relative to their folder."""
    folders = list(folders)
    found: list[ArticleFile] = []
    for folder in folders:
        if not folder.is_dir():
            raise CorpusError(f"corpus folder not found: {folder}")
        prefix = f"{folder.name}/" if len(folders) > 1 else ""
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in ARTICLE_SUFFIXES and path.is_file():
                if any(part.startswith(".") for part in path.relative_to(folder).parts):
                    continue
                rel = path.relative_to(folder).with_suffix("").as_posix()
                found.append(ArticleFile(prefix + rel, path))
    ids = [f.doc_id for f in found]
    if len(ids) != len(set(ids)):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise CorpusError(f"two articles share the id {dupes[0]!r}: rename one of them")
    return found


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file, refusing ones over ``max_bytes``."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"too big ({size:,} bytes; the limit is {max_bytes:,})")
    return path.read_bytes()


def fingerprint(raw: bytes, sidecar: bytes) -> str:
    """Content hash of an article and its sidecar: what decides whether to re-embed it."""
    digest = hashlib.sha256(raw)
    digest.update(b"\0sidecar\0")
    digest.update(sidecar)
    return digest.hexdigest()


def sidecar_path(path: Path) -> Path:
    return path.with_suffix(".yaml")


def load_article(item: ArticleFile, max_bytes: int) -> Article:
    """Load one article; raises ``ValueError`` with the reason when it cannot be used."""
    raw = read_bytes(item.path, max_bytes)
    if not raw.strip():
        raise ValueError("empty file")
    if b"\0" in raw[:8192]:
        raise ValueError("binary file")
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start})") from None
    side_raw, side_meta = _read_sidecar(item.path, max_bytes)
    kind = ARTICLE_SUFFIXES[item.path.suffix.lower()]
    meta, title, body = _parse(kind, source)
    meta = _merge_meta(meta, side_meta)
    title = meta.title or title
    text = f"{title}\n\n{body}" if title else body
    cleaned = clean(text, has_headline=bool(title))
    if not any(not p.boilerplate for p in cleaned.paragraphs):
        raise ValueError("no article text found")
    if title is None:
        meta = replace(meta, title=None)
    else:
        headline = cleaned.paragraphs[0].span
        meta = replace(meta, title=cleaned.text[headline.start : headline.end])
    if meta.author is None and cleaned.byline_author:
        meta = replace(meta, author=cleaned.byline_author)
    return Article(
        doc_id=item.doc_id,
        path=str(item.path),
        text=cleaned.text,
        meta=meta,
        paragraphs=cleaned.paragraphs,
        content_hash=fingerprint(raw, side_raw),
    )


def _parse(kind: str, source: str) -> tuple[ArticleMeta, str | None, str]:
    if kind == "markdown":
        front, body = split_front_matter(source)
        title, text = markdown_to_text(body)
        return _meta_from(front), _str(front.get("title")) or title, text
    if kind == "html":
        extracted = html_to_text(source)
        return extracted.meta, extracted.meta.title, extracted.text
    lines = source.strip().split("\n", 1)
    return ArticleMeta(), lines[0].strip() or None, lines[1] if len(lines) > 1 else ""


def _read_sidecar(path: Path, max_bytes: int) -> tuple[bytes, dict[str, Any]]:
    side = sidecar_path(path)
    if not side.is_file():
        return b"", {}
    raw = read_bytes(side, max_bytes)
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        raise ValueError(f"metadata file {side.name} is not valid YAML") from None
    if data is None:
        return raw, {}
    if not isinstance(data, dict):
        raise ValueError(f"metadata file {side.name} must be a mapping")
    unknown = sorted(set(data) - META_KEYS)
    if unknown:
        raise ValueError(f"metadata file {side.name}: unknown key '{unknown[0]}'")
    return raw, data


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _meta_from(data: dict[str, Any]) -> ArticleMeta:
    return ArticleMeta(**{k: _str(data.get(k)) for k in META_KEYS})


def _merge_meta(base: ArticleMeta, override: dict[str, Any]) -> ArticleMeta:
    updates = {k: _str(v) for k, v in override.items() if _str(v) is not None}
    return replace(base, **updates)


def load_articles(files: Iterable[ArticleFile], max_bytes: int) -> Iterator[Article | Skipped]:
    """Load each file, yielding the article or why it was skipped (also logged as a warning)."""
    for item in files:
        try:
            yield load_article(item, max_bytes)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            log.warning("skipped %s: %s", item.path, reason)
            yield Skipped(str(item.path), reason)
