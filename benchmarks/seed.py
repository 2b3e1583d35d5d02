"""Plans to measure: a working plan made through the use cases, and plans at scale written
with bulk inserts through the models."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from governance.actions.inputs import ActionAdd
from governance.actions.models import Action
from governance.actions.use_cases import add_action
from governance.actor import Actor
from governance.challenges.models import Challenge
from governance.database import UnitOfWork
from governance.feedback.inputs import FeedbackGive
from governance.feedback.models import SOURCES, Feedback
from governance.feedback.use_cases import give_feedback
from governance.inputs import validate
from governance.people_functions.catalogue import PEOPLE_FUNCTIONS
from governance.plans.inputs import PartnerAdd, PlanSetup
from governance.plans.models import Partner, Plan
from governance.plans.use_cases import add_partner, setup_plan
from governance.risks.inputs import RiskAdd
from governance.risks.models import Risk
from governance.risks.use_cases import add_risk
from governance.wins.inputs import WinRecord
from governance.wins.models import Win, WinPartner, WinPerson
from governance.wins.use_cases import record_win

TEAM_ID = "T0GOVBOT"
LEAD = "U0LEAD"
CHANNEL = "C0PLAN"
BOARD = "C0BOARD"
PLAN_NAME = "Wessex Vale ICS integrated workforce plan"
PARTNERS = (
    ("Wessex Vale University Hospitals NHS Foundation Trust", "nhs"),
    ("Vale County Council", "council"),
    ("Vale Care Homes Association", "social-care"),
    ("Vale Voluntary Action", "vcse"),
    ("Vale Primary Care Network", "primary-care"),
)
FUNCTION_KEYS = tuple(function.key for function in PEOPLE_FUNCTIONS)
OPEN_STATUSES = ("not-started", "on-track", "at-risk", "off-track")
BATCH = 5_000

lead = Actor(team_id=TEAM_ID, user_id=LEAD, channel_id=CHANNEL)


def owner(n: int) -> str:
    return f"U{n:07d}"


def working_plan(uow: UnitOfWork, actions: int = 200) -> int:
    """A plan as its team would have made it with slash commands: partners, `actions` open
    actions across 20 owners, and some risks, feedback and wins."""
    plan = setup_plan(uow, lead, validate(PlanSetup, name=PLAN_NAME))
    for name, sector in PARTNERS:
        add_partner(uow, lead, validate(PartnerAdd, name=name, sector=sector))
    today = uow.now().date()
    for n in range(actions):
        add_action(
            uow,
            lead,
            validate(
                ActionAdd,
                title=f"Recruit and retain band {5 + n % 4} nurses, cohort {n + 1}",
                owner_id=owner(n % 20 + 1),
                function=FUNCTION_KEYS[n % len(FUNCTION_KEYS)],
                due=(today + timedelta(days=n - 30)).isoformat(),
                partner=PARTNERS[n % len(PARTNERS)][0],
            ),
        )
    for n in range(20):
        add_risk(
            uow,
            lead,
            validate(
                RiskAdd,
                title=f"Agency spend above cap in quarter {n % 4 + 1}",
                likelihood=n % 5 + 1,
                impact=(n * 3) % 5 + 1,
                owner_id=owner(n + 1),
            ),
        )
    for n in range(40):
        give_feedback(
            uow,
            Actor(team_id=TEAM_ID, user_id=owner(n + 1), channel_id=CHANNEL),
            validate(
                FeedbackGive,
                source=SOURCES[n % len(SOURCES)],
                text="The new rota gives us two weekends off in four",
                function=FUNCTION_KEYS[n % len(FUNCTION_KEYS)],
                anonymous=n % 2 == 0,
            ),
        )
    for n in range(10):
        record_win(
            uow,
            lead,
            validate(WinRecord, text=f"Cohort {n + 1} of international recruits started"),
        )
    return plan.id


# -- plans at scale ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    actions: int
    risks: int
    feedback: int
    wins: int
    challenges: int
    owners: int

    def times(self, factor: int) -> Scale:
        return Scale(*(value * factor for value in vars(self).values()))


DIGEST_SCALE = Scale(
    actions=10_000, risks=2_000, feedback=50_000, wins=1_000, challenges=500, owners=2_000
)


def scale_plan(uow: UnitOfWork, *, board: bool = True) -> int:
    """An empty plan with partners, its lead and (optionally) a board channel."""
    plan_id = setup_plan(uow, lead, validate(PlanSetup, name=PLAN_NAME)).id
    for name, sector in PARTNERS:
        add_partner(uow, lead, validate(PartnerAdd, name=name, sector=sector))
    with uow.transaction() as session:
        session.execute(
            update(Plan)
            .where(Plan.id == plan_id)
            .values(board_channel_id=BOARD if board else None, nudge_time=time(9, 0))
        )
    return plan_id


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(uow: UnitOfWork, model: type, rows: Iterator[dict[str, Any]]) -> None:
    # render_nulls keeps each batch one multi-row INSERT: without it the ORM splits a batch
    # wherever the pattern of NULL columns changes, which is nearly every row here.
    for batch in _batches(rows):
        with uow.transaction() as session:
            session.execute(insert(model).execution_options(render_nulls=True), batch)


def _numbers(session: Session, plan_id: int, column: str) -> int:
    plan = session.get(Plan, plan_id)
    assert plan is not None
    return int(getattr(plan, column))


def _take_numbers(uow: UnitOfWork, plan_id: int, column: str, count: int) -> int:
    """Reserve `count` numbers of the plan's counter; return the first."""
    with uow.transaction() as session:
        first = _numbers(session, plan_id, column)
        session.execute(update(Plan).where(Plan.id == plan_id).values({column: first + count}))
    return first


