"""Greetings, mentions and "can you tell me" are not searched for."""

from __future__ import annotations

import pytest

from knowledge.engine import Engine
from knowledge.small_talk import is_small_talk, without_small_talk


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("hey, how many kids do they have?", "how many kids do they have?"),
        ("hi bot! how many videos did alec post?", "how many videos did alec post?"),
        ("ok so how many followers does hilaria have", "how many followers does hilaria have"),
        ("Quick q - where is Hilaria from?", "where is Hilaria from?"),
        ("@everyone how old is alec baldwin", "how old is alec baldwin"),
        ("<@123456> how old is carmen? thanks!", "how old is carmen?"),
        ("I was wondering, who is Ireland Baldwin?", "who is Ireland Baldwin?"),
        ("I’m curious: where is Hilaria from?", "where is Hilaria from?"),
        ("tell me about the story", "about the story"),
        ("Can you please tell me Who Carmen is?", "Who Carmen is?"),
        ("Anyone know when they got married?", "when they got married?"),
        ("Is Hilaria Spanish? lol", "Is Hilaria Spanish?"),
        ("Also, what did the note say? thx", "what did the note say?"),
        ("ok so What did Carmen say?", "What did Carmen say?"),
        ("Describe the reaction to the video", "the reaction to the video"),
        ("Please summarize what the critics said", "what the critics said"),
        ("List Alec's children", "Alec's children"),
        ("explain to me why he begged", "why he begged"),
    ],
)
def test_small_talk_around_a_question_is_dropped(typed: str, searched: str) -> None:
    assert without_small_talk(typed) == searched


@pytest.mark.parametrize(
    "question",
    [
        "How old is Alec Baldwin?",
        "Hey Arnold is a show?",  # a capital right after: maybe a name
        "So Alec Baldwin is 64?",
        "Well-known actors?",
        "Who is OK?",
        "hello",  # nothing would be left
        "thanks",
        "So what?",
        "@hilariabaldwin how many followers does she have?",  # a handle may be the subject
        "Describe it",  # one word would be left
        "Explaining the video?",
    ],
)
def test_questions_without_small_talk_are_kept(question: str) -> None:
    assert without_small_talk(question) == question


def test_small_talk_does_not_change_the_answer(default_engine: Engine) -> None:
    """The greeting pulled the question towards "Hey everybody," Baldwin began..., away from
    the sentence about their children; the user's own text stays the answer's question."""
    for chatty, plain in [
        ("hey, how many kids do they have?", "How many kids do they have?"),
        ("yo what did carmen say", "What did Carmen say?"),
    ]:
        answer = default_engine.ask(chatty)
        assert answer.answered and answer.answer == default_engine.ask(plain).answer
        assert answer.question == chatty and answer.searched_as is None
    assert "seven children" in default_engine.ask("hey, how many kids do they have?").answer


@pytest.mark.parametrize(
    ("text", "only_talk"),
    [
        ("thanks", True),
        ("Thank you so much!", True),
        ("Thanks again, StoryBot!", True),
        ("hi bot", True),
        ("ok", True),
        ("help", True),
        ("@everyone", True),
        ("thanks, how old is Carmen?", False),
        ("Who is the bot?", False),
        ("Is it cool?", False),
        ("Yes, but why?", False),
        ("what", False),
        ("What time is it?", True),
        ("hey, what's the date today?", True),
        ("what day is it", True),
        ("What was the date of the first video?", False),
        ("What time did he post it?", False),
    ],
)
def test_a_message_of_small_talk_alone_is_told_apart(text: str, only_talk: bool) -> None:
    assert is_small_talk(text) is only_talk


def test_small_talk_alone_quotes_nothing(default_engine: Engine) -> None:
    """ "thanks" found the thank-you note ("Many thanks to everyone..."), "ok" a commenter's
    "...but ok"; neither is a question about the story."""
    for text in ("thanks", "Thank you so much!", "ok", "help", "What time is it?"):
        answer = default_engine.ask(text)
        assert not answer.answered and answer.citations == () and answer.confidence == 0.0
    assert default_engine.ask("thanks! what did the thank-you note say?").answered
