"""The risk share: which partners carry a risk, each one's whole percent, and the lead partner.

A share is typed as partner names with percents (`"Devon County Council"=60,"RDUH"=40`);
the percents must add up to exactly 100 and no partner may appear twice. The first partner
listed leads unless another sharing partner is named as the lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from governance.errors import Invalid
from governance.plans.models import Partner, Plan
from governance.plans.partner_lookup import find_partner
from governance.risks.models import Risk, RiskShare

SHARE_FORM = 'share:"Org A"=60,"Org B"=40 (whole percents adding up to 100) [lead:"Org B"]'
SHARE_HINT = f"Write the share like this: `{SHARE_FORM}`."

ShareLine = tuple[str, int]


@dataclass(frozen=True)
class ResolvedShare:
    """One line of a share once its partner is found in the plan."""

    partner: Partner
    percent: int
    is_lead: bool


def check_share(lines: Sequence[ShareLine]) -> None:
    """Refuse a share that can never be right, whatever the plan's partners are."""
    if not lines:
        raise Invalid("A risk share needs at least one partner.", hint=SHARE_HINT)
    for name, percent in lines:
        if not name.strip():
            raise Invalid("Each share needs a partner name.", hint=SHARE_HINT)
        if isinstance(percent, bool) or not isinstance(percent, int):
            raise Invalid(f"“{name}”'s share must be a whole percent.", hint=SHARE_HINT)
        if not 1 <= percent <= 100:
            raise Invalid(
                f"“{name}”'s share is {percent}%; each share is a whole percent from 1 to 100.",
                hint=SHARE_HINT,
            )
    seen: set[str] = set()
    for name, _ in lines:
        key = _folded(name)
        if key in seen:
            raise Invalid(f"“{name}” is listed twice in the share.", hint=SHARE_HINT)
        seen.add(key)
    total = sum(percent for _, percent in lines)
    if total != 100:
        raise Invalid(f"The shares add up to {total}%, not 100%.", hint=SHARE_HINT)


def resolve_share(
    session: Session, plan: Plan, lines: Sequence[ShareLine], lead: str | None = None
) -> list[ResolvedShare]:
    """Check the share and find each partner in the plan; the lead is first unless named."""
    check_share(lines)
    partners = [find_partner(session, plan, name) for name, _ in lines]
    seen: dict[int, str] = {}
    for (name, _), partner in zip(lines, partners, strict=True):
        if partner.id in seen:
            raise Invalid(
                f"“{seen[partner.id]}” and “{name}” are both {partner.name}; "
                "list each partner once.",
                hint=SHARE_HINT,
            )
        seen[partner.id] = name
    lead_id = partners[0].id if lead is None else _lead_among(session, plan, partners, lead)
    return [
        ResolvedShare(partner=partner, percent=percent, is_lead=partner.id == lead_id)
        for partner, (_, percent) in zip(partners, lines, strict=True)
    ]


def choose_lead(session: Session, plan: Plan, risk: Risk, lead: str) -> None:
    """Make `lead` the lead partner of a risk's existing share."""
    if not risk.shares:
        raise Invalid(
            f"{risk.ref} has no risk share yet, so it has no lead partner to change.",
            hint=SHARE_HINT,
        )
    lead_id = _lead_among(session, plan, [s.partner for s in risk.shares], lead)
    for share in risk.shares:
        share.is_lead = share.partner_id == lead_id


def apply_share(risk: Risk, resolved: Sequence[ResolvedShare]) -> None:
    """Make the risk's share rows match `resolved`, editing rows in place.

    Rows are updated rather than replaced so a partner kept in the share never needs a
    delete and an insert of the same (risk, partner) pair in one flush.
    """
    wanted = {r.partner.id: r for r in resolved}
    for share in list(risk.shares):
        if share.partner_id not in wanted:
            risk.shares.remove(share)
    existing = {share.partner_id: share for share in risk.shares}
    for line in resolved:
        current = existing.get(line.partner.id)
        if current is None:
            risk.shares.append(
                RiskShare(partner=line.partner, percent=line.percent, is_lead=line.is_lead)
            )
        else:
            current.percent = line.percent
            current.is_lead = line.is_lead


def describe_share(risk: Risk) -> list[dict[str, object]]:
    """The share as plain data, for the audit log."""
    return [
        {"partner": s.partner.name, "percent": s.percent, "lead": s.is_lead}
        for s in in_display_order(risk.shares)
    ]


def in_display_order(shares: Sequence[RiskShare]) -> list[RiskShare]:
    """Lead partner first, then the largest shares."""
    return sorted(shares, key=lambda s: (not s.is_lead, -s.percent, s.partner.name))


def _lead_among(session: Session, plan: Plan, partners: Sequence[Partner], lead: str) -> int:
    chosen = find_partner(session, plan, lead)
    if chosen.id not in {p.id for p in partners}:
        names = ", ".join(f"“{p.name}”" for p in partners)
        raise Invalid(
            f"The lead partner must be one of the partners sharing the risk ({names}); "
            f"“{chosen.name}” is not.",
            hint=SHARE_HINT,
        )
    return chosen.id


def _folded(name: str) -> str:
    return " ".join(name.lower().replace("&", "and").split())
