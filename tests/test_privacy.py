"""Privacy over signed HTTP, with every logger at DEBUG and Slack failing now and then.

- Anonymous feedback: its giver's Slack user id is in no table, no log line, no message
  or file sent to Slack (replies, exports, the digest).
- The bot token and the signing secret never appear in a log line.
- Text holding a valid NHS number is refused before it is stored, with a message asking to
  remove patient-identifiable data, and the refusal does not log the text.
- Feedback through the public web form keeps no address, user agent or cookie in any
  table, log line or message, and the form sets no cookie.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, func, select

from governance.feedback.models import Feedback
from governance.models import Base
from tests.feedback_form_client import FormVisitor, page_text
from tests.slack_faults import FaultyStandin
from tests.slack_harness import BOT_TOKEN, SIGNING_SECRET, BotServer

pytestmark = pytest.mark.real_http  # the logs include the HTTP server's own

GIVER = "U0ANON5PRV"
LEAD = "U0PRVLEAD"
DATA_LEAD = "U0PRVDATA"
CHANNEL = "C0PRIVACY"
BOARD = "C0PRVBOARD"
LOGGERS = ("", "sqlalchemy", "governance", "govbot", "bot", "slack_bolt", "slack_sdk", "waitress")
REFUSAL = "please remove patient-identifiable data"
# What a browser sends that could point at a person: none of it may be kept or logged.
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel-7-Ward4)",
    "X-Forwarded-For": "203.0.113.9",
    "Cookie": "session=person-42",
}


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record at DEBUG, SQL statements and their parameters included."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything the log records say, as a handler would format it, plus their arguments
    and any exception text."""
    lines = []
    for record in caplog.records:
        lines.append(f"{record.name} {record.getMessage()} {record.args!r}")
        if record.exc_info and record.exc_info[1] is not None:
            lines.append(repr(record.exc_info[1]))
        if record.exc_text:
            lines.append(record.exc_text)
    return "\n".join(lines)


def sent_to_slack(standin: FaultyStandin, but_to: str) -> str:
    """Every call the bot made to Slack — parameters and raw bodies (uploaded files) — but
    an ephemeral reply to `but_to` themselves, which Slack can only deliver by their id."""
    return "\n".join(
        json.dumps(call.params, ensure_ascii=False) + call.body.decode("utf-8", "replace")
        for call in standin.calls
        if not (call.method == "chat.postEphemeral" and call.params.get("user") == but_to)
    )


def rows_holding(engine: Engine, needle: str) -> list[str]:
    found = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                if needle in repr(tuple(row)):
                    found.append(f"{table.name}: {tuple(row)!r}")
    return found


def settle(bot: BotServer) -> None:
    """Stop the server and wait for every listener's work after its ack, so all logs are in."""
    bot.stop()


def say(bot: BotServer, command: str, text: str, user: str = LEAD) -> str:
    sent = bot.slash(command, text, user_id=user, channel_id=CHANNEL)
    assert sent.status == 200
    # Generous: posting the digest draws its chart, slow the first time matplotlib runs.
    return json.dumps(bot.reply_to(sent, timeout=30), ensure_ascii=False)


@pytest.fixture
def plan(bot_server: BotServer) -> BotServer:
    say(bot_server, "/plan", 'setup "Privacy ICS workforce plan"')
    say(bot_server, "/plan", f"board <#{BOARD}|people-board>")
    say(bot_server, "/plan", f"role <@{DATA_LEAD}> data-lead")
    return bot_server


