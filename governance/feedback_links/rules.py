"""What makes a feedback link: its token, its address, and whether it is still in use.

The "in use" rule lives here only.
"""

from __future__ import annotations

import re
import secrets

from governance.feedback_links.models import TOKEN_LENGTH, FeedbackLink

FORM_PATH = "/f/"
# 24 random bytes: 192 bits, far past guessing, in 32 URL-safe characters.
_TOKEN_BYTES = TOKEN_LENGTH * 3 // 4
_TOKEN_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")


def new_token() -> str:
    """An unguessable token for a new link's address."""
    return secrets.token_urlsafe(_TOKEN_BYTES)


def is_token_shaped(text: str) -> bool:
    """Whether `text` could be a token at all (so anything else is refused unread)."""
    return len(text) == TOKEN_LENGTH and all(
        c.isascii() and (c.isalnum() or c in "-_") for c in text
    )


def address(public_url: str, token: str) -> str:
    """The link's full address under govbot's public URL."""
    return public_url.rstrip("/") + FORM_PATH + token


def is_in_use(link: FeedbackLink) -> bool:
    return link.revoked_at is None
