"""A plan's partner organisations: found by the name people type, or listed for a form."""

from __future__ import annotations

import difflib

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.errors import Invalid, NotFound
from governance.hints import Command, Hint
from governance.plans.models import Partner, Plan


def _folded(name: str) -> str:
    return " ".join(name.lower().replace("&", "and").split())


def partner_names(session: Session, plan: Plan) -> tuple[str, ...]:
    """The names of the plan's partners, in order, for a form to offer."""
    return tuple(
        session.scalars(
            select(Partner.name).where(Partner.plan_id == plan.id).order_by(Partner.name)
        )
    )


def find_partner(session: Session, plan: Plan, text: str) -> Partner:
    """The plan's partner named `text`: exact, case-insensitive, a unique prefix or a near miss."""
    partners = list(session.scalars(select(Partner).where(Partner.plan_id == plan.id)))
    wanted = _folded(text)
    by_name = {_folded(p.name): p for p in partners}
    if wanted in by_name:
        return by_name[wanted]
    prefixed = [p for key, p in by_name.items() if key.startswith(wanted)] if wanted else []
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        names = ", ".join(f"“{p.name}”" for p in prefixed)
        raise Invalid(f"“{text}” could be {names}.", hint="Type more of the partner's name.")
    close = difflib.get_close_matches(wanted, list(by_name), n=1, cutoff=0.8)
    if close:
        return by_name[close[0]]
    known = ", ".join(f"“{p.name}”" for p in partners) or "none yet"
    raise NotFound(
        f"“{text}” is not a partner in this plan (partners: {known}).",
        hint=Hint(
            "A lead can add it with {}.",
            Command("plan", 'partners add "Org" sector:nhs|council|social-care|vcse|primary-care'),
        ),
    )
