"""Answers and sources rendered for a terminal: bold highlight and colour on a TTY, plain text
otherwise."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from bot.presentation.common import (
    attribution,
    marked_answer,
    marked_quote,
    not_found_message,
    searched_as_note,
    source_line,
)
from knowledge.models import Answer, Source

BOLD, DIM, CYAN, RESET = "\033[1m", "\033[2m", "\033[36m", "\033[0m"


@dataclass(frozen=True)
class TextStyle:
    colour: bool = False
    width: int = 88
    sources_hint: str = "`storybot sources`"


def render_answer(answer: Answer, style: TextStyle = TextStyle()) -> str:
    """The answer text first (key part highlighted), then each numbered source with its quote."""
    note = searched_as_note(answer)
    lines = [_paint(note + ".", DIM, style)] if note else []
    if not answer.answered:
        return "\n".join([*lines, not_found_message(style.sources_hint)])
    lines += [_wrap(_highlighted(answer, style), style.width), ""]
    lines.append(_paint("Sources:", BOLD, style))
    for citation in answer.citations:
        head = f"[{citation.n}] {attribution(citation)}"
        lines.append(_paint(head, CYAN, style))
        quote = textwrap.fill(
            f"“{marked_quote(citation)}”",
            style.width,
            initial_indent="    ",
            subsequent_indent="    ",
        )
        lines.append(_paint(quote, DIM, style) if citation.n > 1 else quote)
    return "\n".join(lines)


def render_sources(sources: list[Source], style: TextStyle = TextStyle()) -> str:
    """The numbered list of articles in the knowledge base."""
    if not sources:
        return "No articles are indexed."
    lines = [_paint(f"{len(sources)} article(s) in the knowledge base:", BOLD, style)]
    lines += [f"{i}. {source_line(s)}" for i, s in enumerate(sources, start=1)]
    return "\n".join(lines)


def _highlighted(answer: Answer, style: TextStyle) -> str:
    """The answer (with "…" where it was cut inside a sentence), its key part in bold."""
    text, span = marked_answer(answer)
    if not style.colour or not span:
        return text
    start, end = span
    return f"{text[:start]}{BOLD}{text[start:end]}{RESET}{text[end:]}"


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(text, width) if "\033" not in text else text


def _paint(text: str, code: str, style: TextStyle) -> str:
    return f"{code}{text}{RESET}" if style.colour else text
