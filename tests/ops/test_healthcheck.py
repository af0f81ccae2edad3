"""``storybot healthcheck``: exit 0 only when /healthz says healthy; the container's HEALTHCHECK."""

from __future__ import annotations

import asyncio

import pytest

from bot.cli import main as cli_main
from bot.commands.healthcheck import health_url
from bot.commands.healthcheck import main as healthcheck_main
from bot.ops.health import HealthState
from bot.settings import OpsSettings
from knowledge.errors import StoryBotError
from tests.ops.conftest import make_healthy


@pytest.mark.asyncio
async def test_exit_code_follows_health(
    endpoint: str, health: HealthState, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{endpoint}/healthz"
    assert await asyncio.to_thread(healthcheck_main, ["--url", url]) == 1
    assert "503 index not loaded; gateway not connected" in capsys.readouterr().err

    make_healthy(health)
    assert await asyncio.to_thread(cli_main, ["healthcheck", "--url", url]) == 0
    assert f"{url}: 200 ok" in capsys.readouterr().out


def test_nothing_listening_is_unhealthy(capsys: pytest.CaptureFixture[str]) -> None:
    assert healthcheck_main(["--url", "http://127.0.0.1:9/healthz", "--timeout", "2"]) == 1
    assert "unreachable" in capsys.readouterr().err


def test_reads_the_configured_endpoint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STORYBOT_OPS__ENABLED", "true")
    monkeypatch.setenv("STORYBOT_OPS__HOST", "0.0.0.0")
    monkeypatch.setenv("STORYBOT_OPS__PORT", "9")
    assert healthcheck_main(["--timeout", "2"]) == 1
    assert "http://127.0.0.1:9/healthz: unreachable" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8080/healthz"),
        ("0.0.0.0", "http://127.0.0.1:8080/healthz"),
        ("::", "http://[::1]:8080/healthz"),
        ("::1", "http://[::1]:8080/healthz"),
        ("bot.internal", "http://bot.internal:8080/healthz"),
    ],
)
def test_wildcard_listen_address_is_probed_on_loopback(host: str, url: str) -> None:
    assert health_url(OpsSettings(enabled=True, host=host, port=8080)) == url


def test_disabled_endpoint_is_a_clear_error() -> None:
    with pytest.raises(StoryBotError, match=r"ops\.enabled"):
        health_url(OpsSettings())
    assert healthcheck_main([]) == 1
