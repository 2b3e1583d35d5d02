"""The roles a person can hold in a plan. Whoever sets a plan up is its lead; anyone in a
linked channel without a role is a member."""

from __future__ import annotations

from enum import StrEnum


class PlanRole(StrEnum):
    CHAIR = "chair"
    LEAD = "lead"
    DATA_LEAD = "data-lead"
    MEMBER = "member"
