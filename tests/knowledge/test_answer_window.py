"""The answer text: the best sentence, widened or trimmed to at most ``max_chars``, verbatim."""

from __future__ import annotations

from knowledge.answering import Quote, ScoredSentence, compose_quote
from knowledge.models import Passage, Span

FIRST = (
    "Most of the river's volume heads farther west through the Waal and then, via the Merwede and "
    "Nieuwe Merwede, merging with the Meuse, passes the Hollands Diep and Haringvliet estuaries "
    "on its way into the North Sea."
)
SECOND = "The other third of the water flows through the Pannerdens Kanaal and on to the IJssel."
THIRD = "Boats pass there every day."
QUESTION = "Where does the other third of the water flow?"


def _passage() -> Passage:
    text = f"{FIRST} {SECOND} {THIRD}"
    starts = [0, len(FIRST) + 1, len(FIRST) + len(SECOND) + 2]
    spans = tuple(Span(a, a + len(s)) for a, s in zip(starts, (FIRST, SECOND, THIRD), strict=True))
    return Passage(7, "rhine", 3, Span(0, len(text)), text, spans)


def _compose(second_score: float) -> Quote:
    passage = _passage()
    scores = {(7, 0): 5.0, (7, 1): second_score, (7, 2): 1.0}
    quote = compose_quote(ScoredSentence(passage, 0, 5.0, 0.6), scores, QUESTION, 260)
    assert quote.span.end - quote.span.start <= 260
    return quote


def _quote(second_score: float) -> str:
    quote = _compose(second_score)
    return quote.passage.text[quote.span.start : quote.span.end]


def test_a_nearly_as_likely_neighbour_that_does_not_fit_is_kept_by_trimming_across_both() -> None:
    text = _quote(second_score=4.8)
    assert "Pannerdens Kanaal" in text and "North Sea" in text
    assert text in _passage().text and not text.startswith(" ") and not text.endswith(" ")


def test_an_unlikely_neighbour_leaves_the_best_sentence_whole() -> None:
    assert _quote(second_score=2.0) == FIRST


def test_a_window_trimmed_inside_sentences_says_which_ends_were_cut() -> None:
    trimmed = _compose(second_score=4.8)
    assert trimmed.cut_before and not trimmed.cut_after  # ends with the second sentence's end
    whole = _compose(second_score=2.0)
    assert not whole.cut_before and not whole.cut_after
