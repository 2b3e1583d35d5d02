"""`/win` and the win form, driven over signed HTTP the way Slack drives them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from governance.actor import Actor
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Partner
from governance.plans.use_cases import setup_plan
from governance.wins.models import Win
from tests.conftest import Clock
from tests.slack_harness import (
    ALICE,
    CHANNEL,
    TEAM_ID,
    BotServer,
    assert_valid_blocks,
    form_context,
)

AMY, BEN = "U0AMY", "U0BEN"


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Partner(plan_id=plan.id, name="Devon County Council", sector="council"))
        session.add(Partner(plan_id=plan.id, name="Livewell Southwest", sector="social-care"))
    return plan.id


def win_reply(bot: BotServer, text: str) -> dict[str, Any]:
    reply = bot.slash_reply("/win", text, user_id=AMY)
    assert_valid_blocks(reply)
    return reply


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def test_a_win_is_celebrated_in_the_channel_crediting_people_and_partners(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = win_reply(
        bot_server,
        f'"30 care workers started in one month" <@{BEN}|ben> <@{ALICE}> function:supply '
        'partner:"Devon County Council","Livewell"',
    )
    assert reply["response_type"] == "in_channel"
    assert reply["text"].startswith("🎉 Win W-1")
    context = reply["blocks"][1]["elements"][0]["text"]
    assert f"Credit to <@{BEN}>, <@{ALICE}>" in context
    assert "with Devon County Council, Livewell Southwest" in context
    assert f"shared by <@{AMY}>" in context
    with uow.transaction() as session:
        win = session.scalars(select(Win)).one()
        assert [p.user_id for p in win.people] == [BEN, ALICE]


def test_a_celebration_never_pings_the_channel(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = win_reply(bot_server, '"Thanks &lt;!channel&gt; and <!here> &amp; <@U0ZED> team"')
    posted = shown(reply)
    assert "<!channel>" not in posted and "<!here>" not in posted
    assert "&lt;!channel&gt;" in posted
    assert "<@U0ZED>" not in posted  # a mention inside the text is not a credit
    with uow.transaction() as session:
        assert (
            session.scalars(select(Win.text)).one() == "Thanks <!channel> and @here & @U0ZED team"
        )


def test_partner_names_are_escaped_in_the_celebration(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    with uow.transaction() as session:
        session.add(Partner(plan_id=plan_id, name="Age UK <Plymouth> & Co", sector="vcse"))
    reply = win_reply(bot_server, '"Befriending" partner:"Age UK"')
    assert "Age UK &lt;Plymouth&gt; &amp; Co" in shown(reply)


def test_a_win_naming_an_unknown_partner_is_refused_and_not_posted(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = win_reply(bot_server, '"Great" partner:"Plymouth City Council"')
    assert reply["response_type"] == "ephemeral"
    assert "not a partner in this plan" in reply["text"]
    with uow.transaction() as session:
        assert session.scalars(select(Win)).all() == []


def test_a_win_holding_an_nhs_number_is_refused(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = win_reply(bot_server, '"Discharged 943 476 5919 a day early"')
    assert reply["response_type"] == "ephemeral"
    assert "looks like it contains an NHS number" in reply["text"]
    assert "943 476 5919" not in shown(reply)


def test_an_unknown_option_is_refused(bot_server: BotServer, plan_id: int) -> None:
    reply = win_reply(bot_server, '"Great" functon:supply')
    assert "`functon:` isn't an option here" in reply["text"]


def test_wins_are_listed_most_recent_first(
    bot_server: BotServer, plan_id: int, clock: Clock
) -> None:
    win_reply(bot_server, '"First win"')
    clock.advance(hours=1)
    win_reply(bot_server, f'"Second win" <@{BEN}>')
    reply = win_reply(bot_server, "list")
    assert reply["response_type"] == "ephemeral"
    listing = shown(reply)
    assert listing.index("W-2") < listing.index("W-1")
    assert f"Credit to <@{BEN}>" in listing


def test_an_empty_list_says_how_to_celebrate(bot_server: BotServer, plan_id: int) -> None:
    assert "No wins yet" in shown(win_reply(bot_server, "list"))


def test_help_shows_every_form(bot_server: BotServer) -> None:
    reply = win_reply(bot_server, "help")
    for form in ('/win \\"what went well\\"', "/win list"):
        assert form in shown(reply)


def test_the_win_form_celebrates_in_the_channel_it_was_opened_from(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    assert bot_server.slash("/win", "", user_id=AMY).status == 200
    [opened] = bot_server.standin.wait_for_calls("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_blocks(view)
    metadata = view["private_metadata"]
    assert form_context(metadata) == {"plan_id": plan_id, "channel_id": CHANNEL}

    too_long = bot_server.submit(
        "win_add", {"win_text": "x" * 3001}, private_metadata=metadata, user_id=AMY
    )
    assert "at most 3000 characters" in too_long.json()["errors"]["win_text"]

    values = {
        "win_text": "New rotation scheme between the trust and the council",
        "win_people": {"type": "multi_users_select", "selected_users": [BEN]},
        "win_partners": {
            "type": "multi_static_select",
            "selected_options": [{"value": "Livewell Southwest"}],
        },
        "win_function": {"type": "static_select", "selected_option": {"value": "transformation"}},
    }
    accepted = bot_server.submit("win_add", values, private_metadata=metadata, user_id=AMY)
    assert accepted.status == 200 and accepted.body == b""
    [posted] = bot_server.standin.wait_for_calls("chat.postMessage")
    assert posted.params["channel"] == CHANNEL
    blocks = posted.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert_valid_blocks({"text": posted.params["text"], "blocks": blocks})
    assert f"Credit to <@{BEN}>" in shown(blocks) and "Livewell Southwest" in shown(blocks)


def test_a_channel_or_a_stray_word_is_refused_with_the_forms_not_dropped(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    to_general = win_reply(bot_server, '"30 care workers started" <#C0GENERAL|general>')
    assert to_general["response_type"] == "ephemeral"
    assert "`/win` doesn't take a channel" in shown(to_general)
    assert "function:x" in shown(to_general)
    mine = win_reply(bot_server, "list mine")
    assert "`mine` isn't something `/win list` takes." in shown(mine)
    assert "`/win list`" in shown(mine)
    with uow.transaction() as session:
        assert session.scalars(select(Win)).all() == []
