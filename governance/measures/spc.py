"""XmR (individuals) charts read the NHS England *Making Data Count* way.

Pure arithmetic on a series of values: no database, no Slack, no drawing. The rules follow
the NHS-R community's NHSRplotthedots (`ptd_spc_standard`, `ptd_calculate_point_type`,
`ptd_calculate_assurance_type`):

- each segment (the series split where it was rebased) has its own mean and mean moving
  range; moving ranges of 3.267 × the mean moving range or more are screened out and the
  mean moving range taken again, so one wild month does not widen the limits;
- process limits are mean ± 2.66 × mean moving range; "close to a limit" is beyond two
  thirds of the way (mean ± 1.773 × mean moving range) but not outside it;
- with a baseline of n periods, the mean and limits come from a segment's first n points;
- a point is special cause when it is outside a limit, part of 7 in a row on one side of
  the mean, part of 7 in a row each higher (or each lower) than the one before, or one of 2
  close to a limit within 3 points that all lie on the same side of the mean;
- a special-cause point is improvement or concern by its side of the mean and the better
  direction (neutral when neither direction is better);
- assurance compares the target with the latest limits: outside them the process passes
  (or fails) consistently, inside them it is hit and miss.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Better = Literal["up", "down", "neither"]

LIMIT_FACTOR = 2.66
CLOSE_FACTOR = 2 * LIMIT_FACTOR / 3
SCREEN_FACTOR = 3.267
RUN_LENGTH = 7
# Fewer points than this in a segment and its limits are not yet to be relied on.
RELIABLE_FROM = 15


class Rule(StrEnum):
    """Why a point is special cause."""

    OUTSIDE_LIMITS = "outside-limits"
    SHIFT = "shift"
    TREND = "trend"
    TWO_OF_THREE = "two-of-three"

    @property
    def words(self) -> str:
        return _RULE_WORDS[self]


_RULE_WORDS = {
    Rule.OUTSIDE_LIMITS: "outside a process limit",
    Rule.SHIFT: "7 or more in a row on one side of the mean",
    Rule.TREND: "7 or more in a row rising or falling",
    Rule.TWO_OF_THREE: "2 of 3 close to a limit on the same side",
}


class Variation(StrEnum):
    COMMON_CAUSE = "common-cause"
    IMPROVEMENT = "special-cause-improvement"
    CONCERN = "special-cause-concern"
    NEUTRAL = "special-cause-neutral"

    @property
    def words(self) -> str:
        return _VARIATION_WORDS[self]

    @property
    def is_special(self) -> bool:
        return self is not Variation.COMMON_CAUSE


_VARIATION_WORDS = {
    Variation.COMMON_CAUSE: "common cause variation",
    Variation.IMPROVEMENT: "special cause improvement",
    Variation.CONCERN: "special cause concern",
    Variation.NEUTRAL: "special cause variation (neither direction is better)",
}


class Assurance(StrEnum):
    PASSING = "consistently-passing"
    FAILING = "consistently-failing"
    HIT_AND_MISS = "hit-and-miss"

    @property
    def words(self) -> str:
        return _ASSURANCE_WORDS[self]


_ASSURANCE_WORDS = {
    Assurance.PASSING: "consistently passing the target",
    Assurance.FAILING: "consistently failing the target",
    Assurance.HIT_AND_MISS: "hit and miss against the target",
}


@dataclass(frozen=True)
class SpcPoint:
    """One value with the limits of its segment; limits are None while a segment has one
    point (there is no moving range yet)."""

    index: int
    value: float
    segment: int
    starts_segment: bool
    mean: float
    lower: float | None
    upper: float | None
    rules: frozenset[Rule]
    variation: Variation


@dataclass(frozen=True)
class SpcReading:
    """The chart of a series: every point, and the latest point's reading."""

    points: tuple[SpcPoint, ...]
    better: Better
    target: float | None
    assurance: Assurance | None
    # Points the latest limits were computed from; under RELIABLE_FROM they may mislead.
    limit_points: int

    @property
    def latest(self) -> SpcPoint | None:
        return self.points[-1] if self.points else None

    @property
    def variation(self) -> Variation | None:
        return self.points[-1].variation if self.points else None

    @property
    def reliable(self) -> bool:
        return self.limit_points >= RELIABLE_FROM


def xmr(
    values: Sequence[float],
    *,
    better: Better = "neither",
    target: float | None = None,
    rebase_at: Sequence[int] = (),
    baseline: int | None = None,
) -> SpcReading:
    """Read `values` (oldest first) as an XmR chart.

    `rebase_at` holds the indexes where new limits start; `baseline` fixes each segment's
    mean and limits on its first `baseline` points.
    """
    if baseline is not None and baseline < 2:
        raise ValueError("a baseline needs at least 2 points")
    starts = sorted({0, *(i for i in rebase_at if 0 < i < len(values))})
    bounds = list(zip(starts, [*starts[1:], len(values)], strict=True)) if values else []
    points: list[SpcPoint] = []
    limit_points = 0
    for number, (start, end) in enumerate(bounds):
        segment = [float(v) for v in values[start:end]]
        fixed = segment[:baseline] if baseline is not None else segment
        limit_points = len(fixed)
        points.extend(_segment_points(segment, fixed, start, number, better))
    latest = points[-1] if points else None
    return SpcReading(
        points=tuple(points),
        better=better,
        target=target,
        assurance=assurance(latest, better, target),
        limit_points=limit_points,
    )


