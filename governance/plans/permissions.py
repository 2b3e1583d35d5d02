"""Who may do what in a plan. Every refusal says who can, so the user knows whom to ask."""

from __future__ import annotations

from sqlalchemy.orm import Session

from governance.errors import NotAllowed
from governance.hints import Command, Hint
from governance.plans.membership import role_of
from governance.plans.models import Plan
from governance.plans.roles import PlanRole

MANAGERS = (PlanRole.LEAD, PlanRole.CHAIR)
FEEDBACK_READERS = (PlanRole.LEAD, PlanRole.CHAIR, PlanRole.DATA_LEAD)

_ROLE_WORDS = {
    MANAGERS: "the plan's leads and chairs",
    FEEDBACK_READERS: "the plan's leads, chairs and data leads",
    (PlanRole.LEAD,): "the plan's leads",
}


def require_role(
    session: Session, plan: Plan, user_id: str, roles: tuple[PlanRole, ...], doing: str
) -> PlanRole:
    """Return the user's role if it is one of `roles`, else refuse naming who may."""
    role = role_of(session, plan, user_id)
    if role not in roles:
        who = _ROLE_WORDS.get(roles, "people with the role " + " or ".join(roles))
        raise NotAllowed(
            f"Only {who} can {doing}.",
            hint=Hint(
                "A lead can give you a role with {}.",
                Command("plan", "role @you lead|chair|data-lead"),
            ),
        )
    return role


def require_owner_or_manager(
    session: Session, plan: Plan, user_id: str, owner_id: str | None, doing: str
) -> PlanRole:
    """Owners change what they own; leads and chairs change anything in their plan."""
    role = role_of(session, plan, user_id)
    if user_id != owner_id and role not in MANAGERS:
        raise NotAllowed(
            f"Only its owner or the plan's leads and chairs can {doing}.",
            hint="Ask the owner, or a lead or chair of the plan.",
        )
    return role
