"""A plan moved through a spreadsheet: its actions and risks exported as the `/plan export all
xlsx` workbook and imported into a new plan come back the same, for plans generated to hold
what real ones do (text that starts like a formula, unicode and line breaks, every BRAG
status, owners known by e-mail address, partners the new plan does not have yet, shares
with a lead partner that is not listed first)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from documents.spreadsheets import read_spreadsheet
from documents.workbooks import actions_and_risks_workbook
from governance.actions.models import Action
from governance.actions.status import ActionStatus
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.imports.inputs import ImportFile, ImportRef
from governance.imports.use_cases import apply_import, preview_import
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Partner
from governance.plans.use_cases import setup_plan
from governance.risks.models import Risk, RiskShare
from governance.risks.rules import POSSIBLE_SCORES
from tests.slack_harness import ALICE, TEAM_ID

PARTNERS = ("Torbay Council", "RD&E", "Café Côte <Ltd>")
# Each owner's id and the e-mail address the export names them by.
OWNERS = {"U0BOB": "bob@torbay.gov.uk", "U0ZOË": "zoe.ng@devon.nhs.uk"}
# Plans are made one after another in the test's database, each linked to its own channel.
_channels = itertools.count(1)

# No digits, so no run of them is ever an NHS number (which the import rightly refuses).
_letters = st.characters(
    categories=("L", "Zs", "P", "S"), exclude_characters="\r\t\x0b\x0c\x1c\x1d\x1e\x1f\x85"
)
_start = st.sampled_from(["", "=", "+", "-", "@", "=SUM(A1)+"])


@st.composite
def _title(draw: st.DrawFn) -> str:
    text = draw(_start) + draw(st.text(_letters, min_size=1, max_size=40))
    return " ".join(text.split()) or "untitled"


@st.composite
def _long_text(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.text(_letters, max_size=30), max_size=3))
    return (draw(_start) + "\n".join(line.strip() for line in lines)).strip()


_dates = st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31))


@st.composite
def _action(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(st.sampled_from(list(ActionStatus)))
    progress = 100 if status is ActionStatus.DONE else draw(st.integers(0, 99))
    return {
        "title": draw(_title()),
        "description": draw(_long_text()),
        "owner_id": draw(st.sampled_from([None, *OWNERS])),
        "partner": draw(st.sampled_from([None, *PARTNERS])),
        "function_id": draw(st.sampled_from([None, *range(1, 11)])),
        "due_date": draw(st.none() | _dates),
        "status": status.value,
        "progress": progress,
    }


@st.composite
def _shares(draw: st.DrawFn) -> list[tuple[str, int, bool]]:
    names = draw(st.lists(st.sampled_from(PARTNERS), unique=True, max_size=3))
    if not names:
        return []
    cuts = sorted(
        draw(
            st.lists(
                st.integers(1, 99), unique=True, min_size=len(names) - 1, max_size=len(names) - 1
            )
        )
    )
    percents = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    lead = draw(st.sampled_from(names))
    return [(name, percent, name == lead) for name, percent in zip(names, percents, strict=True)]


@st.composite
def _risk(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "title": draw(_title()),
        "description": draw(_long_text()),
        "owner_id": draw(st.sampled_from([None, *OWNERS])),
        "function_id": draw(st.sampled_from([None, *range(1, 11)])),
        "likelihood": draw(st.integers(1, 5)),
        "impact": draw(st.integers(1, 5)),
        "target_score": draw(st.none() | st.sampled_from(sorted(POSSIBLE_SCORES))),
        "mitigation": draw(_long_text()),
        "review_date": draw(_dates),
        "status": draw(st.sampled_from(["open", "closed"])),
        "shares": draw(_shares()),
    }


def _new_plan(uow: UnitOfWork, name: str) -> tuple[Actor, int]:
    lead = Actor(TEAM_ID, ALICE, f"C0PLAN{next(_channels)}")
    return lead, setup_plan(uow, lead, validate(PlanSetup, name=name)).id


def _fill(uow: UnitOfWork, plan_id: int, actions: list[dict[str, Any]], risks: list[Any]) -> None:
    with uow.transaction() as session:
        partners = {name: Partner(plan_id=plan_id, name=name, sector="nhs") for name in PARTNERS}
        session.add_all(partners.values())
        for number, fields in enumerate(actions, start=1):
            partner = partners[fields["partner"]] if fields["partner"] else None
            session.add(
                Action(
                    plan_id=plan_id,
                    number=number,
                    created_by=ALICE,
                    updated_by=ALICE,
                    partner=partner,
                    **{k: v for k, v in fields.items() if k != "partner"},
                )
            )
        for number, fields in enumerate(risks, start=1):
            shares = [
                RiskShare(partner=partners[name], percent=percent, is_lead=lead)
                for name, percent, lead in fields["shares"]
            ]
            session.add(
                Risk(
                    plan_id=plan_id,
                    number=number,
                    created_by=ALICE,
                    updated_by=ALICE,
                    shares=shares,
                    **{k: v for k, v in fields.items() if k != "shares"},
                )
            )


def _actions(uow: UnitOfWork, plan_id: int) -> list[dict[str, Any]]:
    with uow.transaction() as session:
        actions = session.scalars(
            select(Action)
            .where(Action.plan_id == plan_id)
            .options(selectinload(Action.partner))
            .order_by(Action.number)
        )
        return [
            {
                "title": a.title,
                "description": a.description,
                "owner_id": a.owner_id,
                "partner": a.partner.name if a.partner else None,
                "function_id": a.function_id,
                "due_date": a.due_date,
                "status": a.status,
                "progress": a.progress,
            }
            for a in actions
        ]


def _risks(uow: UnitOfWork, plan_id: int) -> list[dict[str, Any]]:
    with uow.transaction() as session:
        risks = session.scalars(
            select(Risk)
            .where(Risk.plan_id == plan_id)
            .options(selectinload(Risk.shares).selectinload(RiskShare.partner))
            .order_by(Risk.number)
        )
        return [
            {
                "title": r.title,
                "description": r.description,
                "owner_id": r.owner_id,
                "function_id": r.function_id,
                "likelihood": r.likelihood,
                "impact": r.impact,
                "target_score": r.target_score,
                "mitigation": r.mitigation,
                "review_date": r.review_date,
                "status": r.status,
                "shares": sorted((s.partner.name, s.percent, s.is_lead) for s in r.shares),
            }
            for r in risks
        ]


def _import(uow: UnitOfWork, lead: Actor, plan_id: int, kind: str, content: bytes) -> None:
    people = {address: user for user, address in OWNERS.items()}
    data = validate(ImportFile, plan_id=plan_id, kind=kind, file_name="moved.xlsx")
    workbook = read_spreadsheet(content, "moved.xlsx")
    preview = preview_import(uow, lead, data, workbook, people.get)
    assert (preview.refused, preview.warnings) == ((), ())
    assert preview.ref is not None
    apply_import(uow, lead, validate(ImportRef, plan_id=plan_id, ref=preview.ref))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actions=st.lists(_action(), min_size=1, max_size=4),
    risks=st.lists(_risk(), min_size=1, max_size=3),
)
def test_a_plan_exported_as_a_workbook_imports_into_a_new_plan_the_same(
    uow: UnitOfWork, actions: list[dict[str, Any]], risks: list[dict[str, Any]]
) -> None:
    lead, old = _new_plan(uow, "Devon ICS")
    _fill(uow, old, actions, risks)
    content = actions_and_risks_workbook(uow, lead, names=OWNERS, plan_id=old)

    lead, new = _new_plan(uow, "Devon ICS (moved)")
    _import(uow, lead, new, "actions", content)
    _import(uow, lead, new, "risks", content)

    assert _actions(uow, new) == _actions(uow, old)
    assert _risks(uow, new) == _risks(uow, old)
