"""The board paper: a PDF a chair reads in ten minutes, made from the plan's figures and kept
as a snapshot, so the next paper shows change and a past paper can be made again."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, select

from bot.cli import main
from documents.board_paper import board_paper_pdf
from governance.actions.inputs import ActionDepends
from governance.actor import Actor
from governance.board_papers.use_cases import board_paper_of
from governance.database import UnitOfWork
from governance.decisions.inputs import DecisionDecide, DecisionPropose
from governance.decisions.use_cases import decide, propose_decision
from governance.dependencies.use_cases import set_dependencies
from governance.errors import Invalid, NotFound
from governance.inputs import validate
from governance.issues.inputs import IssueAdd, IssueResolve, RiskMaterialise
from governance.issues.use_cases import add_issue, materialise_risk, resolve_issue
from governance.models import Action, BoardPaper, Feedback, Partner, Risk, RiskShare, Win
from tests.conftest import Clock
from tests.jobs_world import LEAD, TEAM, World, at
from tests.queries import QueryCounter

PLAN = "Wessex Vale ICS workforce plan"
ANN = "U0ANN"
BOB = "U0BOB"
LEAD_ACTOR = Actor(team_id=TEAM, user_id=LEAD, channel_id="C0PLAN")
SECTION_HEADINGS = (
    "2. Summary",
    "3. Progress by people function",
    "4. Risks",
    "5. Issues and decisions",
    "6. Workforce measures",
    "7. Celebrating success",
    "8. Voices: what people said",
    "9. Needs attention",
)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def alt_texts(node: object) -> list[str]:
    """Every figure's alternative text in the PDF's structure tree."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        return [alt for child in node for alt in alt_texts(child)]
    if not isinstance(node, dict):
        return []
    own = [str(node["/Alt"])] if node.get("/S") == "/Figure" and "/Alt" in node else []
    return own + alt_texts(node.get("/K", []))


def share_risk(uow: UnitOfWork, plan_id: int, ref: str, shares: dict[str, int]) -> None:
    """Share the risk between new partners; the first named leads."""
    with uow.transaction() as session:
        risk = session.scalar(
            select(Risk).where(Risk.plan_id == plan_id, Risk.number == int(ref[2:]))
        )
        assert risk is not None
        for index, (name, percent) in enumerate(shares.items()):
            partner = Partner(plan_id=plan_id, name=name, sector="nhs")
            session.add(partner)
            session.flush()
            session.add(
                RiskShare(
                    risk_id=risk.id, partner_id=partner.id, percent=percent, is_lead=index == 0
                )
            )
        risk.mitigation = "Bank staff first; agency only with director approval"


def raid_log(world: World, plan: int, clock: Clock) -> None:
    """November's issues, decisions and a dependency: a risk that happened (I-1, open), a
    problem resolved in the month (I-2), a decision awaiting the board (D-1) and one the board
    agreed (D-2); A-3 waits on A-1, which is red and overdue."""
    uow = world.uow
    nursing = world.risk(plan, BOB, title="Nursing vacancies in the east", likelihood=4, impact=4)
    share_risk(uow, plan, nursing, {"Vale Community Care": 100})
    materialise_risk(
        uow, LEAD_ACTOR, validate(RiskMaterialise, plan_id=plan, number=nursing, note="Wards short")
    )
    add_issue(
        uow,
        LEAD_ACTOR,
        validate(IssueAdd, plan_id=plan, title="Payroll errors for bank staff", severity=3),
    )
    clock.advance(days=2)
    resolve_issue(
        uow,
        LEAD_ACTOR,
        validate(IssueResolve, plan_id=plan, number="I-2", how="Payroll rerun on 14 Nov"),
    )
    propose_decision(
        uow,
        LEAD_ACTOR,
        validate(
            DecisionPropose,
            plan_id=plan,
            title="Cap agency nurse rates",
            reasons="Agency spend is the plan's highest risk",
            informed_by=("R-1",),
        ),
    )
    propose_decision(
        uow,
        LEAD_ACTOR,
        validate(
            DecisionPropose,
            plan_id=plan,
            title="Fund a shared bank across partners",
            reasons="One bank fills shifts faster than four",
        ),
    )
    decide(
        uow,
        LEAD_ACTOR,
        validate(
            DecisionDecide,
            plan_id=plan,
            number="D-2",
            outcome="agree",
            forum="People Board 18 Nov",
            note="Start in January",
        ),
    )
    set_dependencies(uow, LEAD_ACTOR, validate(ActionDepends, plan_id=plan, ref="A-3", on=("A-1",)))