def add_scale(uow: UnitOfWork, plan_id: int, scale: Scale, now: datetime, seed: int) -> None:
    """Add `scale`'s actions, risks, feedback, wins and challenges, spread over the past
    year the way a busy plan's are (a week holds about 2% of each)."""
    rng = random.Random(seed)
    today = now.date()
    with uow.transaction() as session:
        partner_ids = list(session.scalars(select(Partner.id).where(Partner.plan_id == plan_id)))

    def ago(days: float) -> datetime:
        return now - timedelta(days=rng.uniform(0, days))

    first = _take_numbers(uow, plan_id, "next_action_number", scale.actions)
    statuses = (*OPEN_STATUSES, "done", "cancelled")
    weights = (15, 35, 15, 10, 20, 5)

    def actions() -> Iterator[dict[str, Any]]:
        for n in range(scale.actions):
            status = rng.choices(statuses, weights)[0]
            created = ago(365)
            yield {
                "plan_id": plan_id,
                "number": first + n,
                "title": f"Workforce action {first + n}",
                "description": "",
                "owner_id": owner(rng.randrange(1, scale.owners + 1)),
                "partner_id": rng.choice(partner_ids),
                "function_id": rng.randrange(1, 11) if rng.random() < 0.9 else None,
                "due_date": today + timedelta(days=rng.randrange(-365, 365)),
                "status": status,
                "progress": 100 if status == "done" else rng.randrange(0, 100),
                "created_by": LEAD,
                "created_at": created,
                "updated_by": LEAD,
                "updated_at": max(created, ago(60)),
                "completed_at": ago(365) if status == "done" else None,
                "version": 1,
            }

    _insert(uow, Action, actions())

    first_risk = _take_numbers(uow, plan_id, "next_risk_number", scale.risks)

    def risks() -> Iterator[dict[str, Any]]:
        for n in range(scale.risks):
            yield {
                "plan_id": plan_id,
                "number": first_risk + n,
                "title": f"Workforce risk {first_risk + n}",
                "description": "",
                "owner_id": owner(rng.randrange(1, scale.owners + 1)),
                "function_id": rng.randrange(1, 11),
                "likelihood": rng.randrange(1, 6),
                "impact": rng.randrange(1, 6),
                "mitigation": "",
                "review_date": today + timedelta(days=rng.randrange(-90, 90)),
                "status": "open" if rng.random() < 0.8 else "closed",
                "close_note": "",
                "created_by": LEAD,
                "created_at": ago(365),
                "updated_by": LEAD,
                "updated_at": ago(60),
                "version": 1,
            }

    _insert(uow, Risk, risks())

    first_feedback = _take_numbers(uow, plan_id, "next_feedback_number", scale.feedback)

    def feedback() -> Iterator[dict[str, Any]]:
        for n in range(scale.feedback):
            anonymous = rng.random() < 0.6
            created = ago(365)
            answered = rng.random() < 0.1
            answered_at = min(now, created + timedelta(days=rng.uniform(0, 30)))
            yield {
                "plan_id": plan_id,
                "number": first_feedback + n,
                "source": rng.choice(SOURCES),
                "text": "Handover at shift change takes too long on the wards",
                "function_id": rng.randrange(1, 11) if rng.random() < 0.8 else None,
                "service_area": None,
                "rating": rng.randrange(1, 6),
                "anonymous": anonymous,
                "author_id": None if anonymous else owner(rng.randrange(1, scale.owners + 1)),
                "created_at": created,
                "answer": "We added a second handover slot" if answered else None,
                "answered_by": LEAD if answered else None,
                "answered_at": answered_at if answered else None,
                "answer_action_id": None,
            }

    _insert(uow, Feedback, feedback())

    first_win = _take_numbers(uow, plan_id, "next_win_number", scale.wins)

    def wins() -> Iterator[dict[str, Any]]:
        for n in range(scale.wins):
            yield {
                "plan_id": plan_id,
                "number": first_win + n,
                "text": f"Win {first_win + n}: vacancy rate down on the stroke unit",
                "function_id": rng.randrange(1, 11),
                "created_by": LEAD,
                "created_at": ago(365),
            }

    _insert(uow, Win, wins())
    with uow.transaction() as session:
        win_ids = list(
            session.scalars(select(Win.id).where(Win.plan_id == plan_id, Win.number >= first_win))
        )
    _insert(
        uow,
        WinPerson,
        (
            {"win_id": win_id, "user_id": owner(rng.randrange(1, scale.owners + 1))}
            for win_id in win_ids
        ),
    )
    _insert(
        uow,
        WinPartner,
        ({"win_id": win_id, "partner_id": rng.choice(partner_ids)} for win_id in win_ids),
    )

    with uow.transaction() as session:
        action_ids = list(
            session.scalars(
                select(Action.id)
                .where(Action.plan_id == plan_id, Action.number >= first)
                .limit(scale.challenges)
            )
        )

    def challenges() -> Iterator[dict[str, Any]]:
        for action_id in action_ids:
            answered = rng.random() < 0.5
            yield {
                "plan_id": plan_id,
                "action_id": action_id,
                "risk_id": None,
                "asked_by": "U0CHAIR",
                "question": "Is this really on track with two posts vacant?",
                "asked_at": ago(90),
                "answer": "Yes: both start next month" if answered else None,
                "answered_by": LEAD if answered else None,
                "answered_at": now if answered else None,
            }

    _insert(uow, Challenge, challenges())


