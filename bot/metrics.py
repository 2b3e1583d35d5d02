"""Prometheus metrics (`GET /metrics` when GOVBOT_METRICS=on).

Labels hold only fixed vocabularies: request kinds, command names, outcomes, job names, Web
API method names and Slack's error codes. Never user text, never user, channel or team ids.
The series are always counted (it costs little); they are served only when switched on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

METRICS_PATH = "/metrics"
# Slack waits 3 s for an acknowledgement; the buckets are finest below that.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
# What a request body's `type` may say; anything else is counted as "other".
KINDS = frozenset(
    {"block_actions", "view_submission", "view_closed", "shortcut", "message_action"}
    | {"event_callback", "url_verification"}
)

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "govbot_requests",
    "Requests on POST /slack/events by kind and outcome (ok, refused, client_error, error).",
    ["kind", "outcome"],
    registry=REGISTRY,
)
ACK_SECONDS = Histogram(
    "govbot_ack_seconds",
    "Seconds from a Slack request arriving to its HTTP acknowledgement.",
    ["kind"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
ANSWER_SECONDS = Histogram(
    "govbot_answer_seconds",
    "Seconds from a slash command reaching its listener to its answer being sent.",
    ["command", "outcome"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
SCHEDULED_RUNS = Counter(
    "govbot_scheduled_runs",
    "Scheduled job passes by job and outcome (ok, failed_sends, error).",
    ["job", "outcome"],
    registry=REGISTRY,
)
SLACK_API_ERRORS = Counter(
    "govbot_slack_api_errors",
    "Web API calls that failed, by method and Slack's error code (or the exception's type).",
    ["method", "error"],
    registry=REGISTRY,
)
DATABASE_UNAVAILABLE = Counter(
    "govbot_database_unavailable",
    "Times the database could not be reached, by where it was noticed.",
    ["where"],
    registry=REGISTRY,
)
DATABASE_UP = Gauge(
    "govbot_database_up",
    "1 when the database answered the last health check or scrape, else 0.",
    registry=REGISTRY,
)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


REQUEST_KIND = "govbot.request_kind"
"""Where the events endpoint leaves the kind of a signed body it read, for the count."""


def request_kind(body: dict[str, Any]) -> str:
    """slash_command, a payload's type, or an Events API body's type; else "other"."""
    if "command" in body:
        return "slash_command"
    kind = body.get("type")
    return kind if kind in KINDS else "other"


def _outcome(status: str) -> str:
    code = int(status.split(" ", 1)[0])
    if code < 400:
        return "ok"
    if code == 401:
        return "refused"
    return "client_error" if code < 500 else "error"


def count_slack_requests(app: WSGIApp) -> WSGIApp:
    """Wrap the /slack/events app: count each request by kind and outcome, time its ack.

    The kind is the one `app` read from a body whose signature held (`REQUEST_KIND`), so the
    body is read once, and never one Slack did not sign (a refused one counts as kind
    "unverified").
    """

    def counted(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.monotonic()
        seen: list[str] = []

        def recording(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            seen.append(status)
            return start_response(status, headers, *rest)

        try:
            result = app(environ, recording)
        except Exception:
            REQUESTS.labels(_kind(environ, seen), "error").inc()
            raise
        kind = _kind(environ, seen)
        REQUESTS.labels(kind, _outcome(seen[0]) if seen else "error").inc()
        ACK_SECONDS.labels(kind).observe(time.monotonic() - started)
        return result

    return counted


def _kind(environ: dict[str, Any], seen: list[str]) -> str:
    if not seen or _outcome(seen[0]) == "refused":
        return "unverified"
    return str(environ.get(REQUEST_KIND, "other"))


def metrics_response(start_response: StartResponse, database_up: bool) -> list[bytes]:
    """The exposition, with the database checked at scrape time."""
    DATABASE_UP.set(1 if database_up else 0)
    if not database_up:
        DATABASE_UNAVAILABLE.labels("metrics").inc()
    body = generate_latest(REGISTRY)
    start_response(
        "200 OK",
        [
            ("Content-Type", CONTENT_TYPE_LATEST),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]


def health_checked(healthy: bool) -> None:
    DATABASE_UP.set(1 if healthy else 0)
    if not healthy:
        DATABASE_UNAVAILABLE.labels("healthz").inc()


class CountingWebClient(WebClient):
    """A WebClient that counts each failed Web API call by method and error."""

    def api_call(self, api_method: str, *args: Any, **kwargs: Any) -> SlackResponse:
        try:
            return super().api_call(api_method, *args, **kwargs)
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            SLACK_API_ERRORS.labels(api_method, str(error or "unknown")[:64]).inc()
            raise
        except Exception as exc:
            SLACK_API_ERRORS.labels(api_method, type(exc).__name__).inc()
            raise
