"""A test double of the Slack Web API on 127.0.0.1, recording every call, plus signed requests.

Bolt's AsyncApp and slack_sdk's client talk to it over HTTP exactly as they would to Slack.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import ClientSession, web

from tests.e2e.recording import RecordingServer, json_response

TEAM = "T0REBOUND"
SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
_ids = itertools.count(1)


@dataclass
class Call:
    """One Web API call (or response_url post) the app made."""

    method: str
    body: dict[str, Any]


@dataclass
class SlackDouble(RecordingServer):
    """The Web API double: answers, records, and can refuse DMs to chosen people."""

    closed_dms: set[str] = field(default_factory=set)
    failing: dict[str, int] = field(default_factory=dict)
    limited: dict[str, int] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)
    users_info_errors: int = 0  # how many users.info calls to answer with a 500 first
    upload_errors: int = 0  # how many file uploads to refuse with a 500 first

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{token}", self._respond)
        app.router.add_post("/upload/{file}", self._upload)
        await self.serve(app)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def _record(self, method: str, body: dict[str, Any]) -> None:
        await self.record(Call(method, body))

    _json = staticmethod(json_response)

    async def _parse(self, request: web.Request) -> dict[str, Any]:
        if request.method == "GET":
            body = dict(request.query)
        elif request.content_type == "application/json":
            body = await request.json()
        else:
            body = dict(parse_qsl(await request.text()))
        body = {**request.query, **body}  # slack_sdk sends some arguments as query parameters
        for key in ("blocks", "view", "files"):
            if isinstance(body.get(key), str):
                body[key] = json.loads(body[key])
        return body

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._parse(request)
        await self._record(method, body)
        if method == "auth.test":
            return self._json(
                {
                    "ok": True,
                    "url": "https://rebound.example/",
                    "team": "Rebound",
                    "user": "rebound",
                    "team_id": TEAM,
                    "user_id": "UBOT",
                    "bot_id": "BBOT",
                    "is_enterprise_install": False,
                }
            )
        if method == "users.info" and self.users_info_errors > 0:
            self.users_info_errors -= 1
            return web.Response(
                body=b'{"ok": false, "error": "internal_error"}',
                status=500,
                headers={"Content-Type": "application/json"},
            )
        if method == "users.info":
            uid = body["user"]
            return self._json(
                {
                    "ok": True,
                    "user": {
                        "id": uid,
                        "name": uid.lower(),
                        "real_name": f"Person {uid}",
                        "tz": "Europe/Berlin",
                        "is_admin": uid in self.admins,
                        "is_owner": False,
                        "profile": {"display_name": f"Person {uid}"},
                    },
                }
            )
        if method == "conversations.open":
            uid = body["users"]
            if uid in self.closed_dms:
                return self._json({"ok": False, "error": "cannot_dm_bot"})
            return self._json({"ok": True, "channel": {"id": "D" + uid}})
        if method == "chat.postMessage" and body.get("channel", "")[1:] in self.limited:
            user = body["channel"][1:]
            if self.limited[user] > 0:
                self.limited[user] -= 1
                return web.Response(
                    body=b'{"ok": false, "error": "ratelimited"}',
                    status=429,
                    headers={"Content-Type": "application/json", "Retry-After": "0"},
                )
        if method == "chat.postMessage" and body.get("channel", "")[1:] in self.failing:
            return web.Response(
                body=b'{"ok": false, "error": "fatal_error"}',
                status=500,
                headers={"Content-Type": "application/json"},
            )
        if method in ("chat.postMessage", "chat.postEphemeral"):
            return self._json(
                {
                    "ok": True,
                    "channel": body.get("channel"),
                    "ts": f"{next(_ids)}.000",
                    "message_ts": "1.0",
                }
            )
        if method in ("views.open", "views.publish"):
            return self._json(
                {"ok": True, "view": {"id": f"V{next(_ids)}", **body.get("view", {})}}
            )
        if method == "files.getUploadURLExternal" and self.upload_errors > 0:
            self.upload_errors -= 1
            return web.Response(
                body=b'{"ok": false, "error": "internal_error"}',
                status=500,
                headers={"Content-Type": "application/json"},
            )
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(_ids)}"
            return self._json(
                {"ok": True, "file_id": file_id, "upload_url": f"{self.base}/upload/{file_id}"}
            )
        if method == "files.completeUploadExternal":
            return self._json({"ok": True, "files": [{"id": f["id"]} for f in body["files"]]})
        return self._json({"ok": False, "error": "unknown_method"})

    async def _respond(self, request: web.Request) -> web.Response:
        await self._record("response_url", await request.json())
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        await self._record("upload", {"file": request.match_info["file"], "size": len(data)})
        return web.Response(text="OK")


def sign(body: str, *, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """The headers Slack sends with a request: timestamp and HMAC signature."""
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


async def post(url: str, body: str, content_type: str, **headers: str) -> tuple[int, str]:
    """Send one signed (or deliberately mis-signed) request to the app."""
    signed = sign(body) if "X-Slack-Signature" not in headers else {}
    async with (
        ClientSession() as session,
        session.post(
            url, data=body.encode(), headers={"Content-Type": content_type, **signed, **headers}
        ) as response,
    ):
        return response.status, await response.text()


def command_body(double: SlackDouble, command: str, text: str, user: str = "U1") -> str:
    return urlencode(
        {
            "command": command,
            "text": text,
            "user_id": user,
            "user_name": user.lower(),
            "team_id": TEAM,
            "channel_id": "C1",
            "trigger_id": f"trigger-{next(_ids)}",
            "response_url": f"{double.base}/respond/{next(_ids)}",
        }
    )


def interactive_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})