def add_owner_actions(
    uow: UnitOfWork, plan_id: int, owners: Sequence[str], per_owner: int, now: datetime, seed: int
) -> None:
    """`per_owner` open actions for each owner, each needing attention at `now`: due within
    a week or overdue by up to 20 days (some long enough to escalate), a fifth of them
    without an update for a month."""
    rng = random.Random(seed)
    today = now.date()
    first = _take_numbers(uow, plan_id, "next_action_number", len(owners) * per_owner)

    def actions() -> Iterator[dict[str, Any]]:
        number = first
        for who in owners:
            for _ in range(per_owner):
                quiet = rng.random() < 0.2
                yield {
                    "plan_id": plan_id,
                    "number": number,
                    "title": f"Workforce action {number}",
                    "description": "",
                    "owner_id": who,
                    "partner_id": None,
                    "function_id": rng.randrange(1, 11),
                    "due_date": today + timedelta(days=rng.randrange(-20, 8)),
                    "status": rng.choice(OPEN_STATUSES),
                    "progress": rng.randrange(0, 100),
                    "created_by": LEAD,
                    "created_at": now - timedelta(days=60),
                    "updated_by": who,
                    "updated_at": now - timedelta(days=30 if quiet else 2),
                    "completed_at": None,
                    "version": 1,
                }
                number += 1

    _insert(uow, Action, actions())
