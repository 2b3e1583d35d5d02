"""What buttons and forms carry is read by one parser: ASCII digits only, ids the database
can hold, the shapes govbot makes. Anything else — forged, replayed, or from an old message —
is refused with "That button no longer points at anything I know": no traceback, no 5xx."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.interactions import STALE_TEXT
from governance.actions.models import Action
from governance.risks.models import Risk
from governance.wins.models import Win
from tests.slack_harness import BotServer, assert_valid_blocks

BUTTONS = (
    "action_update",
    "action_done",
    "action_challenge",
    "risk_update",
    "risk_challenge",
    "snooze_week",
    "challenge_answer",
)
FORMS = {
    "action_add": {"title": "Forged action"},
    "action_update": {"note": "Forged note", "progress": "50"},
    "action_challenge": {"question": "Forged question?"},
    "challenge_answer": {"answer": "Forged answer"},
    "risk_add": {"title": "Forged risk", "likelihood": "3", "impact": "3"},
    "risk_update": {"likelihood": "4"},
    "risk_challenge": {"question": "Forged question?"},
    "win_add": {"win_text": "Forged win"},
    "feedback_give": {"feedback_source": "staff", "feedback_text": "Forged feedback"},
}
OUT_OF_RANGE = 99999999999999999999999


@pytest.fixture
def bot(bot_server: BotServer, caplog: pytest.LogCaptureFixture) -> BotServer:
    """Alice leads a plan with A-1 (hers) and R-1, and a challenge waiting on A-1."""
    caplog.set_level(logging.WARNING)
    for command, text in (
        ("/plan", 'setup "Devon workforce plan"'),
        ("/action", 'add "Staff passport" due:2026-11-30'),
        ("/risk", 'add "Winter pressures" likelihood:3 impact:3'),
        ("/action", 'challenge A-1 "Is this still on track?"'),
    ):
        bot_server.slash_reply(command, text)
    return bot_server


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


def click_reply(bot: BotServer, action_id: str, value: str) -> dict[str, Any]:
    sent = bot.click(action_id, value)
    assert sent.status == 200, sent.result
    answer = bot.reply_to(sent)
    assert_valid_blocks(answer)
    return answer


def counts(bot: BotServer) -> tuple[int, int, int]:
    with bot.uow.transaction() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) for model in (Action, Risk, Win)
        )


@pytest.mark.parametrize("action_id", ["action_done", "snooze_week"])
@pytest.mark.parametrize("value", [f"{OUT_OF_RANGE}:A-1", "²:A-1", "1:A-99999999999"])
def test_a_button_naming_an_impossible_id_is_refused_without_a_traceback(
    bot: BotServer, caplog: pytest.LogCaptureFixture, action_id: str, value: str
) -> None:
    answer = click_reply(bot, action_id, value)
    assert STALE_TEXT in answer["text"]
    assert errors_logged(caplog) == []
    with bot.uow.transaction() as session:
        assert session.scalars(select(Action.status)).one() == "not-started"


def test_snooze_refuses_a_plan_id_in_arabic_indic_digits(
    bot: BotServer, caplog: pytest.LogCaptureFixture
) -> None:
    answer = click_reply(bot, "snooze_week", "١:A-1")
    assert STALE_TEXT in answer["text"]
    with bot.uow.transaction() as session:
        assert session.scalars(select(Action.snoozed_until)).one() is None
    assert errors_logged(caplog) == []


def test_the_same_button_with_the_plan_in_ascii_digits_still_snoozes(bot: BotServer) -> None:
    answer = click_reply(bot, "snooze_week", "1:A-1")
    assert "snoozed" in answer["text"]


@pytest.mark.parametrize("callback_id", sorted(FORMS))
def test_a_form_whose_metadata_names_an_impossible_plan_is_refused_on_the_form(
    bot: BotServer, caplog: pytest.LogCaptureFixture, callback_id: str
) -> None:
    before = counts(bot)
    result = bot.submit(
        callback_id, FORMS[callback_id], private_metadata=bot.sealed({"plan_id": 10**30})
    )
    assert result.status == 200
    answer = result.json()
    assert answer["response_action"] == "errors"
    assert [STALE_TEXT in text for text in answer["errors"].values()] == [True]
    assert counts(bot) == before
    assert errors_logged(caplog) == []


def test_well_formed_metadata_still_reaches_the_form(bot: BotServer) -> None:
    result = bot.submit("win_add", FORMS["win_add"], private_metadata=bot.sealed({"plan_id": 1}))
    assert (result.status, result.body) == (200, b"")
    assert counts(bot)[2] == 1


NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=2**31 - 2, max_value=2**64),
    st.sampled_from(["0", "-1", "²", "١", "１", "1.0", "1e3", " 1", "01", "", "9" * 40]),
)
BUTTON_VALUES = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda plan, kind, number: f"{plan}:{kind}{number}",
        NUMBERS,
        st.sampled_from(["A-", "R-", "F-", "W-", "a", "X-", "A-+", ""]),
        NUMBERS,
    ),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
METADATA = st.one_of(
    st.text(max_size=80),
    st.builds(
        json.dumps,
        st.fixed_dictionaries(
            {},
            optional={
                "plan_id": st.one_of(NUMBERS, JSON_VALUES),
                "ref": st.one_of(st.sampled_from(["A-1", "R-1", "A-0", "Z-1", "A-١"]), JSON_VALUES),
                "version": st.one_of(NUMBERS, JSON_VALUES),
                "channel_id": st.one_of(
                    st.sampled_from(["C0PLAN", "C0PLANB", "x<!here>"]), JSON_VALUES
                ),
                "other": JSON_VALUES,
            },
        ),
    ),
    st.just("[" * 5000 + "]" * 5000),
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def json_object(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def test_any_button_value_is_answered_without_a_5xx_or_a_traceback(
    bot: BotServer, caplog: pytest.LogCaptureFixture
) -> None:
    @FUZZ
    @given(action_id=st.sampled_from(BUTTONS), value=BUTTON_VALUES)
    def click(action_id: str, value: str) -> None:
        sent = bot.click(action_id, value)
        assert sent.status == 200, (action_id, value, sent.result)
        answered = bot.standin.wait_for(
            lambda: (
                bot.standin.responses(sent.response_name)
                or (bot.standin.calls_to("views.open") if action_id != "action_done" else None)
            ),
            timeout=10,
        )
        assert answered
        assert errors_logged(caplog) == [], (action_id, value)

    click()


def test_any_form_metadata_is_answered_without_a_5xx_or_a_traceback(
    bot: BotServer, caplog: pytest.LogCaptureFixture
) -> None:
    @FUZZ
    @given(callback_id=st.sampled_from(sorted(FORMS)), metadata=METADATA, sealed=st.booleans())
    def submit(callback_id: str, metadata: str, sealed: bool) -> None:
        # Sealed as govbot would have sealed it, the context is read and its ids checked.
        if sealed and isinstance(context := json_object(metadata), dict):
            metadata = bot.sealed(context)
        result = bot.submit(callback_id, FORMS[callback_id], private_metadata=metadata)
        assert result.status == 200, (callback_id, metadata, result)
        assert errors_logged(caplog) == [], (callback_id, metadata)

    submit()
