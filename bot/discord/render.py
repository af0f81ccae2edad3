"""What StoryBot says on Discord, as pure functions from engine data to a ``Reply``.

Every reply fits Discord's limits (see ``bot.discord.limits``): long text is cut at a sentence or
word boundary and marked with "…", and citations that cannot fit at all are counted in the footer
("2 more sources not shown"); nothing disappears without a trace. Article text is escaped so its
markdown and mentions show literally. Wording shared with the console comes from
``bot.presentation.common``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import discord

from bot.discord.limits import (
    AUTHOR_NAME,
    CONTENT,
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    EMBEDS,
    EMBEDS_TOTAL,
    FIELD_NAME,
    FIELD_VALUE,
    FIELDS,
    FOOTER,
    escape,
    fit,
    quote_block,
    shorten,
)
from bot.presentation.common import (
    about,
    byline,
    marked_answer,
    marked_quote,
    not_found_message,
    plural,
    searched,
    searched_as_note,
    source_line,
)
from knowledge.engine import IndexReport
from knowledge.models import Answer, Citation, Source

ANSWER_COLOUR = 0x5865F2
INFO_COLOUR = 0x2B2D31
SOURCES_HINT = "`/sources`"
MIN_QUOTE = 40  # a citation gets at least this much of its quote, or is counted as not shown
HEADER_MAX = 400
SOURCE_LINE_MAX = 600
_URL = re.compile(r"^https?://[^\s()<>]{1,500}$")


@dataclass(frozen=True)
class Reply:
    """One message: text and/or embeds, private (ephemeral) or not.

    ``answer_id`` is set on answers recorded for feedback: they carry the 👍/👎 buttons.
    """

    content: str | None = None
    embeds: tuple[discord.Embed, ...] = ()
    private: bool = False
    answer_id: str | None = None


def text_reply(text: str, private: bool = True) -> Reply:
    """A short message of StoryBot's own wording (may use markdown)."""
    return Reply(content=shorten(text, CONTENT), private=private)


def answer_reply(
    answer: Answer, articles: int, private: bool, answer_id: str | None = None
) -> Reply:
    """The engine's answer; "not found" is a private pointer to /sources."""
    if not answer.answered:
        return text_reply(not_found_message(SOURCES_HINT), private=True)
    return Reply(embeds=(answer_embed(answer, articles),), private=private, answer_id=answer_id)


def answer_embed(answer: Answer, articles: int) -> discord.Embed:
    """Question as the author line, the answer (key part in bold), one field per citation."""
    author = shorten(f"Q: {answer.question}", AUTHOR_NAME)
    shown, span = marked_answer(answer)
    description = fit(shown, EMBED_DESCRIPTION, partial(_highlighted, shown, span))
    note = searched_as_note(answer)
    footer = f"{searched(articles)}{f' · {note}' if note else ''} · {answer.latency_ms:.0f} ms"
    fields, omitted = citation_fields(
        answer.citations, EMBEDS_TOTAL - len(author) - len(description) - len(footer)
    )
    if omitted:
        footer += f" · {plural(omitted, 'more source')} not shown"
    embed = discord.Embed(description=description, colour=ANSWER_COLOUR)
    embed.set_author(name=author)
    for name, value in fields:
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=shorten(footer, FOOTER))
    return embed


def _highlighted(original: str, span: tuple[int, int] | None, text: str) -> str:
    """``text`` (``original`` or a shortened copy) escaped, with ``span`` in bold."""
    if span is None:
        return escape(text)
    kept = len(text) if text == original else len(text.rstrip(" …"))
    start, end = min(span[0], kept), min(span[1], kept)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return escape(text)
    return f"{escape(text[:start])}**{escape(text[start:end])}**{escape(text[end:])}"


def citation_fields(
    citations: Sequence[Citation], budget: int
) -> tuple[list[tuple[str, str]], int]:
    """``(name, value)`` per citation within ``budget`` characters in all; and how many did not fit.

    Each field is ``[n] Title`` over a line of attribution and the quoted snippet. The quotes
    share what the budget leaves fairly (short ones whole, long ones cut at sentence ends); when
    not every citation can have at least ``MIN_QUOTE`` characters, the last ones are left out and
    counted (their note is reserved from ``budget``).
    """
    citations = list(citations)
    for count in range(min(len(citations), FIELDS), -1, -1):
        omitted = len(citations) - count
        note = len(f" · {plural(omitted, 'more source')} not shown") if omitted else 0
        heads = [_field_head(c) for c in citations[:count]]
        room = budget - note - sum(len(name) + len(header) + 1 for name, header in heads)
        quotes = [marked_quote(c) for c in citations[:count]]
        needs = [
            min(len(quote_block(quote)), FIELD_VALUE - len(header) - 1)
            for quote, (_, header) in zip(quotes, heads, strict=True)
        ]
        if room < sum(min(need, MIN_QUOTE) for need in needs):
            continue
        shares = _fair_shares(needs, room)
        fields = [
            (name, f"{header}\n{fit(quote, share, quote_block)}")
            for quote, (name, header), share in zip(quotes, heads, shares, strict=True)
        ]
        return fields, omitted
    return [], len(citations)


