"""Runtime settings from the environment and `.env` (DESIGN.md, Runtime)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.fernet import Fernet
from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field("sqlite:///govbot.db", validation_alias="DATABASE_URL")
    slack_bot_token: str | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("https://slack.com/api/", validation_alias="SLACK_API_URL")
    timezone: str = Field(
        "Europe/London", validation_alias=AliasChoices("GOVBOT_TIMEZONE", "timezone")
    )
    command_prefix: str = Field(
        "", validation_alias=AliasChoices("GOVBOT_COMMAND_PREFIX", "command_prefix")
    )
    public_url: str | None = Field(
        None, validation_alias=AliasChoices("GOVBOT_PUBLIC_URL", "public_url")
    )
    metrics: bool = Field(False, validation_alias=AliasChoices("GOVBOT_METRICS", "metrics"))
    log_format: str = Field(
        "text", validation_alias=AliasChoices("GOVBOT_LOG_FORMAT", "log_format")
    )
    slack_client_id: str | None = Field(None, validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(None, validation_alias="SLACK_CLIENT_SECRET")
    token_key: str | None = Field(
        None, validation_alias=AliasChoices("GOVBOT_TOKEN_KEY", "token_key")
    )

    @property
    def oauth(self) -> bool:
        """Installed in many workspaces through Slack's OAuth flow (both client settings set)."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def require_tokens(self) -> None:
        """Fail with one line unless this mode has what sending needs: a bot token, or in
        OAuth mode the key the stored tokens are encrypted with."""
        if self.oauth:
            self.require("token_key")
            try:
                Fernet(self.token_key or "")
            except (ValueError, TypeError):
                raise SettingsError(
                    "GOVBOT_TOKEN_KEY is not a Fernet key; `govbot keygen` prints a new one"
                ) from None
        else:
            self.require("slack_bot_token")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not re.match(r"^(sqlite|postgresql|postgres)(\+\w+)?://", value):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str | None) -> str | None:
        if value and not value.startswith("xoxb-"):
            raise ValueError("must be a bot token starting xoxb-")
        return value or None

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str | None) -> str | None:
        if value and not value.startswith("xapp-"):
            raise ValueError("must be an app-level token starting xapp-")
        return value or None

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", value):
            raise ValueError("must be the http(s) address people reach govbot at")
        return value.rstrip("/") if value else None

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("must be an IANA timezone such as Europe/London") from exc
        return value

    @field_validator("command_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if value and not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,15}", value):
            raise ValueError("must be lower-case letters, digits, - or _ (e.g. wf-)")
        return value

    @field_validator("metrics", mode="before")
    @classmethod
    def _metrics(cls, value: object) -> object:
        if isinstance(value, bool):
            return value
        word = str(value or "off").strip().lower()
        if word not in ("on", "off"):
            raise ValueError("must be on or off")
        return word == "on"

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.strip().lower() not in ("text", "json"):
            raise ValueError("must be text or json")
        return value.strip().lower()

    def require(self, *names: str) -> None:
        """Fail with one clear line when a setting a mode needs is absent."""
        for name in names:
            if not getattr(self, name):
                variable = _ENV_NAMES.get(name, name.upper())
                raise SettingsError(f"{variable} is not set; govbot needs it for this command")


_ENV_NAMES = {
    "database_url": "DATABASE_URL",
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "slack_app_token": "SLACK_APP_TOKEN",
    "slack_api_url": "SLACK_API_URL",
    "timezone": "GOVBOT_TIMEZONE",
    "command_prefix": "GOVBOT_COMMAND_PREFIX",
    "public_url": "GOVBOT_PUBLIC_URL",
    "metrics": "GOVBOT_METRICS",
    "log_format": "GOVBOT_LOG_FORMAT",
    "slack_client_id": "SLACK_CLIENT_ID",
    "slack_client_secret": "SLACK_CLIENT_SECRET",
    "token_key": "GOVBOT_TOKEN_KEY",
}


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning a validation failure into one line that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "setting"
        name = _ENV_NAMES.get(field, field.upper())
        message = str(error["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name} {message}") from None
