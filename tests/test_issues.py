"""The issue use cases below the Slack adapter: a risk materialised by two people at the same
moment becomes one issue, and a refused step leaves nothing half-written."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.errors import DomainError, Invalid
from governance.inputs import validate
from governance.issues.inputs import IssueAdd, RiskMaterialise
from governance.issues.models import Issue, IssueHistoryEntry
from governance.issues.use_cases import add_issue, materialise_risk
from governance.plans.inputs import PlanSetup
from governance.plans.use_cases import setup_plan
from governance.risks.inputs import RiskAdd
from governance.risks.models import Risk
from governance.risks.use_cases import add_risk

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")


@pytest.fixture
def plan(uow: UnitOfWork) -> int:
    plan = setup_plan(uow, LEAD, validate(PlanSetup, name="Devon"))
    add_risk(uow, LEAD, validate(RiskAdd, title="Winter pressures", likelihood=4, impact=5))
    return plan.id


def test_two_people_materialising_one_risk_at_once_make_one_issue(
    uow: UnitOfWork, plan: int
) -> None:
    def materialise(_: int) -> str:
        try:
            return materialise_risk(uow, LEAD, validate(RiskMaterialise, number="R-1")).issue.ref
        except DomainError as exc:
            return exc.message

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(materialise, range(4)))
    assert outcomes == ["I-1"] + ["R-1 is closed already: it became I-1."] * 3
    with uow.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Issue)) == 1
        assert session.scalar(select(func.count()).select_from(IssueHistoryEntry)) == 1
        verbs = session.scalars(select(AuditEntry.verb).where(AuditEntry.ref == "R-1"))
        assert sorted(verbs) == ["add", "materialise"]


def test_an_issue_refused_for_a_missing_action_writes_nothing(uow: UnitOfWork, plan: int) -> None:
    data = validate(IssueAdd, title="Discharge delays", severity="major", actions=("A-4",))
    with pytest.raises(Invalid, match="There is no A-4 in this plan; it has no actions yet."):
        add_issue(uow, LEAD, data)
    with uow.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Issue)) == 0
        assert session.scalar(select(Risk.status)) == "open"
        assert (
            session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "issue")
            )
            == 0
        )


def test_only_the_risk_owner_or_a_manager_may_say_it_has_happened(
    uow: UnitOfWork, plan: int
) -> None:
    member = Actor(team_id="T1", user_id="UMEMBER", channel_id="CPLAN")
    with pytest.raises(DomainError, match="Only its owner or the plan's leads and chairs"):
        materialise_risk(uow, member, validate(RiskMaterialise, number="R-1"))
    with uow.transaction() as session:
        assert session.scalar(select(Risk.status)) == "open"
        assert session.scalar(select(func.count()).select_from(Issue)) == 0
