"""The ``storybot`` command line: answers, JSON lines, batches, sources, eval, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

GOLD = Path(__file__).resolve().parents[1] / "gold" / "default_story.jsonl"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("cli-index"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_line_and_exit_zero(capsys, index_dir: str) -> None:
    code, out, _ = run(
        capsys, "ask", "--json", "--index-dir", index_dir, "How many children do the Baldwins have?"
    )
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["answered"] and "seven children" in data["answer"]
    assert data["citations"][0]["snippet"] == data["answer"]


def test_not_found_is_exit_zero_and_points_to_sources(capsys, index_dir: str) -> None:
    code, out, _ = run(capsys, "ask", "--index-dir", index_dir, "What is the capital of France?")
    assert code == 0
    assert "storybot sources" in out


def test_batch_from_stdin_answers_in_order(capsys, monkeypatch, index_dir: str) -> None:
    import io

    questions = "How old is Ireland Baldwin?\n\nWho won the 2022 World Cup?\n" + "x" * 600 + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(questions))
    code, out, _ = run(capsys, "ask", "--batch", "-", "--json", "--index-dir", index_dir)
    rows = [json.loads(line) for line in out.strip().splitlines()]
    assert code == 0
    assert [r["question"][:20] for r in rows] == [
        "How old is Ireland B",
        "Who won the 2022 Wor",
        "x" * 20,
    ]
    assert rows[0]["answered"] and "27" in rows[0]["answer"]
    assert not rows[1]["answered"]
    assert "limit is 500" in rows[2]["error"]


def test_sources_lists_the_articles(capsys, index_dir: str) -> None:
    code, out, _ = run(capsys, "sources", "--index-dir", index_dir)
    assert code == 0
    assert "3 article(s)" in out and "Newsweek, by Ryan Smith" in out


def test_eval_reports_quality(capsys, index_dir: str) -> None:
    code, out, _ = run(capsys, "eval", str(GOLD), "--json", "--index-dir", index_dir)
    summary = json.loads(out)
    assert code == 0 and summary["questions"] >= 40 and summary["answer_at_1"] is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", ""], "please ask a question"),
        (["ask", "--top-k", "0", "hi"], "--top-k must be between 1 and 10"),
        (["ask", "--corpus", "/no/such/folder", "hi"], "corpus folder not found"),
        (["ask", "--config", "/no/such.yaml", "hi"], "config file not found"),
    ],
)
def test_user_mistakes_are_one_line_errors(capsys, args: list[str], message: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_environment_override_fails_before_any_work(capsys, monkeypatch) -> None:
    monkeypatch.setenv("STORYBOT_ANSWER__MAX_CHARS", "short")
    code, _, err = run(capsys, "ask", "hello")
    assert code == 2 and "answer.max_chars" in err


def test_console_script_json_stdout_is_only_json(tmp_path: Path, index_dir: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "ask",
            "--json",
            "--index-dir",
            index_dir,
            "--corpus",
            str(Path(__file__).resolve().parents[2] / "knowledge" / "default_story"),
            "When did Alec and Hilaria get married?",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["question"] == "When did Alec and Hilaria get married?"


@pytest.mark.parametrize("command", [["console"], ["ask", "--json", "--batch", "-"]])
def test_a_reader_gone_away_ends_the_command_quietly(
    tmp_path: Path, index_dir: str, command: list[str]
) -> None:
    """``storybot console < questions | head``: when the reader has closed the pipe, exit 0
    without a traceback or "Exception ignored" about it (exit code 120 came from the flush at
    exit, which only a buffered stdout does)."""
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *command, "--index-dir", index_dir],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=buffered,
    )
    assert process.stdin and process.stdout and process.stderr
    process.stdout.close()  # the reader is gone before the first answer is written
    process.stdin.write(b"When is Hilaria's birthday?\n" * 3)
    process.stdin.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=300) == 0, err
    assert "BrokenPipe" not in err and "Exception ignored" not in err, err
