"""Property-based fuzzing of every id a signed request carries, over HTTP.

Ids of every shape — real ones, `not-a-user`, `<!here>`, `x<!channel>`, mentions, lower case,
trailing newlines, 40 characters, any text — in the people a form names (owners, the people
a win credits), the channel a form's sealed context names, who clicks or submits, in which
workspace and where, and every button's value. Whatever arrives: no 5xx and no traceback;
a refused change leaves the database as it was; and whatever was stored, every list, show,
export, digest and nudge of the plan still renders afterwards.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.command_router import SORRY_TEXT
from bot.jobs import JobRunner
from bot.slack_client import make_web_client
from governance.actions.models import Action, ActionUpdateEntry
from governance.audit.models import AuditEntry
from governance.challenges.models import Challenge
from governance.risks.models import Risk
from governance.wins.models import Win, WinPerson
from tests.conftest import Clock
from tests.slack_harness import CHANNEL, TEAM_ID, BotServer, HttpResult, assert_valid_blocks

LEAD = "U0ALICE"
BOB = "U0BOB"
BOARD = "C0BOARD"
EXAMPLES = 20
# The Monday after the fuzzing, three weeks on: every action is stale, so everyone with one
# is nudged, and the weekly digest is due.
LATER = datetime(2026, 12, 14, 10, 0, tzinfo=UTC)

ODD_IDS = [
    "not-a-user",
    "<!here>",
    "x<!channel>",
    "<!everyone>",
    "<@U0BOB>",
    "U0BOB>",
    "U0BOB&amp;",
    "u0bob",
    "U0BOB\n",
    " U0BOB",
    "U" + "A" * 40,
    "U",
    "",
    "C0PLAN",
    "T0GOVBOT",
    "D0ALICE",
    "U0BOB|bob",
    "\u00dc0BOB",
]
USER_IDS = st.one_of(
    st.sampled_from([LEAD, BOB, "W0GRID"]),
    st.from_regex(r"[UW][A-Z0-9]{1,12}", fullmatch=True),
    st.sampled_from(ODD_IDS),
    st.text(max_size=24),
)
CHANNEL_IDS = st.one_of(st.just(CHANNEL), st.sampled_from(["G0PRIVATE", "D0ALICE", *ODD_IDS]))
TEAM_IDS = st.one_of(st.just(TEAM_ID), st.sampled_from(["E0GRID", "T0<!here>", "", "t0govbot"]))
REFS = st.sampled_from(["A-1", "A-2", "R-1", "W-1", "A-99"])
BUTTONS = (
    "action_done",
    "snooze_week",
    "action_update",
    "action_challenge",
    "risk_update",
    "risk_challenge",
    "challenge_answer",
)


def users_select(user_id: str) -> dict[str, Any]:
    return {"type": "users_select", "selected_user": user_id}


def selected(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def action_values(people: list[str]) -> dict[str, Any]:
    return {"title": "Fuzz", "owner": users_select(people[0]), "note": "Fuzz"}


def risk_values(people: list[str]) -> dict[str, Any]:
    return {
        "title": "Fuzz",
        "likelihood": selected("3"),
        "impact": selected("3"),
        "owner": users_select(people[0]),
    }


def win_values(people: list[str]) -> dict[str, Any]:
    credited = {"type": "multi_users_select", "selected_users": people}
    return {"win_text": "Fuzz", "win_people": credited}


# Each form with an input that names people: the context govbot opens it with, its values.
FORMS: dict[str, tuple[dict[str, Any], Callable[[list[str]], dict[str, Any]]]] = {
    "action_add": ({"plan_id": 1}, action_values),
    "action_update": ({"plan_id": 1, "ref": "A-1"}, action_values),
    "risk_add": ({"plan_id": 1}, risk_values),
    "risk_update": ({"plan_id": 1, "ref": "R-1"}, risk_values),
    "win_add": ({"plan_id": 1}, win_values),
}

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def bot(bot_server: BotServer, caplog: pytest.LogCaptureFixture) -> BotServer:
    """Alice leads a plan with a board channel, A-1 and A-2 (hers), R-1, a challenge on A-1,
    and A-3, Bob's, which no button here touches (so someone is always nudged)."""
    caplog.set_level(logging.WARNING)
    for command, text in (
        ("/plan", 'setup "Devon workforce plan"'),
        ("/plan", f"board <#{BOARD}|people-board>"),
        ("/action", 'add "Staff passport" due:2026-12-31'),
        ("/action", 'add "Rotation scheme"'),
        ("/action", f'add "Retention survey" owner:<@{BOB}>'),
        ("/risk", 'add "Winter pressures" likelihood:3 impact:3'),
        ("/action", 'challenge A-1 "Is this still on track?"'),
    ):
        reply = bot_server.slash_reply(command, text)
        assert reply["text"] != SORRY_TEXT, (command, reply)
    return bot_server


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


