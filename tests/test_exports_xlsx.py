"""`/plan export … xlsx` and `/plan export all xlsx`, driven over signed HTTP the way Slack
drives them: the uploaded workbook is opened with openpyxl and read as Excel would."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.console import run_console
from bot.console.directory import files_folder_for
from bot.settings import load_settings
from documents.workbooks import actions_and_risks_workbook, table_workbook
from governance.actions.models import Action
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.exports import EXPORT_KINDS, EXPORTS, FORMULA_STARTS, ExportTableView
from governance.feedback.models import Feedback
from governance.plans.models import Partner, Role
from governance.plans.use_cases import plan_overview
from governance.risks.models import Risk, RiskShare
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks

BOB = "U0BOB"  # a member: may not read feedback
DATA = "U0DATA"
NAMED = "U0NAMED"
XLSX_SIGNATURE = b"PK\x03\x04"


def plan(bot: BotServer, text: str, user_id: str = ALICE) -> dict[str, Any]:
    reply = bot.slash_reply("/plan", text, user_id=user_id)
    assert_valid_blocks(reply)
    return reply


def shown(message: dict[str, Any]) -> str:
    return message["text"] + json.dumps(message.get("blocks", []), ensure_ascii=False)


@pytest.fixture
def devon(bot_server: BotServer, uow: UnitOfWork) -> BotServer:
    """Devon ICS, led by Alice: an action whose title looks like a formula, a shared risk, a
    measure's values, and anonymous and named feedback."""
    plan(bot_server, 'setup "Devon ICS"')
    plan_id = plan_overview(uow, Actor(TEAM_ID, ALICE, CHANNEL)).plan.id
    with uow.transaction() as session:
        council = Partner(plan_id=plan_id, name="Torbay Council", sector="council")
        trust = Partner(plan_id=plan_id, name="RD&E", sector="nhs")
        session.add_all([council, trust, Role(plan_id=plan_id, user_id=DATA, role="data-lead")])
        session.flush()
        action = Action(
            plan_id=plan_id,
            number=1,
            title='=HYPERLINK("http://evil","Click")',
            description="-1 for rotas; +1 for pay",
            owner_id=BOB,
            partner_id=council.id,
            function_id=2,
            status="at-risk",
            progress=40,
            due_date=date(2027, 3, 31),
            created_by=ALICE,
            updated_by=ALICE,
            created_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
        )
        session.add(action)
        risk = Risk(
            plan_id=plan_id,
            number=1,
            title="@risk: pooled budget overspend",
            likelihood=4,
            impact=4,
            target_score=6,
            review_date=date(2027, 1, 15),
            created_by=ALICE,
            updated_by=ALICE,
        )
        risk.shares = [
            RiskShare(partner_id=council.id, percent=60, is_lead=True),
            RiskShare(partner_id=trust.id, percent=40, is_lead=False),
        ]
        session.add(risk)
        session.add_all(
            [
                Feedback(
                    plan_id=plan_id, number=1, source="staff", text="Rotas late", anonymous=True
                ),
                Feedback(
                    plan_id=plan_id,
                    number=2,
                    source="carer",
                    text="Good respite",
                    author_id=NAMED,
                    rating=4,
                ),
            ]
        )
    bot_server.standin.set_user(BOB, profile={"real_name": "Bob Okafor"})
    bot_server.standin.set_user(NAMED, profile={"real_name": "Nia Named"})
    measure = bot_server.slash_reply("/measure", "add preset:vacancy-rate", user_id=DATA)
    assert "M-1 added" in measure["text"]
    for month, value in (("2026-09", "8.5"), ("2026-10", "9.25")):
        bot_server.slash_reply("/measure", f"record M-1 {value}% period:{month}", user_id=DATA)
    return bot_server


def uploaded_workbook(bot: BotServer) -> tuple[dict[str, Any], str, Workbook]:
    """The completed upload's parameters, the file's name, and the workbook in it."""
    (asked,) = bot.standin.wait_for_calls("files.getUploadURLExternal")
    (upload,) = bot.standin.wait_for_calls("upload")
    (complete,) = bot.standin.wait_for_calls("files.completeUploadExternal")
    assert upload.body.startswith(XLSX_SIGNATURE), "a workbook is a zip file, not a CSV"
    return complete.params, asked.params["filename"], load_workbook(io.BytesIO(upload.body))


