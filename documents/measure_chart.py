"""SPC charts of measures, drawn as Making Data Count draws them, with matplotlib.

Values are joined by a line; each segment's mean is a solid line and its process limits
dashed; the target is dotted. Special-cause points are marked by colour and by shape
(orange crosses for concern, blue triangles for improvement, purple diamonds when neither
direction is better, grey dots for common cause), and the legend names each, so colour
never carries the meaning alone. A rebase is a labelled vertical line.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from governance.measures.spc import RELIABLE_FROM, Variation
from governance.measures.views import MeasureView

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

# Making Data Count's colours, each with its own marker and legend words.
MARKERS = {
    Variation.COMMON_CAUSE: ("#7B7D7D", "o", "common cause"),
    Variation.IMPROVEMENT: ("#289DE0", "^", "special cause improvement"),
    Variation.CONCERN: ("#FAB428", "X", "special cause concern"),
    Variation.NEUTRAL: ("#361475", "D", "special cause (neither way better)"),
}
LINE = "#231F20"
LIMIT = "#7B7D7D"
TARGET = "#DE1B1B"
LABELS_SHOWN = 12
COMBINED_MAX = 6
UNRELIABLE_NOTE = f"Fewer than {RELIABLE_FROM} points: the limits are not yet reliable."


def measure_chart_png(measure: MeasureView) -> bytes:
    """One measure's XmR chart as a PNG."""
    figure, canvas = _figure(9, 4.8)
    axes = figure.add_subplot()
    _draw(axes, measure, legend=True)
    if measure.points and not measure.reliable:
        figure.text(0.01, 0.01, UNRELIABLE_NOTE, fontsize=8, style="italic")
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    return _png(canvas)


def concern_chart_png(measures: Sequence[MeasureView]) -> bytes:
    """The digest's one chart: a small XmR chart for each measure showing concern."""
    return measures_chart_png(measures, "Workforce measures showing special cause concern")


def measures_chart_png(measures: Sequence[MeasureView], title: str, dpi: int = 100) -> bytes:
    """Small XmR charts of up to six measures in one image, two to a row."""
    shown = list(measures)[:COMBINED_MAX]
    if not shown:
        raise ValueError("no measures to draw")
    columns = 1 if len(shown) == 1 else 2
    rows = (len(shown) + columns - 1) // columns
    figure, canvas = _figure(6 * columns, 3.4 * rows + 0.6, dpi)
    for index, measure in enumerate(shown):
        _draw(figure.add_subplot(rows, columns, index + 1), measure, legend=index == 0, inside=True)
    figure.suptitle(title, fontsize=11)
    # Fixed margins rather than tight_layout, which measured 0.14 s of CPU an image: the
    # board paper draws two of these.
    top = 1 - 0.55 / figure.get_figheight()
    figure.subplots_adjust(left=0.07, right=0.98, bottom=0.08, top=top, wspace=0.18, hspace=0.45)
    return _png(canvas)


def measure_chart_alt_text(measure: MeasureView) -> str:
    """The chart in words, for screen readers and anyone who cannot see it."""
    latest = measure.latest
    if latest is None:
        return f"{measure.ref} {measure.title}: no values yet."
    flagged = [p for p in measure.points if p.variation.is_special]
    words = [
        f"{measure.ref} {measure.title}, {len(measure.points)} values from "
        f"{measure.points[0].period_name} to {latest.period_name}.",
        f"Latest {latest.value_text} ({latest.period_name}): {latest.variation.words}.",
        f"Mean {_number(latest.mean)}"
        + (
            f", process limits {_number(latest.lower)} to {_number(latest.upper)}."
            if latest.lower is not None and latest.upper is not None
            else "."
        ),
    ]
    if measure.target is not None:
        words.append(f"Target {measure.target_text}.")
    if flagged:
        shown = ", ".join(f"{p.period_name} ({p.value_text})" for p in flagged[-8:])
        words.append(f"Special cause at {shown}.")
    return " ".join(words)


def _figure(width: float, height: float, dpi: int = 100) -> tuple[Figure, FigureCanvasAgg]:
    """A figure on its own canvas, drawn to bytes (no display, no global pyplot state)."""
    # matplotlib takes a second to import and only drawing needs it; the object API, not
    # pyplot, so threads can draw at once.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=dpi)
    return figure, FigureCanvasAgg(figure)


def _draw(axes: Axes, measure: MeasureView, *, legend: bool, inside: bool = False) -> None:
    points = measure.points
    xs = list(range(len(points)))
    axes.plot(xs, [p.value for p in points], color=LINE, linewidth=1.2, zorder=2)
    for start, end in _segments(points):
        span = [start - 0.3, end - 1 + 0.3]
        first = points[start]
        axes.plot(span, [first.mean] * 2, color=LIMIT, linewidth=1, label="_mean")
        if first.lower is not None and first.upper is not None:
            for limit in (first.lower, first.upper):
                axes.plot(span, [limit] * 2, color=LIMIT, linewidth=1, linestyle="--")
        if first.starts_segment:
            axes.axvline(start - 0.5, color=LINE, linestyle=":", linewidth=1)
            axes.annotate(
                "rebased",
                (start - 0.5, 1),
                xycoords=("data", "axes fraction"),
                fontsize=7,
                ha="left",
                va="top",
            )
    if measure.target is not None:
        axes.axhline(measure.target, color=TARGET, linestyle=":", linewidth=1.2)
    for variation, (colour, marker, words) in MARKERS.items():
        chosen = [i for i, p in enumerate(points) if p.variation is variation]
        if chosen:
            axes.scatter(
                chosen,
                [points[i].value for i in chosen],
                color=colour,
                marker=marker,
                s=42 if variation is Variation.COMMON_CAUSE else 70,
                edgecolors=LINE if variation.is_special else "none",
                linewidths=0.5,
                zorder=3,
                label=words,
            )
    if legend:
        handles, labels = axes.get_legend_handles_labels()
        lines = [
            axes.plot([], [], color=LIMIT, linewidth=1, label="mean")[0],
            axes.plot([], [], color=LIMIT, linestyle="--", linewidth=1, label="process limits")[0],
        ]
        if measure.target is not None:
            lines.append(axes.plot([], [], color=TARGET, linestyle=":", label="target")[0])
        kept = [(h, label) for h, label in zip(handles, labels, strict=True) if label[0] != "_"]
        axes.legend(
            [h for h, _ in kept] + lines,
            [label for _, label in kept] + [line.get_label() for line in lines],
            fontsize=6 if inside else 7,
            loc="best" if inside else "upper left",
            bbox_to_anchor=None if inside else (1.01, 1),
        )
    step = max(1, -(-len(points) // LABELS_SHOWN))
    axes.set_xticks(xs[::step], [p.period_key for p in points][::step], rotation=45, ha="right")
    axes.tick_params(labelsize=7)
    unit = "" if measure.unit in ("count", "score") else f" ({measure.unit})"
    axes.set_ylabel(measure.unit)
    # A "$" in a name would otherwise start matplotlib's maths typesetting.
    title = f"{measure.ref} {measure.title}{unit}".replace("$", r"\$")
    axes.set_title(title, fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)


def _segments(points: Sequence) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    starts = [i for i, p in enumerate(points) if i == 0 or p.starts_segment]
    return list(zip(starts, [*starts[1:], len(points)], strict=True)) if points else []


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _png(canvas: FigureCanvasAgg) -> bytes:
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()
