"""A board paper's figures for one plan and period, read in a fixed number of aggregate
queries however large the plan, reusing the digest's pieces so the two never disagree.

Counts that describe the period (wins, completions, feedback) are for the month; counts
that describe the plan (actions by status, open risks, what needs attention) are as at the
moment the paper is made, which is why each paper keeps its figures.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from governance.actions.models import Action
from governance.actions.rules import credited_progress_clause, percent_complete
from governance.actions.status import ActionStatus
from governance.board_papers.periods import Period
from governance.board_papers.views import (
    Figures,
    Listed,
    PaperAction,
    PaperBlocked,
    PaperBlocker,
    PaperChallenge,
    PaperCount,
    PaperDecision,
    PaperFeedback,
    PaperFunction,
    PaperIssue,
    PaperLink,
    PaperMeasure,
    PaperRaid,
    PaperRisk,
    PaperShare,
    PaperWin,
)
from governance.decisions.use_cases import paper_decisions
from governance.decisions.views import DecisionLinkView, DecisionView
from governance.dependencies.queries import blocked_actions
from governance.dependencies.views import BlockedActionView
from governance.feedback.views import FeedbackSummaryView, GroupCountView
from governance.issues.use_cases import open_issue_counts, open_issues, resolved_issues
from governance.issues.views import IssueView
from governance.jobs.digest import (
    LIST_LIMIT,
    completed_between,
    function_progress,
    needing_attention,
    open_challenges,
    wins_between,
)
from governance.jobs.views import DigestActionView, ListedView
from governance.measures.use_cases import plan_measures
from governance.measures.views import MeasureView
from governance.people_functions.models import PeopleFunction
from governance.plans.models import Plan
from governance.risks.models import Risk, RiskShare
from governance.risks.rules import EXTREME_FROM, RiskGrade, RiskStatus, grade

# The risks scored 15 or more the paper details; the rest are counted (`plan export risks`).
TOP_RISKS = 10


def compose_figures(
    session: Session,
    plan: Plan,
    period: Period,
    now: datetime,
    today: date,
    feedback: FeedbackSummaryView,
    measures: tuple[MeasureView, ...],
    functions_held: list[PeopleFunction],
) -> Figures:
    """The plan's figures for `period`, as at `now`; `feedback` is the period's summary,
    `measures` the measures up to its end, `functions_held` from `people_functions`."""
    start, until = period_bounds(plan, period, now)
    functions = function_progress(session, plan, functions_held)
    attention, overdue, red = needing_attention(session, plan, today)
    heat = _heat(session, plan)
    by_status = {status: sum(f.count(status) for f in functions) for status in ActionStatus}
    return Figures(
        period=period.key,
        made_at=now,
        draft=now < period.ends_at(plan.timezone),
        actions_by_status=by_status,
        percent_complete=_percent_complete(session, plan),
        overdue=overdue,
        red=red,
        functions=tuple(
            PaperFunction(
                number=f.number,
                name=f.name,
                counts=dict(f.counts),
                percent_complete=f.percent_complete,
                active=f.active,
                gap=f.is_gap,
            )
            for f in functions
        ),
        risks_by_grade=_by_grade(
            (likelihood * impact, count)
            for likelihood, row in enumerate(heat, 1)
            for impact, count in enumerate(row, 1)
        ),
        targets_by_grade=_targets(session, plan),
        heat=heat,
        top_risks=_top_risks(session, plan, heat),
        wins=_listed(
            wins_between(session, plan, start, until),
            lambda w: PaperWin(ref=w.ref, text=w.text, function_name=w.function_name),
        ),
        completed=_listed(completed_between(session, plan, start, until, today), _action),
        attention=_listed(attention, _action),
        challenges=_listed(
            open_challenges(session, plan),
            lambda c: PaperChallenge(
                subject_ref=c.subject_ref,
                subject_title=c.subject_title,
                question=c.question,
                asked_on=c.asked_at.date(),
            ),
        ),
        feedback=paper_feedback(feedback),
        measures=tuple(_measure(m) for m in measures),
        raid=_raid(session, plan, start, until, today),
        blocked=_listed(
            ListedView(*blocked_actions(session, plan.id, today, LIST_LIMIT)), _blocked
        ),
    )


def people_functions(session: Session) -> list[PeopleFunction]:
    """The 10 functions; held while a paper is made, every `.function` read (feedback's,
    wins') comes from the session's identity map instead of a query of its own."""
    return list(session.scalars(select(PeopleFunction).order_by(PeopleFunction.number)))


def period_bounds(plan: Plan, period: Period, now: datetime) -> tuple[datetime, datetime]:
    """From the period's start until its end, or until `now` while it has not ended."""
    return period.starts_at(plan.timezone), min(period.ends_at(plan.timezone), now)


def paper_feedback(summary: FeedbackSummaryView) -> PaperFeedback:
    return PaperFeedback(
        threshold=summary.threshold,
        total=_count(summary.total),
        by_source=tuple(_count(g) for g in summary.by_source),
        by_function=tuple(_count(g) for g in summary.by_function),
    )


def measures_to(
    session: Session, plan: Plan, period: Period, today: date
) -> tuple[MeasureView, ...]:
    """The active measures with only the points of periods that began before `period` ended."""
    return tuple(
        replace(m, points=tuple(p for p in m.points if p.period_start < period.end))
        for m in plan_measures(session, plan, today)
    )


def _count(group: GroupCountView) -> PaperCount:
    return PaperCount(label=group.label, shown=group.shown)


def _listed(listed: ListedView, make) -> Listed:  # type: ignore[no-untyped-def, type-arg]
    return Listed(items=tuple(make(item) for item in listed.items), total=listed.total)


def _action(action: DigestActionView) -> PaperAction:
    return PaperAction(
        ref=action.ref,
        title=action.title,
        owner_id=action.owner_id,
        status=action.status,
        due_date=action.due_date,
        overdue=action.overdue,
        completed_on=action.completed_at.date() if action.completed_at else None,
    )


def _percent_complete(session: Session, plan: Plan) -> int | None:
    counted, credited = session.execute(
        select(func.count(), func.coalesce(func.sum(credited_progress_clause()), 0)).where(
            Action.plan_id == plan.id, Action.status != ActionStatus.CANCELLED.value
        )
    ).one()
    return percent_complete(int(credited), int(counted))


def _heat(session: Session, plan: Plan) -> tuple[tuple[int, ...], ...]:
    cells = {
        (likelihood, impact): count
        for likelihood, impact, count in session.execute(
            select(Risk.likelihood, Risk.impact, func.count())
            .where(Risk.plan_id == plan.id, Risk.status == RiskStatus.OPEN.value)
            .group_by(Risk.likelihood, Risk.impact)
        )
    }
    return tuple(
        tuple(cells.get((likelihood, impact), 0) for impact in range(1, 6))
        for likelihood in range(1, 6)
    )


def _by_grade(scored) -> dict[RiskGrade, int]:  # type: ignore[no-untyped-def]
    counts = dict.fromkeys(RiskGrade, 0)
    for risk_score, count in scored:
        if count:
            counts[grade(risk_score)] += count
    return counts


def _targets(session: Session, plan: Plan) -> dict[RiskGrade, int]:
    """Open risks by the grade of their target score (those with a target)."""
    return _by_grade(
        session.execute(
            select(Risk.target_score, func.count())
            .where(
                Risk.plan_id == plan.id,
                Risk.status == RiskStatus.OPEN.value,
                Risk.target_score.is_not(None),
            )
            .group_by(Risk.target_score)
        ).all()
    )


def _top_risks(
    session: Session, plan: Plan, heat: tuple[tuple[int, ...], ...]
) -> Listed[PaperRisk]:
    score = Risk.likelihood * Risk.impact
    rows = session.scalars(
        select(Risk)
        .where(Risk.plan_id == plan.id, Risk.status == RiskStatus.OPEN.value, score >= EXTREME_FROM)
        .options(selectinload(Risk.shares).selectinload(RiskShare.partner))
        .order_by(score.desc(), Risk.number)
        .limit(TOP_RISKS)
    )
    items = tuple(
        PaperRisk(
            ref=risk.ref,
            title=risk.title,
            owner_id=risk.owner_id,
            likelihood=risk.likelihood,
            impact=risk.impact,
            score=risk.score,
            grade=grade(risk.score),
            target_score=risk.target_score,
            review_date=risk.review_date,
            mitigation=risk.mitigation,
            shares=tuple(
                PaperShare(partner=s.partner.name, percent=s.percent, lead=s.is_lead)
                for s in sorted(risk.shares, key=lambda s: (not s.is_lead, -s.percent, s.id))
            ),
        )
        for risk in rows
    )
    total = sum(
        count
        for likelihood, row in enumerate(heat, 1)
        for impact, count in enumerate(row, 1)
        if likelihood * impact >= EXTREME_FROM
    )
    return Listed(items=items, total=total)


def _raid(session: Session, plan: Plan, start: datetime, until: datetime, today: date) -> PaperRaid:
    """Open issues as at now and those resolved in the period; decisions awaiting the board
    now and those taken in the period: the digest's and `issue list`'s reads."""
    needed, made = paper_decisions(session, plan, start, until, today, LIST_LIMIT)
    still_open, open_total = open_issues(session, plan, today, LIST_LIMIT)
    resolved, resolved_total = resolved_issues(session, plan, start, until, today, LIST_LIMIT)
    return PaperRaid(
        issues_by_severity=open_issue_counts(session, plan),
        open_issues=Listed(items=tuple(map(_issue, still_open)), total=open_total),
        resolved_issues=Listed(items=tuple(map(_issue, resolved)), total=resolved_total),
        decisions_needed=_listed(needed, _decision),
        decisions_made=_listed(made, _decision),
    )


def _issue(issue: IssueView) -> PaperIssue:
    return PaperIssue(
        ref=issue.ref,
        title=issue.title,
        severity=issue.severity,
        severity_word=issue.severity_word,
        owner_id=issue.owner_id,
        partners=tuple(
            PaperShare(partner=p.partner, percent=p.percent, lead=p.is_lead) for p in issue.partners
        ),
        opened_on=issue.opened_on,
        days_open=issue.days_open,
        risk_ref=issue.risk_ref,
        resolution=issue.resolution,
        resolved_on=issue.resolved_at.date() if issue.resolved_at else None,
    )


def _decision(decision: DecisionView) -> PaperDecision:
    return PaperDecision(
        ref=decision.ref,
        title=decision.title,
        status=decision.status,
        proposal=decision.proposal,
        reasons=decision.reasons,
        proposed_by=decision.proposed_by,
        proposed_on=decision.proposed_at.date(),
        decided_by=decision.decided_by,
        decided_on=decision.decided_at.date() if decision.decided_at else None,
        forum=decision.forum,
        outcome_note=decision.outcome_note,
        deferred_until=decision.deferred_until,
        supersedes=decision.supersedes.ref if decision.supersedes else None,
        informed_by=tuple(_link(link) for link in decision.informed_by),
        affects=tuple(_link(link) for link in decision.affects),
    )


def _link(link: DecisionLinkView) -> PaperLink:
    return PaperLink(label=link.label, state=link.state)


def _blocked(blocked: BlockedActionView) -> PaperBlocked:
    return PaperBlocked(
        ref=blocked.ref,
        title=blocked.title,
        owner_id=blocked.owner_id,
        blockers=tuple(
            PaperBlocker(ref=b.ref, title=b.title, owner_id=b.owner_id, reasons=b.reasons)
            for b in blocked.blockers
        ),
    )


def _measure(measure: MeasureView) -> PaperMeasure:
    latest = measure.latest
    return PaperMeasure(
        ref=measure.ref,
        title=measure.title,
        latest=latest.value_text if latest else None,
        latest_period=latest.period_name if latest else None,
        variation=latest.variation.words if latest else None,
        assurance=latest.assurance.words if latest and latest.assurance else None,
        target=measure.target_text,
    )
