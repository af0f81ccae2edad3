"""From ranked passages to an answer: the precise sentence(s), and numbered citations.

Every sentence of the top passages is scored (``sentence_features``); the best one becomes the
answer, widened with its best neighbours while it stays within ``max_chars``. Other passages that
also score well become further citations, each quoting its own best sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from knowledge.birth_names import asks_birth_name, states_birth_name
from knowledge.derivations import families
from knowledge.former_spouses import asks_former_spouse, states_former_spouse
from knowledge.lexical import LexicalIndex, tokenize
from knowledge.models import Passage, Span
from knowledge.name_parts import aliases_of
from knowledge.news_verbs import synonyms
from knowledge.occupations import asks_occupation, describes_role, occupation_cue, titles_person
from knowledge.origins import asks_origin, states_origin
from knowledge.outcomes import asks_outcome, states_outcome
from knowledge.owners import asked_owner, gives_to_others
from knowledge.question_types import AnswerKind, answer_kind, states_money
from knowledge.relations import relatives_of
from knowledge.retrieval import Candidate
from knowledge.sentence_features import (
    FEATURES,
    NEAR_CHARS,
    WEIGHTS,
    QuestionTerms,
    SentenceText,
    coverage,
    kind_hits,
    matched_positions,
    sentence_features,
    soft_coverage,
)
from knowledge.shared_traits import shared_thing, states_shared
from knowledge.story_words import StoryWords
from knowledge.word_similarity import WordVectors

_NO_CONTEXT = SentenceText.of("")
_ATTRIBUTION = re.compile(r"\baccording\s+to\b", re.IGNORECASE)
_ACCORDING = frozenset(tokenize("according"))
_AGE_WORDS = frozenset(tokenize("age aged"))
_FORM_WORDS = frozenset(tokenize("type kind sort besides else another happen"))
"""Words that shape a question rather than name what it is about ("What kind of ceremony
happened?"): the bench's answer sentences lack them 93-100% of the time, so a sentence that has
them ("a kind of calm", "things happened") is no closer to the answer. Not matching them: 11 more
of the 5,201 bench questions right, none lost; a longer list ("also", "usually", "get",
"considered", ...) lost 5 to gain 2."""
_NO_WORDS = StoryWords({}, {}, frozenset())

SentenceSimilarity = Callable[[Passage], np.ndarray]
"""Cosine of the question with each sentence of a passage (zeros when unavailable)."""


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence (``index`` within its passage), its score and its share of the probability
    that it is the answer sentence among all candidates."""

    passage: Passage
    index: int
    score: float
    probability: float = 0.0
    features: np.ndarray | None = None


@dataclass(frozen=True)
class Selection:
    """Scored candidate sentences, best first, with the evidence used to judge confidence."""

    sentences: list[ScoredSentence]
    sentence_top: float
    sentence_coverage: float
    passage_coverage: float
    widen: bool = True
    """Whether quotes take in neighbouring sentences (not for a summary's stand-alone ones)."""
    kind: AnswerKind = AnswerKind.OTHER
    """The kind of fact the question asks for (worked out once, in ``score_sentences``)."""
    kin: frozenset[str] = frozenset()
    """Relation words that stand for someone the question asks about (``QuestionTerms.kin``)."""
    someone_elses: bool = False
    """Whether the answer gives the named person's thing the question asks about ("Alec's
    birthday") only to someone else ("my wife Hilaria's birthday")."""
    unmet: bool = False
    """Whether the question asks for a fact that news writes in a set way, and no sentence
    writes it so: a job right before the person's name (``occupations.titles_person``), a
    birth name after "born" (``birth_names.states_birth_name``). More passages may have one."""

    @property
    def top_score(self) -> float:
        """The best sentence score (the answer's own, unless a rule put another sentence first)."""
        return max((s.score for s in self.sentences), default=0.0)


@dataclass(frozen=True)
class Quote:
    """A verbatim span of one passage chosen for display, and its key part."""

    passage: Passage
    span: Span
    score: float
    highlight: tuple[int, int] | None

    @property
    def cut_before(self) -> bool:
        """Whether the quote starts inside a sentence (it was trimmed to fit)."""
        return all(s.start != self.span.start for s in self.passage.sentences)

    @property
    def cut_after(self) -> bool:
        """Whether the quote ends inside a sentence."""
        return all(s.end != self.span.end for s in self.passage.sentences)


def without_attribution(question: str, tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The question's terms without "according" when it names a source ("Why ..., according to
    Alec?"): the phrase says who gives the answer, and an article's "According to the video, ..."
    is no closer to it for sharing the word."""
    if not _ATTRIBUTION.search(question):
        return tokens
    return tuple(t for t in tokens if t not in _ACCORDING)


def score_sentences(
    question: str,
    query_tokens: tuple[str, ...],
    ranked: Sequence[tuple[Candidate, Passage]],
    lexical: LexicalIndex,
    similarity: SentenceSimilarity | None,
    titles: Callable[[str], str | None] = lambda doc_id: None,
    words: WordVectors | None = None,
    story_words: Callable[[], StoryWords] = lambda: _NO_WORDS,
) -> Selection:
    """Score every sentence of the given passages; best first.

    ``titles`` gives an article's title: its words count as context for each of its sentences.
    ``story_words`` gives the story's names (lower-cased words it writes capitalised), who its
    relation words name and the parts of its full names; it is read once per index.
    """
    kind = answer_kind(question)
    query_tokens = without_attribution(question, query_tokens)
    unsaid = (_AGE_WORDS if kind is AnswerKind.AGE else occupation_cue(question)) | _FORM_WORDS
    # "Alec's age?", "X's profession?": an article says "64", "Sociologist X", not the word
    query_tokens = tuple(t for t in query_tokens if t not in unsaid) or query_tokens
    terms = QuestionTerms.of(question, query_tokens, lexical, kind, words)
    if terms.kind is AnswerKind.AGE:
        asked = {*terms.tokens, *terms.surfaces.values()}
        terms = replace(terms, kin=relatives_of(asked, story_words().relations))
    terms = replace(
        terms,
        aliases=aliases_of(terms.tokens, story_words().name_parts),
        families=_kin_words(terms.tokens, lexical.has),
    )
    contexts: dict[str, SentenceText] = {}
    top_fused = max((c.fused for c, _ in ranked), default=1.0) or 1.0
    texts_of: dict[int, list[SentenceText]] = {}
    dense_of: dict[int, np.ndarray] = {}
    for _, passage in ranked:
        texts_of[passage.passage_id] = [
            SentenceText.of(_text(passage, s)) for s in passage.sentences
        ]
        dense_of[passage.passage_id] = (
            similarity(passage)
            if similarity
            else np.zeros(len(passage.sentences), dtype=np.float32)
        )
    every = np.concatenate([d for d in dense_of.values()]) if dense_of else np.zeros(0)
    order = np.sort(every)[::-1]
    sentence_top = float(order[0]) if len(order) else 0.0
    scored: list[ScoredSentence] = []
    for rank, (candidate, passage) in enumerate(ranked):
        texts = texts_of[passage.passage_id]
        dense = dense_of[passage.passage_id]
        if passage.doc_id not in contexts:
            contexts[passage.doc_id] = SentenceText.of(titles(passage.doc_id) or "")
        for i in range(len(texts)):
            features = sentence_features(
                terms,
                texts,
                i,
                candidate.fused / top_fused,
                rank,
                float(dense[i]),
                contexts[passage.doc_id],
                int(np.searchsorted(-order, -dense[i], side="left")),
            )
            scored.append(ScoredSentence(passage, i, float(features @ WEIGHTS), 0.0, features))
    if not scored:
        return Selection([], 0.0, 0.0, 0.0, kind=terms.kind)
    logits = np.array([s.score for s in scored])
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    scored = [
        ScoredSentence(s.passage, s.index, s.score, float(p), s.features)
        for s, p in zip(scored, probs, strict=True)
    ]
    scored.sort(key=lambda s: -s.score)
    best = scored[0]
    best_texts = texts_of[best.passage.passage_id]
    passage_tokens = frozenset().union(*(t.tokens for t in best_texts))
    if terms.kind is AnswerKind.AGE:
        scored = _age_first(scored, terms, texts_of, contexts, story_words())
    elif terms.kind is AnswerKind.DATE:
        scored = _date_first(scored)
    elif terms.kind is AnswerKind.NUMBER and terms.focus:
        scored = _counted_first(scored)
    if terms.kind is AnswerKind.PLACE and asks_origin(question):
        scored = _origin_first(scored, _asked_names(question, story_words().names))
    if asks_outcome(question):
        scored = _first_stating(scored, states_outcome)
    elif terms.kind is AnswerKind.PERSON and asks_former_spouse(question):
        scored = _first_stating(scored, states_former_spouse)
    elif (thing := shared_thing(question)) is not None:
        scored = _first_stating(scored, lambda text: states_shared(text, thing))
    unmet = False
    if asks_occupation(question):
        scored, unmet = _titled_first(scored, _asked_names(question, story_words().names))
    elif asks_birth_name(question):
        scored, unmet = _born_first(scored)
    someone_elses = False
    if (owned := asked_owner(question, lambda: story_words().names)) is not None:
        someone_elses = gives_to_others(_view(scored[0], texts_of), owned)
    return Selection(
        scored,
        sentence_top,
        soft_coverage(terms, best_texts[best.index], _NO_CONTEXT),
        coverage(terms, passage_tokens),
        kind=terms.kind,
        kin=terms.kin,
        someone_elses=someone_elses,
        unmet=unmet,
    )


def _view(sentence: ScoredSentence, texts_of: dict[int, list[SentenceText]]) -> list[str]:
    """The sentence and its neighbours: what a quote of it shows."""
    texts = texts_of[sentence.passage.passage_id]
    return [t.text for t in texts[max(0, sentence.index - 1) : sentence.index + 2]]


PROMOTION_MARGIN = 1.0
"""How far below the best (in logits; about a third as likely) a sentence may score and still be
quoted first for stating what the best lacks: a date for "When ...?" (on the bench one answer
fewer in 2,000, on the gold file one more in 35; other kinds lost more), a number next to the
counted noun for "How many videos ...?"."""


def _date_first(scored: list[ScoredSentence]) -> list[ScoredSentence]:
    """For "When did ...?" whose best sentence has no date in view: a nearly as likely sentence
    that has one ("on January 7 shared a photo of a handwritten note")."""
    if states_wanted_kind(scored, AnswerKind.DATE):
        return scored
    return _first_with(scored, _KIND_MATCH)


def _titled_first(
    scored: list[ScoredSentence], names: frozenset[str]
) -> tuple[list[ScoredSentence], bool]:
    """For "What does Hilaria do for a living?": the best sentence that puts a job right before
    a name asked about ("Calling yoga instructor Hilaria Baldwin ..."), first; and whether there
    was none. Articles name a job that way and seldom say "profession". With none, the best
    sentence that calls someone by a job ("the Rust actor") in a passage naming the person asked
    about goes first, if there is one."""
    if not names:  # "What does the membrane do?"
        return scored, False
    promoted = _promoted(scored, _saying(lambda text: titles_person(text, names)))
    if promoted:
        return promoted, False
    described = _promoted(
        scored,
        lambda s: (
            _saying(describes_role)(s)
            and not names.isdisjoint(_WORDS.findall(s.passage.text.lower()))
        ),
    )
    return described or scored, True


def _born_first(scored: list[ScoredSentence]) -> tuple[list[ScoredSentence], bool]:
    """For "What was Hilaria Baldwin's birth name?": the best sentence that gives a birth name
    ("she was born Hillary Hayward-Thomas") first; and whether there was none. That sentence
    need not repeat the name asked about ("she"), so any candidate's counts."""
    promoted = _promoted(scored, _saying(states_birth_name))
    return (promoted, False) if promoted else (scored, True)


def _first_stating(
    scored: list[ScoredSentence], states: Callable[[str], bool]
) -> list[ScoredSentence]:
    """``scored`` with its best sentence whose text ``states`` says yes to first (unchanged
    when none does)."""
    return _promoted(scored, _saying(states)) or scored


def _saying(states: Callable[[str], bool]) -> Callable[[ScoredSentence], bool]:
    """Whether a scored sentence's text is one ``states`` says yes to."""
    return lambda s: states(_text(s.passage, s.passage.sentences[s.index]))


def _kin_words(stems: Sequence[str], known: Callable[[str], bool]) -> dict[str, frozenset[str]]:
    """Words that count as each question stem: its word family ("reaction" for "react") and
    the news verbs of its meaning ("quip" for "joke")."""
    kin = dict(families(stems, known))
    for stem, others in synonyms(stems, known).items():
        kin[stem] = kin.get(stem, frozenset()) | others
    return kin


def _origin_first(scored: list[ScoredSentence], names: frozenset[str]) -> list[ScoredSentence]:
    """For "Where is Hilaria from?": the best sentence that says where the person asked about
    is from ("Massachusetts native Hilaria Baldwin"), first. On the bench it changes nothing."""
    if not names:
        return scored
    return _first_stating(scored, lambda text: states_origin(text, names))


def _asked_names(question: str, names: frozenset[str]) -> frozenset[str]:
    """The lower-cased words of ``question`` that the story writes as names (not "What",
    which starts its sentences)."""
    words = _WORDS.findall(question.lower())
    return frozenset(w for w in words if w in names and tokenize(w))


_WORDS = re.compile(r"[^\W\d_]+")


def _counted_first(scored: list[ScoredSentence]) -> list[ScoredSentence]:
    """For "How many videos ...?" whose best sentence has no number next to "videos": a nearly
    as likely sentence that has one ("the first of four videos"). Measured on the bench's 411
    number questions: 363 right against 360 (6 gained, 3 lost); the gold file: unchanged."""
    best = scored[0].features
    if best is not None and best[_FOCUS_ADJACENT] > 0:
        return scored
    return _first_with(scored, _FOCUS_ADJACENT)


def _first_with(scored: list[ScoredSentence], feature: int) -> list[ScoredSentence]:
    """``scored`` with its first sentence within ``PROMOTION_MARGIN`` of the best that has
    ``feature`` moved to the front (unchanged when none has)."""
    floor = scored[0].score - PROMOTION_MARGIN
    promoted = _promoted(
        scored,
        lambda s: s.score >= floor and s.features is not None and s.features[feature] > 0,
    )
    return promoted or scored


def _promoted(
    scored: list[ScoredSentence], wanted: Callable[[ScoredSentence], bool]
) -> list[ScoredSentence] | None:
    """``scored`` with its first ``wanted`` sentence moved to the front; None when none is."""
    for k, s in enumerate(scored):
        if wanted(s):
            return [s, *scored[:k], *scored[k + 1 :]]
    return None


AGE_CUES = frozenset(tokenize("old age aged years year birthday turning"))
"""Words that ask for an age rather than name whose age is asked."""


def _age_first(
    scored: list[ScoredSentence],
    terms: QuestionTerms,
    texts_of: dict[int, list[SentenceText]],
    contexts: dict[str, SentenceText],
    story: StoryWords,
) -> list[ScoredSentence]:
    """For "How old is X?" whose best sentence has no age in view: the best sentence that states
    an age and, with its neighbours and its article's title, names everyone the question names
    ("the 30 Rock star, 64," under a headline about Alec Baldwin). Unchanged when there is none
    (the engine then refuses).

    Who is asked about is the question's words that are names in the story, so that the rest of
    "hey guys, how old is alec?" need not be there too; without such names, all its words. A
    relation word the story gives a name stands for it ("his wife's 39th birthday" names
    Hilaria where the story says "his wife, Hilaria")."""
    if states_wanted_kind(scored, AnswerKind.AGE):
        return scored
    subject = terms.asked - AGE_CUES
    named = frozenset(t for t in subject if terms.surfaces.get(t, t) in story.names)
    subject = named or subject

    def names_everyone(s: ScoredSentence) -> bool:
        if s.features is None or s.features[_KIND_MATCH] <= 0:
            return False
        texts = texts_of[s.passage.passage_id]
        seen = contexts[s.passage.doc_id].tokens.union(
            *(t.tokens for t in texts[max(0, s.index - 1) : s.index + 2])
        )
        for word in seen & terms.kin:
            seen |= {n for name in story.relations[word] for n in tokenize(name)}
        return subject <= seen

    return _promoted(scored, names_everyone) or scored


_KIND_MATCH = FEATURES.index("kind_match")
_FOCUS_ADJACENT = FEATURES.index("focus_adjacent")


GATED_KINDS = (AnswerKind.AGE, AnswerKind.MONEY)
"""Kinds of fact a quote must state to answer at all: an age, a sum of money. (Gating every
kind cost the bench more right answers than wrong ones.)"""


def states_wanted_kind(sentences: Sequence[ScoredSentence], kind: AnswerKind) -> bool:
    """Whether the best sentence or a neighbour (what the answer quotes) holds the kind of fact
    the question asks for: an age for "How old is ...?", a sum of money (not merely a number)
    for "What is ... worth?"."""
    if not sentences:
        return False
    best = sentences[0]
    view = [
        s
        for s in sentences
        if s.passage is best.passage and abs(s.index - best.index) <= 1 and s.features is not None
    ]
    if kind is AnswerKind.MONEY:
        return any(states_money(_text(s.passage, s.passage.sentences[s.index])) for s in view)
    return any(s.features[_KIND_MATCH] > 0 for s in view if s.features is not None)


def _text(passage: Passage, span: Span) -> str:
    offset = passage.span.start
    return passage.text[span.start - offset : span.end - offset]


def compose_quote(
    best: ScoredSentence,
    scores: dict[tuple[int, int], float],
    question: str,
    max_chars: int,
    widen: bool = True,
    kin: frozenset[str] = frozenset(),
) -> Quote:
    """Widen the best sentence with its best-scoring neighbours, staying within ``max_chars``.
    ``kin``: relation words that stand for someone asked about (``QuestionTerms.kin``)."""
    passage = best.passage
    sentences = passage.sentences
    lo = hi = best.index
    while widen:
        options = []
        if lo > 0 and sentences[hi].end - sentences[lo - 1].start <= max_chars:
            options.append((scores.get((passage.passage_id, lo - 1), -1e9), lo - 1, hi))
        if hi + 1 < len(sentences) and sentences[hi + 1].end - sentences[lo].start <= max_chars:
            options.append((scores.get((passage.passage_id, hi + 1), -1e9), lo, hi + 1))
        if not options:
            break
        _, lo, hi = max(options)
    span = Span(sentences[lo].start, sentences[hi].end)
    core = sentences[best.index]
    if span.end - span.start > max_chars:
        span = _trim(passage, core, question, max_chars, kin)
    elif widen and (close := _close_neighbour(best, scores, lo, hi)) is not None:
        # A neighbour nearly as likely as the answer did not fit beside it: the best window
        # across both (cut at words) rather than dropping it.
        both = Span(min(span.start, close.start), max(span.end, close.end))
        span = _trim(passage, both, question, max_chars, kin)
    highlight = _highlight(passage, span, core, question, kin)
    return Quote(passage, span, best.probability, highlight)


CLOSE_LOGIT = 0.7
"""A neighbour within this many logits of the answer sentence (about half as likely) is close."""


def _close_neighbour(
    best: ScoredSentence, scores: dict[tuple[int, int], float], lo: int, hi: int
) -> Span | None:
    sentences = best.passage.sentences
    pid = best.passage.passage_id
    near = [
        (score, i)
        for i in (lo - 1, hi + 1)
        if 0 <= i < len(sentences)
        and (score := scores.get((pid, i), -1e9)) >= best.score - CLOSE_LOGIT
    ]
    return sentences[max(near)[1]] if near else None


TRAILING_ROOM = 40


def _trim(passage: Passage, core: Span, question: str, max_chars: int, kin: frozenset[str]) -> Span:
    """A window of at most ``max_chars`` inside an over-long sentence, cut at word boundaries,
    placed where the question's words (and the wanted kind of answer) are densest."""
    offset = passage.span.start
    text = passage.text[core.start - offset : core.end - offset]
    wanted = set(tokenize(question))
    words = _word_spans(text)
    weights = [1.0 if set(tokenize(text[a:b])) & wanted else 0.0 for a, b in words]
    asked = [words[k][0] for k, w in enumerate(weights) if w > 0]
    # A wanted fact counts most where the question's words stand next to it ("prohibition agent
    # Eliot Ness"), little wherever else a name or number happens to be.
    kinds = [
        (ka, kb, 1.0 if any(ka - NEAR_CHARS <= p <= kb + NEAR_CHARS for p in asked) else 0.25)
        for ka, kb in kind_hits(_terms_for(question, kin), SentenceText.of(text))
    ]
    best_start, best_value = 0, -1.0
    for i, (a, _) in enumerate(words):
        j = i
        value = 0.0
        while j < len(words) and words[j][1] - a <= max_chars:
            # The fact usually follows the question's words: those in the window's last few
            # characters count half, so the window leaves room for what comes after them.
            value += weights[j] * (0.5 if words[j][1] - a > max_chars - TRAILING_ROOM else 1.0)
            j += 1
        value += sum(credit for ka, kb, credit in kinds if a <= ka and kb <= a + max_chars)
        if value > best_value:
            best_start, best_value = i, value
    a = words[best_start][0] if words else 0
    end_words = [b for _, b in words if b - a <= max_chars and b > a]
    b = max(end_words) if end_words else min(len(text), a + max_chars)
    return Span(core.start + a, core.start + b)


def _terms_for(question: str, kin: frozenset[str]) -> QuestionTerms:
    tokens = tuple(tokenize(question))
    weights = dict.fromkeys(tokens, 1.0)
    return QuestionTerms(tokens, weights, frozenset(), answer_kind(question), kin=kin)


def _word_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    start = None
    for i, ch in enumerate(text):
        if ch.isspace():
            if start is not None:
                spans.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        spans.append((start, len(text)))
    return spans


def _highlight(
    passage: Passage, span: Span, core: Span, question: str, kin: frozenset[str]
) -> tuple[int, int] | None:
    """The key part of a quote, relative to it: the wanted fact nearest the question's words
    (with the word it counts, as in "seven children"), else the core sentence."""
    start, end = max(core.start, span.start), min(core.end, span.end)
    offset = passage.span.start
    text = passage.text[start - offset : end - offset]
    terms = _terms_for(question, kin)
    hits = kind_hits(terms, SentenceText.of(text))
    if hits:
        near = matched_positions(terms, text)
        a, b = min(hits, key=lambda h: min((abs(p - h[0]) for p in near), default=0))
        b = _with_counted_word(text, b, terms.asked)
        return (start - span.start + a, start - span.start + b)
    if (start, end) != (span.start, span.end):
        return (start - span.start, end - span.start)
    return None


def _with_counted_word(text: str, end: int, asked: frozenset[str]) -> int:
    """Extend a number to the next word when the question asks about that word."""
    rest = text[end:]
    stripped = rest.lstrip()
    word = stripped.split(" ", 1)[0].rstrip(".,;:!?)")
    if word and set(tokenize(word)) & asked:
        return end + (len(rest) - len(stripped)) + len(word)
    return end


def choose_quotes(
    scored: list[ScoredSentence],
    question: str,
    max_chars: int,
    max_quotes: int,
    min_ratio: float,
    widen: bool = True,
    must_state: AnswerKind | None = None,
    kin: frozenset[str] = frozenset(),
) -> list[Quote]:
    """The answer quote, then the best quote of each other relevant passage, without overlaps.

    With ``must_state`` (a gated kind, e.g. an age), further quotes must state that kind too:
    "How old is Alec?" is not supported by a sentence about his 9-year-old daughter."""
    if not scored:
        return []
    scores = {(s.passage.passage_id, s.index): s.score for s in scored}
    quotes: list[Quote] = []
    used: list[tuple[str, Span]] = []
    top = scored[0].probability
    for sentence in scored:
        if len(quotes) >= max_quotes:
            break
        if quotes and sentence.probability < min_ratio * top:
            break
        if any(q.passage.passage_id == sentence.passage.passage_id for q in quotes):
            continue
        if quotes and must_state is not None and not states_wanted_kind([sentence], must_state):
            continue
        quote = compose_quote(sentence, scores, question, max_chars, widen, kin)
        if any(doc == quote.passage.doc_id and _overlaps(span, quote.span) for doc, span in used):
            continue
        quotes.append(quote)
        used.append((quote.passage.doc_id, quote.span))
    return quotes


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
