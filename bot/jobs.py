"""Sending what the scheduled jobs compose: nudges and escalations by direct message, the
digest to the plan's board channel with its chart.

Each pass asks governance what is due at its "now", and `deliver` claims every message
before this module sends it, so a message goes once however many passes run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.rendering import command_prefix, render
from bot.settings import Settings
from bot.slack_client import make_web_client
from documents.digest_chart import chart_alt_text, rag_chart_png
from documents.measure_chart import concern_chart_png, measure_chart_alt_text
from governance.actions.status import ActionStatus
from governance.database import UnitOfWork, make_engine
from governance.feedback.retention import RetentionReport, erase_expired_feedback
from governance.jobs.delivery import RunReport, deliver
from governance.jobs.digest import due_digests
from governance.jobs.escalation import due_escalations
from governance.jobs.nudges import due_nudges
from governance.jobs.parallel_delivery import SENDS_IN_FLIGHT, deliver_in_parallel
from governance.jobs.people import people_to_locate, remember_timezones
from governance.jobs.risk_review import due_risk_reviews
from governance.jobs.views import DigestView, LeadAlertView, NudgeView
from governance.orm import utcnow
from governance.schema import require_current_schema

JOBS = ("nudges", "digest", "risk-review")
# People whose Slack timezone is looked up in one pass; the rest wait for the next.
LOCATE_LIMIT = 200
# "You said, we did" answers the digest shows in full.
ANSWERS_SHOWN = 5
ALERT_TEMPLATES = {
    "escalation": "escalation_actions.json.j2",
    "risk-review": "escalation_risks.json.j2",
}

log = logging.getLogger("govbot.jobs")


def nudge_message(nudge: NudgeView) -> dict[str, Any]:
    return render("nudge_message.json.j2", nudge=nudge)


def alert_message(alert: LeadAlertView) -> dict[str, Any]:
    return render(ALERT_TEMPLATES[alert.kind], alert=alert)


def digest_message(digest: DigestView, *, preview: bool = False) -> dict[str, Any]:
    return render(
        "digest_message.json.j2",
        digest=digest,
        preview=preview,
        statuses=ActionStatus,
        answers_shown=ANSWERS_SHOWN,
    )


class JobRunner:
    """Runs one pass of a job at the unit of work's "now", sending through `client`.

    `command_prefix` spells the commands its messages name (GOVBOT_COMMAND_PREFIX); None
    keeps the one in force, for a command that posts the digest itself.
    """

    def __init__(
        self, uow: UnitOfWork, client: WebClient, *, command_prefix: str | None = None
    ) -> None:
        self.uow = uow
        self.client = client
        self.command_prefix = command_prefix

    def _commands(self) -> AbstractContextManager[None]:
        if self.command_prefix is None:
            return nullcontext()
        return command_prefix(self.command_prefix)

    def run(self, job: str, plan_ids: Iterable[int] | None = None) -> RunReport:
        """One pass of "nudges" (with escalations), "risk-review" or "digest"."""
        scope = None if plan_ids is None else list(plan_ids)
        if job == "nudges":
            self.locate_people(scope)
            nudges = due_nudges(self.uow, scope)
            report = deliver_in_parallel(self.uow, "nudges", nudges, self.send_nudge)
            escalations = due_escalations(self.uow, scope)
            return report.merge(
                deliver_in_parallel(self.uow, "nudges", escalations, self.send_alert)
            )
        if job == "risk-review":
            self.locate_people(scope)
            reviews = due_risk_reviews(self.uow, scope)
            return deliver_in_parallel(self.uow, job, reviews, self.send_alert)
        if job == "digest":
            return deliver(self.uow, job, due_digests(self.uow, scope), self.send_digest)
        raise ValueError(f"unknown job {job!r}; use one of {', '.join(JOBS)}")

    def post_digest(self, digest: DigestView) -> RunReport:
        """Post a digest composed on demand (`/plan digest post`), once."""
        return deliver(self.uow, "digest", [digest], self.send_digest)

    def locate_people(self, plan_ids: list[int] | None) -> None:
        """Cache the Slack timezone of owners and leads not looked up yet, a few at a time."""
        people = people_to_locate(self.uow, plan_ids)[:LOCATE_LIMIT]
        if not people:
            return
        with ThreadPoolExecutor(SENDS_IN_FLIGHT, thread_name_prefix="govbot-users") as pool:
            zones = list(pool.map(self.timezone_of, (user_id for _, user_id in people)))
        remember_timezones(
            self.uow, {person: tz for person, tz in zip(people, zones, strict=True) if tz}
        )

    def timezone_of(self, user_id: str) -> str | None:
        """The person's timezone as Slack has it, or None when Slack cannot say now."""
        try:
            user = self.client.users_info(user=user_id)["user"]
        except (SlackClientError, OSError) as exc:  # refused, failing, unreachable, slow
            log.warning("users.info failed; using the plan's timezone for now: %s", exc)
            return None
        return str(user["tz"]) if isinstance(user, dict) and user.get("tz") else None

    def send_nudge(self, nudge: NudgeView) -> None:
        with self._commands():
            message = nudge_message(nudge)
        self.client.chat_postMessage(channel=nudge.owner_id, **message)

    def send_alert(self, alert: LeadAlertView) -> None:
        with self._commands():
            message = alert_message(alert)
        self.client.chat_postMessage(channel=alert.lead_id, **message)

    def send_digest(self, digest: DigestView) -> None:
        """Post the digest, then its chart; a chart that fails to upload is only logged."""
        channel = digest.board_channel_id
        if channel is None:  # due_digests composes none without a board channel
            raise ValueError(f"plan {digest.plan_id} has no board channel to post its digest to")
        with self._commands():
            message = digest_message(digest)
        self.client.chat_postMessage(channel=channel, **message)
        name = digest.week or f"{digest.until:%Y-%m-%d}"
        try:
            self.client.files_upload_v2(
                channel=channel,
                file=rag_chart_png(digest),
                filename=f"digest-{name}.png",
                title=f"Actions by status and people function, {name}",
                alt_txt=chart_alt_text(digest)[:1000],
            )
        except Exception as exc:  # noqa: BLE001 - the digest is out; a missing chart must not re-post it
            log.warning("the digest for plan %s posted without its chart: %s", digest.plan_id, exc)
        if digest.measures_of_concern:
            self.send_concern_chart(digest, name)

    def send_concern_chart(self, digest: DigestView, name: str) -> None:
        """The digest's one chart of the measures showing concern; a failure is only logged."""
        concern = digest.measures_of_concern
        try:
            self.client.files_upload_v2(
                channel=digest.board_channel_id,
                file=concern_chart_png(concern),
                filename=f"digest-{name}-measures.png",
                title=f"Workforce measures showing special cause concern, {name}",
                alt_txt=" ".join(measure_chart_alt_text(m) for m in concern)[:1000],
            )
        except Exception as exc:  # noqa: BLE001 - as above: the digest is out
            log.warning(
                "the digest for plan %s posted without its measures chart: %s", digest.plan_id, exc
            )


@contextmanager
def unit_of_work_at(settings: Settings, at: datetime | None) -> Iterator[UnitOfWork]:
    """A unit of work on a current schema whose "now" is `at` (naive: GOVBOT_TIMEZONE)."""
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo(settings.timezone))
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        clock = (lambda: at.astimezone(UTC)) if at is not None else utcnow
        yield UnitOfWork(engine, clock=clock)
    finally:
        engine.dispose()


def run_once(settings: Settings, job: str, at: datetime | None = None) -> RunReport:
    """`govbot jobs run JOB [--at ...]`: one pass, as if at `at` (naive: GOVBOT_TIMEZONE)."""
    settings.require("slack_bot_token")
    with unit_of_work_at(settings, at) as uow:
        runner = JobRunner(uow, make_web_client(settings), command_prefix=settings.command_prefix)
        return runner.run(job)


def run_retention(settings: Settings, at: datetime | None = None) -> RetentionReport:
    """`govbot jobs run retention [--at ...]`: erase feedback text past each plan's period.

    It sends nothing, so it needs no Slack token.
    """
    with unit_of_work_at(settings, at) as uow:
        return erase_expired_feedback(uow)
