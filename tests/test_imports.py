"""Importing real files with `govbot import FILE --plan "Name" [--kind] [--dry-run]`: CSV as
Excel and other tools save it, workbooks, risk registers, and the files that cannot be read,
each refused in words with nothing kept."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.cli import main
from governance.actions.models import Action
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.imports.models import ImportPreview
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Partner
from governance.plans.use_cases import setup_plan
from governance.risks.models import Risk
from tests.slack_faults import FaultyStandin
from tests.slack_harness import ALICE, BOT_TOKEN, CHANNEL, TEAM_ID
from tests.workbooks import MESSY_ROWS, action_log

SAM = "U0SAM"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def plan(
    monkeypatch: pytest.MonkeyPatch, database_url: str, standin: FaultyStandin, uow: UnitOfWork
) -> None:
    """The Devon plan led by Alice, with one partner; Sam is in Slack by e-mail address."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", standin.api_url)
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Partner(plan_id=plan.id, name="Devon County Council", sector="council"))
    standin.set_user(SAM, email="sam.jones@devon.nhs.uk")


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """`govbot import` on a file holding `content`: exit status, what it printed and its
    errors, each with its lines (wrapped to the terminal) joined by single spaces."""

    def run_import(name: str, content: bytes, *options: str) -> tuple[int, str, str]:
        path = tmp_path / name
        path.write_bytes(content)
        status = main(["import", str(path), "--plan", "Devon", *options])
        out, err = capsys.readouterr()
        return status, " ".join(out.split()), " ".join(err.split())

    return run_import


def titles(uow: UnitOfWork) -> list[str]:
    with uow.transaction() as session:
        return list(session.scalars(select(Action.title).order_by(Action.number)))


def test_the_cli_prints_the_preview_and_applies_the_same_result(
    plan: None, run: Run, uow: UnitOfWork
) -> None:
    status, out, _ = run("Action log.xlsx", action_log(MESSY_ROWS), "--dry-run")
    assert status == 0
    assert "4 to add" in out and "1 refused" in out
    assert "row 8: due date 31/02/2027 is not a date" in out
    assert "no one in the workspace matches owner “nobody@example.org”" in out
    assert titles(uow) == []

    status, out, _ = run("Action log.xlsx", action_log(MESSY_ROWS))
    assert status == 0
    assert "Imported Action log.xlsx" in out and "4 actions added (A-1 to A-4)" in out
    with uow.transaction() as session:
        owners = dict(session.execute(select(Action.title, Action.owner_id)).all())
    assert owners["Recruit 40 healthcare support workers"] == SAM

    status, out, _ = run("Action log.xlsx", action_log(MESSY_ROWS))
    assert status == 0 and "0 to add" in out and "Nothing to import" in out
    assert len(titles(uow)) == 4


CSV_ROWS = (
    "Action{sep}Owner{sep}Due date{sep}Status{sep}% complete{sep}Description\r\n"
    "Agency spend – £2m reduction{sep}{sam}{sep}31/03/2027{sep}Amber{sep}40%{sep}"
    '"Two steps:\r\nbank first, then agency"\r\n'
    "Café staff wellbeing offer{sep}{sep}2027-01-15{sep}g{sep}0.25{sep}\r\n"
)


@pytest.mark.parametrize(
    ("name", "encoding", "separator"),
    [
        ("utf8-bom.csv", "utf-8-sig", ","),
        ("utf8.csv", "utf-8", ","),
        ("excel-uk.csv", "cp1252", ";"),
        ("tabs.tsv", "utf-8", "\t"),
    ],
)
def test_csv_in_any_encoding_and_separator_excel_saves_reads_the_same(
    plan: None, run: Run, uow: UnitOfWork, name: str, encoding: str, separator: str
) -> None:
    content = CSV_ROWS.format(sep=separator, sam="sam.jones@devon.nhs.uk").encode(encoding)
    status, out, err = run(name, content)
    assert status == 0, err
    assert "2 actions added" in out
    assert titles(uow) == ["Agency spend – £2m reduction", "Café staff wellbeing offer"]
    with uow.transaction() as session:
        first, second = session.scalars(select(Action).order_by(Action.number))
    assert first.description == "Two steps:\nbank first, then agency"
    assert (first.owner_id, first.due_date, first.status, first.progress) == (
        SAM,
        date(2027, 3, 31),
        "at-risk",
        40,
    )
    assert (second.status, second.progress, second.owner_id) == ("on-track", 25, None)


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


# Each a file's name, what makes its content, and the refusal it gets.
UNREADABLE: list[tuple[str, Callable[[], bytes], str]] = [
    ("empty.csv", lambda: b"", "empty.csv is empty"),
    ("blank.xlsx", lambda: b"  \r\n", "blank.xlsx is empty"),
    ("locked.xlsx", lambda: OLE_HEADER, "locked.xlsx is password-protected"),
    ("broken.xlsx", lambda: b"PK\x03\x04 not really a zip", "broken.xlsx is not a workbook"),
    ("saved.csv", lambda: b"\n<html><body><table><tr><td>Action", "saved.csv is a web page"),
    ("notes.csv", lambda: b"just some notes\nnothing like a table\n", "I found no header row"),
    ("header.csv", lambda: b"Action,Owner\r\n", "has a header row but no rows below it"),
    ("huge.csv", lambda: b"Action\n" + b"x" * (10 * 1024 * 1024), "I read files of up to 10 MB"),
    ("long.csv", lambda: b"Action\n" + b"an action\n" * 10_001, "I import up to 10,000 at a"),
]