def rows_of(sheet: Worksheet) -> list[dict[str, Any]]:
    """Each row below the header as {column name: cell}."""
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_an_actions_workbook_has_a_frozen_filtered_header_and_typed_cells(
    devon: BotServer,
) -> None:
    reply = plan(devon, "export actions xlsx", user_id=BOB)
    assert "devon-ics-actions-2026-11-23.xlsx" in shown(reply)
    assert "uploaded to this channel" in shown(reply)
    params, filename, book = uploaded_workbook(devon)
    assert params["channel_id"] == CHANNEL
    assert filename == "devon-ics-actions-2026-11-23.xlsx"
    (sheet,) = book.worksheets
    assert sheet.title == "Actions"
    assert sheet.freeze_panes == "A2", "the header stays in view as the reader scrolls"
    assert sheet.auto_filter.ref == "A1:M2", "every column can be filtered"
    assert all(sheet.column_dimensions[letter].width >= 8 for letter in "ABCDEFGHIJKLM")
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
    (row,) = rows_of(sheet)
    assert (row["Ref"].value, row["Status"].value) == ("A-1", "Amber (issues being managed)")
    assert (row["Progress %"].value, row["Progress %"].data_type) == (40, "n")
    assert row["Due"].is_date and row["Due"].value.date() == date(2027, 3, 31)
    assert row["Due"].number_format == "d mmm yyyy"
    assert row["Created"].value.date() == date(2026, 7, 1), "in the plan's timezone"
    assert row["Owner"].value == "Bob Okafor"
    assert row["Partner"].value == "Torbay Council"
    # Text that starts like a formula is text, whole, with no defusing quote added.
    assert row["Title"].value == '=HYPERLINK("http://evil","Click")'
    assert row["Title"].data_type == "s" and row["Title"].quotePrefix
    assert (row["Description"].value, row["Description"].data_type) == (
        "-1 for rotas; +1 for pay",
        "s",
    )


def test_a_risks_workbook_keeps_scores_as_numbers_and_grades_as_words(devon: BotServer) -> None:
    plan(devon, "export risks xlsx")
    _, _, book = uploaded_workbook(devon)
    (row,) = rows_of(book["Risks"])
    assert [row[c].value for c in ("Likelihood", "Impact", "Score", "Target score")] == [
        4,
        4,
        16,
        6,
    ]
    assert row["Grade"].value == "extreme"
    assert row["Review date"].value.date() == date(2027, 1, 15)
    assert row["Risk share"].value == "Torbay Council 60% (lead); RD&E 40%"
    assert row["Title"].data_type == "s" and row["Title"].value.startswith("@risk")


def test_a_feedback_workbook_goes_only_to_its_reader_and_keeps_anonymity(
    devon: BotServer,
) -> None:
    reply = plan(devon, "export feedback xlsx", user_id=DATA)
    assert "direct message" in shown(reply)
    params, _, book = uploaded_workbook(devon)
    assert params["channel_id"] == "D" + DATA[1:]
    anonymous, named = rows_of(book["Feedback"])
    assert (anonymous["Anonymous"].value, anonymous["Author"].value) == ("yes", None)
    assert (named["Author"].value, named["Rating"].value) == ("Nia Named", 4)
    assert named["Date"].is_date


def test_a_member_may_not_export_feedback_as_a_workbook_either(devon: BotServer) -> None:
    reply = plan(devon, "export feedback xlsx", user_id=BOB)
    assert "leads, chairs and data leads can export feedback" in reply["text"]
    assert devon.standin.calls_to("files.getUploadURLExternal") == []


def test_everything_in_one_workbook_with_a_cover_sheet_for_a_reader_of_feedback(
    devon: BotServer,
) -> None:
    reply = plan(devon, "export all xlsx")
    assert "Actions (1 row), Risks (1 row), Feedback (2 rows), Measures (2 rows)" in shown(reply)
    assert "direct message" in shown(reply), "it holds feedback, so it goes to the reader alone"
    params, filename, book = uploaded_workbook(devon)
    assert params["channel_id"] == "D" + ALICE[1:]
    assert filename == "devon-ics-all-2026-11-23.xlsx"
    assert book.sheetnames == ["About", *(EXPORTS[kind].sheet_name for kind in EXPORT_KINDS)]
    cover = book["About"]
    assert cover["A1"].value == "Devon ICS"
    assert cover["A2"].value == "Exported" and cover["B2"].value.date() == date(2026, 11, 23)
    assert [cell.value for cell in cover[4]] == ["Sheet", "What it holds", "Rows"]
    described = {row[0].value: (row[1].value, row[2].value) for row in cover.iter_rows(min_row=5)}
    assert list(described) == book.sheetnames[1:], "the cover says what each sheet holds"
    assert described["Feedback"][1] == 2
    assert "anonymous feedback has no author" in described["Feedback"][0]
    for name in book.sheetnames[1:]:
        assert book[name].freeze_panes == "A2" and book[name].auto_filter.ref
    (september, october) = rows_of(book["Measures"])
    assert (september["Value"].value, october["Value"].value) == (8.5, 9.25)
    assert september["Period"].value == "2026-09", "a period is a month, kept as written"
    assert isinstance(october["Mean"].value, float)
    assert book["Actions"]["B2"].data_type == "s"


