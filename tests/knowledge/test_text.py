"""Normalisation, paragraphs, sentences and passages keep exact offsets into the text."""

from __future__ import annotations

import pytest

from knowledge.cleaning import clean
from knowledge.errors import QuestionError
from knowledge.models import Article, ArticleMeta
from knowledge.passages import chunk_article, split_sentences
from knowledge.text_input import clean_question


def _article(text: str) -> Article:
    cleaned = clean(text, has_headline=True)
    return Article("doc", "doc.txt", cleaned.text, ArticleMeta(), cleaned.paragraphs, "h")


def test_hard_wrapped_lines_become_one_paragraph_and_lists_keep_their_items() -> None:
    text = (
        "Headline\n\nThe committee met on Tuesday and agreed after a long debate that\n"
        "the bridge would be rebuilt by the end of next year at a cost of $4m.\n\n"
        "• First item of the list\n• Second item of the list\n"
    )
    cleaned = clean(text, has_headline=True)
    blocks = [cleaned.text[p.span.start : p.span.end] for p in cleaned.paragraphs]
    assert blocks[1].startswith("The committee met") and blocks[1].endswith("$4m.")
    assert "\n" not in blocks[1]
    assert blocks[2:] == ["• First item of the list", "• Second item of the list"]


def test_unicode_and_whitespace_are_normalised() -> None:
    cleaned = clean("Titre\r\n\r\nCafe\u0301\u00a0au  lait\u200b, s'il vous plaît.", True)
    assert cleaned.text == "Titre\n\nCafé au lait, s'il vous plaît."


def test_sentence_spans_are_exact_substrings() -> None:
    text = 'He said "Hi there." Mr. Smith went to Washington D.C. on Jan. 5. It cost $3.5 million.'
    pieces = [text[s.start : s.end] for s in split_sentences(text)]
    assert pieces[-1] == "It cost $3.5 million."
    assert "Mr. Smith went to Washington D.C. on Jan. 5." in " ".join(pieces)
    assert all(p == p.strip() and p in text for p in pieces)


def test_tiny_fragments_join_their_neighbour() -> None:
    text = "Will she make it to one million before midnight? Who knows! There is always next year."
    pieces = [text[s.start : s.end] for s in split_sentences(text)]
    assert "Who knows!" not in pieces
    assert any(p.endswith("Who knows!") for p in pieces)


def test_passages_point_at_their_text_and_long_paragraphs_become_windows() -> None:
    sentence = "The river rose by another metre overnight, officials said on Sunday. "
    article = _article("Flood\n\n" + sentence * 30 + "\n\nShort closing paragraph here.")
    passages = chunk_article(article, max_chars=400, overlap=1)
    assert len(passages) > 2
    for passage in passages:
        assert article.text[passage.span.start : passage.span.end] == passage.text
        assert len(passage.text) <= 400
        for s in passage.sentences:
            assert passage.span.start <= s.start < s.end <= passage.span.end
    assert passages[-1].paragraph == 2
    assert {p.paragraph for p in passages[:-1]} == {1}


@pytest.mark.parametrize("question", ["", "   ", "\u200b\u200b", "\n\t"])
def test_empty_questions_are_refused_clearly(question: str) -> None:
    with pytest.raises(QuestionError, match="empty"):
        clean_question(question, 500)


def test_over_long_question_names_the_limit() -> None:
    with pytest.raises(QuestionError, match="limit is 500"):
        clean_question("why " * 200, 500)


def test_odd_text_is_kept_as_text() -> None:
    text = clean_question("  @everyone **how** old is <@123> 🎂\u202e?  ", 500)
    assert text == "@everyone **how** old is <@123> 🎂 ?"
