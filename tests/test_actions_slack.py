"""`/action`, its buttons and forms, driven over signed HTTP the way Slack drives them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from governance.actions.models import Action
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Partner
from governance.plans.use_cases import setup_plan
from tests.slack_harness import (
    ALICE,
    CHANNEL,
    TEAM_ID,
    BotServer,
    assert_valid_blocks,
    form_context,
)

BOB = "U0BOB"
CAROL = "U0CAROL"
NHS_NUMBER = "943 476 5919"
ADD_FORM = '/action add "Title" [owner:@u] [function:supply] [due:2027-03-31] [partner:"Org"]'


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    """A plan in the harness channel led by Alice, with one partner; Bob and Carol are members."""
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Partner(plan_id=plan.id, name="Devon County Council", sector="council"))
    return plan.id


def action_reply(bot: BotServer, text: str, user_id: str = ALICE) -> dict[str, Any]:
    reply = bot.slash_reply("/action", text, user_id=user_id)
    assert_valid_blocks(reply)
    return reply


def text_of(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def stored(uow: UnitOfWork) -> list[Action]:
    with uow.transaction() as session:
        return list(session.scalars(select(Action).order_by(Action.number)))


def direct_messages(bot: BotServer, user_id: str, count: int = 1) -> list[dict[str, Any]]:
    """The messages sent to `user_id` by DM, each checked to be valid Block Kit."""
    calls = bot.standin.wait_for(
        lambda: (
            found
            if len(
                found := [
                    c
                    for c in bot.standin.calls_to("chat.postMessage")
                    if c.params["channel"] == user_id
                ]
            )
            >= count
            else None
        )
    )
    messages = [
        {"text": c.params["text"], "blocks": _decoded(c.params.get("blocks", []))} for c in calls
    ]
    for message in messages:
        assert_valid_blocks(message)
    return messages


def opened_view(bot: BotServer, count: int = 1) -> dict[str, Any]:
    calls = bot.standin.wait_for_calls("views.open", count)
    view = _decoded(calls[count - 1].params["view"])
    assert_valid_blocks(view)
    return view


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


# /action add


def test_help_shows_every_form(bot_server: BotServer) -> None:
    reply = action_reply(bot_server, "help")
    for form in (
        'add \\"Title\\"',
        "list [mine]",
        "show A-3",
        "update A-3",
        "done A-3",
        "challenge A-3",
        "answer A-3",
    ):
        assert form in text_of(reply)


def test_adding_an_action_for_someone_else_posts_its_card_and_tells_the_owner(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = action_reply(
        bot_server,
        f'add "Recruit 40 international nurses" owner:<@{BOB}|bob> function:supply '
        'due:2027-03-31 partner:"devon county council"',
    )
    assert reply["response_type"] == "in_channel"
    shown = text_of(reply)
    assert "A-1 · Recruit 40 international nurses" in shown
    assert f"<@{BOB}>" in shown and "Devon County Council" in shown
    assert "Not started" in shown and "Wed 31 Mar 2027" in shown
    buttons = [b for b in reply["blocks"] if b["type"] == "actions"][0]["elements"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("action_update", f"{plan_id}:A-1"),
        ("action_done", f"{plan_id}:A-1"),
        ("action_challenge", f"{plan_id}:A-1"),
    ]
    [action] = stored(uow)
    assert (action.owner_id, action.function_id, action.due_date) == (BOB, 2, date(2027, 3, 31))
    [dm] = direct_messages(bot_server, BOB)
    assert f"<@{ALICE}> made you the owner" in text_of(dm)


def test_adding_your_own_action_tells_no_one_else(bot_server: BotServer, plan_id: int) -> None:
    action_reply(bot_server, 'add "Wellbeing hubs"')
    assert bot_server.standin.calls_to("chat.postMessage") == []


def test_an_unknown_function_is_refused_showing_the_add_form(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = action_reply(bot_server, 'add "Catering review" function:catering')
    assert reply["response_type"] == "ephemeral"
    assert "“catering” is not one of the 10 people functions" in reply["text"]
    assert ADD_FORM.replace('"', '\\"') in text_of(reply)
    assert stored(uow) == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('add "Title" owner:bob', "`owner:` needs an @mention"),
        ('add "Title" colour:red', "`colour:` isn't an option here"),
        ("add", "Give the action a title"),
        (f'add "Call about {NHS_NUMBER}"', "looks like it contains an NHS number"),
        ('add "Old" due:2020-01-01', "more than a year ago"),
    ],
)
def test_bad_adds_are_refused_and_nothing_is_stored(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int, text: str, says: str
) -> None:
    reply = action_reply(bot_server, text)
    assert says in text_of(reply)
    assert stored(uow) == []


def test_a_channel_ping_in_a_title_is_shown_escaped_never_as_a_ping(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = action_reply(bot_server, 'add "Fix rota <!channel> &lt;!here&gt; & more"')
    shown = text_of(reply)
    assert "<!channel>" not in shown and "<!here>" not in shown
    assert "&lt;!here&gt; &amp; more" in shown
    assert stored(uow)[0].title == "Fix rota @channel <!here> & more"


# /action list, show


def test_list_shows_open_actions_by_due_date_and_filters_combine(
    bot_server: BotServer, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Later" due:2027-06-01')
    action_reply(bot_server, f'add "Bob soon" due:2026-12-01 owner:<@{BOB}>')
    action_reply(bot_server, 'add "Overdue" due:2026-11-01 function:wellbeing')
    action_reply(bot_server, "update A-3 status:red")
    reply = action_reply(bot_server, "list")
    assert reply["response_type"] == "ephemeral"
    refs = [b["text"]["text"].split("*")[1] for b in reply["blocks"][1:]]
    assert refs == ["A-3", "A-2", "A-1"]
    assert ":warning: *overdue*" in text_of(reply)
    filtered = action_reply(bot_server, "list overdue red function:wellbeing")
    assert [b["text"]["text"].split("*")[1] for b in filtered["blocks"][1:]] == ["A-3"]
    mine = action_reply(bot_server, "list mine", user_id=BOB)
    assert [b["text"]["text"].split("*")[1] for b in mine["blocks"][1:]] == ["A-2"]
    by_owner = action_reply(bot_server, f"list owner:<@{BOB}>")
    assert f"owner <@{BOB}>" in text_of(by_owner)


def test_an_unknown_list_filter_is_refused_showing_the_filters(
    bot_server: BotServer, plan_id: int
) -> None:
    reply = action_reply(bot_server, "list urgent")
    assert "urgent isn't a filter I know" in reply["text"]
    assert "list [mine] [overdue] [red] [all]" in text_of(reply)


def test_a_long_list_stays_within_block_kit_limits_and_says_how_many_more(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    with uow.transaction() as session:
        for number in range(1, 46):
            session.add(
                Action(
                    plan_id=plan_id,
                    number=number,
                    title=f"Action {number}",
                    owner_id=ALICE,
                    created_by=ALICE,
                    updated_by=ALICE,
                )
            )
    reply = action_reply(bot_server, "list")
    assert len(reply["blocks"]) <= 50
    assert "45 actions" in reply["text"]
    assert "…and 5 more" in text_of(reply) and "/plan export actions" in text_of(reply)


def test_show_gives_the_card_with_history_and_open_challenges(
    bot_server: BotServer, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport"')
    action_reply(bot_server, 'update A-1 status:green progress:20 "Kick-off held"')
    action_reply(bot_server, 'challenge A-1 "Who signed it off?"', user_id=BOB)
    reply = action_reply(bot_server, "show a1")
    assert reply["response_type"] == "ephemeral"
    shown = text_of(reply)
    assert "*History*" in shown and "Kick-off held" in shown
    assert "Not started → *Green (on track)*" in shown and "0% → *20%*" in shown
    assert "*Open challenges (1)*" in shown and "Who signed it off?" in shown


def test_showing_a_missing_action_is_refused(bot_server: BotServer, plan_id: int) -> None:
    reply = action_reply(bot_server, "show A-99")
    assert "There is no A-99 in the plan “Devon”." in reply["text"]
    assert "/action list" in text_of(reply)


# /action update, done


def test_an_owner_updates_with_colour_words_and_a_note(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport"', user_id=BOB)
    reply = action_reply(
        bot_server, 'update A-1 status:amber progress:40 "Waiting on HR"', user_id=BOB
    )
    assert reply["response_type"] == "in_channel"
    shown = text_of(reply)
    assert ":large_orange_circle: Amber (issues being managed)" in shown
    assert "40%" in shown and "Waiting on HR" in shown
    [action] = stored(uow)
    assert (action.status, action.progress) == ("at-risk", 40)


@pytest.mark.parametrize(
    ("text", "user", "says"),
    [
        ("update A-1 status:purple", BOB, "“purple” is not a status I know"),
        ("update A-1 progress:140", BOB, "percentage from 0 to 100, not 140"),
        ("update A-1 status:green", CAROL, "Only its owner or the plan's leads and chairs"),
        ("update A-99 status:green", BOB, "There is no A-99"),
        ("update A-1 amber", BOB, "Did you mean `status:amber`?"),
        ("update A-1", BOB, "Nothing to update on A-1"),
    ],
)
def test_bad_updates_are_refused_showing_the_update_form(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int, text: str, user: str, says: str
) -> None:
    action_reply(bot_server, 'add "Staff passport"', user_id=BOB)
    reply = action_reply(bot_server, text, user_id=user)
    assert says in text_of(reply)
    assert "update A-3 [status:amber] [progress:40]" in text_of(reply)
    [action] = stored(uow)
    assert (action.status, action.progress, action.version) == ("not-started", 0, 1)


def test_done_marks_the_action_blue_with_progress_100(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport"')
    reply = action_reply(bot_server, 'done A-1 "Live in all trusts"')
    assert ":large_blue_circle: Blue (done)" in text_of(reply)
    assert "action_done" not in text_of(reply)
    [action] = stored(uow)
    assert (action.status, action.progress) == ("done", 100)


def test_done_at_a_percentage_below_100_is_refused_saying_why_and_nothing_changes(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport"')
    action_reply(bot_server, "done A-1")
    for typed in ("update A-1 status:done progress:50", "update A-1 progress:50"):
        reply = action_reply(bot_server, typed)
        assert "A-1 would be done at 50%, but a done action is at 100%." in reply["text"]
        assert "already has those values" not in text_of(reply)
        assert "/action update A-1 status:amber progress:50" in text_of(reply)
    assert "To reopen it, give its status too." in text_of(
        action_reply(bot_server, "update A-1 progress:50")
    )
    [action] = stored(uow)
    assert (action.status, action.progress, action.version) == ("done", 100, 2)
    reopened = action_reply(bot_server, "update A-1 status:amber progress:50")
    assert "Amber" in text_of(reopened)
    assert (stored(uow)[0].status, stored(uow)[0].progress) == ("at-risk", 50)


def test_the_update_form_marks_done_with_the_progress_it_showed_left_as_it_was(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport"')
    action_reply(bot_server, "update A-1 status:green progress:30")
    metadata = bot_server.sealed(
        {"plan_id": plan_id, "ref": "A-1", "version": 2, "channel_id": CHANNEL}
    )
    values: dict[str, Any] = {
        "status": {"type": "static_select", "selected_option": {"value": "done"}},
        "progress": {"type": "number_input", "value": "30"},
        "note": "",
    }
    saved = bot_server.submit("action_update", values, private_metadata=metadata)
    assert (saved.status, saved.body) == (200, b"")
    assert (stored(uow)[0].status, stored(uow)[0].progress) == ("done", 100)


def test_a_lead_reassigning_an_action_tells_the_new_owner(
    bot_server: BotServer, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport"', user_id=BOB)
    action_reply(bot_server, f"update A-1 owner:<@{CAROL}>")
    [dm] = direct_messages(bot_server, CAROL)
    assert "made you the owner" in text_of(dm)


# Checks and challenges


def test_a_challenge_reaches_the_owner_and_the_answer_reaches_the_challenger(
    bot_server: BotServer, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport"')
    asked = action_reply(bot_server, 'challenge A-1 "Why green with no HR sign-off?"', user_id=BOB)
    assert asked["response_type"] == "in_channel"
    assert f"<@{ALICE}> has been asked to answer" in text_of(asked)
    [to_owner] = direct_messages(bot_server, ALICE)
    assert "Why green with no HR sign-off?" in text_of(to_owner)
    assert '/action answer A-1 \\"your reply\\"' in text_of(to_owner)
    answered = action_reply(bot_server, 'answer A-1 "HR signed on Friday"')
    assert "HR signed on Friday" in text_of(answered)
    [to_challenger] = direct_messages(bot_server, BOB)
    assert "answered your challenge" in text_of(to_challenger)


def test_challenges_are_refused_without_a_question_or_an_open_one(
    bot_server: BotServer, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport"')
    assert "Put your question in" in action_reply(bot_server, "challenge A-1")["text"]
    assert "A-1 has no open challenge" in action_reply(bot_server, 'answer A-1 "x"')["text"]


# The forms


def test_the_add_form_round_trip_shows_refusals_beside_their_input(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    sent = bot_server.slash("/action", "", user_id=BOB)
    assert sent.status == 200
    view = opened_view(bot_server)
    assert view["callback_id"] == "action_add"
    metadata = view["private_metadata"]
    assert form_context(metadata) == {"plan_id": plan_id, "channel_id": CHANNEL}
    partner_block = next(b for b in view["blocks"] if b.get("block_id") == "partner")
    assert partner_block["element"]["options"][0]["value"] == "Devon County Council"

    values: dict[str, Any] = {
        "title": f"Call {NHS_NUMBER} back",
        "owner": {"type": "users_select", "selected_user": BOB},
        "due": {"type": "datepicker", "selected_date": "2019-03-31"},
    }
    refused = bot_server.submit("action_add", values, private_metadata=metadata, user_id=BOB)
    errors = refused.json()["errors"]
    assert list(errors) == ["title"] and "NHS number" in errors["title"]

    values["title"] = "Joint apprenticeships"
    refused = bot_server.submit("action_add", values, private_metadata=metadata, user_id=BOB)
    assert list(refused.json()["errors"]) == ["due"]

    values["due"] = {"type": "datepicker", "selected_date": "2027-03-31"}
    values["function"] = {"type": "static_select", "selected_option": {"value": "supply"}}
    values["partner"] = {
        "type": "static_select",
        "selected_option": {"value": "Devon County Council"},
    }
    accepted = bot_server.submit("action_add", values, private_metadata=metadata, user_id=BOB)
    assert (accepted.status, accepted.body) == (200, b"")
    [confirmation] = bot_server.standin.wait_for_calls("chat.postEphemeral")
    assert confirmation.params["channel"] == CHANNEL
    assert "A-1 added" in confirmation.params["text"]
    [action] = stored(uow)
    assert (action.title, action.owner_id, action.function_id) == ("Joint apprenticeships", BOB, 2)


def test_the_done_button_marks_done_and_confirms_privately(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport"')
    sent = bot_server.click("action_done", f"{plan_id}:A-1")
    assert sent.status == 200
    reply = bot_server.reply_to(sent)
    assert_valid_blocks(reply)
    assert reply["response_type"] == "ephemeral" and "A-1 done" in reply["text"]
    assert stored(uow)[0].status == "done"


def test_a_member_clicking_update_on_someone_elses_action_is_told_why_not(
    bot_server: BotServer, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport"')
    sent = bot_server.click("action_update", f"{plan_id}:A-1", user_id=CAROL)
    reply = bot_server.reply_to(sent)
    assert "Only its owner or the plan's leads and chairs can update A-1." in reply["text"]
    assert bot_server.standin.calls_to("views.open") == []


def test_an_update_form_saved_after_someone_else_changed_the_action_shows_it_as_it_now_is(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport" due:2027-01-31', user_id=BOB)
    bot_server.click("action_update", f"{plan_id}:A-1", user_id=BOB)
    view = opened_view(bot_server)
    assert view["callback_id"] == "action_update"
    status = next(b for b in view["blocks"] if b.get("block_id") == "status")
    assert status["element"]["initial_option"]["value"] == "not-started"
    metadata = json.dumps({**json.loads(view["private_metadata"]), "channel_id": CHANNEL})
    assert json.loads(metadata)["version"] == 1

    action_reply(bot_server, 'update A-1 status:red "Board wants a recovery plan"')
    values: dict[str, Any] = {
        "status": {"type": "static_select", "selected_option": {"value": "on-track"}},
        "progress": {"type": "number_input", "value": "30"},
        "due": {"type": "datepicker", "selected_date": "2027-01-31"},
        "owner": {"type": "users_select", "selected_user": BOB},
        "note": "All good",
    }
    stale = bot_server.submit("action_update", values, private_metadata=metadata, user_id=BOB)
    answer = stale.json()
    assert answer["response_action"] == "update"
    assert_valid_blocks(answer["view"])
    shown = text_of(answer["view"])
    assert "A-1 was changed by someone else while you were editing it" in shown
    status = next(b for b in answer["view"]["blocks"] if b.get("block_id") == "status")
    assert status["element"]["initial_option"]["value"] == "off-track"
    assert json.loads(answer["view"]["private_metadata"])["version"] == 2
    assert stored(uow)[0].status == "off-track"

    fresh = json.dumps({**json.loads(answer["view"]["private_metadata"]), "channel_id": CHANNEL})
    saved = bot_server.submit("action_update", values, private_metadata=fresh, user_id=BOB)
    assert (saved.status, saved.body) == (200, b"")
    [action] = stored(uow)
    assert (action.status, action.progress, action.version) == ("on-track", 30, 3)


def test_the_challenge_button_opens_a_form_and_the_owner_is_asked(
    bot_server: BotServer, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport"')
    bot_server.click("action_challenge", f"{plan_id}:A-1", user_id=BOB)
    view = opened_view(bot_server)
    assert view["callback_id"] == "action_challenge" and "Staff passport" in text_of(view)
    empty = bot_server.submit(
        "action_challenge",
        {"question": " "},
        private_metadata=view["private_metadata"],
        user_id=BOB,
    )
    assert list(empty.json()["errors"]) == ["question"]
    sent = bot_server.submit(
        "action_challenge",
        {"question": "Evidence?"},
        private_metadata=view["private_metadata"],
        user_id=BOB,
    )
    assert sent.status == 200
    [to_owner] = direct_messages(bot_server, ALICE)
    assert "Evidence?" in text_of(to_owner)


# App Home


def test_app_home_publishes_my_actions_and_the_challenges_waiting_for_me(
    bot_server: BotServer, plan_id: int
) -> None:
    action_reply(bot_server, 'add "Staff passport" due:2027-01-31', user_id=BOB)
    action_reply(bot_server, 'add "Someone else\'s"')
    action_reply(bot_server, 'challenge A-1 "Evidence?"')
    result = bot_server.event(
        {"type": "app_home_opened", "user": BOB, "channel": "D0BOB", "tab": "home"}
    )
    assert result.status == 200
    [published] = bot_server.standin.wait_for_calls("views.publish")
    assert published.params["user_id"] == BOB
    view = _decoded(published.params["view"])
    assert_valid_blocks(view)
    shown = text_of(view)
    assert "Staff passport" in shown and "Someone else" not in shown
    assert "*Challenges waiting for your answer* (1)" in shown and "Evidence?" in shown

    bot_server.click("challenge_answer", f"{plan_id}:A-1", user_id=BOB, view=view)
    form = opened_view(bot_server)
    assert form["callback_id"] == "challenge_answer" and "Evidence?" in text_of(form)
    answered = bot_server.submit(
        "challenge_answer",
        {"answer": "Signed off Friday"},
        private_metadata=form["private_metadata"],
        user_id=BOB,
    )
    assert answered.status == 200
    [to_challenger] = direct_messages(bot_server, ALICE)
    assert "Signed off Friday" in text_of(to_challenger)


def test_opening_the_messages_tab_publishes_nothing(bot_server: BotServer, plan_id: int) -> None:
    result = bot_server.event(
        {"type": "app_home_opened", "user": BOB, "channel": "D0BOB", "tab": "messages"}
    )
    assert result.status == 200
    # Let the listener that handles the event after its acknowledgement finish.
    bot_server.app.listener_runner.listener_executor.shutdown(wait=True)  # type: ignore[attr-defined]
    assert bot_server.standin.calls_to("views.publish") == []
