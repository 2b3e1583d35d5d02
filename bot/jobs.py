"""Sending what the scheduled jobs compose: nudges and escalations by direct message, the
digest to the plan's board channel with its chart, and the monthly board paper as a PDF.

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
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.installations import WorkspaceClients, WorkspaceNotInstalled, installation_store
from bot.people_names import names_for
from bot.rendering import command_prefix, render
from bot.settings import Settings
from bot.slack_client import make_web_client
from documents.board_paper import board_paper_pdf
from documents.digest_chart import chart_alt_text, rag_chart_png
from documents.measure_chart import concern_chart_png, measure_chart_alt_text
from governance.actions.status import ActionStatus
from governance.board_papers.use_cases import due_board_papers
from governance.board_papers.views import BoardPaperView
from governance.database import UnitOfWork, make_engine
from governance.feedback.retention import RetentionReport, erase_expired_feedback
from governance.jobs.delivery import RunReport, deliver
from governance.jobs.digest import due_digests
from governance.jobs.escalation import due_escalations
from governance.jobs.issue_escalation import due_issue_escalations
from governance.jobs.nudges import due_nudges, nudge_sent
from governance.jobs.parallel_delivery import SENDS_IN_FLIGHT, deliver_in_parallel
from governance.jobs.people import people_to_locate, remember_timezones
from governance.jobs.risk_review import due_risk_reviews
from governance.jobs.unreachable import (
    UnreachableOwnerView,
    plan_channels,
    unreachable_owner_notices,
)
from governance.jobs.views import DigestView, LeadAlertView, NudgeView
from governance.jobs.workspaces import plan_workspaces
from governance.orm import utcnow
from governance.schema import require_current_schema

JOBS = ("nudges", "digest", "risk-review", "report")
# People whose Slack timezone is looked up in one pass; the rest wait for the next.
LOCATE_LIMIT = 200
# "You said, we did" answers the digest shows in full.
ANSWERS_SHOWN = 5
ALERT_TEMPLATES = {
    "escalation": "escalation_actions.json.j2",
    "risk-review": "escalation_risks.json.j2",
    "issue-escalation": "escalation_issues.json.j2",
}
# What Slack answers (conversations.open and chat.postMessage document these) when it will
# not deliver a direct message to a person: an external member of a Slack Connect channel,
# DMs to apps closed, a person it will not show. Their nudge goes to the plan's channel.
NOT_BY_DM = frozenset(
    {
        "channel_not_found",
        "messages_tab_disabled",
        "restricted_action",
        "user_disabled",
        "user_not_found",
        "user_not_visible",
    }
)
# chat.postEphemeral's answers for a channel the person (or govbot) is not in: try the next.
NOT_IN_CHANNEL = frozenset({"channel_not_found", "not_in_channel", "user_not_in_channel"})

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
    keeps the one in force, for a command that posts the digest itself. With `workspaces`
    (OAuth mode) each plan's messages go with its own workspace's token, and the plans of a
    workspace without one (uninstalled, revoked) are left until it has one again.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        client: WebClient,
        *,
        command_prefix: str | None = None,
        workspaces: WorkspaceClients | None = None,
    ) -> None:
        self.uow = uow
        self.client = client
        self.command_prefix = command_prefix
        self.workspaces = workspaces
        # This pass's client for each plan, and for each workspace (OAuth mode).
        self._plan_clients: dict[int, WebClient] = {}
        self._workspace_clients: dict[int, WebClient] = {}

    def _commands(self) -> AbstractContextManager[None]:
        if self.command_prefix is None:
            return nullcontext()
        return command_prefix(self.command_prefix)

    def run(self, job: str, plan_ids: Iterable[int] | None = None) -> RunReport:
        """One pass of "nudges" (with escalations of actions and issues), "risk-review",
        "digest" or "report"."""
        scope = None if plan_ids is None else list(plan_ids)
        if self.workspaces is not None:
            scope = self._installed_plans(self.workspaces, scope)
        if job == "nudges":
            self.locate_people(scope)
            nudges = due_nudges(self.uow, scope)
            report = deliver_in_parallel(
                self.uow, "nudges", nudges, self.send_nudge, on_sent=nudge_sent
            )
            escalations = due_escalations(self.uow, scope)
            report = report.merge(
                deliver_in_parallel(self.uow, "nudges", escalations, self.send_alert)
            )
            issues = due_issue_escalations(self.uow, scope)
            return report.merge(deliver_in_parallel(self.uow, "nudges", issues, self.send_alert))
        if job == "risk-review":
            self.locate_people(scope)
            reviews = due_risk_reviews(self.uow, scope)
            return deliver_in_parallel(self.uow, job, reviews, self.send_alert)
        if job == "digest":
            return deliver(self.uow, job, due_digests(self.uow, scope), self.send_digest)
        if job == "report":
            papers = due_board_papers(self.uow, scope)
            return deliver(self.uow, job, papers, self.send_board_paper)
        raise ValueError(f"unknown job {job!r}; use one of {', '.join(JOBS)}")

    def post_digest(self, digest: DigestView) -> RunReport:
        """Post a digest composed on demand (`/plan digest post`), once."""
        return deliver(self.uow, "digest", [digest], self.send_digest)

    def post_board_paper(self, paper: BoardPaperView) -> RunReport:
        """Post a board paper made on demand (`/plan report post`), once."""
        return deliver(self.uow, "report", [paper], self.send_board_paper)

    def _installed_plans(self, workspaces: WorkspaceClients, scope: list[int] | None) -> list[int]:
        """The plans of `scope` (every plan when None) whose workspace has a bot token, each
        one's client noted for this pass; nothing of the others is claimed or sent."""
        by_team: dict[str, WebClient | None] = {}
        self._plan_clients, self._workspace_clients = {}, {}
        for place in plan_workspaces(self.uow):
            if scope is not None and place.plan_id not in scope:
                continue
            if place.team_id not in by_team:
                try:
                    by_team[place.team_id] = workspaces.for_team(place.team_id)
                except WorkspaceNotInstalled as exc:
                    log.info("%s; its plans' messages wait until it is installed again", exc)
                    by_team[place.team_id] = None
            client = by_team[place.team_id]
            if client is not None:
                self._plan_clients[place.plan_id] = client
                self._workspace_clients[place.workspace_id] = client
        return list(self._plan_clients)

    def _client_for_plan(self, plan_id: int) -> WebClient:
        return self._plan_clients.get(plan_id, self.client)

    def locate_people(self, plan_ids: list[int] | None) -> None:
        """Cache the Slack timezone of owners and leads not looked up yet, a few at a time."""
        people = people_to_locate(self.uow, plan_ids)[:LOCATE_LIMIT]
        if not people:
            return
        with ThreadPoolExecutor(SENDS_IN_FLIGHT, thread_name_prefix="govbot-users") as pool:
            zones = list(pool.map(lambda person: self.timezone_of(*person), people))
        remember_timezones(
            self.uow, {person: tz for person, tz in zip(people, zones, strict=True) if tz}
        )

    def timezone_of(self, workspace_id: int, user_id: str) -> str | None:
        """The person's timezone as Slack has it, or None when Slack cannot say now."""
        client = self._workspace_clients.get(workspace_id, self.client)
        try:
            user = client.users_info(user=user_id)["user"]
        except (SlackClientError, OSError) as exc:  # refused, failing, unreachable, slow
            log.warning("users.info failed; using the plan's timezone for now: %s", exc)
            return None
        return str(user["tz"]) if isinstance(user, dict) and user.get("tz") else None

    def send_nudge(self, nudge: NudgeView) -> None:
        with self._commands():
            message = nudge_message(nudge)
        client = self._client_for_plan(nudge.plan_id)
        try:
            client.chat_postMessage(channel=nudge.owner_id, **message)
        except SlackApiError as exc:
            if exc.response.get("error") not in NOT_BY_DM:
                raise
            self.nudge_in_channel(client, nudge, message, exc)

    def nudge_in_channel(
        self, client: WebClient, nudge: NudgeView, message: dict[str, Any], refused: Exception
    ) -> None:
        """Show an owner Slack will not DM their nudge in the plan's channel, to them alone,
        then tell the plan's leads once; raises `refused` when no channel of the plan has them."""
        for channel in plan_channels(self.uow, nudge.plan_id):
            try:
                client.chat_postEphemeral(channel=channel, user=nudge.owner_id, **message)
            except SlackApiError as exc:
                if exc.response.get("error") in NOT_IN_CHANNEL:
                    continue
                raise
            notices = unreachable_owner_notices(self.uow, nudge.plan_id, nudge.owner_id, channel)
            deliver(self.uow, "nudges", notices, lambda notice: self.send_notice(client, notice))
            return
        raise refused

    def send_notice(self, client: WebClient, notice: UnreachableOwnerView) -> None:
        with self._commands():
            message = render("unreachable_owner.json.j2", notice=notice)
        client.chat_postMessage(channel=notice.lead_id, **message)

    def send_alert(self, alert: LeadAlertView) -> None:
        with self._commands():
            message = alert_message(alert)
        self._client_for_plan(alert.plan_id).chat_postMessage(channel=alert.lead_id, **message)

    def send_digest(self, digest: DigestView) -> None:
        """Post the digest, then its chart; a chart that fails to upload is only logged."""
        channel = digest.board_channel_id
        if channel is None:  # due_digests composes none without a board channel
            raise ValueError(f"plan {digest.plan_id} has no board channel to post its digest to")
        with self._commands():
            message = digest_message(digest)
        client = self._client_for_plan(digest.plan_id)
        client.chat_postMessage(channel=channel, **message)
        name = digest.week or f"{digest.until:%Y-%m-%d}"
        try:
            client.files_upload_v2(
                channel=channel,
                file=rag_chart_png(digest),
                filename=f"digest-{name}.png",
                title=f"Actions by status and people function, {name}",
                alt_txt=chart_alt_text(digest)[:1000],
            )
        except Exception as exc:  # noqa: BLE001 - the digest is out; a missing chart must not re-post it
            log.warning("the digest for plan %s posted without its chart: %s", digest.plan_id, exc)
        if digest.measures_of_concern:
            self.send_concern_chart(client, digest, name)

    def send_board_paper(self, paper: BoardPaperView) -> None:
        """Upload the paper as a PDF to the plan's board channel."""
        if paper.board_channel_id is None:  # none is made to post without a board channel
            raise ValueError(f"plan {paper.plan_id} has no board channel to post its paper to")
        client = self._client_for_plan(paper.plan_id)
        client.files_upload_v2(
            channel=paper.board_channel_id,
            file=board_paper_pdf(paper, paper_names(client, paper)),
            filename=paper.filename,
            title=paper.title,
            initial_comment=f"The board paper for {paper.period.name}"
            + (" (a draft: the month has not ended)." if paper.draft else "."),
        )

    def send_concern_chart(self, client: WebClient, digest: DigestView, name: str) -> None:
        """The digest's one chart of the measures showing concern; a failure is only logged."""
        concern = digest.measures_of_concern
        try:
            client.files_upload_v2(
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


def paper_names(client: WebClient, paper: BoardPaperView) -> dict[str, str]:
    """Names for the people a board paper names (owners, proposers and deciders)."""
    return names_for(client, paper.figures.people_named(), "a board paper")


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


def job_runner(settings: Settings, uow: UnitOfWork, client: WebClient) -> JobRunner:
    """The runner `govbot serve`, `scheduler` and `jobs run` send with: the one bot token, or
    in OAuth mode each plan's workspace's own."""
    store = installation_store(settings, uow.engine) if settings.oauth else None
    return JobRunner(
        uow,
        client,
        command_prefix=settings.command_prefix,
        workspaces=None if store is None else WorkspaceClients(client, store),
    )


def run_once(settings: Settings, job: str, at: datetime | None = None) -> RunReport:
    """`govbot jobs run JOB [--at ...]`: one pass, as if at `at` (naive: GOVBOT_TIMEZONE)."""
    settings.require_tokens()
    with unit_of_work_at(settings, at) as uow:
        return job_runner(settings, uow, make_web_client(settings)).run(job)


def run_retention(settings: Settings, at: datetime | None = None) -> RetentionReport:
    """`govbot jobs run retention [--at ...]`: erase feedback text past each plan's period.

    It sends nothing, so it needs no Slack token.
    """
    with unit_of_work_at(settings, at) as uow:
        return erase_expired_feedback(uow)
