"""The bot's sections of the settings: defaults, environment overrides, one-line errors."""

from __future__ import annotations

import pytest

from bot.discord.commands import reload_permissions
from bot.settings import load_settings
from knowledge.errors import ConfigError


def test_defaults_talk_to_discord_and_register_nothing_on_start() -> None:
    settings = load_settings(environ={})
    assert settings.discord.api_base_url == "https://discord.com/api/v10"
    assert settings.discord.gateway_url == "wss://gateway.discord.gg/"
    assert settings.discord.sync_on_start is False
    assert settings.discord.reload_permission == "manage_guild"
    assert settings.feedback.path is None and settings.console.colour == "auto"


def test_environment_overrides_reach_the_bot_sections() -> None:
    settings = load_settings(
        environ={
            "STORYBOT_DISCORD__GUILD_IDS": "[910000000000000001]",
            "STORYBOT_DISCORD__SHARD_COUNT": "4",
            "STORYBOT_DISCORD__SHARD_IDS": "[0, 2]",
            "STORYBOT_DISCORD__EPHEMERAL_DEFAULT": "true",
            "STORYBOT_FEEDBACK__PATH": "/tmp/votes.sqlite3",
        }
    )
    assert settings.discord.guild_ids == (910000000000000001,)
    assert (settings.discord.shard_count, settings.discord.shard_ids) == (4, (0, 2))
    assert settings.discord.ephemeral_default is True
    assert settings.feedback.path == "/tmp/votes.sqlite3"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DISCORD__SHARD_IDS", "[1]", "shard_ids needs shard_count"),
        ("DISCORD__SHARD_IDS", "[0, 0]", "needs shard_count"),
        ("DISCORD__DEFER_AFTER_SECONDS", "3", "Discord's deadline is 3 s"),
        ("DISCORD__API_BASE_URL", "ftp://example.com", "api_base_url must start with https://"),
        ("DISCORD__GATEWAY_URL", "https://gateway", "gateway_url must start with wss://"),
        ("DISCORD__MAX_CONCURRENT_ANSWERS", "0", "max_concurrent_answers"),
        ("DISCORD__COOLDOWN_QUESTIONS", "0", "cooldown_questions"),
        ("DISCORD__GUILD_IDS", "[-5]", "guild_ids must hold Discord server ids"),
        ("DISCORD__RELOAD_PERMISSION", "Manage Server", "reload_permission"),
        ("DISCORD__TOKEN", "abc", "unknown config key 'discord.token'"),
        ("CONSOLE__COLOUR", "sometimes", "config key 'console.colour'"),
        ("FEEDBACK__PATH", " ", "path must not be empty"),
    ],
)
def test_bad_values_fail_with_the_key_named(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(environ={f"STORYBOT_{variable}": value})


def test_shard_ids_must_be_below_the_shard_count() -> None:
    with pytest.raises(ConfigError, match="shard_ids must be between 0 and 1"):
        load_settings(
            environ={"STORYBOT_DISCORD__SHARD_COUNT": "2", "STORYBOT_DISCORD__SHARD_IDS": "[2]"}
        )


def test_reload_permission_must_be_a_discord_permission() -> None:
    assert reload_permissions("administrator").administrator
    with pytest.raises(ConfigError, match="'manage_everything' is not a Discord permission"):
        reload_permissions("manage_everything")
