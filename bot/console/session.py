"""`govbot console`: a local workspace in the terminal, running the production app.

Each line typed is a slash command from the current person in the current channel, signed
and handed to the same Bolt app and listeners as `govbot serve`. Their Web API calls go to
the loopback stand-in, and what they sent is shown as the person would see it in Slack.
"""

from __future__ import annotations

import logging
import secrets
import shlex
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.app import build_app
from bot.console import demo_story
from bot.console.deliveries import Delivery, ReplyTarget, read_deliveries
from bot.console.demo_seed import seed_demo
from bot.console.directory import TEAM_ID, ConsoleDirectory, files_folder_for, names_file_for
from bot.console.lines import Lines
from bot.console.modal_form import MAX_TRIES, FormCancelled, ModalForm, State
from bot.console.slack_requests import (
    Answer,
    ListenerTracker,
    SignedSender,
    app_home_opened,
    block_actions,
    slash_command,
    view_submission,
)
from bot.console.slack_standin import SlackStandin
from bot.console.terminal_render import Choice, TerminalRenderer
from bot.http_server import HttpServer, feedback_form_key, make_wsgi_app
from bot.jobs import JOBS, JobRunner
from bot.settings import Settings
from governance.actor import Actor
from governance.database import UnitOfWork, make_engine
from governance.feedback_links.inputs import FeedbackLinkMake
from governance.feedback_links.use_cases import list_feedback_links, make_feedback_link
from governance.inputs import validate
from governance.orm import utcnow
from governance.schema import upgrade
from web.app import FeedbackFormApp

DEFAULT_USER = "you"
DEFAULT_CHANNEL = demo_story.PLAN_CHANNEL
FILE_LINES_SHOWN = 12
PNG_SIGNATURE = b"\x89PNG"
WORKBOOK_SIGNATURE = b"PK\x03\x04"  # an .xlsx file is a zip archive
PDF_SIGNATURE = b"%PDF-"
BOLT_LOG = logging.getLogger("govbot.bolt")

HELP = """\
Type a slash command as you would in Slack, e.g. {plan_help}, {overdue}.
  @name and #channel work as in Slack; anyone you name exists.
Console verbs:
  :as @name            act as someone else (their direct messages are shown)
  :in #channel         type in another channel
  :click N             press button N of the last message shown
  :home                open your App Home
  :jobs run nudges|digest|risk-review [--at 2026-11-30T09:00]
                       run one pass of scheduled work, now or as if at that time
  :help                this help
  :quit                leave (so does Ctrl-D)
A line starting "# " is a comment, for scripts piped in."""


@dataclass(frozen=True)
class ConsoleOptions:
    demo: bool = False
    user: str = DEFAULT_USER
    channel: str | None = None
    clock: Callable[[], datetime] = utcnow  # "now" for the domain; tests fix it


@dataclass(frozen=True)
class _Pressable:
    """A numbered button and where it was shown: a message, or a view (App Home)."""

    choice: Choice
    message: dict[str, Any] | None = None
    channel_id: str | None = None
    ephemeral: bool = False
    view: dict[str, Any] | None = None


@dataclass
class _Shown:
    """Buttons numbered so far in one answer, and forms left to fill."""

    pressables: dict[int, _Pressable] = field(default_factory=dict)
    modals: list[dict[str, Any]] = field(default_factory=list)


