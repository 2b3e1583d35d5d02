"""`/plan import` over signed HTTP as Slack sends it: the form with Slack's file input, the file
fetched from its private URL on the stand-in with the bot token, a preview in the person's DM,
and Import applying exactly what it showed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from governance.actions.models import Action
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.imports.models import ImportPreview
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Partner
from governance.plans.use_cases import setup_plan
from tests.conftest import Clock
from tests.slack_harness import ALICE, BOT_TOKEN, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks
from tests.workbooks import MESSY_ROWS, action_log

SAM = "U0SAM"
PRIYA = "U0PRIYA"
DM = "D0ALICE"


@pytest.fixture
def plan_id(uow: UnitOfWork, bot_server: BotServer) -> int:
    """Alice leads Devon; Sam and Priya are in Slack by their work e-mail addresses."""
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Partner(plan_id=plan.id, name="Devon County Council", sector="council"))
    bot_server.standin.set_user(SAM, email="sam.jones@devon.nhs.uk")
    bot_server.standin.set_user(PRIYA, email="priya.shah@torbay.gov.uk")
    return plan.id


def submit_file(
    bot: BotServer,
    plan_id: int,
    name: str,
    content: bytes,
    *,
    kind: str = "actions",
    user_id: str = ALICE,
) -> dict[str, Any]:
    """Upload `content` in the import form (as Alice); the preview message it ends as."""
    file_id = bot.standin.add_file(name, content)
    before = len(previews(bot))
    result = bot.submit(
        "import_form",
        {
            "file": {"type": "file_input", "files": [{"id": file_id, "name": name}]},
            "kind": {"type": "radio_buttons", "selected_option": {"value": kind}},
            "sheet": "",
        },
        private_metadata=bot.sealed({"plan_id": plan_id, "channel_id": CHANNEL}, user_id=user_id),
        user_id=user_id,
    )
    assert result.status == 200 and result.body == b"", "the form closes at once"
    message = bot.standin.wait_for(lambda: previews(bot)[before:])[0]
    assert_valid_blocks(message)
    return message


def previews(bot: BotServer) -> list[dict[str, Any]]:
    """The messages the progress message ended as: previews and refusals, in order."""
    return [
        call.params
        for call in bot.standin.calls_to("chat.update")
        if call.params.get("blocks") and "Fetching" not in call.params.get("text", "")
    ]


def text_of(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def button(message: dict[str, Any], action_id: str) -> str:
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button in {text_of(message)}")


def test_import_opens_a_form_with_slacks_file_input(bot_server: BotServer, plan_id: int) -> None:
    view = bot_server.open_form("/plan", "import")
    assert view["callback_id"] == "import_form"
    file_input = view["blocks"][1]["element"]
    assert file_input["type"] == "file_input"
    assert set(file_input["filetypes"]) >= {"xlsx", "csv"}


def test_a_member_is_told_only_leads_and_chairs_import(bot_server: BotServer, plan_id: int) -> None:
    reply = bot_server.slash_reply("/plan", "import", user_id=SAM)
    assert "Only the plan's leads and chairs can import" in reply["text"]


def test_a_messy_workbook_previews_imports_in_one_go_and_a_second_import_adds_nothing(
    bot_server: BotServer, plan_id: int, uow: UnitOfWork
) -> None:
    standin = bot_server.standin
    preview = submit_file(bot_server, plan_id, "Action log.xlsx", action_log(MESSY_ROWS))

    progress = standin.calls_to("chat.postMessage")[-1].params
    assert progress["channel"] == ALICE and "Fetching your file" in progress["text"]
    download = standin.calls_to("download")[-1]
    assert download.token == BOT_TOKEN
    text = text_of(preview)
    assert "*4* to add" in text
    assert "*0* to update" in text
    assert "*1* refused" in text
    assert "row 8: due date 31/02/2027 is not a date" in text
    assert "row 9: no one in the workspace matches owner “nobody@example.org”; left unowned" in text
    assert "Lead → owner" in text and "Due → due date" in text and "RAG → status" in text
    assert "*Ignored:* Last reviewed, Comments" in text
    assert "Torbay Council (council)" in text
    with uow.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 0, "nothing yet"

    sent = bot_server.click(
        "import_apply",
        button(preview, "import_apply"),
        channel_id=DM,
        message={"type": "message", "ts": "1.000100", "text": preview["text"]},
    )
    done = bot_server.reply_to(sent)
    assert_valid_blocks(done)
    assert done["replace_original"] is True
    assert "*4* actions added (A-1 to A-4), *0* updated. 1 row was left out" in text_of(done)
    assert "Partners added to the plan: Torbay Council" in text_of(done)
    with uow.transaction() as session:
        actions = {a.title: a for a in session.scalars(select(Action))}
        imports = session.scalars(select(AuditEntry).where(AuditEntry.entity == "import")).all()
        partners = set(session.scalars(select(Partner.name)))
    recruit = actions["Recruit 40 healthcare support workers"]
    assert (recruit.owner_id, recruit.due_date) == (SAM, date(2027, 4, 3))
    assert (recruit.status, recruit.progress) == ("on-track", 40)
    assert actions["Wellbeing hubs in every acute trust"].owner_id == PRIYA
    assert actions["Leadership programme for ward managers"].owner_id is None
    passport = actions["Reasonable adjustments passport"]
    assert (passport.status, passport.progress, passport.due_date) == (
        "done",
        100,
        date(2026, 9, 1),
    )
    assert len(imports) == 1
    assert imports[0].detail["file"] == "Action log.xlsx"
    assert imports[0].detail["added"] == ["A-1", "A-2", "A-3", "A-4"]
    assert partners == {"Devon County Council", "Torbay Council"}

    again = submit_file(bot_server, plan_id, "Action log.xlsx", action_log(MESSY_ROWS))
    assert "*0* to add" in text_of(again) and "*4* already as the file says" in text_of(again)
    assert "Nothing to import" in text_of(again)
    assert "import_apply" not in text_of(again)


def test_a_preview_is_applied_once_and_cancel_keeps_nothing(
    bot_server: BotServer, plan_id: int, uow: UnitOfWork
) -> None:
    preview = submit_file(bot_server, plan_id, "log.xlsx", action_log(MESSY_ROWS[:1]))
    value = button(preview, "import_cancel")
    cancelled = bot_server.reply_to(bot_server.click("import_cancel", value, channel_id=DM))
    assert "cancelled: nothing was changed" in text_of(cancelled)
    again = bot_server.reply_to(bot_server.click("import_apply", value, channel_id=DM))
    assert "was cancelled" in text_of(again)
    with uow.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 0
        assert session.scalar(select(ImportPreview.changes)) == {}


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_the_preview_message(
    bot_server: BotServer, plan_id: int, uow: UnitOfWork
) -> None:
    page = b"<!DOCTYPE html><html><body><table><tr><td>Action</td></tr></table></body></html>"
    refusal = submit_file(bot_server, plan_id, "actions.csv", page)
    assert "actions.csv is a web page, not a spreadsheet" in text_of(refusal)
    with uow.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ImportPreview)) == 0


def test_a_record_changed_since_the_preview_refuses_the_whole_import(
    bot_server: BotServer, plan_id: int, uow: UnitOfWork
) -> None:
    first = submit_file(bot_server, plan_id, "log.xlsx", action_log(MESSY_ROWS[:2]))
    bot_server.reply_to(bot_server.click("import_apply", button(first, "import_apply")))
    changed = [["ACT-01", *MESSY_ROWS[0][1:5], "R", 0.2, *MESSY_ROWS[0][7:]], MESSY_ROWS[4]]
    preview = submit_file(bot_server, plan_id, "log v2.xlsx", action_log(changed))
    assert "*1* to add" in text_of(preview) and "*1* to update" in text_of(preview)

    bot_server.slash_reply("/action", 'update A-1 progress:50 "moved on"')
    refused = bot_server.reply_to(
        bot_server.click("import_apply", button(preview, "import_apply"), channel_id=DM)
    )
    assert "Since the preview, A-1 changed, so nothing was imported" in text_of(refused)
    assert "Upload the file again with `/plan import`" in text_of(refused)
    with uow.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 2
        one = session.scalar(select(Action).where(Action.number == 1))
        assert one is not None and (one.status, one.progress) == ("on-track", 50)


def test_a_preview_older_than_a_day_is_refused(
    bot_server: BotServer, plan_id: int, uow: UnitOfWork, clock: Clock
) -> None:
    preview = submit_file(bot_server, plan_id, "log.xlsx", action_log(MESSY_ROWS[:1]))
    clock.advance(days=1, minutes=1)
    refused = bot_server.reply_to(
        bot_server.click("import_apply", button(preview, "import_apply"), channel_id=DM)
    )
    assert "is more than a day old, so nothing was imported" in text_of(refused)
    with uow.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 0


def test_only_a_leads_import_adds_partners(
    bot_server: BotServer, plan_id: int, uow: UnitOfWork
) -> None:
    bot_server.slash_reply("/plan", f"role <@{SAM}> chair")
    register = (
        "Ref,Risk,Likelihood,Impact,Risk share\n"
        'R1,Pooled budget overspend,4,5,"Torbay Council 60%; Devon County Council 40%"\n'
        "R2,Agency cap breached,3,4,Devon County Council 100%\n"
    )
    preview = submit_file(
        bot_server, plan_id, "register.csv", register.encode(), kind="risks", user_id=SAM
    )
    assert (
        "row 2: “Torbay Council” is not a partner in this plan, and only a lead can add partners"
        in text_of(preview)
    )
    assert "*1* to add" in text_of(preview) and "Partners to add" not in text_of(preview)
