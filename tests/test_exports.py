"""`/plan export`: actions, risks and feedback as CSV for board papers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from bot.rendering import hint_text
from governance.actions.models import Action
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.errors import Invalid, NotAllowed
from governance.exports import ExportTableView, export_rows, to_csv
from governance.feedback.models import Feedback
from governance.inputs import validate
from governance.plans.inputs import PlanSetup, RoleChange
from governance.plans.models import Partner
from governance.plans.use_cases import set_role, setup_plan
from governance.risks.models import Risk, RiskShare

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
DATA_LEAD = Actor(team_id="T1", user_id="UDATA", channel_id="CPLAN")
MEMBER = Actor(team_id="T1", user_id="UMEMBER", channel_id="CPLAN")


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    plan_id = setup_plan(uow, LEAD, validate(PlanSetup, name="Devon ICS workforce plan")).id
    set_role(uow, LEAD, validate(RoleChange, user_id="UDATA", role="data-lead"))
    with uow.transaction() as session:
        council = Partner(plan_id=plan_id, name="Devon County Council", sector="council")
        trust = Partner(plan_id=plan_id, name="Royal Devon", sector="nhs")
        session.add_all([council, trust])
        session.flush()
        action = Action(
            plan_id=plan_id,
            number=1,
            title="Rotation scheme across health and social care",
            owner_id="UOWNER",
            partner_id=council.id,
            function_id=2,
            status="at-risk",
            progress=40,
            due_date=date(2026, 11, 1),
            created_by="ULEAD",
            updated_by="ULEAD",
            created_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
        )
        session.add(action)
        session.flush()
        risk = Risk(
            plan_id=plan_id,
            number=1,
            title="Pooled budget overspend",
            likelihood=4,
            impact=4,
            target_score=6,
            function_id=9,
            created_by="ULEAD",
            updated_by="ULEAD",
        )
        risk.shares = [
            RiskShare(partner_id=trust.id, percent=40, is_lead=False),
            RiskShare(partner_id=council.id, percent=60, is_lead=True),
        ]
        session.add(risk)
        session.add_all(
            [
                Feedback(
                    plan_id=plan_id,
                    number=1,
                    source="staff",
                    text="Rotas come too late",
                    anonymous=True,
                    function_id=1,
                ),
                Feedback(
                    plan_id=plan_id,
                    number=2,
                    source="carer",
                    text='=HYPERLINK("http://evil")',
                    anonymous=False,
                    author_id="UNAMED",
                    rating=4,
                    answer="We moved rota publication to six weeks ahead",
                    answered_by="ULEAD",
                    answer_action_id=action.id,
                ),
            ]
        )
    return plan_id


def _as_dicts(table: ExportTableView) -> list[dict[str, str]]:
    return [dict(zip(table.header, row, strict=True)) for row in table.rows]


def test_actions_export_has_one_row_per_action_in_words(uow: UnitOfWork, plan_id: int) -> None:
    table = export_rows(uow, MEMBER, "actions")
    (row,) = _as_dicts(table)
    assert row["Ref"] == "A-1"
    assert row["Status"] == "Amber (issues being managed)"
    assert row["Progress %"] == "40"
    assert row["Partner"] == "Devon County Council"
    assert row["People function"] == "2 supply"
    assert row["Due"] == "2026-11-01"
    assert row["Overdue"] == "yes"
    assert row["Created"] == "2026-07-01", "dates are in the plan's timezone (BST in summer)"


def test_risks_export_has_score_grade_target_and_shares(uow: UnitOfWork, plan_id: int) -> None:
    (row,) = _as_dicts(export_rows(uow, MEMBER, "risks"))
    assert (row["Score"], row["Grade"], row["Target score"]) == ("16", "extreme", "6")
    assert row["Risk share"] == "Devon County Council 60% (lead); Royal Devon 40%"
    assert row["People function"] == "9 planning"


@pytest.mark.parametrize("reader", [LEAD, DATA_LEAD])
def test_feedback_export_is_for_leads_chairs_and_data_leads(
    uow: UnitOfWork, plan_id: int, reader: Actor
) -> None:
    rows = _as_dicts(export_rows(uow, reader, "feedback"))
    assert [r["Ref"] for r in rows] == ["F-1", "F-2"]


def test_a_member_may_not_export_feedback(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotAllowed, match="leads, chairs and data leads can export feedback"):
        export_rows(uow, MEMBER, "feedback")


def test_anonymous_feedback_is_exported_without_an_author(uow: UnitOfWork, plan_id: int) -> None:
    anonymous, named = _as_dicts(export_rows(uow, LEAD, "feedback"))
    assert (anonymous["Anonymous"], anonymous["Author"]) == ("yes", "")
    assert (named["Anonymous"], named["Author"]) == ("no", "UNAMED")
    assert named["You said, we did"] == "We moved rota publication to six weeks ahead"
    assert named["Action"] == "A-1"


def test_an_unknown_export_is_refused_with_the_right_form(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid) as refused:
        export_rows(uow, LEAD, "people")
    assert "/plan export actions" in (hint_text(refused.value.hint) or "")


def test_the_csv_opens_in_excel_and_defuses_formulas(uow: UnitOfWork, plan_id: int) -> None:
    table = export_rows(uow, LEAD, "feedback")
    data = to_csv(table)
    assert data.startswith(b"\xef\xbb\xbf"), "a UTF-8 byte-order mark tells Excel the encoding"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == table.header
    assert rows[2][8] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_every_formula_start_is_defused(cell: str) -> None:
    table = ExportTableView("actions", "P", date(2026, 1, 1), ("A",), ((cell,),))
    assert to_csv(table).decode("utf-8-sig").splitlines()[1].lstrip('"').startswith("'")


def test_the_file_is_named_for_the_plan_kind_and_day(uow: UnitOfWork, plan_id: int) -> None:
    table = export_rows(uow, LEAD, "risks")
    assert table.filename == "devon-ics-workforce-plan-risks-2026-11-23.csv"
