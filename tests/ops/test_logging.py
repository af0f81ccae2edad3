"""The Discord token never reaches the logs, in text or JSON, in messages or tracebacks."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot.logging_setup import RedactSecrets, configure_logging
from bot.settings import LoggingSettings

# Shaped like a bot token (id.timestamp.hmac); made up.
SHAPED = "MTA5ODc2NTQzMjEwOTg3NjU0Mw" + ".GhIjKl." + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
ENV_TOKEN = "not-shaped-like-a-token-but-secret"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def token_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", ENV_TOKEN)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_token_is_redacted_everywhere(
    fmt: str, token_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(LoggingSettings(level="info", format=fmt))  # type: ignore[arg-type]
    log = logging.getLogger("discord.http")
    log.info("connecting with %s", ENV_TOKEN)
    log.warning("header Authorization: Bot %s", SHAPED)
    log.info("plain %s", "message", extra={"ctx_token": ENV_TOKEN})
    try:
        raise RuntimeError(f"login failed for {ENV_TOKEN}")
    except RuntimeError:
        log.exception("gateway error")

    err = capsys.readouterr().err
    assert ENV_TOKEN not in err and SHAPED not in err
    assert err.count("[REDACTED]") == (4 if fmt == "json" else 3)  # text omits ctx_ extras
    assert "plain message" in err and "RuntimeError: login failed for [REDACTED]" in err
    if fmt == "json":
        records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
        assert records[0]["message"] == "connecting with [REDACTED]"
        assert records[2]["token"] == "[REDACTED]"
        assert "[REDACTED]" in records[3]["exception"]


def test_short_or_empty_env_token_is_not_used_as_a_pattern() -> None:
    redact = RedactSecrets(secrets=["", "abc"]).redact
    assert redact("abc abc") == "abc abc"


def test_ordinary_dotted_text_is_left_alone() -> None:
    redact = RedactSecrets(secrets=[]).redact
    text = "knowledge.index_store: build-20261125T222544-6cd8de has 37 passages (v1.2.3)"
    assert redact(text) == text
    assert redact(f"token={SHAPED};") == "token=[REDACTED];"


def test_bad_format_arguments_do_not_break_redaction(
    token_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(LoggingSettings())
    logging.getLogger("x").warning("%d tokens: %s", ENV_TOKEN)
    err = capsys.readouterr().err
    assert ENV_TOKEN not in err
