"""The answer engine: one object that every front end (CLI, console, Discord) asks questions of.

``Engine.open`` loads the saved index, building or updating it first when it is missing, stale,
damaged or made with other settings. ``ask`` is thread-safe and never blocks on a rebuild:
``reload`` swaps in a new index atomically.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.answering import (
    GATED_KINDS,
    Quote,
    Selection,
    choose_quotes,
    score_sentences,
    states_wanted_kind,
)
from knowledge.articles import Article, ArticleFile, Skipped, find_articles, load_articles
from knowledge.confidence import Signals, confidence
from knowledge.embedding import Embedder, SentenceTransformerEmbedder
from knowledge.errors import CorpusError, IndexCorruptError, IndexStateError, QuestionError
from knowledge.index_store import (
    LoadedIndex,
    Progress,
    build_index,
    index_spec,
    is_fresh,
    open_index,
)
from knowledge.locations import corpus_folders, index_folder
from knowledge.models import Answer, Citation, Source
from knowledge.overview import central_sentences, overview_scope
from knowledge.question_types import AnswerKind
from knowledge.retrieval import Retrieval, retrieve
from knowledge.settings import EngineSettings
from knowledge.shorthand import without_shorthand
from knowledge.small_talk import is_small_talk, without_small_talk
from knowledge.spelling import correct_spelling
from knowledge.text_input import clean_question
from knowledge.topic_terms import without_topic_terms

log = logging.getLogger(__name__)

KIND_WIDENING = 3
"""An age question whose first passages state no age for the one asked about looks this many
times further down the ranking ("How old is Hilaria?" -> "his wife's 39th birthday", 20th of 37)."""


@dataclass(frozen=True)
class IndexReport:
    """What an index update did."""

    articles: int
    passages: int
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]
    rebuilt: bool
    seconds: float


@dataclass(frozen=True)
class Analysis:
    """Everything the engine worked out about a question before composing the answer."""

    question: str
    index: LoadedIndex
    retrieval: Retrieval
    selection: Selection
    signals: Signals | None
    confidence: float
    searched: str | None = None
    """The question as searched, when spelling corrections or written-out shorthand changed it."""

    @property
    def query(self) -> str:
        return self.searched or self.question


WARM_UP_QUESTION = "What happened?"


class Engine:
    """Answers questions about one story with verbatim, cited snippets."""

    def __init__(self, settings: EngineSettings, index: LoadedIndex, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self._index = index
        self._reload_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        settings: EngineSettings,
        embedder: Embedder | None = None,
        progress: Progress | None = None,
        update: bool = True,
    ) -> Engine:
        """Load the index (building or updating it first when needed, if ``update``)."""
        embedder = embedder or SentenceTransformerEmbedder(settings.model)
        index, _ = prepare_index(settings, embedder, progress, update=update)
        return cls(settings, index, embedder)

    @property
    def index(self) -> LoadedIndex:
        return self._index

    def sources(self) -> list[Source]:
        """The articles in the knowledge base."""
        return self._index.store.sources()

    def warm(self) -> None:
        """Do now what the first question would otherwise wait for: read the story's words
        (about 1 s per 10,000 passages), load the word vectors and run the question encoder.
        Long-running front ends call this once the engine is open."""
        self._warm(self._index)

    def _warm(self, index: LoadedIndex) -> None:
        index.words()
        self.embedder.word_vectors()
        self.embedder.encode_query(WARM_UP_QUESTION)

    def reload(self, progress: Progress | None = None) -> IndexReport:
        """Re-index changed articles and swap the new index in without interrupting questions;
        the new index is warmed (see ``warm``) before it takes questions."""
        with self._reload_lock:
            index, report = prepare_index(self.settings, self.embedder, progress, update=True)
            if index is not self._index:
                try:
                    self._warm(index)
                except BaseException:
                    index.close()  # the old index keeps answering
                    raise
            old, self._index = self._index, index
            if old is not index:
                old.close()
            return report

    def analyse(self, question: str) -> Analysis:
        """Retrieve, score candidate sentences and judge confidence (no answer composed yet)."""
        text = clean_question(question, self.settings.limits.max_question_chars)
        index = self._index
        if is_small_talk(text):
            nothing = Selection([], 0.0, 0.0, 0.0)
            return Analysis(text, index, Retrieval((), 0.0, ()), nothing, None, 0.0)
        plain = without_small_talk(text)
        scope = overview_scope(plain, index.store.sources)
        if scope is not None:
            return self._overview(text, index, scope)
        asked = self._spelled(without_shorthand(plain, index.lexical.contains), index)
        focused = without_topic_terms(asked, index.lexical)
        if focused is None:
            query = sentence_query = self.embedder.encode_query(asked)
        else:
            query, focus = self.embedder.encode_queries([asked, focused])
            sentence_query = (query + focus) / float(np.linalg.norm(query + focus) or 1.0)
        retrieval = retrieve(
            query,
            asked,
            index.vectors,
            index.lexical,
            self.settings.retrieval.candidates,
            self.settings.retrieval.dense_weight,
        )
        considered = self.settings.answer.passages_considered
        selection = self._select(asked, retrieval, considered, sentence_query)
        kind = selection.kind
        if kind is AnswerKind.AGE and not states_wanted_kind(selection.sentences, kind):
            # "How old is Hilaria?": the age may sit in a passage ranked lower ("his wife's
            # 39th birthday"), found by the age rule among more passages
            selection = self._select(asked, retrieval, considered * KIND_WIDENING, sentence_query)
        elif selection.unmet:
            # so may the job of "What does Hilaria do?" ("yoga instructor Hilaria Baldwin") or a
            # birth name ("born Hillary Hayward-Thomas"); a wider search without one changes
            # nothing
            wider = self._select(asked, retrieval, considered * KIND_WIDENING, sentence_query)
            selection = selection if wider.unmet else wider
        signals = None
        sure = 0.0
        if selection.sentences:
            signals = Signals(
                dense_top=retrieval.dense_top,
                sentence_top=selection.sentence_top,
                sentence_coverage=selection.sentence_coverage,
                passage_coverage=selection.passage_coverage,
                selector=selection.top_score,
                passages=index.size,
            )
            sure = confidence(signals)
            kind = selection.kind
            if kind in GATED_KINDS and not states_wanted_kind(selection.sentences, kind):
                sure = 0.0  # "How old is X?" quoted with no age in view (or "What is X worth?"
                # with no sum of money) answers something else
            if selection.someone_elses:
                sure = 0.0  # "When is Alec's birthday?" quoted with Hilaria's
        searched = asked if asked != plain else None  # shows corrected spelling and shorthand
        return Analysis(text, index, retrieval, selection, signals, sure, searched)

    def _select(
        self, asked: str, retrieval: Retrieval, considered: int, sentence_query: np.ndarray
    ) -> Selection:
        """Score the sentences of the first ``considered`` retrieved passages."""
        index = self._index
        top = retrieval.candidates[:considered]
        passages = index.store.passages([c.passage_id for c in top])
        return score_sentences(
            asked,
            retrieval.query_tokens,
            list(zip(top, passages, strict=True)),
            index.lexical,
            lambda p: index.sentence_similarity(p.passage_id, sentence_query),
            lambda doc_id: index.store.meta(doc_id).title,
            self.embedder.word_vectors(),
            index.words,
        )

    def _spelled(self, text: str, index: LoadedIndex) -> str:
        """``text`` with typos corrected against the story's words (needs the model's vocabulary
        to tell a typo from a real word; unchanged without it)."""
        vocabulary = self.embedder.word_vectors()
        if vocabulary is None:
            return text

        def known(word: str) -> bool:
            return vocabulary.is_common(word) or index.lexical.contains(word)

        return correct_spelling(text, index.words, known)

    def _overview(self, text: str, index: LoadedIndex, doc_ids: tuple[str, ...]) -> Analysis:
        """The most central sentences answer a question about the whole story (or about the
        articles ``doc_ids``)."""
        selection = central_sentences(index, self.settings.answer.passages_considered, doc_ids)
        retrieval = Retrieval((), selection.sentence_top, ())
        sure = 1.0 if selection.sentences else 0.0
        return Analysis(text, index, retrieval, selection, None, sure)

    def ask(self, question: str, top_k: int | None = None) -> Answer:
        """Answer one question; ``answered`` is False when the story does not answer it."""
        started = time.perf_counter()
        max_citations = top_k if top_k is not None else self.settings.answer.max_citations
        if not 1 <= max_citations <= 10:
            raise QuestionError("the number of citations must be between 1 and 10")
        return self.compose(self.analyse(question), max_citations, started)

    def compose(self, analysis: Analysis, max_citations: int, started: float) -> Answer:
        """Turn an analysis into the answer: the best quote first, then related ones."""
        settings = self.settings.answer
        text = analysis.question
        if not analysis.selection.sentences or analysis.confidence < settings.min_confidence:
            return Answer(
                text,
                False,
                "",
                (),
                _elapsed_ms(started),
                confidence=analysis.confidence,
                searched_as=analysis.searched,
            )
        quotes = choose_quotes(
            analysis.selection.sentences,
            analysis.query,
            settings.max_chars,
            max_citations,
            settings.related_ratio,
            analysis.selection.widen,
            kind if (kind := analysis.selection.kind) in GATED_KINDS else None,
            analysis.selection.kin,
        )
        citations = tuple(
            self._cite(analysis.index, n, quote) for n, quote in enumerate(quotes, start=1)
        )
        return Answer(
            question=text,
            answered=True,
            answer=citations[0].snippet,
            citations=citations,
            latency_ms=_elapsed_ms(started),
            confidence=analysis.confidence,
            highlight=quotes[0].highlight,
            searched_as=analysis.searched,
        )

    @staticmethod
    def _cite(index: LoadedIndex, n: int, quote: Quote) -> Citation:
        passage = quote.passage
        offset = passage.span.start
        snippet = passage.text[quote.span.start - offset : quote.span.end - offset]
        return Citation(
            n=n,
            doc_id=passage.doc_id,
            meta=index.store.meta(passage.doc_id),
            paragraph=passage.paragraph,
            snippet=snippet,
            score=quote.score,
            span=quote.span,
            cut_before=quote.cut_before,
            cut_after=quote.cut_after,
        )

    def close(self) -> None:
        self._index.close()


def _elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def load_corpus(
    files: Sequence[ArticleFile], max_bytes: int
) -> tuple[list[Article], list[Skipped]]:
    """Load every article file, separating the ones that had to be skipped."""
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for item in load_articles(files, max_bytes):
        (skipped if isinstance(item, Skipped) else articles).append(item)  # type: ignore[arg-type]
    if not articles:
        raise CorpusError(
            "no readable article found" + (f" ({len(skipped)} file(s) skipped)" if skipped else "")
        )
    return articles, skipped


def prepare_index(
    settings: EngineSettings,
    embedder: Embedder,
    progress: Progress | None = None,
    update: bool = True,
    force: bool = False,
) -> tuple[LoadedIndex, IndexReport]:
    """Open the index, first building or updating it when it is missing, stale or unusable."""
    started = time.perf_counter()
    folder = index_folder(settings)
    spec = index_spec(embedder, settings)
    files = find_articles(corpus_folders(settings))
    current: LoadedIndex | None = None
    try:
        current = open_index(folder, spec)
    except IndexStateError as exc:
        if not update:
            raise
        if isinstance(exc, IndexCorruptError):
            log.warning("%s; rebuilding it", exc)
        elif not str(exc).startswith("no index built yet"):
            log.info("%s; rebuilding it", exc)
    if current is not None and not force and (not update or is_fresh(current.manifest, files)):
        return current, _report(current, None, started, rebuilt=False)
    previous = current.manifest if current is not None else None
    if current is not None:
        current.close()
    articles, skipped = load_corpus(files, settings.corpus.max_file_bytes)
    index = build_index(folder, articles, skipped, embedder, settings, progress)
    return index, _report(index, previous, started, rebuilt=True)


def _report(index: LoadedIndex, previous: object, started: float, rebuilt: bool) -> IndexReport:
    from knowledge.manifest import Manifest

    manifest = index.manifest
    new = {e.doc_id: e.content_hash for e in manifest.articles}
    old = (
        {e.doc_id: e.content_hash for e in previous.articles}
        if isinstance(previous, Manifest)
        else ({} if rebuilt else new)
    )
    return IndexReport(
        articles=len(manifest.articles),
        passages=manifest.passages,
        added=tuple(sorted(set(new) - set(old))),
        changed=tuple(sorted(d for d in set(new) & set(old) if new[d] != old[d])),
        removed=tuple(sorted(set(old) - set(new))),
        skipped=tuple((s.path, s.reason) for s in manifest.skipped),
        rebuilt=rebuilt,
        seconds=time.perf_counter() - started,
    )
