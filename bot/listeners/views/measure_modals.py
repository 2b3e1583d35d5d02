"""The monthly form (`measure_form`): a value for each active measure, all recorded at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import Reply
from bot.interactions import FieldInvalid, ViewContext, on_view
from governance.errors import InputInvalid, Invalid, NotAllowed, NotFound
from governance.inputs import validate
from governance.measures.inputs import MeasureFormRecord
from governance.measures.use_cases import record_values
from governance.parsing.references import parse_ref

if TYPE_CHECKING:
    from bot.deps import BotDeps


def measure_form(ctx: ViewContext) -> Reply:
    state = ctx.view.get("state", {}).get("values", {})
    typed = []
    for block_id in state:
        text = ctx.value(block_id)
        if isinstance(text, str) and block_id.startswith("M-"):
            typed.append((parse_ref(block_id, "M"), text))
    data = validate(MeasureFormRecord, plan_id=ctx.form.plan_id, values=tuple(typed))
    first = f"M-{data.values[0][0]}" if data.values else next(iter(state), "")
    try:
        recorded = record_values(ctx.uow, ctx.actor, data)
    except (InputInvalid, Invalid, NotAllowed, NotFound) as exc:
        # Shown under the measure it is about, else the first measure: the form has no other.
        field = exc.field if isinstance(exc, InputInvalid) else ""
        raise FieldInvalid(field if field in state else first, exc.message, hint=exc.hint) from None
    return Reply.render("measure_form_recorded.json.j2", in_channel=True, done=recorded)


def register(app: App, deps: BotDeps) -> None:
    on_view(app, deps, "measure_form", errors_on="M-1")(measure_form)
