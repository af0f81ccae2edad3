"""Loading articles: formats, metadata, bad files skipped with a reason, boilerplate marked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from knowledge.articles import Skipped, find_articles, load_articles
from knowledge.errors import CorpusError
from knowledge.locations import DEFAULT_STORY
from knowledge.models import Article

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def _load(folder: Path, max_bytes: int = 5_000_000) -> list[Article | Skipped]:
    return list(load_articles(find_articles([folder]), max_bytes))


def _articles(folder: Path) -> dict[str, Article]:
    return {a.doc_id: a for a in _load(folder) if isinstance(a, Article)}


def _body(article: Article) -> list[str]:
    return [article.text[p.span.start : p.span.end] for p in article.body_paragraphs]


# SHA-256 of ../shared/seeds/*.txt as given to the project; checked here so that the test runs
# wherever the checkout is, and against the seed folder itself when it sits beside the project.
SEED_DIGESTS = {
    "000_08ef1e3026b533a8.txt": "b714287e83da0beac77f9ae96abbae0396da8301bf354140688693f3de37e243",
    "001_3a5c3170a445859f.txt": "421fc708f460b683ac31e070c43a93d140054d3ae1cf2e1645fd3ae19e986b24",
    "002_e95900913c43c309.txt": "16bd02ba4baf40721b1332665923e6614bee38d7f238e9f44c776cc75d902dca",
}


def test_default_story_ships_the_seed_articles_byte_identical() -> None:
    shipped = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in DEFAULT_STORY.glob("*.txt")
    }
    assert shipped == SEED_DIGESTS
    if SEEDS.is_dir():
        given = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.glob("*.txt")}
        assert given == SEED_DIGESTS


def test_default_story_boilerplate_is_never_body_text() -> None:
    articles = _articles(DEFAULT_STORY)
    body = "\n".join(p for a in articles.values() for p in _body(a))
    for junk in (
        "Newsweek magazine delivered to your door",
        "Enjoy ad-free browsing",
        "About the writer",
        "Ryan Smith is a Newsweek Senior",
        "Mike Coppola/Getty Images",
        "Click here",
        "Newsweek is committed to challenging conventional wisdom",
        "(Via Page Six)",
        "By Jessica Scott | Published",
        "Uncommon Knowledge",
    ):
        assert junk not in body, junk
    assert "seven children" in body


def test_default_story_metadata_is_what_the_articles_state() -> None:
    articles = _articles(DEFAULT_STORY)
    newsweek = articles["002_e95900913c43c309"].meta
    assert (newsweek.outlet, newsweek.author) == ("Newsweek", "Ryan Smith")
    assert articles["001_3a5c3170a445859f"].meta.author == "Jessica Scott"
    unknown = articles["000_08ef1e3026b533a8"].meta
    assert unknown.outlet is None and unknown.author is None and unknown.published is None
    assert unknown.title is not None and unknown.title.startswith("Alec Baldwin Is Practically")


def test_markdown_front_matter_and_html_metadata(write_story) -> None:
    story = write_story(
        {
            "a.md": "---\ntitle: Front Title\noutlet: The Daily\nauthor: Ann Lee\n"
            "published: 2024-01-02\n---\n# Ignored Heading\n\nThe **council** voted "
            "[seven to two](http://x) on Monday.\n",
            "b.html": "<html><head><title>Page</title><meta name='author' content='Bo Chen'>"
            "</head><body><nav>Home | About</nav><article><h1>Dam Opens</h1><p>The new dam "
            "opened on Friday after nine years of construction work by the county.</p><p>It "
            "holds enough water for forty thousand homes, officials said at the ceremony."
            "</p></article><footer>Subscribe now</footer></body></html>",
        }
    )
    articles = _articles(story)
    md = articles["a"]
    assert (md.meta.title, md.meta.outlet, md.meta.author, md.meta.published) == (
        "Front Title",
        "The Daily",
        "Ann Lee",
        "2024-01-02",
    )
    assert "The council voted seven to two on Monday." in _body(md)
    html = articles["b"]
    assert html.meta.title == "Dam Opens" and html.meta.author == "Bo Chen"
    assert any("forty thousand homes" in p for p in _body(html))
    assert not any("Subscribe" in p or "Home | About" in p for p in _body(html))


def test_sidecar_metadata_for_plain_text(write_story) -> None:
    story = write_story(
        {
            "n.txt": "Headline Here\n\nBody sentence that says something useful today.\n",
            "n.yaml": "outlet: Gazette\nurl: https://example.org/n\n",
        }
    )
    meta = _articles(story)["n"].meta
    assert (meta.title, meta.outlet, meta.url, meta.author) == (
        "Headline Here",
        "Gazette",
        "https://example.org/n",
        None,
    )


def test_bad_files_are_skipped_with_a_reason_and_the_rest_load(write_story) -> None:
    story = write_story(
        {
            "good.txt": "Fine Headline\n\nA perfectly readable paragraph of news text.\n",
            "empty.txt": "   \n",
            "binary.txt": b"\x00\x01\x02\x03PNG",
            "latin1.txt": "Caf\xe9 headline\n\nBody".encode("latin-1"),
            "huge.txt": "Big\n\n" + "word " * 400,
            "bad.yaml": "not: [valid",
            "bad.txt": "Headline\n\nBody text that is fine on its own terms.\n",
        }
    )
    results = _load(story, max_bytes=1000)
    loaded = {r.doc_id for r in results if isinstance(r, Article)}
    reasons = {Path(r.path).name: r.reason for r in results if isinstance(r, Skipped)}
    assert loaded == {"good"}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"] == "binary file"
    assert "UTF-8" in reasons["latin1.txt"]
    assert "too big" in reasons["huge.txt"]
    assert "not valid YAML" in reasons["bad.txt"]


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus folder not found"):
        find_articles([tmp_path / "nope"])
