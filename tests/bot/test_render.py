"""Discord rendering as pure functions: every limit, odd input, and nothing dropped silently."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any

import pytest

from bot.discord.limits import ELLIPSIS, escape, fit, quote_block, shorten
from bot.discord.render import (
    answer_reply,
    help_reply,
    reload_reply,
    sources_reply,
)
from bot.presentation.text import TextStyle, render_answer
from knowledge.engine import Engine, IndexReport
from knowledge.models import Answer, ArticleMeta, Citation, Source, Span
from tests.fakes.limits import message_violations
from tests.fakes.openapi import body_errors

WORDS = "The mayor said the bridge would reopen in spring after repairs were finished. "


def citation(n: int, snippet: str, **meta: Any) -> Citation:
    article = ArticleMeta(
        title=meta.get("title", f"Article {n}"),
        outlet=meta.get("outlet", "The Daily"),
        author=meta.get("author", "A. Writer"),
        url=meta.get("url"),
        published=meta.get("published"),
    )
    return Citation(n, f"doc{n}", article, 3 + n, snippet, 0.5, Span(0, len(snippet)))


def answer(
    question: str, citations: list[Citation], highlight: tuple[int, int] | None = None
) -> Answer:
    return Answer(
        question=question,
        answered=True,
        answer=citations[0].snippet,
        citations=tuple(citations),
        latency_ms=12.3,
        confidence=0.9,
        highlight=highlight,
    )


def payload(reply: Any) -> dict[str, Any]:
    """The interaction response discord.py would send for this reply."""
    data: dict[str, Any] = {"allowed_mentions": {"parse": []}}
    if reply.content is not None:
        data["content"] = reply.content
    if reply.embeds:
        data["embeds"] = [e.to_dict() for e in reply.embeds]
    return data


def assert_sendable(reply: Any) -> dict[str, Any]:
    """Within Discord's limits and valid by Discord's OpenAPI description."""
    data = payload(reply)
    assert message_violations(data) == []
    assert body_errors("POST", "/interactions/1/token/callback", {"type": 4, "data": data}) == []
    return data


def fields(data: dict[str, Any]) -> list[dict[str, str]]:
    return [f for embed in data.get("embeds", []) for f in embed.get("fields", [])]


def test_real_answer_has_answer_first_highlight_sources_and_footer(default_engine: Engine) -> None:
    reply = answer_reply(default_engine.ask("How many children do the Baldwins have?"), 3, False)
    data = assert_sendable(reply)
    embed = data["embeds"][0]
    assert "seven children" in embed["description"] and "**" in embed["description"]
    first = embed["fields"][0]
    assert first["name"].startswith("[1] Alec Baldwin Mocked Over Plea")
    assert first["value"].startswith("Newsweek, by Ryan Smith, paragraph 18\n> ")
    assert "seven children" in first["value"]
    assert embed["footer"]["text"].startswith("Searched 3 articles")
    assert reply.private is False


def test_a_corrected_question_says_what_was_searched() -> None:
    shown = replace(answer("how old is alec baldwn", [citation(1, WORDS)]), searched_as="fixed")
    data = assert_sendable(answer_reply(shown, 3, False))
    assert "Searched for \u201cfixed\u201d" in data["embeds"][0]["footer"]["text"]
    assert render_answer(shown).startswith("Searched for \u201cfixed\u201d.\n")
    refused = replace(shown, answered=False, answer="", citations=())
    assert render_answer(refused).startswith("Searched for \u201cfixed\u201d.\n")
    assert "Searched for" not in render_answer(replace(shown, searched_as=None))


def test_not_found_is_private_and_points_to_sources() -> None:
    refusal = Answer("What is the capital of France?", False, "", (), 5.0)
    reply = answer_reply(refusal, 3, private=False, answer_id="0123456789abcdef")
    assert reply.private and not reply.embeds and reply.answer_id is None
    assert "`/sources`" in (reply.content or "")


def test_a_6000_character_question_is_shortened_in_the_author_line() -> None:
    question = ("Why " + "very " * 1200)[:6000]
    data = assert_sendable(answer_reply(answer(question, [citation(1, WORDS)]), 3, False))
    author = data["embeds"][0]["author"]["name"]
    assert len(author) <= 256 and author.endswith(ELLIPSIS)
    kept = author[: -len(ELLIPSIS)].rstrip()
    assert f"Q: {question}".startswith(kept) and f"Q: {question}"[len(kept)] == " "


def test_long_quotes_share_the_6000_characters_and_are_cut_at_sentence_ends() -> None:
    cited = [citation(n, WORDS * 80) for n in range(1, 11)]  # 10 quotes of ~6000 characters
    data = assert_sendable(answer_reply(answer("When will the bridge reopen?", cited), 3, False))
    shown = fields(data)
    assert [f["name"] for f in shown] == [f"[{n}] Article {n}" for n in range(1, 11)]
    for field in shown:
        quote = field["value"].split("\n", 1)[1]
        assert quote.startswith("> The mayor said")
        assert quote.endswith(f"finished. {ELLIPSIS}")  # a whole sentence, then the mark
    assert "not shown" not in data["embeds"][0]["footer"]["text"]


def test_more_citations_than_fields_are_counted_not_dropped() -> None:
    cited = [citation(n, f"Fact number {n} is true.") for n in range(1, 41)]
    data = assert_sendable(answer_reply(answer("What are the facts?", cited), 3, False))
    shown = len(fields(data))
    assert shown == 25
    assert f"{40 - shown} more sources not shown" in data["embeds"][0]["footer"]["text"]


def test_huge_titles_and_quotes_leave_out_whole_citations_and_say_how_many() -> None:
    cited = [citation(n, WORDS * 20, title="Headline " * 100) for n in range(1, 26)]
    data = assert_sendable(answer_reply(answer("What happened?", cited), 3, False))
    shown = len(fields(data))
    assert 0 < shown < 25
    footer = data["embeds"][0]["footer"]["text"]
    assert f"{25 - shown} more source" in footer and "not shown" in footer
    for field in fields(data):
        assert len(field["value"].split("\n> ", 1)[1]) >= 40  # each shown quote is readable


def test_markdown_and_mentions_in_articles_show_literally() -> None:
    snippet = "**Breaking**: @everyone and <@123> and <@&456> were told _not_ to `panic` ||now||."
    title = "# Big [news](https://evil.example) ~~today~~"
    data = assert_sendable(
        answer_reply(answer("@here who was told?", [citation(1, snippet, title=title)]), 3, False)
    )
    embed = data["embeds"][0]
    text = embed["description"] + embed["fields"][0]["value"] + embed["fields"][0]["name"]
    for raw in ("**Breaking**", "<@123>", "<@&456>", "_not_", "`panic`", "||now||", "~~today~~"):
        assert not re.search(r"(?<!\\)" + re.escape(raw), text), raw
    assert r"\*\*Breaking\*\*" in embed["description"] and r"\<@123>" in embed["description"]
    assert embed["fields"][0]["name"] == r"[1] \# Big \[news](https://evil.example) \~\~today\~\~"


def test_highlight_is_bold_around_the_key_part_only() -> None:
    text = "The bridge reopens on 3 May, officials said."
    start = text.index("3 May")
    data = assert_sendable(
        answer_reply(answer("When?", [citation(1, text)], (start - 1, start + 5)), 3, False)
    )
    assert data["embeds"][0]["description"] == "The bridge reopens on **3 May**, officials said."


def test_a_quote_cut_inside_a_sentence_is_marked_with_ellipses_around_the_verbatim_text() -> None:
    text = "the bridge reopens on 3 May, officials"
    start = text.index("3 May")
    cut = replace(citation(1, text), cut_before=True, cut_after=True)
    whole = citation(2, "It had been closed since March.")
    reply = answer_reply(answer("When?", [cut, whole], (start, start + 5)), 3, False)
    embed = assert_sendable(reply)["embeds"][0]
    assert embed["description"] == "…the bridge reopens on **3 May**, officials…"
    assert embed["fields"][0]["value"].endswith("\n> …the bridge reopens on 3 May, officials…")
    assert embed["fields"][1]["value"].endswith("\n> It had been closed since March.")
    console = render_answer(answer("When?", [cut, whole], (start, start + 5)), TextStyle())
    assert console.startswith("…the bridge reopens on 3 May, officials…\n")
    assert "“…the bridge reopens on 3 May, officials…”" in console
    assert "“It had been closed since March.”" in console


@pytest.mark.parametrize(
    "snippet",
    [
        "家族は七人の子供がいる。" * 600,  # no spaces at all
        "👨‍👩‍👧‍👦 family " * 900,  # emoji joined with zero-width joiners
        "Ame\u0301lie e\u0301crit " * 700,  # combining accents
        "הוא אמר שהגשר ייפתח באביב. " * 300,  # right-to-left
    ],
)
def test_unicode_is_cut_between_characters_never_inside_one(snippet: str) -> None:
    cited = [citation(n, snippet) for n in range(1, 4)]
    data = assert_sendable(answer_reply(answer("?", cited), 3, False))
    for field in fields(data):
        quote = field["value"].split("\n> ", 1)[1]
        assert quote.endswith(ELLIPSIS)
        kept = quote[: -len(ELLIPSIS)].rstrip()
        assert snippet.startswith(kept)
        following = snippet[len(kept)]
        assert not unicodedata.combining(following) and following != "\u200d"
        assert kept[-1] != "\u200d"


@pytest.mark.parametrize("limit", [2, 3, 10, 57, 100, 1000])
@pytest.mark.parametrize(
    "text",
    [
        WORDS * 30,
        "One sentence without an end but with many words " * 30,
        "Supercalifragilistic" * 100,
        "Short.",
    ],
)
def test_shorten_fits_and_cuts_only_at_sentence_or_word_ends(text: str, limit: int) -> None:
    out = shorten(text, limit)
    assert len(out) <= limit
    if out == text:
        return
    assert out.endswith(ELLIPSIS)
    kept = out[: -len(ELLIPSIS)].rstrip()
    assert text.startswith(kept)
    if " " in text[:limit] and kept:
        after = text[len(kept)]
        assert after.isspace() or kept.endswith(".")


def test_fit_accounts_for_what_escaping_adds() -> None:
    text = "*" * 50 + " " + "_" * 50 + " end"
    out = fit(text, 60, escape)
    assert len(out) <= 60 and out.endswith(ELLIPSIS)
    assert fit(WORDS, 0, quote_block) == ""


def test_many_sources_fill_at_most_ten_embeds_and_count_the_rest() -> None:
    sources = [
        Source(
            f"doc{i}",
            ArticleMeta(
                title=f"Story number {i} " + "about the bridge " * 8,
                outlet="Gazette",
                author="R. Porter",
                published="2024-05-01",
            ),
            12,
            f"/story/{i}.txt",
        )
        for i in range(1, 501)
    ]
    data = assert_sendable(sources_reply(sources, private=False))
    embeds = data["embeds"]
    assert 1 < len(embeds) <= 10
    lines = [line for e in embeds for line in (e.get("description") or "").split("\n")]
    assert lines[0].startswith("1. Story number 1 ") and "Gazette, by R. Porter" in lines[0]
    footer = embeds[-1]["footer"]["text"]
    assert footer == f"…and {500 - len(lines)} more not listed here"
    assert embeds[0]["title"] == "500 articles in the knowledge base"


def test_sources_of_the_default_story(default_engine: Engine) -> None:
    data = assert_sendable(sources_reply(default_engine.sources(), private=True))
    text = data["embeds"][0]["description"]
    assert text.count("\n") == 2 and "Newsweek, by Ryan Smith" in text
    assert "footer" not in data["embeds"][0]


def test_help_says_what_it_knows_and_how_to_ask() -> None:
    reply = help_reply(3, 500, (3, 30.0))
    data = assert_sendable(reply)
    text = str(data)
    assert reply.private
    assert "3 news articles" in text and "/ask" in text and "@StoryBot" in text
    assert "500 characters" in text and "3 questions per 30 seconds" in text


def test_reload_report_wording() -> None:
    unchanged = IndexReport(3, 40, (), (), (), (), False, 0.2)
    rebuilt = IndexReport(4, 52, ("new",), ("old",), (), (("x.pdf", "unsupported"),), True, 2.04)
    assert "unchanged (3 articles, 40 passages)" in (reload_reply(unchanged).content or "")
    text = reload_reply(rebuilt).content or ""
    assert re.search(r"Reloaded in 2\.0 s: 4 articles, 52 passages; 1 added, 1 changed", text)
    assert "1 file skipped" in text
