"""Use cases for actions `A-<n>`: add, list, show, update and complete."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import count
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Table, bindparam, func, insert, select
from sqlalchemy.orm import Session, joinedload

from governance.actions.inputs import (
    ActionAdd,
    ActionDone,
    ActionList,
    ActionRef,
    ActionUpdate,
)
from governance.actions.models import Action, ActionUpdateEntry
from governance.actions.rules import (
    DONE_PROGRESS,
    is_open_clause,
    is_overdue,
    is_overdue_clause,
    progress_contradicts_done,
)
from governance.actions.status import ActionStatus, parse_status
from governance.actions.views import (
    ActionChangeView,
    ActionDetailView,
    ActionFormView,
    ActionListView,
    ActionUpdateEntryView,
    ActionView,
)
from governance.actor import Actor
from governance.audit.record import record
from governance.challenges.models import Challenge
from governance.challenges.views import challenge_view
from governance.database import UnitOfWork
from governance.dependencies.queries import action_links
from governance.errors import Conflict, InputInvalid, Invalid, NotFound
from governance.hints import Command, Hint
from governance.inputs import about, refuse_patient_identifiers_in
from governance.local_time import local_time, local_today
from governance.parsing.dates import DATE_HINT, parse_date
from governance.parsing.references import format_ref
from governance.people_functions.catalogue import function_of
from governance.people_functions.lookup import find_function
from governance.plans.membership import plan_for
from governance.plans.models import Partner, Plan
from governance.plans.numbering import next_number
from governance.plans.partner_lookup import find_partner, partner_names
from governance.plans.permissions import require_owner_or_manager

# A due date further back than this is almost certainly a typo (2062 for 2026, say).
OLDEST_DUE = timedelta(days=365)
CLEARING_WORDS = ("none", "clear", "-")
UPDATE_HINT = Hint(
    "Use {}.",
    Command(
        "action", 'update A-3 [status:amber] [progress:40] [due:2027-03-31] [owner:@u] ["note"]'
    ),
)


def update_view(update: ActionUpdateEntry | Row[Any], plan: Plan) -> ActionUpdateEntryView:
    """One history entry (loaded, or a row of its columns), made at a moment on the plan's
    wall clock."""
    return ActionUpdateEntryView(
        user_id=update.user_id,
        at=local_time(update.at, plan.timezone),
        status_from=ActionStatus(update.status_from) if update.status_from else None,
        status_to=ActionStatus(update.status_to) if update.status_to else None,
        progress_from=update.progress_from,
        progress_to=update.progress_to,
        changes=tuple((field, old, new) for field, (old, new) in (update.changes or {}).items()),
        note=update.note,
    )


def action_view(action: Action, plan: Plan, today: date) -> ActionView:
    """Plain data for one action, its moments in the plan's timezone; call inside the
    transaction that loaded it."""
    partner = action.partner.name if action.partner else None
    return _view(action, partner, action.updates[-1] if action.updates else None, plan, today)


def _view(
    action: Action | Row[Any],
    partner: str | None,
    last_update: ActionUpdateEntry | Row[Any] | None,
    plan: Plan,
    today: date,
) -> ActionView:
    """The view of a loaded action or of a row of its columns (`_LISTED`): one rule for both."""
    function = function_of(action.function_id)
    return ActionView(
        plan_id=action.plan_id,
        ref=format_ref("A", action.number),
        title=action.title,
        description=action.description,
        owner_id=action.owner_id,
        partner=partner,
        function_key=function.key if function else None,
        function_name=function.name if function else None,
        due_date=action.due_date,
        status=ActionStatus(action.status),
        progress=action.progress,
        overdue=is_overdue(action.due_date, action.status, today),
        version=action.version,
        created_by=action.created_by,
        created_at=local_time(action.created_at, plan.timezone),
        updated_by=action.updated_by,
        updated_at=local_time(action.updated_at, plan.timezone),
        completed_at=local_time(action.completed_at, plan.timezone),
        last_update=update_view(last_update, plan) if last_update is not None else None,
        source_link=action.source_link,
    )


# Built once (every change and card looks an action up), with its partner, which its view
# shows: loading that on first use was one more statement.
_ACTION = (
    select(Action)
    .options(joinedload(Action.partner))
    .where(Action.plan_id == bindparam("plan_id"), Action.number == bindparam("number"))
)
_ACTION_LOCKED = _ACTION.with_for_update(of=Action)


def find_action(session: Session, plan: Plan, number: int, *, lock: bool = False) -> Action:
    """The plan's action `A-<number>`, or NotFound pointing at `action list`.

    With `lock`, the row is held until the transaction ends, so concurrent edits queue.
    """
    query = _ACTION_LOCKED if lock else _ACTION
    action = session.scalar(query, {"plan_id": plan.id, "number": number})
    if action is None:
        raise NotFound(
            f"There is no A-{number} in the plan “{plan.name}”.",
            hint=Hint("Type {} to see the plan's actions.", Command("action", "list")),
        )
    return action


def _due_date(text: str, today: date) -> date:
    due = parse_date(text, today)
    if due < today - OLDEST_DUE:
        raise Invalid(
            f"A due date of {due:%-d %B %Y} is more than a year ago; is that a typo?",
            hint=DATE_HINT,
        )
    return due


def action_form(uow: UnitOfWork, actor: Actor, plan_id: int | None = None) -> ActionFormView:
    """The plan an add-action form would add to, with its partners to choose from."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        return ActionFormView(
            plan_id=plan.id, plan_name=plan.name, partners=partner_names(session, plan)
        )


