"""Anonymous feedback is unrecoverable: its giver's user id is kept nowhere, logged nowhere."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.feedback.inputs import FeedbackAnswer, FeedbackGive, FeedbackList
from governance.feedback.models import Feedback
from governance.feedback.use_cases import answer_feedback, give_feedback, list_feedback
from governance.inputs import validate
from governance.models import Base
from governance.plans.inputs import PlanSetup
from governance.plans.use_cases import setup_plan
from tests.slack_harness import CHANNEL, TEAM_ID, BotServer

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
# An id no other value in the database or the logs could contain by chance.
GIVER_ID = "UANON7QXZ"
GIVER = Actor(team_id="T1", user_id=GIVER_ID, channel_id="CPLAN")
LOGGERS = ("", "sqlalchemy", "governance", "bot", "slack_bolt", "slack_sdk")


def rows_holding(engine: Engine, needle: str) -> list[str]:
    """Every row, in every table, whose values mention `needle` anywhere."""
    found = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                if needle in repr(tuple(row)):
                    found.append(f"{table.name}: {tuple(row)!r}")
    return found


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture every log record at DEBUG, SQL statements and their parameters included."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def logged_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    return setup_plan(uow, LEAD, validate(PlanSetup, name="Devon")).id


def test_anonymous_feedback_stores_no_user_id(
    uow: UnitOfWork, engine: Engine, plan_id: int
) -> None:
    view = give_feedback(
        uow,
        GIVER,
        validate(FeedbackGive, source="staff", text="Bullying on ward 4", anonymous=True),
    )
    assert view.author_id is None and view.anonymous
    with uow.transaction() as session:
        feedback = session.scalars(select(Feedback)).one()
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "feedback")).one()
        assert feedback.author_id is None
        assert (entry.ref, entry.verb, entry.actor_id) == ("F-1", "give", None)
        assert entry.detail == {"source": "staff", "anonymous": True}
    assert rows_holding(engine, GIVER_ID) == []


def test_named_feedback_is_found_by_the_same_scan(
    uow: UnitOfWork, engine: Engine, plan_id: int
) -> None:
    give_feedback(uow, GIVER, validate(FeedbackGive, source="staff", text="Named"))
    assert len(rows_holding(engine, GIVER_ID)) == 2  # the feedback row and its audit entry


def test_giving_reading_and_answering_anonymous_feedback_logs_no_user_id(
    uow: UnitOfWork, engine: Engine, plan_id: int, debug_logs: pytest.LogCaptureFixture
) -> None:
    give_feedback(
        uow,
        GIVER,
        validate(FeedbackGive, source="carer", text="No respite", rating="poor", anonymous=True),
    )
    listing = list_feedback(uow, LEAD, validate(FeedbackList))
    answer_feedback(uow, LEAD, validate(FeedbackAnswer, feedback="F-1", text="Respite fund"))
    assert listing.items[0].author_id is None
    assert "INSERT INTO feedback" in logged_text(debug_logs)  # the capture really saw the SQL
    assert GIVER_ID not in logged_text(debug_logs)
    assert rows_holding(engine, GIVER_ID) == []


def test_the_log_capture_would_see_a_named_giver(
    uow: UnitOfWork, plan_id: int, debug_logs: pytest.LogCaptureFixture
) -> None:
    give_feedback(uow, GIVER, validate(FeedbackGive, source="staff", text="Named"))
    assert GIVER_ID in logged_text(debug_logs)


def test_the_database_refuses_an_anonymous_row_with_an_author(
    uow: UnitOfWork, plan_id: int
) -> None:
    with pytest.raises(IntegrityError), uow.transaction() as session:
        session.add(
            Feedback(
                plan_id=plan_id,
                number=1,
                source="staff",
                text="x",
                anonymous=True,
                author_id=GIVER_ID,
            )
        )


SLACK_GIVER = "U0ANON9QZ"


def settled(bot: BotServer) -> None:
    """Wait for every listener's work after its acknowledgement, so all its logs are in."""
    bot.app.listener_runner.listener_executor.shutdown(wait=True)  # type: ignore[attr-defined]


@pytest.fixture
def slack_plan(uow: UnitOfWork) -> int:
    lead = Actor(team_id=TEAM_ID, user_id="U0LEAD", channel_id=CHANNEL)
    return setup_plan(uow, lead, validate(PlanSetup, name="Devon")).id


def test_anonymous_feedback_over_slack_leaves_its_giver_nowhere(
    bot_server: BotServer, engine: Engine, slack_plan: int, debug_logs: pytest.LogCaptureFixture
) -> None:
    reply = bot_server.slash_reply(
        "/feedback", 'staff "My manager ignores rota requests" anonymous', user_id=SLACK_GIVER
    )
    assert "no one — including admins — can see who gave it" in json.dumps(
        reply, ensure_ascii=False
    )
    metadata = bot_server.sealed(
        {"plan_id": slack_plan, "channel_id": CHANNEL}, user_id=SLACK_GIVER
    )
    submitted = bot_server.submit(
        "feedback_give",
        {
            "feedback_source": {"type": "static_select", "selected_option": {"value": "staff"}},
            "feedback_text": "Night shifts are unsafe",
            "feedback_anonymous": {
                "type": "checkboxes",
                "selected_options": [{"value": "anonymous"}],
            },
        },
        private_metadata=metadata,
        user_id=SLACK_GIVER,
    )
    assert submitted.json()["response_action"] == "update"
    settled(bot_server)
    assert "INSERT INTO feedback" in logged_text(debug_logs)
    assert SLACK_GIVER not in logged_text(debug_logs)
    assert rows_holding(engine, SLACK_GIVER) == []
    with engine.connect() as connection:
        assert connection.execute(select(Feedback.anonymous)).scalars().all() == [True, True]


def test_named_feedback_over_slack_is_seen_by_the_same_checks(
    bot_server: BotServer, engine: Engine, slack_plan: int, debug_logs: pytest.LogCaptureFixture
) -> None:
    bot_server.slash_reply("/feedback", 'staff "Named"', user_id=SLACK_GIVER)
    settled(bot_server)
    assert SLACK_GIVER in logged_text(debug_logs)
    assert rows_holding(engine, SLACK_GIVER) != []