def test_anonymous_feedback_leaves_its_giver_in_no_table_log_export_or_digest(
    plan: BotServer, engine: Engine, debug_logs: pytest.LogCaptureFixture
) -> None:
    bot = plan
    # Slack stumbles on the way: the bot retries, and logs, without revealing anyone.
    bot.standin.fail("chat.postMessage", status=500, times=1)
    bot.standin.fail("response", status=429, retry_after=0, times=1)
    for n in range(12):
        reply = bot.slash_reply(
            "/feedback",
            f'staff "Night shift handover {n}" function:wellbeing rating:2 anonymous',
            user_id=GIVER,
            channel_id=CHANNEL,
        )
        assert "F-" in json.dumps(reply)
    submitted = bot.submit(
        "feedback_give",
        {
            "feedback_source": {"type": "static_select", "selected_option": {"value": "carer"}},
            "feedback_text": "No respite for carers",
            "feedback_anonymous": {
                "type": "checkboxes",
                "selected_options": [{"value": "anonymous"}],
            },
        },
        private_metadata=bot.sealed({"channel_id": CHANNEL}, user_id=GIVER),
        user_id=GIVER,
    )
    assert submitted.status == 200 and "errors" not in submitted.json()
    listing = say(bot, "/feedback", "list", user=DATA_LEAD)
    assert "Night shift handover 11" in listing
    answered = say(bot, "/feedback", 'answer F-1 "Handover checklist agreed" ')
    assert "Handover checklist agreed" in answered
    export = say(bot, "/plan", "export feedback", user=DATA_LEAD)
    assert "feedback" in export.lower()
    uploads = bot.standin.calls_to("upload")
    assert uploads and b"Night shift handover 11" in uploads[-1].body
    preview = say(bot, "/plan", "digest")
    assert "Handover checklist agreed" in preview
    say(bot, "/plan", "digest post")
    posted = [c for c in bot.standin.calls_to("chat.postMessage") if c.params["channel"] == BOARD]
    assert posted, "the digest reached the board channel"
    settle(bot)

    with engine.connect() as connection:
        anonymous = connection.execute(
            select(func.count()).select_from(Feedback).where(Feedback.anonymous)
        ).scalar_one()
    assert anonymous == 13
    assert "INSERT INTO feedback" in logged(debug_logs), "the capture saw the SQL"
    assert GIVER not in logged(debug_logs)
    assert GIVER not in sent_to_slack(bot.standin, but_to=GIVER)
    assert rows_holding(engine, GIVER) == []


def test_tokens_and_the_signing_secret_never_reach_the_logs(
    plan: BotServer, debug_logs: pytest.LogCaptureFixture
) -> None:
    bot = plan
    bot.standin.fail("chat.postMessage", status=429, retry_after=0, times=1)
    bot.standin.fail("chat.postMessage", status=500, times=1)
    bot.standin.fail("views.open", status=500, times=3)
    bot.standin.fail("files.getUploadURLExternal", status=500, times=3)
    say(bot, "/action", f'add "Rota review" owner:<@{DATA_LEAD}>')
    say(bot, "/action", "")  # the add form, whose views.open keeps failing
    say(bot, "/plan", "export actions")
    assert (
        bot.post(b"token=forged", "application/x-www-form-urlencoded", signed=False).status == 401
    )
    assert (
        bot.post(
            b"command=/plan&text=help", "application/x-www-form-urlencoded", secret="wrong-secret"
        ).status
        == 401
    )
    bot.standin.stop()  # Slack unreachable: the bot's failures are logged too
    bot.slash("/plan", "", user_id=LEAD, channel_id=CHANNEL)
    bot.slash("/action", 'add "Unreachable Slack"', user_id=LEAD, channel_id=CHANNEL)
    settle(bot)

    text = logged(debug_logs)
    assert "chat.postMessage" in text or "chat_postMessage" in text, "the capture saw Slack calls"
    assert BOT_TOKEN not in text
    assert BOT_TOKEN.split("-", 1)[1] not in text
    assert SIGNING_SECRET not in text


NHS_NUMBERS = ("9434765919", "943 476 5919", "943-476-5919", "609 139 0996")
NOT_AN_NHS_NUMBER = "943 476 5918"  # fails the modulus-11 check


