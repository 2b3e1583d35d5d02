"""`govbot serve --socket` end to end: the real process, connected to a loopback Socket Mode
server speaking Slack's side (apps.connections.open on the stand-in, `hello`, envelopes,
acknowledgements, `disconnect` and a reconnect). Replies travel as over HTTP: to response URLs
and through the Web API on the stand-in.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from governance.actor import Actor
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.use_cases import setup_plan
from tests.slack_faults import FaultyStandin
from tests.slack_harness import (
    ALICE,
    BOT_TOKEN,
    CHANNEL,
    TEAM_ID,
    assert_valid_blocks,
    block_actions_payload,
    event_callback_body,
    slash_command_fields,
    view_submission_payload,
)
from tests.slack_signing import SIGNING_SECRET
from tests.socket_mode_slack import SocketModeSlack

APP_TOKEN = "xapp-1-A0GOVBOT-1-test"
ACK_WITHIN = 3.0


@pytest.fixture
def slack(standin: FaultyStandin) -> Iterator[SocketModeSlack]:
    with SocketModeSlack() as slack:
        standin.set_socket_mode_url(slack.url)
        yield slack


@pytest.fixture
def govbot_socket(
    tmp_path: Path, database_url: str, standin: FaultyStandin, slack: SocketModeSlack
) -> Iterator[subprocess.Popen[str]]:
    """`govbot serve --socket` in its own process, settings from the environment only."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": standin.api_url,
        "PYTHONUNBUFFERED": "1",
    }
    log = (tmp_path / "govbot.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--socket"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
        print((tmp_path / "govbot.log").read_text())  # shown by pytest when the test fails


def test_commands_buttons_forms_and_app_home_work_over_socket_mode_across_a_reconnect(
    govbot_socket: subprocess.Popen[str],
    slack: SocketModeSlack,
    standin: FaultyStandin,
    uow: UnitOfWork,
) -> None:
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    slack.wait_for_connection()
    [opened] = standin.calls_to("apps.connections.open")
    assert opened.token == APP_TOKEN

    def command(text: str) -> dict[str, object]:
        name = f"socket-{len(standin.calls)}"
        fields = slash_command_fields(
            "/action",
            text,
            response_url=standin.response_url(name),
            trigger_id=f"{name}.{TEAM_ID}.trigger",
        )
        ack = slack.send("slash_commands", fields)
        assert ack.seconds < ACK_WITHIN
        [reply] = standin.wait_for(lambda: standin.responses(name), timeout=10)
        assert_valid_blocks(reply)
        return reply

    assert "A-1" in str(command('add "Staff passport"')["text"])

    # A button on a message.
    name = "socket-button"
    click = block_actions_payload(
        "action_done",
        f"{plan.id}:A-1",
        trigger_id=f"button.{TEAM_ID}.trigger",
        response_url=standin.response_url(name),
    )
    assert slack.send("interactive", click).seconds < ACK_WITHIN
    [done] = standin.wait_for(lambda: standin.responses(name), timeout=10)
    assert "A-1 done" in done["text"]

    # A form: opened by a command, submitted as a view_submission.
    fields = slash_command_fields(
        "/action", "", response_url=standin.response_url("form"), trigger_id="form.trigger"
    )
    assert slack.send("slash_commands", fields).seconds < ACK_WITHIN
    [view_opened] = standin.wait_for_calls("views.open", timeout=10)
    view = view_opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_blocks(view)
    submission = view_submission_payload(
        view["callback_id"],
        {"title": "Joint apprenticeships"},
        view_id="V0FORM",
        trigger_id="submit.trigger",
        bot_id=standin.bot_id,
        private_metadata=view["private_metadata"],
    )
    saved = slack.send("interactive", submission)
    assert saved.seconds < ACK_WITHIN
    assert "errors" not in json.dumps(saved.message.get("payload") or {})
    [confirmed] = standin.wait_for_calls("chat.postEphemeral", timeout=10)
    assert "A-2 added" in confirmed.params["text"]

    # App Home.
    home = event_callback_body(
        {"type": "app_home_opened", "user": ALICE, "channel": "D0ALICE", "tab": "home"},
        event_id="Ev0SOCKET1",
        bot_user_id=standin.bot_user_id,
    )
    assert slack.send("events_api", home).seconds < ACK_WITHIN
    [published] = standin.wait_for_calls("views.publish", timeout=10)
    assert published.params["user_id"] == ALICE
    assert_valid_blocks(published.params["view"])

    # Slack asks for a reconnect: a new URL, a new hello, and commands still work.
    slack.disconnect()
    assert len(standin.calls_to("apps.connections.open")) == 2
    assert slack.connections_made == 2
    listed = json.dumps(command("list"))
    assert "Joint apprenticeships" in listed and "Staff passport" not in listed  # A-1 is done
    assert govbot_socket.poll() is None, "govbot serve --socket is still running"