@pytest.fixture
def november(world: World, clock: Clock) -> int:
    """A plan set up in October with a month of work in November 2026."""
    clock.set(at("2026-10-20T10:00"))
    plan = world.plan(PLAN, anonymity_threshold=5)
    clock.set(at("2026-11-10T10:00"))
    world.action(
        plan,
        ANN,
        title="International recruitment",
        function=2,
        status="off-track",
        due=date(2026, 11, 1),
    )
    world.action(
        plan,
        BOB,
        title="Launch the wellbeing hub",
        function=1,
        status="done",
        progress=100,
        completed=at("2026-11-12T10:00"),
    )
    world.action(plan, ANN, title="Mental health first aiders", function=1, progress=40)
    agency = world.risk(plan, ANN, title="Agency spend above cap", likelihood=4, impact=5)
    share_risk(world.uow, plan, agency, {"Wessex Vale NHS Trust": 60, "Vale County Council": 40})
    world.risk(plan, BOB, title="Retention of newly qualified nurses", likelihood=3, impact=4)
    world.risk(plan, BOB, title="Estates for training", likelihood=2, impact=2)
    raid_log(world, plan, clock)
    world.win(plan, "Twenty new healthcare support workers started", function=2)
    for _ in range(12):
        world.feedback(plan, "service-user", function=2)
    for _ in range(4):
        world.feedback(plan, "staff", function=1)
    for _ in range(2):
        world.feedback(plan, "carer", function=2, text="Nobody told me about the discharge")
    world.feedback(
        plan, "staff", function=1, text="Rotas out late", answer="Rotas now 6 weeks ahead"
    )
    return plan


def test_the_paper_holds_every_section_with_the_plans_figures(
    november: int, uow: UnitOfWork, clock: Clock
) -> None:
    clock.set(at("2026-12-02T09:00"))
    paper = board_paper_of(uow, PLAN, "2026-11")
    pdf = board_paper_pdf(paper, {ANN: "Ann Jones", BOB: "Bob Smith", LEAD: "Lee Lead"})
    reader = PdfReader(io.BytesIO(pdf))
    text = pdf_text(pdf)
    assert reader.metadata.title == f"{PLAN}: board paper, November 2026"
    assert reader.metadata.author == f"govbot for {PLAN}"
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 portrait, in points
    assert PLAN in text and "Highlight report for November 2026" in text
    for page_number, page in enumerate(reader.pages, start=1):
        page_text = page.extract_text()
        assert "OFFICIAL" in page_text and f"Page {page_number} of {len(reader.pages)}" in page_text
    for heading in SECTION_HEADINGS:
        assert heading in text
    assert "DRAFT" not in text
    assert "R-1 Agency spend above cap — score 20 (extreme" in text
    assert "Risk share: Wessex Vale NHS Trust 60% (lead partner), Vale County Council 40%." in text
    assert "Owner: Ann Jones" in text
    # The heat map's counts in words under it (its alternative text), and by grade.
    assert "likelihood 4 × impact 5 (extreme): 1; likelihood 3 × impact 4 (high): 1;" in text
    assert "Extreme 1 0" in text and "High 1 0" in text and "Moderate 1 0" in text
    assert "Twenty new healthcare support workers started" in text
    assert "Launch the wellbeing hub" in text
    # 2 carers are fewer than the threshold (5), so withheld, and the 5 staff with them, as
    # the digest does, so the carers can't be worked out from the total; 12 service users show.
    assert "Carer fewer than 5" in text and "Frontline staff withheld" in text
    assert "Service user 12" in text
    assert "Nobody told me" not in text
    assert "You said: Rotas out late" in text and "We did: Rotas now 6 weeks ahead" in text
    assert "Gaps (no open action):" in text
    assert (
        "A-1 International recruitment — Red (off track); Ann Jones; due 01 Nov 2026, overdue"
        in text
    )
    assert "Left out of this paper" not in text
    # Section 5: open issues by severity, with owner, partners, days open and the risk it was.
    assert "Open issues (1)" in text and "4 major 1" in text
    assert "I-1 Nursing vacancies in the east — severity 4 (major)" in text
    assert "It was risk R-4. Partners affected: Vale Community Care 100% (lead partner)." in text
    assert "Owner: Bob Smith; open 22 days (since 10 Nov 2026)." in text
    assert "Issues resolved this period (1)" in text
    assert "I-2 Payroll errors for bank staff — severity 3 (moderate)" in text
    assert "Resolved: Payroll rerun on 14 Nov" in text
    assert "Decisions needed (1)" in text and "D-1 Cap agency nurse rates — Proposed" in text
    assert "Reasons: Agency spend is the plan's highest risk" in text
    assert "Rests on: R-1 Agency spend above cap (L4 × I5 = 20 Extreme · open)." in text
    assert "Decisions made this period (1)" in text
    assert "D-2 Fund a shared bank across partners — Agreed" in text
    assert "Reasons: One bank fills shifts faster than four" in text
    assert "Agreed by Lee Lead on 12 Nov 2026 at People Board 18 Nov. Note: Start in January" in (
        text
    )
    # The summary counts them, and needs attention names the action held up.
    assert "Open issues 1 first paper" in text and "Decisions needed 1 first paper" in text
    assert "1 open issue; 1 decision needed from the board." in text
    assert "Blocked by the actions they wait on (1)" in text
    assert (
        "A-3 Mental health first aiders (Ann Jones) waits on A-1 International recruitment, "
        "which is red (off track) and is overdue" in " ".join(text.split())
    )
    assert "first paper" in text
    # The heat map is an image, described in its alternative text.
    assert len([image for page in reader.pages for image in page.images]) == 1
    assert alt_texts(reader.trailer["/Root"]["/StructTreeRoot"]) == [
        "Risk heat map of open risks. likelihood 4 × impact 5 (extreme): 1; likelihood 3 × "
        "impact 4 (high): 1; likelihood 2 × impact 2 (moderate): 1."
    ]


