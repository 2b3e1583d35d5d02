"""Plain data the challenge use cases hand back for rendering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from governance.challenges.models import Challenge
from governance.local_time import local_time
from governance.plans.models import Plan


@dataclass(frozen=True)
class ChallengeView:
    """A question on an action's or risk's status, with its answer once given."""

    id: int
    plan_id: int
    plan_name: str
    subject_ref: str
    subject_title: str
    subject_owner_id: str | None
    asked_by: str
    question: str
    asked_at: datetime
    answer: str | None
    answered_by: str | None
    answered_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

    @property
    def button_value(self) -> str:
        """`<plan_id>:A-<n>` or `<plan_id>:R-<n>`, as the shared buttons carry it."""
        return f"{self.plan_id}:{self.subject_ref}"


@dataclass(frozen=True)
class ChallengeOutcomeView:
    """A challenge just asked or answered, whom to tell by direct message, and the plan's
    channel where the team sees it (None for a plan with no channel)."""

    challenge: ChallengeView
    notify: tuple[str, ...]
    channel_id: str | None


def challenge_view(
    challenge: Challenge,
    plan: Plan,
    subject_ref: str,
    subject_title: str,
    subject_owner_id: str | None,
) -> ChallengeView:
    """Plain data for a challenge row and the action or risk it questions, its moments
    in the plan's timezone."""
    return ChallengeView(
        id=challenge.id,
        plan_id=challenge.plan_id,
        plan_name=plan.name,
        subject_ref=subject_ref,
        subject_title=subject_title,
        subject_owner_id=subject_owner_id,
        asked_by=challenge.asked_by,
        question=challenge.question,
        asked_at=local_time(challenge.asked_at, plan.timezone),
        answer=challenge.answer,
        answered_by=challenge.answered_by,
        answered_at=local_time(challenge.answered_at, plan.timezone),
    )
