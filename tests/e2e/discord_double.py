"""A test double of Discord on 127.0.0.1: REST under /api/v10 and a websocket gateway.

It answers what the real discord.py client asks during these tests, records every request,
and lets a test dispatch gateway events (INTERACTION_CREATE, MESSAGE_CREATE) and wait for the
client's answers without sleeping.
"""

from __future__ import annotations

import base64
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.e2e.recording import RecordingServer, json_response

APP_ID = 987654321098765432
BOT_ID = APP_ID
GUILD_ID = 111111111111111111
CHANNEL_ID = 222222222222222222
TOKEN = base64.b64encode(str(APP_ID).encode()).decode().rstrip("=") + ".fake.token"
MANAGE_GUILD = 1 << 5
_ids = itertools.count(300000000000000000)


def snowflake() -> str:
    return str(next(_ids))


def user(user_id: int | str, name: str) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "avatar": None,
        "global_name": name,
        "bot": int(user_id) == BOT_ID,
    }


@dataclass
class Call:
    """One request the client made."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class DiscordDouble(RecordingServer):
    """The double's state: what was asked, and what to answer next."""

    closed_dms: set[str] = field(default_factory=set)
    broken_dms: set[str] = field(default_factory=set)
    rate_limit_next: int = 0
    dm_channels: dict[str, str] = field(default_factory=dict)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    # Which socket identified as which shard (a sharded client opens one per shard).
    shard_sockets: dict[int, web.WebSocketResponse] = field(default_factory=dict)
    _seq: int = 0

    # -- running --------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        await self.serve(app)

    async def stop(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        await super().stop()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- what tests use -------------------------------------------------------------------

    def find(self, method: str, fragment: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and fragment in c.path]

    async def dispatch(self, event: str, data: dict[str, Any], *, shard: int | None = None) -> None:
        self._seq += 1
        sockets = self._sockets if shard is None else [self.shard_sockets[shard]]
        for socket in sockets:
            await socket.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    async def connected(self) -> None:
        await self.wait_for(lambda calls: any(c.path == "gateway:IDENTIFY" for c in calls))

    def interaction(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user_id: str = "555000000000000001",
        name: str = "Ada",
        admin: bool = False,
        in_dm: bool = False,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE payload from a person in the guild channel (or a DM)."""
        payload: dict[str, Any] = {
            "id": snowflake(),
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "token": "itoken-" + snowflake(),
            "version": 1,
            "locale": "en-US",
            "attachment_size_limit": 8_000_000,
            "app_permissions": "52224",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 1 if in_dm else 0,
        }
        if in_dm:
            payload["channel_id"] = self.dm_channels.get(user_id, snowflake())
            payload["channel"] = {"id": payload["channel_id"], "type": 1}
            payload["user"] = user(user_id, name)
        else:
            payload["guild_id"] = str(GUILD_ID)
            payload["guild_locale"] = "en-US"
            payload["channel_id"] = str(CHANNEL_ID)
            payload["channel"] = {
                "id": str(CHANNEL_ID),
                "type": 0,
                "guild_id": str(GUILD_ID),
                "name": "general",
                "position": 0,
                "permission_overwrites": [],
            }
            payload["member"] = {
                "user": user(user_id, name),
                "roles": [],
                "joined_at": "2026-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": str(MANAGE_GUILD if admin else 0),
            }
        return payload

    def command(self, command: str, options: list[dict] | None = None, /, **who: Any) -> dict:
        data: dict[str, Any] = {
            "id": snowflake(),
            "name": command,
            "type": 1,
            "options": options or [],
        }
        channels = [o["value"] for o in options or [] if o["type"] == 7]
        if channels:  # Discord resolves channel options into full objects
            data["resolved"] = {
                "channels": {
                    c: {"id": c, "type": 0, "name": "general", "permissions": "0"} for c in channels
                }
            }
        return self.interaction(2, data, **who)

    def press(self, custom_id: str, **who: Any) -> dict:
        payload = self.interaction(3, {"custom_id": custom_id, "component_type": 2}, **who)
        # Discord sends the message the button sits on, components included.
        button = {"type": 2, "style": 1, "label": "button", "custom_id": custom_id}
        payload["message"] = self.message(
            payload["channel_id"],
            {"content": "earlier", "components": [{"type": 1, "components": [button]}]},
        )
        return payload

    def message(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": snowflake(),
            "channel_id": str(channel_id),
            "author": user(BOT_ID, "Rebound"),
            "content": body.get("content", ""),
            "timestamp": "2026-11-26T15:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds", []),
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
            "components": body.get("components", []),
            "nonce": body.get("nonce"),
        }

    # -- the gateway ----------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            if message["op"] == 1:
                await socket.send_str(json.dumps({"op": 11}))
            elif message["op"] == 2:
                await self._record("GATEWAY", "gateway:IDENTIFY", {}, message["d"])
                shard = message["d"].get("shard")
                if shard:
                    self.shard_sockets[shard[0]] = socket
                self._seq += 1
                ready = {
                    "v": 10,
                    "user": user(BOT_ID, "Rebound"),
                    "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
                    "session_id": "session",
                    "resume_gateway_url": self.gateway_url,
                    "application": {"id": str(APP_ID), "flags": 0},
                }
                if shard:
                    ready["shard"] = shard  # as Discord does: which shard of how many
                await socket.send_str(
                    json.dumps({"op": 0, "t": "READY", "s": self._seq, "d": ready})
                )
        self._sockets.remove(socket)
        # 1000 when the client sent a close frame; 1006 or None when the connection dropped.
        await self._record("GATEWAY", "gateway:CLOSE", {}, {"code": socket.close_code})
        return socket

    # -- REST -----------------------------------------------------------------------------

    async def _record(self, method: str, path: str, query: dict, body: Any) -> None:
        await self.record(Call(method, path, query, body))

    _json = staticmethod(json_response)

    async def _body(self, request: web.Request) -> Any:
        if request.content_type.startswith("multipart/"):
            found: dict[str, Any] = {"files": []}
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":
                    found.update(json.loads(await part.text()))
                else:
                    found["files"].append({"name": part.filename, "size": len(await part.read())})
            return found
        if request.can_read_body:
            return await request.json()
        return None

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body = await self._body(request)
        method = request.method
        await self._record(method, path, dict(request.query), body)
        # Interaction answers carry their own token in the path; everything else the bot's.
        signed = path.startswith(("/interactions/", "/webhooks/"))
        if not signed and request.headers.get("Authorization") != f"Bot {TOKEN}":
            return self._json({"message": "401: Unauthorized", "code": 0}, 401)
        if path == "/users/@me" and method == "GET":
            return self._json(user(BOT_ID, "Rebound"))
        if path == "/oauth2/applications/@me":
            return self._json(
                {
                    "id": str(APP_ID),
                    "name": "Rebound",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "verify_key": "k",
                    "owner": user(1, "owner"),
                    "flags": 0,
                    "interactions_endpoint_url": None,
                }
            )
        if "/commands" in path and method == "PUT":
            return self._json(
                [
                    {**c, "id": snowflake(), "application_id": str(APP_ID), "version": "1"}
                    for c in body
                ]
            )
        if path == "/users/@me/channels" and method == "POST":
            recipient = str(body["recipient_id"])
            channel_id = self.dm_channels.setdefault(recipient, snowflake())
            return self._json({"id": channel_id, "type": 1, "recipients": [user(recipient, "x")]})
        if path.startswith("/interactions/") and path.endswith("/callback"):
            return self._callback(path, body)
        if path.startswith("/webhooks/"):
            return self._json(self.message(str(CHANNEL_ID), body or {}))
        if path.startswith("/channels/") and path.endswith("/messages") and method == "POST":
            channel_id = path.split("/")[2]
            if self.rate_limit_next:
                self.rate_limit_next -= 1
                return self._json(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": 0.05,
                        "global": False,
                    },
                    status=429,
                    headers={"Via": "1.1 google", "Retry-After": "1"},
                )
            owner = next((u for u, c in self.dm_channels.items() if c == channel_id), None)
            if owner in self.broken_dms:
                return self._json({"message": "Service Unavailable", "code": 0}, status=503)
            if owner in self.closed_dms:
                return self._json(
                    {"message": "Cannot send messages to this user", "code": 50007}, status=403
                )
            return self._json(self.message(channel_id, body or {}))
        return self._json({"message": f"not in the double: {method} {path}", "code": 0}, 404)

    def _callback(self, path: str, body: dict[str, Any]) -> web.Response:
        interaction_id = path.split("/")[2]
        kind = body["type"]
        data = body.get("data") or {}
        resource: dict[str, Any] = {"type": kind}
        if kind == 4:
            resource["message"] = self.message(str(CHANNEL_ID), data)
        return self._json(
            {
                "interaction": {
                    "id": interaction_id,
                    "type": 2,
                    "response_message_id": resource.get("message", {}).get("id"),
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(data.get("flags", 0) & 64),
                },
                "resource": resource,
            }
        )
