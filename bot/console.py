"""The console adapter: ask the engine in a terminal and get the same cited answers as on Discord.

On a terminal it has line editing and a history kept between sessions (the standard library's
``readline``), colour and a bold highlight; with piped input or output it reads questions line
by line and prints plain text. ``:sources``, ``:help`` and ``:quit`` are its commands; Ctrl-C and
Ctrl-D leave it cleanly.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, TextIO

import platformdirs

from bot.presentation.common import about, plural
from bot.presentation.text import BOLD, RESET, TextStyle, render_answer, render_sources
from bot.settings import ConsoleSettings
from knowledge.errors import QuestionError
from knowledge.locations import APP_NAME
from knowledge.models import Answer, Source

try:
    import readline
except ImportError:  # Windows without pyreadline: plain input(), no history
    readline = None  # type: ignore[assignment]

QUIT = {":quit", ":q", ":exit"}
COMMANDS = (
    (":sources", "list the articles I know"),
    (":help", "this help"),
    (":quit", "leave (Ctrl-D and Ctrl-C too)"),
)
_COMMAND = re.compile(r"^:[a-z]+$", re.IGNORECASE)


class ConsoleEngine(Protocol):
    """What the console needs of ``knowledge.engine.Engine``."""

    def ask(self, question: str, top_k: int | None = None) -> Answer: ...

    def sources(self) -> list[Source]: ...


class Console:
    """One session: each line is a question or a ``:command``; answers go to ``out``."""

    def __init__(self, engine: ConsoleEngine, out: TextIO, style: TextStyle) -> None:
        self.engine = engine
        self.out = out
        self.style = style

    def banner(self) -> str:
        head = _bold(f"StoryBot: {plural(len(self.engine.sources()), 'article')}.", self.style)
        return f"{head} Ask a question, or type :help. :quit (or Ctrl-D) leaves."

    def help(self) -> str:
        lines = [about(len(self.engine.sources())), "", "Type a question and press Enter"]
        lines[-1] += " (new to the story? try: What is this story about?)."
        lines += [f"  {name:<10} {what}" for name, what in COMMANDS]
        return "\n".join(lines)

    def handle(self, line: str) -> bool:
        """Answer or run one line; False when the session should end."""
        text = line.strip()
        if not text:
            return True
        if _COMMAND.match(text):
            return self._command(text.lower())
        try:
            answer = self.engine.ask(text)
        except QuestionError as exc:
            self._print(str(exc))
            return True
        self._print(render_answer(answer, self.style) + "\n")
        return True

    def _command(self, command: str) -> bool:
        if command in QUIT:
            return False
        if command == ":sources":
            self._print(render_sources(self.engine.sources(), self.style))
        elif command == ":help":
            self._print(self.help())
        else:
            names = ", ".join(name for name, _ in COMMANDS)
            self._print(f"Unknown command {command}; the commands are {names}.")
        return True

    def run(self, read_line: Callable[[], str]) -> int:
        """Handle lines until ``:quit``, end of input (Ctrl-D) or Ctrl-C; returns 0."""
        while True:
            try:
                if not self.handle(read_line()):
                    return 0
            except EOFError:
                return 0
            except KeyboardInterrupt:
                self._print("")
                return 0

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def session(engine: ConsoleEngine, settings: ConsoleSettings, stdin: TextIO, out: TextIO) -> int:
    """A console on these streams: prompt, history and colour on a terminal, plain otherwise."""
    colour = use_colour(settings, out)
    style = TextStyle(colour=colour, width=_width(out), sources_hint="`:sources`")
    console = Console(engine, out, style)
    if not (stdin.isatty() and out.isatty()):
        return console.run(lambda: _read_plain(stdin))
    print(console.banner(), file=out, flush=True)
    prompt = f"\001{BOLD}\002?\001{RESET}\002 " if style.colour else "? "
    with line_editing(settings):
        return console.run(lambda: input(prompt))


def use_colour(settings: ConsoleSettings, stream: TextIO) -> bool:
    """``always``/``never`` as configured; ``auto``: on a terminal, unless ``$NO_COLOR`` is set."""
    if settings.colour != "auto":
        return settings.colour == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR")


def history_path(settings: ConsoleSettings) -> Path:
    """The configured history file, or ``console_history`` in the user's data folder."""
    if settings.history_file:
        return Path(settings.history_file).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "console_history"


@contextlib.contextmanager
def line_editing(settings: ConsoleSettings) -> Iterator[None]:
    """History for ``input()`` on a terminal, loaded now and saved when the session ends."""
    if readline is None or settings.history_size == 0:
        yield
        return
    path = history_path(settings)
    readline.set_history_length(settings.history_size)
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)


def _read_plain(stdin: TextIO) -> str:
    line = stdin.readline()
    if not line:
        raise EOFError
    return line


def _width(out: TextIO) -> int:
    if not out.isatty():
        return 88
    return max(40, min(100, shutil.get_terminal_size((88, 24)).columns))


def _bold(text: str, style: TextStyle) -> str:
    return f"{BOLD}{text}{RESET}" if style.colour else text
