"""`govbot console --demo` starts from a full, realistic, fictional plan."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.console.demo_seed import seed_demo
from bot.console.demo_story import CAST, PLAN_NAME
from governance.actions.models import Action, ActionUpdateEntry
from governance.audit.models import AuditEntry
from governance.challenges.models import Challenge
from governance.database import make_engine
from governance.decisions.models import Decision
from governance.dependencies.models import ActionDependency
from governance.dependencies.queries import blocked_actions
from governance.feedback.models import Feedback
from governance.issues.models import Issue
from governance.measures.models import Measure
from governance.measures.spc import Variation, xmr
from governance.people_functions.catalogue import PEOPLE_FUNCTIONS
from governance.plans.models import SECTORS, MemberPreference, Partner, Plan, Role
from governance.risks.models import Risk
from governance.risks.rules import RiskGrade
from governance.wins.models import Win
from tests.conftest import ON_POSTGRES
from tests.conftest import _empty_postgres as empty_postgres

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
USER_IDS = {handle: "U" + handle.upper() for handle in CAST}


def seed(engine: Engine, now: datetime = NOW, team_id: str = "T0CONSOLE"):
    return seed_demo(
        engine,
        team_id=team_id,
        user_ids=USER_IDS,
        plan_channel_id="CWORKFORCEPLAN",
        board_channel_id="CPEOPLEBOARD",
        now=now,
    )


@pytest.fixture(scope="module")
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """One seeded database shared by the tests that only read the story (seeding takes ~1 s)."""
    if ON_POSTGRES:
        url = request.getfixturevalue("_postgres_schema")
    else:
        path = tmp_path_factory.mktemp("demo") / "govbot.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        url = f"sqlite:///{path}"
    engine = make_engine(url)
    seed(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()
    if ON_POSTGRES:
        empty_postgres(url)


def test_demo_plan_is_linked_to_its_channel_with_a_board_channel(demo: Session) -> None:
    plan = demo.scalars(select(Plan)).one()
    assert plan.name == PLAN_NAME
    assert [c.channel_id for c in plan.channels] == ["CWORKFORCEPLAN"]
    assert plan.board_channel_id == "CPEOPLEBOARD"


def test_you_lead_the_demo_plan_with_a_chair_and_a_data_lead(demo: Session) -> None:
    roles = {r.user_id: r.role for r in demo.scalars(select(Role))}
    assert roles == {"UYOU": "lead", "UPRIYA": "chair", "UOMAR": "data-lead"}


def test_demo_has_partners_from_every_sector(demo: Session) -> None:
    sectors = {p.sector for p in demo.scalars(select(Partner))}
    assert sectors == set(SECTORS)


def test_demo_has_about_thirty_actions_in_every_status_across_all_ten_functions(
    demo: Session,
) -> None:
    actions = list(demo.scalars(select(Action)))
    assert 25 <= len(actions) <= 35
    assert {a.function_id for a in actions} == {f.number for f in PEOPLE_FUNCTIONS}
    assert {a.status for a in actions} == {
        "not-started",
        "on-track",
        "at-risk",
        "off-track",
        "done",
        "cancelled",
    }


def test_demo_actions_include_overdue_due_soon_and_recently_done(demo: Session) -> None:
    today = NOW.date()
    open_actions = [
        a for a in demo.scalars(select(Action)) if a.status not in ("done", "cancelled")
    ]
    assert any(a.due_date < today - timedelta(days=14) for a in open_actions)
    assert any(today - timedelta(days=14) <= a.due_date < today for a in open_actions)
    assert any(today <= a.due_date <= today + timedelta(days=7) for a in open_actions)
    done = [a for a in demo.scalars(select(Action)) if a.status == "done"]
    assert all(NOW - timedelta(days=7) < a.completed_at <= NOW for a in done)


def test_demo_actions_have_a_history_that_ends_in_their_status(demo: Session) -> None:
    for action in demo.scalars(select(Action).where(Action.status != "not-started")):
        statuses = [u.status_to for u in action.updates if u.status_to]
        assert statuses[-1] == action.status
        times = [u.at for u in action.updates]
        assert times == sorted(times) and action.created_at < times[0]


def test_demo_has_an_open_issue_from_a_materialised_risk_keeping_its_share(
    demo: Session,
) -> None:
    [issue] = demo.scalars(select(Issue)).all()
    assert issue.status == "open" and issue.risk is not None
    assert issue.risk.status == "closed" and issue.risk.close_note.startswith("Materialised as I-1")
    assert issue.owner_id == issue.risk.owner_id and issue.function_id == issue.risk.function_id
    assert sorted((p.partner_id, p.percent, p.is_lead) for p in issue.partners) == sorted(
        (s.partner_id, s.percent, s.is_lead) for s in issue.risk.shares
    )
    assert [link.action.title for link in issue.actions] == [
        "Section 75 pooled workforce budget agreement"
    ]


def test_demo_risks_cover_every_grade_with_shares_adding_to_100(demo: Session) -> None:
    risks = list(demo.scalars(select(Risk)))
    assert {r.grade for r in risks} == set(RiskGrade)
    for risk in risks:
        assert sum(s.percent for s in risk.shares) == 100
        assert [s.is_lead for s in risk.shares].count(True) == 1
    assert any(len(r.shares) > 1 for r in risks)
    assert any(r.status == "open" and r.review_date < NOW.date() for r in risks)


def test_demo_feedback_comes_from_staff_and_service_users_some_anonymous(
    demo: Session,
) -> None:
    feedback = list(demo.scalars(select(Feedback)))
    assert {f.source for f in feedback} >= {"staff", "service-user", "carer", "partner"}
    anonymous = [f for f in feedback if f.anonymous]
    assert anonymous and all(f.author_id is None for f in anonymous)
    assert any(not f.anonymous for f in feedback)
    assert any(f.answer and f.answer_action_id for f in feedback)


def test_demo_anonymous_feedback_leaves_no_user_id_in_the_audit_log(demo: Session) -> None:
    entries = demo.scalars(select(AuditEntry).where(AuditEntry.entity == "feedback"))
    given = [e for e in entries if e.verb == "give" and e.detail["anonymous"]]
    assert given and all(e.actor_id is None for e in given)


def test_demo_has_recent_wins_and_an_open_challenge(demo: Session) -> None:
    wins = list(demo.scalars(select(Win)))
    assert len(wins) >= 3 and any(NOW - w.created_at < timedelta(days=7) for w in wins)
    challenges = list(demo.scalars(select(Challenge)))
    assert any(c.is_open for c in challenges) and any(not c.is_open for c in challenges)


def test_demo_is_written_through_the_use_cases_so_every_change_is_audited(
    demo: Session,
) -> None:
    entries = list(demo.scalars(select(AuditEntry)))
    updates = demo.scalars(select(ActionUpdateEntry)).all()
    assert sum(1 for e in entries if e.entity == "action" and e.verb == "update") == len(updates)
    assert all(e.at <= NOW for e in entries)


def test_demo_has_a_part_time_owner_and_one_on_leave(demo: Session) -> None:
    patterns = {p.user_id: p for p in demo.scalars(select(MemberPreference))}
    assert patterns["UTOM"].working_days == "mon,tue,thu"
    assert patterns["UGRACE"].away_until == NOW.date() + timedelta(days=3)


def test_demo_plan_has_measures_with_two_years_of_values_one_showing_concern(
    demo: Session,
) -> None:
    measures = demo.scalars(select(Measure).order_by(Measure.number)).all()
    assert 4 <= len(measures) <= 6
    assert all(len(m.values) == 24 for m in measures)
    readings = [xmr([v.value for v in m.values], better=m.better) for m in measures]  # type: ignore[arg-type]
    assert Variation.CONCERN in [r.variation for r in readings]


def test_demo_plan_has_an_agreed_decision_and_one_awaiting_the_board_informed_by_a_measure(
    demo: Session,
) -> None:
    decisions = demo.scalars(select(Decision).order_by(Decision.number)).all()
    assert [(d.status, bool(d.forum)) for d in decisions] == [
        ("agreed", True),
        ("proposed", False),
    ]
    assert "measure" in [link.kind for link in decisions[1].links]


def test_demo_has_a_short_chain_of_dependencies_with_one_action_held_up(demo: Session) -> None:
    plan = demo.scalars(select(Plan)).one()
    today = NOW.date()
    waits = {
        link.ref: [b.ref for b in link.blockers]
        for link in blocked_actions(demo, plan.id, today, limit=10)[0]
    }
    chain = demo.execute(
        select(Action.number, ActionDependency.depends_on_id)
        .join(ActionDependency, ActionDependency.action_id == Action.id)
        .order_by(Action.number)
    ).all()
    assert len(chain) == 3
    assert waits == {"A-6": ["A-13"]}
