"""Plain text from Markdown (markdown-it-py) and HTML (trafilatura), one paragraph per block."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from knowledge.models import ArticleMeta

_FRONT = "---"


@dataclass(frozen=True)
class Extracted:
    meta: ArticleMeta
    text: str


def split_front_matter(source: str) -> tuple[dict[str, Any], str]:
    """YAML front matter between ``---`` lines at the top, and the rest."""
    lines = source.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != _FRONT:
        return {}, source
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() in (_FRONT, "..."):
            try:
                data = yaml.safe_load("\n".join(lines[1:end]))
            except yaml.YAMLError:
                raise ValueError("front matter is not valid YAML") from None
            if data is not None and not isinstance(data, dict):
                raise ValueError("front matter must be a mapping")
            return data or {}, "\n".join(lines[end + 1 :])
    return {}, source


def markdown_to_text(body: str) -> tuple[str | None, str]:
    """The first level-1 heading (if it opens the document) and the text, blocks by blank lines."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(body)
    blocks: list[str] = []
    title: str | None = None
    heading_level = 0
    for token in tokens:
        if token.type == "heading_open":
            heading_level = int(token.tag[1:])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type == "inline":
            text = _inline_text(token.children or [])
            if not text:
                continue
            if heading_level == 1 and title is None and not blocks:
                title = text
            else:
                blocks.append(text)
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(token.content.strip())
    return title, "\n\n".join(blocks)


def _inline_text(children: list[Any]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def html_to_text(source: str) -> Extracted:
    """Main text and metadata of an HTML page, boilerplate (menus, footers) left out."""
    import trafilatura

    doc: Any = trafilatura.bare_extraction(
        source, with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None or not getattr(doc, "text", None):
        raise ValueError("no article text found in the HTML")
    title = _clean(doc.title)
    lines = [line.strip() for line in str(doc.text).split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    meta = ArticleMeta(
        title=title,
        outlet=_clean(doc.sitename),
        author=_clean(doc.author),
        url=_clean(doc.url),
        published=_clean(doc.date),
    )
    return Extracted(meta, "\n\n".join(lines))


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
