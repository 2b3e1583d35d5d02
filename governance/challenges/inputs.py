"""Validated inputs for checks and challenges."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from governance.actions.inputs import LONG_TEXT_MAX
from governance.inputs import Input


class ChallengeSubject(Input):
    plan_id: int | None = None
    # `A-3` or `R-2` as typed; a bare number means an action.
    ref: str = Field(min_length=1, max_length=40)


class ChallengeAsk(Input):
    plan_id: int | None = None
    # `A-3` or `R-2` as typed; the use case reads it for the kind it expects.
    ref: str = Field(min_length=1, max_length=40)
    question: str = Field(min_length=1, max_length=LONG_TEXT_MAX)


class ChallengeAnswer(Input):
    plan_id: int | None = None
    # `A-3` or `R-2` as typed; a bare number means an action unless `kind` says a risk.
    ref: str = Field(min_length=1, max_length=40)
    answer: str = Field(min_length=1, max_length=LONG_TEXT_MAX)
    kind: Literal["action", "risk"] = "action"