def test_a_paper_for_a_month_not_ended_is_a_draft(
    november: int, uow: UnitOfWork, clock: Clock
) -> None:
    clock.set(at("2026-11-20T09:00"))
    paper = board_paper_of(uow, PLAN, None)
    assert paper.period.key == "2026-11" and paper.draft
    assert "DRAFT: the period has not ended" in pdf_text(board_paper_pdf(paper))


def test_the_next_paper_shows_change_and_remaking_the_first_reproduces_it(
    november: int, world: World, uow: UnitOfWork, clock: Clock
) -> None:
    clock.set(at("2026-12-02T09:00"))
    first = board_paper_of(uow, PLAN, "2026-11")
    clock.set(at("2026-12-10T09:00"))
    for n in range(3):
        world.action(november, BOB, title=f"December work {n}", status="off-track")
    world.risk(november, ANN, title="Winter pressures", likelihood=5, impact=5)
    add_issue(uow, LEAD_ACTOR, validate(IssueAdd, plan_id=november, title="Rota gaps", severity=2))
    agree = validate(DecisionDecide, plan_id=november, number="D-1", outcome="agree")
    decide(uow, LEAD_ACTOR, agree)
    clock.set(at("2027-01-04T09:00"))
    second = board_paper_of(uow, PLAN, "2026-12")
    assert second.change("red") == 3 and second.change("risks:extreme") == 1
    text = pdf_text(board_paper_pdf(second))
    assert "Change since 2026-11" in text
    assert "Red (off track) actions 4 ▲ up 3" in text
    assert "Open issues 2 ▲ up 1" in text and "Decisions needed 0 ▼ down 1" in text
    assert "Decisions made this period (1)" in text
    assert "D-1 Cap agency nurse rates — Agreed" in text
    again = board_paper_of(uow, PLAN, "2026-11")
    assert again.reproduced and again.figures == first.figures
    assert again.figures.red == 1 and again.figures.open_risks == 3


def test_a_paper_kept_before_issues_and_decisions_re_makes_and_says_what_it_leaves_out(
    november: int, uow: UnitOfWork, clock: Clock
) -> None:
    clock.set(at("2026-12-02T09:00"))
    board_paper_of(uow, PLAN, "2026-11")
    with uow.transaction() as session:
        kept = session.scalars(select(BoardPaper)).one()
        # As papers were kept before govbot recorded issues, decisions and dependencies.
        kept.figures = {k: v for k, v in kept.figures.items() if k not in ("raid", "blocked")}
    again = board_paper_of(uow, PLAN, "2026-11")
    assert again.reproduced and again.figures.raid is None
    text = pdf_text(board_paper_pdf(again))
    assert "5. Issues and decisions" in text
    assert "first made before govbot recorded issues and decisions" in text
    assert "Left out of this paper until govbot records them: Issues and decisions." in text
    assert "Blocked by the actions" not in text and "Decisions needed" not in text
    clock.set(at("2027-01-04T09:00"))
    text = pdf_text(board_paper_pdf(board_paper_of(uow, PLAN, "2026-12")))
    assert "Open issues 1 not counted before" in text
    assert "Decisions needed 1 not counted before" in text
    assert "Red (off track) actions 1 no change" in text


