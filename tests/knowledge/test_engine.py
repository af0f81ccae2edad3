"""The engine's answers: verbatim cited snippets, honest refusals, clear input errors."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.answering import without_attribution
from knowledge.embedding import SentenceTransformerEmbedder
from knowledge.engine import Engine
from knowledge.errors import QuestionError
from knowledge.evaluation import read_gold
from knowledge.lexical import tokenize
from tests.conftest import story_settings

GOLD = Path(__file__).resolve().parents[1] / "gold" / "default_story.jsonl"
HOLDOUT = Path(__file__).resolve().parents[1] / "gold" / "default_story_holdout.jsonl"
JSON_KEYS = {"question", "answered", "answer", "citations", "latency_ms"}
CITATION_KEYS = {
    "n",
    "doc_id",
    "title",
    "outlet",
    "author",
    "url",
    "published",
    "paragraph",
    "snippet",
    "score",
}


def test_answer_is_verbatim_cited_and_bounded(default_engine: Engine) -> None:
    answer = default_engine.ask("How many children do the Baldwins have?")
    assert answer.answered and "seven children" in answer.answer
    assert 0 < len(answer.answer) <= 300
    texts = {s.doc_id: Path(s.path).read_text(encoding="utf-8") for s in default_engine.sources()}
    for citation in answer.citations:
        assert " ".join(citation.snippet.split()) in " ".join(texts[citation.doc_id].split())
        assert citation.paragraph >= 1
    assert answer.citations[0].snippet == answer.answer
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    spans = {(c.doc_id, c.span) for c in answer.citations}
    assert len(spans) == len(answer.citations)


def test_json_object_has_the_stable_shape(default_engine: Engine) -> None:
    data = default_engine.ask("Who is Alec Baldwin's ex-wife?").to_dict()
    assert set(data) >= JSON_KEYS
    assert data["citations"] and all(set(c) >= CITATION_KEYS for c in data["citations"])
    first = data["citations"][0]
    assert first["outlet"] == "Newsweek" and first["author"] == "Ryan Smith"
    assert first["url"] is None and first["published"] is None


def test_unknown_question_is_a_normal_not_found_answer(default_engine: Engine) -> None:
    answer = default_engine.ask("What is the boiling point of mercury in kelvin?")
    assert not answer.answered
    assert answer.answer == "" and answer.citations == ()


def test_top_k_bounds_the_citations(default_engine: Engine) -> None:
    assert len(default_engine.ask("What did people say about the video?", top_k=1).citations) == 1
    with pytest.raises(QuestionError):
        default_engine.ask("What did people say?", top_k=0)


@pytest.mark.parametrize(
    "question",
    [
        "@everyone how old is Alec?",
        "**how** many kids do they have?",
        "<@&123> 🎂 birthday?",
        "¿Cuántos hijos tienen los Baldwin?",
        "a" * 500,
    ],
)
def test_odd_input_is_answered_or_refused_never_an_error(
    default_engine: Engine, question: str
) -> None:
    answer = default_engine.ask(question)
    assert answer.answered in (True, False)
    assert answer.answer == (answer.citations[0].snippet if answer.answered else "")


def test_input_errors(default_engine: Engine) -> None:
    with pytest.raises(QuestionError, match="empty"):
        default_engine.ask("  \n ")
    with pytest.raises(QuestionError, match="limit is 500"):
        default_engine.ask("x" * 501)


# The engine issue asks for answer@1 >= 0.90 on this file; the shipped engine measures 0.94
# (33 of 35; `storybot eval tests/gold/default_story.jsonl`), one question above it. The
# held-out file below is the honest estimate for unseen questions: several rules were written
# with this file's misses in view.
GOLD_ANSWER_AT_1_TARGET = 0.90


def _evaluated(engine: Engine, gold: Path) -> tuple[dict[str, float | None], list[tuple[str, str]]]:
    """A gold file's summary figures, and its missed questions with what was answered."""
    from knowledge.evaluation import evaluate

    report = evaluate(read_gold(gold), engine.ask)
    misses = [(g.gold.question, g.answer.answer[:80]) for g in report.failures()]
    return report.summary(), misses


def test_gold_questions_about_the_default_story(default_engine: Engine) -> None:
    """People's questions answered at the target; every off-topic one refused."""
    summary, misses = _evaluated(default_engine, GOLD)
    assert summary["answerable"] >= 30 and summary["unanswerable"] >= 10
    assert summary["refusal_rate"] == 1.0, misses
    assert summary["answer_at_1"] is not None, misses
    assert summary["answer_at_1"] >= GOLD_ANSWER_AT_1_TARGET, misses


