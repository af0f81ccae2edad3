"""Discord's message limits, written down independently of the bot's code (from Discord's docs).

The OpenAPI schema covers the per-field lengths; the 6000-character total over all embeds of a
message is only in the prose, so it is checked here too.
"""

from __future__ import annotations

from typing import Any

CONTENT = 2000
EMBEDS = 10
EMBEDS_TOTAL = 6000
PER_FIELD = {
    "title": 256,
    "description": 4096,
    "footer.text": 2048,
    "author.name": 256,
}
FIELD_NAME, FIELD_VALUE, FIELDS = 256, 1024, 25


def message_violations(message: dict[str, Any]) -> list[str]:
    """Every limit a message payload (content, embeds) breaks; empty when it is valid."""
    problems = []
    content = message.get("content") or ""
    if len(content) > CONTENT:
        problems.append(f"content has {len(content)} characters (limit {CONTENT})")
    embeds = message.get("embeds") or []
    if len(embeds) > EMBEDS:
        problems.append(f"{len(embeds)} embeds (limit {EMBEDS})")
    total = 0
    for i, embed in enumerate(embeds):
        for key, limit in PER_FIELD.items():
            text = _get(embed, key)
            total += len(text)
            if len(text) > limit:
                problems.append(f"embed {i} {key} has {len(text)} characters (limit {limit})")
        fields = embed.get("fields") or []
        if len(fields) > FIELDS:
            problems.append(f"embed {i} has {len(fields)} fields (limit {FIELDS})")
        for j, field in enumerate(fields):
            name, value = field.get("name") or "", field.get("value") or ""
            total += len(name) + len(value)
            if not name.strip() or not value.strip():
                problems.append(f"embed {i} field {j} has an empty name or value")
            if len(name) > FIELD_NAME:
                problems.append(f"embed {i} field {j} name has {len(name)} characters")
            if len(value) > FIELD_VALUE:
                problems.append(f"embed {i} field {j} value has {len(value)} characters")
    if total > EMBEDS_TOTAL:
        problems.append(f"embeds have {total} characters in all (limit {EMBEDS_TOTAL})")
    if not content.strip() and not embeds and not message.get("components"):
        problems.append("the message is empty")
    return problems


def _get(embed: dict[str, Any], dotted: str) -> str:
    value: Any = embed
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, str) else ""
