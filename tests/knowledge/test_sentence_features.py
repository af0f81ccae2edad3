"""The noun a question asks about, and whether an answer candidate stands next to it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from knowledge.lexical import tokenize
from knowledge.question_types import AnswerKind, answer_kind, kind_spans, states_money
from knowledge.sentence_features import (
    QuestionTerms,
    SentenceText,
    focus_adjacent,
    focus_words,
    kind_hits,
)


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("How many nations are within the Amazon Basin?", ("nations",)),
        ("Which actor has the same birthday as Hilaria?", ("actor",)),
        ("How many different species live there?", ("different", "species")),
        ("What island does the cold water flow to?", ("island",)),
        ("What year did the war end?", ("year",)),
        ("What did Carmen say in her video?", ()),
        ("Who is Ireland Baldwin?", ()),
    ],
)
def test_focus_is_the_noun_after_the_question_word(question: str, focus: tuple[str, ...]) -> None:
    assert focus_words(question) == focus


def _adjacent(question: str, sentence: str) -> bool:
    tokens = tuple(t for t in question.lower().replace("?", "").split())
    terms = QuestionTerms(
        tokens,
        dict.fromkeys(tokens, 1.0),
        frozenset(),
        answer_kind(question),
        focus=focus_words(question),
    )
    text = SentenceText.of(sentence)
    return focus_adjacent(terms, sentence, kind_hits(terms, text))


def test_a_number_next_to_the_counted_noun_is_adjacent() -> None:
    question = "How many nations are within the Amazon Basin?"
    assert _adjacent(question, "The basin spans territory belonging to nine nations.")
    assert not _adjacent(question, "Brazil holds 60% of the forest, followed by Peru with 13%.")


def _age_hits(question: str, sentence: str) -> list[str]:
    tokens = tuple(tokenize(question))
    terms = QuestionTerms(tokens, dict.fromkeys(tokens, 1.0), frozenset(), answer_kind(question))
    return [sentence[a:b] for a, b in kind_hits(terms, SentenceText.of(sentence))]


@pytest.mark.parametrize(
    ("question", "sentence", "ages"),
    [
        ("How old is Alec?", "before his wife's 39th birthday, the star, 64, posted", ["64"]),
        ("How old is his wife?", "the day before his wife's 39th birthday", ["39th birthday"]),
        ("How old is Hilaria?", "It was Hilaria's 39th birthday.", ["39th birthday"]),
        ("How old is Alec?", "It was Alec Baldwin's 64th birthday.", ["64th birthday"]),
        ("How old is Alec?", "It was Ireland Baldwin's 27th birthday.", []),
        ("How old is Alec?", "He is father to model Ireland Baldwin, 27, and others.", []),
        ("How old is Ireland?", "He is father to model Ireland Baldwin, 27, and others.", ["27"]),
        ("How old is she?", "She will turn 40 in May.", ["turn 40"]),
    ],
)
def test_an_age_counts_only_when_it_may_be_the_asked_persons(
    question: str, sentence: str, ages: list[str]
) -> None:
    """An age right after someone else's name, or on someone else's birthday, is theirs."""
    assert _age_hits(question, sentence) == ages


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is Alec Baldwin's net worth?", AnswerKind.MONEY),
        ("How much did the house cost?", AnswerKind.MONEY),
        ("How many paid holiday days do most member states require?", AnswerKind.NUMBER),
    ],
)
def test_money_questions(question: str, kind: AnswerKind) -> None:
    assert answer_kind(question) is kind


@pytest.mark.parametrize(
    ("sentence", "money"),
    [
        ("It sold for $759,900 last year.", True),
        ("The average salary is £42,090.", True),
        ("He could claim 6 million lira in damages.", True),
        ("It costs 10 dollars.", True),
        ("It was worth it, for one pivotal moment.", False),
        ("He has more than 2.5 million followers.", False),
    ],
)
def test_a_sum_of_money_is_more_than_a_number(sentence: str, money: bool) -> None:
    assert states_money(sentence) is money


@pytest.mark.parametrize(
    ("sentence", "people"),
    [
        ("A note read: “Many thanks to everyone who helped,” said Alec in a post.", ["Alec"]),
        ('He wrote "Thank you all" to Carmen on Monday.', ["Carmen"]),
        ("On January 7 Alec Baldwin met June Carter there.", ["Alec Baldwin", "June Carter"]),
        ("It was the Baldwins' 'Follow me' post.", ["Baldwins'"]),
        ('"The law lives longer," Elbegdorj said in a speech.', ["Elbegdorj"]),
        # a name can open a quote too; that one is lost, as measured on the bench
        ("He said: “Hilaria is somebody who posts,” the star added.", []),
    ],
)
def test_a_person_is_not_a_quote_opening_or_a_calendar_word(
    sentence: str, people: list[str]
) -> None:
    assert [sentence[a:b] for a, b in kind_spans(sentence, AnswerKind.PERSON)] == people


def test_the_asked_persons_full_name_is_not_an_answer() -> None:
    """ "Who did Alec get help from?" is not answered by "Alec Baldwin" but by someone else."""
    tokens = tuple(tokenize("Who did Alec get help from?"))
    terms = QuestionTerms(tokens, dict.fromkeys(tokens, 1.0), frozenset(), AnswerKind.PERSON)
    sentence = SentenceText.of("Later, Alec Baldwin got help from his daughter, Carmen, too.")
    assert [sentence.text[a:b] for a, b in kind_hits(terms, sentence)] == [
        "Alec Baldwin",
        "Carmen",
    ]
    named = replace(terms, aliases={"alec": frozenset({"baldwin"})})
    assert [sentence.text[a:b] for a, b in kind_hits(named, sentence)] == ["Carmen"]


@pytest.mark.parametrize(
    ("sentence", "places"),
    [
        ("The branch flows into the Waal near Nijmegen today.", ["Waal", "Nijmegen"]),
        ("Most went to Cuba, the rest stayed.", ["Cuba"]),
        # names with no "in", "at", "from", ... before them are not places
        ("Genghis Khan planned again to conquer the Jin dynasty.", []),
        ("The reaction was not enthusiastic, said Alec Baldwin.", []),
    ],
)
def test_a_place_is_a_name_after_a_place_word(sentence: str, places: list[str]) -> None:
    assert [sentence[a:b] for a, b in kind_spans(sentence, AnswerKind.PLACE)] == places


@pytest.mark.parametrize(
    ("sentence", "age"),
    [
        ("Alec Baldwin, 64, posted a video.", True),
        ("Fossils thought to be ctenophores, about 515 million years old, were found.", True),
        ("Leakey found the 1.6-million-year-old skeleton.", True),
        ("Basic education starts at age six years.", True),
        ("Responses decline from around 50 years of age.", True),
        ("He posted the first of four videos.", False),
        ("The city has 2.5 million residents.", False),
    ],
)
def test_an_age_is_stated_for_people_and_for_things(sentence: str, age: bool) -> None:
    assert bool(kind_spans(sentence, AnswerKind.AGE)) is age


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # a name, wherever the question asks for one, not only "What is the name of ...?"
        ("What was Hilaria Baldwin's birth name?", AnswerKind.PERSON),
        ("Beroida are known by what other name?", AnswerKind.PERSON),
        ("What are the names of Alec's kids?", AnswerKind.PERSON),
        ("What is the Mongolian name of the first laws?", AnswerKind.PERSON),
        ("What does the name Hilaria mean?", AnswerKind.OTHER),
        ("Why have politicians regulated the use of his name?", AnswerKind.OTHER),
        # someone's age, not an age of the world or "because of his age"
        ("Alec's age?", AnswerKind.AGE),
        ("What was Hilaria Baldwin's age?", AnswerKind.AGE),
        ("What was the source of the Rhine in the last Ice Age?", AnswerKind.OTHER),
        ("Who could not be successor because of his age?", AnswerKind.PERSON),
        ("How old were the fossils found in China?", AnswerKind.AGE),
        ("When did the age of imperialism begin?", AnswerKind.DATE),
        # "who" asks only where it is the question word, not in a title or a relative clause
        ("What planet is Doctor Who from?", AnswerKind.OTHER),
        ("Why was the Dutch lawyer who moved to Belgium told to stop?", AnswerKind.OTHER),
        ("What did the people who saw the video say?", AnswerKind.OTHER),
        ("By whom is European law applied?", AnswerKind.PERSON),
        ("The freedom to provide services applies to who?", AnswerKind.PERSON),
        ("Do you know who Hilaria is?", AnswerKind.PERSON),
        ("What is the name of the man who wrote it?", AnswerKind.PERSON),
        # which person, by the role named ("Which archaeologist ...?", "What American actor ...?")
        ("Which archaeologist proposed the idea?", AnswerKind.PERSON),
        ("What American actor is also a graduate?", AnswerKind.PERSON),
        ("What two scientists proposed the theory?", AnswerKind.PERSON),
        ("What general principle applies?", AnswerKind.OTHER),
        # a sum of money only when the question asks for one, not for naming a price or a cost
        ("What is Alec Baldwin worth?", AnswerKind.MONEY),
        ("How much does Alec earn?", AnswerKind.MONEY),
        ("What was the cost of the project?", AnswerKind.MONEY),
        ("What can be considered as a function of market price of skill?", AnswerKind.OTHER),
        (
            "Which importers were prevented from selling beer under wholesale price?",
            AnswerKind.OTHER,
        ),
        # "when" asks only where no other word does, not when it joins two clauses
        ("What did Alec say when he posted the video?", AnswerKind.OTHER),
        ("Who was president when the war began?", AnswerKind.PERSON),
        ("Cost overruns occurred when the contractor did what?", AnswerKind.OTHER),
        ("How and when did the plague reach Europe?", AnswerKind.DATE),
        ("Since when has she been on Instagram?", AnswerKind.DATE),
        ("When Alec posted the video, what did people say?", AnswerKind.OTHER),
        ("When Alec posted the video, who replied?", AnswerKind.PERSON),
        ("When, exactly, did they marry?", AnswerKind.DATE),
        # a date, asked for in the plural too
        ("In what years did Doctor Who originally show on TV?", AnswerKind.DATE),
    ],
)
def test_what_a_question_asks_for(question: str, kind: AnswerKind) -> None:
    assert answer_kind(question) is kind
