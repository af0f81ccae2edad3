"""Logging to stderr: readable lines by default, JSON lines when configured; secrets redacted."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterable

from bot.settings import LoggingSettings

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}
NOISY = (
    "sentence_transformers",
    "transformers",
    "faiss",
    "bm25s",
    "urllib3",
    "filelock",
    "huggingface_hub",
    "trafilatura",
    "htmldate",
    "courlan",
)


REDACTED = "[REDACTED]"
TOKEN_ENV = "DISCORD_TOKEN"
# A Discord bot token: base64 user id, base64 timestamp, HMAC, joined by dots.
TOKEN_SHAPE = re.compile(r"(?<![\w-])[\w-]{20,}\.[\w-]{6,}\.[\w-]{27,}(?![\w-])", re.ASCII)
MIN_SECRET_CHARS = 8


class RedactSecrets(logging.Filter):
    """Replaces the Discord token (``$DISCORD_TOKEN``) and anything token-shaped in every record.

    Attached to the handler, so it sees records from every logger. It rewrites the message, a
    pre-rendered traceback and stack, and ``ctx_*`` extras in place, so every formatter (and any
    other handler) only ever gets the redacted record.
    """

    def __init__(self, secrets: Iterable[str] | None = None) -> None:
        super().__init__()
        if secrets is None:
            secrets = [os.environ.get(TOKEN_ENV, "")]
        kept = {s.strip() for s in secrets if len(s.strip()) >= MIN_SECRET_CHARS}
        self.secrets = sorted(kept, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # bad %-args: redact both, and let the handler report the mistake
            record.msg = self.redact(str(record.msg))
            if isinstance(record.args, tuple):
                record.args = tuple(self.redact(str(arg)) for arg in record.args)
        else:
            record.msg, record.args = self.redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key, value in list(record.__dict__.items()):
            if key.startswith("ctx_") and isinstance(value, str):
                setattr(record, key, self.redact(value))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exception"] = record.exc_text
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        for key, value in record.__dict__.items():
            if key.startswith("ctx_"):
                data[key[4:]] = value
        return json.dumps(data, ensure_ascii=False, default=str)


def configure_logging(settings: LoggingSettings, verbose: int = 0) -> None:
    """Send logs to stderr at the configured level (each ``-v`` lowers it one step)."""
    level = _LEVELS[settings.level]
    if verbose:
        level = max(logging.DEBUG, min(level, logging.WARNING) - 10 * verbose)
    handler = logging.StreamHandler(sys.stderr)
    if settings.format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in NOISY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
