"""The roles a person can hold in a plan. Whoever sets a plan up is its lead; anyone in a
linked channel without a role is a member."""

from __future__ import annotations

from enum import StrEnum


class PlanRole(StrEnum):
    CHAIR = "chair"
    LEAD = "lead"
    DATA_LEAD = "data-lead"
    MEMBER = "member"


# Changes to or from these roles are the plan's business, so the plan's channel hears of them.
LEADERSHIP = frozenset({PlanRole.CHAIR, PlanRole.LEAD})


def is_leadership_change(old: PlanRole | str, new: PlanRole | str) -> bool:
    """A change that makes or unmakes a lead or chair."""
    return old != new and (PlanRole(old) in LEADERSHIP or PlanRole(new) in LEADERSHIP)
