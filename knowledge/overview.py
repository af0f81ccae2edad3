"""Questions about the story as a whole ("What is this story about?", "Summarize the articles"),
or about the articles of one outlet or author ("What did the Newsweek article say?").

Such a question names nothing in the story, so retrieval has nothing to match and the answer
would be "I don't know". Instead the answer quotes the story's most central sentences: those
nearest the mean of all its sentence vectors (leads favoured), from the passages nearest that
mean, one per article first, each on its own. A question that names anything else ("What is the
movie Rust about?") is an ordinary question, unless all it names is an outlet or author of
the story's articles: then the answer is those articles' most central sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from knowledge.answering import ScoredSentence, Selection
from knowledge.index_store import LoadedIndex, unit_mean
from knowledge.models import Passage, Source


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
    "sentence sentences line lines word words write writes wrote written by from ones"
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
ARTICLE_PASSAGES = 2000
"""At most this many passages of the named articles are read."""


def is_overview_question(question: str) -> bool:
    """Whether ``question`` asks what the story as a whole is about."""
    return overview_scope(question, tuple) == ()


def overview_scope(
    question: str, sources: Callable[[], Sequence[Source]]
) -> tuple[str, ...] | None:
    """What an overview question asks about: ``()`` the whole story, else the ids of the
    articles whose outlet or author it names; None when it is not an overview question.
    ``sources`` is only called for an overview question that names something."""
    words = _words(question)
    if not any(w in _CUES for w in words):
        return None
    rest = {w for w in words if w not in _CUES and w not in _FILLER}
    if not rest:
        return ()
    named = tuple(s.doc_id for s in sources() if rest <= _byline_words(s))
    return named or None


def _byline_words(source: Source) -> set[str]:
    return set(_words(" ".join(filter(None, (source.meta.outlet, source.meta.author)))))


def _words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("'s", "").replace("'", "")
    return _WORD.findall(text.replace("tl;dr", "tldr"))


def central_sentences(
    index: LoadedIndex, passages_considered: int, doc_ids: Sequence[str] = ()
) -> Selection:
    """The most central sentences of the story (or of the articles ``doc_ids``), best first, one
    per article before any second one."""
    if doc_ids:
        passages = index.store.article_passages(doc_ids, ARTICLE_PASSAGES)
        centre = unit_mean([index.sentence_vectors_of(p.passage_id) for p in passages])
    else:
        centre = index.centroid()
        if not index.size or not centre.size:
            return Selection([], 0.0, 0.0, 0.0)
        _, ids = index.vectors.search(centre, passages_considered * BREADTH)
        passages = index.store.passages([int(i) for i in ids])
    found: list[ScoredSentence] = []
    for passage in passages:
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
    chosen = {id(s) for s in firsts.values()}
    ranked = list(firsts.values()) + [s for s in found if id(s) not in chosen]
    return Selection(ranked, ranked[0].score if ranked else 0.0, 0.0, 0.0, widen=False)


def _summarises(passage: Passage, k: int) -> bool:
    span = passage.sentences[k]
    text = passage.text[span.start - passage.span.start : span.end - passage.span.start].strip()
    return len(_WORD.findall(text.lower())) >= MIN_WORDS and not text.endswith("?")
