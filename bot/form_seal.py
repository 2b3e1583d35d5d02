"""A form's context, sealed when govbot opens the form and checked when it comes back.

A form acts on the plan it was opened for (and the record and version it showed), and
answers in the channel it was opened from. That context travels in the view's
`private_metadata`, which a forged submission can rewrite: so when govbot opens a form it
adds `seal`, an HMAC over the context and the workspace and person it was opened for, with
a key derived from the signing secret. `bot/interactions.py` reads a submission's context
only when its seal matches; nothing else about the form needs keeping on the server.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from governance.actor import Actor

SEAL = "seal"
_KEY_PURPOSE = b"govbot form context v1"


def form_key(signing_secret: str) -> bytes:
    """The key forms are sealed with: the signing secret's, kept apart from its other use."""
    return hmac.new(signing_secret.encode(), _KEY_PURPOSE, hashlib.sha256).digest()


def seal_view(view: dict[str, Any], key: bytes, actor: Actor) -> dict[str, Any]:
    """The view about to be opened for `actor`, its context sealed; the channel it is opened
    from joins the context unless the form already names one."""
    try:
        context = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        context = None
    if not isinstance(context, dict):
        raise ValueError("a form's private_metadata must be a JSON object")
    context.pop(SEAL, None)
    if actor.channel_id and "channel_id" not in context:
        context["channel_id"] = actor.channel_id
    sealed = {**context, SEAL: _seal(context, key, actor)}
    return {**view, "private_metadata": json.dumps(sealed)}


def unsealed(metadata: Mapping[str, Any], key: bytes, actor: Actor) -> dict[str, Any] | None:
    """The context without its seal when the seal is govbot's for `actor`; otherwise None."""
    context = {name: value for name, value in metadata.items() if name != SEAL}
    given = metadata.get(SEAL)
    if not isinstance(given, str):
        return None
    return context if hmac.compare_digest(given, _seal(context, key, actor)) else None


def _seal(context: Mapping[str, Any], key: bytes, actor: Actor) -> str:
    # The same context, however a client re-serialises it, and only for whom it was opened.
    canonical = json.dumps(context, sort_keys=True, separators=(",", ":"))
    message = "\n".join((canonical, actor.team_id, actor.user_id)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
