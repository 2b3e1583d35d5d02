"""Seed the fictional Wessex Vale ICS plan (demo_story.py) through the governance use cases.

Each step runs as the person in the story who would take it, on the day they would take
it: a clock set back for each step gives the history, audit log and "since the last
digest" views real dates, all relative to the moment of seeding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.console import demo_story as story
from bot.console.slack_standin import permalink
from bot.imports import preview_file
from governance.actions.inputs import ActionAdd, ActionDepends, ActionDone, ActionUpdate
from governance.actions.use_cases import add_action, complete_action, update_action
from governance.actor import Actor
from governance.board_papers.periods import period_of
from governance.board_papers.use_cases import PlanReport, board_paper
from governance.challenges.inputs import ChallengeAnswer, ChallengeAsk
from governance.challenges.use_cases import answer_challenge, challenge_action, challenge_risk
from governance.database import UnitOfWork
from governance.decisions.inputs import DecisionDecide, DecisionPropose
from governance.decisions.use_cases import decide, propose_decision
from governance.dependencies.use_cases import set_dependencies
from governance.feedback.inputs import FeedbackAnswer, FeedbackGive
from governance.feedback.use_cases import answer_feedback, give_feedback
from governance.imports.inputs import ImportFile, ImportRef
from governance.imports.use_cases import apply_import
from governance.inputs import validate
from governance.issues.inputs import IssueUpdate, RiskMaterialise
from governance.issues.use_cases import materialise_risk, update_issue
from governance.local_time import local_today
from governance.measures.inputs import MeasureAdd, MeasureFormRecord
from governance.measures.rules import due_period, period_end, period_key, previous_period
from governance.measures.use_cases import add_measure, record_values
from governance.plans.inputs import (
    MemberSettingsChange,
    PartnerAdd,
    PlanBoard,
    PlanSetup,
    RoleChange,
)
from governance.plans.membership import workspace_channel_plan
from governance.plans.settings_use_cases import update_member_preferences
from governance.plans.use_cases import add_partner, set_board_channel, set_role, setup_plan
from governance.risks.inputs import RiskAdd, RiskClose
from governance.risks.use_cases import add_risk, close_risk
from governance.wins.inputs import WinRecord
from governance.wins.use_cases import record_win

PLAN_SET_UP = 90  # days before seeding
FIRST_ACTION = 75


@dataclass(frozen=True)
class DemoPlan:
    plan_id: int
    seeded: bool  # False when the demo plan was already in this database


@dataclass
class _Step:
    ago: timedelta
    actor: str
    run: Callable[[UnitOfWork, Actor], object]


class _SetBackClock:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.current = now

    def __call__(self) -> datetime:
        return self.current


def seed_demo(
    engine: Engine,
    *,
    team_id: str,
    user_ids: Mapping[str, str],
    plan_channel_id: str,
    board_channel_id: str,
    now: datetime,
) -> DemoPlan:
    """Seed the demo plan into `plan_channel_id`, unless that channel already has a plan.

    `user_ids` maps each handle in demo_story.CAST to the Slack user id to act as.
    """
    clock = _SetBackClock(now)
    uow = UnitOfWork(engine, clock=clock)
    with uow.transaction() as session:
        plan = workspace_channel_plan(session, Actor(team_id, user_ids["you"], plan_channel_id))
        if plan is not None:
            return DemoPlan(plan_id=plan.id, seeded=False)
    steps = _steps(user_ids, board_channel_id, local_today(now, "Europe/London"))
    plan_id = 0
    # Stable sort: steps on the same moment keep the story's order (A-1 before A-2).
    for step in sorted(steps, key=lambda s: -s.ago):
        clock.current = now - step.ago
        result = step.run(uow, Actor(team_id, user_ids[step.actor], plan_channel_id))
        plan_id = plan_id or getattr(result, "id", 0)
    return DemoPlan(plan_id=plan_id, seeded=True)


def _steps(user_ids: Mapping[str, str], board_channel_id: str, today) -> list[_Step]:  # type: ignore[no-untyped-def]
    steps: list[_Step] = []

    # `...`: mypy cannot infer a lambda that binds loop variables as defaults (n=name)
    # against a two-argument type; each is still called as run(uow, actor).
    def at(days: float, actor: str, run: Callable[..., object]) -> None:
        steps.append(_Step(timedelta(days=days), actor, run))

    def due_text(days: int | None) -> str | None:
        return None if days is None else (today + timedelta(days=days)).isoformat()

    def partner(short: str) -> str:
        return story.PARTNERS[short][0]

    at(
        PLAN_SET_UP,
        "you",
        lambda uow, a: setup_plan(uow, a, validate(PlanSetup, name=story.PLAN_NAME)),
    )
    for name, sector in story.PARTNERS.values():
        at(
            PLAN_SET_UP - 0.1,
            "you",
            lambda uow, a, n=name, s=sector: add_partner(
                uow, a, validate(PartnerAdd, name=n, sector=s)
            ),
        )
    for handle, role in story.ROLES.items():
        at(
            PLAN_SET_UP - 0.2,
            "you",
            lambda uow, a, h=handle, r=role: set_role(
                uow, a, validate(RoleChange, user_id=user_ids[h], role=r)
            ),
        )
    at(
        PLAN_SET_UP - 0.3,
        "you",
        lambda uow, a: set_board_channel(uow, a, validate(PlanBoard, channel_id=board_channel_id)),
    )

    for place, action in enumerate(story.ACTIONS, start=1):
        ref = f"A-{place}"
        created = FIRST_ACTION - place
        at(
            created,
            action.owner,
            lambda uow, a, act=action: add_action(
                uow,
                a,
                validate(
                    ActionAdd,
                    title=act.title,
                    function=act.function,
                    partner=partner(act.partner),
                    due=due_text(act.due),
                    source_link=permalink(a.channel_id, act.from_message)
                    if act.from_message
                    else None,
                ),
            ),
        )
        _action_history(at, ref, action, created)
    for waiting, on, ago in story.DEPENDENCIES:
        at(
            ago,
            _owner_of(waiting),
            lambda uow, a, w=waiting, o=on: set_dependencies(
                uow, a, validate(ActionDepends, ref=w, on=o)
            ),
        )

    for place, risk in enumerate(story.RISKS, start=1):
        share = tuple((partner(short), percent) for short, percent in risk.share)
        at(
            risk.created,
            risk.owner,
            lambda uow, a, r=risk, s=share: add_risk(
                uow,
                a,
                validate(
                    RiskAdd,
                    title=r.title,
                    likelihood=r.likelihood,
                    impact=r.impact,
                    function=r.function,
                    target=r.target,
                    mitigation=r.mitigation,
                    review=r.review_in,
                    share=s,
                    lead=s[0][0],
                ),
            ),
        )
        if risk.closed is not None:
            at(
                risk.closed,
                risk.owner,
                lambda uow, a, n=place: close_risk(
                    uow, a, validate(RiskClose, number=n, note="Agreement signed; risk gone.")
                ),
            )
        if risk.happened is not None:
            _happened(at, place, risk.owner, risk.happened)

    # Feedback is numbered in the order it was given, not the order of the story.
    given = sorted(story.FEEDBACK, key=lambda f: -f.ago)
    for feedback in story.FEEDBACK:
        number = given.index(feedback) + 1
        at(
            feedback.ago,
            feedback.author,
            lambda uow, a, f=feedback: give_feedback(
                uow,
                a,
                validate(
                    FeedbackGive,
                    source=f.source,
                    text=f.text,
                    function=f.function,
                    rating=f.rating,
                    anonymous=f.anonymous,
                    service_area=f.service_area,
                ),
            ),
        )
        if feedback.answer:
            at(
                feedback.ago / 2,
                "you",
                lambda uow, a, f=feedback, n=number: answer_feedback(
                    uow,
                    a,
                    validate(FeedbackAnswer, feedback=n, text=f.answer, action=f.answer_action),
                ),
            )

    for win in story.WINS:
        at(
            win.ago,
            win.by,
            lambda uow, a, w=win: record_win(
                uow,
                a,
                validate(
                    WinRecord,
                    text=w.text,
                    function=w.function,
                    people=tuple(user_ids[p] for p in w.people),
                    partners=tuple(partner(p) for p in w.partners),
                ),
            ),
        )

    for pattern in story.WORKING_PATTERNS:
        at(
            pattern.ago,
            pattern.person,
            lambda uow, a, p=pattern: update_member_preferences(
                uow,
                a,
                validate(
                    MemberSettingsChange,
                    days=p.days,
                    away=due_text(p.away_for),
                ),
            ),
        )

    for challenge in story.CHALLENGES:
        ask = challenge_risk if challenge.subject.startswith("R") else challenge_action
        at(
            challenge.ago,
            challenge.by,
            lambda uow, a, c=challenge, ask=ask: ask(
                uow, a, validate(ChallengeAsk, ref=c.subject, question=c.question)
            ),
        )
        if challenge.answer:
            answerer = _owner_of(challenge.subject)
            at(
                challenge.ago - 1,
                answerer,
                lambda uow, a, c=challenge: answer_challenge(
                    uow, a, validate(ChallengeAnswer, ref=c.subject, answer=c.answer)
                ),
            )
    _measures(at, partner, today)
    _decisions(at, partner)
    _board_papers(at, today)
    _imported_register(at, user_ids, partner)
    return steps


def _decisions(at, partner) -> None:  # type: ignore[no-untyped-def]
    """Members propose decisions on the plan's evidence; the chair agrees the first."""
    for number, item in enumerate(story.DECISIONS, start=1):
        at(
            item.ago,
            item.by,
            lambda uow, a, d=item: propose_decision(
                uow,
                a,
                validate(
                    DecisionPropose,
                    title=d.title,
                    reasons=d.because,
                    informed_by=d.informed_by,
                    affects=tuple(partner(short) for short in d.affects),
                ),
            ),
        )
        if item.agreed_ago is not None:
            at(
                item.agreed_ago,
                "priya",
                lambda uow, a, d=item, n=number: decide(
                    uow,
                    a,
                    validate(DecisionDecide, number=n, outcome="agree", forum=d.forum),
                ),
            )