def add_action(uow: UnitOfWork, actor: Actor, data: ActionAdd) -> ActionChangeView:
    """Add an action `A-<n>` to the plan; any member may, and owns it unless naming another."""
    refuse_patient_identifiers_in(title=data.title, description=data.description)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        today = local_today(uow.now(), plan.timezone)
        now = uow.now()
        with about("function"):
            function = find_function(data.function) if data.function else None
        with about("partner"):
            partner = find_partner(session, plan, data.partner) if data.partner else None
        with about("due"):
            due = _due_date(data.due, today) if data.due else None
        owner_id = data.owner_id or actor.user_id
        action = Action(
            plan_id=plan.id,
            number=0,
            title=data.title,
            description=data.description,
            owner_id=owner_id,
            partner_id=partner.id if partner else None,
            function_id=function.number if function else None,
            due_date=due,
            status=ActionStatus.NOT_STARTED.value,
            progress=0,
            created_by=actor.user_id,
            created_at=now,
            updated_by=actor.user_id,
            updated_at=now,
            source_link=data.source_link,
        )
        action.number = next_number(session, plan.id, "action")
        session.add(action)
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="action",
            ref=action.ref,
            verb="add",
            title=action.title,
            owner_id=owner_id,
            function=function.key if function else None,
            partner=partner.name if partner else None,
            due=due.isoformat() if due else None,
            **({"source_link": data.source_link} if data.source_link else {}),
        )
        return ActionChangeView(
            action=action_view(action, plan, today),
            update=None,
            notify_owner=owner_id if owner_id != actor.user_id else None,
            plan_name=plan.name,
        )


def _list_filters(
    session: Session, plan: Plan, actor: Actor, data: ActionList, today: date
) -> tuple[list[ColumnElement[bool]], tuple[str, ...]]:
    """The conditions for `data`'s filters, and the filters as words for the reader."""
    where: list[ColumnElement[bool]] = [Action.plan_id == plan.id]
    words: list[str] = []
    if not (data.include_closed or data.overdue):
        where.append(is_open_clause())
    if data.include_closed:
        words.append("all")
    if data.mine:
        where.append(Action.owner_id == actor.user_id)
        words.append("mine")
    if data.overdue:
        where.append(is_overdue_clause(today))
        words.append("overdue")
    if data.red:
        where.append(Action.status == ActionStatus.OFF_TRACK.value)
        words.append("red")
    if data.function:
        function = find_function(data.function)
        where.append(Action.function_id == function.number)
        words.append(f"function {function.key}")
    if data.owner_id:
        where.append(Action.owner_id == data.owner_id)
    if data.partner:
        partner = find_partner(session, plan, data.partner)
        where.append(Action.partner_id == partner.id)
        words.append(f"partner {partner.name}")
    return where, tuple(words)


# A list only shows its actions, so it reads the columns their views need (with the
# partner's name) as rows, not as objects the session tracks.
_LISTED = select(
    Action.id,
    Action.plan_id,
    Action.number,
    Action.title,
    Action.description,
    Action.owner_id,
    Action.function_id,
    Action.due_date,
    Action.status,
    Action.progress,
    Action.version,
    Action.created_by,
    Action.created_at,
    Action.updated_by,
    Action.updated_at,
    Action.completed_at,
    Action.source_link,
    Partner.name.label("partner_name"),
).outerjoin(Partner, Partner.id == Action.partner_id)
_UPDATE_SHOWN = select(
    ActionUpdateEntry.action_id,
    ActionUpdateEntry.user_id,
    ActionUpdateEntry.at,
    ActionUpdateEntry.status_from,
    ActionUpdateEntry.status_to,
    ActionUpdateEntry.progress_from,
    ActionUpdateEntry.progress_to,
    ActionUpdateEntry.changes,
    ActionUpdateEntry.note,
)


