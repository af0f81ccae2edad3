"""A loopback fake of Discord: the REST API and the gateway websocket, on 127.0.0.1.

The real discord.py client connects to it (``discord.api_base_url`` / ``discord.gateway_url``).
It speaks enough of the protocol for a bot: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats
and their ACKs, RESUME with replay of missed events, and the dispatches a test injects
(INTERACTION_CREATE, MESSAGE_CREATE). Every REST call is recorded; every JSON body is validated
against Discord's OpenAPI description and Discord's message limits, and interaction responses are
held to Discord's rules (one initial response, within 3 s; a follow-up right after a deferral
edits the "thinking" message and keeps its visibility). Anything Discord would reject, or a
message that could ping someone, is a *violation*: tests assert there are none.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes import payloads
from tests.fakes.limits import message_violations
from tests.fakes.openapi import body_errors

EPHEMERAL = 1 << 6
DEADLINE_SECONDS = 3.0
TOKEN = "fake-token.for-tests.only-valid-against-the-fake-server-0000"


@dataclass
class Call:
    """One REST request as the fake received it."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int = 200


@dataclass
class Shown:
    """A message as the user sees it after an interaction (or a mention)."""

    message: dict[str, Any]
    private: bool

    @property
    def content(self) -> str:
        return self.message.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.get("embeds") or []

    @property
    def text(self) -> str:
        """Content and every embed text, joined: what a reader could see."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [
                (embed.get("author") or {}).get("name", ""),
                embed.get("title") or "",
                embed.get("description") or "",
            ]
            for f in embed.get("fields") or []:
                parts += [f["name"], f["value"]]
            parts.append((embed.get("footer") or {}).get("text", ""))
        return "\n".join(p for p in parts if p)

    @property
    def custom_ids(self) -> list[str]:
        return [
            c["custom_id"]
            for row in self.message.get("components") or []
            for c in row.get("components", [])
            if "custom_id" in c
        ]


@dataclass
class Interaction:
    """An interaction the fake dispatched, and what the bot did with it."""

    payload: dict[str, Any]
    dispatched: float
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    callback_times: list[float] = field(default_factory=list)
    original: Shown | None = None
    loading: bool = False
    followups: list[Shown] = field(default_factory=list)
    deleted_original: bool = False

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def token(self) -> str:
        return str(self.payload["token"])

    @property
    def shown(self) -> list[Shown]:
        """The messages now visible for this interaction, original first."""
        original = [self.original] if self.original and not self.loading else []
        return original + self.followups


@dataclass
class Session:
    """A gateway session (survives a dropped connection until resumed)."""

    session_id: str
    shard: list[int]
    sequence: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    socket: web.WebSocketResponse | None = None
    heartbeats: list[float] = field(default_factory=list)


class FakeDiscord:
    """Start with ``await start()``; drive with ``ask``/``click``/``mention``; inspect the rest."""

    def __init__(self, heartbeat_interval: float = 41.25, shards: int = 1) -> None:
        self.heartbeat_interval = heartbeat_interval
        self.recommended_shards = shards
        self.advertised_gateway: str | None = None  # what GET /gateway/bot says (default: ours)
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.close_codes: list[int | None] = []  # how each gateway connection ended (1000: bye)
        self.sessions: dict[str, Session] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}  # "global" or guild id
        self.interactions: dict[str, Interaction] = {}  # by token
        self.channel_messages: list[dict[str, Any]] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle --

    async def start(self) -> None:
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for session in self.sessions.values():
            if session.socket is not None and not session.socket.closed:
                await session.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 15.0) -> None:
        """Wait until ``condition()`` holds (checked whenever the fake's state changes)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- gateway --

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(max_msg_size=16 * 1024 * 1024)
        await socket.prepare(request)
        interval_ms = int(self.heartbeat_interval * 1000)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": interval_ms}, "s": None})
        session: Session | None = None
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            op, data = message.get("op"), message.get("d")
            if op == 1:
                if session is not None:
                    session.heartbeats.append(time.monotonic())
                await socket.send_json({"op": 11})
            elif op == 2:
                session = await self._identify(socket, data)
            elif op == 6:
                session = await self._resume(socket, data)
            await self._notify()
        if session is not None and session.socket is socket:
            session.socket = None
        self.close_codes.append(socket.close_code)
        await self._notify()
        return socket

    async def _identify(
        self, socket: web.WebSocketResponse, data: dict[str, Any]
    ) -> Session | None:
        self.identifies.append(data)
        if data.get("token") != TOKEN:
            await socket.close(code=4004, message=b"Authentication failed.")
            return None
        shard = data.get("shard") or [0, 1]
        session = Session(secrets.token_hex(8), shard, socket=socket)
        self.sessions[session.session_id] = session
        guild_id = payloads.GUILD_ID
        ready = {
            "v": 10,
            "user": payloads.BOT_USER,
            "guilds": [{"id": str(guild_id), "unavailable": True}] if self._owns(shard) else [],
            "session_id": session.session_id,
            "resume_gateway_url": self.gateway_url,
            "shard": shard,
            "application": {"id": str(payloads.APPLICATION_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "geo_ordered_rtc_regions": [],
            "guild_join_requests": [],
        }
        await self._dispatch(session, "READY", ready)
        if self._owns(shard):
            await self._dispatch(session, "GUILD_CREATE", payloads.guild())
        return session

    @staticmethod
    def _owns(shard: list[int]) -> bool:
        """Whether the shard gets the test server (Discord's rule: (id >> 22) % count)."""
        return (payloads.GUILD_ID >> 22) % shard[1] == shard[0]

    async def _resume(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        self.resumes.append(data)
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or data.get("token") != TOKEN:
            await socket.send_json({"op": 9, "d": False})
            return None
        session.socket = socket
        missed = [e for e in session.events if e["s"] > (data.get("seq") or 0)]
        for event in missed:
            await socket.send_json(event)
        await self._dispatch(session, "RESUMED", {})
        return session

    async def _dispatch(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.sequence += 1
        message = {"op": 0, "t": event, "s": session.sequence, "d": data}
        session.events.append(message)
        if session.socket is not None and not session.socket.closed:
            try:
                await session.socket.send_json(message)
            except ConnectionResetError:
                session.socket = None  # delivered on RESUME

    def session_for_guild(self) -> Session:
        for session in reversed(list(self.sessions.values())):
            if self._owns(session.shard):
                return session
        raise AssertionError("no gateway session holds the test server")

    async def drop_gateway(self) -> None:
        """Cut every gateway connection without a close frame, as a network failure would."""
        for session in self.sessions.values():
            if session.socket is not None:
                transport = session.socket._req.transport if session.socket._req else None  # type: ignore[union-attr]
                session.socket = None
                if transport is not None:
                    transport.abort()
        await self._notify()

    @property
    def connected(self) -> bool:
        return any(s.socket is not None and not s.socket.closed for s in self.sessions.values())

    # -- what a test does as a Discord user --

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user_id: int = 1001,
        permissions: int = payloads.EVERYONE_PERMISSIONS,
        in_guild: bool = True,
    ) -> Interaction:
        """Someone runs ``/name`` with ``options``."""
        data = payloads.slash_data(name, options or {}, self._command_id(name))
        asker = payloads.user(user_id, f"user{user_id}")
        payload = payloads.interaction(
            2, data, asker, permissions, payloads.GUILD_ID if in_guild else None
        )
        return await self._send_interaction(payload)

    async def ask(self, question: str, user_id: int = 1001, **options: Any) -> Interaction:
        return await self.slash("ask", {"question": question, **options}, user_id=user_id)

    async def click(self, shown: Shown, custom_id: str, user_id: int = 1001) -> Interaction:
        """Someone presses the button ``custom_id`` on a message."""
        data = {"custom_id": custom_id, "component_type": 2}
        asker = payloads.user(user_id, f"user{user_id}")
        payload = payloads.interaction(
            3, data, asker, payloads.EVERYONE_PERMISSIONS, on_message=shown.message
        )
        return await self._send_interaction(payload)

    async def mention(self, content: str, user_id: int = 1001) -> dict[str, Any]:
        """Someone posts a message (mentioning the bot, say) in the test channel."""
        author = payloads.user(user_id, f"user{user_id}")
        mentioned = [payloads.BOT_USER] if f"<@{payloads.BOT_ID}>" in content else []
        message = payloads.message(
            payloads.snowflake(),
            payloads.CHANNEL_ID,
            author,
            {"content": content},
            mentions=mentioned,
        )
        message["member"] = {k: v for k, v in payloads.member(author, 0).items() if k != "user"}
        await self._dispatch(self.session_for_guild(), "MESSAGE_CREATE", message)
        return message

    async def _send_interaction(self, payload: dict[str, Any]) -> Interaction:
        interaction = Interaction(payload, time.monotonic())
        self.interactions[interaction.token] = interaction
        await self._dispatch(self.session_for_guild(), "INTERACTION_CREATE", payload)
        return interaction

    def _command_id(self, name: str) -> int:
        for commands in self.commands.values():
            for command in commands:
                if command["name"] == name:
                    return int(command["id"])
        return payloads.snowflake()

    async def reply(self, interaction: Interaction, timeout: float = 15.0) -> Shown:
        """The message the bot showed for ``interaction`` (waits for one to appear)."""
        await self.wait_until(lambda: bool(interaction.shown), timeout)
        return interaction.shown[-1]

    async def reply_to_message(self, message: dict[str, Any], timeout: float = 15.0) -> Shown:
        """The bot's message replying to ``message``."""

        def found() -> dict[str, Any] | None:
            for sent in self.channel_messages:
                reference = sent.get("message_reference") or {}
                if str(reference.get("message_id")) == message["id"]:
                    return sent
            return None

        await self.wait_until(lambda: found() is not None, timeout)
        sent = found()
        assert sent is not None
        return Shown(sent, private=False)

    # -- REST --

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await self._body(request)
        call = Call(request.method, path, dict(request.query), body)
        self.calls.append(call)
        if body is not None:
            for problem in body_errors(request.method, path, body):
                self.violations.append(f"{request.method} {path}: {problem}")
        response = await self._route(request, path, body)
        call.status = response.status
        await self._notify()
        return response

    @staticmethod
    async def _body(request: web.Request) -> Any:
        if not request.can_read_body:
            return None
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            return json.loads(str(form.get("payload_json", "null")))
        text = await request.text()
        return json.loads(text) if text else None

    async def _route(self, request: web.Request, path: str, body: Any) -> web.Response:
        if not self._authorised(request, path):
            return _error(401, 0, "401: Unauthorized")
        method = request.method
        for route_method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, path)
            if match and route_method == method:
                return await handler(match, body, request)
        self.violations.append(f"unexpected call {method} {path}")
        return _error(404, 0, "404: Not Found")

    @staticmethod
    def _authorised(request: web.Request, path: str) -> bool:
        if path.startswith(("/webhooks/", "/interactions/")):
            return True  # authorised by the interaction token in the path
        return request.headers.get("Authorization") == f"Bot {TOKEN}"

    def _routes(self) -> list[tuple[str, str, Any]]:
        app = payloads.APPLICATION_ID
        return [
            ("GET", r"/users/@me", self._me),
            ("GET", r"/oauth2/applications/@me", self._application),
            ("GET", r"/gateway/bot", self._gateway_bot),
            ("GET", r"/gateway", self._gateway_info),
            ("PUT", rf"/applications/{app}/commands", self._put_commands),
            ("PUT", rf"/applications/{app}/guilds/(?P<guild>\d+)/commands", self._put_commands),
            ("GET", rf"/applications/{app}/commands", self._get_commands),
            ("POST", r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback", self._callback),
            ("PATCH", rf"/webhooks/{app}/(?P<token>[^/]+)/messages/@original", self._edit_original),
            (
                "DELETE",
                rf"/webhooks/{app}/(?P<token>[^/]+)/messages/@original",
                self._delete_original,
            ),
            ("POST", rf"/webhooks/{app}/(?P<token>[^/]+)", self._followup),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._channel_message),
        ]

    async def _me(self, *_: Any) -> web.Response:
        return _json(payloads.BOT_USER)

    async def _application(self, *_: Any) -> web.Response:
        return _json(payloads.application())

    async def _gateway_bot(self, *_: Any) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return _json(
            {
                "url": self.advertised_gateway or self.gateway_url,
                "shards": self.recommended_shards,
                "session_start_limit": limit,
            }
        )

    async def _gateway_info(self, *_: Any) -> web.Response:
        return _json({"url": self.gateway_url})

    async def _put_commands(self, match: re.Match[str], body: Any, _: web.Request) -> web.Response:
        scope = match.groupdict().get("guild") or "global"
        registered = []
        for command in body or []:
            entry = {
                "id": str(payloads.snowflake()),
                "application_id": str(payloads.APPLICATION_ID),
                "version": str(payloads.snowflake()),
                "type": command.get("type", 1),
                "name": command["name"],
                "description": command.get("description", ""),
                "options": command.get("options", []),
                "default_member_permissions": command.get("default_member_permissions"),
                "dm_permission": command.get("dm_permission", True),
                "nsfw": command.get("nsfw", False),
                "contexts": command.get("contexts"),
                "integration_types": command.get("integration_types", [0]),
            }
            if scope != "global":
                entry["guild_id"] = scope
            registered.append(entry)
        self.commands[scope] = registered
        return _json(registered)

    async def _get_commands(self, *_: Any) -> web.Response:
        return _json(self.commands.get("global", []))

    # -- interaction responses, by Discord's rules --

    def _interaction(self, token: str) -> Interaction | None:
        return self.interactions.get(token)

    async def _callback(self, match: re.Match[str], body: Any, _: web.Request) -> web.Response:
        interaction = self._interaction(match["token"])
        if interaction is None or str(interaction.id) != match["id"]:
            return _error(404, 10062, "Unknown interaction")
        now = time.monotonic()
        if now - interaction.dispatched > DEADLINE_SECONDS:
            self.violations.append(
                f"interaction {interaction.id} answered after {now - interaction.dispatched:.1f} s"
            )
            return _error(404, 10062, "Unknown interaction")
        if interaction.callbacks:
            self.violations.append(f"interaction {interaction.id} acknowledged twice")
            return _error(400, 40060, "Interaction has already been acknowledged.")
        interaction.callbacks.append(body)
        interaction.callback_times.append(now)
        kind, data = body.get("type"), body.get("data") or {}
        private = bool((data.get("flags") or 0) & EPHEMERAL)
        message_id = payloads.snowflake()
        resource: dict[str, Any] = {"type": kind}
        if kind == 4:
            self._check_message(f"interaction {interaction.id} response", data)
            interaction.original = Shown(self._store(message_id, data, private), private)
            resource["message"] = interaction.original.message
        elif kind == 5:
            interaction.original = Shown(
                self._store(message_id, {"flags": data.get("flags")}, private), private
            )
            interaction.loading = True
        else:
            self.violations.append(f"interaction {interaction.id}: unexpected callback type {kind}")
        return _json(
            {
                "interaction": {
                    "id": str(interaction.id),
                    "type": interaction.payload["type"],
                    "response_message_id": str(message_id),
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": private,
                },
                "resource": resource,
            }
        )

    async def _edit_original(self, match: re.Match[str], body: Any, _: web.Request) -> web.Response:
        interaction = self._interaction(match["token"])
        if interaction is None or interaction.original is None:
            return _error(404, 10008, "Unknown Message")
        self._check_message(f"interaction {interaction.id} edit", body)
        message = interaction.original.message
        message.update({k: v for k, v in body.items() if k in ("content", "embeds", "components")})
        message["content"] = message.get("content") or ""
        interaction.loading = False
        return _json(message)

    async def _delete_original(
        self, match: re.Match[str], body: Any, _: web.Request
    ) -> web.Response:
        interaction = self._interaction(match["token"])
        if interaction is None or interaction.original is None:
            return _error(404, 10008, "Unknown Message")
        interaction.original = None
        interaction.loading = False
        interaction.deleted_original = True
        return web.Response(status=204)

    async def _followup(self, match: re.Match[str], body: Any, _: web.Request) -> web.Response:
        interaction = self._interaction(match["token"])
        if interaction is None or not interaction.callbacks:
            return _error(404, 10015, "Unknown Webhook")
        self._check_message(f"interaction {interaction.id} follow-up", body)
        if interaction.loading and interaction.original is not None:
            # Discord: right after a deferral, a follow-up edits the "thinking" message and keeps
            # its visibility (the ephemeral flag of the follow-up is ignored).
            return await self._edit_original(match, body, _)
        private = bool((body.get("flags") or 0) & EPHEMERAL)
        shown = Shown(self._store(payloads.snowflake(), body, private), private)
        interaction.followups.append(shown)
        return _json(shown.message)

    async def _channel_message(
        self, match: re.Match[str], body: Any, _: web.Request
    ) -> web.Response:
        self._check_message(f"channel message in {match['channel']}", body)
        message = payloads.message(
            payloads.snowflake(), int(match["channel"]), payloads.BOT_USER, body
        )
        if body.get("message_reference"):
            message["message_reference"] = body["message_reference"]
        self.channel_messages.append(message)
        self.messages[int(message["id"])] = message
        return _json(message)

    def _store(self, message_id: int, body: dict[str, Any], private: bool) -> dict[str, Any]:
        message = payloads.message(message_id, payloads.CHANNEL_ID, payloads.BOT_USER, body)
        if private:
            message["flags"] = message["flags"] | EPHEMERAL
        self.messages[message_id] = message
        return message

    def _check_message(self, where: str, body: dict[str, Any]) -> None:
        for problem in message_violations(body):
            self.violations.append(f"{where}: {problem}")
        mentions = body.get("allowed_mentions")
        pings_nobody = (
            isinstance(mentions, dict)
            and mentions.get("parse") == []
            and not mentions.get("users")
            and not mentions.get("roles")
            and not mentions.get("replied_user")
        )
        if not pings_nobody:
            self.violations.append(f"{where}: allowed_mentions {mentions!r} may ping someone")


def _json(data: Any, status: int = 200) -> web.Response:
    """A JSON response as Discord sends it (discord.py wants exactly ``application/json``)."""
    body = json.dumps(data).encode()
    return web.Response(body=body, status=status, headers={"Content-Type": "application/json"})


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"message": message, "code": code}, status=status)
