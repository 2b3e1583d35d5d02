"""Signing requests as Slack does, for everything that plays Slack: tests and benchmarks.

headers = signed_headers(body, "application/x-www-form-urlencoded")
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"


def signature_headers(
    body: bytes, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    """The headers Slack signs a request with (v0 HMAC-SHA256 of "v0:<ts>:<body>")."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def signed_headers(
    body: bytes, content_type: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    """All the headers of a request Slack sends with `body`: its type and signature."""
    return {
        "Content-Type": content_type,
        **signature_headers(body, timestamp=timestamp, secret=secret),
    }
