"""Every table, imported in one place so the metadata (and Alembic) sees them all."""

from governance.actions.models import Action, ActionUpdateEntry
from governance.audit.models import AuditEntry
from governance.board_papers.models import BoardPaper
from governance.challenges.models import Challenge
from governance.decisions.models import Decision, DecisionLink
from governance.dependencies.models import ActionDependency, DependencyNotice
from governance.feedback.models import Feedback
from governance.feedback_links.models import FeedbackLink
from governance.imports.models import ImportedRecord, ImportPreview
from governance.issues.models import Issue, IssueAction, IssueHistoryEntry, IssuePartner
from governance.jobs.models import JobClaim
from governance.measures.models import Measure, MeasureCorrection, MeasureRebase, MeasureValue
from governance.orm import Base
from governance.people.models import FormerMember
from governance.people_functions.models import PeopleFunction
from governance.plans.models import MemberPreference, Partner, Plan, PlanChannel, Role, Workspace
from governance.risks.models import Risk, RiskShare
from governance.wins.models import Win, WinPartner, WinPerson

__all__ = [
    "Action",
    "ActionDependency",
    "ActionUpdateEntry",
    "AuditEntry",
    "BoardPaper",
    "Base",
    "Challenge",
    "Decision",
    "DecisionLink",
    "DependencyNotice",
    "Feedback",
    "FeedbackLink",
    "FormerMember",
    "Issue",
    "IssueAction",
    "IssueHistoryEntry",
    "IssuePartner",
    "ImportPreview",
    "ImportedRecord",
    "JobClaim",
    "Measure",
    "MeasureCorrection",
    "MeasureRebase",
    "MeasureValue",
    "MemberPreference",
    "Partner",
    "PeopleFunction",
    "Plan",
    "PlanChannel",
    "Risk",
    "RiskShare",
    "Role",
    "Win",
    "WinPartner",
    "WinPerson",
    "Workspace",
]