def list_actions(
    uow: UnitOfWork, actor: Actor, data: ActionList, *, limit: int | None = None
) -> ActionListView:
    """The plan's open actions (or all, with `include_closed`) matching every filter given.

    Sorted by due date, undated last, then by number. With `limit`, only the first `limit`
    are loaded, and `total` says how many match in all.
    """
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        today = local_today(uow.now(), plan.timezone)
        where, words = _list_filters(session, plan, actor, data, today)
        total = session.scalar(select(func.count()).select_from(Action).where(*where)) or 0
        query = _LISTED.where(*where).order_by(
            Action.due_date.is_(None), Action.due_date, Action.number
        )
        if limit is not None:
            query = query.limit(limit)
        # Rows of `_LISTED` (typed per column): each reads as an Action does, by name.
        rows: Sequence[Any] = session.execute(query).all()
        newest = _newest_updates(session, [row.id for row in rows])
        return ActionListView(
            plan_id=plan.id,
            plan_name=plan.name,
            actions=tuple(
                _view(row, row.partner_name, newest.get(row.id), plan, today) for row in rows
            ),
            total=total,
            filters=words,
            owner_id=data.owner_id,
        )


def _newest_updates(session: Session, action_ids: list[int]) -> dict[int, Row[Any]]:
    """The newest update of each action (what its view shows), by action id, in one statement.

    Loading whole histories made the list slower with every update ever made, and so did
    finding the newest update of every action in the plan rather than of those listed.
    """
    if not action_ids:
        return {}
    newest = (
        select(func.max(ActionUpdateEntry.id))
        .where(ActionUpdateEntry.action_id.in_(action_ids))
        .group_by(ActionUpdateEntry.action_id)
    )
    shown = session.execute(_UPDATE_SHOWN.where(ActionUpdateEntry.id.in_(newest)))
    return {row.action_id: row for row in shown}


def show_action(uow: UnitOfWork, actor: Actor, data: ActionRef) -> ActionDetailView:
    """One action with its full history and the challenges still waiting for an answer."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        action = find_action(session, plan, data.number)
        return _detail(session, plan, action, local_today(uow.now(), plan.timezone))


def _detail(session: Session, plan: Plan, action: Action, today: date) -> ActionDetailView:
    challenges = session.scalars(
        select(Challenge)
        .where(Challenge.action_id == action.id, Challenge.answered_at.is_(None))
        .order_by(Challenge.asked_at, Challenge.id)
    )
    return ActionDetailView(
        action=action_view(action, plan, today),
        history=tuple(update_view(update, plan) for update in action.updates),
        open_challenges=tuple(
            challenge_view(c, plan, action.ref, action.title, action.owner_id) for c in challenges
        ),
        links=action_links(session, action, today),
    )


def action_to_update(uow: UnitOfWork, actor: Actor, data: ActionRef) -> ActionView:
    """The action as it stands, for an update form; refused unless the actor may update it."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        action = find_action(session, plan, data.number)
        require_owner_or_manager(
            session, plan, actor.user_id, action.owner_id, doing=f"update {action.ref}"
        )
        return action_view(action, plan, local_today(uow.now(), plan.timezone))


def update_action(uow: UnitOfWork, actor: Actor, data: ActionUpdate) -> ActionChangeView:
    """Change status, progress, due date or owner, with an optional note, and log it.

    Owners update their own actions; leads and chairs any in their plan. A modal passes the
    version it showed: if the action changed since, Conflict carries the current state.
    Without a version the change applies to the latest state, retrying a lost race.
    """
    if (
        data.status is None
        and data.progress is None
        and data.due is None
        and data.owner_id is None
        and not data.note
    ):
        raise Invalid(f"Nothing to update on {data.ref}.", hint=UPDATE_HINT)
    return _change(uow, actor, data)


def complete_action(uow: UnitOfWork, actor: Actor, data: ActionDone) -> ActionChangeView:
    """Mark an action done (progress 100), with an optional note."""
    change = ActionUpdate(plan_id=data.plan_id, ref=data.ref, status="done", note=data.note)
    return _change(uow, actor, change, refuse_if_done=True)


