"""A small world for the scheduled-job tests: plans, owners, actions, risks, feedback, wins
and challenges written straight to the tables, with the dates each test needs."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from governance.actions.models import Action
from governance.actor import Actor
from governance.challenges.models import Challenge
from governance.database import UnitOfWork
from governance.feedback.models import Feedback
from governance.inputs import validate
from governance.models import MemberPreference, Plan, Role
from governance.plans.inputs import PlanSetup
from governance.plans.numbering import next_number
from governance.plans.use_cases import setup_plan
from governance.risks.models import Risk
from governance.wins.models import Win, WinPerson
from tests.slack_faults import FaultyStandin
from tests.slack_harness import BOT_TOKEN, harness_settings

if TYPE_CHECKING:
    from bot.jobs import JobRunner

TEAM = "T0GOVBOT"
LEAD = "U0LEAD"
BOARD = "C0BOARD"


def at(text: str) -> datetime:
    """An aware instant from ISO text (`2026-11-23T09:00+00:00`); naive text is UTC."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class World:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def plan(
        self,
        name: str = "Wessex Vale ICS workforce plan",
        *,
        channel: str = "C0PLAN",
        lead: str = LEAD,
        board: str | None = BOARD,
        timezone: str = "Europe/London",
        nudge_time: time | None = None,
        digest_weekday: int | None = None,
        digest_time: time | None = None,
        quiet_weekends: bool | None = None,
        anonymity_threshold: int | None = None,
    ) -> int:
        actor = Actor(team_id=TEAM, user_id=lead, channel_id=channel)
        view = setup_plan(self.uow, actor, validate(PlanSetup, name=name, timezone=timezone))
        settings = {
            "board_channel_id": board,
            "nudge_time": nudge_time,
            "digest_weekday": digest_weekday,
            "digest_time": digest_time,
            "quiet_weekends": quiet_weekends,
            "anonymity_threshold": anonymity_threshold,
        }
        with self.uow.transaction() as session:
            plan = session.get(Plan, view.id)
            assert plan is not None
            for field, value in settings.items():
                if value is not None or field == "board_channel_id":
                    setattr(plan, field, value)
        return view.id

    def role(self, plan_id: int, user_id: str, role: str) -> None:
        with self.uow.transaction() as session:
            session.add(Role(plan_id=plan_id, user_id=user_id, role=role))

    def action(
        self,
        plan_id: int,
        owner: str | None,
        *,
        title: str | None = None,
        due: date | None = None,
        status: str = "on-track",
        progress: int = 0,
        function: int | None = None,
        updated: datetime | None = None,
        completed: datetime | None = None,
        snoozed_until: date | None = None,
    ) -> str:
        now = self.uow.now()
        with self.uow.transaction() as session:
            number = next_number(session, plan_id, "action")
            action = Action(
                plan_id=plan_id,
                number=number,
                title=title or f"Action {number}",
                owner_id=owner,
                due_date=due,
                status=status,
                progress=progress,
                function_id=function,
                created_by=LEAD,
                created_at=updated or now,
                updated_by=owner or LEAD,
                updated_at=updated or now,
                completed_at=completed,
                snoozed_until=snoozed_until,
            )
            session.add(action)
            session.flush()
            return action.ref

    def risk(
        self,
        plan_id: int,
        owner: str | None,
        *,
        likelihood: int = 3,
        impact: int = 3,
        review: date | None = None,
        status: str = "open",
        title: str | None = None,
    ) -> str:
        now = self.uow.now()
        with self.uow.transaction() as session:
            number = next_number(session, plan_id, "risk")
            risk = Risk(
                plan_id=plan_id,
                number=number,
                title=title or f"Risk {number}",
                owner_id=owner,
                likelihood=likelihood,
                impact=impact,
                review_date=review,
                status=status,
                created_by=LEAD,
                created_at=now,
                updated_by=LEAD,
                updated_at=now,
            )
            session.add(risk)
            session.flush()
            return risk.ref

    def feedback(
        self,
        plan_id: int,
        source: str = "staff",
        *,
        function: int | None = None,
        text: str = "The rota changes helped",
        answer: str | None = None,
        created: datetime | None = None,
    ) -> str:
        now = self.uow.now()
        with self.uow.transaction() as session:
            item = Feedback(
                plan_id=plan_id,
                number=next_number(session, plan_id, "feedback"),
                source=source,
                text=text,
                function_id=function,
                anonymous=True,
                created_at=created or now,
                answer=answer,
                answered_by=LEAD if answer else None,
                answered_at=now if answer else None,
            )
            session.add(item)
            session.flush()
            return item.ref

    def win(
        self,
        plan_id: int,
        text: str,
        *,
        people: tuple[str, ...] = (),
        function: int | None = None,
        created: datetime | None = None,
    ) -> str:
        with self.uow.transaction() as session:
            win = Win(
                plan_id=plan_id,
                number=next_number(session, plan_id, "win"),
                text=text,
                function_id=function,
                created_by=LEAD,
                created_at=created or self.uow.now(),
            )
            win.people = [WinPerson(user_id=person) for person in people]
            session.add(win)
            session.flush()
            return win.ref

    def challenge(self, plan_id: int, ref: str, question: str, asked_by: str = "U0CHAIR") -> None:
        with self.uow.transaction() as session:
            model = Action if ref.startswith("A") else Risk
            subject = session.scalars(
                select(model).where(model.plan_id == plan_id, model.number == int(ref[2:]))
            ).one()
            session.add(
                Challenge(
                    plan_id=plan_id,
                    action_id=subject.id if model is Action else None,
                    risk_id=subject.id if model is Risk else None,
                    asked_by=asked_by,
                    question=question,
                    asked_at=self.uow.now(),
                )
            )

    def preferences(
        self,
        plan_id: int,
        user_id: str,
        *,
        days: str | None = None,
        away_until: date | None = None,
        timezone: str | None = None,
    ) -> None:
        with self.uow.transaction() as session:
            plan = session.get(Plan, plan_id)
            assert plan is not None
            row = session.scalar(
                select(MemberPreference).where(
                    MemberPreference.workspace_id == plan.workspace_id,
                    MemberPreference.user_id == user_id,
                )
            )
            if row is None:
                row = MemberPreference(workspace_id=plan.workspace_id, user_id=user_id)
                session.add(row)
            if days is not None:
                row.working_days = days
            row.away_until = away_until
            row.timezone = timezone


