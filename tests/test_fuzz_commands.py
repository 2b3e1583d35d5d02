"""Property-based fuzzing of every command's text, of the forms' text inputs, and of the
public feedback form's fields, over HTTP.

Whatever is typed — any unicode, unbalanced or smart quotes, control characters, Slack
escapes in the wrong places, 10,000-character strings — govbot acknowledges at once, never
answers 5xx, raises nothing unhandled (no ERROR is logged), always replies with a valid
message, and stores no text beyond the documented limits (titles 200 characters, long text
3,000).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from bot.command_router import SORRY_TEXT
from governance.actions.models import Action, ActionUpdateEntry
from governance.challenges.models import Challenge
from governance.decisions.models import Decision
from governance.feedback.models import Feedback
from governance.issues.models import Issue, IssueHistoryEntry
from governance.plans.models import Partner, Plan
from governance.risks.models import Risk
from governance.wins.models import Win
from tests.feedback_form_client import FormVisitor
from tests.slack_harness import CHANNEL, BotServer, assert_valid_blocks

LEAD = "U0FUZZLEAD"
TITLE_MAX = 200
LONG_TEXT_MAX = 3000
EXAMPLES = 40

SUBCOMMANDS = {
    "/plan": [
        "",
        "setup",
        "functions",
        "partners",
        "partners add",
        "role",
        "board",
        "settings",
        "settings me",
        "digest",
        "export",
        "feedback-link",
        "feedback-link links",
        "feedback-link revoke",
        "help",
    ],
    "/action": ["add", "list", "show", "update", "done", "challenge", "answer", "help", ""],
    "/risk": ["add", "list", "show", "update", "close", "materialise", "help"],
    "/feedback": ["staff", "service-user", "carer", "partner", "list", "answer", "help"],
    "/win": ["", "list", "help"],
    "/measure": ["", "add", "record", "list", "show", "rebase", "retire", "grace", "help"],
    "/decision": ["", "propose", "agree", "reject", "defer", "list", "show", "help"],
    "/issue": ["add", "list", "show", "update", "resolve", "help", ""],
}

GRAMMAR_WORDS = [
    '"',
    "“",
    "”",
    "'",
    "‘",
    "’",
    '""',
    '"unbalanced',
    'closed"',
    '\\"',
    "status:",
    "status:amber",
    "status:purple",
    "progress:",
    "progress:140",
    "progress:-1",
    "due:",
    "due:2027-02-30",
    "due:+2w",
    "due:friday",
    "due:31 Mar",
    "owner:",
    "owner:@",
    "owner:<@U0OTHER>",
    "function:",
    "function:supply",
    "function:11",
    "function:0",
    "partner:",
    'partner:"Org',
    "share:",
    'share:"A"=60,"B"=50',
    "share:=",
    "lead:",
    "likelihood:",
    "likelihood:9",
    "impact:likely",
    "impact:5",
    "review:",
    "target:26",
    "mitigation:",
    "rating:",
    "rating:very good",
    "rating:6",
    "anonymous",
    "tz:",
    "tz:Mars/Base",
    "digest:",
    "digest:mon@25:00",
    "nudges:",
    "quiet:",
    "days:",
    "away:",
    "sector:",
    "A-1",
    "A-0",
    "A-99999999999999",
    "R-2",
    "F-3",
    "W-4",
    "D-1",
    "informed-by:R-2,M-1",
    "affects:A-1,",
    "until:",
    "forum:",
    "a3",
    "#3",
    "A-",
    "-1",
    "R-1.5",
    "<@U0FUZZ>",
    "<@U0FUZZ|name>",
    "<@>",
    "<#C0FUZZ|chan>",
    "<#>",
    "<!channel>",
    "<!here>",
    "<!subteam^S123>",
    "<http://example.org|link>",
    "<mailto:a@b.c>",
    "&lt;",
    "&gt;",
    "&amp;",
    "<",
    ">",
    "|",
    "*bold*",
    "_it_",
    "~s~",
    "`code`",
    "```",
    ":tada:",
    "@here",
    "\n",
    "\t",
    "\r\n",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\u200b",
    "\ufeff",
    "🇬🇧",
    "👩🏽‍⚕️",
    "ß",
    "İ",
    "Ω",
    "9434765919",
    "943 476 5919",
    "x" * 201,
    "y" * 3001,
    "z" * 10_000,
]

words = st.one_of(
    st.sampled_from(GRAMMAR_WORDS),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12),
)
texts = st.one_of(
    st.lists(words, max_size=8).map(" ".join),
    st.text(max_size=200),
    st.sampled_from(["a" * 10_000, '"' + "b" * 10_000 + '"', "\x00" * 50, " " * 500]),
)


@pytest.fixture
def fuzzed(
    make_bot_server: Callable[..., BotServer], caplog: pytest.LogCaptureFixture
) -> BotServer:
    """A plan with an action, a risk, an issue (and a risk that became one), feedback, a win
    and a feedback link for references to reach."""
    caplog.set_level(logging.WARNING)
    bot_server = make_bot_server(public_url="https://govbot.example.nhs.uk")
    for command, text in (
        ("/plan", 'setup "Fuzz ICS workforce plan"'),
        ("/plan", 'partners add "Fuzz Trust" sector:nhs'),
        ("/action", 'add "First action"'),
        ("/risk", 'add "First risk" likelihood:3 impact:3'),
        ("/risk", 'add "Second risk" likelihood:2 impact:4'),
        ("/risk", "materialise R-2"),
        ("/issue", 'add "First issue" severity:3 action:A-1'),
        ("/feedback", 'staff "First feedback"'),
        ("/win", '"First win"'),
        ("/plan", 'feedback-link area:"First ward"'),
    ):
        bot_server.slash_reply(command, text, user_id=LEAD)
    return bot_server


def answer_to(bot: BotServer, command: str, text: str, user: str) -> dict[str, Any]:
    """Send the command; its reply (a message, or the form it opened)."""
    forms_before = len(bot.standin.calls_to("views.open"))
    sent = bot.slash(command, text, user_id=user, channel_id=CHANNEL)
    assert sent.status == 200, (command, text, sent.result)
    assert sent.result.body == b"", "acknowledged at once, with nothing else"

    def answered() -> dict[str, Any] | None:
        responses = bot.standin.responses(sent.response_name)
        if responses:
            return responses[0]
        forms = bot.standin.calls_to("views.open")
        return forms[-1].params["view"] if len(forms) > forms_before else None

    return bot.standin.wait_for(answered, timeout=15)


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


def check_stored_text(engine: Engine) -> None:
    """No user text in the database is longer than its documented limit."""
    limits = [
        (Action.title, TITLE_MAX),
        (Action.description, LONG_TEXT_MAX),
        (ActionUpdateEntry.note, LONG_TEXT_MAX),
        (Risk.title, TITLE_MAX),
        (Risk.mitigation, LONG_TEXT_MAX),
        (Feedback.text, LONG_TEXT_MAX),
        (Feedback.answer, LONG_TEXT_MAX),
        (Win.text, LONG_TEXT_MAX),
        (Challenge.question, LONG_TEXT_MAX),
        (Challenge.answer, LONG_TEXT_MAX),
        (Decision.title, TITLE_MAX),
        (Decision.proposal, LONG_TEXT_MAX),
        (Decision.reasons, LONG_TEXT_MAX),
        (Decision.outcome_note, LONG_TEXT_MAX),
        (Decision.forum, TITLE_MAX),
        (Issue.title, TITLE_MAX),
        (Issue.description, LONG_TEXT_MAX),
        (Issue.resolution, LONG_TEXT_MAX),
        (IssueHistoryEntry.note, LONG_TEXT_MAX),
        (Plan.name, TITLE_MAX),
        (Partner.name, TITLE_MAX),
    ]
    with engine.connect() as connection:
        for column, limit in limits:
            longest = connection.execute(select(func.max(func.length(column)))).scalar() or 0
            assert longest <= limit, f"{column} holds {longest} characters, over {limit}"


def fuzz_settings():  # type: ignore[no-untyped-def]
    return settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_any_text_gets_a_helpful_reply_and_nothing_oversized_is_stored(
    fuzzed: BotServer, engine: Engine, caplog: pytest.LogCaptureFixture, command: str
) -> None:
    bot = fuzzed
    tried: list[str] = []

    @fuzz_settings()
    @given(
        sub=st.sampled_from(SUBCOMMANDS[command]),
        text=texts,
        user=st.sampled_from([LEAD, "U0FUZZMEMBER"]),
    )
    def typed(sub: str, text: str, user: str) -> None:
        typed_text = f"{sub} {text}" if sub else text
        tried.append(typed_text)
        reply = answer_to(bot, command, typed_text, user)
        if reply.get("type") == "modal":
            assert_valid_blocks(reply)
            return
        assert reply["text"] and reply["text"] != SORRY_TEXT, (command, typed_text)
        assert_valid_blocks(reply)
        assert "<!channel>" not in json.dumps(reply) and "<!here>" not in json.dumps(reply)
        assert no_errors_logged(caplog) == [], (command, typed_text)

    typed()
    assert len(tried) >= EXAMPLES
    check_stored_text(engine)


FORMS = {
    "action_add": ("title", ["title", "description"]),
    "feedback_give": ("feedback_text", ["feedback_text", "feedback_service_area"]),
    "win_add": ("win_text", ["win_text"]),
    "decision_propose": (
        "title",
        ["title", "proposal", "reasons", "informed_by", "affects", "supersedes"],
    ),
}


@pytest.mark.parametrize("callback_id", sorted(FORMS))
def test_any_text_in_a_form_is_saved_within_limits_or_refused_on_the_form(
    fuzzed: BotServer, engine: Engine, caplog: pytest.LogCaptureFixture, callback_id: str
) -> None:
    bot = fuzzed
    errors_on, fields = FORMS[callback_id]
    metadata = bot.sealed({"channel_id": CHANNEL}, user_id=LEAD)
    tried: list[dict[str, str]] = []

    @fuzz_settings()
    @given(values=st.fixed_dictionaries({field: texts for field in fields}))
    def submitted(values: dict[str, str]) -> None:
        tried.append(values)
        if callback_id == "feedback_give":
            values = {
                **values,
                "feedback_source": {"type": "static_select", "selected_option": {"value": "staff"}},
            }
        result = bot.submit(callback_id, values, private_metadata=metadata, user_id=LEAD)
        assert result.status == 200, result
        body = result.json() if result.body else {}
        if body.get("response_action") == "errors":
            assert all(message for message in body["errors"].values())
            assert SORRY_TEXT not in json.dumps(body, ensure_ascii=False)
        elif body.get("response_action") in ("update", "push"):
            assert_valid_blocks(body["view"])
        assert no_errors_logged(caplog) == [], values

    submitted()
    assert len(tried) >= EXAMPLES
    bot.stop()  # wait for replies posted after the acknowledgement
    assert no_errors_logged(caplog) == []
    check_stored_text(engine)


@pytest.mark.real_http
def test_any_fields_posted_to_the_public_form_get_a_page_never_a_5xx(
    fuzzed: BotServer, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    bot = fuzzed
    listing = bot.slash_reply("/plan", "feedback-link links", user_id=LEAD)["text"]
    [path] = re.findall(r"(/f/[A-Za-z0-9_-]{32})", json.dumps(bot.standin.responses()))[:1]
    assert "Feedback links" in listing
    visitor = FormVisitor(bot.url, path)
    form_token = visitor.form_token()
    tried: list[dict[str, str]] = []
    answered: list[int] = []
    choices = st.one_of(texts, st.sampled_from(["staff", "carer", "Good", "Don't know", ""]))

    @fuzz_settings()
    @given(values=st.fixed_dictionaries({"source": choices, "rating": choices, "text": texts}))
    def posted(values: dict[str, str]) -> None:
        tried.append(values)
        result = visitor.send(form_token=form_token, **values)
        # Past the client's rate limit (every example comes from 127.0.0.1), a 429 page.
        assert result.status in (303, 400, 413, 429), (result.status, values)
        answered.append(result.status)
        assert result.status == 303 or b"<h1>" in result.body
        assert no_errors_logged(caplog) == [], values

    posted()
    assert len(tried) >= EXAMPLES
    assert len([status for status in answered if status != 429]) >= 30
    check_stored_text(engine)
