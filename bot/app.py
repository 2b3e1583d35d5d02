"""Building the Bolt app: its Web API client, and every listener registered."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient

from bot import listeners
from bot.acknowledgement import ListenerExecutor
from bot.deps import BotDeps
from bot.installations import SharedChannelAuthorize, installation_store, state_store
from bot.manifest import REDIRECT_PATH, bot_scopes
from bot.settings import Settings
from bot.slack_client import make_web_client, quiet_logger
from governance.database import UnitOfWork

# Bolt acknowledges a request from a listener thread, so a request waits for a free one
# before Slack hears anything: plenty of threads keep acks quick under load, and
# bot.deps.WORK_SLOTS bounds how many of them do a use case's work at once.
LISTENER_THREADS = 64


INSTALL_PATH = "/slack/install"


def build_app(settings: Settings, uow: UnitOfWork, *, client: WebClient | None = None) -> App:
    """The Bolt app with every listener registered; makes no Slack call until a request.

    Requests over HTTP are verified before they reach it (bot/http_server.py); Socket Mode
    has no signatures. So Bolt's own check, which parses the body first, is off.

    In OAuth mode (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) each request is answered with
    the token its workspace installed govbot with, and an uninstall or a revocation deletes
    that workspace's tokens at once (Bolt's token revocation listeners).
    """
    settings.require("slack_signing_secret")
    settings.require_tokens()
    oauth = oauth_settings(settings, uow) if settings.oauth else None
    app = App(
        signing_secret=settings.slack_signing_secret,
        client=client or make_web_client(settings),
        token_verification_enabled=False,
        request_verification_enabled=False,
        process_before_response=False,
        logger=quiet_logger("govbot.bolt", settings),
        listener_executor=ListenerExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="govbot-listener"
        ),
        oauth_settings=oauth,
        installation_store=None if oauth is None else oauth.installation_store,
        installation_store_bot_only=None if oauth is None else True,
        # An Authorize instance (Bolt accepts one beside oauth_settings); typed as a function.
        authorize=None if oauth is None else SharedChannelAuthorize(oauth.installation_store, uow),  # type: ignore[arg-type]
    )
    if oauth is not None:
        app.enable_token_revocation_listeners()
    listeners.register(app, BotDeps(uow=uow, settings=settings))
    return app


def oauth_settings(settings: Settings, uow: UnitOfWork) -> OAuthSettings:
    """Bolt's OAuth flow at /slack/install and /slack/oauth_redirect, on govbot's database."""
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=bot_scopes(),
        installation_store=installation_store(settings, uow.engine),
        installation_store_bot_only=True,
        state_store=state_store(uow.engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        redirect_uri=settings.public_url + REDIRECT_PATH if settings.public_url else None,
    )
