"""Wording and attribution shared by the console, the command line and Discord."""

from __future__ import annotations

from knowledge.models import Answer, ArticleMeta, Citation, Source

NOT_FOUND = (
    "I couldn't find an answer to that in the articles I know. Try asking another way, "
    "ask \u201cWhat is this story about?\u201d, or see what they cover with {sources}."
)


def searched_as_note(answer: Answer) -> str | None:
    """ "Searched for “…”" when the engine corrected the question's spelling."""
    return f"Searched for \u201c{answer.searched_as}\u201d" if answer.searched_as else None


def not_found_message(sources_hint: str) -> str:
    """The "I don't know" reply; ``sources_hint`` names the front end's sources command."""
    return NOT_FOUND.format(sources=sources_hint)


ELLIPSIS = "…"


def marked_quote(citation: Citation) -> str:
    """The citation's verbatim snippet with "…" where it was cut inside a sentence."""
    before = ELLIPSIS if citation.cut_before else ""
    after = ELLIPSIS if citation.cut_after else ""
    return f"{before}{citation.snippet}{after}"


def marked_answer(answer: Answer) -> tuple[str, tuple[int, int] | None]:
    """The answer text as shown (its quote, marked where cut) and its highlight in that text."""
    first = answer.citations[0]
    shift = len(ELLIPSIS) if first.cut_before else 0
    span = answer.highlight
    return marked_quote(first), (span[0] + shift, span[1] + shift) if span else None


def byline(meta: ArticleMeta) -> str:
    """``Outlet, by Author`` with whatever is known (empty when nothing is)."""
    parts = []
    if meta.outlet:
        parts.append(meta.outlet)
    if meta.author:
        parts.append(f"by {meta.author}")
    return ", ".join(parts)


def attribution(citation: Citation) -> str:
    """``Title — Outlet, by Author, paragraph N``: who said it and where."""
    title = citation.meta.title or citation.doc_id
    who = byline(citation.meta)
    where = f"paragraph {citation.paragraph}"
    return f"{title} — {who}, {where}" if who else f"{title} — {where}"


def source_line(source: Source) -> str:
    """One article as listed by the sources command."""
    title = source.meta.title or source.doc_id
    details = [d for d in (byline(source.meta), source.meta.published) if d]
    details.append(f"{source.paragraphs} paragraphs")
    return f"{title} ({'; '.join(details)})"


def plural(count: int, noun: str) -> str:
    """``1 article``, ``3 articles``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def about(articles: int) -> str:
    """What StoryBot does, for every front end's help."""
    return (
        f"I answer questions about {plural(articles, 'news article')} with verbatim quotes from "
        "them, each with its source. I never make anything up: when the articles don't say, "
        "I tell you so."
    )


def searched(articles: int) -> str:
    """The footer line under an answer."""
    return f"Searched {plural(articles, 'article')}"