@pytest.mark.parametrize(
    ("name", "content", "refusal"), UNREADABLE, ids=[name for name, _, _ in UNREADABLE]
)
def test_files_that_cannot_be_imported_are_refused_saying_why_and_nothing_is_kept(
    plan: None, run: Run, uow: UnitOfWork, name: str, content: Callable[[], bytes], refusal: str
) -> None:
    status, out, err = run(name, content())
    assert status == 1 and out == ""
    assert refusal in err
    assert "Save the sheet as .xlsx or .csv" in err
    with uow.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ImportPreview)) == 0
        assert session.scalar(select(func.count()).select_from(Action)) == 0


RISKS = (
    "Risk ID,Risk,Likelihood,Impact,Score,Controls,Review date,Risk share\n"
    "DEV-R1,Pooled budget overspend,4,5,20,Monthly finance review,15/12/2026,"
    '"Torbay Council 60%; RD&E 40%"\n'
    "DEV-R2,Agency cap breached,likely,major,12,Weekly agency panel,,\n"
    "DEV-R3,Unscored risk,3,,,,,\n"
    "DEV-R4,Shares that do not add up,2,2,4,,,Devon County Council 50%; RD&E 40%\n"
)


def test_a_risk_register_imports_scores_checked_and_shares_with_new_partners(
    plan: None, run: Run, uow: UnitOfWork
) -> None:
    status, out, err = run("register.csv", RISKS.encode(), "--kind", "risks")
    assert status == 0, err
    assert "row 3: score 12 is not likelihood 4 × impact 4 = 16" in out
    assert "row 4: score" not in out and "row 4: a new risk needs a likelihood and an impact" in out
    assert "row 5: the shares add up to 90%, not 100%" in out
    assert "Torbay Council (council), RD&E (nhs)" in out
    with uow.transaction() as session:
        risks = list(session.scalars(select(Risk)))
        assert [(r.title, r.likelihood, r.impact) for r in risks] == [
            ("Pooled budget overspend", 4, 5)
        ]
        assert risks[0].mitigation == "Monthly finance review"
        assert risks[0].review_date == date(2026, 12, 15)
        shares = [(s.partner.name, s.percent, s.is_lead) for s in risks[0].shares]
    assert shares == [("Torbay Council", 60, True), ("RD&E", 40, False)]


def test_a_register_names_its_lead_partner_and_words_statuses_as_exports_do(
    plan: None, run: Run, uow: UnitOfWork
) -> None:
    register = (
        "Ref,Title,Status,Likelihood,Impact,Risk share\n"
        'R-7,Pooled budget overspend,open,4,5,"Devon County Council 60%; RD&E 40% (lead)"\n'
        'R-8,Two leads,open,2,2,"Devon County Council 50% (lead); RD&E 50% (lead)"\n'
    )
    status, out, err = run("register.csv", register.encode(), "--kind", "risks")
    assert status == 0, err
    assert "row 3: risk share “Devon County Council 50% (lead); RD&E 5…” names 2 lead" in out
    with uow.transaction() as session:
        (risk,) = session.scalars(select(Risk))
        shares = sorted((s.partner.name, s.percent, s.is_lead) for s in risk.shares)
    assert shares == [("Devon County Council", 60, False), ("RD&E", 40, True)]

    log = (
        "Title,Status\nRotas six weeks ahead,Amber (issues being managed)\nBank staff,Blue (done)\n"
    )
    status, out, err = run("log.csv", log.encode())
    assert status == 0, err
    with uow.transaction() as session:
        statuses = list(
            session.execute(select(Action.status, Action.progress).order_by(Action.number))
        )
    assert statuses == [("at-risk", 0), ("done", 100)]


def with_cached_values(content: bytes, cached: dict[str, str]) -> bytes:
    """The workbook `content` as Excel saves it: each formula (openpyxl writes none of their
    results) followed by the value Excel worked out for it, `cached[formula]`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as book, zipfile.ZipFile(out, "w") as saved:
        for item in book.infolist():
            data = book.read(item)
            if item.filename.startswith("xl/worksheets/"):
                for formula, value in cached.items():
                    assert f"<f>{formula}</f><v />".encode() in data
                    data = data.replace(
                        f"<f>{formula}</f><v />".encode(),
                        f"<f>{formula}</f><v>{value}</v>".encode(),
                    )
            saved.writestr(item, data)
    return out.getvalue()


def test_formulas_are_read_as_the_values_excel_worked_out(
    plan: None, run: Run, uow: UnitOfWork
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Action", "% complete", "Due"])
    sheet.append(["Rotas six weeks ahead", "=20*2", "=DATE(2027,3,31)"])
    written = io.BytesIO()
    book.save(written)
    content = with_cached_values(written.getvalue(), {"20*2": "40", "DATE(2027,3,31)": "46477"})

    status, _, err = run("formulas.xlsx", content)
    assert status == 0, err
    with uow.transaction() as session:
        (action,) = session.scalars(select(Action))
    assert (action.progress, action.due_date) == (40, date(2027, 3, 31))


def test_a_risk_an_import_updates_keeps_its_history_as_risk_update_does(
    plan: None, run: Run, uow: UnitOfWork
) -> None:
    register = "Risk ID,Risk,Likelihood,Impact,Controls\nDEV-R1,Agency cap breached,4,5,{}\n"
    run("register.csv", register.format("Monthly panel").encode(), "--kind", "risks")

    status, out, err = run(
        "register.csv", register.format("Weekly panel").encode(), "--kind", "risks"
    )
    assert status == 0, err
    assert "0 risks added, 1 updated (R-1)" in out
    with uow.transaction() as session:
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "risk", AuditEntry.verb == "update")
        )
        assert entry.ref == "R-1" and entry.actor_id == ALICE
        assert entry.detail == {
            "before": {"mitigation": "Monthly panel"},
            "after": {"mitigation": "Weekly panel"},
            "note": "Imported from register.csv",
        }
