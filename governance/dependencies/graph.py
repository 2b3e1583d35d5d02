"""Finding the loop a new dependency would close, in recursive queries.

A query walks the plan's dependencies from the actions about to be waited on, following what
each waits on. `UNION` keeps each action (or, spelling a loop out, each edge) once, so a walk
ends after at most every action or edge of the plan, however the graph is shaped; a loop's
path is then traced in memory over the edges its walk returned. SQLite and PostgreSQL both
run `WITH RECURSIVE` as written.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.dependencies.models import ActionDependency


def loop_through(
    session: Session, plan_id: int, action_id: int, new_targets: Collection[int]
) -> list[int] | None:
    """The loop `action_id` waiting on `new_targets` would close, as action ids from the
    target it starts at round to that target again; None when there is none.

    The action's own current dependencies are left out: they are what is being replaced.
    The usual answer, no loop, takes one query over the actions reached; only a loop found
    takes a second, over the edges reached, to spell it out.
    """
    if not new_targets or not _reaches(session, plan_id, action_id, new_targets):
        return None
    edge = ActionDependency
    start = (
        select(edge.action_id, edge.depends_on_id)
        .where(edge.plan_id == plan_id, edge.action_id.in_(list(new_targets)))
        .cte("reach", recursive=True)
    )
    walked = start.alias("walked")
    reach = start.union(
        select(edge.action_id, edge.depends_on_id)
        .join(walked, edge.action_id == walked.c.depends_on_id)
        .where(edge.action_id != action_id)
    )
    waits: dict[int, list[int]] = {}
    for waiting, waited_on in session.execute(select(reach.c.action_id, reach.c.depends_on_id)):
        waits.setdefault(waiting, []).append(waited_on)
    return _path(waits, action_id, new_targets)


def _reaches(session: Session, plan_id: int, action_id: int, targets: Collection[int]) -> bool:
    """Whether any of `targets` waits on `action_id` at some depth. `UNION` keeps each
    action once, so the walk visits each of the plan's actions at most once."""
    edge = ActionDependency
    start = (
        select(edge.depends_on_id.label("id"))
        .where(edge.plan_id == plan_id, edge.action_id.in_(list(targets)))
        .cte("reached", recursive=True)
    )
    walked = start.alias("walked")
    reached = start.union(
        select(edge.depends_on_id)
        .join(walked, edge.action_id == walked.c.id)
        .where(edge.action_id != action_id)
    )
    found = select(reached.c.id).where(reached.c.id == action_id).limit(1)
    return session.execute(found).first() is not None


def _path(
    waits: dict[int, list[int]], action_id: int, targets: Collection[int]
) -> list[int] | None:
    """Breadth first from the targets to `action_id`: the shortest way round the loop."""
    came_from: dict[int, int | None] = {}
    queue: deque[int] = deque()
    for target in sorted(targets):
        came_from[target] = None
        queue.append(target)
    while queue:
        current = queue.popleft()
        for nxt in waits.get(current, ()):
            if nxt == action_id:
                path = [current]
                while (previous := came_from[path[-1]]) is not None:
                    path.append(previous)
                path.reverse()
                return [*path, action_id, path[0]]
            if nxt not in came_from:
                came_from[nxt] = current
                queue.append(nxt)
    return None