def state(bot: BotServer) -> tuple[Any, ...]:
    """Everything a change could touch, to tell a refused request left it all alone."""
    with bot.uow.transaction() as session:
        counts = tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Action, ActionUpdateEntry, Risk, Win, WinPerson, Challenge, AuditEntry)
        )
        actions = session.execute(
            select(Action.number, Action.owner_id, Action.version).order_by(Action.number)
        ).all()
        risks = session.execute(
            select(Risk.number, Risk.owner_id, Risk.version).order_by(Risk.number)
        ).all()
        return counts, tuple(actions), tuple(risks)


def refused(result: HttpResult) -> bool:
    assert result.status in (200, 400), result
    return result.status == 400 or (
        bool(result.body) and result.json().get("response_action") == "errors"
    )


def test_ids_of_any_shape_in_forms_and_buttons_are_refused_or_stored_readably(
    bot: BotServer, caplog: pytest.LogCaptureFixture, clock: Clock
) -> None:
    outcomes: set[str] = set()

    @FUZZ
    @example("win_add", [BOB], LEAD, TEAM_ID, CHANNEL)  # stored
    @example("action_add", ["not-a-user"], LEAD, TEAM_ID, CHANNEL)  # refused
    @given(
        callback_id=st.sampled_from(sorted(FORMS)),
        people=st.lists(USER_IDS, min_size=1, max_size=3),
        submitter=USER_IDS,
        team=TEAM_IDS,
        channel=CHANNEL_IDS,
    )
    def submitted(
        callback_id: str, people: list[str], submitter: str, team: str, channel: str
    ) -> None:
        context, values = FORMS[callback_id]
        metadata = bot.sealed({**context, "channel_id": channel}, user_id=submitter, team_id=team)
        before = state(bot)
        result = bot.submit(
            callback_id,
            values(people),
            private_metadata=metadata,
            user_id=submitter,
            team_id=team,
        )
        if refused(result):
            assert state(bot) == before, (callback_id, people, submitter, team, channel)
            outcomes.add("form refused")
        elif state(bot) != before:
            outcomes.add("form stored")
        assert errors_logged(caplog) == [], (callback_id, people, submitter, team, channel)

    @FUZZ
    @example("snooze_week", "A-1", LEAD, TEAM_ID, CHANNEL)  # answered
    @example("action_done", "A-1", "<!here>", TEAM_ID, CHANNEL)  # refused
    @given(
        action_id=st.sampled_from(BUTTONS),
        ref=REFS,
        clicker=USER_IDS,
        team=TEAM_IDS,
        channel=CHANNEL_IDS,
    )
    def clicked(action_id: str, ref: str, clicker: str, team: str, channel: str) -> None:
        forms_opened = len(bot.standin.calls_to("views.open"))
        before = state(bot)
        sent = bot.click(action_id, f"1:{ref}", user_id=clicker, team_id=team, channel_id=channel)
        if refused(sent.result):
            assert state(bot) == before, (action_id, ref, clicker, team, channel)
            outcomes.add("click refused")
        else:
            outcomes.add("click answered")
            bot.standin.wait_for(
                lambda: (
                    bot.standin.responses(sent.response_name)
                    or len(bot.standin.calls_to("views.open")) > forms_opened
                ),
                timeout=10,
            )
        assert errors_logged(caplog) == [], (action_id, ref, clicker, team, channel)

    submitted()
    clicked()
    assert outcomes == {"form refused", "form stored", "click refused", "click answered"}
    every_reader_renders(bot, clock)
    assert errors_logged(caplog) == []


def every_reader_renders(bot: BotServer, clock: Clock) -> None:
    """Every list, show, export and the digest preview answer with a valid message, not an
    apology; then, weeks later, the nudges and the weekly digest all go out."""
    with bot.uow.transaction() as session:
        actions = session.scalars(select(Action.number)).all()
        risks = session.scalars(select(Risk.number)).all()
    readers = [
        ("/action", "list"),
        ("/risk", "list"),
        ("/win", "list"),
        ("/plan", ""),
        ("/plan", "export actions"),
        ("/plan", "export risks"),
        ("/plan", "digest"),
        *(("/action", f"show A-{n}") for n in actions),
        *(("/risk", f"show R-{n}") for n in risks),
    ]
    for command, text in readers:
        reply = bot.slash_reply(command, text, user_id=LEAD)
        assert_valid_blocks(reply)
        assert reply["text"] != SORRY_TEXT, (command, text, json.dumps(reply))
    clock.set(LATER)
    runner = JobRunner(bot.uow, make_web_client(bot.settings))
    for job in ("nudges", "digest"):
        report = runner.run(job)
        assert report.failed == [] and report.sent, (job, report)
