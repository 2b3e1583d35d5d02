"""Use case for dependencies: set what an action waits on, refusing a loop at any depth."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from governance.actions.inputs import ActionDepends
from governance.actions.models import Action, ActionUpdateEntry
from governance.actions.use_cases import find_action
from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.dependencies.graph import loop_through
from governance.dependencies.models import ActionDependency
from governance.dependencies.queries import waits_on
from governance.dependencies.rules import MOST_WAITED_ON
from governance.dependencies.views import DependencyChangeView
from governance.errors import Invalid
from governance.hints import Command, Hint
from governance.inputs import about
from governance.local_time import local_today
from governance.parsing.references import format_ref, read_ref
from governance.plans.membership import plan_for
from governance.plans.models import Plan
from governance.plans.permissions import require_owner_or_manager

LIST_HINT = Hint("Type {} to see the plan's actions.", Command("action", "list"))


def set_dependencies(uow: UnitOfWork, actor: Actor, data: ActionDepends) -> DependencyChangeView:
    """Make the action wait on exactly `data.on` (nothing, when empty), in one transaction.

    Allowed to whoever may update the action. Every action named must be the plan's, none
    the action itself, and none may already wait on it, at any depth: the loop is spelled out.
    """
    with about("on"):
        numbers = _numbers(data)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        # One dependency change at a time per plan, so two cannot close a loop between them.
        session.execute(select(Plan.id).where(Plan.id == plan.id).with_for_update())
        action = find_action(session, plan, data.number)
        require_owner_or_manager(
            session,
            plan,
            actor.user_id,
            action.owner_id,
            doing=f"change what {action.ref} waits on",
        )
        if action.number in numbers:
            raise Invalid(
                f"{action.ref} can't wait on itself.",
                hint="Name the other actions it waits on.",
            )
        targets = _plan_actions(session, plan, numbers)
        today = local_today(uow.now(), plan.timezone)
        before = tuple(link.ref for link in waits_on(session, action.id, today))
        after = tuple(format_ref("A", n) for n in sorted(numbers))
        if set(before) == set(after):
            already = f"waits on {', '.join(after)}" if after else "waits on nothing"
            raise Invalid(f"{action.ref} already {already}, so nothing changed.")
        loop = loop_through(session, plan.id, action.id, [t.id for t in targets.values()])
        if loop is not None:
            raise _loop_refusal(session, action, loop)
        session.execute(delete(ActionDependency).where(ActionDependency.action_id == action.id))
        now = uow.now()
        session.add_all(
            ActionDependency(
                action_id=action.id, depends_on_id=target.id, plan_id=plan.id, created_at=now
            )
            for target in targets.values()
        )
        change = [", ".join(before), ", ".join(after)]
        session.add(
            ActionUpdateEntry(
                action_id=action.id, user_id=actor.user_id, at=now, changes={"waits on": change}
            )
        )
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="action",
            ref=action.ref,
            # An update of the action, like the history entry above, so each entry has one.
            verb="update",
            waits_on=[list(before), list(after)],
        )
        return DependencyChangeView(
            plan_id=plan.id,
            ref=action.ref,
            title=action.title,
            waits_on=waits_on(session, action.id, today),
            before=before,
        )


def _numbers(data: ActionDepends) -> set[int]:
    numbers: set[int] = set()
    for text in data.on:
        number = read_ref(text, "A").number
        if number in numbers:
            raise Invalid(f"{format_ref('A', number)} is named twice; name each action once.")
        numbers.add(number)
    if len(numbers) > MOST_WAITED_ON:
        raise Invalid(
            f"An action can wait on at most {MOST_WAITED_ON} others; that names {len(numbers)}.",
            hint="Split the action into smaller ones, each waiting on fewer.",
        )
    return numbers


def _plan_actions(session: Session, plan: Plan, numbers: set[int]) -> dict[int, Action]:
    """The plan's actions with these numbers; a number it has not got is refused, saying
    which actions it has."""
    found = {
        a.number: a
        for a in session.scalars(
            select(Action).where(Action.plan_id == plan.id, Action.number.in_(list(numbers)))
        )
    }
    missing = sorted(numbers - set(found))
    if missing:
        newest = session.scalar(select(func.max(Action.number)).where(Action.plan_id == plan.id))
        has = (
            f"its actions are A-1 to A-{newest}"
            if newest and newest > 1
            else ("its only action is A-1" if newest else "it has no actions yet")
        )
        names = ", ".join(format_ref("A", n) for n in missing)
        raise Invalid(f"There is no {names} in the plan “{plan.name}”: {has}.", hint=LIST_HINT)
    return found


def _loop_refusal(session: Session, action: Action, loop: list[int]) -> Invalid:
    refs = dict(
        session.execute(select(Action.id, Action.number).where(Action.id.in_(set(loop)))).all()
    )
    names = [format_ref("A", refs[action_id]) for action_id in loop]
    spelled = f"{names[0]} waits on {names[1]}" + "".join(
        f", which waits on {n}" for n in names[2:]
    )
    return Invalid(
        f"{action.ref} can't wait on {names[0]}: that would make a loop. {spelled}.",
        hint=f"Take a link out of the loop first, or leave {names[0]} off.",
    )
