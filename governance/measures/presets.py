"""The catalogue of common workforce measures a data lead starts from."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from governance.errors import Invalid


@dataclass(frozen=True)
class MeasurePreset:
    key: str
    name: str
    unit: str
    better: str
    source: str
    function: str
    frequency: str = "monthly"


PRESETS: tuple[MeasurePreset, ...] = (
    MeasurePreset("vacancy-rate", "Vacancy rate", "%", "down", "ESR / NHS Digital", "supply"),
    MeasurePreset("staff-turnover", "Staff turnover", "%", "down", "ESR", "supply"),
    MeasurePreset("sickness-absence", "Sickness absence", "%", "down", "ESR", "wellbeing"),
    MeasurePreset("agency-spend", "Agency spend", "£", "down", "Finance ledger", "planning"),
    MeasurePreset("bank-fill-rate", "Bank fill rate", "%", "up", "Bank staffing system", "supply"),
    MeasurePreset(
        "time-to-hire", "Time to hire", "days", "down", "Recruitment system", "people-services"
    ),
    MeasurePreset(
        "staff-survey-engagement",
        "Staff engagement (staff survey)",
        "score",
        "up",
        "NHS Staff Survey / People Pulse",
        "wellbeing",
        "quarterly",
    ),
    MeasurePreset(
        "social-care-turnover",
        "Social care staff turnover",
        "%",
        "down",
        "ASC-WDS (Skills for Care)",
        "supply",
    ),
)


def find_preset(key: str) -> MeasurePreset:
    """The preset named `key`, or a refusal listing them (with the nearest first)."""
    wanted = key.strip().lower()
    for preset in PRESETS:
        if preset.key == wanted:
            return preset
    keys = [p.key for p in PRESETS]
    near = difflib.get_close_matches(wanted, keys, n=1, cutoff=0.6)
    guess = f" Did you mean `preset:{near[0]}`?" if near else ""
    raise Invalid(
        f"There's no preset “{key}”.{guess}",
        hint="The presets are " + ", ".join(f"`{k}`" for k in keys) + ".",
    )
