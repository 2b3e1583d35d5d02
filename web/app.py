"""The public feedback form's routes, as a small WSGI app on the standard library alone.

    GET  /f/<token>          the form (404 unknown, 410 revoked)
    POST /f/<token>          send it: 303 to the thank-you page, or the form again with
                             what was wrong and everything typed kept
    GET  /f/<token>/thanks   the thank-you page
    GET  /f/static/form.css  the one stylesheet

Every answer carries the security headers; the access log names the method, the path with
the token cut short, and the status — never an address, a user agent or what was typed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qs

from pydantic import ValidationError

from governance.database import UnitOfWork
from governance.errors import InputInvalid, NotFound, Unavailable
from governance.feedback.models import TEXT_MAX
from governance.feedback_links.inputs import FeedbackFormSend
from governance.feedback_links.rules import FORM_PATH
from governance.feedback_links.use_cases import (
    LinkRevoked,
    feedback_form_page,
    send_feedback_form,
)
from web.pages import render_page
from web.rate_limits import ClientKeys, Limit, SlidingWindow
from web.security import HEADERS, FormTokens, came_from_elsewhere, logged_path

StartResponse = Callable[..., Any]
Environ = dict[str, Any]

MAX_BODY_BYTES = 32 * 1024
HONEYPOT = "website"
STATIC = "static"
STYLESHEET = "form.css"

log = logging.getLogger("govbot.web")


@dataclass(frozen=True)
class FormLimits:
    """How many posts a client (one address) and a link may send in a window.

    A ward's shared tablet, or a whole hospital behind one address, is one client.
    """

    per_client: Limit = field(default_factory=lambda: Limit(60, 10 * 60))
    per_link: Limit = field(default_factory=lambda: Limit(300, 60 * 60))


@dataclass(frozen=True)
class Answer:
    status: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = "text/html; charset=utf-8"


class FeedbackFormApp:
    """The WSGI app serving everything under /f/."""

    def __init__(self, uow: UnitOfWork, key: bytes, limits: FormLimits | None = None) -> None:
        self.uow = uow
        self.tokens = FormTokens(key)
        limits = limits or FormLimits()
        self.per_client = SlidingWindow(limits.per_client)
        self.per_link = SlidingWindow(limits.per_link)
        self.client_key = ClientKeys()
        self.stylesheet = (files("web") / "templates" / STYLESHEET).read_bytes()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        started = time.monotonic()
        path = str(environ.get("PATH_INFO", ""))
        method = str(environ.get("REQUEST_METHOD", ""))
        try:
            answer = self.route(environ, path, method)
        except Unavailable:
            answer = notice("503 Service Unavailable", "unavailable")
        except Exception as exc:  # noqa: BLE001 - a person gets a page, the log gets no text
            log.error("the feedback form failed with %s", type(exc).__name__)
            answer = notice("500 Internal Server Error", "failed")
        log.info(
            "%s %s %s %.0fms",
            method,
            logged_path(path, FORM_PATH) if not self._is_static(path) else path,
            answer.status.split(" ", 1)[0],
            (time.monotonic() - started) * 1000,
        )
        body = b"" if method == "HEAD" else answer.body
        start_response(
            answer.status,
            [
                ("Content-Type", answer.content_type),
                ("Content-Length", str(len(answer.body))),
                ("Cache-Control", "no-store" if not self._is_static(path) else "max-age=86400"),
                *HEADERS,
                *answer.headers,
            ],
        )
        return [body]

    def route(self, environ: Environ, path: str, method: str) -> Answer:
        parts = path[len(FORM_PATH) :].split("/") if path.startswith(FORM_PATH) else []
        if self._is_static(path):
            return self._only(method, "GET", self._stylesheet)
        if len(parts) == 1 and parts[0]:
            token = parts[0]
            if method == "POST":
                return self.send(environ, token)
            return self._only(method, "GET, POST", lambda: self.form(token))
        if len(parts) == 2 and parts[1] == "thanks":
            return self._only(method, "GET", lambda: self.thanks(parts[0]))
        return notice("404 Not Found", "unknown")

    def form(self, token: str, status: str = "200 OK", **shown: Any) -> Answer:
        try:
            page = feedback_form_page(self.uow, token)
        except LinkRevoked:
            return notice("410 Gone", "revoked")
        except NotFound:
            return notice("404 Not Found", "unknown")
        context = {"values": {}, "errors": {}, **shown}
        body = render_page(
            "form.html.j2",
            page=page,
            action=FORM_PATH + token,
            form_token=self.tokens.make(token),
            honeypot=HONEYPOT,
            **context,
        )
        return Answer(status, body)

    def send(self, environ: Environ, token: str) -> Answer:
        if came_from_elsewhere(environ):
            return notice("403 Forbidden", "elsewhere")
        size = _content_length(environ)
        if size is None or size > MAX_BODY_BYTES:
            return notice("413 Content Too Large", "too_large")
        for window, key in (
            (self.per_client, self.client_key(str(environ.get("REMOTE_ADDR", "")))),
            (self.per_link, token),
        ):
            wait = window.allow(key)
            if wait is not None:
                return notice(
                    "429 Too Many Requests", "busy", headers=(("Retry-After", f"{wait:.0f}"),)
                )
        fields = _form_fields(environ["wsgi.input"].read(size))
        if fields is None:
            return notice("400 Bad Request", "unreadable")
        values = {name: fields.get(name, "") for name in ("source", "rating", "text")}
        if not self.tokens.check(token, fields.get("form_token", "")):
            return self.form(token, "403 Forbidden", values=values, errors={"again": True})
        if fields.get(HONEYPOT):
            # Only a robot fills the field people can't see: it is thanked, nothing is kept.
            return _see_thanks(token)
        errors: dict[str, str] = {}
        try:
            data = FeedbackFormSend.model_validate({**values, "rating": values["rating"] or None})
            send_feedback_form(self.uow, token, data)
        except ValidationError as exc:
            errors = _field_errors(exc, values["text"])
        except InputInvalid as exc:
            errors = {exc.field: exc.message}
        except LinkRevoked:
            return notice("410 Gone", "revoked")
        except NotFound:
            return notice("404 Not Found", "unknown")
        if errors:
            return self.form(token, "400 Bad Request", values=values, errors=errors)
        return _see_thanks(token)

    def thanks(self, token: str) -> Answer:
        try:
            page = feedback_form_page(self.uow, token)
        except LinkRevoked:
            return notice("410 Gone", "revoked")
        except NotFound:
            return notice("404 Not Found", "unknown")
        return Answer("200 OK", render_page("thanks.html.j2", page=page, again=FORM_PATH + token))

    def _stylesheet(self) -> Answer:
        return Answer("200 OK", self.stylesheet, content_type="text/css; charset=utf-8")

    @staticmethod
    def _is_static(path: str) -> bool:
        return path == f"{FORM_PATH}{STATIC}/{STYLESHEET}"

    @staticmethod
    def _only(method: str, allowed: str, answer: Callable[[], Answer]) -> Answer:
        if method in allowed.split(", ") or (method == "HEAD" and "GET" in allowed):
            return answer()
        return notice("405 Method Not Allowed", "method", headers=(("Allow", allowed),))


def notice(status: str, kind: str, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    """A plain page that says what happened, in words anyone can follow."""
    return Answer(status, render_page("notice.html.j2", kind=kind), headers)


def _see_thanks(token: str) -> Answer:
    return Answer("303 See Other", b"", (("Location", f"{FORM_PATH}{token}/thanks"),))


def _content_length(environ: Environ) -> int | None:
    try:
        size = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    return size if size >= 0 else None


def _form_fields(body: bytes) -> dict[str, str] | None:
    """The posted form's fields (the first of each name), or None if it can't be read."""
    try:
        parsed = parse_qs(
            body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=20
        )
    except (UnicodeDecodeError, ValueError):
        return None
    return {name: values[0] for name, values in parsed.items()}


def _field_errors(exc: ValidationError, text: str) -> dict[str, str]:
    """Each refused field with what to do, in the form's own plain words."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "text"
        if name == "source":
            errors[name] = "Choose who you are."
        elif name == "rating":
            errors[name] = "Choose one answer."
        elif error["type"] == "string_too_long":
            errors[name] = (
                f"Your message is too long. It can be up to {TEXT_MAX} letters, "
                f"and it is {len(text.strip())}. Please make it shorter."
            )
        else:
            errors[name] = "Write what you would like to tell the team."
    return errors
