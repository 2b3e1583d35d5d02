"""Values typed as people type them, over signed HTTP: dates with spaces and in govbot's own
display format, BRAG letters as statuses, and a command too long to read given back whole."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from bot.grammar import MAX_COMMAND_TEXT
from governance.actions.models import Action
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import MemberPreference
from governance.plans.use_cases import setup_plan
from governance.risks.models import Risk
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks

SAM = "U0SAM"


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    """Alice leads a plan in the harness channel; the clock says Monday 23 November 2026."""
    return setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon")).id


def reply(bot: BotServer, command: str, text: str) -> dict[str, Any]:
    answer = bot.slash_reply(command, text)
    assert_valid_blocks(answer)
    return answer


def actions(uow: UnitOfWork) -> list[Action]:
    with uow.transaction() as session:
        return list(session.scalars(select(Action).order_by(Action.number)))


def test_the_readmes_example_with_an_unquoted_date_adds_the_action(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    answer = reply(
        bot_server,
        "/action",
        f'add "Recruit 40 international nurses" owner:<@{SAM}|sam> function:supply due:31 Mar',
    )
    assert "A-1 added" in answer["text"]
    [action] = actions(uow)
    assert (action.title, action.owner_id, action.due_date) == (
        "Recruit 40 international nurses",
        SAM,
        date(2027, 3, 31),
    )


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Fri 4 Dec 2026", date(2026, 12, 4)),
        ("next friday", date(2026, 12, 4)),
        ("w/c 7 Dec", date(2026, 12, 7)),
        ("end of March", date(2027, 3, 31)),
        ("Q3", date(2026, 12, 31)),
        ('"Thursday 24th December"', date(2026, 12, 24)),
    ],
)
def test_an_update_reads_a_due_date_written_as_govbot_shows_dates(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int, typed: str, expected: date
) -> None:
    reply(bot_server, "/action", 'add "Staff passport" due:2027-06-01')
    answer = reply(bot_server, "/action", f'update A-1 due:{typed} "Moved at the board"')
    assert "A-1 updated" in answer["text"]
    [action] = actions(uow)
    assert action.due_date == expected


def test_a_date_that_does_not_read_is_refused_saying_how_to_write_it(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    answer = reply(bot_server, "/action", 'add "Staff passport" due:31 Marhc')
    assert "I couldn't read “31 Marhc” as a date for `due:`." in answer["text"]
    assert 'due:\\"next friday\\"' in json.dumps(answer["blocks"])
    assert actions(uow) == []


def test_a_review_date_and_an_away_date_with_spaces_are_read(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply(bot_server, "/risk", 'add "Winter pressures" likelihood:3 impact:4 review:end of March')
    reply(bot_server, "/plan", "settings me away:Thu 24 Dec 2026")
    with uow.transaction() as session:
        risk = session.scalars(select(Risk)).one()
        preference = session.scalars(select(MemberPreference)).one()
        assert (risk.review_date, preference.away_until) == (date(2027, 3, 31), date(2026, 12, 24))


@pytest.mark.parametrize(
    "letter, status",
    [("R", "off-track"), ("a", "at-risk"), ("G", "on-track"), ("b", "done"), ("Closed", "done")],
)
def test_brag_letters_and_closed_are_statuses(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int, letter: str, status: str
) -> None:
    reply(bot_server, "/action", 'add "Staff passport"')
    answer = reply(bot_server, "/action", f"update A-1 status:{letter}")
    assert "A-1" in answer["text"]
    assert actions(uow)[0].status == status


def test_a_command_too_long_to_read_is_refused_and_given_back_whole(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    title = "Recruit <nurses> & midwives " * 400
    typed = f'add "{title}" share:x' + '"' * 2_000
    answer = reply(bot_server, "/risk", typed)
    assert f"That is {len(typed):,} characters" in answer["text"]
    assert f"at most {MAX_COMMAND_TEXT:,}" in answer["text"]
    given_back = "".join(
        block["text"]["text"]
        for block in answer["blocks"]
        if block["type"] == "section" and block["text"]["type"] == "plain_text"
    )
    assert given_back == typed
    with uow.transaction() as session:
        assert session.scalars(select(Risk)).all() == []
