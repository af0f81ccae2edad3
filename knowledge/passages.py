"""Cut articles into sentence-aware passages with exact character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterable

import blingfire

from knowledge.models import Article, Passage, Span

_OPENING_ONLY = re.compile(r"^[\W_]*$")
MIN_SENTENCE_CHARS = 15


def split_sentences(text: str, start: int = 0) -> list[Span]:
    """Sentence spans of ``text`` (offsets shifted by ``start``); fragments join a neighbour."""
    if not text.strip():
        return []
    _, offsets = blingfire.text_to_sentences_and_offsets(text)
    spans: list[Span] = []
    for a, b in offsets:
        piece = text[a:b]
        stripped = piece.strip()
        if not stripped:
            continue
        a += len(piece) - len(piece.lstrip())
        b = a + len(stripped)
        if spans and _OPENING_ONLY.match(stripped):
            spans[-1] = Span(spans[-1].start, start + b)
            continue
        spans.append(Span(start + a, start + b))
    return _merge_short(spans)


def _merge_short(spans: list[Span]) -> list[Span]:
    """Fold very short fragments ("Who knows!") into the previous sentence."""
    merged: list[Span] = []
    for span in spans:
        if merged and span.end - span.start < MIN_SENTENCE_CHARS:
            merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    if len(merged) > 1 and merged[0].end - merged[0].start < MIN_SENTENCE_CHARS:
        merged[1] = Span(merged[0].start, merged[1].end)
        merged.pop(0)
    return merged


def chunk_article(article: Article, max_chars: int, overlap: int) -> list[Passage]:
    """One passage per body paragraph; long paragraphs become overlapping sentence windows."""
    passages: list[Passage] = []
    for paragraph in article.body_paragraphs:
        span = paragraph.span
        sentences = split_sentences(article.text[span.start : span.end], span.start)
        if not sentences:
            continue
        for window in _windows(sentences, max_chars, overlap):
            start, end = window[0].start, window[-1].end
            passages.append(
                Passage(
                    passage_id=-1,
                    doc_id=article.doc_id,
                    paragraph=paragraph.number,
                    span=Span(start, end),
                    text=article.text[start:end],
                    sentences=tuple(window),
                )
            )
    return passages


def _windows(sentences: list[Span], max_chars: int, overlap: int) -> Iterable[list[Span]]:
    if sentences[-1].end - sentences[0].start <= max_chars:
        yield sentences
        return
    i = 0
    while i < len(sentences):
        j = i + 1
        while j < len(sentences) and sentences[j].end - sentences[i].start <= max_chars:
            j += 1
        yield sentences[i:j]
        if j >= len(sentences):
            return
        i = max(j - overlap, i + 1)


def number_passages(passages: list[Passage], first_id: int = 0) -> list[Passage]:
    """Give passages consecutive ids starting at ``first_id``."""
    return [
        Passage(first_id + i, p.doc_id, p.paragraph, p.span, p.text, p.sentences)
        for i, p in enumerate(passages)
    ]
