"""``storybot run`` and ``storybot sync``: the token from the environment only, one-line errors.

``storybot run`` as a real process against the fake Discord, through SIGTERM, is
``tests/ops/test_storybot_run.py``.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.cli import main
from tests.fakes import payloads
from tests.fakes.discord_server import TOKEN, FakeDiscord


def fake_env(fake: FakeDiscord) -> dict[str, str]:
    return {
        "STORYBOT_DISCORD__API_BASE_URL": fake.api_base_url,
        "STORYBOT_DISCORD__GATEWAY_URL": fake.gateway_url,
    }


@pytest.fixture
def pointed_at_fake(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> FakeDiscord:
    """The environment of a ``storybot`` run against ``fake``, with the token it accepts."""
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    for name, value in fake_env(fake).items():
        monkeypatch.setenv(name, value)
    return fake


@pytest.mark.parametrize("command", ["run", "sync"])
def test_a_missing_token_is_one_clear_line(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main([command]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("storybot: DISCORD_TOKEN is not set")


@pytest.mark.asyncio
async def test_sync_registers_the_commands_in_one_server(
    pointed_at_fake: FakeDiscord, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = pointed_at_fake
    code = await asyncio.to_thread(main, ["sync", "--guild", str(payloads.GUILD_ID)])
    out = capsys.readouterr().out
    assert code == 0
    assert out == f"Registered server {payloads.GUILD_ID}: /ask, /sources, /help, /reload\n"
    assert [c.path for c in fake.calls if c.method == "PUT"] == [
        f"/applications/{payloads.APPLICATION_ID}/guilds/{payloads.GUILD_ID}/commands"
    ]
    assert fake.identifies == []  # registration needs no gateway connection


@pytest.mark.asyncio
async def test_sync_without_a_server_registers_globally(
    pointed_at_fake: FakeDiscord, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = pointed_at_fake
    assert await asyncio.to_thread(main, ["sync"]) == 0
    assert "Registered globally: /ask, /sources, /help, /reload" in capsys.readouterr().out
    assert [c["name"] for c in fake.commands["global"]] == ["ask", "sources", "help", "reload"]


@pytest.mark.asyncio
async def test_a_rejected_token_is_one_line_and_never_echoed(
    pointed_at_fake: FakeDiscord,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wrong = "wrong-token.for-the-fake.that-must-never-be-printed-anywhere-0"
    monkeypatch.setenv("DISCORD_TOKEN", wrong)
    assert await asyncio.to_thread(main, ["sync"]) == 2
    out, err = capsys.readouterr()
    assert err == "storybot: Discord rejected the token in DISCORD_TOKEN\n"
    assert wrong not in out + err
