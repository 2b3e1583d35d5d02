"""OAuth mode (many workspaces): where each workspace's installation is kept, its bot token
encrypted at rest, and the Web API client that sends with the right workspace's token.

slack_sdk's SQLAlchemy installation and OAuth state stores keep their rows in govbot's own
database, in the tables migration 0010 makes (never `create_all`). Every token a store
saves is encrypted with GOVBOT_TOKEN_KEY (Fernet: AES-128 and an HMAC) before it reaches a
row, and decrypted when it is found, so a copy of the database holds no usable token.
"""

from __future__ import annotations

import copy
import logging
from typing import TypeVar

from cryptography.fernet import Fernet, InvalidToken
from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, String, Table

from bot.settings import Settings
from governance.database import UnitOfWork
from governance.models import Base
from governance.plans.membership import channel_host_team

# A Fernet token of a 100-character Slack token is 228 characters; slack_sdk's 200 would
# refuse a longer Slack token once encrypted, so govbot's columns hold 500.
TOKEN_COLUMN_LENGTH = 500
TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
# How long the state of an install begun at /slack/install is honoured.
STATE_SECONDS = 600

log = logging.getLogger("govbot.installations")

Stored = TypeVar("Stored", Installation, Bot)


class InstallationTables(SQLAlchemyInstallationStore):
    """slack_sdk's installation store, its token columns wide enough for encrypted tokens."""

    @classmethod
    def build_installations_table(cls, metadata: MetaData, table_name: str) -> Table:
        return _widened(super().build_installations_table(metadata, table_name))

    @classmethod
    def build_bots_table(cls, metadata: MetaData, table_name: str) -> Table:
        return _widened(super().build_bots_table(metadata, table_name))

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget the workspace's bot token everywhere it is kept: its bot rows, and the copy
        slack_sdk keeps on each installation row (Bolt calls this for `tokens_revoked`)."""
        super().delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        c = self.installations.c
        with self.engine.begin() as connection:
            connection.execute(
                self.installations.update()
                .where(
                    c.client_id == self.client_id,
                    c.enterprise_id == enterprise_id,
                    c.team_id == team_id,
                )
                .values(bot_token=None, bot_refresh_token=None, bot_token_expires_at=None)
            )


def _widened(table: Table) -> Table:
    for name in TOKEN_FIELDS:
        if name in table.c:
            table.c[name].type = String(TOKEN_COLUMN_LENGTH)
    return table


def installation_metadata(metadata: MetaData | None = None) -> MetaData:
    """The tables of the installation and state stores, as migration 0010 makes them (added
    to `metadata` if given)."""
    metadata = MetaData() if metadata is None else metadata
    InstallationTables.build_installations_table(
        metadata, SQLAlchemyInstallationStore.default_installations_table_name
    )
    InstallationTables.build_bots_table(
        metadata, SQLAlchemyInstallationStore.default_bots_table_name
    )
    SQLAlchemyOAuthStateStore.build_oauth_states_table(
        metadata, SQLAlchemyOAuthStateStore.default_table_name
    )
    return metadata


def schema_metadata() -> MetaData:
    """Every table the migrations make: govbot's models and the stores', in one MetaData under
    the models' naming convention (Alembic names constraints from it)."""
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    return installation_metadata(metadata)


class EncryptedInstallationStore(InstallationStore):
    """An installation store whose tokens are encrypted on save and decrypted on find."""

    def __init__(self, inner: InstallationStore, key: str) -> None:
        self._inner = inner
        self._fernet = Fernet(key)

    @property
    def logger(self) -> logging.Logger:
        return log

    def save(self, installation: Installation) -> None:
        self._inner.save(self._with_tokens(installation, self._encrypt))

    def save_bot(self, bot: Bot) -> None:
        self._inner.save_bot(self._with_tokens(bot, self._encrypt))

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        bot = self._inner.find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if bot is None else self._with_tokens(bot, self._decrypt)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = self._inner.find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if found is None else self._with_tokens(found, self._decrypt)

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._inner.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
    ) -> None:
        self._inner.delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._inner.delete_all(enterprise_id=enterprise_id, team_id=team_id)

    def _encrypt(self, token: str) -> str:
        return self._fernet.encrypt(token.encode()).decode()

    def _decrypt(self, token: str) -> str | None:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            # Saved under another key: unusable, so the workspace is treated as not installed.
            log.warning("a stored token does not decrypt with GOVBOT_TOKEN_KEY; ignoring it")
            return None

    @staticmethod
    def _with_tokens(stored: Stored, change: object) -> Stored:
        """A copy of `stored` with each of its tokens passed through `change`."""
        changed = copy.copy(stored)
        for name in TOKEN_FIELDS:
            value = getattr(changed, name, None)
            if value:
                setattr(changed, name, change(value))  # type: ignore[operator]
        return changed


def installation_store(settings: Settings, engine: Engine) -> EncryptedInstallationStore:
    """The store of every workspace's installation, on govbot's database, tokens encrypted."""
    settings.require_tokens()
    inner = InstallationTables(client_id=settings.slack_client_id or "", engine=engine, logger=log)
    return EncryptedInstallationStore(inner, settings.token_key or "")


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    """Where the state of each install begun at /slack/install waits for Slack's redirect."""
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine, logger=log)


def new_token_key() -> str:
    """A new GOVBOT_TOKEN_KEY (`govbot keygen`)."""
    return Fernet.generate_key().decode()


class SharedChannelAuthorize(InstallationStoreAuthorize):
    """Bolt's authorization from the installation store, and for a member of a workspace
    govbot is not installed in, typing in a Slack Connect channel a plan is linked to, the
    token of the workspace that linked it (see governance.plans.membership.channel_plan)."""

    def __init__(self, store: InstallationStore, uow: UnitOfWork) -> None:
        super().__init__(logger=log, installation_store=store, bot_only=True)
        self._uow = uow

    def __call__(  # type: ignore[override]
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **actor: str | None,
    ) -> AuthorizeResult | None:
        found = super().__call__(
            context=context, enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, **actor
        )
        if found is not None or not context.channel_id:
            return found
        with self._uow.transaction() as session:
            host = channel_host_team(session, context.channel_id)
        if host is None or host == team_id:
            return None
        return super().__call__(
            context=context, enterprise_id=None, team_id=host, user_id=user_id, **actor
        )


class WorkspaceNotInstalled(Exception):
    """No usable bot token for a workspace: never installed, uninstalled or revoked."""


class WorkspaceClients:
    """The Web API client to send to a workspace with: the one bot token in single-workspace
    mode; in OAuth mode the workspace's own, found in the installation store each time, so
    an uninstall or a revocation stops that workspace's sends at once and no other's."""

    def __init__(self, client: WebClient, store: InstallationStore | None = None) -> None:
        self._client = client
        self._store = store

    @property
    def default(self) -> WebClient:
        """The client of single-workspace mode (tokenless in OAuth mode)."""
        return self._client

    def for_team(self, team_id: str) -> WebClient:
        if self._store is None:
            return self._client
        bot = self._store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise WorkspaceNotInstalled(f"govbot is not installed in workspace {team_id}")
        client = copy.copy(self._client)
        client.token = bot.bot_token
        return client
