"""Text longer than its field takes is refused saying how long it was, and given back whole,
so nothing anyone typed is lost; driven over signed HTTP as Slack sends commands."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import func, select

from governance.actions.inputs import ActionAdd
from governance.actions.models import Action
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.feedback.inputs import FeedbackGive
from governance.feedback.models import Feedback
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.use_cases import setup_plan
from governance.risks.inputs import RiskAdd
from governance.wins.inputs import WinRecord
from governance.wins.models import Win
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks

LONG = 3000
TITLE = 200


def written(length: int) -> str:
    """Text of `length` characters that reads like someone wrote it, with & < > in it."""
    sentence = "Handover on Ward 4 takes 40 minutes & the <rota> needs two more HCAs. "
    return (sentence * (length // len(sentence) + 1))[:length]


@pytest.fixture
def plan_id(bot_server: BotServer, uow: UnitOfWork) -> int:
    """Alice leads a plan with A-1, R-1 and F-1 to update, challenge, close and answer."""
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    for command, text in [
        ("/action", 'add "Recruit 20 HCAs"'),
        ("/risk", 'add "Winter pressures" likelihood:3 impact:4'),
        ("/feedback", 'staff "Handover takes too long"'),
    ]:
        reply = bot_server.slash_reply(command, text, user_id=ALICE)
        assert "warning" not in json.dumps(reply), reply
    return plan.id


def given_back(reply: dict[str, Any]) -> str:
    return "".join(
        block["text"]["text"]
        for block in reply["blocks"]
        if block["type"] == "section" and block["text"]["type"] == "plain_text"
    )


@pytest.mark.parametrize(
    ("command", "template", "length", "limit"),
    [
        ("/feedback", 'staff "{}" anonymous', 4000, LONG),
        ("/feedback", 'answer F-1 "{}"', LONG + 1, LONG),
        ("/win", '"{}"', LONG + 1, LONG),
        ("/action", 'add "{}"', TITLE + 50, TITLE),
        ("/action", 'update A-1 progress:40 "{}"', LONG + 1, LONG),
        ("/action", 'done A-1 "{}"', LONG + 1, LONG),
        ("/action", 'challenge A-1 "{}"', LONG + 1, LONG),
        ("/risk", 'add "{}" likelihood:3 impact:4', TITLE + 1, TITLE),
        ("/risk", 'add "Staff" likelihood:3 impact:4 mitigation:"{}"', LONG + 1, LONG),
        ("/risk", 'update R-1 mitigation:"{}"', LONG + 1, LONG),
        ("/risk", 'close R-1 "{}"', LONG + 1, LONG),
        ("/plan", 'partners add "{}" sector:nhs', TITLE + 1, TITLE),
    ],
)
def test_too_long_text_is_refused_with_its_length_and_given_back_whole(
    bot_server: BotServer,
    uow: UnitOfWork,
    plan_id: int,
    command: str,
    template: str,
    length: int,
    limit: int,
) -> None:
    text = written(length)
    as_slack_sends_it = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    reply = bot_server.slash_reply(command, template.format(as_slack_sends_it), user_id=ALICE)
    assert_valid_blocks(reply)
    assert reply["response_type"] == "ephemeral"
    assert f"is {length} characters long; it takes at most {limit} characters" in reply["text"]
    assert given_back(reply) == text
    with uow.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 1
        assert session.scalar(select(func.count()).select_from(Feedback)) == 1
        assert session.scalar(select(func.count()).select_from(Win)) == 0


def max_length(model: type[BaseModel], field: str) -> int:
    return next(
        m.max_length for m in model.model_fields[field].metadata if hasattr(m, "max_length")
    )


FORM_FIELDS: dict[str, dict[str, tuple[type[BaseModel], str]]] = {
    "action_add": {"title": (ActionAdd, "title"), "description": (ActionAdd, "description")},
    "feedback_give": {
        "feedback_text": (FeedbackGive, "text"),
        "feedback_area": (FeedbackGive, "service_area"),
    },
    "win_add": {"win_text": (WinRecord, "text")},
    "risk_add": {"title": (RiskAdd, "title"), "mitigation": (RiskAdd, "mitigation")},
}


@pytest.mark.parametrize(
    ("command", "text"), [("/action", ""), ("/feedback", ""), ("/win", ""), ("/risk", "add")]
)
def test_in_a_form_slack_stops_each_text_at_what_its_field_keeps(
    bot_server: BotServer, plan_id: int, command: str, text: str
) -> None:
    """Slack lets no one type past an input's max_length, and a refusal keeps the form open
    with what was typed: so a form loses no text if its limits are the domain's."""
    bot_server.slash(command, text, user_id=ALICE)
    view = bot_server.standin.wait_for_calls("views.open")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    fields = FORM_FIELDS[view["callback_id"]]
    for block in view["blocks"]:
        element = block.get("element", {})
        if element.get("type") != "plain_text_input" or block["block_id"] not in fields:
            assert not element.get("multiline"), block["block_id"]
            continue
        assert element["max_length"] == max_length(*fields[block["block_id"]]), block["block_id"]
