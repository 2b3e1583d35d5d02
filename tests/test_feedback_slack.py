"""`/feedback` and the feedback form, driven over signed HTTP the way Slack drives them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.interactions import FIELD_ERROR_LIMIT
from governance.actions.models import Action
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.feedback.models import Feedback
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Role
from governance.plans.numbering import next_number
from governance.plans.use_cases import setup_plan
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks

BOB = "U0BOB"
DATA_LEAD = "U0DATA"
NHS_NUMBER = "943 476 5919"


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    """A plan in the harness channel, led by Alice, with a data lead; Bob is a member."""
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Role(plan_id=plan.id, user_id=DATA_LEAD, role="data-lead"))
    return plan.id


def stored_feedback(uow: UnitOfWork) -> list[Feedback]:
    with uow.transaction() as session:
        return list(session.scalars(select(Feedback).order_by(Feedback.number)))


def feedback_reply(bot: BotServer, text: str, user_id: str = BOB) -> dict[str, Any]:
    reply = bot.slash_reply("/feedback", text, user_id=user_id)
    assert_valid_blocks(reply)
    return reply


def blocks_text(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks", []), ensure_ascii=False)


def test_named_feedback_is_recorded_and_thanked_privately(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = feedback_reply(
        bot_server,
        'service user "Waited 3 hours for a carer visit" function:wellbeing rating:"very poor" '
        'area:"Home care"',
    )
    assert reply["response_type"] == "ephemeral"
    assert "F-1" in reply["text"] and "with your name" in blocks_text(reply)
    [feedback] = stored_feedback(uow)
    assert (feedback.source, feedback.author_id, feedback.rating) == ("service-user", BOB, 1)
    assert feedback.service_area == "Home care"


def test_anonymous_feedback_says_plainly_no_one_can_see_who_gave_it(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = feedback_reply(bot_server, 'staff "Bullying on ward 4" anonymous')
    assert reply["response_type"] == "ephemeral"
    assert "no one — including admins — can see who gave it" in blocks_text(reply)
    assert [f.author_id for f in stored_feedback(uow)] == [None]


def test_feedback_holding_an_nhs_number_is_refused_with_the_information_governance_message(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = feedback_reply(bot_server, f'carer "Mum ({NHS_NUMBER}) missed her visit"')
    assert "looks like it contains an NHS number" in reply["text"]
    assert NHS_NUMBER not in json.dumps(reply)
    assert stored_feedback(uow) == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('"Handover is slow"', "Say who the feedback is from"),
        ("staff Handover is slow", 'in \\"double quotes\\"'),
        ('visitor "Handover is slow"', "is not a source"),
        ('staff "Handover is slow" ratng:4', "`ratng:` isn't an option here"),
        ('staff "Handover is slow" rating:9', "1 to 5 or very good"),
    ],
)
def test_bad_feedback_is_refused_showing_the_right_form(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int, text: str, says: str
) -> None:
    reply = feedback_reply(bot_server, text)
    assert says in json.dumps(reply, ensure_ascii=False)
    assert "/feedback staff|service-user|carer|partner" in blocks_text(reply)
    assert stored_feedback(uow) == []


def test_a_member_asking_for_the_list_is_told_who_can_read_feedback(
    bot_server: BotServer, plan_id: int
) -> None:
    feedback_reply(bot_server, 'staff "Handover is slow"')
    reply = feedback_reply(bot_server, "list")
    assert "Only the plan's leads, chairs and data leads can read feedback." in reply["text"]


def test_a_data_lead_reads_feedback_without_anonymous_givers(
    bot_server: BotServer, plan_id: int
) -> None:
    feedback_reply(bot_server, 'staff "Handover is slow" function:wellbeing')
    feedback_reply(bot_server, 'carer "No respite <!channel>" anonymous function:1')
    feedback_reply(bot_server, 'partner "Shared rota works" function:supply')
    reply = feedback_reply(bot_server, "list function:wellbeing", user_id=DATA_LEAD)
    shown = blocks_text(reply)
    assert "*F-2*" in shown and "_anonymous_" in shown and "*F-1*" in shown
    assert "F-3" not in shown
    assert f"<@{BOB}>" in shown and shown.count(f"<@{BOB}>") == 1
    assert "<!channel>" not in shown and "&lt;!channel&gt;" not in shown


def test_a_lead_answers_linking_an_action_and_the_giver_is_told(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    feedback_reply(bot_server, 'staff "Parking is impossible"')
    with uow.transaction() as session:
        number = next_number(session, plan_id, "action")
        session.add(
            Action(
                plan_id=plan_id,
                number=number,
                title="Car share",
                created_by=ALICE,
                updated_by=ALICE,
            )
        )
    reply = feedback_reply(
        bot_server, 'answer F-1 "We started a car share scheme" action:A-1', user_id=ALICE
    )
    assert "F-1 answered" in reply["text"]
    assert "(action *A-1*)" in blocks_text(reply) and f"<@{BOB}> has been sent" in blocks_text(
        reply
    )
    [dm] = bot_server.standin.wait_for_calls("chat.postMessage")
    assert dm.params["channel"] == BOB
    assert "We started a car share scheme" in json.dumps(dm.params, ensure_ascii=False)
    assert_valid_blocks({"text": dm.params["text"], "blocks": _blocks(dm.params)})
    [feedback] = stored_feedback(uow)
    assert (feedback.answer, feedback.answered_by) == ("We started a car share scheme", ALICE)


def test_answering_anonymous_feedback_tells_no_one(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    feedback_reply(bot_server, 'carer "No respite" anonymous')
    reply = feedback_reply(bot_server, 'answer F-1 "Respite fund opened"', user_id=ALICE)
    assert "no one can be told directly" in blocks_text(reply)
    assert bot_server.standin.calls_to("chat.postMessage") == []


def test_a_member_cannot_answer_feedback(bot_server: BotServer, plan_id: int) -> None:
    feedback_reply(bot_server, 'staff "Parking"')
    reply = feedback_reply(bot_server, 'answer F-1 "Done"')
    assert "Only the plan's leads and chairs can answer feedback." in reply["text"]


def test_an_action_of_another_plan_cannot_be_linked(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    other = setup_plan(uow, Actor(TEAM_ID, ALICE, "C0OTHER"), validate(PlanSetup, name="Other"))
    with uow.transaction() as session:
        session.add(
            Action(plan_id=other.id, number=1, title="Elsewhere", created_by="U", updated_by="U")
        )
    feedback_reply(bot_server, 'staff "Parking"')
    reply = feedback_reply(bot_server, 'answer F-1 "Done" action:A-1', user_id=ALICE)
    assert "A-1 is not an action in this plan" in reply["text"]
    assert stored_feedback(uow)[0].answer is None


def test_help_shows_every_form(bot_server: BotServer) -> None:
    reply = bot_server.slash_reply("/feedback", "help")
    assert_valid_blocks(reply)
    for form in ("list [function:x]", "answer F-4", "[anonymous]"):
        assert form in blocks_text(reply)


def test_the_feedback_form_round_trip_shows_refusals_beside_their_input(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    sent = bot_server.slash("/feedback", "", user_id=BOB)
    assert sent.status == 200
    [opened] = bot_server.standin.wait_for_calls("views.open")
    view = _view(opened.params)
    assert_valid_blocks(view)
    assert view["callback_id"] == "feedback_give"
    metadata = view["private_metadata"]
    assert json.loads(metadata)["plan_id"] == plan_id

    values: dict[str, Any] = {
        "feedback_source": {"type": "static_select", "selected_option": {"value": "carer"}},
        "feedback_text": f"Dad {NHS_NUMBER} had no visit",
        "feedback_rating": {"type": "static_select", "selected_option": {"value": "2"}},
        "feedback_anonymous": {"type": "checkboxes", "selected_options": []},
    }
    refused = bot_server.submit("feedback_give", values, private_metadata=metadata, user_id=BOB)
    errors = refused.json()["errors"]
    assert list(errors) == ["feedback_text"] and "NHS number" in errors["feedback_text"]
    assert len(errors["feedback_text"]) <= FIELD_ERROR_LIMIT

    values["feedback_text"] = "Dad had no visit"
    values["feedback_area"] = f"Ward of {NHS_NUMBER}"
    refused = bot_server.submit("feedback_give", values, private_metadata=metadata, user_id=BOB)
    assert list(refused.json()["errors"]) == ["feedback_area"]

    values["feedback_area"] = "Home care"
    values["feedback_function"] = {"type": "static_select", "selected_option": {"value": "supply"}}
    accepted = bot_server.submit("feedback_give", values, private_metadata=metadata, user_id=BOB)
    answer = accepted.json()
    assert answer["response_action"] == "update"
    assert_valid_blocks(answer["view"])
    assert "*F-1*" in blocks_text(answer["view"])
    [feedback] = stored_feedback(uow)
    assert (feedback.source, feedback.rating, feedback.author_id) == ("carer", 2, BOB)
    assert (feedback.function_id, feedback.service_area) == (2, "Home care")


def test_a_form_without_a_source_is_refused_beside_the_source(
    bot_server: BotServer, plan_id: int
) -> None:
    metadata = bot_server.sealed({"plan_id": plan_id, "channel_id": CHANNEL}, user_id=BOB)
    refused = bot_server.submit(
        "feedback_give", {"feedback_text": "Fine"}, private_metadata=metadata, user_id=BOB
    )
    assert list(refused.json()["errors"]) == ["feedback_source"]


def test_the_form_does_not_open_in_a_channel_without_a_plan(bot_server: BotServer) -> None:
    reply = feedback_reply(bot_server, "")
    assert "isn't linked to a plan" in reply["text"]
    assert bot_server.standin.calls_to("views.open") == []


def _view(params: dict[str, Any]) -> dict[str, Any]:
    view = params["view"]
    return json.loads(view) if isinstance(view, str) else view


def _blocks(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params.get("blocks", [])
    return json.loads(blocks) if isinstance(blocks, str) else blocks
