"""OAuth mode: govbot installed in many workspaces through Slack's OAuth flow, each answered
and nudged with its own bot token, stored encrypted; an uninstall or a revocation stops that
workspace's sends at once and no other's, and its plans stay."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, select, text

from bot.jobs import job_runner
from bot.settings import SettingsError, load_settings
from bot.slack_client import make_web_client
from governance.database import UnitOfWork
from governance.plans.models import Plan
from tests.conftest import Clock
from tests.slack_faults import FaultyStandin
from tests.slack_harness import BotServer

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "standin-client-secret"
TOKEN_KEY = Fernet.generate_key().decode()
DEVON, KENT = "T0DEVON", "T0KENT"
OWNERS = {DEVON: "U0DEVOWNER", KENT: "U0KENTOWNER"}
CHANNELS = {DEVON: "C0DEVON", KENT: "C0KENT"}


@pytest.fixture
def oauth_bot(make_bot_server: Callable[..., BotServer], standin: FaultyStandin) -> BotServer:
    """govbot in OAuth mode: no SLACK_BOT_TOKEN, the app's client id and secret, a token key."""
    standin.set_oauth_client(CLIENT_ID, CLIENT_SECRET)
    return make_bot_server(
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        token_key=TOKEN_KEY,
    )


def install(bot: BotServer, team_id: str) -> None:
    """Someone in `team_id` opens /slack/install, approves on Slack, and is sent back."""
    page = bot.get("/slack/install")
    assert page.status == 200
    headers = {name.lower(): value for name, value in page.headers.items()}
    cookie = headers["set-cookie"].split(";")[0]
    authorize = re.search(
        r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.body.decode()
    )
    assert authorize is not None, "the install page links to Slack's authorize page"
    query = parse_qs(urlsplit(authorize[1].replace("&amp;", "&")).query)
    assert query["client_id"] == [CLIENT_ID]
    assert set(query["scope"][0].split(",")) >= {"commands", "chat:write", "im:write"}
    code = bot.standin.install_code(team_id)
    back = bot.get(
        f"/slack/oauth_redirect?code={code}&state={query['state'][0]}", headers={"Cookie": cookie}
    )
    assert back.status == 200, back.body


def set_up_plan(bot: BotServer, team_id: str) -> None:
    """A plan in the workspace, with an action its owner is nudged about on 24 November."""
    where = {"team_id": team_id, "channel_id": CHANNELS[team_id], "user_id": "U0LEAD" + team_id}
    bot.slash_reply("/plan", f'setup "{team_id} workforce plan"', **where)
    owner = OWNERS[team_id]
    reply = bot.slash_reply(
        "/action", f'add "Staff passport" owner:<@{owner}> due:2026-11-26', **where
    )
    assert "A-1" in str(reply)


def tokens_used(standin: FaultyStandin, method: str) -> set[str]:
    return {str(call.token) for call in standin.calls_to(method)}


def workspace_of(token: str) -> str:
    """The stand-in's bot tokens name their workspace: xoxb-<team>-<n>."""
    return token.split("-")[1].upper()


def nudge_pass(bot: BotServer, uow: UnitOfWork, clock: Clock, at: datetime) -> set[str]:
    """One nudge pass at `at`; the owners DMed, each checked to be sent with their own
    workspace's token."""
    clock.set(at)
    before = len(bot.standin.calls_to("chat.postMessage"))
    job_runner(bot.settings, uow, make_web_client(bot.settings)).run("nudges")
    owners = set()
    for call in bot.standin.calls_to("chat.postMessage")[before:]:
        owner = str(call.params["channel"])
        team = next(team for team, who in OWNERS.items() if who == owner)
        assert workspace_of(str(call.token)) == team
        owners.add(owner)
    return owners


def test_a_workspace_installed_through_oauth_is_answered_with_its_own_token(
    oauth_bot: BotServer, standin: FaultyStandin, engine: Engine
) -> None:
    install(oauth_bot, DEVON)
    install(oauth_bot, KENT)
    set_up_plan(oauth_bot, DEVON)

    opened = oauth_bot.open_form(
        "/action", user_id="U0LEADT0DEVON", channel_id=CHANNELS[DEVON], team_id=DEVON
    )
    assert opened["callback_id"] == "action_add"
    [views_open] = standin.calls_to("views.open")
    assert workspace_of(str(views_open.token)) == DEVON

    with engine.connect() as connection:
        stored = connection.execute(text("SELECT team_id, bot_token FROM slack_bots")).all()
    assert {team for team, _ in stored} == {DEVON, KENT}
    issued = tokens_used(standin, "auth.test")
    for _, token in stored:
        assert not token.startswith("xox"), "tokens are stored encrypted"
        assert Fernet(TOKEN_KEY).decrypt(token.encode()).decode() in issued


