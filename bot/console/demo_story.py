"""The fictional Wessex Vale ICS plan that `govbot console --demo` starts with.

Every name here is invented. Days are counted back from the moment the demo is seeded
(`ago`) or forward from that day (`due`), so the demo always looks current.
"""

from __future__ import annotations

from dataclasses import dataclass

PLAN_NAME = "Wessex Vale ICS integrated workforce plan"
# The service area of the demo plan's public feedback form (a feedback link).
FEEDBACK_LINK_AREA = "Respite care"
PLAN_CHANNEL = "workforce-plan"
BOARD_CHANNEL = "people-board"

# Console handle -> full name. The console's own user, @you, leads the plan.
CAST: dict[str, str] = {
    "you": "You (plan lead)",
    "priya": "Priya Shah (people board chair)",
    "omar": "Omar Haddad (data lead)",
    "sam": "Sam Okafor",
    "jo": "Jo Pritchard",
    "amara": "Amara Nwosu",
    "tom": "Tom Bellamy",
    "grace": "Grace Liu",
    "li": "Li Wei",
}
ROLES = {"priya": "chair", "omar": "data-lead"}

# Short name -> (partner name, sector): one or more from every sector.
PARTNERS: dict[str, tuple[str, str]] = {
    "trust": ("Wessex Vale University Hospitals NHS Foundation Trust", "nhs"),
    "community": ("Wessex Vale Community and Mental Health NHS Trust", "nhs"),
    "icb": ("NHS Wessex Vale Integrated Care Board", "nhs"),
    "council": ("Vale County Council", "council"),
    "care": ("Brightwater Care Homes", "social-care"),
    "vcse": ("Vale Volunteers (VCSE)", "vcse"),
    "pcn": ("Northgate Primary Care Network", "primary-care"),
}


@dataclass(frozen=True)
class DemoAction:
    function: str
    title: str
    owner: str
    partner: str
    status: str
    progress: int
    due: int | None  # days from today; negative is overdue
    updated: int  # days ago of the last update (or of creation, when not started)
    note: str = ""
    # Added from a message in the plan's channel (the "Add as action" shortcut).
    from_message: str | None = None  # that message's ts


