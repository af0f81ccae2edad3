"""The console adapter: piped input gives plain text; a terminal gets a prompt, colour, history."""

from __future__ import annotations

import io
import os
import re
import select
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.console import Console, session
from bot.discord.render import answer_reply
from bot.presentation.text import TextStyle
from bot.settings import ConsoleSettings
from knowledge.engine import Engine

ROOT = Path(__file__).resolve().parents[2]
CHILDREN = "How many children do the Baldwins have?"
PROMPT = b"\x1b[1m?\x1b[0m "  # bold "?" on a terminal
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def squeeze(text: str) -> str:
    return " ".join(text.split())


def test_piped_input_gives_plain_cited_answers_and_commands(default_engine: Engine) -> None:
    lines = [CHILDREN, ":sources", ":help", ":bogus", "", "x" * 600, ":quit", "never asked"]
    out = io.StringIO()
    assert (
        session(default_engine, ConsoleSettings(), io.StringIO("\n".join(lines) + "\n"), out) == 0
    )
    text = out.getvalue()
    assert "\x1b[" not in text  # not a terminal: no colour
    assert "seven children" in text
    assert "[1] Alec Baldwin Mocked Over Plea for Instagram Followers" in text
    assert "Newsweek, by Ryan Smith, paragraph 18" in text
    assert "3 article(s) in the knowledge base:" in text
    assert "I answer questions about 3 news articles" in text and ":sources" in text
    assert "Unknown command :bogus" in text
    assert "that question is 600 characters long; the limit is 500" in text
    assert text.count("Sources:") == 1  # "never asked" came after :quit


def test_the_console_shows_the_same_answer_and_citations_as_discord(
    default_engine: Engine,
) -> None:
    answer = default_engine.ask(CHILDREN)
    out = io.StringIO()
    Console(default_engine, out, TextStyle()).handle(CHILDREN)
    console = squeeze(out.getvalue())
    embed = answer_reply(answer, 3, False).embeds[0].to_dict()
    assert squeeze(answer.answer) in console
    for citation, field in zip(answer.citations, embed["fields"], strict=True):
        title = citation.meta.title or ""
        assert f"[{citation.n}] {title}" in console and field["name"] == f"[{citation.n}] {title}"
        assert squeeze(citation.snippet) in console and citation.snippet in field["value"]


def test_not_found_points_to_the_console_command(default_engine: Engine) -> None:
    out = io.StringIO()
    Console(default_engine, out, TextStyle(sources_hint="`:sources`")).handle(
        "What is the capital of France?"
    )
    assert "`:sources`" in out.getvalue()


@pytest.mark.parametrize("interruption", [EOFError, KeyboardInterrupt])
def test_ctrl_d_and_ctrl_c_end_the_session_cleanly(
    default_engine: Engine, interruption: type[BaseException]
) -> None:
    def read_line() -> str:
        raise interruption

    assert Console(default_engine, io.StringIO(), TextStyle()).run(read_line) == 0


@pytest.mark.slow
def test_a_terminal_session_has_prompt_colour_history_and_quits_with_zero(
    default_engine: Engine, tmp_path: Path
) -> None:
    """``storybot console`` in a pseudo-terminal: the README's first command."""
    import fcntl
    import pty
    import termios

    history = tmp_path / "history"
    env = {
        **os.environ,
        "STORYBOT_INDEX__DIR": str(default_engine.settings.index.dir),
        "STORYBOT_CONSOLE__HISTORY_FILE": str(history),
        "TERM": "xterm",
        "HF_HUB_OFFLINE": "1",
    }
    env.pop("NO_COLOR", None)
    env.pop("DISCORD_TOKEN", None)  # needs no token
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        cwd=ROOT,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    try:
        banner = read_until(master, PROMPT, 180)
        assert b"StoryBot: 3 articles." in banner
        os.write(master, CHILDREN.encode() + b"\r")
        answer = read_until(master, b"\n" + PROMPT, 60).decode()
        assert "\x1b[1m" in answer  # bold (the highlight and headings) on a terminal
        plain = ANSI.sub("", answer)
        assert "seven children" in plain and "[1] Alec Baldwin Mocked" in plain
        os.write(master, b":quit\r")
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert CHILDREN in history.read_text()


def read_until(fd: int, marker: bytes, timeout: float) -> bytes:
    """Read a pseudo-terminal until ``marker`` shows up (or fail after ``timeout`` s)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {marker!r} after {timeout} s; got {seen[-2000:]!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the process ended
                chunk = b""
            if not chunk:
                raise AssertionError(f"ended before {marker!r}; got {seen[-2000:]!r}")
            seen += chunk
    return seen
