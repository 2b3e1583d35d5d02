"""`/risk`, the risk card's buttons and the risk forms, driven over signed HTTP as Slack does."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from governance.actor import Actor
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Partner
from governance.plans.use_cases import setup_plan
from governance.risks.models import Risk
from tests.conftest import Clock
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks

OWEN = "U0OWEN"
BOB = "U0BOB"


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    """Alice leads a plan in the harness channel with three partners; Owen and Bob are members."""
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        for name, sector in [
            ("Devon County Council", "council"),
            ("Royal Devon University Healthcare", "nhs"),
            ("Devon Carers", "vcse"),
        ]:
            session.add(Partner(plan_id=plan.id, name=name, sector=sector))
    return plan.id


def risk_reply(bot: BotServer, text: str, user_id: str = OWEN) -> dict[str, Any]:
    reply = bot.slash_reply("/risk", text, user_id=user_id)
    assert_valid_blocks(reply)
    return reply


def blocks_text(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks", []), ensure_ascii=False)


def stored_risks(uow: UnitOfWork) -> list[Risk]:
    with uow.transaction() as session:
        return list(session.scalars(select(Risk).order_by(Risk.number)))


def opened_view(bot: BotServer, count: int = 1) -> dict[str, Any]:
    calls = bot.standin.wait_for_calls("views.open", count)
    view = calls[count - 1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_blocks(view)
    return view


def button_value(message: dict[str, Any], action_id: str) -> str:
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button")


def selected(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def test_a_risk_added_with_a_share_is_posted_to_the_channel_as_a_card(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = risk_reply(
        bot_server,
        "add “Not enough domiciliary care staff” likelihood:4 impact:catastrophic "
        'share:"Devon County"=60,"Royal Devon"=40 lead:"Royal Devon" target:8',
    )
    assert reply["response_type"] == "in_channel"
    card = blocks_text(reply)
    assert "R-1" in reply["text"] and "L4 × I5 = 20 Extreme" in card and ":red_circle:" in card
    assert "Royal Devon University Healthcare: *40%* — lead" in card
    assert "lead partner: Royal Devon University Healthcare" in card
    assert "Devon County Council: *60%*" in card
    assert "8 Moderate" not in card and "8 High" in card
    assert button_value(reply, "risk_update") == f"{plan_id}:R-1"
    assert button_value(reply, "risk_challenge") == f"{plan_id}:R-1"
    [risk] = stored_risks(uow)
    assert (risk.owner_id, risk.score) == (OWEN, 20)


def test_a_share_not_adding_to_100_is_refused_with_the_sum_and_the_right_form(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = risk_reply(
        bot_server,
        'add "Agency spend" likelihood:3 impact:3 share:"Devon County"=50,"Devon Carers"=40',
    )
    assert reply["response_type"] == "ephemeral"
    text = blocks_text(reply)
    assert "The shares add up to 90%, not 100%." in text
    assert 'share:\\"Org A\\"=60,\\"Org B\\"=40' in text
    assert "/risk add" in text
    assert stored_risks(uow) == []


def test_an_unknown_partner_in_the_share_names_the_plan_partners(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = risk_reply(bot_server, 'add "Agency spend" likelihood:3 impact:3 share:Plymouth=100')
    assert "“Plymouth” is not a partner in this plan" in reply["text"]
    assert "Devon Carers" in reply["text"]
    assert stored_risks(uow) == []


def test_the_extreme_list_shows_only_risks_scoring_15_or_more(
    bot_server: BotServer, plan_id: int
) -> None:
    risk_reply(bot_server, 'add "Winter pressures" likelihood:3 impact:4')
    risk_reply(bot_server, 'add "Nurse vacancies" likelihood:5 impact:4')
    listing = risk_reply(bot_server, "list extreme", user_id=BOB)
    assert listing["response_type"] == "ephemeral"
    text = blocks_text(listing)
    assert "Extreme risks (15+)" in text and "Nurse vacancies" in text
    assert "Winter pressures" not in text
    everything = blocks_text(risk_reply(bot_server, "list", user_id=BOB))
    assert everything.index("Nurse vacancies") < everything.index("Winter pressures")


def test_updating_the_score_moves_the_grade(bot_server: BotServer, plan_id: int) -> None:
    risk_reply(bot_server, 'add "Nurse vacancies" likelihood:5 impact:4')
    reply = risk_reply(bot_server, 'update R-1 likelihood:2 mitigation:"International cohort"')
    assert reply["response_type"] == "in_channel"
    text = blocks_text(reply)
    assert "L2 × I4 = 8 High" in text and ":large_orange_circle:" in text
    assert "Likelihood: 5 → 2" in text and "Score: 20 → 8" in text
    assert "International cohort" in text


def test_a_target_is_a_score_the_matrix_can_give_and_not_above_the_current_one(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    refused = risk_reply(bot_server, 'add "Nurse vacancies" likelihood:5 impact:4 target:7')
    assert "7 is not a score a risk can have" in refused["text"]
    assert "1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25" in blocks_text(refused)
    assert stored_risks(uow) == []
    risk_reply(bot_server, 'add "Nurse vacancies" likelihood:2 impact:3 target:4')
    above = risk_reply(bot_server, "update R-1 target:9")
    assert "The target score 9 is above the current score 6" in above["text"]
    assert risk_reply(bot_server, "update R-1 target:11")["text"].startswith("11 is not a score")
    assert stored_risks(uow)[0].target_score == 4


def test_a_score_lowered_below_its_target_says_so(bot_server: BotServer, plan_id: int) -> None:
    risk_reply(bot_server, 'add "Nurse vacancies" likelihood:4 impact:4 target:8')
    lowered = risk_reply(bot_server, "update R-1 likelihood:1")
    assert "Score: 16 → 4" in blocks_text(lowered)
    assert ":warning: *The score 4 is below this target*: lower the target with `target:`" in (
        blocks_text(lowered)
    )
    assert "below this target" not in blocks_text(risk_reply(bot_server, "update R-1 target:4"))


def test_an_update_that_changes_nothing_says_so_privately(
    bot_server: BotServer, plan_id: int
) -> None:
    risk_reply(bot_server, 'add "Nurse vacancies" likelihood:5 impact:4')
    reply = risk_reply(bot_server, "update R-1 likelihood:almost-certain")
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Nothing changed: R-1")


def test_closing_a_risk_takes_it_off_the_list(bot_server: BotServer, plan_id: int) -> None:
    risk_reply(bot_server, 'add "Nurse vacancies" likelihood:5 impact:4')
    reply = risk_reply(bot_server, 'close R-1 "Cohort arrived"')
    text = blocks_text(reply)
    assert "R-1 closed by <@U0OWEN>" in text and "Cohort arrived" in text
    assert "risk_update" not in text
    assert "Nurse vacancies" not in blocks_text(risk_reply(bot_server, "list"))
    refused = risk_reply(bot_server, "update R-1 impact:1")
    assert "R-1 is closed" in refused["text"]


def test_closed_risks_are_listed_with_list_closed_and_with_the_open_ones_by_list_all(
    bot_server: BotServer, plan_id: int
) -> None:
    risk_reply(bot_server, 'add "Nurse vacancies" likelihood:5 impact:4')
    risk_reply(bot_server, 'add "Winter pressures" likelihood:3 impact:4')
    risk_reply(bot_server, 'close R-1 "Cohort arrived"')
    closed = risk_reply(bot_server, "list closed", user_id=BOB)
    assert closed["response_type"] == "ephemeral"
    text = blocks_text(closed)
    assert "Closed risks" in text and "Nurse vacancies" in text and "*closed*" in text
    assert "Winter pressures" not in text
    everything = blocks_text(risk_reply(bot_server, "list all", user_id=BOB))
    assert "All risks" in everything
    assert "Nurse vacancies" in everything and "Winter pressures" in everything
    refused = risk_reply(bot_server, "list shut")
    assert "`closed`" in refused["text"] and "`all`" in refused["text"]


def test_a_review_date_passed_is_flagged_overdue_on_the_card(
    bot_server: BotServer, clock: Clock, plan_id: int
) -> None:
    risk_reply(bot_server, 'add "Nurse vacancies" likelihood:2 impact:2 review:2026-11-30')
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    text = blocks_text(risk_reply(bot_server, "show R-1"))
    assert "Mon 30 Nov 2026 :warning: *overdue*" in text


def test_a_member_who_does_not_own_a_risk_is_refused(bot_server: BotServer, plan_id: int) -> None:
    risk_reply(bot_server, 'add "Nurse vacancies" likelihood:5 impact:4')
    for text in ("update R-1 impact:1", "close R-1"):
        reply = risk_reply(bot_server, text, user_id=BOB)
        assert reply["response_type"] == "ephemeral"
        assert "Only its owner or the plan's leads and chairs" in reply["text"]
    assert "L5 × I4 = 20" in blocks_text(risk_reply(bot_server, "show R-1", user_id=ALICE))


def test_mentions_and_markup_in_a_title_are_escaped(bot_server: BotServer, plan_id: int) -> None:
    reply = risk_reply(
        bot_server,
        'add "<!channel> ward &lt;b&gt;closed&lt;/b&gt; ask <@U0BOB>" likelihood:2 impact:2',
    )
    raw = json.dumps(reply)
    assert "<!channel>" not in raw and "<@U0BOB>" not in raw and "<b>" not in raw
    assert "@channel ward &lt;b&gt;closed&lt;/b&gt; ask @U0BOB" in blocks_text(reply)


def test_a_mistyped_option_is_refused_with_a_guess(bot_server: BotServer, plan_id: int) -> None:
    reply = risk_reply(bot_server, 'add "Nurse vacancies" likelyhood:5 impact:4')
    assert "Did you mean `likelihood:`?" in reply["text"]


def test_help_shows_every_form(bot_server: BotServer) -> None:
    text = blocks_text(risk_reply(bot_server, "help"))
    for form in (
        'add \\"Title\\" likelihood:4 impact:5',
        "list [open|extreme|closed|all]",
        "show R-2",
    ):
        assert form in text
    assert "close R-2" in text and "update R-2" in text


def test_the_add_form_round_trip_shows_refusals_beside_their_input(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    bot_server.slash("/risk", "add", user_id=OWEN)
    view = opened_view(bot_server)
    assert view["callback_id"] == "risk_add"
    metadata = json.loads(view["private_metadata"])
    assert (metadata["plan_id"], metadata["channel_id"]) == (plan_id, CHANNEL)
    assert "Devon Carers" in json.dumps(view)

    values: dict[str, Any] = {
        "title": "Nurse vacancies",
        "likelihood": selected("5"),
        "impact": selected("4"),
        "share": '"Devon County"=70, "Devon Carers"=20',
    }
    private = view["private_metadata"]
    refused = bot_server.submit("risk_add", values, private_metadata=private, user_id=OWEN)
    errors = refused.json()["errors"]
    assert list(errors) == ["share"] and "add up to 90%" in errors["share"]

    values["share"] = '"Devon County"=70, "Devon Carers"=30'
    values["review"] = {"type": "datepicker", "selected_date": "2027-03-31"}
    refused = bot_server.submit("risk_add", values, private_metadata=private, user_id=OWEN)
    errors = refused.json()["errors"]
    assert list(errors) == ["review"] and "reviewed at least monthly" in errors["review"]

    values["review"] = {"type": "datepicker", "selected_date": "2026-12-14"}
    values["function"] = selected("supply")
    accepted = bot_server.submit("risk_add", values, private_metadata=private, user_id=OWEN)
    assert accepted.status == 200 and accepted.body == b""
    [posted] = bot_server.standin.wait_for_calls("chat.postMessage")
    assert posted.params["channel"] == CHANNEL
    message = {"text": posted.params["text"], "blocks": _blocks(posted.params)}
    assert_valid_blocks(message)
    assert "R-1 added" in message["text"]
    [risk] = stored_risks(uow)
    assert (risk.score, risk.function_id, risk.owner_id) == (20, 2, OWEN)


def test_the_update_button_opens_a_form_that_refuses_a_stale_version(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    card = risk_reply(
        bot_server, 'add "Nurse vacancies" likelihood:3 impact:4 share:"Devon County"=100'
    )
    bot_server.click("risk_update", button_value(card, "risk_update"), user_id=OWEN)
    view = opened_view(bot_server)
    assert view["callback_id"] == "risk_update"
    private = view["private_metadata"]
    assert json.loads(private)["version"] == 1
    assert '\\"Devon County Council\\"=100' in json.dumps(view)

    risk_reply(bot_server, "update R-1 impact:5", user_id=ALICE)
    values: dict[str, Any] = {
        "likelihood": selected("2"),
        "impact": selected("4"),
        "share": '"Devon County Council"=100',
    }
    stale = bot_server.submit("risk_update", values, private_metadata=private, user_id=OWEN)
    answer = stale.json()
    assert answer["response_action"] == "update"
    assert_valid_blocks(answer["view"])
    assert "changed by someone else" in json.dumps(answer["view"])
    assert "L3 × I5 = 15 Extreme" in json.dumps(answer["view"], ensure_ascii=False)

    fresh = answer["view"]["private_metadata"]
    saved = bot_server.submit("risk_update", values, private_metadata=fresh, user_id=OWEN)
    assert saved.status == 200 and saved.body == b""
    [risk] = stored_risks(uow)
    assert (risk.likelihood, risk.impact) == (2, 4)


def test_a_member_who_cannot_update_gets_no_form(bot_server: BotServer, plan_id: int) -> None:
    card = risk_reply(bot_server, 'add "Nurse vacancies" likelihood:3 impact:4')
    sent = bot_server.click("risk_update", button_value(card, "risk_update"), user_id=BOB)
    reply = bot_server.reply_to(sent)
    assert_valid_blocks(reply)
    assert "Only its owner" in reply["text"]
    assert bot_server.standin.calls_to("views.open") == []


def test_the_challenge_button_asks_the_owner(bot_server: BotServer, plan_id: int) -> None:
    card = risk_reply(bot_server, 'add "Nurse vacancies" likelihood:3 impact:4')
    bot_server.click("risk_challenge", button_value(card, "risk_challenge"), user_id=BOB)
    view = opened_view(bot_server)
    assert view["callback_id"] == "risk_challenge"
    accepted = bot_server.submit(
        "risk_challenge",
        {"question": "Is <!here> likelihood 3 right?"},
        private_metadata=view["private_metadata"],
        user_id=BOB,
    )
    assert accepted.status == 200
    calls = bot_server.standin.wait_for_calls("chat.postMessage")
    dm = next(c for c in calls if c.params["channel"] == OWEN)
    message = {"text": dm.params["text"], "blocks": _blocks(dm.params)}
    assert_valid_blocks(message)
    assert "<!here>" not in json.dumps(message) and "&lt;!here&gt;" in blocks_text(message)
    assert "action answer R-1" in blocks_text(message)
    shown = blocks_text(risk_reply(bot_server, "show R-1"))
    assert "Open challenges (1)" in shown


def _blocks(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params.get("blocks", [])
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def posted_to(bot: BotServer, channel: str, count: int = 1) -> list[dict[str, Any]]:
    """The messages chat.postMessage sent to `channel`, once `count` of them have arrived."""
    for _ in range(50):
        calls = bot.standin.wait_for_calls("chat.postMessage")
        sent = [c.params for c in calls if c.params["channel"] == channel]
        if len(sent) >= count:
            return [{"text": p["text"], "blocks": _blocks(p)} for p in sent]
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} messages to {channel}")


def test_a_risk_is_challenged_and_answered_by_command_in_the_channel(
    bot_server: BotServer, plan_id: int
) -> None:
    risk_reply(bot_server, 'add "Nurse vacancies" likelihood:3 impact:4')
    asked = risk_reply(bot_server, 'challenge R-1 "Is likelihood 3 right?"', user_id=BOB)
    assert asked["response_type"] == "in_channel"
    assert "challenged *R-1 · Nurse vacancies*" in blocks_text(asked)
    (to_owner,) = posted_to(bot_server, OWEN)
    assert "Is likelihood 3 right?" in blocks_text(to_owner)
    answered = risk_reply(bot_server, 'answer 1 "Yes: agency use is falling"')
    assert answered["response_type"] == "in_channel"
    assert "agency use is falling" in blocks_text(answered)
    (to_asker,) = posted_to(bot_server, BOB)
    assert "agency use is falling" in blocks_text(to_asker)
    assert "Open challenges" not in blocks_text(risk_reply(bot_server, "show R-1"))
    help_text = blocks_text(risk_reply(bot_server, "help"))
    assert 'challenge R-2 \\"question\\"' in help_text and 'answer R-2 \\"reply\\"' in help_text


def test_the_challenge_buttons_question_is_shown_in_the_channel_like_the_commands(
    bot_server: BotServer, plan_id: int
) -> None:
    card = risk_reply(bot_server, 'add "Nurse vacancies" likelihood:3 impact:4')
    bot_server.click("risk_challenge", button_value(card, "risk_challenge"), user_id=BOB)
    view = opened_view(bot_server)
    accepted = bot_server.submit(
        "risk_challenge",
        {"question": "Is likelihood 3 right?"},
        private_metadata=view["private_metadata"],
        user_id=BOB,
    )
    assert accepted.status == 200
    (in_channel,) = posted_to(bot_server, CHANNEL)
    assert_valid_blocks(in_channel)
    assert "challenged *R-1 · Nurse vacancies*" in blocks_text(in_channel)
    assert "<@U0OWEN> has been asked to answer." in blocks_text(in_channel)


def test_an_answer_from_app_home_is_shown_in_the_plans_channel_and_told_to_the_asker(
    bot_server: BotServer, plan_id: int
) -> None:
    risk_reply(bot_server, 'add "Nurse vacancies" likelihood:3 impact:4')
    risk_reply(bot_server, 'challenge R-1 "Is likelihood 3 right?"', user_id=BOB)
    bot_server.click(
        "challenge_answer",
        f"{plan_id}:R-1",
        user_id=OWEN,
        view={"id": "V0HOME", "type": "home", "blocks": []},
    )
    view = opened_view(bot_server)
    accepted = bot_server.submit(
        "challenge_answer",
        {"answer": "Yes: agency use is falling"},
        private_metadata=view["private_metadata"],
        user_id=OWEN,
    )
    assert accepted.status == 200
    (in_channel,) = posted_to(bot_server, CHANNEL)
    assert "agency use is falling" in blocks_text(in_channel)
    (to_asker,) = posted_to(bot_server, BOB)
    assert "agency use is falling" in blocks_text(to_asker)