def govbot_jobs_run(
    tmp_path: Path, database_url: str, standin: FaultyStandin, job: str, at: str
) -> subprocess.Popen[str]:
    """`govbot jobs run JOB --at AT` as its own process: Slack's retry waits run in full."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": standin.api_url,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "jobs", "run", job, "--at", at],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def sent_messages(standin: FaultyStandin, channel: str | None = None) -> list[dict[str, Any]]:
    """What chat.postMessage sent (to `channel`, a user id for a DM), in order."""
    return [
        call.params
        for call in standin.calls_to("chat.postMessage")
        if channel is None or call.params.get("channel") == channel
    ]


def block_ids(message: dict[str, Any]) -> list[str]:
    return [str(block.get("block_id", "")) for block in message.get("blocks", [])]


def message_text(message: dict[str, Any]) -> str:
    """Every piece of text in a message's blocks, joined, for asserting on wording."""
    parts: list[str] = [message.get("text", "")]
    for block in message.get("blocks", []):
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text.get("text", ""))
        parts.extend(e.get("text", "") for e in block.get("elements", []) if "text" in e)
    return "\n".join(str(part) for part in parts)


@pytest.fixture
def world(uow: UnitOfWork) -> World:
    return World(uow)


@pytest.fixture
def runner(uow: UnitOfWork, standin: FaultyStandin, database_url: str) -> JobRunner:
    """The job runner as deployed (retrying Web API client), sending to the stand-in."""
    from bot.jobs import JobRunner  # matplotlib is slow to import; most tests never need it
    from bot.slack_client import make_web_client

    client = make_web_client(harness_settings(database_url, standin.api_url))
    return JobRunner(uow, client)
