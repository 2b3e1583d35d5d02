"""The demo tells the same story whenever it is seeded, dated from that moment.

(Seeding again over a demo plan keeps it: tests/test_console_demo.py.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.console.demo_seed import seed_demo
from bot.console.demo_story import CAST
from governance.actions.models import Action

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
USER_IDS = {handle: "U" + handle.upper() for handle in CAST}


def seed(engine: Engine, now: datetime = NOW, team_id: str = "T0CONSOLE"):
    return seed_demo(
        engine,
        team_id=team_id,
        user_ids=USER_IDS,
        plan_channel_id="CWORKFORCEPLAN",
        board_channel_id="CPEOPLEBOARD",
        now=now,
    )


def test_demo_is_the_same_story_whenever_it_is_seeded(engine: Engine) -> None:
    later = NOW + timedelta(days=40)
    first = seed(engine, NOW, team_id="T0FIRST")
    second = seed(engine, later, team_id="T0SECOND")

    def shape(plan_id: int, now: datetime) -> list[tuple]:
        with Session(engine) as session:
            return [
                (
                    a.number,
                    a.title,
                    a.status,
                    a.progress,
                    a.due_date - now.date(),
                    now - a.updated_at,
                )
                for a in session.scalars(
                    select(Action).where(Action.plan_id == plan_id).order_by(Action.number)
                )
            ]

    assert shape(first.plan_id, NOW) == shape(second.plan_id, later)