def test_a_partner_workspace_without_govbot_is_answered_in_a_shared_channel_with_the_hosts(
    oauth_bot: BotServer, standin: FaultyStandin
) -> None:
    install(oauth_bot, DEVON)
    set_up_plan(oauth_bot, DEVON)
    # A member of a partner organisation (govbot not installed there), in the shared channel.
    opened = oauth_bot.open_form(
        "/action", user_id="U0PARTNER", channel_id=CHANNELS[DEVON], team_id="T0PARTNER"
    )
    assert opened["callback_id"] == "action_add"
    [views_open] = standin.calls_to("views.open")
    assert workspace_of(str(views_open.token)) == DEVON
    # Elsewhere in their own workspace, nothing is answered with anyone's token.
    before = len(standin.calls)
    assert (
        oauth_bot.slash(
            "/action", "", user_id="U0PARTNER", channel_id="C0ELSEWHERE", team_id="T0PARTNER"
        ).status
        == 200
    )
    oauth_bot.stop()
    assert [c for c in standin.calls[before:] if c.method == "views.open"] == []


def test_after_tokens_revoked_a_workspaces_sends_stop_while_anothers_continue(
    oauth_bot: BotServer, uow: UnitOfWork, clock: Clock, engine: Engine
) -> None:
    for team in (DEVON, KENT):
        install(oauth_bot, team)
        set_up_plan(oauth_bot, team)
    morning = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert nudge_pass(oauth_bot, uow, clock, morning) == set(OWNERS.values())

    revoked = oauth_bot.event(
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [oauth_bot.standin.bot_user_id]}},
        team_id=KENT,
    )
    assert revoked.status == 200
    oauth_bot.stop()  # every listener's work after its acknowledgement is done

    with engine.connect() as connection:
        kept = connection.execute(
            text("SELECT bot_token FROM slack_installations WHERE team_id = :team"), {"team": KENT}
        ).scalars()
        assert list(kept) == [None], "the revoked token is kept nowhere"
        assert (
            connection.execute(
                text("SELECT count(*) FROM slack_bots WHERE team_id = :t"), {"t": KENT}
            ).scalar()
            == 0
        )
    next_morning = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    assert nudge_pass(oauth_bot, uow, clock, next_morning) == {OWNERS[DEVON]}
    with uow.transaction() as session:
        assert session.scalar(select(Plan.name).where(Plan.name == f"{KENT} workforce plan"))


def test_an_uninstall_removes_the_workspaces_tokens_and_keeps_its_plan(
    oauth_bot: BotServer, engine: Engine, uow: UnitOfWork
) -> None:
    install(oauth_bot, DEVON)
    set_up_plan(oauth_bot, DEVON)
    assert oauth_bot.event({"type": "app_uninstalled"}, team_id=DEVON).status == 200
    oauth_bot.stop()
    with engine.connect() as connection:
        for table in ("slack_bots", "slack_installations"):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
    with uow.transaction() as session:
        assert session.scalar(select(Plan.name)) == f"{DEVON} workforce plan"


def test_the_oauth_install_page_refuses_a_redirect_without_its_state(
    oauth_bot: BotServer, standin: FaultyStandin
) -> None:
    code = standin.install_code(DEVON)
    answer = oauth_bot.get(f"/slack/oauth_redirect?code={code}&state=forged")
    assert 400 <= answer.status < 500
    assert standin.calls_to("oauth.v2.access") == []


@pytest.mark.parametrize(
    ("key", "problem"),
    [(None, "GOVBOT_TOKEN_KEY is not set"), ("not-a-key", "GOVBOT_TOKEN_KEY is not a Fernet key")],
)
def test_oauth_mode_without_a_usable_token_key_fails_in_one_line(
    key: str | None, problem: str
) -> None:
    settings = load_settings(
        slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET, token_key=key
    )
    with pytest.raises(SettingsError, match=problem) as refused:
        settings.require_tokens()
    assert "\n" not in str(refused.value)
