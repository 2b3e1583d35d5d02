"""What keeps the public form safe: signed form tokens against cross-site posting, the
response headers, and the shortened token the access log shows.

The form needs no cookie: each form carries a token signed with the server's key, naming
the link and when the form was made, and a post whose browser says it came from another
site is refused. Nothing here remembers a person.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

# A form left open on a ward's tablet for a shift can still be sent.
FORM_TOKEN_SECONDS = 12 * 60 * 60
LOGGED_TOKEN_CHARS = 4

HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


class FormTokens:
    """Signs and checks the hidden token each form carries."""

    def __init__(self, key: bytes, clock: Callable[[], float] = time.time) -> None:
        self._key = key
        self._clock = clock

    def make(self, link_token: str) -> str:
        issued = str(int(self._clock()))
        return f"{issued}.{self._sign(link_token, issued)}"

    def check(self, link_token: str, form_token: str) -> bool:
        issued, _, signature = form_token.partition(".")
        if not issued.isdigit() or not signature:
            return False
        age = self._clock() - int(issued)
        if not 0 <= age <= FORM_TOKEN_SECONDS:
            return False
        return hmac.compare_digest(signature, self._sign(link_token, issued))

    def _sign(self, link_token: str, issued: str) -> str:
        message = f"{link_token}|{issued}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


def came_from_elsewhere(environ: Mapping[str, Any]) -> bool:
    """Whether the browser says the post was sent from another site."""
    site = environ.get("HTTP_SEC_FETCH_SITE")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = environ.get("HTTP_ORIGIN")
    # The form's own pages send no referrer, so browsers post them with Origin "null":
    # Sec-Fetch-Site above, and the signed form token, speak for those.
    if origin is None or origin == "null":
        return False
    return urlsplit(origin).netloc.lower() != str(environ.get("HTTP_HOST", "")).lower()


def logged_path(path: str, prefix: str) -> str:
    """The path as the access log shows it: a link token cut to its first few characters."""
    if not path.startswith(prefix):
        return path
    token, slash, rest = path[len(prefix) :].partition("/")
    if len(token) > LOGGED_TOKEN_CHARS:
        token = token[:LOGGED_TOKEN_CHARS] + "…"
    return prefix + token + slash + rest
