"""Discord objects as the API sends them (users, servers, channels, messages, interactions)."""

from __future__ import annotations

import itertools
from typing import Any

APPLICATION_ID = 900_000_000_000_000_001
BOT_ID = APPLICATION_ID
GUILD_ID = 910_000_000_000_000_001
CHANNEL_ID = 920_000_000_000_000_001
OWNER_ID = 930_000_000_000_000_001
TIMESTAMP = "2024-06-01T12:00:00.000000+00:00"
MANAGE_GUILD = 1 << 5
EVERYONE_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 16) | (1 << 31)  # view, send, history, slash

_snowflakes = itertools.count(950_000_000_000_000_001)


def snowflake() -> int:
    return next(_snowflakes)


def user(user_id: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name.title(),
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


BOT_USER = user(BOT_ID, "storybot", bot=True)


def application() -> dict[str, Any]:
    return {
        "id": str(APPLICATION_ID),
        "name": "StoryBot",
        "icon": None,
        "description": "",
        "summary": "",
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 0,
        "team": None,
        "owner": user(OWNER_ID, "owner"),
        "bot": BOT_USER,
    }


def text_channel(channel_id: int = CHANNEL_ID, guild_id: int = GUILD_ID) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "guild_id": str(guild_id),
        "type": 0,
        "name": "general",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def guild(guild_id: int = GUILD_ID, channel_id: int = CHANNEL_ID) -> dict[str, Any]:
    """A GUILD_CREATE payload: one text channel, the @everyone role, no members."""
    return {
        "id": str(guild_id),
        "name": "Newsroom",
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(OWNER_ID),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [
            {
                "id": str(guild_id),
                "name": "@everyone",
                "permissions": str(EVERYONE_PERMISSIONS),
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
        ],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "joined_at": TIMESTAMP,
        "large": False,
        "unavailable": False,
        "member_count": 3,
        "members": [],
        "channels": [text_channel(channel_id, guild_id)],
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def member(member_user: dict[str, Any], permissions: int) -> dict[str, Any]:
    return {
        "user": member_user,
        "nick": None,
        "avatar": None,
        "roles": [],
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "permissions": str(permissions),
    }


def message(
    message_id: int,
    channel_id: int,
    author: dict[str, Any],
    body: dict[str, Any],
    guild_id: int | None = GUILD_ID,
    mentions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A message object made of a create/edit request ``body`` (content, embeds, components...)."""
    data = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "content": body.get("content") or "",
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions or [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "pinned": False,
        "type": 0,
        "flags": body.get("flags") or 0,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data


def interaction(
    kind: int,
    data: dict[str, Any],
    asker: dict[str, Any],
    permissions: int,
    guild_id: int | None = GUILD_ID,
    channel_id: int = CHANNEL_ID,
    on_message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload: ``kind`` 2 for a slash command, 3 for a button click."""
    interaction_id = snowflake()
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(APPLICATION_ID),
        "type": kind,
        "token": f"interaction-token-{interaction_id}",
        "version": 1,
        "channel_id": str(channel_id),
        "data": data,
        "locale": "en-US",
        "app_permissions": str(EVERYONE_PERMISSIONS),
        "entitlements": [],
        "attachment_size_limit": 8 * 1024 * 1024,
    }
    if guild_id is None:
        payload["user"] = asker
        payload["channel"] = {"id": str(channel_id), "type": 1, "recipients": [asker]}
        payload["context"] = 1
        payload["authorizing_integration_owners"] = {"1": asker["id"]}
    else:
        payload["guild_id"] = str(guild_id)
        payload["guild_locale"] = "en-US"
        payload["member"] = member(asker, permissions)
        payload["channel"] = text_channel(channel_id, guild_id)
        payload["context"] = 0
        payload["authorizing_integration_owners"] = {"0": str(guild_id)}
    if on_message is not None:
        payload["message"] = on_message
    return payload


def slash_data(name: str, options: dict[str, Any], command_id: int) -> dict[str, Any]:
    """``data`` of a slash command interaction; option types from the Python value."""
    kinds = {bool: 5, int: 4, str: 3}
    return {
        "id": str(command_id),
        "name": name,
        "type": 1,
        "options": [
            {"name": key, "type": kinds[type(value)], "value": value}
            for key, value in options.items()
        ],
    }
