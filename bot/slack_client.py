"""The Web API client govbot uses: Slack's URL (or a stand-in), the bot token, bounded retries."""

from __future__ import annotations

import json
import logging
import re
import time

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.metrics import CountingWebClient
from bot.settings import Settings

TIMEOUT_SECONDS = 10
MAX_RETRIES = 2

TOKEN_PATTERN = re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+")


class RedactSecrets(logging.Filter):
    """Blanks Slack tokens, and any secret named, out of every record a logger emits."""

    def __init__(self, *secrets: str | None) -> None:
        super().__init__()
        # A very short "secret" would blank out ordinary words; real ones are long.
        self._secrets = [secret for secret in secrets if secret and len(secret) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = TOKEN_PATTERN.sub("[redacted token]", message)
        for secret in self._secrets:
            redacted = redacted.replace(secret, "[redacted]")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class WithoutBodies(logging.Filter):
    """Cuts the SDK's DEBUG lines about each request and response down to what was called
    and how it went: their parameters and bodies hold user ids (an anonymous feedback
    giver's among them, in an ephemeral reply) and what people wrote."""

    _CUTS = (
        ("Sending a request - ", ", query_params:"),
        ("Received the following response - ", ", headers:"),
    )

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for start, cut in self._CUTS:
            if message.startswith(start) and cut in message:
                record.msg, record.args = message.split(cut, 1)[0], None
        return True


def secrets_of(settings: Settings) -> tuple[str | None, ...]:
    """What no log line may show: the signing secret, the tokens, OAuth's secret and key."""
    return (
        settings.slack_signing_secret,
        settings.slack_bot_token,
        settings.slack_app_token,
        settings.slack_client_secret,
        settings.token_key,
    )


def quiet_logger(name: str, settings: Settings) -> logging.Logger:
    """The named logger, redacting tokens and these settings' secrets from what it emits."""
    named = logging.getLogger(name)
    for old in [f for f in named.filters if isinstance(f, RedactSecrets)]:
        named.removeFilter(old)
    named.addFilter(RedactSecrets(*secrets_of(settings)))
    return named


def make_web_client(settings: Settings) -> WebClient:
    """A WebClient that waits out 429s (honouring Retry-After) and retries 5xx and lost
    connections, each at most MAX_RETRIES times."""
    logger = quiet_logger("govbot.slack", settings)
    if not any(isinstance(f, WithoutBodies) for f in logger.filters):
        logger.addFilter(WithoutBodies())
    client = CountingWebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=TIMEOUT_SECONDS,
        logger=logger,
    )
    client.retry_handlers = [
        RateLimitErrorRetryHandler(max_retry_count=MAX_RETRIES),
        ServerErrorRetryHandler(max_retry_count=MAX_RETRIES),
        ConnectionErrorRetryHandler(max_retry_count=MAX_RETRIES),
    ]
    return client


class JsonLines(logging.Formatter):
    """One JSON object per record (GOVBOT_LOG_FORMAT=json), for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


JsonLines.converter = time.gmtime  # type: ignore[assignment]


def configure_logging(settings: Settings, level: int = logging.INFO) -> None:
    """Log to stderr for an operator, with tokens and secrets redacted from every record."""
    handler = logging.StreamHandler()
    handler.addFilter(RedactSecrets(*secrets_of(settings)))
    if settings.log_format == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    logging.getLogger("alembic").setLevel(logging.WARNING)
