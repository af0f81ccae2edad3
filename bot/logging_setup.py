"""Logging to stderr: readable lines by default, JSON lines when configured."""

from __future__ import annotations

import json
import logging
import sys
import time

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
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
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
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in NOISY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
