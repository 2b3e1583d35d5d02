"""`govbot serve --socket`: Slack delivers over a WebSocket, so no public URL is needed."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.serving import leave_start_up_out_of_collections, serving
from bot.settings import Settings


def serve_socket(settings: Settings) -> None:
    """Run until interrupted; needs SLACK_APP_TOKEN (xapp-…) besides the bot's settings."""
    settings.require("slack_app_token")
    with serving(settings) as served:
        handler = SocketModeHandler(served.app, settings.slack_app_token)
        leave_start_up_out_of_collections()
        print("govbot connected to Slack over Socket Mode", flush=True)
        try:
            handler.start()
        except KeyboardInterrupt:
            handler.close()