# Questions written after the engine, never tuned on (README, "Held-out questions about the
# default story"); measured 0.69 answer@1 (20 of 29) and 3 of its 10 in-story unanswerables
# refused. Floors two answerable questions and one refusal below that.
HOLDOUT_ANSWER_AT_1_FLOOR = 0.62
HOLDOUT_REFUSAL_FLOOR = 0.2


def test_held_out_questions_about_the_default_story(default_engine: Engine) -> None:
    summary, misses = _evaluated(default_engine, HOLDOUT)
    assert summary["answerable"] >= 25 and summary["unanswerable"] >= 10
    assert (summary["answer_at_1"] or 0.0) >= HOLDOUT_ANSWER_AT_1_FLOOR, misses
    assert (summary["refusal_rate"] or 0.0) >= HOLDOUT_REFUSAL_FLOOR, misses


@pytest.mark.parametrize(
    ("question", "age"),
    [
        ("How old is Carmen?", "9-year-old"),
        ("How old is Ireland Baldwin?", "27"),
        # The sentences naming him most give no age; "the 30 Rock star, 64," under a headline
        # about Alec Baldwin does, beside his wife's "39th birthday", which is not his age.
        ("how old is alec baldwin", "64"),
        # Only the story's names must be in view, not "today", "right now" or "anyway".
        ("how old is alec baldwin today", "64"),
        ("what age is alec right now", "64"),
        ("how old is alec anyway?", "64"),
        # "the actor" pulls other passages first; the age is found further down the ranking
        ("How old is Alec Baldwin, the actor?", "64"),
        # The story says "his wife, Hilaria", so "his wife's 39th birthday" is hers (not "64")
        ("How old is Hilaria?", "39th birthday"),
        ("how old is alec's wife", "39th birthday"),
        # "age" is asked for, not looked for: no article writes it ("Alec's age?" was refused)
        ("Alec's age?", "64"),
        ("What is the age of Alec Baldwin?", "64"),
        ("Carmen's age", "9-year-old"),
    ],
)
def test_an_age_question_is_answered_with_the_age(
    default_engine: Engine, question: str, age: str
) -> None:
    answer = default_engine.ask(question)
    assert answer.answered and answer.highlight is not None
    start, end = answer.highlight
    assert answer.answer[start:end] == age


def test_every_citation_of_an_age_answer_states_an_age(default_engine: Engine) -> None:
    """The sentences naming Alec most are about his 9-year-old daughter: they are no source for
    his own age, so they are not cited beside it."""
    answer = default_engine.ask("How old is Alec Baldwin?", top_k=5)
    assert answer.answered and answer.citations
    assert all("9-year-old" not in c.snippet for c in answer.citations)


@pytest.mark.parametrize("question", ["How old is Ilaria?", "How old is Kim Basinger?"])
def test_an_age_question_with_no_age_of_that_person_is_not_answered(
    default_engine: Engine, question: str
) -> None:
    """The story never gives Ilaria's age (she was born in September) nor Kim Basinger's. Its
    "9-year-old daughter" is Carmen, "the 30 Rock star, 64" is Alec and "Ireland Baldwin, 27"
    is Ireland: quoting any of them would answer something else."""
    answer = default_engine.ask(question)
    assert not answer.answered and answer.confidence == 0.0 and not answer.citations


def test_a_when_question_is_answered_with_a_date(default_engine: Engine) -> None:
    """The likeliest sentence says he posted the note but not when; one nearly as likely, in
    another article, says "on January 7"."""
    answer = default_engine.ask("When did he post the thank you note?")
    assert answer.answered and "January 7" in answer.answer


def test_a_how_many_question_is_answered_with_a_count_of_that_thing(
    default_engine: Engine,
) -> None:
    """The likeliest sentences count followers and children; one nearly as likely says "the
    first of four videos"."""
    answer = default_engine.ask("How many videos did Alec Baldwin post?")
    assert answer.answered and "four videos" in answer.answer


def test_a_money_question_with_no_sum_in_view_is_not_answered(default_engine: Engine) -> None:
    """The story never says what he is worth; "make everything worth it" is another sense."""
    answer = default_engine.ask("What is Alec Baldwin's net worth?")
    assert not answer.answered and answer.confidence == 0.0 and not answer.citations


