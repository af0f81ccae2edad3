"""Plain, frozen data classes that cross the engine's boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` into an article's text."""

    start: int
    end: int


@dataclass(frozen=True)
class ArticleMeta:
    """What is known about an article; ``None`` means unknown, never guessed."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """One block of an article, with its 1-based number among the article's body paragraphs."""

    number: int
    span: Span
    boilerplate: bool = False


@dataclass(frozen=True)
class Article:
    """A loaded, normalised article: ``text`` is what every offset points into."""

    doc_id: str
    path: str
    text: str
    meta: ArticleMeta
    paragraphs: tuple[Paragraph, ...]
    content_hash: str

    @property
    def body_paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in self.paragraphs if not p.boilerplate)


@dataclass(frozen=True)
class Passage:
    """A retrievable unit: a paragraph or a window of one, with its sentence spans."""

    passage_id: int
    doc_id: str
    paragraph: int
    span: Span
    text: str
    sentences: tuple[Span, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Source:
    """One article of the knowledge base, as ``storybot sources`` lists it."""

    doc_id: str
    meta: ArticleMeta
    paragraphs: int
    path: str


@dataclass(frozen=True)
class Citation:
    """One numbered, attributed, verbatim quote.

    ``cut_before`` / ``cut_after``: the quote starts / ends inside a sentence (trimmed to fit the
    answer's length); front ends mark those ends with "…" around the verbatim text.
    """

    n: int
    doc_id: str
    meta: ArticleMeta
    paragraph: int
    snippet: str
    score: float
    span: Span
    cut_before: bool = False
    cut_after: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "title": self.meta.title,
            "outlet": self.meta.outlet,
            "author": self.meta.author,
            "url": self.meta.url,
            "published": self.meta.published,
            "paragraph": self.paragraph,
            "snippet": self.snippet,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Answer:
    """The engine's reply to one question.

    ``answer`` is verbatim article text (the first citation's snippet), empty when not answered.
    ``highlight`` is the ``(start, end)`` of its key part inside ``answer``, when one was found.
    ``searched_as`` is the question as searched when misspelt words were corrected, else None.
    """

    question: str
    answered: bool
    answer: str
    citations: tuple[Citation, ...]
    latency_ms: float
    confidence: float = 0.0
    highlight: tuple[int, int] | None = None
    searched_as: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "latency_ms": round(self.latency_ms, 2),
            "confidence": round(self.confidence, 4),
            "highlight": list(self.highlight) if self.highlight else None,
            "searched_as": self.searched_as,
        }