def _change(
    uow: UnitOfWork, actor: Actor, data: ActionUpdate, *, refuse_if_done: bool = False
) -> ActionChangeView:
    refuse_patient_identifiers_in(note=data.note)
    with about("status"):
        status = parse_status(data.status) if data.status else None

    tries = count()

    def work(session: Session) -> ActionChangeView:
        plan = plan_for(session, actor, data.plan_id)
        # After a lost race the retry queues behind concurrent edits (a row lock) instead
        # of racing again: under many writers, optimistic retries alone run out.
        action = find_action(session, plan, data.number, lock=next(tries) > 0)
        today = local_today(uow.now(), plan.timezone)
        require_owner_or_manager(
            session, plan, actor.user_id, action.owner_id, doing=f"update {action.ref}"
        )
        if data.expected_version is not None and data.expected_version != action.version:
            raise Conflict(
                f"{action.ref} was changed by someone else while you were editing it, "
                "so your update was not saved.",
                current=action_view(action, plan, today),
                hint="Here is how it stands now; update it again if you still need to.",
            )
        if refuse_if_done and action.status == ActionStatus.DONE.value:
            raise Invalid(f"{action.ref} is already done.")
        return _apply(session, plan, action, actor, data, status, today, uow)

    if data.expected_version is None:
        return uow.run(work)
    with uow.transaction() as session:
        return work(session)


def _progress_to_record(
    action: Action, status: ActionStatus | None, progress: int | None
) -> int | None:
    """The progress an update leaves, refusing a combination that cannot hold (done at 50%).

    Marking an action done moves it to 100%; a progress typed beside `status:done` is
    refused unless it is 100% or what the action already shows (a form sends its progress
    back unchanged), so nothing typed is silently replaced.
    """
    new_status = status or ActionStatus(action.status)
    if new_status is not ActionStatus.DONE or progress is None:
        return DONE_PROGRESS if status is ActionStatus.DONE else progress
    sent_back_unchanged = status is not None and progress == action.progress
    if progress_contradicts_done(new_status, progress) and not sent_back_unchanged:
        reopen = "" if status is not None else " To reopen it, give its status too."
        raise InputInvalid(
            "progress",
            f"{action.ref} would be done at {progress}%, but a done action is at "
            f"{DONE_PROGRESS}%.{reopen}",
            hint=Hint(
                "Leave progress out to mark it done, or give the status it is really at: {}.",
                Command("action", f"update {action.ref} status:amber progress:{progress}"),
            ),
        )
    return DONE_PROGRESS


def _apply(
    session: Session,
    plan: Plan,
    action: Action,
    actor: Actor,
    data: ActionUpdate,
    status: ActionStatus | None,
    today: date,
    uow: UnitOfWork,
) -> ActionChangeView:
    now = uow.now()
    entry = ActionUpdateEntry(user_id=actor.user_id, at=now, note=data.note)
    changes: dict[str, list[str]] = {}
    progress = _progress_to_record(action, status, data.progress)
    if status is not None and status.value != action.status:
        entry.status_from, entry.status_to = action.status, status.value
        action.status = status.value
        action.completed_at = now if status is ActionStatus.DONE else None
    if progress is not None and progress != action.progress:
        entry.progress_from, entry.progress_to = action.progress, progress
        action.progress = progress
    if data.due is not None:
        with about("due"):
            due = None if data.due.lower() in CLEARING_WORDS else _due_date(data.due, today)
        if due != action.due_date:
            changes["due"] = [_iso(action.due_date), _iso(due)]
            action.due_date = due
    notify_owner = None
    if data.owner_id is not None and data.owner_id != action.owner_id:
        changes["owner"] = [action.owner_id or "", data.owner_id]
        action.owner_id = data.owner_id
        notify_owner = data.owner_id if data.owner_id != actor.user_id else None
    entry.changes = changes
    if entry.status_to is None and entry.progress_to is None and not changes and not data.note:
        raise Invalid(
            f"{action.ref} already has those values, so nothing changed.",
            hint=UPDATE_HINT,
        )
    action.updated_by = actor.user_id
    action.updated_at = now
    # Written as a row, not added to the session: appending to action.updates would load the
    # action's whole history to add one entry, and its view shows this newest one only (as
    # the list's shows the newest, _newest_updates).
    entry.action_id = action.id
    session.execute(_INSERT_UPDATE, {key: getattr(entry, key) for key in _UPDATE_COLUMNS})
    record(
        session,
        plan,
        actor_id=actor.user_id,
        at=now,
        entity="action",
        ref=action.ref,
        verb="update",
        status=[entry.status_from, entry.status_to] if entry.status_to else None,
        progress=[entry.progress_from, entry.progress_to]
        if entry.progress_to is not None
        else None,
        note=data.note or None,
        **changes,
    )
    # Recording flushed the action, so its view shows the new version.
    partner = action.partner.name if action.partner else None
    return ActionChangeView(
        action=_view(action, partner, entry, plan, today),
        update=update_view(entry, plan),
        notify_owner=notify_owner,
        plan_name=plan.name,
    )


_INSERT_UPDATE = insert(cast(Table, ActionUpdateEntry.__table__))
_UPDATE_COLUMNS = tuple(
    column.key for column in ActionUpdateEntry.__table__.columns if not column.primary_key
)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""
