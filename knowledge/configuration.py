"""Turn YAML plus environment variables into a typed, validated settings object.

Works on any tree of dataclasses: each dataclass is a section, each field a key. Unknown keys and
values of the wrong type are rejected with a one-line ``ConfigError`` that names the key.
Environment variables ``<PREFIX><SECTION>__<KEY>`` (e.g. ``STORYBOT_RETRIEVAL__TOP_K=5``) override
the file; their values are parsed as YAML scalars, so ``5``, ``0.4``, ``true`` and ``[a, b]`` work.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml

from knowledge.errors import ConfigError

T = TypeVar("T")
ENV_PREFIX = "STORYBOT_"
RESERVED_ENV = {"STORYBOT_CONFIG"}


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping, failing with one line on a missing, unreadable or malformed file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ConfigError(f"config file {path} is not valid YAML{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a mapping of sections")
    return data


def env_overrides(environ: Mapping[str, str], prefix: str = ENV_PREFIX) -> dict[str, Any]:
    """Collect ``PREFIX<SECTION>__<KEY>`` variables into a nested mapping."""
    nested: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(prefix) or name in RESERVED_ENV:
            continue
        path = [part.lower() for part in name[len(prefix) :].split("__")]
        if any(not part for part in path):
            raise ConfigError(f"environment variable {name}: expected {prefix}<SECTION>__<KEY>")
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            value = raw
        node = nested
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"environment variable {name} conflicts with another override")
        node[path[-1]] = value
    return nested


def merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``override`` into a copy of ``base``."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def build(cls: type[T], data: Mapping[str, Any], where: str = "") -> T:
    """Build dataclass ``cls`` from ``data``, validating every key and value."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where or 'config'}: expected a mapping of keys")
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls)
    for key in data:
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise ConfigError(
                f"unknown config key '{_join(where, str(key))}' (known here: {known})"
            )
    values = {}
    for key, value in data.items():
        values[key] = _coerce(hints[key], value, _join(where, key))
    instance = cls(**values)
    check = getattr(instance, "validate", None)
    if callable(check):
        try:
            check()
        except ValueError as exc:
            raise ConfigError(f"config {where or 'root'}: {exc}") from None
    return instance


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _coerce(hint: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        return build(hint, value if value is not None else {}, key)  # type: ignore[arg-type]
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in (a for a in args if a is not type(None)):
            try:
                return _coerce(arg, value, key)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0] if errors else f"config key '{key}': bad value {value!r}")
    if origin is typing.Literal:
        if value not in args:
            choices = ", ".join(repr(a) for a in args)
            raise ConfigError(f"config key '{key}': {value!r} is not one of {choices}")
        return value
    if origin in (tuple, list):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"config key '{key}': expected a list, got {value!r}")
        item = args[0] if args else Any
        return tuple(_coerce(item, v, f"{key}[{i}]") for i, v in enumerate(value))
    if hint is Any:
        return value
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"config key '{key}': expected true or false, got {value!r}")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"config key '{key}': expected a whole number, got {value!r}")
    if hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(f"config key '{key}': expected a number, got {value!r}")
    if hint is str:
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        raise ConfigError(f"config key '{key}': expected text, got {value!r}")
    raise ConfigError(f"config key '{key}': unsupported type {hint!r}")


def load(cls: type[T], defaults: Path, path: Path | None, environ: Mapping[str, str]) -> T:
    """Defaults file, then the user's file, then environment overrides, validated as ``cls``."""
    data = read_yaml(defaults)
    if path is not None:
        data = merge(data, read_yaml(path))
    data = merge(data, env_overrides(environ))
    return build(cls, data)
