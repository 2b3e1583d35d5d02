"""A message in the person's DM with govbot that says how slow work is going, edited as it
goes and finally replaced by the answer (Slack cannot edit an ephemeral message)."""

from __future__ import annotations

import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.command_router import Reply, log_failure

# chat.update is rate limited (tier 3, about 50 a minute): say how it goes at most this often.
UPDATE_EVERY_SECONDS = 1.0


class ProgressMessage:
    """A message govbot posted (`channel`, `ts`), kept up to date with how work goes."""

    def __init__(self, client: WebClient, channel: str, ts: str) -> None:
        self.client = client
        self.channel = channel
        self.ts = ts
        self._last = time.monotonic()

    @classmethod
    def post(cls, client: WebClient, user_id: str, text: str) -> ProgressMessage:
        """Start one in the person's DM with govbot, saying `text`."""
        posted = client.chat_postMessage(channel=user_id, text=text)
        return cls(client, str(posted["channel"]), str(posted["ts"]))

    def update(self, text: str) -> None:
        """Say how it goes, unless it was said less than a second ago."""
        if time.monotonic() - self._last < UPDATE_EVERY_SECONDS:
            return
        self._last = time.monotonic()
        try:
            self.client.chat_update(channel=self.channel, ts=self.ts, text=text)
        except SlackApiError as exc:
            log_failure("updating a progress message", exc)

    def finish(self, reply: Reply) -> None:
        """Replace the progress with the answer."""
        self.client.chat_update(channel=self.channel, ts=self.ts, **reply.message())