class ConsoleSession:
    """The console's workspace: its people, the stand-in, the app, and the prompt loop."""

    def __init__(
        self, settings: Settings, lines: Lines, out: TextIO, options: ConsoleOptions
    ) -> None:
        self.settings = settings
        self.lines = lines
        self.out = out
        self.options = options
        self.directory = ConsoleDirectory(kept_in=names_file_for(settings.database_url))
        self.user_id = self.directory.user(options.user)
        self.channel_id = self.directory.channel(options.channel or DEFAULT_CHANNEL)
        self.renderer = TerminalRenderer(self.directory.for_rendering(), lines.width)
        self._targets: dict[str, ReplyTarget] = {}
        self._inbox: dict[str, list[Delivery]] = {}
        self._homes: dict[str, dict[str, Any]] = {}
        self._pressables: dict[int, _Pressable] = {}
        self._view_ids = 0
        self._pending: list[str] = []  # lines typed into a form, to run once it is closed

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> ConsoleSession:
        self.engine = make_engine(self.settings.database_url)
        # A local try-out: the console brings its database up to date itself.
        upgrade(self.engine)
        self.standin = SlackStandin(team_id=TEAM_ID).start()
        secret = secrets.token_hex(32)
        self.uow = UnitOfWork(self.engine, clock=self.options.clock)
        # The public feedback form, on loopback while the console runs: its links work.
        form = FeedbackFormApp(self.uow, feedback_form_key(secret))
        self.form_server = HttpServer(form, "127.0.0.1", 0).start()
        self.app_settings = self.settings.model_copy(
            update={
                "slack_signing_secret": secret,
                "slack_bot_token": "xoxb-console-" + secrets.token_hex(8),
                "slack_api_url": self.standin.api_url,
                "public_url": self.form_server.url,
            }
        )
        self.app = build_app(self.app_settings, self.uow)
        # The console says itself when a command is unknown; Bolt's advice is for developers.
        self._bolt_log_level = BOLT_LOG.level
        BOLT_LOG.setLevel(logging.ERROR)
        self.tracker = ListenerTracker.install(self.app)
        self.sender = SignedSender(make_wsgi_app(self.app, self.uow), secret, self.tracker)
        if self.options.demo:
            for handle, name in demo_story.CAST.items():
                self.directory.user(handle, name)
            self.directory.channel(demo_story.BOARD_CHANNEL)
        for handle in self.directory.user_ids:
            self._introduce(handle)
        return self

    def __exit__(self, *exc: object) -> None:
        BOLT_LOG.setLevel(self._bolt_log_level)
        self.tracker.shutdown(wait=True)
        self.form_server.stop()
        self.standin.stop()
        self.engine.dispose()

    # -- the loop ----------------------------------------------------------------------

    def run(self) -> int:
        """Read and answer lines until :quit or the end of input; the exit status."""
        self._banner()
        if self.options.demo:
            self._seed_demo()
        self.write(f"You are @{self._me} in #{self._here}. Type a slash command, or :help.")
        while True:
            line = self._pending.pop(0) if self._pending else self.lines.read(self._prompt())
            if line is None:
                return 0
            line = line.strip()
            if not line or line.startswith("# "):
                continue
            if line in (":quit", ":q", ":exit"):
                return 0
            try:
                self._answer(line)
            except KeyboardInterrupt:
                self.write("(interrupted)")
            except BrokenPipeError:
                raise
            except Exception:  # noqa: BLE001 - one bad line must not end a person's session
                traceback.print_exc()
                self.write("The console failed on that line (details above); carry on.")

    def _answer(self, line: str) -> None:
        if line.startswith("/"):
            self.slash(line)
        elif line.startswith(":"):
            self._verb(line)
        else:
            self.write(
                f"Type a slash command such as {self._command('plan help')}, "
                "or :help for the console's verbs."
            )

    def _verb(self, line: str) -> None:
        try:
            words = shlex.split(line)
        except ValueError as exc:
            self.write(f"Can't read that: {exc}.")
            return
        verb, args = words[0], words[1:]
        verbs: dict[str, Callable[[list[str]], None]] = {
            ":as": self._as,
            ":in": self._in,
            ":click": self._click,
            ":home": lambda _a: self.home(),
            ":jobs": self._jobs,
            ":help": lambda _a: self.write(
                HELP.format(
                    plan_help=self._command("plan help"),
                    overdue=self._command("action list overdue"),
                )
            ),
        }
        handler = verbs.get(verb)
        if handler is None:
            self.write(f"{verb} is not a console verb; :help lists them.")
            return
        handler(args)

    # -- what a person does ------------------------------------------------------------

    def _command(self, typed: str) -> str:
        """A command as this workspace types it (`/wf-plan help` with a prefix)."""
        return f"/{self.settings.command_prefix}{typed}"

    def slash(self, line: str) -> None:
        """Send `/command text` as the current person in the current channel."""
        command, _, text = line.partition(" ")
        prefix = self.settings.command_prefix
        if prefix and not command.startswith("/" + prefix):
            command = "/" + prefix + command[1:]
        response_url = self._response_url()
        mark = len(self.standin.calls)
        answer = self.sender.form(
            slash_command(
                command=command,
                text=self.directory.as_slack_sends(text.strip()),
                team_id=TEAM_ID,
                user_id=self.user_id,
                user_name=self._me,
                channel_id=self.channel_id,
                channel_name=self._here,
                response_url=response_url,
                trigger_id=self._trigger_id(),
            )
        )
        if answer.status == 404:
            self.write(f"{command} is not a govbot command. Try {self._command('plan help')}.")
        elif answer.status != 200:
            self.write(f"govbot answered {command} with HTTP {answer.status}.")
        elif answer.body:
            self._show_ack(answer)
        self._show_since(mark)

    def click(self, number: int) -> None:
        pressable = self._pressables.get(number)
        if pressable is None:
            known = ", ".join(str(n) for n in sorted(self._pressables)) or "none shown yet"
            self.write(f"There is no button {number} (buttons: {known}).")
            return
        choice = pressable.choice
        action: dict[str, Any] = {
            "action_id": choice.action_id,
            "block_id": choice.block_id or "actions",
            "type": choice.type,
        }
        if choice.option is not None:
            action["selected_option"] = dict(choice.option)
        else:
            action["text"] = {"type": "plain_text", "text": choice.label}
            if choice.value is not None:
                action["value"] = choice.value
        if choice.url:
            self.write(f"(this button opens {choice.url})")
        mark = len(self.standin.calls)
        if pressable.view is not None:
            payload = block_actions(
                team_id=TEAM_ID,
                user_id=self.user_id,
                user_name=self._me,
                trigger_id=self._trigger_id(),
                action=action,
                container={"type": "view", "view_id": pressable.view.get("id", "")},
                view=pressable.view,
            )
        else:
            channel_id = pressable.channel_id or self.channel_id
            ts = f"{int(datetime.now().timestamp())}.{self.sender.next_id():06d}"
            message = {"type": "message", "ts": ts, **(pressable.message or {})}
            payload = block_actions(
                team_id=TEAM_ID,
                user_id=self.user_id,
                user_name=self._me,
                trigger_id=self._trigger_id(),
                action=action,
                container={
                    "type": "message",
                    "message_ts": ts,
                    "channel_id": channel_id,
                    "is_ephemeral": pressable.ephemeral,
                },
                channel={"id": channel_id, "name": self._channel_name(channel_id)},
                message=message,
                response_url=self._response_url(channel_id),
            )
        answer = self.sender.payload(payload)
        if answer.status != 200:
            self.write(f"govbot answered the click with HTTP {answer.status}.")
        self._show_since(mark)

    def home(self) -> None:
        """Open App Home: Slack sends app_home_opened, the app publishes the view."""
        mark = len(self.standin.calls)
        self.sender.event(
            app_home_opened(
                team_id=TEAM_ID,
                user_id=self.user_id,
                bot_user_id=self.standin.bot_user_id,
                event_id=f"Ev{self.sender.next_id():08d}",
            )
        )
        self._show_since(mark)
        view = self._homes.get(self.user_id)
        if view is None:
            self.write("govbot has not published an App Home for you.")
            return
        shown = _Shown()
        self._show_view(view, "App Home", shown)
        self._pressables = shown.pressables

    def run_job(self, job: str, at: datetime | None) -> None:
        """One pass of a scheduled job, now or as if at `at`; shows what it sent."""
        when = at or self.uow.now()
        runner = JobRunner(
            UnitOfWork(self.engine, clock=lambda: when),
            self.app.client,
            command_prefix=self.settings.command_prefix,
        )
        mark = len(self.standin.calls)
        report = runner.run(job)
        self.write(f"({report.summary()})")
        if not report.sent and not report.failed:
            self.write(
                "(Nothing was due then. To act as if at another time: "
                f":jobs run {job} --at {_next_monday_nine(when, self.settings.timezone)})"
            )
        self._show_since(mark)

    # -- verbs -------------------------------------------------------------------------

    def _as(self, args: list[str]) -> None:
        if len(args) != 1:
            self.write("Write it as :as @name")
            return
        try:
            handle = args[0].removeprefix("@").lower()
            known = handle in self.directory.user_ids
            self.user_id = self.directory.user(handle)
        except ValueError as exc:
            self.write(str(exc))
            return
        if not known:
            self._introduce(handle)
        self._pressables = {}
        waiting = self._inbox.pop(self.user_id, [])
        self.write(f"You are now @{self._me}." + (" Messages waiting for you:" if waiting else ""))
        shown = _Shown()
        for delivery in waiting:
            self._show_delivery(delivery, shown)
        self._pressables = shown.pressables

    def _in(self, args: list[str]) -> None:
        if len(args) != 1:
            self.write("Write it as :in #channel")
            return
        try:
            self.channel_id = self.directory.channel(args[0])
        except ValueError as exc:
            self.write(str(exc))
            return
        self._pressables = {}
        self.write(f"You are now in #{self._here}.")

    def _click(self, args: list[str]) -> None:
        if len(args) != 1 or not args[0].isdigit():
            self.write("Write it as :click N, with N a button's number.")
            return
        self.click(int(args[0]))

    def _jobs(self, args: list[str]) -> None:
        usage = f":jobs run {'|'.join(JOBS)} [--at 2026-11-30T09:00]"
        if len(args) not in (2, 4) or args[0] != "run" or args[1] not in JOBS:
            self.write(f"Write it as {usage}")
            return
        at = None
        if len(args) == 4:
            if args[2] != "--at":
                self.write(f"Write it as {usage}")
                return
            try:
                at = _moment(args[3], self.settings.timezone)
            except ValueError:
                self.write(f"“{args[3]}” is not an ISO 8601 time such as 2026-11-30T09:00.")
                return
        self.run_job(args[1], at)

    # -- showing what govbot sent -------------------------------------------------------

    def _show_since(self, mark: int, depth: int = 0) -> None:
        """Show what govbot sent since call number `mark`, then fill any form it opened."""
        shown = _Shown()
        calls = self.standin.calls[mark:]
        for delivery in read_deliveries(calls, self._targets):
            self._show_delivery(delivery, shown)
        if shown.pressables:
            self._pressables = shown.pressables
        if shown.modals and depth < MAX_TRIES:
            self._fill(shown.modals[-1], depth)

    def _show_delivery(self, delivery: Delivery, shown: _Shown) -> None:
        kind = delivery.kind
        mine = delivery.user_id in (None, self.user_id)
        if kind == "reply":
            where = (
                f"in #{self._channel_name(delivery.channel_id)}"
                if delivery.in_channel
                else "· only visible to you"
            )
            if delivery.deletes:
                self.write("(govbot removed the message)")
                return
            if delivery.replaces:
                where += " · replaces the message"
            self._show_message(delivery, where, shown, ephemeral=not delivery.in_channel)
        elif kind == "channel":
            where = f"in #{self._channel_name(delivery.channel_id)}"
            self._show_message(delivery, where, shown)
        elif kind in ("dm", "ephemeral"):
            if mine:
                where = "· direct message to you" if kind == "dm" else "· only visible to you"
                channel = "D" + self.user_id[1:] if kind == "dm" else delivery.channel_id
                self._show_message(
                    delivery, where, shown, channel_id=channel, ephemeral=kind == "ephemeral"
                )
            else:
                self._notify(delivery)
        elif kind == "update":
            where = f"in #{self._channel_name(delivery.channel_id)} · updated a message"
            self._show_message(delivery, where, shown)
        elif kind == "modal":
            shown.modals.append(delivery.payload)
        elif kind == "home":
            self._homes[delivery.user_id or self.user_id] = delivery.payload
        elif kind == "file":
            self._show_file(delivery)

    def _show_message(
        self,
        delivery: Delivery,
        where: str,
        shown: _Shown,
        *,
        channel_id: str | None = None,
        ephemeral: bool = False,
    ) -> None:
        first = len(shown.pressables) + 1
        rendered = self.renderer.message(delivery.payload, first)
        self._box(f"govbot {where}", rendered.text)
        for choice in rendered.choices:
            shown.pressables[choice.number] = _Pressable(
                choice,
                message=delivery.payload,
                channel_id=channel_id or delivery.channel_id or self.channel_id,
                ephemeral=ephemeral,
            )

    def _show_view(self, view: dict[str, Any], title: str, shown: _Shown) -> None:
        rendered = self.renderer.view(view, len(shown.pressables) + 1)
        self._box(f"{title} · @{self._me}", rendered.text)
        for choice in rendered.choices:
            shown.pressables[choice.number] = _Pressable(choice, view=view)

    def _show_file(self, delivery: Delivery) -> None:
        title = delivery.payload.get("title") or "a file"
        body = []
        if delivery.payload.get("comment"):
            body.append(self.renderer.text(str(delivery.payload["comment"])))
        saved = self._save(delivery)
        if delivery.file_body.startswith(PNG_SIGNATURE):
            body.append(f"📎 [chart: {title}] saved as {saved}")
        elif delivery.file_body.startswith(WORKBOOK_SIGNATURE):
            body.append(f"📎 {title}: a workbook, saved as {saved}")
        elif delivery.file_body.startswith(PDF_SIGNATURE):
            body.append(f"📎 {title} (PDF) saved as {saved}")
        else:
            body.append(f"📎 {title} saved as {saved}")
            lines = delivery.file_body.decode("utf-8-sig", errors="replace").splitlines()
            width = self.renderer.width
            body.extend(
                line if len(line) <= width else line[: width - 1] + "…"
                for line in lines[:FILE_LINES_SHOWN]
            )
            if len(lines) > FILE_LINES_SHOWN:
                body.append(f"… {len(lines) - FILE_LINES_SHOWN} more lines")
        where = self._channel_name(delivery.channel_id)
        self._box(f"govbot uploaded a file in #{where}", "\n".join(body))

    def _save(self, delivery: Delivery) -> Path:
        """Keep an uploaded file where the person can open it; a name used twice gets a number."""
        folder = files_folder_for(self.settings.database_url)
        folder.mkdir(parents=True, exist_ok=True)
        name = Path(str(delivery.payload.get("filename") or "file")).name
        path, number = folder / name, 1
        while path.exists():
            number += 1
            path = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
        path.write_bytes(delivery.file_body)
        return path

    def _notify(self, delivery: Delivery) -> None:
        """A message for someone else: say so in one line and keep it for them."""
        user_id = delivery.user_id or ""
        handle = self.directory.handle_of(user_id)
        if delivery.kind == "dm":
            self._inbox.setdefault(user_id, []).append(delivery)
        first = self.renderer.text(str(delivery.payload.get("text", ""))).split("\n")[0]
        if len(first) > 70:
            first = first[:69] + "…"
        what = "a direct message" if delivery.kind == "dm" else "a message only they see"
        self.write(f"✉ govbot sent @{handle} {what}: “{first}” (:as @{handle} to read it)")

    def _show_ack(self, answer: Answer) -> None:
        body = answer.json()
        message = body if body is not None else {"text": answer.body.decode(errors="replace")}
        self._box("govbot · only visible to you", self.renderer.message(message).text)

    # -- forms -------------------------------------------------------------------------

    def _fill(self, view: dict[str, Any], depth: int) -> None:
        """Ask for the form's fields, submit it, and follow what govbot answers."""
        self._view_ids += 1
        view = {"id": f"VCONSOLE{self._view_ids:04d}", **view}
        form = ModalForm(self.renderer, self.directory, self.lines.read, self.write)
        errors: dict[str, str] | None = None
        state: State | None = None
        for _ in range(MAX_TRIES):
            try:
                state = form.fill(view, errors, state)
            except FormCancelled as cancelled:
                self.write("└ form closed without sending.")
                if cancelled.pending:
                    self._pending.append(cancelled.pending)
                return
            mark = len(self.standin.calls)
            answer = self.sender.payload(
                view_submission(
                    team_id=TEAM_ID,
                    user_id=self.user_id,
                    user_name=self._me,
                    trigger_id=self._trigger_id(),
                    view=_submitted(view, self.standin.bot_id),
                    values=state,
                )
            )
            response = answer.json() or {}
            if answer.status != 200:
                self.write(f"└ govbot answered the form with HTTP {answer.status}.")
                return
            if response.get("response_action") == "errors":
                errors = dict(response.get("errors") or {})
                self._show_since(mark, depth + 1)
                continue
            self.write("└ sent.")
            self._show_since(mark, depth + 1)
            if response.get("response_action") in ("update", "push") and response.get("view"):
                self._follow(response["view"], depth + 1)
            return
        self.write("└ form closed: it was refused too many times.")

    def _follow(self, view: dict[str, Any], depth: int) -> None:
        """A view govbot answered a submission with: a new form, or something to read."""
        if any(b.get("type") == "input" for b in view.get("blocks") or []):
            if depth < MAX_TRIES:
                self._fill(view, depth)
            return
        shown = _Shown()
        self._show_view(view, "form", shown)
        self._pressables = shown.pressables or self._pressables

    # -- helpers -----------------------------------------------------------------------

    def _introduce(self, handle: str) -> None:
        user_id = self.directory.user_ids[handle]
        real_name = self.directory.real_names.get(handle, handle)
        self.standin.set_user(
            user_id,
            tz=self.settings.timezone,
            name=handle,
            real_name=real_name,
            profile={"real_name": real_name, "display_name": handle},
        )

    def _seed_demo(self) -> None:
        plan_channel = self.directory.channel(demo_story.PLAN_CHANNEL)
        result = seed_demo(
            self.engine,
            team_id=TEAM_ID,
            user_ids=self.directory.user_ids,
            plan_channel_id=plan_channel,
            board_channel_id=self.directory.channel(demo_story.BOARD_CHANNEL),
            now=self.uow.now(),
        )
        if self.options.channel is None:
            self.channel_id = plan_channel
        people = ", ".join(f"@{h}" for h in demo_story.CAST if h != DEFAULT_USER)
        state = "Seeded" if result.seeded else "Using the demo plan already in this database:"
        self.write(
            f"{state} “{demo_story.PLAN_NAME}” in #{demo_story.PLAN_CHANNEL}; its digest goes "
            f"to #{demo_story.BOARD_CHANNEL}.\n"
            f"@you lead it; @priya chairs the people board and @omar is its data lead. "
            f"Others: {people}.\n"
            f"Try: {self._command('plan')} · {self._command('action list overdue')} · "
            f"{self._command('risk list extreme')} · :home · :jobs run digest"
        )
        self._show_feedback_form(Actor(TEAM_ID, self.directory.user(DEFAULT_USER), plan_channel))

    def _show_feedback_form(self, lead: Actor) -> None:
        """The demo plan's feedback link (made the first time), to open in a browser."""
        url = self.form_server.url
        links = list_feedback_links(self.uow, lead, url).links
        link = next((link for link in links if link.in_use), None)
        if link is None:
            area = validate(FeedbackLinkMake, service_area=demo_story.FEEDBACK_LINK_AREA)
            link = make_feedback_link(self.uow, lead, area, url)
        self.write(
            f"People without Slack give feedback at {link.address} — open it in a browser "
            "while the console runs; it arrives in /feedback list."
        )

    def _banner(self) -> None:
        where = self.engine.url.render_as_string(hide_password=True)
        self.write(f"govbot console — a local Slack workspace for govbot (database: {where})")

    def _box(self, title: str, body: str) -> None:
        self.write(f"╭─ {title}")
        for line in body.split("\n"):
            self.write(f"│ {line}".rstrip())
        self.write("╰─")

    def _response_url(self, channel_id: str | None = None) -> str:
        name = f"r{self.sender.next_id()}"
        self._targets[name] = ReplyTarget(self.user_id, channel_id or self.channel_id)
        return self.standin.response_url(name)

    def _trigger_id(self) -> str:
        return f"{self.sender.next_id()}.{TEAM_ID}.console"

    def _channel_name(self, channel_id: str | None) -> str:
        return self.directory.channel_name_of(channel_id or self.channel_id)

    def _prompt(self) -> str:
        return f"@{self._me} #{self._here}> "

    @property
    def _me(self) -> str:
        return self.directory.handle_of(self.user_id)

    @property
    def _here(self) -> str:
        return self.directory.channel_name_of(self.channel_id)

    def write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def _submitted(view: dict[str, Any], bot_id: str) -> dict[str, Any]:
    """The view as Slack includes it in a submission (without the state, added after)."""
    return {
        "type": "modal",
        "team_id": TEAM_ID,
        "private_metadata": "",
        "callback_id": "",
        "hash": f"{int(datetime.now().timestamp())}.console",
        "root_view_id": view["id"],
        "previous_view_id": None,
        "app_id": "A0CONSOLE",
        "bot_id": bot_id,
        **view,
    }


def _moment(text: str, timezone: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone))


def _next_monday_nine(now: datetime, timezone: str) -> str:
    local = now.astimezone(ZoneInfo(timezone))
    days = (7 - local.weekday()) % 7 or 7
    return (local + timedelta(days=days)).strftime("%Y-%m-%dT09:00")
