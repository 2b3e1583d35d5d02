"""The 10 people functions as reference data: number, short key and official name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FunctionEntry:
    number: int
    key: str
    name: str


PEOPLE_FUNCTIONS: tuple[FunctionEntry, ...] = (
    FunctionEntry(1, "wellbeing", "Supporting the health and wellbeing of all staff"),
    FunctionEntry(
        2,
        "supply",
        "Growing the workforce for the future and enabling adequate workforce supply",
    ),
    FunctionEntry(
        3,
        "inclusion",
        "Supporting inclusion and belonging for all, and creating great experiences for staff",
    ),
    FunctionEntry(
        4, "leadership", "Valuing and supporting leadership at all levels, and lifelong learning"
    ),
    FunctionEntry(5, "transformation", "Leading workforce transformation and new ways of working"),
    FunctionEntry(6, "education", "Educating, training and developing people, and managing talent"),
    FunctionEntry(
        7, "social-economic", "Driving and supporting broader social and economic development"
    ),
    FunctionEntry(
        8, "people-services", "Transforming people services and supporting the people profession"
    ),
    FunctionEntry(
        9, "planning", "Leading coordinated workforce planning using analysis and intelligence"
    ),
    FunctionEntry(10, "system-design", "Supporting system design and development"),
)

_BY_ID = {entry.number: entry for entry in PEOPLE_FUNCTIONS}


def function_of(function_id: int | None) -> FunctionEntry | None:
    """The people function stored as `function_id`, without a query: the table is seeded
    from this catalogue with id == number and never edited (tests/test_migrations.py)."""
    return _BY_ID.get(function_id) if function_id is not None else None
