"""Check request bodies against Discord's OpenAPI description (the fake's idea of "valid")."""

from __future__ import annotations

import functools
import gzip
import json
import re
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

SPEC = Path(__file__).with_name("discord_openapi.json.gz")
URI = "urn:discord-openapi"


@functools.cache
def spec() -> dict[str, Any]:
    with gzip.open(SPEC, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def _registry() -> Registry:
    resource = Resource.from_contents(spec(), default_specification=_dialect())
    return Registry().with_resource(URI, resource)


def _dialect() -> Any:
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


@functools.cache
def _routes() -> list[tuple[str, re.Pattern[str], str]]:
    """(method, path pattern, JSON pointer to the request body schema) for every operation."""
    routes = []
    for path, operations in spec()["paths"].items():
        segments = ("[^/]+" if s.startswith("{") else re.escape(s) for s in path.split("/"))
        pattern = re.compile("^" + "/".join(segments) + "$")
        for method, operation in operations.items():
            body = operation.get("requestBody", {}) if isinstance(operation, dict) else {}
            if "application/json" in body.get("content", {}):
                pointer = (
                    f"#/paths/{_escape(path)}/{method}/requestBody/content/application~1json/schema"
                )
                routes.append((method.upper(), pattern, pointer))
    # literal segments (e.g. .../messages/@original) must win over {message_id}
    routes.sort(key=lambda r: r[1].pattern.count("[^/]+"))
    return routes


def _escape(path: str) -> str:
    return path.replace("~", "~0").replace("/", "~1")


@functools.cache
def _validator(pointer: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": URI + pointer}, registry=_registry())


def body_errors(method: str, path: str, body: Any) -> list[str]:
    """Why ``body`` is not a valid request for ``method path`` (``path`` after ``/api/v10``)."""
    for route_method, pattern, pointer in _routes():
        if route_method == method and pattern.match(path):
            errors = _validator(pointer).iter_errors(_as_spec_types(body))
            return [_describe(error) for error in errors]
    return [f"no JSON request body is documented for {method} {path}"]


def _describe(error: ValidationError) -> str:
    """The most specific reason (inside anyOf/oneOf branches), with where it is."""
    while error.context:
        error = max(error.context, key=_depth)
    where = "/".join(map(str, error.absolute_path)) or "<body>"
    return f"{where}: breaks {error.validator}={error.validator_value!r} ({error.message[:120]})"


def _depth(error: ValidationError) -> int:
    """How far into the body an error (or one of its branch errors) reaches."""
    return max([len(error.absolute_path)] + [_depth(e) for e in error.context])


SNOWFLAKE_KEYS = {"id", "guild_id", "channel_id", "message_id"}


def _as_spec_types(value: Any) -> Any:
    """What Discord accepts beyond the spec's letter: discord.py sends snowflakes in a message
    reference as numbers and permission sets as strings (the spec has strings and numbers)."""
    if isinstance(value, dict):
        return {key: _as_spec_type(key, item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_spec_types(v) for v in value]
    return value


def _as_spec_type(key: str, value: Any) -> Any:
    if key == "default_member_permissions" and isinstance(value, str):
        return int(value)
    if key in SNOWFLAKE_KEYS and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _as_spec_types(value)
