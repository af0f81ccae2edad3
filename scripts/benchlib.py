"""Shared helpers for the SQuAD bench scripts: load it, turn it into a story, map answers back.

The bench (``../shared/bench/squad_public``) holds Wikipedia articles with crowd-written questions
and gold answer spans. Each article becomes a ``.txt`` story file (title line, then its
paragraphs), so the real engine indexes and answers it exactly as it would a news story.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.settings import AppSettings, load_settings
from knowledge.embedding import SentenceTransformerEmbedder
from knowledge.engine import Engine
from knowledge.evaluation import normalise
from knowledge.models import Passage

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = PROJECT.parent / "shared" / "bench" / "squad_public"
DEFAULT_CACHE = PROJECT / ".bench-cache"


@dataclass(frozen=True)
class BenchDoc:
    doc_id: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class BenchQuestion:
    qid: str
    question: str
    answers: tuple[str, ...]
    doc_id: str
    paragraph: int
    answerable: bool


def load_bench(folder: Path) -> tuple[list[BenchDoc], list[BenchQuestion]]:
    docs = []
    for line in (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        docs.append(BenchDoc(row["doc_id"], row["title"], tuple(row["text"].split("\n\n"))))
    questions = []
    for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        questions.append(
            BenchQuestion(
                row["id"],
                row["question"],
                tuple(row.get("answers") or ()),
                row["doc_id"],
                int(row["paragraph_index"]),
                bool(row["answerable"]),
            )
        )
    return docs, questions


def sample(
    questions: Sequence[BenchQuestion], answerable: int, unanswerable: int, seed: int = 0
) -> tuple[list[BenchQuestion], list[BenchQuestion]]:
    """The baselines' sample: ``answerable`` + ``unanswerable`` questions drawn with ``seed``."""
    rng = random.Random(seed)
    yes = [q for q in questions if q.answerable]
    no = [q for q in questions if not q.answerable]
    return rng.sample(yes, min(answerable, len(yes))), rng.sample(no, min(unanswerable, len(no)))


def file_name(doc_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in doc_id) + ".txt"


def write_story(
    docs: Sequence[BenchDoc],
    folder: Path,
    skip: str | None = None,
    only: str | Collection[str] | None = None,
) -> Path:
    """Write the bench articles as story files (all but ``skip``, or just ``only``: one article
    or several)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    kept = {only} if isinstance(only, str) else (set(only) if only is not None else None)
    for doc in docs:
        if doc.doc_id != skip and (kept is None or doc.doc_id in kept):
            body = "\n\n".join(doc.paragraphs)
            (folder / file_name(doc.doc_id)).write_text(f"{doc.title}\n\n{body}\n", "utf-8")
    return folder


def bench_settings(story: Path, index: Path) -> AppSettings:
    settings = load_settings(
        None,
        environ={
            k: v
            for k, v in os.environ.items()
            if k.startswith("STORYBOT_") and k != "STORYBOT_CONFIG"
        },
    )
    settings = replace(settings, corpus=replace(settings.corpus, paths=(str(story),)))
    return replace(settings, index=replace(settings.index, dir=str(index)))


def open_bench_engine(
    docs: Sequence[BenchDoc], cache: Path, embedder: SentenceTransformerEmbedder | None = None
) -> Engine:
    """The real engine over the whole bench (index cached in ``cache``)."""
    story = cache / "story"
    if not story.exists() or len(list(story.glob("*.txt"))) != len(docs):
        write_story(docs, story)
    settings = bench_settings(story, cache / "index")
    return Engine.open(settings, embedder=embedder)


def derived_engine(
    engine: Engine,
    docs: Sequence[BenchDoc],
    cache: Path,
    skip: str | None = None,
    only: str | Collection[str] | None = None,
) -> Engine:
    """An engine over part of the bench (one article removed, or some articles alone), its index
    derived from the full one so no vector is computed again."""
    folder = cache / "derived"
    story = write_story(docs, folder / "story", skip=skip, only=only)
    index = folder / "index"
    if index.exists():
        shutil.rmtree(index)
    shutil.copytree(cache / "index", index)
    return Engine.open(bench_settings(story, index), embedder=engine.embedder)


class ParagraphMap:
    """Which gold paragraph a passage comes from (passages never cross paragraphs)."""

    def __init__(self, docs: Sequence[BenchDoc]) -> None:
        self._paragraphs = {d.doc_id: [" ".join(p.split()) for p in d.paragraphs] for d in docs}
        self._ids = {file_name(d.doc_id)[:-4]: d.doc_id for d in docs}

    def doc_id(self, story_doc_id: str) -> str:
        return self._ids.get(story_doc_id, story_doc_id)

    def is_gold(self, passage: Passage, question: BenchQuestion) -> bool:
        if self.doc_id(passage.doc_id) != question.doc_id:
            return False
        text = " ".join(passage.text.split())
        paragraphs = self._paragraphs[question.doc_id]
        return question.paragraph < len(paragraphs) and text in paragraphs[question.paragraph]


def has_answer(text: str, question: BenchQuestion) -> bool:
    haystack = normalise(text)
    return any(normalise(a) in haystack for a in question.answers if a.strip())