ACTIONS: tuple[DemoAction, ...] = (
    DemoAction("wellbeing", "Open 24/7 staff wellbeing hubs at both acute sites", "sam",
               "trust", "on-track", 60, 45, 3, "Second hub opens next month; rota agreed."),
    DemoAction("wellbeing", "Extend the employee assistance programme to care home staff",
               "grace", "care", "at-risk", 30, 5, 16,
               "Waiting on the council's procurement decision."),
    DemoAction("wellbeing", "Menopause support policy adopted by every partner", "jo",
               "council", "done", 100, -4, 3, "Adopted by all seven partners."),
    DemoAction("supply", "Recruit 40 international nurses before winter", "sam", "trust",
               "off-track", 25, -5, 9, "Visa delays: 10 of 40 arrived so far."),
    DemoAction("supply", "Joint health and care recruitment campaign", "amara", "council",
               "on-track", 55, 30, 4, "Campaign live on radio and buses.",
               from_message="1764000000.000100"),
    DemoAction("supply", "Return-to-practice scheme for 15 allied health professionals", "tom",
               "trust", "not-started", 0, 60, 20),
    DemoAction("inclusion", "Reciprocal mentoring for ethnic minority staff", "li",
               "community", "on-track", 40, 90, 6, "Twelve pairs matched."),
    DemoAction("inclusion", "Publish joint WRES and WDES action plans", "omar", "icb", "done",
               100, -2, 5, "Published on every partner's website."),
    DemoAction("inclusion", "Reasonable adjustments passport accepted by all partners", "jo",
               "council", "at-risk", 20, 4, 12, "Two partners still to sign."),
    DemoAction("leadership", "System leadership programme, cohort 3", "priya", "icb",
               "on-track", 70, 20, 2, "24 leaders from five sectors enrolled."),
    DemoAction("leadership", "Compassionate leadership training for care home managers",
               "grace", "care", "not-started", 0, 75, 30),
    DemoAction("leadership", "Shadow people board for aspiring leaders", "you", "icb",
               "cancelled", 0, 40, 21, "Folded into the system leadership programme."),
    DemoAction("transformation", "Rotational posts between hospital and community teams",
               "tom", "community", "off-track", 15, -20, 25,
               "HR policies differ between the trusts."),
    DemoAction("transformation", "Digital staff passport across NHS and council", "li", "icb",
               "at-risk", 45, 14, 8, "Supplier has slipped two weeks."),
    DemoAction("transformation", "Advanced clinical practitioner roles in primary care",
               "amara", "pcn", "on-track", 50, 120, 10, "Four practitioners in post."),
    DemoAction("education", "Care Certificate recognised across health and social care",
               "grace", "care", "done", 100, -1, 2, "Recognised by all partners from today."),
    DemoAction("education", "Nursing associate apprenticeships: 25 starts", "sam", "trust",
               "on-track", 35, 150, 11, "Nine starts in the September intake."),
    DemoAction("education", "T-level placements with five partners", "jo", "council",
               "not-started", 0, 6, 18),
    DemoAction("social-economic", "Anchor pledge: hire 100 local young people", "you", "icb",
               "on-track", 40, 200, 7, "41 hired so far."),
    DemoAction("social-economic", "Volunteer-to-career pathway with Vale Volunteers", "amara",
               "vcse", "at-risk", 25, -2, 15, "Funding for the coordinator ends in March."),
    DemoAction("social-economic", "Real living wage for commissioned care workers", "priya",
               "council", "off-track", 10, 3, 13, "Budget gap of £1.2m not yet closed."),
    DemoAction("people-services", "Single recruitment portal for all partners", "omar", "icb",
               "at-risk", 50, 25, 9, "Data-sharing agreement under legal review."),
    DemoAction("people-services", "Collaborative staff bank for temporary staffing", "tom",
               "trust", "done", 100, -6, 6, "Bank live across three trusts."),
    DemoAction("people-services", "Cut pre-employment checks to 20 days", "li", "community",
               "cancelled", 0, 30, 19, "Superseded by the national programme."),
    DemoAction("planning", "Integrated workforce dataset across sectors", "omar", "icb",
               "on-track", 65, 35, 1, "Care home data now flowing monthly."),
    DemoAction("planning", "Social care workforce model using POPPI and PANSI", "jo",
               "council", "off-track", 20, -9, 17, "Analyst post vacant."),
    DemoAction("planning", "Primary care workforce census", "amara", "pcn", "done", 100, 0, 1,
               "All 31 practices returned."),
    DemoAction("system-design", "Agree the people board's terms of reference", "priya", "icb",
               "on-track", 80, 7, 5, "Draft out for comment."),
    DemoAction("system-design", "Section 75 pooled workforce budget agreement", "you",
               "council", "at-risk", 35, -1, 8, "Legal teams still reviewing."),
    DemoAction("system-design", "Place-based workforce leads in each locality", "tom", "pcn",
               "not-started", 0, 40, 26),
)  # fmt: skip

# A short chain of dependencies (action -> what it waits on, by place in ACTIONS), set
# `ago` days back by the waiting action's owner: the recruitment portal waits on the staff
# passport, which waits on the workforce dataset; the return-to-practice scheme waits on
# the rotational posts, which are red and overdue, so it is held up.
DEPENDENCIES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("A-14", ("A-25",), 12),
    ("A-22", ("A-14",), 11),
    ("A-6", ("A-13",), 10),
)


@dataclass(frozen=True)
class DemoHappening:
    """A risk that happened and became an issue, then linked to the action dealing with it."""

    ago: int  # days ago
    what: str
    action: str  # "A-<place in ACTIONS>"
    note: str


@dataclass(frozen=True)
class DemoRisk:
    function: str
    title: str
    owner: str
    likelihood: int
    impact: int
    target: int
    share: tuple[tuple[str, int], ...]  # (partner short name, percent); the first leads
    mitigation: str
    created: int  # days ago; falls down the list, as risks are numbered in the order added
    review_in: str  # review date as typed on the day it was added
    closed: int | None = None  # days ago
    happened: DemoHappening | None = None


