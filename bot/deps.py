"""What every listener is given besides what Bolt hands it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.form_seal import form_key
from bot.settings import Settings
from bot.work_slots import WorkSlots
from governance.database import UnitOfWork

# How many listeners do a use case's work (the database, rendering) at once; the rest wait
# their turn, after acknowledging where they can (bot/app.py has many more threads).
WORK_SLOTS = 8


@dataclass(frozen=True)
class BotDeps:
    """The unit of work, the settings, and the slots a listener holds while it works."""

    uow: UnitOfWork
    settings: Settings
    work_slots: WorkSlots = field(default_factory=lambda: WorkSlots(WORK_SLOTS))

    @property
    def form_key(self) -> bytes:
        """What the forms govbot opens are sealed with (bot/form_seal.py)."""
        return form_key(self.settings.slack_signing_secret or "")