def test_a_paper_takes_the_same_number_of_queries_however_large_the_plan(
    november: int, world: World, uow: UnitOfWork, engine: Engine, clock: Clock
) -> None:
    counter = QueryCounter(engine)
    clock.set(at("2026-11-20T09:00"))
    board_paper_of(uow, PLAN, "2026-11")  # keeps the draft; from now on it is updated
    clock.advance(minutes=1)
    with counter.counting():
        board_paper_of(uow, PLAN, "2026-11")
    small = counter.count
    for n in range(30):
        world.action(november, f"U0OWNER{n:02d}", function=n % 10 + 1, status="off-track")
        world.risk(november, f"U0OWNER{n:02d}", likelihood=5, impact=n % 5 + 1)
        world.win(november, f"Win {n}")
        world.feedback(november, "staff", function=n % 10 + 1, answer="Done")
    for n in range(5):
        add_issue(
            uow, LEAD_ACTOR, validate(IssueAdd, plan_id=november, title=f"Issue {n}", severity=4)
        )
        propose_decision(
            uow,
            LEAD_ACTOR,
            validate(DecisionPropose, plan_id=november, title=f"Choice {n}", informed_by=("R-2",)),
        )
    set_dependencies(
        uow, LEAD_ACTOR, validate(ActionDepends, plan_id=november, ref="A-2", on=("A-1", "A-4"))
    )
    clock.advance(minutes=1)
    with counter.counting():
        board_paper_of(uow, PLAN, "2026-11")
    assert counter.count == small


def test_the_page_count_stays_bounded_for_a_large_plan(
    november: int, uow: UnitOfWork, clock: Clock
) -> None:
    with uow.transaction() as session:
        for n in range(200):
            title = f"Overdue work {n} " + "with a long title " * 4
            session.add(
                Action(
                    plan_id=november,
                    number=100 + n,
                    title=title,
                    owner_id=ANN,
                    status="off-track",
                    due_date=date(2026, 11, 2),
                    created_by=ANN,
                    updated_by=ANN,
                    version=1,
                )
            )
            session.add(
                Risk(
                    plan_id=november,
                    number=100 + n,
                    title=f"Extreme risk {n}",
                    owner_id=BOB,
                    likelihood=5,
                    impact=5,
                    created_by=BOB,
                    updated_by=BOB,
                    version=1,
                )
            )
            session.add(
                Feedback(
                    plan_id=november,
                    number=100 + n,
                    source="staff",
                    text=f"Said {n}",
                    anonymous=True,
                    created_at=at("2026-11-15T10:00"),
                    answer="Did it",
                    answered_by=ANN,
                    answered_at=at("2026-11-16T10:00"),
                )
            )
            session.add(
                Win(
                    plan_id=november,
                    number=100 + n,
                    text=f"A win worth telling {n}",
                    created_by=ANN,
                    created_at=at("2026-11-15T10:00"),
                )
            )
    clock.set(at("2026-12-02T09:00"))
    pdf = board_paper_pdf(board_paper_of(uow, PLAN, "2026-11"))
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 10
    text = pdf_text(pdf)
    assert "…and 191 more scored 15 or more" in text and "…and 193 more wins" in text
    assert "…and 193 more answered this period" in text


def test_the_paper_is_kept_once_per_plan_and_period(
    november: int, uow: UnitOfWork, clock: Clock
) -> None:
    clock.set(at("2026-11-20T09:00"))
    board_paper_of(uow, PLAN, "2026-11")
    clock.set(at("2026-12-01T09:00"))
    board_paper_of(uow, PLAN, "2026-11")
    with uow.transaction() as session:
        kept = list(session.scalars(select(BoardPaper)))
    assert [(k.period, k.draft) for k in kept] == [("2026-11", False)]


@pytest.mark.parametrize(
    ("month", "refusal"),
    [
        ("November", "“November” is not a month."),
        ("2026-13", "“2026-13” is not a month."),
        ("2027-01", "January 2027 hasn't begun yet"),
        ("2026-09", "was set up after September 2026 ended"),
    ],
)
def test_a_month_that_has_no_paper_is_refused_saying_why(
    november: int, uow: UnitOfWork, clock: Clock, month: str, refusal: str
) -> None:
    clock.set(at("2026-12-02T09:00"))
    with pytest.raises(Invalid) as refused:
        board_paper_of(uow, PLAN, month)
    assert refusal in refused.value.message


def test_a_plan_not_found_by_name_is_refused_with_the_names_there_are(
    november: int, uow: UnitOfWork
) -> None:
    with pytest.raises(NotFound) as refused:
        board_paper_of(uow, "No such plan", None)
    assert f"Plans: “{PLAN}”." in refused.value.message


def test_govbot_report_writes_the_paper_without_slack(
    november: int,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--plan", PLAN.upper(), "--month", "2026-11", "-o", "paper.pdf"]) == 0
    assert capsys.readouterr().out == (
        f"Wrote the board paper of {PLAN} for November 2026 to paper.pdf\n"
    )
    text = pdf_text((tmp_path / "paper.pdf").read_bytes())
    assert "Agency spend above cap" in text and "You said: Rotas out late" in text
    assert main(["report", "--plan", PLAN, "--month", "Nov"]) == 1
    assert "govbot: “Nov” is not a month. Give it like `month:2026-11" in capsys.readouterr().err
