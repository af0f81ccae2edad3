"""Questions about what someone does for a living: the cue word is not a word to match."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.embedding import SentenceTransformerEmbedder
from knowledge.engine import Engine
from knowledge.lexical import tokenize
from knowledge.occupations import asks_occupation, describes_role, occupation_cue, titles_person
from tests.conftest import story_settings


@pytest.mark.parametrize(
    ("question", "cue"),
    [
        ("What was the occupation of Joseph Priestley?", "occupation"),
        ("What is Michael Carrick and Alan Shearer's profession?", "profession"),
        ("What career does Joseph Stiglitz have?", "career"),
        ("What profession did Martin's father want his son to pursue?", "profession"),
        ("What does Hilaria do for a living?", "living"),
        ("what do they do for work", "work"),
        ("What does Hilaria work as?", "work"),
        ("What is Hilaria's job?", "job"),
        ("Where did Luther spend his career?", ""),
        ("What part of Luther's career was the most productive?", ""),
        ("Whose occupation of Kuwait did the US seek to end?", ""),
        ("What did Alec do for his wife?", ""),
        ("What does Hilaria do?", ""),  # asks, in stop words only
    ],
)
def test_a_question_asks_what_someone_does_only_in_so_many_words(question: str, cue: str) -> None:
    assert occupation_cue(question) == frozenset(tokenize(cue))


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What does Hilaria do?", True),
        ("what does ireland baldwin do", True),
        ("What is Hilaria's job?", True),
        ("What did Alec do?", False),
        ("What does Alec do in the video?", False),
    ],
)
def test_what_someone_does_is_asked_in_plain_words_too(question: str, asks: bool) -> None:
    assert asks_occupation(question) is asks


STORY = (
    "Unions and pay\n\n"
    "Trained as a lawyer, the editor chose the profession of journalism and wrote about wages.\n\n"
    "Sociologist Jake Rosenfield of the University of Washington asserts that the decline of "
    "organized labor in the United States has played a significant role in expanding the "
    "income gap.\n\n"
    "Nations with high rates of unionization have very low levels of inequality.\n"
)


def test_a_job_question_is_answered_by_the_job_before_the_name(
    tmp_path: Path,
    write_story: Callable[[dict[str, str | bytes]], Path],
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    """ "profession" is said only by the wrong paragraph. Counted as a word to match, it left
    the right sentence covering part of the question, which in a large story (the bench) was
    refused; the sentence now covers all of it."""
    story = write_story({"unions.txt": STORY})
    engine = Engine.open(story_settings(story, tmp_path / "index"), embedder=real_embedder)
    for question in (
        "What is the profession of Jake Rosenfield?",
        "What does Jake Rosenfield do for a living?",
    ):
        analysis = engine.analyse(question)
        assert analysis.signals is not None
        assert analysis.signals.sentence_coverage == pytest.approx(1.0), question
        answer = engine.ask(question)
        assert answer.answered and "Sociologist Jake Rosenfield" in answer.answer
    engine.close()


@pytest.mark.parametrize(
    ("sentence", "names", "titled"),
    [
        ('Calling yoga instructor Hilaria Baldwin his "favorite person," ...', "hilaria", True),
        ("Sociologist Jake Rosenfield of the University asserts ...", "rosenfield", True),
        (
            "During the century, historians John Gallagher and ...",
            "ronald robinson john gallagher",
            True,
        ),
        ("Alec Baldwin is also father to model Ireland Baldwin, 27.", "alec baldwin", False),
        ("Economist Joseph Stiglitz argues that ...", "joseph priestley", False),
        ("The actor took to Instagram to praise Hilaria.", "hilaria", False),
        ("She left the modeling agency Hilaria had joined.", "hilaria", False),
        ("the Russian biologist Konstantin Mereschkowski", "", False),  # no name asked
    ],
)
def test_a_job_counts_only_right_before_the_name_asked_about(
    sentence: str, names: str, titled: bool
) -> None:
    assert titles_person(sentence, frozenset(names.split())) is titled


def test_a_job_further_down_the_story_answers_what_someone_does(default_engine: Engine) -> None:
    """ "yoga instructor Hilaria Baldwin" sits in the 11th of the default story's 37 passages for
    this question: the job search widens, as the age search does, and puts it first."""
    for question in ("What does Hilaria do for a living?", "What does Hilaria do?"):
        answer = default_engine.ask(question)
        assert answer.answered and "yoga instructor Hilaria Baldwin" in answer.answer, question
    answer = default_engine.ask("What is the profession of Alec Baldwin?")
    assert "model Ireland Baldwin" not in answer.answer


@pytest.mark.parametrize(
    ("sentence", "described"),
    [
        ("So after a shaky start (where the Rust actor got the date wrong) ...", True),
        ("It had users all over social media making fun of the actor.", True),
        ("The actor took to Instagram to ask everyone on Earth ...", True),
        ("serving at the time as pastor in Luther's birthplace", False),  # "as" between
        ("All the best influencers know that ...", False),  # a group
        ("and the Second Doctor underwent a change of appearance", False),  # a name
        ("it was more than the general public expected", False),
        ("an actor who never worked again", False),  # someone, not the one
    ],
)
def test_a_role_description_is_the_and_a_job(sentence: str, described: bool) -> None:
    assert describes_role(sentence) is described


@pytest.mark.parametrize(
    "question",
    ["What does Alec do for a living?", "What is Alec Baldwin's profession?", "What does Alec do?"],
)
def test_a_person_with_no_job_before_the_name_is_described_by_one(
    default_engine: Engine, question: str
) -> None:
    """No sentence writes a job before "Alec Baldwin"; the one that calls him "the Rust actor"
    (in a passage that names him) answers, where "Maybe they shouldn't have given Alec Baldwin
    that idea" and Hilaria's birth name had."""
    answer = default_engine.ask(question)
    assert answer.answered and "the Rust actor" in answer.answer, answer.answer


def test_no_role_description_answers_for_someone_it_may_not_be(default_engine: Engine) -> None:
    """No passage that names Carmen calls anyone by a job."""
    answer = default_engine.ask("What does Carmen do?")
    assert "actor" not in answer.answer