def test_a_member_gets_everything_but_feedback_and_is_told_why(devon: BotServer) -> None:
    reply = plan(devon, "export all xlsx", user_id=BOB)
    assert "uploaded to this channel" in shown(reply).lower()
    assert "Feedback is not in the workbook" in shown(reply)
    assert "leads, chairs and data leads can export feedback" in shown(reply)
    params, _, book = uploaded_workbook(devon)
    assert params["channel_id"] == CHANNEL
    assert "Feedback" not in book.sheetnames
    assert {"About", "Actions", "Risks", "Measures"} <= set(book.sheetnames)
    lines = [[cell.value for cell in row] for row in book["About"].iter_rows(min_row=5)]
    assert [
        "Feedback",
        "Not in this workbook. Only the plan's leads, chairs and data leads can export feedback.",
        None,
    ] in lines
    assert "Rotas late" not in json.dumps(
        [[c.value for c in row] for s in book for row in s.iter_rows()], default=str
    )


@pytest.mark.parametrize(
    ("words", "refusal"),
    [
        ("export all", "A CSV file holds one table: add `xlsx`"),
        ("export all csv", "A CSV file holds one table: add `xlsx`"),
        ("export actions pdf", "with `xlsx` after it for an Excel workbook"),
        ("export actions risks xlsx", "Say what to export: actions, risks, feedback"),
    ],
)
def test_a_workbook_asked_for_wrongly_is_refused_with_the_right_form(
    bot_server: BotServer, words: str, refusal: str
) -> None:
    plan(bot_server, 'setup "Devon ICS"')
    reply = plan(bot_server, words)
    assert refusal in shown(reply)
    assert "/plan export all xlsx" in shown(reply)
    assert bot_server.standin.calls_to("files.getUploadURLExternal") == []


def test_csv_stays_the_default_and_can_be_named(devon: BotServer) -> None:
    plan(devon, "export risks csv")
    (upload,) = devon.standin.wait_for_calls("upload")
    assert upload.body.startswith(b"\xef\xbb\xbfRef,Title,Status")


@pytest.mark.parametrize("text", ["=1+1", "+44 1392 000000", "-5", "@SUM(A1)", "\tx"])
def test_no_text_cell_is_ever_a_formula(text: str) -> None:
    assert text.startswith(FORMULA_STARTS)
    table = ExportTableView("actions", "P", date(2026, 1, 1), ("Ref", "Title"), (("A-1", text),))
    cell = load_workbook(io.BytesIO(table_workbook(table))).active["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_actions_and_risks_are_written_for_a_new_plan_with_owners_as_people_know_them(
    devon: BotServer, uow: UnitOfWork
) -> None:
    lead = Actor(TEAM_ID, ALICE, CHANNEL)
    data = actions_and_risks_workbook(uow, lead, names={BOB: "bob@torbay.gov.uk"})
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["About", "Actions", "Risks"]
    (action,) = rows_of(book["Actions"])
    assert action["Owner"].value == "bob@torbay.gov.uk"
    assert action["Due"].value.date() == date(2027, 3, 31)


def test_the_console_saves_a_workbook_to_open_in_excel(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a server database's files go to the current directory
    out = io.StringIO()
    script = '/plan setup "Devon ICS"\n/action add "Rotas six weeks ahead"\n/plan export all xlsx\n'
    code = run_console(
        load_settings(database_url=database_url),
        stdin=io.StringIO(script),
        stdout=out,
        clock=lambda: datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
    )
    assert code == 0
    (saved,) = files_folder_for(database_url).glob("*.xlsx")
    assert saved.name == "devon-ics-all-2026-11-25.xlsx"
    assert f"a workbook, saved as {saved}" in out.getvalue()
    (action,) = rows_of(load_workbook(saved)["Actions"])
    assert action["Title"].value == "Rotas six weeks ahead"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_workbook_without_errors(devon: BotServer, tmp_path: Path) -> None:
    plan(devon, "export all xlsx")
    (upload,) = devon.standin.wait_for_calls("upload")
    workbook = tmp_path / "devon.xlsx"
    workbook.write_bytes(upload.body)
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr
    # The first sheet, as LibreOffice reads it: the cover naming the plan.
    assert (tmp_path / "devon.csv").read_bytes().startswith(b"Devon ICS")
