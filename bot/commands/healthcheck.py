"""``storybot healthcheck``: ask the running bot's /healthz; exit 0 when healthy, else 1.

Made for a container's ``HEALTHCHECK``, so it imports only the standard library and the settings
(``python -m bot.commands.healthcheck`` skips loading the other sub-commands). It reads the same
settings as ``storybot run`` (config file and environment) to find the endpoint.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence

from bot.settings import AppSettings, OpsSettings, load_settings
from knowledge.errors import StoryBotError

NAME = "healthcheck"
HELP = "check the running bot's /healthz endpoint (exit 0 healthy, 1 not)"
USES_STORY = False
UNSPECIFIED_HOSTS = {"", "0.0.0.0", "::", "[::]"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="probe this URL instead of the configured endpoint")
    parser.add_argument(
        "--timeout", type=float, default=3.0, metavar="S", help="give up after S s (default 3)"
    )


def run(args: argparse.Namespace, settings: AppSettings) -> int:
    healthy, message = probe(args.url or health_url(settings.ops), args.timeout)
    print(message, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


def health_url(ops: OpsSettings) -> str:
    """Where ``storybot run`` serves /healthz; a wildcard listen address is probed on loopback."""
    if not ops.enabled:
        raise StoryBotError("the ops endpoint is off (set ops.enabled: true)")
    if ops.port == 0:
        raise StoryBotError("ops.port is 0 (any free port): give --url")
    host = ops.host.strip()
    if host in UNSPECIFIED_HOSTS:
        host = "::1" if ":" in host else "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{ops.port}/healthz"


def probe(url: str, timeout: float) -> tuple[bool, str]:
    """(healthy, one line saying why) for a GET of ``url``."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return True, _summary(response.read(), url, response.status)
    except urllib.error.HTTPError as exc:
        return False, _summary(exc.read(), url, exc.code)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return False, f"{url}: unreachable ({reason})"


def _summary(body: bytes, url: str, status: int) -> str:
    try:
        data = json.loads(body)
        reasons = "; ".join(data.get("reasons") or []) or data.get("status", "")
    except (ValueError, AttributeError):
        reasons = body[:200].decode("utf-8", "replace")
    return f"{url}: {status} {reasons}".rstrip()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``python -m bot.commands.healthcheck`` (no other sub-command is loaded)."""
    parser = argparse.ArgumentParser(prog="storybot healthcheck", description=HELP)
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args, load_settings())
    except StoryBotError as exc:
        print(f"storybot healthcheck: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
