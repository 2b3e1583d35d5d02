"""Every refusal of a value is written for a person: it says what the field takes and what was
typed, never pydantic's own wording ("Input should be greater than or equal to 1")."""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic.fields import FieldInfo

import governance
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.errors import DomainError
from governance.inputs import Input, validate
from governance.plans.inputs import PlanSetup
from governance.plans.use_cases import setup_plan
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks

PYDANTIC_WORDING = ("Input should", "validation error", "Field required", "type=", "Value error")


def every_input_model() -> list[type[Input]]:
    """Every use-case input of every concept, found by importing governance's modules."""
    for module in pkgutil.walk_packages(governance.__path__, "governance."):
        importlib.import_module(module.name)
    found: list[type[Input]] = []
    pending = list(Input.__subclasses__())
    while pending:
        model = pending.pop()
        found.append(model)
        pending += model.__subclasses__()
    return sorted(found, key=lambda model: model.__qualname__)


def constraints(info: FieldInfo) -> Iterator[object]:
    yield from info.metadata
    for member in getattr(info.annotation, "__args__", ()):
        for meta in getattr(member, "__metadata__", ()):
            yield from getattr(meta, "metadata", ())


def bad_values(info: FieldInfo) -> list[Any]:
    """Values just outside the field's limits, and values of the wrong kind."""
    values: list[Any] = ["nonsense ☃", "", -1, 0, 10**12, 2.5, {"a": 1}, ["x"] * 30, None]
    for limit in constraints(info):
        if isinstance(limit, Ge):
            values.append(int(limit.ge) - 1)  # type: ignore[call-overload]
        elif isinstance(limit, Gt):
            values.append(limit.gt)
        elif isinstance(limit, Le):
            values.append(int(limit.le) + 1)  # type: ignore[call-overload]
        elif isinstance(limit, Lt):
            values.append(limit.lt)
        elif isinstance(limit, MaxLen):
            values += ["x" * (limit.max_length + 1), ("x",) * (limit.max_length + 1)]
        elif isinstance(limit, MinLen):
            values.append("")
    return values


def test_the_walk_finds_the_inputs_of_every_concept() -> None:
    modules = {model.__module__ for model in every_input_model()}
    for concept in ("actions", "challenges", "feedback", "plans", "risks", "wins"):
        assert f"governance.{concept}.inputs" in modules


@pytest.mark.parametrize("model", every_input_model(), ids=lambda model: model.__name__)
def test_no_refusal_of_any_field_uses_pydantic_wording(model: type[Input]) -> None:
    for name, info in model.model_fields.items():
        for value in bad_values(info):
            try:
                validate(model, **{name: value})
            except DomainError as refusal:
                for wording in PYDANTIC_WORDING:
                    assert wording not in refusal.message, (name, value, refusal.message)


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    return setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon")).id


@pytest.mark.parametrize(
    ("command", "text", "says", "form"),
    [
        (
            "/risk",
            'add "Zero" likelihood:0 impact:5',
            "`likelihood` is 1 to 5 (rare to almost certain), not 0.",
            'add \\"Title\\" likelihood:4 impact:5',
        ),
        (
            "/risk",
            'add "Winter" likelihood:3 impact:4 target:30',
            "`target` is a score from 1 to 25 (likelihood × impact), not 30.",
            'add \\"Title\\" likelihood:4 impact:5',
        ),
        (
            "/plan",
            "settings anonymity:4",
            "`anonymity` is the smallest group a report shows, 5 to 20, not 4.",
            "settings",
        ),
    ],
)
def test_an_out_of_range_value_is_refused_in_words_with_the_form(
    bot_server: BotServer, plan_id: int, command: str, text: str, says: str, form: str
) -> None:
    reply = bot_server.slash_reply(command, text, user_id=ALICE)
    assert_valid_blocks(reply)
    shown = json.dumps(reply, ensure_ascii=False)
    assert says in shown
    assert form in shown
    for wording in PYDANTIC_WORDING:
        assert wording not in shown