RISKS: tuple[DemoRisk, ...] = (
    DemoRisk("supply", "Winter pressures pull staff away from planned care", "sam", 5, 5, 12,
             (("trust", 60), ("council", 25), ("care", 15)),
             "Escalation rota agreed; bank staff offered enhanced rates.", 48, "+4w"),
    DemoRisk("supply", "Visa delays hold up international recruitment", "sam", 4, 4, 8,
             (("trust", 100),), "Pastoral support and a second recruitment agency.", 44, "+4w"),
    DemoRisk("wellbeing", "Care home staff turnover stays above 30%", "grace", 4, 3, 6,
             (("care", 50), ("council", 50)), "Retention bonus pilot and career pathway.", 40,
             "+2m"),
    DemoRisk("system-design", "Overspend on the section 75 pooled workforce budget", "you", 3,
             4, 6, (("council", 60), ("icb", 40)),
             "Monthly budget review by both finance directors.", 36, "+1m",
             happened=DemoHappening(6, "Month three overspent by £240k; each partner pays its "
                                    "share.", "A-29", "The agreement must say how overspend "
                                    "is recovered.")),
    DemoRisk("transformation", "Digital passport supplier misses go-live", "li", 2, 3, 3,
             (("icb", 100),), "Weekly supplier calls; contract penalties.", 30, "+6w"),
    DemoRisk("social-economic", "Volunteer numbers fall when the grant ends", "amara", 2, 2,
             2, (("vcse", 70), ("council", 30)), "Bid to the lottery fund submitted.", 26,
             "+2m"),
    DemoRisk("education", "Apprenticeship levy left unspent", "tom", 1, 3, 2,
             (("trust", 50), ("pcn", 50)), "Levy transfer to care homes agreed.", 22, "+3m"),
    DemoRisk("planning", "GP practice workforce data not shared in time", "omar", 1, 2, 1,
             (("pcn", 100),), "Data-sharing agreement signed.", 18, "+1m", closed=10),
)  # fmt: skip


@dataclass(frozen=True)
class DemoFeedback:
    source: str
    text: str
    author: str  # who logged it; ignored when anonymous
    ago: int
    function: str | None = None
    rating: int | None = None
    anonymous: bool = False
    service_area: str | None = None
    answer: str | None = None
    answer_action: int | None = None  # the action's place in ACTIONS, counting from 1


FEEDBACK: tuple[DemoFeedback, ...] = (
    DemoFeedback("staff", "The night-shift rest room at the acute site has no hot food after "
                 "10pm.", "sam", 20, "wellbeing", 2, anonymous=True, service_area="Acute wards",
                 answer="The wellbeing hub now serves hot food 24/7.", answer_action=1),
    DemoFeedback("staff", "I'd like to rotate into community nursing but can't see how to "
                 "apply.", "tom", 14, "transformation", 3, anonymous=True,
                 answer="Rotational posts are being set up; we'll post the first ones here.",
                 answer_action=13),
    DemoFeedback("staff", "The new mentoring scheme has made me feel I belong here.", "li", 6,
                 "inclusion", 5),
    DemoFeedback("staff", "Agency shifts pay more than our own bank, so colleagues leave.",
                 "jo", 12, "people-services", 2, anonymous=True,
                 answer="The collaborative bank now pays the same rates as agencies.",
                 answer_action=23),
    DemoFeedback("staff", "Care home managers want leadership training on weekdays, not "
                 "evenings.", "grace", 4, "leadership", 3, service_area="Care homes"),
    DemoFeedback("service-user", "The nurse who visited my mother took time to explain "
                 "everything.", "amara", 9, "education", 5, service_area="District nursing"),
    DemoFeedback("service-user", "Appointments keep being cancelled because staff are off "
                 "sick.", "sam", 3, "supply", 2, anonymous=True, service_area="Outpatients"),
    DemoFeedback("service-user", "The surgery's phone line is always busy in the morning.",
                 "amara", 5, "transformation", 2, service_area="GP practices"),
    DemoFeedback("carer", "As a carer I never know who to call out of hours.", "jo", 8,
                 "system-design", 2, anonymous=True),
    DemoFeedback("carer", "Respite staff were kind and knew my husband's routine.", "grace", 2,
                 "wellbeing", 5, service_area="Respite care"),
    DemoFeedback("partner", "Volunteers could cover more discharge support with DBS checks "
                 "done faster.", "amara", 7, "people-services", 3,
                 answer="We are cutting pre-employment checks through the national programme."),
    DemoFeedback("partner", "Sharing workforce data monthly has saved us a week of work.",
                 "omar", 1, "planning", 4),
)  # fmt: skip


@dataclass(frozen=True)
class DemoWin:
    text: str
    by: str
    ago: int
    function: str
    people: tuple[str, ...]
    partners: tuple[str, ...]


WINS: tuple[DemoWin, ...] = (
    DemoWin("The Care Certificate is now recognised by every partner, so carers can move "
            "into NHS roles without retraining.", "you", 2, "education", ("grace",),
            ("care", "trust")),
    DemoWin("The collaborative staff bank filled 312 shifts in its first month.", "priya", 5,
            "people-services", ("tom",), ("trust", "community")),
    DemoWin("All 31 GP practices returned the workforce census, the first time ever.", "omar",
            1, "planning", ("amara",), ("pcn",)),
    DemoWin("Twelve mentoring pairs matched across health and social care.", "li", 9,
            "inclusion", ("li", "jo"), ("community", "council")),
)  # fmt: skip


