"""Questions about the story as a whole ("What is this story about?", "Summarize the articles").

Such a question names nothing in the story, so retrieval has nothing to match and the answer
would be "I don't know". Instead the answer quotes the story's most central sentences: those
nearest the mean of all its sentence vectors (leads favoured), from the passages nearest that
mean, one per article first, each on its own. A question that names anything else ("What is the
movie Rust about?") is an ordinary question.
"""

from __future__ import annotations

import re

from knowledge.answering import ScoredSentence, Selection
from knowledge.index_store import LoadedIndex
from knowledge.models import Passage


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_CUES = _word_set(
    "story stories article articles news piece pieces report reports coverage summary summaries "
    "summarize summarise summarized summarised summarizing summarising overview gist tldr recap "
    "rundown headline headlines happened happening going about takeaway takeaways"
)
"""Words that ask about the whole story; at least one must be in an overview question."""

_FILLER = _word_set(
    "what whats is are was were the this these that those it its a an of me give tell us in "
    "please can could would will you i we do does did so far all here there on quick quickly "
    "whole overall again just to for exactly up sum briefly brief short nutshell main key point "
    "points basically say says said explain hey hi bot storybot my our your some any one few "
    "sentence sentences line lines word words"
)
"""Words an overview question may also hold; any other word makes it an ordinary question."""

_WORD = re.compile(r"[a-z0-9]+")
MIN_WORDS = 6
"""Shorter sentences ("Well, would you?") do not sum anything up."""
LEAD_BONUS = 0.1
"""Added to the cosine of sentences in an article's first paragraph: a news story's lead sums it
up (of two sentences about as central, the lead one wins; a chatty intro still loses)."""
BREADTH = 4
"""Passages searched near the centre, as a multiple of ``answer.passages_considered``."""


def is_overview_question(question: str) -> bool:
    """Whether ``question`` asks what the story as a whole is about."""
    text = question.lower().replace("’", "'").replace("'", "").replace("tl;dr", "tldr")
    words = _WORD.findall(text)
    return (
        bool(words)
        and any(w in _CUES for w in words)
        and all(w in _CUES or w in _FILLER for w in words)
    )


def central_sentences(index: LoadedIndex, passages_considered: int) -> Selection:
    """The story's most central sentences, best first, one per article before any second one."""
    centre = index.centroid()
    if not index.size or not centre.size:
        return Selection([], 0.0, 0.0, 0.0)
    _, ids = index.vectors.search(centre, passages_considered * BREADTH)
    found: list[ScoredSentence] = []
    for passage in index.store.passages([int(i) for i in ids]):
        similarity = index.sentence_similarity(passage.passage_id, centre)
        lead = LEAD_BONUS if passage.paragraph == 1 else 0.0
        found += [
            ScoredSentence(passage, k, float(similarity[k]) + lead, float(similarity[k]))
            for k in range(len(passage.sentences))
            if _summarises(passage, k)
        ]
    found.sort(key=lambda s: -s.score)
    firsts: dict[str, ScoredSentence] = {}
    for sentence in found:
        firsts.setdefault(sentence.passage.doc_id, sentence)
    ranked = list(firsts.values()) + [s for s in found if s not in firsts.values()]
    return Selection(ranked, ranked[0].score if ranked else 0.0, 0.0, 0.0, widen=False)


def _summarises(passage: Passage, k: int) -> bool:
    span = passage.sentences[k]
    text = passage.text[span.start - passage.span.start : span.end - passage.span.start].strip()
    return len(_WORD.findall(text.lower())) >= MIN_WORDS and not text.endswith("?")
