"""A stand-in for Slack's Web API and response URLs on 127.0.0.1, for the console and tests.

It answers the Web API methods govbot calls with responses shaped like Slack's and records
every call it receives. Stopping it makes later calls fail at the TCP level, like an outage.
Subclasses may answer a call differently (the tests' fault injection does) by overriding
`_record`.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self, TypeVar
from urllib.parse import parse_qsl, quote, urlsplit

T = TypeVar("T")

DEFAULT_TIMEZONE = "Europe/London"


@dataclass(frozen=True)
class Call:
    """One request the stand-in received.

    `method` is the Web API method ("chat.postMessage"), "response" for a response URL
    (with `name` set to the URL's name), "upload" for a file upload, or "download" for a
    file fetched from its private URL (`name` is the file's id).
    """

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    name: str | None = None
    body: bytes = b""

    @property
    def token(self) -> str | None:
        auth = self.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:]
        token = self.params.get("token")
        return str(token) if token else None


@dataclass(frozen=True)
class Override:
    """An answer given instead of the usual one: an HTTP status, a JSON body, extra headers."""

    status: int
    payload: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    unknown_users: set[str] = field(default_factory=set)
    response_names: dict[str, str] = field(default_factory=dict)
    socket_mode_url: str | None = None
    oauth_client: tuple[str, str] | None = None
    # An install's code (from Slack's authorize page) → (workspace, installing user).
    install_codes: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Bot tokens handed out by oauth.v2.access → their workspace.
    installed_tokens: dict[str, str] = field(default_factory=dict)
    # People Slack will not let the app DM (an external member, DMs closed) → its error.
    dm_refused: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    files: dict[str, StoredFile] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredFile:
    """A file someone shared in Slack, served at its private URL to a bot token only."""

    name: str
    content: bytes


class SlackStandin:
    """Run with `with SlackStandin() as slack:`; point SLACK_API_URL at `slack.api_url`."""

    def __init__(
        self,
        *,
        team_id: str = "T0GOVBOT",
        bot_user_id: str = "UGOVBOT",
        bot_id: str = "BGOVBOT",
        port: int = 0,
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self._requested_port = port
        self._lock = threading.Condition()
        self._state = _State()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> Self:
        standin: SlackStandin = self

        class Handler(_Handler):
            owner = standin

        self._server = ThreadingHTTPServer(("127.0.0.1", self._requested_port), Handler)
        self._server.daemon_threads = True
        self._requested_port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="slack-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: later calls are refused at the TCP level, like an outage."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def listening(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        return self._requested_port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The value for SLACK_API_URL."""
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "response") -> str:
        """A fresh response URL; what is posted to it is recorded as method "response"."""
        with self._lock:
            token = f"{next(self._ids)}"
            self._state.response_names[token] = name
        return f"{self.base_url}/response/{token}"

    # -- configuration -----------------------------------------------------------------

    def set_user(
        self, user_id: str, *, tz: str = DEFAULT_TIMEZONE, email: str | None = None, **fields: Any
    ) -> None:
        """Make users.info answer for `user_id` with this timezone and extra fields; with an
        `email`, users.lookupByEmail finds them by it (in any case)."""
        with self._lock:
            self._state.users[user_id] = {"tz": tz, **fields}
            if email is not None:
                self._state.emails[email.lower()] = user_id

    def add_file(self, name: str, content: bytes) -> str:
        """A file shared in Slack: files.info describes it and its private URL serves it."""
        file_id = self._next_id("F")
        with self._lock:
            self._state.files[file_id] = StoredFile(name, content)
        return file_id

    def set_socket_mode_url(self, url: str) -> None:
        """Make apps.connections.open (called with an app-level token) answer `url`."""
        with self._lock:
            self._state.socket_mode_url = url

    def set_oauth_client(self, client_id: str, client_secret: str) -> None:
        """The app's credentials oauth.v2.access accepts (OAuth mode)."""
        with self._lock:
            self._state.oauth_client = (client_id, client_secret)

    def install_code(self, team_id: str, user_id: str = "U0INSTALLER") -> str:
        """A code Slack's authorize page would give someone installing the app in `team_id`;
        oauth.v2.access exchanges it, once, for a new bot token of that workspace."""
        code = f"{team_id}.{self._next_id('code')}"
        with self._lock:
            self._state.install_codes[code] = (team_id, user_id)
        return code

    def refuse_dm(self, user_id: str, error: str = "messages_tab_disabled") -> None:
        """Answer every DM to `user_id` (chat.postMessage to them or their DM channel, and
        conversations.open) with `error`, as Slack does for someone the app cannot DM."""
        with self._lock:
            self._state.dm_refused[user_id] = error

    def _dm_refusal(self, channel: str) -> str | None:
        person = "U" + channel[1:] if channel[:1] == "D" else channel
        with self._lock:
            return self._state.dm_refused.get(person)

    def forget_user(self, user_id: str) -> None:
        """Make users.info answer `user_not_found` for `user_id` (someone who left)."""
        with self._lock:
            self._state.unknown_users.add(user_id)

    def reset(self) -> None:
        """Forget recorded calls (users set stay)."""
        with self._lock:
            self._state.calls.clear()

    def forget_everything(self) -> None:
        """Back to as started: no calls, no users set, no response URLs."""
        with self._lock:
            self._state = _State()

    # -- inspection --------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._state.calls)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def responses(self, name: str | None = None) -> list[dict[str, Any]]:
        """Bodies posted to response URLs (only those minted with `name`, if given)."""
        return [
            call.params for call in self.calls_to("response") if name is None or call.name == name
        ]

    def wait_for(self, predicate: Callable[[], T | None], timeout: float = 5.0) -> T:
        """Wait until `predicate()` is truthy (re-checked on every call received); return it."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                result = predicate()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"stand-in: condition not met within {timeout} s")
                self._lock.wait(min(remaining, 0.1))

    def wait_for_calls(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until `method` has been called at least `count` times; return those calls."""
        return self.wait_for(
            lambda: [] if len(calls := self.calls_to(method)) < count else calls,
            timeout,
        )

    # -- serving -----------------------------------------------------------------------

    def _record(self, call: Call) -> Override | None:
        """Note `call` and wake whoever waits; an `Override` replaces the usual answer."""
        with self._lock:
            self._state.calls.append(call)
            self._lock.notify_all()
        return None

    def _response_name(self, token: str) -> str | None:
        with self._lock:
            return self._state.response_names.get(token)

    def _user(self, user_id: str) -> dict[str, Any]:
        with self._lock:
            configured = dict(self._state.users.get(user_id, {}))
        tz = configured.pop("tz", DEFAULT_TIMEZONE)
        return {
            "id": user_id,
            "team_id": self.team_id,
            "name": user_id.lower(),
            "real_name": f"User {user_id}",
            "deleted": False,
            "is_bot": False,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": 0,
            "profile": {"real_name": f"User {user_id}", "display_name": user_id.lower()},
            **configured,
        }

    def _next_id(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}{next(self._ids):08d}"

    def _ts(self) -> str:
        with self._lock:
            return f"{int(time.time())}.{next(self._ids):06d}"

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """The body Slack would send for `method` called with `params`."""
        handler = _METHODS.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        return handler(self, params)


def _auth_test(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    with s._lock:
        team_id = s._state.installed_tokens.get(str(p.get(_TOKEN, "")), s.team_id)
    return {
        "ok": True,
        "url": "https://govbot-standin.slack.com/",
        "team": "Stand-in workspace",
        "user": "govbot",
        "team_id": team_id,
        "user_id": s.bot_user_id,
        "bot_id": s.bot_id,
    }


def _oauth_v2_access(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    """An install's code exchanged for a bot token, with the app's client id and secret."""
    with s._lock:
        client = s._state.oauth_client
        if client is None or p.get("client_id") != client[0]:
            return {"ok": False, "error": "invalid_client_id"}
        if p.get("client_secret") != client[1]:
            return {"ok": False, "error": "bad_client_secret"}
        grant = s._state.install_codes.pop(str(p.get("code", "")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        team_id, user_id = grant
        token = f"xoxb-{team_id.lower()}-{next(s._ids):08d}"
        s._state.installed_tokens[token] = team_id
    return {
        "ok": True,
        "access_token": token,
        "token_type": "bot",
        "scope": "commands,chat:write,im:write,files:write,users:read",
        "bot_user_id": s.bot_user_id,
        "app_id": "A0GOVBOT",
        "team": {"id": team_id, "name": f"Workspace {team_id}"},
        "enterprise": None,
        "is_enterprise_install": False,
        "authed_user": {"id": user_id},
    }


def _connections_open(s: SlackStandin, _p: dict[str, Any]) -> dict[str, Any]:
    with s._lock:
        url = s._state.socket_mode_url
    if url is None:
        return {"ok": False, "error": "socket_mode_not_enabled"}
    return {"ok": True, "url": url}


def _message(p: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "message", "text": p.get("text", "")}
    if "blocks" in p:
        message["blocks"] = p["blocks"]
    return message


def _post_message(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    if not p.get("channel"):
        return {"ok": False, "error": "channel_not_found"}
    if not p.get("text") and not p.get("blocks"):
        return {"ok": False, "error": "no_text"}
    refused = s._dm_refusal(str(p["channel"]))
    if refused is not None:
        return {"ok": False, "error": refused}
    ts = s._ts()
    message = {**_message(p), "ts": ts, "user": s.bot_user_id, "bot_id": s.bot_id}
    return {"ok": True, "channel": _channel_of(p["channel"]), "ts": ts, "message": message}


def _post_ephemeral(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    if not p.get("channel") or not p.get("user"):
        return {
            "ok": False,
            "error": "channel_not_found" if not p.get("channel") else "user_not_found",
        }
    return {"ok": True, "message_ts": s._ts()}


def _update(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    if not p.get("channel") or not p.get("ts"):
        return {"ok": False, "error": "message_not_found"}
    return {
        "ok": True,
        "channel": p["channel"],
        "ts": p["ts"],
        "text": p.get("text", ""),
        "message": _message(p),
    }


def _channel_of(channel: str) -> str:
    # Posting to a user id goes to the app's DM with that user.
    if channel[:1] in ("U", "W"):
        return "D" + channel[1:]
    return channel


def _conversations_open(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    users = str(p.get("users", "")).split(",")
    if len(users) != 1 or users[0][:1] not in ("U", "W"):
        return {"ok": False, "error": "user_not_found"}
    refused = s._dm_refusal(users[0])
    if refused is not None:
        return {"ok": False, "error": refused}
    return {"ok": True, "channel": {"id": _channel_of(users[0]), "is_im": True}}


def _users_info(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    user_id = str(p.get("user", ""))
    with s._lock:
        forgotten = user_id in s._state.unknown_users
    if forgotten or user_id[:1] not in ("U", "W"):
        return {"ok": False, "error": "user_not_found"}
    return {"ok": True, "user": s._user(user_id)}


def _users_lookup_by_email(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    with s._lock:
        user_id = s._state.emails.get(str(p.get("email", "")).strip().lower())
    if user_id is None:
        return {"ok": False, "error": "users_not_found"}
    user = s._user(user_id)
    user["profile"] = {**user["profile"], "email": p["email"]}
    return {"ok": True, "user": user}


def _files_info(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    file_id = str(p.get("file", ""))
    with s._lock:
        stored = s._state.files.get(file_id)
    if stored is None:
        return {"ok": False, "error": "file_not_found"}
    url = f"{s.base_url}/files-pri/{s.team_id}-{file_id}/{quote(stored.name)}"
    return {
        "ok": True,
        "file": {
            "id": file_id,
            "name": stored.name,
            "title": stored.name,
            "filetype": stored.name.rpartition(".")[2].lower(),
            "size": len(stored.content),
            "url_private": url,
            "url_private_download": url + "?download=1",
        },
    }


def _view(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    view = p.get("view")
    if isinstance(view, str):
        view = json.loads(view)
    if not isinstance(view, dict):
        return {"ok": False, "error": "invalid_arguments"}
    view_id = p.get("view_id") or s._next_id("V")
    digest = hashlib.sha1(json.dumps(view, sort_keys=True).encode()).hexdigest()[:12]
    return {
        "ok": True,
        "view": {
            **view,
            "id": view_id,
            "team_id": s.team_id,
            "hash": f"{int(time.time())}.{digest}",
        },
    }


def permalink(channel_id: str, ts: str) -> str:
    """A message's permalink as Slack spells it, in the stand-in's workspace."""
    return f"https://govbot-standin.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"


def _get_permalink(_s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    channel, ts = str(p.get("channel") or ""), str(p.get("message_ts") or "")
    if not channel:
        return {"ok": False, "error": "channel_not_found"}
    if not ts.replace(".", "", 1).isdigit():
        return {"ok": False, "error": "message_not_found"}
    return {"ok": True, "channel": channel, "permalink": permalink(channel, ts)}


def _views_open(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    if not p.get("trigger_id"):
        return {"ok": False, "error": "invalid_trigger_id"}
    return _view(s, p)


def _views_publish(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    if not p.get("user_id"):
        return {"ok": False, "error": "invalid_arguments"}
    return _view(s, p)


def _upload_url(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    if not p.get("filename") or not p.get("length"):
        return {"ok": False, "error": "invalid_arguments"}
    file_id = s._next_id("F")
    return {"ok": True, "upload_url": f"{s.base_url}/upload/{file_id}", "file_id": file_id}


def _complete_upload(s: SlackStandin, p: dict[str, Any]) -> dict[str, Any]:
    files = p.get("files")
    if isinstance(files, str):
        files = json.loads(files)
    if not files:
        return {"ok": False, "error": "invalid_arguments"}
    return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}


_METHODS: dict[str, Callable[[SlackStandin, dict[str, Any]], dict[str, Any]]] = {
    "apps.connections.open": _connections_open,
    "oauth.v2.access": _oauth_v2_access,
    "auth.test": _auth_test,
    "chat.postMessage": _post_message,
    "chat.postEphemeral": _post_ephemeral,
    "chat.update": _update,
    "chat.getPermalink": _get_permalink,
    "conversations.open": _conversations_open,
    "users.info": _users_info,
    "users.lookupByEmail": _users_lookup_by_email,
    "files.info": _files_info,
    "views.open": _views_open,
    "views.update": _view,
    "views.push": _views_open,
    "views.publish": _views_publish,
    "files.getUploadURLExternal": _upload_url,
    "files.completeUploadExternal": _complete_upload,
}


class _Handler(BaseHTTPRequestHandler):
    owner: SlackStandin
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: tests read the recorded calls instead."""

    def do_GET(self) -> None:  # noqa: N802
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    def _handle(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        params: dict[str, Any] = dict(parse_qsl(url.query))
        params.update(_parse_body(headers.get("content-type", ""), body))
        parts = url.path.strip("/").split("/")
        name = None
        if len(parts) == 2 and parts[0] == "api":
            method = parts[1]
        elif len(parts) == 2 and parts[0] == "response":
            method = "response"
            name = self.owner._response_name(parts[1])
            if name is None:
                self._send(404, {"ok": False, "error": "expired_url"})
                return
        elif len(parts) == 3 and parts[0] == "files-pri":
            self._serve_file(parts[1].partition("-")[2], headers)
            return
        elif len(parts) == 2 and parts[0] == "upload":
            method = "upload"
            name = parts[1]
            params = {"file_id": parts[1], "size": len(body)}
        else:
            self._send(404, {"ok": False, "error": "not_found"})
            return
        override = self.owner._record(Call(method, params, headers, name=name, body=body))
        if override is not None:
            self._send(override.status, override.payload, override.headers)
            return
        if method == "response":
            self._send(200, None)
        elif method == "upload":
            self._send(200, None, text=f"OK - {len(body)}")
        elif not self._authorised(method, headers, params):
            self._send(200, {"ok": False, "error": "not_authed"})
        else:
            self._send(200, self.owner.answer(method, {**params, **_credentials(headers)}))

    def _serve_file(self, file_id: str, headers: dict[str, str]) -> None:
        """A file's bytes, to a request bearing a bot token (as Slack's files-pri does)."""
        call = Call("download", {"file": file_id}, headers, name=file_id)
        override = self.owner._record(call)
        if override is not None:
            self._send(override.status, override.payload, override.headers)
            return
        with self.owner._lock:
            stored = self.owner._state.files.get(file_id)
        if not (call.token or "").startswith("xoxb-"):
            self._send(403, None, text="a bot token is needed")
        elif stored is None:
            self._send(404, None, text="no such file")
        else:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(stored.content)))
            self.end_headers()
            self.wfile.write(stored.content)

    @staticmethod
    def _authorised(method: str, headers: dict[str, str], params: dict[str, Any]) -> bool:
        """A bot token (xox…), or for apps.connections.open only an app-level one (xapp-…);
        oauth.v2.access checks the app's own credentials instead."""
        if method == "oauth.v2.access":
            return True
        auth = headers.get("authorization", "")
        token = auth[7:] if auth.lower().startswith("bearer ") else str(params.get("token", ""))
        return token.startswith("xapp-" if method == "apps.connections.open" else "xox")

    def _send(
        self,
        status: int,
        payload: dict[str, Any] | None,
        extra_headers: dict[str, str] | None = None,
        text: str = "ok",
    ) -> None:
        if payload is None:
            data, content_type = text.encode(), "text/plain; charset=utf-8"
        else:
            data, content_type = json.dumps(payload).encode(), "application/json; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (extra_headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


# The key under which a method's handler finds the token the call was made with.
_TOKEN = "token"


def _credentials(headers: dict[str, str]) -> dict[str, str]:
    """What the Authorization header carries: a bearer token, or (HTTP Basic, as slack_sdk
    sends oauth.v2.access) the app's client id and secret."""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return {_TOKEN: auth[7:]}
    if auth.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return {}
        return {"client_id": client_id, "client_secret": secret}
    return {}


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Form fields or a JSON object, the way Slack reads them; JSON-looking form values
    (blocks, view, files) are decoded so tests can read them as data."""
    if not body:
        return {}
    if content_type.startswith("application/json"):
        parsed = json.loads(body)
        return parsed if isinstance(parsed, dict) else {}
    if content_type.startswith("application/x-www-form-urlencoded"):
        try:
            text = body.decode()
        except UnicodeDecodeError:
            return {}  # a file's bytes: slack_sdk uploads them with urllib's default form type
        fields: dict[str, Any] = dict(parse_qsl(text, keep_blank_values=True))
        for key in ("blocks", "view", "files", "attachments"):
            if isinstance(fields.get(key), str) and fields[key][:1] in ("[", "{"):
                fields[key] = json.loads(fields[key])
        return fields
    return {}
