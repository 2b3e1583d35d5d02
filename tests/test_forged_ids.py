"""Every id that comes from Slack — the people a form names, and who acted, where, in which
workspace — is checked before any use case runs. A signed but forged request naming anything
else is refused: a form says so beside the input, nothing is stored, and every list of the
plan stays readable for everyone."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.command_router import SORRY_TEXT
from governance.actions.models import Action
from governance.risks.models import Risk
from governance.wins.models import Win
from tests.slack_harness import BotServer, assert_valid_blocks

BOB = "U0BOB"


@pytest.fixture
def bot(bot_server: BotServer) -> BotServer:
    """Alice leads a plan in the harness channel."""
    bot_server.slash_reply("/plan", 'setup "Devon workforce plan"')
    return bot_server


def stored(bot: BotServer, model: type[Action] | type[Risk] | type[Win]) -> int:
    with bot.uow.transaction() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def listed(bot: BotServer, command: str) -> dict[str, Any]:
    reply = bot.slash_reply(command, "list")
    assert_valid_blocks(reply)
    assert reply["text"] != SORRY_TEXT
    return reply


def refused_on(result: Any, block: str) -> str:
    assert result.status == 200, result
    answer = result.json()
    assert answer["response_action"] == "errors", answer
    assert list(answer["errors"]) == [block], answer
    return str(answer["errors"][block])


def selected(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def test_an_action_form_naming_no_person_as_owner_is_refused_beside_the_owner(
    bot: BotServer,
) -> None:
    form = bot.open_form("/action")
    values = {
        "title": "Staff passport",
        "owner": {"type": "users_select", "selected_user": "not-a-user"},
    }
    result = bot.submit("action_add", values, private_metadata=form["private_metadata"])
    message = refused_on(result, "owner")
    assert "not a person in this workspace" in message and "not-a-user" in message
    assert stored(bot, Action) == 0
    assert "No actions" in json.dumps(listed(bot, "/action"))


def test_a_win_form_crediting_an_at_here_is_refused_beside_the_people(bot: BotServer) -> None:
    form = bot.open_form("/win")
    values = {
        "win_text": "Rotation scheme agreed",
        "win_people": {"type": "multi_users_select", "selected_users": [BOB, "<!here>"]},
    }
    result = bot.submit("win_add", values, private_metadata=form["private_metadata"])
    assert "not a person in this workspace" in refused_on(result, "win_people")
    assert stored(bot, Win) == 0
    listed(bot, "/win")


def test_a_risk_form_naming_a_broadcast_as_owner_is_refused_beside_the_owner(
    bot: BotServer,
) -> None:
    form = bot.open_form("/risk", "add")
    values = {
        "title": "Winter pressures",
        "likelihood": selected("3"),
        "impact": selected("4"),
        "owner": {"type": "users_select", "selected_user": "x<!channel>"},
    }
    result = bot.submit("risk_add", values, private_metadata=form["private_metadata"])
    assert "not a person in this workspace" in refused_on(result, "owner")
    assert stored(bot, Risk) == 0
    listed(bot, "/risk")


def test_the_same_forms_naming_real_people_are_stored(bot: BotServer) -> None:
    form = bot.open_form("/action")
    owner = {"type": "users_select", "selected_user": BOB}
    result = bot.submit(
        "action_add",
        {"title": "Staff passport", "owner": owner},
        private_metadata=form["private_metadata"],
    )
    assert (result.status, result.body) == (200, b"")
    assert "Staff passport" in json.dumps(listed(bot, "/action"))


@pytest.mark.parametrize(
    "who",
    [
        {"user_id": "not-a-user"},
        {"user_id": "<!here>"},
        {"user_id": ""},
        {"channel_id": "x<!channel>"},
        {"team_id": "T0<!everyone>"},
    ],
)
def test_a_command_from_no_user_channel_or_workspace_id_is_refused_before_any_use_case(
    bot: BotServer, who: dict[str, str]
) -> None:
    sent = bot.slash("/action", 'add "Forged"', **who)
    assert sent.status == 400
    assert sent.result.json() == {"ok": False, "error": "unreadable_body"}
    assert stored(bot, Action) == 0
    listed(bot, "/action")


def test_a_click_or_submission_from_no_user_id_is_refused_before_any_use_case(
    bot: BotServer,
) -> None:
    bot.slash_reply("/action", 'add "Staff passport"')
    assert bot.click("action_done", "1:A-1", user_id="<!channel>").status == 400
    form = bot.open_form("/win")
    submitted = bot.submit(
        "win_add",
        {"win_text": "Forged win"},
        private_metadata=form["private_metadata"],
        user_id="not-a-user",
    )
    assert submitted.status == 400
    assert stored(bot, Win) == 0
    with bot.uow.transaction() as session:
        assert session.scalars(select(Action.status)).one() == "not-started"


@pytest.mark.parametrize("user", ["<!here>", "not-a-user", {"id": "U0BOB"}])
def test_app_home_opened_by_no_user_id_is_refused_and_publishes_nothing(
    bot: BotServer, user: object
) -> None:
    result = bot.event({"type": "app_home_opened", "user": user, "tab": "home"})
    assert result.status == 400
    assert bot.standin.calls_to("views.publish") == []
