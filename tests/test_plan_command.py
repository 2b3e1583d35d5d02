"""`/plan`, driven over signed HTTP the way Slack drives it."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy import select

from governance.actions.models import Action
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.feedback.models import Feedback
from governance.plans.use_cases import plan_overview
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks

BOB = "U0BOB"


def plan(bot: BotServer, text: str = "", user_id: str = ALICE, **options: Any) -> dict[str, Any]:
    reply = bot.slash_reply("/plan", text, user_id=user_id, **options)
    assert_valid_blocks(reply)
    return reply


def shown(message: dict[str, Any]) -> str:
    return message["text"] + json.dumps(message.get("blocks", []), ensure_ascii=False)


@pytest.fixture
def devon(bot_server: BotServer) -> BotServer:
    """The harness channel holds "Devon ICS" led by Alice."""
    plan(bot_server, 'setup "Devon ICS"')
    return bot_server


def _plan_id(uow: UnitOfWork) -> int:
    return plan_overview(uow, Actor(TEAM_ID, ALICE, CHANNEL)).plan.id


def test_setup_is_told_to_the_channel_and_then_the_overview_shows_the_plan(
    bot_server: BotServer,
) -> None:
    setup = plan(bot_server, 'setup "Devon ICS" tz:Europe/London')
    assert setup["response_type"] == "in_channel"
    assert "Devon ICS" in setup["text"] and f"<@{ALICE}>" in shown(setup)
    overview = plan(bot_server, user_id=BOB)
    assert overview["response_type"] == "ephemeral"
    assert overview["text"].startswith("Devon ICS: 0 actions")
    assert "Your role: *member*" in shown(overview)
    assert f"<#{CHANNEL}>" in shown(overview)


def test_setup_takes_the_default_timezone_from_settings(make_bot_server: Any) -> None:
    bot = make_bot_server(timezone="Europe/Dublin")
    plan(bot, 'setup "Dublin trial"')
    assert "Europe/Dublin" in shown(plan(bot))


def test_the_overview_in_an_unlinked_channel_says_how_to_set_up(bot_server: BotServer) -> None:
    reply = plan(bot_server)
    assert "isn't linked to a plan yet" in reply["text"]
    assert "/plan setup" in shown(reply)


def test_help_lists_every_form(bot_server: BotServer) -> None:
    reply = plan(bot_server, "help")
    for form in (
        "setup",
        "functions",
        "partners add",
        "role @user",
        "board #channel",
        "settings me",
        "digest [post]",
        "export actions|risks|feedback",
    ):
        assert f"/plan {form}" in shown(reply)


def test_the_functions_table_calls_out_the_gaps(devon: BotServer, uow: UnitOfWork) -> None:
    with uow.transaction() as session:
        session.add(
            Action(
                plan_id=_plan_id(uow),
                number=1,
                title="Wellbeing hubs",
                function_id=1,
                status="off-track",
                created_by=ALICE,
                updated_by=ALICE,
            )
        )
    reply = plan(devon, "functions")
    assert "9 with no active work" in reply["text"]
    text = shown(reply)
    assert "*9 gaps*" in text and "2. supply" in text and "1. wellbeing" not in text
    assert "Supporting the health and wellbeing of all staff" in text
    assert ":red_circle: Red 1" in text
    assert text.count(":warning: *Gap*") == 9


def test_a_lead_adds_a_partner_with_a_forgiving_sector(devon: BotServer) -> None:
    reply = plan(devon, 'partners add "Torbay Council" sector:Council')
    assert "Added *Torbay Council* (Council)" in shown(reply)
    listing = plan(devon, "partners", user_id=BOB)
    assert "• Torbay Council · Council" in shown(listing)


def test_a_bad_sector_is_refused_showing_the_right_form(devon: BotServer) -> None:
    reply = plan(devon, 'partners add "Torbay Council" sector:banking')
    text = shown(reply)
    assert "“banking” is not a sector I know" in text
    assert '/plan partners add \\"Org\\" sector:nhs|council|social-care|vcse|primary-care' in text
    assert "Torbay" not in shown(plan(devon, "partners"))


def test_a_partner_needs_a_sector(devon: BotServer) -> None:
    reply = plan(devon, "partners add Torbay Council")
    assert "Say the partner's sector" in reply["text"]
    assert "Torbay" not in shown(plan(devon, "partners"))


def test_a_duplicate_partner_is_refused(devon: BotServer) -> None:
    plan(devon, 'partners add "Torbay Council" sector:council')
    reply = plan(devon, 'partners add "torbay council" sector:council')
    assert "“Torbay Council” is already a partner" in reply["text"]


def test_a_member_may_not_add_a_partner(devon: BotServer) -> None:
    reply = plan(devon, 'partners add "Torbay Council" sector:council', user_id=BOB)
    assert "Only the plan's leads and chairs can add partners" in reply["text"]


def test_a_lead_gives_a_role_and_the_last_lead_is_kept(devon: BotServer) -> None:
    reply = plan(devon, f"role <@{BOB}|bob> chair")
    assert f"<@{BOB}> is now *chair*" in shown(reply)
    refused = plan(devon, f"role <@{ALICE}> member")
    assert "at least one lead" in shown(refused)
    assert "/plan role @user chair|lead|data-lead|member" in shown(refused)
    assert "Your role: *lead*" in shown(plan(devon))


def direct_messages(bot: BotServer, user_id: str) -> list[dict[str, Any]]:
    sent = [c.params for c in bot.standin.calls_to("chat.postMessage")]
    return [message for message in sent if message["channel"] == user_id]


def test_a_new_chair_who_takes_the_lead_is_posted_in_the_channel_and_each_person_told(
    devon: BotServer,
) -> None:
    made_chair = plan(devon, f"role <@{BOB}> chair")
    assert made_chair["response_type"] == "in_channel"
    assert f"<@{BOB}> is now *chair* of Devon ICS (was member), by <@{ALICE}>" in shown(made_chair)
    [told_bob] = direct_messages(devon, BOB)
    assert_valid_blocks(told_bob)
    assert f"<@{ALICE}> made you *chair* of Devon ICS (you were member)" in shown(told_bob)

    plan(devon, f"role <@{BOB}> lead", user_id=BOB)
    demoted = plan(devon, f"role <@{ALICE}> member", user_id=BOB)
    assert demoted["response_type"] == "in_channel"
    [told_alice] = direct_messages(devon, ALICE)
    assert f"<@{BOB}> made you *member* of Devon ICS (you were lead)" in shown(told_alice)
    assert len(direct_messages(devon, BOB)) == 1  # not told of the change they made themself
    with devon.uow.transaction() as session:
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "role").order_by(AuditEntry.id)
        ).all()
        assert [(e.actor_id, e.ref, e.detail["new"]) for e in audited] == [
            (ALICE, BOB, "chair"),
            (BOB, BOB, "lead"),
            (BOB, ALICE, "member"),
        ]


def test_a_data_lead_is_told_privately_and_not_posted(devon: BotServer) -> None:
    reply = plan(devon, f"role <@{BOB}> data-lead")
    assert reply["response_type"] == "ephemeral"
    [told] = direct_messages(devon, BOB)
    assert "made you *data lead*" in shown(told)


def test_plan_roles_lists_everyone_with_a_role_by_role(devon: BotServer) -> None:
    plan(devon, f"role <@{BOB}> chair")
    plan(devon, "role <@U0DANA> data-lead")
    listing = plan(devon, "roles", user_id="U0EVE")
    assert listing["response_type"] == "ephemeral"
    text = shown(listing)
    assert f"• *Lead*: <@{ALICE}>" in text
    assert f"• *Chair*: <@{BOB}>" in text
    assert "• *Data lead*: <@U0DANA>" in text
    assert "Everyone else in the plan's channels is a member" in text
    assert "/plan roles" in shown(plan(devon, "help"))


def test_a_role_may_be_typed_in_two_words(devon: BotServer) -> None:
    reply = plan(devon, f"role <@{BOB}> data lead")
    assert f"<@{BOB}> is now *data lead*" in shown(reply)


def test_a_role_needs_one_person_and_a_role(devon: BotServer) -> None:
    assert "Mention one person" in plan(devon, "role chair")["text"]
    assert "Say the role to give" in plan(devon, f"role <@{BOB}>")["text"]
    refused = plan(devon, f"role <@{BOB}> boss")
    assert "“boss” is not a role" in refused["text"]


def test_a_member_may_not_give_roles(devon: BotServer) -> None:
    reply = plan(devon, f"role <@{BOB}> lead", user_id=BOB)
    assert "Only the plan's leads and chairs can change roles" in reply["text"]


def test_a_lead_chooses_the_board_channel(devon: BotServer) -> None:
    reply = plan(devon, "board <#C0BOARD|people-board>")
    assert "<#C0BOARD>" in shown(reply)
    assert "Board channel: <#C0BOARD>" in shown(plan(devon))


def test_settings_without_a_board_channel_say_how_to_choose_one(devon: BotServer) -> None:
    text = shown(plan(devon, "settings"))
    assert "no board channel yet: `/plan board #channel`" in text
    assert "not set" not in text


def test_settings_change_and_show(devon: BotServer) -> None:
    reply = plan(devon, "settings digest:fri@16:00 quiet:none anonymity:7")
    text = shown(reply)
    assert "Changed: digest, quiet, anonymity" in text
    assert "Friday 16:00" in text and "`anonymity:7`" in text
    assert "Friday 16:00" in shown(plan(devon, "settings", user_id=BOB))


@pytest.mark.parametrize(
    ("text", "says", "form"),
    [
        ("settings digest:monday", "needs a day and a time", "settings [digest:mon@09:00]"),
        ("settings nudges:9am", "is not a time of day", "settings [digest:mon@09:00]"),
        ("settings anonimity:5", "`anonimity:` isn't an option here", "settings [digest:"),
        ("settings me days:funday", "is not a day of the week", "settings me [days:mon,tue,thu]"),
        ("settings me away:someday", "someday", "settings me [days:mon,tue,thu]"),
    ],
)
def test_bad_settings_are_refused_with_the_right_form(
    devon: BotServer, text: str, says: str, form: str
) -> None:
    reply = plan(devon, text)
    assert says in shown(reply)
    assert f"/plan {form}" in shown(reply)


def test_a_member_sets_their_own_working_pattern(devon: BotServer) -> None:
    reply = plan(devon, "settings me days:mon,tue,thu away:2026-12-24", user_id=BOB)
    text = shown(reply)
    assert "Changed: days, away" in text
    assert "mon, tue, thu" in text and "Thu 24 Dec 2026" in text


def test_a_member_may_not_change_the_plan_settings(devon: BotServer) -> None:
    reply = plan(devon, "settings anonymity:5", user_id=BOB)
    assert "Only the plan's leads and chairs can change the plan's settings" in reply["text"]


def test_a_lead_changes_the_plans_timezone_and_it_is_audited(devon: BotServer) -> None:
    reply = plan(devon, "settings tz:Europe/Paris")
    assert "Changed: tz" in shown(reply)
    assert "Timezone: Europe/Paris" in shown(plan(devon, "settings", user_id=BOB))
    with devon.uow.transaction() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.verb == "settings")).one()
        assert (entry.actor_id, entry.detail) == (
            ALICE,
            {"changes": {"tz": ["Europe/London", "Europe/Paris"]}},
        )
    refused = plan(devon, "settings tz:Europe/Paris", user_id=BOB)
    assert "Only the plan's leads and chairs can change the plan's settings" in refused["text"]


def test_a_timezone_that_does_not_exist_is_refused_with_the_right_form(devon: BotServer) -> None:
    reply = plan(devon, "settings tz:Europe/Plymouth")
    assert "“Europe/Plymouth” is not a timezone I know" in shown(reply)
    assert "/plan settings [digest:mon@09:00]" in shown(reply)
    assert "[tz:Europe/London]" in shown(reply)
    assert "Timezone: Europe/London" in shown(plan(devon, "settings"))


def _uploaded_csv(bot: BotServer) -> tuple[dict[str, Any], list[list[str]]]:
    (upload,) = bot.standin.wait_for_calls("upload")
    (complete,) = bot.standin.wait_for_calls("files.completeUploadExternal")
    assert upload.body.startswith(b"\xef\xbb\xbf")
    return complete.params, list(csv.reader(io.StringIO(upload.body.decode("utf-8-sig"))))


def test_an_actions_export_is_uploaded_to_the_channel(devon: BotServer, uow: UnitOfWork) -> None:
    with uow.transaction() as session:
        session.add(
            Action(
                plan_id=_plan_id(uow),
                number=1,
                title="=cmd|' /C calc'!A0",
                status="on-track",
                created_by=ALICE,
                updated_by=ALICE,
            )
        )
    reply = plan(devon, "export actions", user_id=BOB)
    assert "uploaded to this channel" in shown(reply)
    params, rows = _uploaded_csv(devon)
    assert params["channel_id"] == CHANNEL
    assert rows[0][:3] == ["Ref", "Title", "Status"]
    assert rows[1][:3] == ["A-1", "'=cmd|' /C calc'!A0", "Green (on track)"]


def test_a_feedback_export_goes_only_to_its_reader_and_keeps_anonymity(
    devon: BotServer, uow: UnitOfWork
) -> None:
    plan_id = _plan_id(uow)
    with uow.transaction() as session:
        session.add_all(
            [
                Feedback(
                    plan_id=plan_id, number=1, source="staff", text="Rotas late", anonymous=True
                ),
                Feedback(
                    plan_id=plan_id, number=2, source="carer", text="Good respite", author_id=BOB
                ),
            ]
        )
    devon.standin.set_user(BOB, profile={"real_name": "Bob Okafor", "display_name": "bob"})
    reply = plan(devon, "export feedback")
    assert "direct message" in shown(reply)
    params, rows = _uploaded_csv(devon)
    assert params["channel_id"] == "D" + ALICE[1:], "a DM with the reader, not the channel"
    author = rows[0].index("Author")
    assert [(r[0], r[author]) for r in rows[1:]] == [("F-1", ""), ("F-2", "Bob Okafor")]


def test_an_export_names_owners_and_keeps_the_id_of_anyone_slack_cannot_name(
    devon: BotServer, uow: UnitOfWork
) -> None:
    with uow.transaction() as session:
        for number, owner in ((1, BOB), (2, "UGONE")):
            session.add(
                Action(
                    plan_id=_plan_id(uow),
                    number=number,
                    title="Rotational posts",
                    owner_id=owner,
                    created_by=ALICE,
                    updated_by=ALICE,
                )
            )
    devon.standin.set_user(BOB, profile={"real_name": "Bob Okafor", "display_name": "bob"})
    devon.standin.forget_user("UGONE")
    plan(devon, "export actions")
    _, rows = _uploaded_csv(devon)
    owner = rows[0].index("Owner")
    assert [r[owner] for r in rows[1:]] == ["Bob Okafor", "UGONE"]


def test_a_member_may_not_export_feedback(devon: BotServer) -> None:
    reply = plan(devon, "export feedback", user_id=BOB)
    assert "leads, chairs and data leads can export feedback" in reply["text"]
    assert devon.standin.calls_to("files.getUploadURLExternal") == []


def test_an_unknown_export_shows_the_form(devon: BotServer) -> None:
    reply = plan(devon, "export people")
    assert "/plan export actions|risks|feedback" in shown(reply)


def test_a_failed_upload_is_told_to_the_user(devon: BotServer) -> None:
    devon.standin.fail("files.completeUploadExternal", status=400)
    reply = plan(devon, "export risks")
    assert "didn't take the file" in reply["text"]


def test_a_plan_name_is_shown_as_text_never_as_markup(bot_server: BotServer) -> None:
    # Slack sends a typed `&`, `<`, `>` escaped, and a typed @channel as a ping.
    setup = plan(bot_server, 'setup "Devon &amp; Cornwall &lt;pilot&gt; <!channel>"')
    overview = plan(bot_server)
    for message in (setup, overview):
        mrkdwn = [message["text"], *_mrkdwn_texts(message["blocks"])]
        assert any("Devon &amp; Cornwall &lt;pilot&gt; @channel" in t for t in mrkdwn)
        assert not any("<pilot>" in t or "<!channel>" in t for t in mrkdwn)


def _mrkdwn_texts(node: Any) -> list[str]:
    if isinstance(node, list):
        return [t for item in node for t in _mrkdwn_texts(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == "mrkdwn" else []
    return own + [t for value in node.values() for t in _mrkdwn_texts(value)]
