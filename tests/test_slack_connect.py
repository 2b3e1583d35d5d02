"""Slack Connect: a plan linked in a channel shared between organisations works for members
of every organisation in it, with the roles the plan gives them; an external owner Slack will
neither describe nor DM is shown by mention and nudged in the plan's channel, to them alone."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.jobs import JobRunner
from tests.conftest import Clock
from tests.jobs_world import at, message_text
from tests.slack_faults import FaultyStandin
from tests.slack_harness import TEAM_ID, BotServer, assert_valid_blocks

SHARED = "C0SHARED"
HOST_LEAD = "U0HOSTLEAD"
# A member of a partner organisation, in its own workspace, in the shared channel.
PARTNER_TEAM = "T0PARTNER"
PARTNER_CHAIR = "U0PARTCHAIR"
PARTNER_OWNER = "U0PARTOWNER"


def host(bot: BotServer, command: str, text: str) -> str:
    reply = bot.slash_reply(command, text, user_id=HOST_LEAD, channel_id=SHARED, team_id=TEAM_ID)
    return json.dumps(reply, ensure_ascii=False)


def partner(bot: BotServer, command: str, text: str, user: str = PARTNER_CHAIR) -> str:
    reply = bot.slash_reply(command, text, user_id=user, channel_id=SHARED, team_id=PARTNER_TEAM)
    return json.dumps(reply, ensure_ascii=False)


@pytest.fixture
def shared_plan(bot_server: BotServer) -> BotServer:
    """A plan set up in the shared channel by the host organisation's lead, who makes the
    partner organisation's member its chair."""
    host(bot_server, "/plan", 'setup "Devon ICS workforce plan"')
    host(bot_server, "/plan", f"role <@{PARTNER_CHAIR}> chair")
    return bot_server


def test_a_member_of_another_organisation_uses_the_shared_channels_plan(
    shared_plan: BotServer,
) -> None:
    overview = partner(shared_plan, "/plan", "")
    assert "Devon ICS workforce plan" in overview
    assert "chair" in overview

    added = partner(shared_plan, "/action", f'add "Joint rota" owner:<@{PARTNER_OWNER}>')
    assert "A-1" in added
    assert "Joint rota" in host(shared_plan, "/action", "list")

    # Their role is the plan's role for them: the chair reads feedback, a plain member not.
    host(shared_plan, "/feedback", 'staff "Handover works better"')
    assert "Handover works better" in partner(shared_plan, "/feedback", "list")
    refused = partner(shared_plan, "/feedback", "list", user=PARTNER_OWNER)
    assert "can read feedback" in refused
    assert "Handover works better" not in refused


def test_the_partners_own_channels_reach_no_plan_of_the_host(shared_plan: BotServer) -> None:
    reply = shared_plan.slash_reply(
        "/action", "list", user_id=PARTNER_CHAIR, channel_id="C0PARTNERONLY", team_id=PARTNER_TEAM
    )
    assert "isn't linked to a plan" in json.dumps(reply)


def test_an_external_owner_slack_will_not_dm_is_nudged_in_the_channel_once(
    shared_plan: BotServer, standin: FaultyStandin, runner: JobRunner, clock: Clock
) -> None:
    partner(shared_plan, "/action", f'add "Joint rota" owner:<@{PARTNER_OWNER}> due:2026-11-26')
    standin.forget_user(PARTNER_OWNER)  # users.info: user_not_found
    standin.refuse_dm(PARTNER_OWNER, "messages_tab_disabled")

    clock.set(at("2026-11-24T09:30"))
    report = runner.run("nudges")
    assert report.failed == []
    [ephemeral] = standin.calls_to("chat.postEphemeral")
    assert ephemeral.params["channel"] == SHARED
    assert ephemeral.params["user"] == PARTNER_OWNER
    assert_valid_blocks(ephemeral.params)
    assert "Joint rota" in message_text(ephemeral.params)
    [told] = [
        c.params for c in standin.calls_to("chat.postMessage") if c.params["channel"] == HOST_LEAD
    ]
    assert_valid_blocks(told)
    assert f"<@{PARTNER_OWNER}>" in message_text(told)
    assert "direct message" in message_text(told)

    runner.run("nudges")  # the same morning again: nothing more
    assert len(standin.calls_to("chat.postEphemeral")) == 1

    clock.set(at("2026-11-25T09:30"))
    runner.run("nudges")  # the next day's nudge, in the channel; the lead is not told again
    assert len(standin.calls_to("chat.postEphemeral")) == 2
    assert [c.params["channel"] for c in standin.calls_to("chat.postMessage")].count(HOST_LEAD) == 1


def test_an_owner_slack_will_not_describe_still_shows_in_lists_by_mention(
    shared_plan: BotServer, standin: FaultyStandin
) -> None:
    partner(shared_plan, "/action", f'add "Joint rota" owner:<@{PARTNER_OWNER}> due:2027-01-29')
    standin.forget_user(PARTNER_OWNER)
    assert f"<@{PARTNER_OWNER}>" in host(shared_plan, "/action", "list")
    assert "actions" in host(shared_plan, "/plan", "export actions")
    assert date(2027, 1, 29).isoformat() in next(
        c.body.decode() for c in standin.calls_to("upload")
    )
