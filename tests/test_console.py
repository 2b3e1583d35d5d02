"""`govbot console` driven through stdin: what a person types, and what it prints back."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import run_console
from bot.console.lines import ScriptLines
from bot.console.session import ConsoleOptions, ConsoleSession
from bot.console.slack_requests import SignedSender
from bot.http_server import make_wsgi_app
from bot.settings import load_settings
from governance.actions.models import Action
from governance.database import make_engine
from governance.feedback.models import Feedback

# A Wednesday: this week's Monday 09:00 digest is due and nudges go out on working days.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def console(database_url: str, script: str, **options: object) -> str:
    """Run the console on `script` as stdin; everything it printed."""
    out = io.StringIO()
    code = run_console(
        load_settings(database_url=database_url),
        stdin=io.StringIO(script),
        stdout=out,
        clock=lambda: NOW,
        **options,  # type: ignore[arg-type]
    )
    assert code == 0
    return out.getvalue()


def rows(database_url: str, model: type) -> list:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(model)))
    finally:
        engine.dispose()


def test_each_line_is_echoed_after_its_prompt_and_the_end_of_input_ends_the_session(
    database_url: str,
) -> None:
    printed = console(database_url, "/plan help\n")
    assert "@you #workforce-plan> /plan help\n" in printed
    assert printed.rstrip().endswith("╰─")


def test_a_scripted_walk_through_sets_up_a_plan_and_prints_the_digest(
    database_url: str,
) -> None:
    printed = console(
        database_url,
        '/plan setup "Wessex Vale ICS integrated workforce plan"\n'
        "/plan board #people-board\n"
        '/action add "Recruit 20 nurses for winter" owner:@sam function:supply due:+4w\n'
        '/action update A-1 status:amber progress:40 "Interviews booked"\n'
        '/feedback staff "The night rest room is too cold" function:wellbeing anonymous\n'
        '/win "Care Certificate recognised by every partner" function:education @sam\n'
        # The console's clock stands still at NOW; the digest covers up to its own moment.
        ":jobs run digest --at 2026-11-25T11:00+00:00\n",
    )
    assert "@you set up Wessex Vale ICS integrated workforce plan in this channel" in printed
    assert "goes to\n│ #people-board" in printed or "goes to #people-board" in printed
    assert "A-1 added by @you" in printed
    assert "Owner: @sam" in printed
    assert "A-1 updated by @you" in printed and "Amber (issues being managed)" in printed
    assert "Your feedback F-1 is recorded anonymously" in printed
    assert "Win W-1" in printed and "Credit to @sam" in printed
    digest = printed.split("> :jobs run digest")[1]
    assert "╭─ govbot in #people-board" in digest
    assert "Weekly digest: Wessex Vale ICS integrated workforce plan" in digest
    assert "Care Certificate recognised by every partner" in digest
    assert "[chart: " in digest
    [action] = rows(database_url, Action)
    assert (action.status, action.progress) == ("at-risk", 40)


def test_typed_mentions_reach_the_app_as_slack_sends_them(database_url: str) -> None:
    console(
        database_url,
        '/plan setup "Plan"\n/action add "Fix rotas" owner:@grace\n',
    )
    [action] = rows(database_url, Action)
    assert action.owner_id == "UGRACE"


def test_a_second_session_on_the_same_folder_shows_people_by_the_names_typed_before(
    tmp_path: Path,
) -> None:
    database_url = f"sqlite:///{tmp_path / 'govbot.db'}"
    console(
        database_url,
        '/plan setup "Plan"\n/action add "Fix rotas" owner:@grace\n/plan board #people-board\n',
    )
    printed = console(database_url, "/action show A-1\n/plan settings\n")
    shown = printed.split("> /action show A-1")[1]
    assert "@grace" in shown and "UGRACE" not in shown
    assert "#people-board" in shown and "CPEOPLEBOARD" not in shown
    assert (tmp_path / "govbot.people.json").exists()


def test_a_command_govbot_does_not_know_is_said_plainly(database_url: str) -> None:
    assert "/nope is not a govbot command" in console(database_url, "/nope\n")


def test_someone_elses_direct_message_waits_until_you_act_as_them(database_url: str) -> None:
    printed = console(
        database_url,
        '/plan setup "Plan"\n/action add "Fix rotas" owner:@grace\n:as @grace\n',
    )
    before, after = printed.split("> :as @grace")
    assert "✉ govbot sent @grace a direct message" in before
    assert "You are now @grace. Messages waiting for you:" in after
    assert "╭─ govbot · direct message to you" in after
    assert "@you made you the owner of an action" in after


def test_a_form_asks_for_each_field_then_submits_it(database_url: str) -> None:
    printed = console(
        database_url,
        '/plan setup "Plan"\n'
        "/feedback\n"
        "service-user\n"
        "The nurse explained everything kindly\n"
        "6\n"
        "District nursing\n"
        "1\n"
        "\n",
    )
    assert "┌ form: Give feedback" in printed
    assert "└ sent." in printed
    [feedback] = rows(database_url, Feedback)
    assert (feedback.source, feedback.text, feedback.function_id, feedback.rating) == (
        "service-user",
        "The nurse explained everything kindly",
        6,
        5,
    )
    assert feedback.service_area == "District nursing"


def test_a_console_line_typed_into_a_form_closes_it_and_runs(database_url: str) -> None:
    printed = console(database_url, '/plan setup "Plan"\n/feedback\n:help\n')
    assert "└ form closed without sending." in printed
    assert ":click N" in printed.split("form closed without sending.")[1]
    assert rows(database_url, Feedback) == []


def test_click_presses_a_numbered_button_of_the_last_message(database_url: str) -> None:
    printed = console(
        database_url,
        '/plan setup "Plan"\n/action add "Fix rotas"\n:click 2\n',
    )
    card = printed.split('> /action add "Fix rotas"')[1].split("> :click 2")[0]
    assert "[1] Update  [2] Done" in card
    [action] = rows(database_url, Action)
    assert action.status == "done"


def test_clicking_update_opens_its_form_with_the_current_values(database_url: str) -> None:
    printed = console(
        database_url,
        '/plan setup "Plan"\n/action add "Fix rotas"\n:click 1\nred\n15\n\n\nAgency costs are up\n',
    )
    assert "┌ form: Update A-1" in printed
    assert "└ sent." in printed
    [action] = rows(database_url, Action)
    assert (action.status, action.progress) == ("off-track", 15)


def test_there_is_no_button_to_press_until_one_is_shown(database_url: str) -> None:
    assert "There is no button 3" in console(database_url, ":click 3\n")


def test_home_shows_your_app_home_and_its_buttons_work(database_url: str) -> None:
    printed = console(
        database_url,
        '/plan setup "Plan"\n/action add "Fix rotas"\n:home\n:click 1\n:cancel\n',
    )
    home, clicked = printed.split("> :home")[1].split("> :click 1")
    assert "╭─ App Home · @you" in home
    assert "Fix rotas" in home and "[1] Update" in home
    assert "┌ form: Update A-1" in clicked


def test_in_moves_you_to_another_channel(database_url: str) -> None:
    printed = console(database_url, ":in #people-board\n/plan\n")
    assert "You are now in #people-board." in printed
    assert "@you #people-board> /plan" in printed


def test_the_console_starts_as_and_in_whoever_and_wherever_asked(database_url: str) -> None:
    printed = console(database_url, "/plan help\n", user="@priya", channel="#board")
    assert "@priya #board> /plan help" in printed


def test_unknown_verbs_and_malformed_jobs_are_refused_with_the_right_form(
    database_url: str,
) -> None:
    printed = console(database_url, ":dance\n:jobs run everything\n:jobs run digest --at soon\n")
    assert ":dance is not a console verb" in printed
    assert "Write it as :jobs run nudges|digest|risk-review" in printed
    assert "“soon” is not an ISO 8601 time" in printed


def test_quit_ends_the_session_before_the_end_of_input(database_url: str) -> None:
    printed = console(database_url, ":quit\n/plan help\n")
    assert "/plan help" not in printed


def test_every_request_is_signed_so_a_wrong_secret_is_refused(database_url: str) -> None:
    out = io.StringIO()
    settings = load_settings(database_url=database_url)
    lines = ScriptLines(io.StringIO(""), out)
    with ConsoleSession(settings, lines, out, ConsoleOptions(clock=lambda: NOW)) as session:
        session.slash("/plan help")
        assert "How to use /plan" in out.getvalue()
        wsgi = make_wsgi_app(session.app, session.uow)
        session.sender = SignedSender(wsgi, "not-the-session-secret", session.tracker)
        session.slash("/plan help")
    assert out.getvalue().rstrip().endswith("govbot answered /plan with HTTP 401.")


def test_comment_lines_in_a_script_are_echoed_but_not_sent(database_url: str) -> None:
    printed = console(database_url, "# set up first\n")
    assert "> # set up first\n" in printed
    assert "not a govbot command" not in printed and "Type a slash command such" not in printed


def test_commands_take_the_workspace_prefix_without_typing_it(database_url: str) -> None:
    out = io.StringIO()
    settings = load_settings(database_url=database_url, command_prefix="wf-")
    run_console(settings, stdin=io.StringIO("/plan help\n"), stdout=out, clock=lambda: NOW)
    assert "How to use /wf-plan" in out.getvalue()
