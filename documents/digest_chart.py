"""The digest's chart: actions by status for each people function, drawn with matplotlib."""

from __future__ import annotations

import io

from governance.actions.status import ActionStatus
from governance.jobs.views import DigestView

# Board colours, with the word in the legend so colour is never the only cue.
SERIES = (
    (ActionStatus.DONE, "#005EB8"),
    (ActionStatus.ON_TRACK, "#009639"),
    (ActionStatus.AT_RISK, "#ED8B00"),
    (ActionStatus.OFF_TRACK, "#DA291C"),
    (ActionStatus.NOT_STARTED, "#AEB7BD"),
)


def rag_chart_png(digest: DigestView) -> bytes:
    """A horizontal stacked bar per people function: its actions by status, as a PNG."""
    # matplotlib takes a second to import, and only drawing needs it. The object API with
    # the Agg canvas, not pyplot: no display, no global figure state, so threads can draw.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    functions = list(reversed(digest.functions))  # function 1 at the top
    labels = [f"{f.number}. {f.key}" if f.number else "no function" for f in functions]
    figure = Figure(figsize=(8, 0.45 * len(functions) + 1.6), dpi=100)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    left = [0] * len(functions)
    for status, colour in SERIES:
        counts = [f.count(status) for f in functions]
        axes.barh(labels, counts, left=left, color=colour, label=status.label)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.set_xlabel("Actions")
    # A "$" in a plan's name would otherwise start matplotlib's maths typesetting.
    name = digest.plan_name.replace("$", r"\$")
    axes.set_title(f"{name}: actions by status and people function", fontsize=10)
    ticks = axes.xaxis.get_major_locator()
    if isinstance(ticks, MaxNLocator):  # the default, AutoLocator, is one: whole actions only
        ticks.set_params(integer=True)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.08), ncol=3, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()


def chart_alt_text(digest: DigestView) -> str:
    """The chart in words, for screen readers and anyone who cannot see it."""
    parts = []
    for f in digest.functions:
        if f.total:
            counts = ", ".join(
                f"{f.count(status)} {status.label}" for status, _ in SERIES if f.count(status)
            )
            parts.append(f"{f.key or 'no function'}: {counts}")
        elif f.number:
            parts.append(f"{f.key}: no actions")
    return "Actions by status for each people function. " + "; ".join(parts)