def mean_moving_range(values: Sequence[float]) -> float | None:
    """The mean of the moving ranges, after screening out those of 3.267 × it or more."""
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    if not ranges:
        return None
    first = sum(ranges) / len(ranges)
    if first == 0:
        return 0.0
    kept = [r for r in ranges if r < SCREEN_FACTOR * first]
    return sum(kept) / len(kept)


def _segment_points(
    segment: list[float], fixed: list[float], offset: int, number: int, better: Better
) -> list[SpcPoint]:
    mean = sum(fixed) / len(fixed)
    spread = mean_moving_range(fixed)
    lower = upper = None
    rules: list[set[Rule]] = [set() for _ in segment]
    if spread is not None:
        lower, upper = mean - LIMIT_FACTOR * spread, mean + LIMIT_FACTOR * spread
        _mark_rules(segment, mean, spread, rules)
    return [
        SpcPoint(
            index=offset + i,
            value=value,
            segment=number,
            starts_segment=i == 0 and number > 0,
            mean=mean,
            lower=lower,
            upper=upper,
            rules=frozenset(rules[i]),
            variation=_variation(value - mean, bool(rules[i]), better),
        )
        for i, value in enumerate(segment)
    ]


def _mark_rules(values: list[float], mean: float, spread: float, rules: list[set[Rule]]) -> None:
    upper, lower = mean + LIMIT_FACTOR * spread, mean - LIMIT_FACTOR * spread
    near_upper, near_lower = mean + CLOSE_FACTOR * spread, mean - CLOSE_FACTOR * spread
    side = [_sign(v - mean) for v in values]
    outside = [v > upper or v < lower for v in values]
    close = [
        not out and (v > near_upper or v < near_lower)
        for v, out in zip(values, outside, strict=True)
    ]
    for i, out in enumerate(outside):
        if out:
            rules[i].add(Rule.OUTSIDE_LIMITS)
    # One pass each for runs on one side of the mean and for runs of rises or falls,
    # counting as they go (linear, not a window per point).
    _mark_runs(side, Rule.SHIFT, rules, points_in_run=lambda length: length)
    steps = [0] + [_sign(b - a) for a, b in zip(values, values[1:], strict=False)]
    _mark_runs(steps, Rule.TREND, rules, points_in_run=lambda length: length + 1, skip_first=True)
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        sides = {side[i] for i in window}
        if len(sides) == 1 and 0 not in sides and sum(close[i] for i in window) >= 2:
            for i in window:
                if close[i]:
                    rules[i].add(Rule.TWO_OF_THREE)


def _mark_runs(
    signs: list[int],
    rule: Rule,
    rules: list[set[Rule]],
    *,
    points_in_run: Callable[[int], int],
    skip_first: bool = False,
) -> None:
    """Mark every point of a run of RUN_LENGTH or more points whose `signs` agree (and are
    not zero); a trend's run of n steps spans n + 1 points."""
    length = 0
    for i, sign in enumerate(signs):
        if skip_first and i == 0:
            continue
        length = length + 1 if sign != 0 and length and signs[i - 1] == sign else int(sign != 0)
        points = points_in_run(length)
        if points == RUN_LENGTH:
            for j in range(i - RUN_LENGTH + 1, i + 1):
                rules[j].add(rule)
        elif points > RUN_LENGTH:
            rules[i].add(rule)


def _sign(x: float) -> int:
    return 0 if x == 0 or math.isnan(x) else (1 if x > 0 else -1)


def _variation(from_mean: float, special: bool, better: Better) -> Variation:
    if not special:
        return Variation.COMMON_CAUSE
    if better == "neither":
        return Variation.NEUTRAL
    good = 1 if better == "up" else -1
    return Variation.IMPROVEMENT if _sign(from_mean) == good else Variation.CONCERN


def assurance(point: SpcPoint | None, better: Better, target: float | None) -> Assurance | None:
    """Whether the process around `point` meets `target`: always, never, or hit and miss."""
    if point is None or target is None or better == "neither" or point.upper is None:
        return None
    assert point.lower is not None
    if target > point.upper:
        return Assurance.FAILING if better == "up" else Assurance.PASSING
    if target < point.lower:
        return Assurance.PASSING if better == "up" else Assurance.FAILING
    return Assurance.HIT_AND_MISS
