"""App Home: each time someone opens the Home tab, publish their own dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.command_router import log_failure
from bot.rendering import command_prefix, render
from governance.dashboard import my_dashboard

if TYPE_CHECKING:
    from bot.deps import BotDeps


def register(app: App, deps: BotDeps) -> None:
    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        # The Messages tab opens this event too; only the Home tab shows the dashboard.
        if event.get("tab", "home") != "home":
            return
        user_id = str(event.get("user", ""))
        try:
            with deps.work_slots, command_prefix(deps.settings.command_prefix):
                dashboard = my_dashboard(deps.uow, str(body.get("team_id", "")), user_id)
                view = render("app_home.json.j2", dashboard=dashboard)
            client.views_publish(user_id=user_id, view=view)
        except Exception as exc:
            log_failure("publishing App Home", exc)
