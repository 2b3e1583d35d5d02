"""The board paper as a PDF, drawn with fpdf2 from a BoardPaperView.

A4 portrait, marked OFFICIAL with page numbers on every page; real text in DejaVu Sans
(embedded, so ▲ ▼ £ and names in any script print); title, author and language set;
images carry alternative text. Colour never carries meaning alone: every status and grade
is written in words, and the charts label what their colours mean.

`SECTIONS` lists the paper's sections in order; a concept that lands adds its own.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from importlib.resources import files
from typing import Any, TypeVar

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from documents.measure_chart import COMBINED_MAX, measure_chart_alt_text, measures_chart_png
from documents.risk_heat_map import heat_map_alt_text, heat_map_png
from governance.actions.status import ActionStatus
from governance.board_papers.views import (
    BoardPaperView,
    Figures,
    Listed,
    PaperAction,
    PaperDecision,
    PaperIssue,
)
from governance.decisions.rules import is_awaiting
from governance.issues.rules import severity_word
from governance.measures.spc import Variation
from governance.risks.rules import RiskGrade

FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
MARKING = "OFFICIAL"
BRAG_ORDER = (
    ActionStatus.OFF_TRACK,
    ActionStatus.AT_RISK,
    ActionStatus.ON_TRACK,
    ActionStatus.DONE,
    ActionStatus.NOT_STARTED,
)
# "You said, we did" answers shown in full, as many as the digest's lists.
ANSWERS_SHOWN = 8
# Measures charted (six to an image); the rest are read in words above them.
CHARTS_SHOWN = 12
HEADINGS = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
INK = (35, 31, 32)

Names = Mapping[str, str]
T = TypeVar("T")


class _Paper(FPDF):
    """An A4 page with the marking at the top and the page number at the foot."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        fonts = files("documents") / "fonts"
        for style, name in FONT_FILES.items():
            self.add_font(FONT, style, str(fonts / name))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 18, 16)
        self.set_text_color(*INK)

    def header(self) -> None:
        self.set_font(FONT, "B", 9)
        self.set_y(7)
        self.cell(0, 5, MARKING, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.cell(0, 4, f"{MARKING} · {self.footer_text}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")


def board_paper_pdf(paper: BoardPaperView, names: Names | None = None) -> bytes:
    """The paper as PDF bytes; `names` gives people's names for their ids (else the id)."""
    pdf = _Paper(f"{paper.title}")
    pdf.set_title(paper.title)
    pdf.set_author("govbot for " + paper.plan_name)
    pdf.set_subject(f"People board highlight report, {paper.period.name}")
    pdf.set_creator("govbot")
    pdf.set_lang("en-GB")
    pdf.set_creation_date(paper.figures.made_at)
    writer = _Writer(pdf, paper, names or {})
    writer.cover()
    for number, (heading, draw) in enumerate(SECTIONS, start=2):
        writer.heading(f"{number}. {heading}")
        draw(writer)
    writer.closing()
    return bytes(pdf.output())


class _Writer:
    def __init__(self, pdf: _Paper, paper: BoardPaperView, names: Names) -> None:
        self.pdf = pdf
        self.paper = paper
        self.figures: Figures = paper.figures
        self.names = names

    # -- pieces ------------------------------------------------------------------------

    def heading(self, text: str, size: int = 14) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    def subheading(self, text: str) -> None:
        self.heading(text, size=11)

    def text(self, words: str, size: float = 10, bold: bool = False) -> None:
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, words, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1)

    def bullets(self, lines: list[str], more: int = 0, what: str = "more") -> None:
        for line in lines:
            self.text("• " + line)
        if more > 0:
            self.text(f"…and {more} {what} (in govbot's exports).", size=9)

    def table(self, widths: tuple[int, ...], rows: Sequence[tuple[str, ...]]) -> None:
        self.pdf.set_font(FONT, "", 8.5)
        with self.pdf.table(
            col_widths=widths,
            text_align="LEFT",
            headings_style=HEADINGS,
            line_height=4.6,
            padding=1.2,
            first_row_as_headings=True,
        ) as table:
            for row in rows:
                cells = table.row()
                for value in row:
                    cells.cell(value)
        self.pdf.ln(2)

    def image(self, png: bytes, width: float, alt_text: str) -> None:
        pdf = self.pdf
        pdf.image(io.BytesIO(png), x=pdf.l_margin, w=width, alt_text=alt_text)
        pdf.ln(2)

    def person(self, user_id: str | None) -> str:
        if not user_id:
            return "no owner"
        return self.names.get(user_id, user_id)

    def change(self, name: str) -> str:
        moved = self.paper.change(name)
        if self.paper.previous is None:
            return "first paper"
        if moved is None:
            return "not counted before"
        if moved == 0:
            return "no change"
        arrow, word = ("▲", "up") if moved > 0 else ("▼", "down")
        return f"{arrow} {word} {abs(moved)}"

    def action_line(self, action: PaperAction) -> str:
        due = f"due {action.due_date:%d %b %Y}" if action.due_date else "no due date"
        overdue = ", overdue" if action.overdue else ""
        return (
            f"{action.ref} {action.title} — {action.status.label}; {self.person(action.owner_id)}"
            f"; {due}{overdue}"
        )

    # -- the paper ---------------------------------------------------------------------

    def cover(self) -> None:
        pdf, paper = self.pdf, self.paper
        pdf.add_page()
        pdf.ln(30)
        self.text("People board paper", size=13, bold=True)
        self.text(paper.plan_name, size=22, bold=True)
        self.text(f"Highlight report for {paper.period.name}", size=14)
        if paper.draft:
            self.text(
                "DRAFT: the period has not ended, so these figures will change.", 12, bold=True
            )
        pdf.ln(4)
        partners = ", ".join(paper.partners) if paper.partners else "none recorded yet"
        self.text(f"Integrated care system partners: {partners}")
        made = self.figures.made_at
        self.text(f"Made {made:%d %B %Y at %H:%M} ({paper.timezone}) by govbot.")
        if paper.reproduced:
            self.text("Re-made from the figures kept when this paper was first made.")
        self.text(f"Security marking: {MARKING}.")
        pdf.ln(6)
        self.text("Contents", size=11, bold=True)
        self.bullets([f"{n}. {heading}" for n, (heading, _) in enumerate(SECTIONS, start=2)])
        pdf.add_page()

    def summary(self) -> None:
        f, since = self.figures, self.paper.previous_period
        against = f"Change since {since}" if since else "Change"
        rows = [("Measure", "Now", against)]
        rows.append(("Actions (not cancelled)", str(f.actions_total), self.change("actions")))
        for status in BRAG_ORDER:
            rows.append(
                (
                    f"  {status.label}",
                    str(f.actions_by_status.get(status, 0)),
                    self.change(f"actions:{status.value}"),
                )
            )
        percent = "—" if f.percent_complete is None else f"{f.percent_complete}%"
        rows.append(("% complete", percent, self.change("percent-complete")))
        rows.append(("Overdue actions", str(f.overdue), self.change("overdue")))
        rows.append(("Red (off track) actions", str(f.red), self.change("red")))
        rows.append(("Open risks", str(f.open_risks), self.change("risks")))
        for g in reversed(RiskGrade):
            rows.append(
                (
                    f"  {g.value.capitalize()}",
                    str(f.risks_by_grade.get(g, 0)),
                    self.change(f"risks:{g.value}"),
                )
            )
        raid = f.raid
        if raid is not None:
            issues, needed = raid.open_issue_total, raid.decisions_needed.total
            rows.append(("Open issues", str(issues), self.change("issues")))
            rows.append(("Decisions needed", str(needed), self.change("decisions-needed")))
        self.table((90, 30, 60), rows)
        red, overdue, extreme = f.red, f.overdue, f.risks_by_grade.get(RiskGrade.EXTREME, 0)
        raid_words = (
            f" {_count(issues, 'open issue')}; {_count(needed, 'decision')} needed from the board."
            if raid is not None
            else ""
        )
        self.text(
            f"In words: {f.actions_total} actions, {percent} complete; {red} red (off track) and "
            f"{overdue} overdue. {f.open_risks} open risks, {extreme} of them extreme (15+)."
            + raid_words
        )

    def functions(self) -> None:
        rows: list[tuple[str, ...]] = [
            ("People function", "Red", "Amber", "Green", "Done", "Not started", "% complete")
        ]
        for function in self.figures.functions:
            c = function.counts
            rows.append(
                (
                    (f"{function.number}. " if function.number else "") + function.name,
                    *(str(c.get(s, 0)) for s in BRAG_ORDER),
                    "—" if function.percent_complete is None else f"{function.percent_complete}%",
                )
            )
        self.table((62, 16, 18, 18, 16, 24, 24), rows)
        gaps = self.figures.gaps
        if gaps:
            self.text("Gaps (no open action): " + ", ".join(g.name for g in gaps) + ".", bold=True)
        else:
            self.text("Every people function has open work.")

    def risks(self) -> None:
        f = self.figures
        in_words = heat_map_alt_text(f.heat)
        self.image(heat_map_png(f.heat), 150, in_words)
        self.text(in_words, size=8.5)
        self.subheading("Current against target")
        rows = [("Grade", "Open risks now", "At their target score")]
        for g in reversed(RiskGrade):
            rows.append(
                (
                    g.value.capitalize(),
                    str(f.risks_by_grade.get(g, 0)),
                    str(f.targets_by_grade.get(g, 0)),
                )
            )
        self.table((60, 50, 70), rows)
        self.subheading("Risks scored 15 or more")
        if not f.top_risks.items:
            self.text("No open risk is scored 15 or more.")
            return
        for risk in f.top_risks.items:
            target = f"target {risk.target_score}" if risk.target_score else "no target set"
            review = f"review {risk.review_date:%d %b %Y}" if risk.review_date else "no review date"
            self.text(
                f"{risk.ref} {risk.title} — score {risk.score} ({risk.grade.value}: likelihood "
                f"{risk.likelihood} × impact {risk.impact}), {target}",
                bold=True,
            )
            self.text(f"Owner: {self.person(risk.owner_id)}; {review}.")
            if risk.mitigation:
                self.text(f"Mitigation: {risk.mitigation}")
            if risk.shares:
                shares = ", ".join(
                    f"{s.partner} {s.percent}%" + (" (lead partner)" if s.lead else "")
                    for s in risk.shares
                )
                self.text(f"Risk share: {shares}.")
            else:
                self.text("Risk share: not shared yet.")
        if f.top_risks.more:
            self.text(f"…and {f.top_risks.more} more scored 15 or more (in govbot's exports).", 9)

    def issues_and_decisions(self) -> None:
        raid = self.figures.raid
        if raid is None:
            self.text(
                "This paper was first made before govbot recorded issues and decisions, so its "
                "kept figures have none."
            )
            return
        self.subheading(f"Open issues ({raid.open_issue_total})")
        self.table(
            (90, 90),
            [("Severity", "Open issues")]
            + [(f"{n} {severity_word(n)}", str(c)) for n, c in raid.issues_by_severity.items()],
        )
        self.listing(raid.open_issues, self.issue_lines, "No issue is open.", "more open")
        self.subheading(f"Issues resolved this period ({raid.resolved_issues.total})")
        self.listing(
            raid.resolved_issues,
            self.issue_lines,
            "No issue was resolved this period.",
            "more resolved",
        )
        self.subheading(f"Decisions needed ({raid.decisions_needed.total})")
        self.listing(
            raid.decisions_needed,
            self.decision_lines,
            "No decision is awaiting the board.",
            "more awaiting the board",
        )
        self.subheading(f"Decisions made this period ({raid.decisions_made.total})")
        self.listing(
            raid.decisions_made,
            self.decision_lines,
            "No decision was taken this period.",
            "more taken",
        )

    def listing(self, listed: Listed[T], draw: Callable[[T], None], none: str, more: str) -> None:
        """Each of the first few drawn, then how many more; `none` when there are none."""
        if not listed.items:
            self.text(none)
        for item in listed.items:
            draw(item)
        if listed.more:
            self.text(f"…and {listed.more} {more} (in govbot's exports).", 9)

    def issue_lines(self, issue: PaperIssue) -> None:
        self.text(
            f"{issue.ref} {issue.title} — severity {issue.severity} ({issue.severity_word})",
            bold=True,
        )
        if issue.resolved_on:
            self.text(
                f"Owner: {self.person(issue.owner_id)}; open {issue.opened_on:%d %b %Y} to "
                f"{issue.resolved_on:%d %b %Y}. Resolved: {issue.resolution}"
            )
        else:
            days = "1 day" if issue.days_open == 1 else f"{issue.days_open} days"
            self.text(
                f"Owner: {self.person(issue.owner_id)}; open {days} (since "
                f"{issue.opened_on:%d %b %Y})."
            )
        partners = ", ".join(
            p.partner
            + (f" {p.percent}%" if p.percent is not None else "")
            + (" (lead partner)" if p.lead else "")
            for p in issue.partners
        )
        was = f"It was risk {issue.risk_ref}. " if issue.risk_ref else ""
        self.text(f"{was}Partners affected: {partners or 'none named'}.")

    def decision_lines(self, decision: PaperDecision) -> None:
        status = decision.status.label
        if decision.deferred_until:
            status += f" until {decision.deferred_until:%d %b %Y}"
        self.text(f"{decision.ref} {decision.title} — {status}", bold=True)
        if decision.proposal:
            self.text(f"Proposed: {decision.proposal}")
        self.text(
            f"Proposed by {self.person(decision.proposed_by)} on {decision.proposed_on:%d %b %Y}."
            + (f" Replaces {decision.supersedes}." if decision.supersedes else "")
        )
        if decision.reasons:
            self.text(f"Reasons: {decision.reasons}")
        if decision.informed_by:
            self.text(
                "Rests on: "
                + "; ".join(f"{link.label} ({link.state})" for link in decision.informed_by)
                + "."
            )
        if decision.affects:
            self.text(
                "Affects: "
                + "; ".join(f"{link.label} ({link.state})" for link in decision.affects)
                + "."
            )
        if decision.decided_on and not is_awaiting(decision.status):
            forum = f" at {decision.forum}" if decision.forum else ""
            self.text(
                f"{decision.status.label} by {self.person(decision.decided_by)} on "
                f"{decision.decided_on:%d %b %Y}{forum}."
                + (f" Note: {decision.outcome_note}" if decision.outcome_note else "")
            )

    def measures(self) -> None:
        f, charts = self.figures, self.paper.measures
        if not f.measures:
            self.text("The plan has no workforce measures yet.")
            return
        for measure in f.measures:
            if measure.latest is None:
                self.bullets([f"{measure.ref} {measure.title}: no values yet."])
                continue
            assurance = f"; {measure.assurance}" if measure.assurance else ""
            target = f" (target {measure.target})" if measure.target else ""
            self.bullets(
                [
                    f"{measure.ref} {measure.title}: {measure.latest} in {measure.latest_period}"
                    f"{target} — {measure.variation}{assurance}."
                ]
            )
        # Those showing concern first; past a dozen charts the paper would be a chart book.
        drawn = sorted(
            (m for m in charts if m.points), key=lambda m: m.variation is not Variation.CONCERN
        )[:CHARTS_SHOWN]
        if len(drawn) < len([m for m in charts if m.points]):
            self.text(
                f"Charts follow for {len(drawn)} measures, those showing special cause concern "
                "first; every measure's own chart is in govbot.",
                size=9,
            )
        for start in range(0, len(drawn), COMBINED_MAX):
            group = drawn[start : start + COMBINED_MAX]
            png = measures_chart_png(group, "Workforce measures (XmR charts)", dpi=72)
            alt = " ".join(measure_chart_alt_text(m) for m in group)
            self.image(png, 178, alt[:2000])

    def success(self) -> None:
        f = self.figures
        self.subheading(f"Wins ({f.wins.total})")
        if f.wins.items:
            self.bullets(
                [
                    f"{w.ref} {w.text}" + (f" ({w.function_name})" if w.function_name else "")
                    for w in f.wins.items
                ],
                f.wins.more,
                "more wins",
            )
        else:
            self.text("No wins were recorded this period.")
        self.subheading(f"Actions completed ({f.completed.total})")
        if f.completed.items:
            self.bullets(
                [
                    f"{a.ref} {a.title} — {self.person(a.owner_id)}"
                    + (f", {a.completed_on:%d %b}" if a.completed_on else "")
                    for a in f.completed.items
                ],
                f.completed.more,
                "more completed",
            )
        else:
            self.text("No actions were completed this period.")

    def voices(self) -> None:
        feedback = self.figures.feedback
        self.text(
            f"Feedback this period: {feedback.total.shown}. Groups smaller than "
            f"{feedback.threshold} are not reported, so no one can be identified."
        )
        rows: list[tuple[str, ...]] = [("By source", "Count")]
        rows += [(g.label, g.shown) for g in feedback.by_source]
        self.table((120, 60), rows)
        rows = [("By people function", "Count")]
        rows += [(g.label, g.shown) for g in feedback.by_function]
        self.table((120, 60), rows)
        self.subheading("You said, we did")
        if not self.paper.with_feedback_text:
            self.text(
                "Feedback text is left out of this copy: only the plan's leads, chairs and "
                "data leads read it."
            )
            return
        answers = self.paper.answers
        if not answers:
            self.text("No feedback was answered this period.")
        for item in answers[:ANSWERS_SHOWN]:
            source = f" ({item.source_label})" if item.source_label else ""
            self.text(f"{item.ref}{source} — You said: {item.text}")
            self.text(f"We did: {item.answer}")
        if len(answers) > ANSWERS_SHOWN:
            more = len(answers) - ANSWERS_SHOWN
            self.text(f"…and {more} more answered this period (in govbot's feedback list).", 9)

    def attention(self) -> None:
        f = self.figures
        self.subheading(f"Overdue and red actions ({f.attention.total})")
        if f.attention.items:
            self.bullets([self.action_line(a) for a in f.attention.items], f.attention.more, "more")
        else:
            self.text("No action is overdue or red.")
        if f.blocked is not None:
            self.subheading(f"Blocked by the actions they wait on ({f.blocked.total})")
            if f.blocked.items:
                self.bullets(
                    [
                        f"{b.ref} {b.title} ({self.person(b.owner_id)}) waits on "
                        + "; ".join(
                            f"{w.ref} {w.title}, which "
                            + " and ".join(reason.words for reason in w.reasons)
                            for w in b.blockers
                        )
                        for b in f.blocked.items
                    ],
                    f.blocked.more,
                    "more",
                )
            else:
                self.text("No action is held up by one it waits on.")
        self.subheading(f"Open challenges ({f.challenges.total})")
        if f.challenges.items:
            self.bullets(
                [
                    f"On {c.subject_ref} {c.subject_title}: “{c.question}” (asked "
                    f"{c.asked_on:%d %b %Y})"
                    for c in f.challenges.items
                ],
                f.challenges.more,
                "more",
            )
        else:
            self.text("No challenge is waiting for an answer.")

    def closing(self) -> None:
        self.heading("Notes")
        left_out = ", ".join(self.paper.left_out)
        if left_out:
            self.text(f"Left out of this paper until govbot records them: {left_out}.")
        self.text(
            "Plan-wide figures (actions, risks, what needs attention) are as at the moment the "
            "paper was made; wins, completions and feedback are those of the period."
        )


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


Section = tuple[str, Callable[[_Writer], Any]]
SECTIONS: tuple[Section, ...] = (
    ("Summary", _Writer.summary),
    ("Progress by people function", _Writer.functions),
    ("Risks", _Writer.risks),
    ("Issues and decisions", _Writer.issues_and_decisions),
    ("Workforce measures", _Writer.measures),
    ("Celebrating success", _Writer.success),
    ("Voices: what people said", _Writer.voices),
    ("Needs attention", _Writer.attention),
)