def test_a_named_source_is_not_a_word_to_match(default_engine: Engine) -> None:
    """ "According to the video, Hilaria Baldwin was just a few followers shy ..." shares the
    words "according", "Hilaria" and "social media" with the question but not the answer, which
    is Alec's own quote."""
    answer = default_engine.ask("Why is social media important to Hilaria, according to Alec?")
    assert answer.answered and "big part of her platform" in answer.answer


@pytest.mark.parametrize(
    ("question", "dropped"),
    [("Who won, according to Alec?", True), ("How was the city laid out accordingly?", False)],
)
def test_without_attribution_drops_only_a_cited_source_word(question: str, dropped: bool) -> None:
    tokens = tuple(tokenize(question))
    kept = without_attribution(question, tokens)
    assert ("accord" not in kept) is dropped and set(kept) >= set(tokens) - {"accord"}


def test_engine_never_imports_discord() -> None:
    code = (
        "import sys, knowledge.engine, knowledge.evaluation, knowledge.embedding; "
        "bad = sorted(m for m in sys.modules if m == 'discord' or m.startswith('discord.')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    sources = Path(__file__).resolve().parents[2] / "knowledge"
    for path in sources.rglob("*.py"):
        assert "import discord" not in path.read_text(encoding="utf-8"), path


LONG_SENTENCE = (
    "After a meeting that ran late into the evening in the old town hall, where residents queued "
    "for hours to speak about parking, school buses, the state of the river path and the noise "
    "from the night market, the council finally agreed that the new library on Mill Street will "
    "cost 12 million dollars, paid over six years from the building fund, with the remaining "
    "money coming from a regional grant that the mayor's office applied for last spring and "
    "expects to hear about before the summer recess begins in July."
)


def test_an_answer_cut_from_a_long_sentence_is_flagged_at_the_cut_ends(
    tmp_path: Path,
    write_story: Callable[[dict[str, str | bytes]], Path],
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    story = write_story(
        {"council.txt": f"Council backs new library\n\n{LONG_SENTENCE}\n\nThe vote was 7 to 2.\n"}
    )
    engine = Engine.open(story_settings(story, tmp_path / "index"), embedder=real_embedder)
    answer = engine.ask("How much will the new library on Mill Street cost?")
    assert answer.answered and "12 million dollars" in answer.answer
    first = answer.citations[0]
    assert len(first.snippet) <= 300 and first.snippet in LONG_SENTENCE
    assert first.cut_before == (not LONG_SENTENCE.startswith(first.snippet))
    assert first.cut_after == (not LONG_SENTENCE.endswith(first.snippet))
    assert first.cut_before or first.cut_after
    engine.close()


NEWS_STORY = "\n\n".join(
    [
        "Twitter names new chief executive as Musk steps back",
        (
            "Elon Musk said on Friday that he had picked Linda Yaccarino, an advertising "
            "executive at NBCUniversal, to run Twitter."
        ),
        (
            "Yaccarino said the company would hire hundreds of engineers this year and open "
            "an office in London."
        ),
        "Musk said the company would cut costs by closing two data centres in California.",
        (
            "The announcement came after months of turmoil at the social media company, which "
            "has lost many advertisers."
        ),
        "Yaccarino, who starts in June, spent more than a decade at NBCUniversal.",
        (
            "Musk, who bought Twitter for $44 billion last year, will stay on as executive "
            "chairman and chief technology officer."
        ),
    ]
)


def test_a_first_name_question_matches_the_surname_the_article_uses(
    tmp_path: Path,
    write_story: Callable[[dict[str, str | bytes]], Path],
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    """News names someone in full once, then by surname: "Musk, who bought Twitter for ..."
    answers "How much did Elon pay ...?"."""
    story = write_story({"twitter.txt": NEWS_STORY})
    engine = Engine.open(story_settings(story, tmp_path / "index"), embedder=real_embedder)
    answer = engine.ask("How much did Elon pay for Twitter?")
    assert answer.answered and "$44 billion" in answer.answer
    engine.close()


@pytest.mark.parametrize(
    "question", ["Who helped Alec with the videos?", "who helped alec with the videos"]
)
def test_a_who_question_is_answered_by_someone_it_does_not_name(
    default_engine: Engine, question: str
) -> None:
    """The thank-you note ("“Many thanks to everyone who helped ...” ... Alec Baldwin on January
    7") names only Alec, a month and a quote's first word; it had won over Carmen."""
    answer = default_engine.ask(question)
    assert answer.answered and "9-year-old daughter, Carmen" in answer.answer, answer.answer