@dataclass(frozen=True)
class DemoChallenge:
    by: str
    subject: str  # "A-<place in ACTIONS>" or "R-<place in RISKS>"
    question: str
    ago: int
    answer: str | None = None


CHALLENGES: tuple[DemoChallenge, ...] = (
    DemoChallenge("priya", "A-4", "Ten nurses out of forty with winter close: what would get "
                  "us back on track, and does the board need to help?", 2),
    DemoChallenge("priya", "R-4", "Is the likelihood of overspend really only 3?", 12,
                  answer="Yes: the first two months came in under budget."),
)  # fmt: skip


@dataclass(frozen=True)
class DemoWorkingPattern:
    """Part-time and shift staff set their own days; nudges wait for them."""

    person: str
    ago: int
    days: str | None = None
    away_for: int | None = None  # away until this many days from today


WORKING_PATTERNS: tuple[DemoWorkingPattern, ...] = (
    DemoWorkingPattern("tom", ago=60, days="mon,tue,thu"),
    DemoWorkingPattern("grace", ago=5, away_for=3),
)


@dataclass(frozen=True)
class DemoMeasure:
    """A measure the data lead keeps, with its last 24 monthly values, oldest first."""

    preset: str
    partner: str | None
    target: str | None
    values: tuple[float, ...]


# Two years of plausible figures. Brightwater's turnover has climbed for eight months:
# special cause concern. Time to hire has fallen for seven: special cause improvement.
MEASURES: tuple[DemoMeasure, ...] = (
    DemoMeasure(
        "vacancy-rate",
        None,
        "8",
        (
            8.9,
            9.1,
            8.7,
            9.0,
            8.8,
            9.3,
            8.6,
            8.9,
            9.2,
            8.7,
            8.8,
            9.0,
            8.5,
            8.9,
            8.7,
            9.1,
            8.6,
            8.8,
            8.9,
            8.4,
            8.8,
            8.6,
            8.9,
            8.7,
        ),
    ),  # fmt: skip
    DemoMeasure(
        "social-care-turnover",
        "care",
        "28",
        (
            29.5,
            30.2,
            29.1,
            30.8,
            29.9,
            30.4,
            29.3,
            30.1,
            29.7,
            30.5,
            29.8,
            30.0,
            29.6,
            30.3,
            29.4,
            30.9,
            31.2,
            31.6,
            31.4,
            32.1,
            32.5,
            32.3,
            33.0,
            33.4,
        ),
    ),  # fmt: skip
    DemoMeasure(
        "sickness-absence",
        "trust",
        "4.5",
        (
            5.1,
            5.4,
            5.0,
            4.8,
            4.9,
            5.2,
            5.6,
            5.3,
            4.9,
            4.7,
            5.0,
            5.1,
            5.3,
            5.5,
            5.0,
            4.8,
            4.7,
            5.0,
            5.4,
            5.2,
            4.9,
            4.8,
            5.1,
            5.0,
        ),
    ),  # fmt: skip
    DemoMeasure(
        "time-to-hire",
        "community",
        "45",
        (
            58,
            61,
            57,
            60,
            59,
            62,
            58,
            60,
            57,
            61,
            59,
            60,
            58,
            62,
            59,
            60,
            58,
            56,
            54,
            53,
            51,
            49,
            48,
            46,
        ),
    ),  # fmt: skip
)


@dataclass(frozen=True)
class DemoDecision:
    """A decision for the board: proposed `ago` days before seeding; agreed by the chair
    `agreed_ago` days before (at `forum`), or still awaiting the board when that is None."""

    by: str
    title: str
    because: str
    informed_by: tuple[str, ...]
    affects: tuple[str, ...]
    ago: float
    agreed_ago: float | None = None
    forum: str = ""


DECISIONS: tuple[DemoDecision, ...] = (
    DemoDecision("you", "Run one collaborative staff bank across health and care",
                 "Agency shifts cost more than bank shifts; staff want one place to pick up work",
                 ("R-1", "F-1"), ("trust", "council"), 18, 12, "People Board, November"),
    DemoDecision("omar", "Fund a retention offer for care home staff in their first year",
                 "Turnover in Brightwater's care homes has risen for eight months in a row",
                 ("M-2", "R-3"), ("care",), 6),
)  # fmt: skip