def _field_head(citation: Citation) -> tuple[str, str]:
    title = citation.meta.title or citation.doc_id
    number = f"[{citation.n}] "
    name = number + fit(title, FIELD_NAME - len(number), escape)
    parts = [byline(citation.meta), f"paragraph {citation.paragraph}", citation.meta.published]
    header = fit(", ".join(p for p in parts if p), HEADER_MAX, escape)
    url = citation.meta.url
    if url and _URL.match(url):
        header += f" · [article]({url})"
    return name, header


def _fair_shares(needs: list[int], budget: int) -> list[int]:
    """Split ``budget``: small needs are met in full, the rest share what is left equally."""
    shares = [0] * len(needs)
    left = budget
    order = sorted(range(len(needs)), key=needs.__getitem__)
    for done, index in enumerate(order):
        shares[index] = min(needs[index], left // (len(order) - done))
        left -= shares[index]
    return shares


def sources_reply(sources: Sequence[Source], private: bool) -> Reply:
    """The articles of the knowledge base, as many as fit; the rest are counted."""
    title = f"{plural(len(sources), 'article')} in the knowledge base"
    if not sources:
        return Reply(embeds=(_info_embed("No articles are indexed.", ""),), private=private)
    lines = [
        f"{i}. {fit(source_line(s), SOURCE_LINE_MAX, escape)}"
        for i, s in enumerate(sources, start=1)
    ]
    reserve = len(title) + 60  # the "…and N more" footer
    pages: list[list[str]] = [[]]
    size = total = 0
    for line in lines:
        cost = len(line) + 1
        if total + cost > EMBEDS_TOTAL - reserve:
            break
        if size + cost > EMBED_DESCRIPTION:
            if len(pages) == EMBEDS:
                break
            pages.append([])
            size = 0
        pages[-1].append(line)
        size += cost
        total += cost
    shown = sum(len(page) for page in pages)
    embeds = [_info_embed(title if i == 0 else "", "\n".join(p)) for i, p in enumerate(pages)]
    if shown < len(lines):
        embeds[-1].set_footer(text=f"…and {len(lines) - shown} more not listed here")
    return Reply(embeds=tuple(embeds), private=private)


def help_reply(
    articles: int, max_question_chars: int, cooldown: tuple[int, float], private: bool = True
) -> Reply:
    """What StoryBot knows and how to ask it."""
    questions, seconds = cooldown
    embed = _info_embed("StoryBot", about(articles))
    embed.add_field(
        name="Ask",
        value="`/ask question:` your question, or mention me: "
        "`@StoryBot when is Hilaria's birthday?`\n"
        "The answer quotes the articles word for word, numbered [1], [2]… with their sources.\n"
        "New to the story? Ask `What is this story about?`",
        inline=False,
    )
    embed.add_field(name="Sources", value="`/sources` lists the articles I know.", inline=False)
    embed.add_field(
        name="Private answers",
        value="Add `private: True` to `/ask`, `/sources` or `/help` so only you see the reply.",
        inline=False,
    )
    embed.add_field(
        name="Feedback",
        value="Press 👍 or 👎 under an answer; maintainers review the 👎 ones.",
        inline=False,
    )
    limit = f"Questions of up to {max_question_chars} characters"
    if seconds > 0:
        limit += f"; {plural(questions, 'question')} per {seconds:g} seconds each"
    embed.add_field(name="Limits", value=limit + ".", inline=False)
    return Reply(embeds=(embed,), private=private)


def _info_embed(title: str, description: str) -> discord.Embed:
    return discord.Embed(
        title=shorten(title, EMBED_TITLE) or None,
        description=shorten(description, EMBED_DESCRIPTION) or None,
        colour=INFO_COLOUR,
    )


def wait_text(seconds: float) -> str:
    """``1 second``, ``12 seconds`` (rounded up: never tells anyone to come back too early)."""
    return plural(max(1, math.ceil(seconds)), "second")


def cooldown_reply(wait: float) -> Reply:
    return text_reply(f"You're asking quickly: please wait {wait_text(wait)} and ask again.")


def busy_reply(wait: float) -> Reply:
    return text_reply(
        "I'm busy answering other questions right now; please ask again in about "
        f"{wait_text(wait)}. Your question was not answered."
    )


def restarting_reply() -> Reply:
    return text_reply("StoryBot is restarting; please ask again in a minute.")


def empty_mention_reply() -> Reply:
    return text_reply(
        "Ask me something after the mention, e.g. `@StoryBot when is Hilaria's birthday?`"
    )


def permission_refusal(permission: str) -> Reply:
    return text_reply(
        f"Only members with the **{permission_label(permission)}** permission can reload the "
        "articles."
    )


def permission_label(permission: str) -> str:
    """A permission flag as Discord's interface names it (``manage_guild``: Manage Server)."""
    return permission.replace("guild", "server").replace("_", " ").title()


def reload_reply(report: IndexReport) -> Reply:
    size = f"{plural(report.articles, 'article')}, {plural(report.passages, 'passage')}"
    if not report.rebuilt:
        return text_reply(f"The articles are unchanged ({size}); nothing to reload.")
    return text_reply(
        f"Reloaded in {report.seconds:.1f} s: {size}; {len(report.added)} added, "
        f"{len(report.changed)} changed, {len(report.removed)} removed."
        + (f" {plural(len(report.skipped), 'file')} skipped." if report.skipped else "")
    )


def error_reply(reference: str) -> Reply:
    return text_reply(
        f"Sorry, something went wrong on my side (reference `{reference}`). Please try again "
        "later; if it keeps happening, give that reference to the server's admins."
    )
