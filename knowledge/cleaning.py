"""Normalise article text and tell body paragraphs from boilerplate.

Boilerplate (subscription promos, photo credits and captions, bylines, "About the writer" and what
follows it, lines repeated within an article, short headings and tags) stays in the text, so
offsets keep pointing at the source, but it is marked and never indexed or quoted.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from knowledge.models import Paragraph, Span

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_RUN = re.compile(r"\n{3,}")
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣\-*–]\s+|\d{1,2}[.)]\s+(?=[A-Z\"“]))")
_TERMINAL = (".", "!", "?", '"', "”", "’", "'", ")", "…", ":")

_TRAILER_HEADING = re.compile(
    r"^(about the (writer|author|reporter)s?|about the authors|related (articles|stories|coverage)"
    r"|more from\b.*|recommended( for you)?|read (more|next)|trending( now)?|comments?"
    r"|most popular|you may also like)\s*:?$",
    re.IGNORECASE,
)
_PROMO = re.compile(
    r"\b(subscribe|subscription|newsletter|sign up for (our|the)|click here|ad-free|"
    r"delivered to your door|download (our|the) app|follow us on|all rights reserved|"
    r"advertisement|share this (article|story)|cookie (policy|settings)|terms of (use|service)|"
    r"privacy policy|support our journalism)\b|©|\(c\) \d{4}",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(
    r"(getty images|shutterstock|\bap photo\b|\breuters/|\bafp via\b|\bphoto(graph)? (by|credit)\b"
    r"|^(photo|photograph|image|credit|source|caption)s?\s*:|courtesy of\b|\bis pictured\b"
    r"|\bare pictured\b|\bpictured (here|above|below|left|right|inset)\b|/getty\b|\bvia getty\b)",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^by\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})"
    r"(?:\s*(?:\||,|and|·|—|-)\s*.*)?$"
)
_DATELINE = re.compile(r"^(published|updated|posted|last updated)\b.{0,60}$", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"^\(?\s*(via|source|h/t|hat tip)\b[^.]{0,60}\)?$", re.IGNORECASE)
_BIO = re.compile(r"^(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}) (is|was) (a|an|the)\b")


@dataclass(frozen=True)
class CleanedText:
    """Normalised text, its paragraphs, and what the text itself says about its author."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    byline_author: str | None


def normalise(text: str) -> str:
    """NFC, one kind of newline and space, no invisible or control characters, unwrapped lines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANK_RUN.sub("\n\n", text).strip()
    blocks = [_unwrap(block) for block in text.split("\n\n")]
    return "\n\n".join(blocks)


def _unwrap(block: str) -> str:
    """Join the lines of a wrapped paragraph; keep the breaks of lists and one-unit-per-line."""
    lines = block.split("\n")
    if len(lines) < 2 or _is_list(lines):
        return block
    if all(_ends_unit(line, nxt) for line, nxt in itertools.pairwise(lines)):
        return block
    return " ".join(lines)


def _is_list(lines: list[str]) -> bool:
    bullets = sum(1 for line in lines if _BULLET.match(line))
    return bullets >= max(2, len(lines) // 2)


def _ends_unit(line: str, following: str) -> bool:
    """Whether ``line`` stands on its own (a sentence end, or a heading before a new start)."""
    if line.endswith(_TERMINAL):
        return True
    starts_new = following[:1].isupper() or following[:1] in "\"“‘'("
    return starts_new and len(line.split()) < 12


def split_blocks(text: str) -> list[Span]:
    """Spans of the paragraphs of normalised text: blank-line blocks, list blocks split by line."""
    spans: list[Span] = []
    start = 0
    for match in [*_BLOCK_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        spans.extend(_block_lines(text, start, end))
        if match:
            start = match.end()
    return [s for s in spans if text[s.start : s.end].strip()]


def _block_lines(text: str, start: int, end: int) -> list[Span]:
    block = text[start:end]
    if "\n" not in block:
        return [Span(start, end)]
    spans = []
    offset = start
    for line in block.split("\n"):
        spans.append(Span(offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def is_heading(line: str) -> bool:
    """A short line that does not end like a sentence: a heading, tag, kicker or caption title."""
    words = line.split()
    return len(words) < 12 and not line.rstrip().endswith(_TERMINAL)


def classify(text: str, spans: list[Span], has_headline: bool) -> CleanedText:
    """Mark boilerplate paragraphs and number the body paragraphs from 1.

    With ``has_headline`` the first block is the headline: kept in the text, not a body paragraph.
    """
    blocks = [text[s.start : s.end].strip() for s in spans]
    counts: dict[str, int] = {}
    for block in blocks:
        key = block.casefold()
        counts[key] = counts.get(key, 0) + 1
    author: str | None = None
    in_trailer = False
    paragraphs: list[Paragraph] = []
    number = 0
    for index, (span, block) in enumerate(zip(spans, blocks, strict=True)):
        if index == 0 and has_headline:
            paragraphs.append(Paragraph(0, span, boilerplate=True))
            continue
        if _TRAILER_HEADING.match(block):
            in_trailer = True
        byline = _BYLINE.match(block)
        if byline and author is None and len(block) < 120:
            author = byline.group("name")
        if in_trailer and author is None and (bio := _BIO.match(block)):
            author = bio.group("name")
        boilerplate = (
            in_trailer
            or counts[block.casefold()] > 1
            or _is_boilerplate(block)
            or (byline is not None and len(block) < 120)
        )
        if boilerplate:
            paragraphs.append(Paragraph(0, span, boilerplate=True))
        else:
            number += 1
            paragraphs.append(Paragraph(number, span))
    return CleanedText(text, tuple(paragraphs), author)


def _is_boilerplate(block: str) -> bool:
    if is_heading(block) and not _BULLET.match(block):
        return True
    if _DATELINE.match(block) or _ATTRIBUTION.match(block):
        return True
    if _PHOTO_CREDIT.search(block):
        return True
    return len(block) < 300 and _PROMO.search(block) is not None


def clean(text: str, has_headline: bool) -> CleanedText:
    """Normalise ``text`` and classify its paragraphs (the first one is the headline if so said)."""
    text = normalise(text)
    return classify(text, split_blocks(text), has_headline)
