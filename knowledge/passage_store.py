"""Passages and article metadata in SQLite: looked up by id, never loaded whole into memory."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from knowledge.errors import IndexCorruptError
from knowledge.models import Article, ArticleMeta, Passage, Source, Span

SCHEMA = """
CREATE TABLE articles (
    doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT, outlet TEXT, author TEXT,
    url TEXT, published TEXT, paragraphs INTEGER NOT NULL
);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, paragraph INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, sentences TEXT NOT NULL
);
"""


def write_store(path: Path, articles: Iterable[Article], passages: Iterable[Passage]) -> None:
    """Write a new passage database at ``path``."""
    conn = sqlite3.connect(path)
    try:
        # A fresh file in a build folder that is synced and renamed into place afterwards:
        # no journal needed.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(SCHEMA)
        conn.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    a.doc_id,
                    a.path,
                    a.meta.title,
                    a.meta.outlet,
                    a.meta.author,
                    a.meta.url,
                    a.meta.published,
                    len(a.body_paragraphs),
                )
                for a in articles
            ),
        )
        conn.executemany(
            "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    p.passage_id,
                    p.doc_id,
                    p.paragraph,
                    p.span.start,
                    p.span.end,
                    p.text,
                    json.dumps(
                        [[s.start - p.span.start, s.end - p.span.start] for s in p.sentences]
                    ),
                )
                for p in passages
            ),
        )
        conn.commit()
    finally:
        conn.close()


class PassageStore:
    """Read-only access to a passage database, safe to share between threads."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise IndexCorruptError(f"passage database missing: {path}")
        self._uri = f"file:{path}?mode=ro"
        self._local = threading.local()
        self._meta: dict[str, ArticleMeta] = {}
        self._sources: list[Source] = []
        try:
            rows = (
                self._conn()
                .execute(
                    "SELECT doc_id, path, title, outlet, author, url, published, paragraphs "
                    "FROM articles ORDER BY doc_id"
                )
                .fetchall()
            )
            # Ids run 0..n-1; reading both ends of the primary key is instant at any size,
            # where COUNT(*) would read the whole table.
            low, high = self._conn().execute("SELECT MIN(id), MAX(id) FROM passages").fetchone()
            self.count = 0 if high is None else (int(high) + 1 if low == 0 else -1)
        except sqlite3.DatabaseError as exc:
            raise IndexCorruptError(f"passage database {path} is damaged ({exc})") from None
        for doc_id, src, title, outlet, author, url, published, paragraphs in rows:
            meta = ArticleMeta(title, outlet, author, url, published)
            self._meta[doc_id] = meta
            self._sources.append(Source(doc_id, meta, paragraphs, src))

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            self._local.conn = conn
        return conn

    def sources(self) -> list[Source]:
        return list(self._sources)

    def meta(self, doc_id: str) -> ArticleMeta:
        return self._meta[doc_id]

    def passages(self, ids: Sequence[int]) -> list[Passage]:
        """The passages with these ids, in the order asked."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        try:
            rows = (
                self._conn()
                .execute(
                    f'SELECT id, doc_id, paragraph, start, "end", text, sentences FROM passages '
                    f"WHERE id IN ({marks})",
                    [int(i) for i in ids],
                )
                .fetchall()
            )
        except sqlite3.DatabaseError as exc:
            raise IndexCorruptError(f"passage database is damaged ({exc})") from None
        found = {row[0]: _passage(row) for row in rows}
        missing = [i for i in ids if int(i) not in found]
        if missing:
            raise IndexCorruptError(f"passage {missing[0]} is missing from the passage database")
        return [found[int(i)] for i in ids]

    def article_passages(self, doc_ids: Sequence[str], limit: int) -> list[Passage]:
        """The first ``limit`` passages of these articles, in order."""
        marks = ",".join("?" * len(doc_ids))
        try:
            rows = self._conn().execute(
                f'SELECT id, doc_id, paragraph, start, "end", text, sentences FROM passages '
                f"WHERE doc_id IN ({marks}) ORDER BY id LIMIT ?",
                [*doc_ids, limit],
            )
            return [_passage(row) for row in rows]
        except sqlite3.DatabaseError as exc:
            raise IndexCorruptError(f"passage database is damaged ({exc})") from None

    def texts(self, limit: int) -> list[str]:
        """The text of the first ``limit`` passages and of every title."""
        try:
            conn = self._conn()
            rows = conn.execute("SELECT text FROM passages ORDER BY id LIMIT ?", (limit,))
            texts = [row[0] for row in rows]
        except sqlite3.DatabaseError as exc:
            raise IndexCorruptError(f"passage database is damaged ({exc})") from None
        return texts + [s.meta.title for s in self._sources if s.meta.title]

    def doc_ids(self, ids: Sequence[int]) -> list[str]:
        return [p.doc_id for p in self.passages(ids)]

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _passage(row: tuple[int, str, int, int, int, str, str]) -> Passage:
    pid, doc_id, paragraph, start, end, text, sentences = row
    spans = tuple(Span(start + a, start + b) for a, b in json.loads(sentences))
    return Passage(pid, doc_id, paragraph, Span(start, end), text, spans)