@pytest.mark.parametrize("number", NHS_NUMBERS)
def test_text_holding_an_nhs_number_is_refused_before_it_is_stored_and_not_logged(
    plan: BotServer, engine: Engine, debug_logs: pytest.LogCaptureFixture, number: str
) -> None:
    bot = plan
    say(bot, "/action", 'add "Baseline action"')
    commands = [
        ("/feedback", f'staff "Patient {number} waited six hours" anonymous'),
        ("/feedback", f'service-user "Named feedback about {number}"'),
        ("/action", f'add "Follow up {number}"'),
        ("/action", f'update A-1 progress:10 "Called about {number}"'),
        ("/action", f'done A-1 "Closed for {number}"'),
        ("/action", f'challenge A-1 "What about {number}?"'),
        ("/win", f'"Discharged {number} a day early"'),
        ("/risk", f'add "Delay for {number}" likelihood:3 impact:3'),
    ]
    for command, text in commands:
        reply = say(bot, command, text)
        assert REFUSAL in reply, (command, reply)
        assert number not in reply
    forms = [
        (
            "feedback_give",
            {
                "feedback_source": {"type": "static_select", "selected_option": {"value": "staff"}},
                "feedback_text": f"Ward note {number}",
            },
        ),
        ("action_add", {"title": f"Chase {number}"}),
        ("win_add", {"win_text": f"Thanks from {number}"}),
    ]
    for callback_id, values in forms:
        result = bot.submit(
            callback_id,
            values,
            private_metadata=bot.sealed({"channel_id": CHANNEL}, user_id=LEAD),
            user_id=LEAD,
        )
        body = result.json()
        assert body["response_action"] == "errors", (callback_id, body)
        assert any(REFUSAL in message for message in body["errors"].values()), body
    settle(bot)

    digits = number.replace(" ", "").replace("-", "")
    assert rows_holding(engine, number) == [] and rows_holding(engine, digits) == []
    text = logged(debug_logs)
    assert "INSERT INTO actions" in text, "the capture saw the SQL"
    for spelling in {number, digits, number.replace(" ", "+")}:
        assert spelling not in text


def test_a_ten_digit_number_failing_the_check_digit_is_stored(
    plan: BotServer, engine: Engine
) -> None:
    reply = say(plan, "/feedback", f'staff "Rota line {NOT_AN_NHS_NUMBER} is always busy"')
    assert REFUSAL not in reply
    assert rows_holding(engine, NOT_AN_NHS_NUMBER)


def test_feedback_through_the_web_form_leaves_no_address_browser_or_cookie_anywhere(
    make_bot_server: Callable[..., BotServer], engine: Engine, debug_logs: pytest.LogCaptureFixture
) -> None:
    bot = make_bot_server(public_url="https://govbot.example.nhs.uk")
    say(bot, "/plan", 'setup "Privacy ICS workforce plan"')
    say(bot, "/plan", f"board <#{BOARD}|people-board>")
    made = say(bot, "/plan", 'feedback-link area:"Ward 4"')
    [path] = re.findall(r"https://govbot\.example\.nhs\.uk(/f/[A-Za-z0-9_-]+)", made)[:1]
    visitor = FormVisitor(bot.url, path)
    for n in range(3):
        sent = visitor.send(text=f"Night staff were kind {n}", headers=BROWSER_HEADERS)
        assert sent.status == 303
        assert "Set-Cookie" not in sent.headers and "Set-Cookie" not in visitor.open().headers
    assert "Night staff were kind 2" in say(bot, "/feedback", "list")
    say(bot, "/feedback", 'answer F-1 "Thanked the night team" public')
    assert "Thanked the night team" in page_text(visitor.open())
    say(bot, "/plan", "export feedback")
    say(bot, "/plan", "digest post")
    settle(bot)

    with engine.connect() as connection:
        authors = connection.execute(select(Feedback.author_id)).scalars().all()
    assert authors == [None, None, None]
    text = logged(debug_logs)
    assert "INSERT INTO feedback" in text, "the capture saw the SQL"
    # The client's own address is 127.0.0.1 here, as is the Slack stand-in's in the logs.
    assert rows_holding(engine, "127.0.0.1") == []
    for trace in ("203.0.113.9", "Pixel-7-Ward4", "session=person-42"):
        assert trace not in text, trace
        assert rows_holding(engine, trace) == [], trace
        assert trace not in sent_to_slack(bot.standin, but_to=LEAD), trace