def _board_papers(at, today) -> None:  # type: ignore[no-untyped-def]
    """The lead made the paper for each of the two months before this one early in the next
    month, as a board's papers go out, so this month's paper shows what changed."""
    last = period_of(today).preceding
    for period in (last.preceding, last):
        made = min(period.end + timedelta(days=1), today)
        at(
            (today - made).days,
            "you",
            lambda uow, a, p=period: board_paper(uow, a, validate(PlanReport, month=p.key)),
        )


def _imported_register(at, user_ids, partner) -> None:  # type: ignore[no-untyped-def]
    """Two days ago the lead brought in the rest of the old risk register from its CSV file,
    previewed and imported as /plan import does."""
    register = (
        "Risk ID,Risk,Owner,Likelihood,Impact,Score,Controls,Risk share\n"
        f"OLD-R7,Apprenticeship levy underspent,<@{user_ids['omar']}>,3,3,9,"
        f'Levy transfer to care providers,"{partner("council")} 50%; {partner("care")} 50%"\n'
        f"OLD-R9,Nursing associate pipeline too small,<@{user_ids['sam']}>,3,4,12,"
        f'Second intake with the university,"{partner("trust")} 100%"\n'
    ).encode("cp1252")
    data = validate(ImportFile, kind="risks", file_name="Old risk register.csv")

    def imported(uow: UnitOfWork, actor: Actor) -> object:
        preview = preview_file(uow, actor, register, data, lambda _owner: None)
        assert preview.ref is not None
        return apply_import(uow, actor, validate(ImportRef, ref=preview.ref))

    at(2, "you", imported)


