"""Who is nudged when: each person's working pattern, and their Slack timezone cache."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from governance.actions.models import Action
from governance.actions.rules import is_open_clause
from governance.database import UnitOfWork
from governance.jobs.schedule import WorkingPattern, working_pattern
from governance.people.pseudonyms import not_pseudonym
from governance.plans.models import MemberPreference, Plan, Role
from governance.plans.roles import PlanRole
from governance.risks.models import Risk
from governance.risks.rules import RiskStatus

_CHUNK = 500

Person = tuple[int, str]  # (workspace id, Slack user id)


def preferences(session: Session, people: Iterable[Person]) -> dict[Person, MemberPreference]:
    """Each person's stored preferences, in a few queries however many people."""
    wanted = list(dict.fromkeys(people))
    found: dict[Person, MemberPreference] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = session.scalars(
            select(MemberPreference).where(
                tuple_(MemberPreference.workspace_id, MemberPreference.user_id).in_(chunk)
            )
        )
        found.update({(row.workspace_id, row.user_id): row for row in rows})
    return found


def pattern_for(plan: Plan, preference: MemberPreference | None) -> WorkingPattern:
    """The person's pattern in this plan; without preferences, the plan's defaults."""
    if preference is None:
        return working_pattern(plan_timezone=plan.timezone, quiet_weekends=plan.quiet_weekends)
    return working_pattern(
        plan_timezone=plan.timezone,
        quiet_weekends=plan.quiet_weekends,
        own_days=preference.working_days,
        own_timezone=preference.timezone,
        away_until=preference.away_until,
    )


def people_to_locate(uow: UnitOfWork, plan_ids: Iterable[int] | None = None) -> list[Person]:
    """Owners of open work and plan leads whose timezone is not known yet."""
    with uow.transaction() as session:
        scope = [] if plan_ids is None else [Plan.id.in_(list(plan_ids))]
        owners = select(Plan.workspace_id, Action.owner_id).join(Action, Action.plan_id == Plan.id)
        owners = owners.where(*scope, not_pseudonym(Action.owner_id), is_open_clause())
        risk_owners = select(Plan.workspace_id, Risk.owner_id).join(Risk, Risk.plan_id == Plan.id)
        risk_owners = risk_owners.where(
            *scope, not_pseudonym(Risk.owner_id), Risk.status == RiskStatus.OPEN.value
        )
        leads = select(Plan.workspace_id, Role.user_id).join(Role, Role.plan_id == Plan.id)
        leads = leads.where(*scope, Role.role == PlanRole.LEAD.value)
        people = {
            (workspace_id, user_id)
            for query in (owners, risk_owners, leads)
            for workspace_id, user_id in session.execute(query.distinct())
            if user_id is not None
        }
        known = preferences(session, people)
        return sorted(
            person for person in people if person not in known or not known[person].timezone
        )


def remember_timezones(uow: UnitOfWork, found: Mapping[Person, str]) -> None:
    """Cache each person's Slack timezone; a timezone they set themselves is kept."""
    if not found:
        return
    with uow.transaction() as session:
        known = preferences(session, found)
        for person, timezone in found.items():
            preference = known.get(person)
            if preference is None:
                workspace_id, user_id = person
                try:
                    with session.begin_nested():
                        session.add(
                            MemberPreference(
                                workspace_id=workspace_id, user_id=user_id, timezone=timezone
                            )
                        )
                except IntegrityError:
                    pass  # another pass cached it first
            elif not preference.timezone:
                preference.timezone = timezone
