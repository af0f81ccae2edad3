"""Discord's size limits, and text made to fit them without cutting a word or hiding the cut.

Discord counts characters as Unicode code points, as Python's ``len`` does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from discord.utils import escape_markdown

from bot.presentation.common import ELLIPSIS

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FIELDS = 25
FOOTER = 2048
AUTHOR_NAME = 256
EMBEDS_TOTAL = 6000  # all embeds of one message together
EMBEDS = 10

_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*(?=\s|$)")
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}
_OPEN_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)\[")  # a "[" not escaped yet
_PILL = re.compile(r"<(?=[@#:/]|a:|t:|id:)")
_ORDERED_ITEM = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters; otherwise cut and marked with "…".

    The cut falls after the last whole sentence that fits, when that keeps at least half the room;
    otherwise after the last whole word. Only text without any space (a URL, say) is cut inside.
    """
    if len(text) <= limit:
        return text
    if limit < 2:
        return ELLIPSIS[:limit]
    room = limit - 2  # for " …" after a sentence, "…" after a word
    window = text[: room + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() <= room]
    if ends and ends[-1] >= room // 2:
        return f"{window[: ends[-1]]} {ELLIPSIS}"
    cut = room
    while cut > 0 and not window[cut].isspace():
        cut -= 1
    kept = window[:cut].rstrip()
    if kept:
        return kept + ELLIPSIS
    return _cut_between_characters(text, room + 1) + ELLIPSIS


def _cut_between_characters(text: str, cut: int) -> str:
    """``text[:cut]``, moved back so a combining mark or emoji joiner is not split off."""
    while cut > 0 and (
        unicodedata.combining(text[cut])
        or text[cut] in _JOINERS
        or text[cut - 1] in _JOINERS
        or 0x1F3FB <= ord(text[cut]) <= 0x1F3FF  # skin-tone modifiers
    ):
        cut -= 1
    return text[:cut]


def fit(text: str, limit: int, render: Callable[[str], str] = str) -> str:
    """``render(shorten(text, n))`` for the largest ``n`` whose result fits in ``limit``.

    ``render`` may lengthen the text (markdown escapes, a quote prefix); the result never exceeds
    ``limit`` (it is empty when not even an ellipsis fits).
    """
    budget = limit
    while budget >= 0:
        out = render(shorten(text, budget))
        if len(out) <= limit:
            return out
        budget -= max(1, len(out) - limit)
    return ""


def escape(text: str) -> str:
    """Article or user text shown literally: no markdown, links, mention or emoji pills."""
    text = escape_markdown(text)
    text = _OPEN_BRACKET.sub(r"\1\\[", text)  # escape_markdown leaves nested [links](…)
    text = _PILL.sub(r"\\<", text)
    return _ORDERED_ITEM.sub(r"\1\\.", text)


def quote_block(text: str) -> str:
    """``text`` escaped as a Discord block quote."""
    return "\n".join(f"> {line}" for line in escape(text).split("\n"))