def _measures(at, partner, today) -> None:  # type: ignore[no-untyped-def]
    """The data lead adds the measures, backfills two years from the spreadsheets, then
    records each month's figures in the monthly form as they come in."""
    for measure in story.MEASURES:
        at(
            PLAN_SET_UP - 0.5,
            "omar",
            lambda uow, a, m=measure: add_measure(
                uow,
                a,
                validate(
                    MeasureAdd,
                    preset=m.preset,
                    partner=partner(m.partner) if m.partner else None,
                    target=m.target,
                ),
            ),
        )
    months = [due_period(today, "monthly")]
    while len(months) < len(story.MEASURES[0].values):
        months.insert(0, previous_period(months[0], "monthly"))
    for index, month in enumerate(months):
        came_in = (today - period_end(month, "monthly")).days - 5
        ago = min(PLAN_SET_UP - 0.6, max(came_in, 0.01)) - index / 1000
        values = tuple(
            (number, str(m.values[index])) for number, m in enumerate(story.MEASURES, start=1)
        )
        key = period_key(month, "monthly")
        at(
            ago,
            "omar",
            lambda uow, a, v=values, p=key: record_values(
                uow, a, validate(MeasureFormRecord, values=v, period=p)
            ),
        )


def _happened(at, place: int, owner: str, happened: story.DemoHappening) -> None:  # type: ignore[no-untyped-def]
    """The risk becomes an issue, which its owner then links to the action dealing with it."""
    issues: list[str] = []

    def materialise(uow: UnitOfWork, actor: Actor) -> None:
        data = validate(RiskMaterialise, number=place, note=happened.what)
        issues.append(materialise_risk(uow, actor, data).issue.ref)

    def link(uow: UnitOfWork, actor: Actor) -> None:
        data = validate(
            IssueUpdate, number=issues[0], actions=(happened.action,), note=happened.note
        )
        update_issue(uow, actor, data)

    at(happened.ago, owner, materialise)
    at(happened.ago - 0.5, owner, link)


def _action_history(
    at: Callable[[float, str, Callable[[UnitOfWork, Actor], object]], None],
    ref: str,
    action: story.DemoAction,
    created: int,
) -> None:
    """The updates that bring an action from not started to where the story leaves it."""
    if action.status == "not-started":
        return
    if action.status == "cancelled":
        at(
            action.updated,
            "you",
            lambda uow, a: update_action(
                uow, a, validate(ActionUpdate, ref=ref, status="cancelled", note=action.note)
            ),
        )
        return
    midway = (created + action.updated) / 2
    at(
        midway,
        action.owner,
        lambda uow, a: update_action(
            uow,
            a,
            validate(
                ActionUpdate,
                ref=ref,
                status="on-track",
                progress=max(5, action.progress // 2 if action.status != "done" else 50),
                note="Under way.",
            ),
        ),
    )
    if action.status == "done":
        at(
            action.updated,
            action.owner,
            lambda uow, a: complete_action(uow, a, validate(ActionDone, ref=ref, note=action.note)),
        )
        return
    at(
        action.updated,
        action.owner,
        lambda uow, a: update_action(
            uow,
            a,
            validate(
                ActionUpdate,
                ref=ref,
                status=action.status,
                progress=action.progress,
                note=action.note,
            ),
        ),
    )


def _owner_of(subject: str) -> str:
    kind, number = subject.split("-")
    items = story.RISKS if kind == "R" else story.ACTIONS
    return items[int(number) - 1].owner
