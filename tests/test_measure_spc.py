"""The SPC module reads XmR charts as Making Data Count and NHSRplotthedots do.

Worked examples come from public material, cited beside each; the figures are compared to
the precision they are printed with.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.measures.spc import Assurance, Rule, Variation, mean_moving_range, xmr


def limits(values: list[float]) -> tuple[float, float | None, float | None]:
    point = xmr(values).points[-1]
    return point.mean, point.lower, point.upper


# nhs-pycom/nhspy-plotthedots, tests/unittests/test_limits_calculations.py: (mean, lower
# process limit, upper process limit) for short series, printed to full float precision.
PUBLISHED_LIMITS = [
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], (5.5, 2.84, 8.16)),
    ([1, 2, 3, 4, 5, 4, 3, 2, 1, 2], (2.7, 0.040000000000000036, 5.36)),
    ([1, 2, 3], (2.0, -0.6600000000000001, 4.66)),
    (list(range(20)), (9.5, 6.84, 12.16)),
    ([3, 1, 4, 1, 5, 9, 2], (3.5714285714285716, -6.625238095238096, 13.768095238095238)),
    (
        [1, 2, 3, 2, 1, 2, 3, 4, 5, 6, 7, 4, 3, 2, 1, 2],
        (3.0, -0.014666666666666828, 6.014666666666667),
    ),
    (
        [-1, -2, -3, -2, -1, -2, -3, -4, -5, -6, -7, -4, -3, -2, -1, -2],
        (-3.0, -6.014666666666667, 0.014666666666666828),
    ),
]


@pytest.mark.parametrize(("values", "expected"), PUBLISHED_LIMITS)
def test_mean_and_process_limits_match_the_published_examples(
    values: list[float], expected: tuple[float, float, float]
) -> None:
    assert limits(values) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_a_moving_range_of_3267_times_the_mean_or_more_is_screened_out() -> None:
    # NHSRplotthedots, tests/testthat/test-ptd_spc_standard.R: alternating 1, -1 with the
    # 15th and 16th points at 5.5 and -5.5; the jump of 11 is screened out of the ranges.
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    assert mean_moving_range(values) == pytest.approx(32.5 / 14)


def test_two_points_close_to_limits_on_opposite_sides_are_common_cause() -> None:
    # NHSRplotthedots, test-ptd_spc_standard.R ("it only reports special cause for 2 of 3
    # points close to limits when they are on the same side of the mean"): the last two
    # points read common cause.
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    reading = xmr(values, better="up")
    assert [p.variation for p in reading.points[-2:]] == [Variation.COMMON_CAUSE] * 2


def test_two_of_three_close_to_a_limit_on_the_same_side_flags_those_two() -> None:
    # Mean 11.51, limits 5.56 to 17.46, two thirds of the way up 15.47: 16 and 16.2 are
    # close to the upper limit, and 12.5 between them is above the mean too.
    values = [10.0, 12.0] * 10 + [16.0, 12.5, 16.2]
    reading = xmr(values, better="down")
    flagged = [p.index for p in reading.points if p.rules]
    assert flagged == [20, 22]
    assert reading.points[20].rules == {Rule.TWO_OF_THREE}
    assert reading.variation is Variation.CONCERN


def test_seven_rising_points_are_a_trend_and_a_tie_breaks_it() -> None:
    # NHSRplotthedots, test-ptd_calculate_point_type.R (ptd_seven_point_trend): 1:7 is a
    # trend; c(1:3, 3:6) is not, the repeated 3 breaks it.
    assert all(Rule.TREND in p.rules for p in xmr([1, 2, 3, 4, 5, 6, 7]).points)
    assert not any(Rule.TREND in p.rules for p in xmr([1, 2, 3, 3, 4, 5, 6]).points)


def test_seven_on_one_side_of_the_mean_is_a_shift_and_all_seven_are_flagged() -> None:
    # NHSRplotthedots, test-ptd_calculate_point_type.R (ptd_seven_point_one_side_mean):
    # six on one side are not enough; seven are, and every one of them is part of it.
    six = [5, 4, 5, 4, 5, 4, 9, 10, 9, 10, 9, 10, 3]
    assert not any(Rule.SHIFT in p.rules for p in xmr(six).points)
    seven = [4, 5, 4, 5, 4, 5, 4, 9, 10, 9, 10, 9, 10, 9]
    shifted = [p.index for p in xmr(seven).points if Rule.SHIFT in p.rules]
    assert shifted == list(range(14))  # both halves are runs of 7 on their side


def test_a_point_outside_the_limits_is_improvement_or_concern_by_the_better_direction() -> None:
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30]
    assert xmr(values, better="up").variation is Variation.IMPROVEMENT
    assert xmr(values, better="down").variation is Variation.CONCERN
    assert xmr(values, better="neither").variation is Variation.NEUTRAL
    assert xmr(values).points[-1].rules == {Rule.OUTSIDE_LIMITS}


def test_assurance_compares_the_target_with_the_latest_limits() -> None:
    # ptd_calculate_assurance_type: a target beyond a limit is always (or never) met.
    values = [8, 9, 8, 9, 8, 9, 8, 9]  # mean 8.5, limits 5.84 to 11.16
    assert xmr(values, better="down", target=12).assurance is Assurance.PASSING
    assert xmr(values, better="down", target=5).assurance is Assurance.FAILING
    assert xmr(values, better="up", target=12).assurance is Assurance.FAILING
    assert xmr(values, better="up", target=5).assurance is Assurance.PASSING
    assert xmr(values, better="up", target=9).assurance is Assurance.HIT_AND_MISS
    assert xmr(values, better="neither", target=9).assurance is None
    assert xmr(values, better="up").assurance is None


def test_rebasing_starts_new_limits_from_that_point() -> None:
    before, after = [10, 12] * 6, [20, 21] * 6
    reading = xmr(before + after, rebase_at=[12])
    assert reading.points[0].mean == pytest.approx(11)
    assert reading.points[12].mean == pytest.approx(20.5)
    assert reading.points[12].starts_segment and not reading.points[0].starts_segment
    assert reading.points[-1].upper == pytest.approx(20.5 + 2.66)


def test_a_baseline_fixes_the_limits_on_the_first_points() -> None:
    reading = xmr([10, 12, 10, 12, 50, 60, 70], baseline=4)
    assert reading.points[-1].mean == pytest.approx(11)
    assert reading.points[-1].upper == pytest.approx(11 + 2.66 * 2)
    assert reading.limit_points == 4 and not reading.reliable


def test_fewer_than_15_points_are_not_yet_reliable() -> None:
    assert not xmr([1.0] * 14).reliable
    assert xmr([1.0] * 15).reliable


def test_one_point_has_a_mean_but_no_limits_yet() -> None:
    point = xmr([7.5]).points[0]
    assert (point.mean, point.lower, point.upper) == (7.5, None, None)
    assert point.variation is Variation.COMMON_CAUSE
    assert xmr([]).variation is None


series = st.lists(
    st.floats(min_value=-1e4, max_value=1e4, allow_nan=False), min_size=2, max_size=40
)


@settings(max_examples=60, deadline=None)
@given(series, st.floats(min_value=-1e4, max_value=1e4, allow_nan=False))
def test_shifting_every_value_shifts_the_mean_and_limits_by_the_same(
    values: list[float], shift: float
) -> None:
    mean, lower, upper = limits(values)
    moved = limits([v + shift for v in values])
    assert moved == pytest.approx((mean + shift, lower + shift, upper + shift), abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(series, st.floats(min_value=0.01, max_value=100, allow_nan=False))
def test_scaling_every_value_scales_the_mean_and_limits(values: list[float], factor: float) -> None:
    mean, lower, upper = limits(values)
    scaled = limits([v * factor for v in values])
    assert scaled == pytest.approx((mean * factor, lower * factor, upper * factor), abs=1e-5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-1000, 1000), min_size=7, max_size=30, unique=True), st.randoms())
def test_order_matters_for_runs_but_not_for_the_mean(values: list[int], rng) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(values)
    rng.shuffle(shuffled)
    assert xmr(shuffled).points[-1].mean == pytest.approx(xmr(values).points[-1].mean)
    rising = xmr(sorted(values)).points
    assert all(Rule.TREND in p.rules for p in rising)


def naive_runs(values: list[float], mean: float) -> tuple[set[int], set[int]]:
    """The shift and trend rules read literally: every window of 7 points, one at a time."""
    shift: set[int] = set()
    trend: set[int] = set()
    for end in range(6, len(values)):
        window = list(range(end - 6, end + 1))
        if all(values[i] > mean for i in window) or all(values[i] < mean for i in window):
            shift.update(window)
        steps = [values[i] - values[i - 1] for i in window[1:]]
        if all(s > 0 for s in steps) or all(s < 0 for s in steps):
            trend.update(window)
    return shift, trend


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=2, max_size=40))
def test_runs_of_seven_are_found_as_the_window_definition_finds_them(values: list[int]) -> None:
    points = xmr(values).points
    shift, trend = naive_runs([float(v) for v in values], points[0].mean)
    assert {p.index for p in points if Rule.SHIFT in p.rules} == shift
    assert {p.index for p in points if Rule.TREND in p.rules} == trend
