"""The 5 × 5 risk heat map: open risks by likelihood and impact, drawn with matplotlib.

Each cell holds its count in large figures and its grade in words (low, moderate, high,
extreme) on the NHS grade colour, so the map reads the same printed in greyscale.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from governance.risks.rules import IMPACT_WORDS, LIKELIHOOD_WORDS, RiskGrade, grade

# NHS risk matrix colours, lightest to darkest so greyscale keeps their order.
GRADE_COLOURS = {
    RiskGrade.LOW: "#C8E6C9",
    RiskGrade.MODERATE: "#FFE97F",
    RiskGrade.HIGH: "#F5A65B",
    RiskGrade.EXTREME: "#D5281B",
}


def heat_map_png(heat: Sequence[Sequence[int]], dpi: int = 120) -> bytes:
    """`heat[likelihood - 1][impact - 1]` open risks in each cell, as a PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    figure = Figure(figsize=(6.2, 4.6), dpi=dpi)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            cell_grade = grade(likelihood * impact)
            dark = cell_grade is RiskGrade.EXTREME
            axes.add_patch(
                Rectangle(
                    (impact - 1, likelihood - 1),
                    1,
                    1,
                    facecolor=GRADE_COLOURS[cell_grade],
                    edgecolor="#231F20",
                    linewidth=0.8,
                )
            )
            colour = "white" if dark else "#231F20"
            count = heat[likelihood - 1][impact - 1]
            axes.text(
                impact - 0.5,
                likelihood - 0.45,
                str(count),
                ha="center",
                va="center",
                fontsize=15,
                fontweight="bold",
                color=colour,
            )
            axes.text(
                impact - 0.5,
                likelihood - 0.85,
                f"{cell_grade.value} ({likelihood * impact})",
                ha="center",
                va="center",
                fontsize=7,
                color=colour,
            )
    axes.set_xlim(0, 5)
    axes.set_ylim(0, 5)
    axes.set_xticks(
        [i + 0.5 for i in range(5)], [f"{i + 1} {w}" for i, w in enumerate(IMPACT_WORDS)]
    )
    axes.set_yticks(
        [i + 0.5 for i in range(5)], [f"{i + 1} {w}" for i, w in enumerate(LIKELIHOOD_WORDS)]
    )
    axes.tick_params(labelsize=7, length=0)
    axes.set_xlabel("Impact")
    axes.set_ylabel("Likelihood")
    axes.set_title("Open risks by likelihood and impact (count, grade and score)", fontsize=9)
    figure.tight_layout()
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()


def heat_map_alt_text(heat: Sequence[Sequence[int]]) -> str:
    """The heat map in words: each cell holding risks, by likelihood and impact."""
    cells = [
        f"likelihood {likelihood} × impact {impact} ({grade(likelihood * impact).value}): "
        f"{heat[likelihood - 1][impact - 1]}"
        for likelihood in range(5, 0, -1)
        for impact in range(1, 6)
        if heat[likelihood - 1][impact - 1]
    ]
    if not cells:
        return "Risk heat map: no open risks."
    return "Risk heat map of open risks. " + "; ".join(cells) + "."
