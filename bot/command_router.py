"""The shape every slash command shares, in one place.

A command listener declares its forms and handlers and registers; the router does the rest:

    router = CommandRouter("action", usage=USAGE, default=open_add_modal)

    @router.sub("add", takes=Takes(words=MANY, quoted=1))
    def add(ctx: CommandContext) -> Reply:
        ...

    def register(app, deps):
        router.register(app, deps)

The router acknowledges at once, then finds the subcommand (case-insensitive; a near miss
is refused with "Did you mean …?"), parses the rest of the text, calls the handler and
replies through the response URL: ephemeral unless the Reply says `in_channel`, or a
modal when the Reply carries a view. Each form says what it takes besides its options (`Takes`):
anything else typed (a stray word, a second quote, a mention, a #channel) is refused with the
form, never silently dropped. `help` (or empty text, when there is no default)
answers with every form. A refusal from the domain reaches the user with the right form;
anything unexpected is logged and still reaches the user as an apology.
"""

from __future__ import annotations

import difflib
import logging
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.form_seal import seal_view
from bot.grammar import ParsedText, TooLong, parse_command_text, refuse_too_long
from bot.metrics import ANSWER_SECONDS, DATABASE_UNAVAILABLE
from bot.rendering import command_prefix, escape_mrkdwn, hint_text, render
from governance.actor import Actor
from governance.errors import DomainError, HintText, Invalid, TextTooLong, Unavailable

if TYPE_CHECKING:
    from bot.deps import BotDeps
    from bot.settings import Settings
    from governance.database import UnitOfWork

logger = logging.getLogger("govbot.commands")

Usage = str | tuple[str, str]
"""One form of a command, after the command name: 'add "Title" [owner:@u]', optionally
paired with a short description."""

SORRY_TEXT = "Sorry — something went wrong on our side and nothing was changed."
UNAVAILABLE_TEXT = (
    "Sorry — govbot is temporarily unavailable, so nothing was changed. "
    "Please try again in a minute."
)
HELP_WORDS = ("help", "?")
# Text given back goes in pieces that each fit a section block (3,000 characters).
GIVEN_BACK_CHUNK = 2_900
TYPO_CUTOFF = 0.6
MANY = 1_000
"""As many as are typed: free text, a list of people."""


@dataclass(frozen=True)
class Takes:
    """How many of each kind of token a form reads besides its `key:value` options (whose
    names each handler checks). The router refuses whatever is beyond these, so nothing typed
    is silently ignored; a handler still checks what the words it takes say."""

    words: int = 0
    quoted: int = 0
    users: int = 0
    channels: int = 0
    # A stray word is guessed to be this option's value: `update A-1 amber` → `status:amber`.
    guess_option: str | None = None


@dataclass(frozen=True)
class Reply:
    """What a handler answers: a message (ephemeral unless `in_channel`) or a modal `view`.

    `text` and `blocks` are sent as they are: user text goes through a template
    (`Reply.render`) or `Reply.plain`, which escape it. `replace_original` replaces the
    message a button was clicked on. `after` is slow work (drawing and uploading a chart)
    done once the reply is sent, so the answer never waits for it; a Reply it returns
    (a refusal) is sent too.
    """

    text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    in_channel: bool = False
    view: dict[str, Any] | None = None
    replace_original: bool = False
    after: Callable[[], Reply | None] | None = None

    @classmethod
    def render(
        cls,
        template: str,
        *,
        in_channel: bool = False,
        replace_original: bool = False,
        **context: Any,
    ) -> Reply:
        """A Reply from a template: a modal when the template renders a view."""
        rendered = render(template, **context)
        if rendered.get("type") in ("modal", "home"):
            return cls(view=rendered)
        return cls(
            text=rendered.get("text", ""),
            blocks=rendered.get("blocks", []),
            in_channel=in_channel,
            replace_original=replace_original,
        )

    @classmethod
    def plain(cls, text: str, *, in_channel: bool = False) -> Reply:
        """A one-line Reply whose text may hold user input: `&`, `<`, `>` are escaped."""
        return cls(text=escape_mrkdwn(text), in_channel=in_channel)

    def message(self) -> dict[str, Any]:
        """The message payload, without where it goes or who sees it."""
        payload: dict[str, Any] = {"text": self.text}
        if self.blocks:
            payload["blocks"] = self.blocks
        return payload


def error_reply(
    message: str,
    *,
    hint: HintText = None,
    concept: str = "",
    usage: Sequence[Usage] = (),
    given_back: str | None = None,
) -> Reply:
    """An ephemeral refusal that says what was wrong and shows the right form(s) of the
    command for `concept`; commands the hint names are spelled with the workspace's prefix.
    `given_back` is text the person typed and nothing kept, shown whole so it isn't lost."""
    return Reply.render(
        "error_reply.json.j2",
        message=message,
        hint=hint_text(hint),
        concept=concept,
        usage=[_form(line) for line in usage],
        given_back=given_back,
        chunk=GIVEN_BACK_CHUNK,
    )


def help_reply(concept: str, usage: Sequence[Usage], summary: str = "") -> Reply:
    return Reply.render(
        "help_reply.json.j2", concept=concept, summary=summary, usage=[_form(u) for u in usage]
    )


def _form(line: Usage) -> tuple[str, str]:
    return (line, "") if isinstance(line, str) else (line[0], line[1])


@dataclass(frozen=True)
class CommandContext:
    """Everything a command handler gets: who, where, what they typed, and the means to act."""

    actor: Actor
    command: str
    subcommand: str | None
    args: ParsedText
    raw_text: str
    deps: BotDeps
    client: WebClient
    trigger_id: str | None

    @property
    def uow(self) -> UnitOfWork:
        return self.deps.uow

    @property
    def settings(self) -> Settings:
        return self.deps.settings

    def now(self) -> datetime:
        return self.deps.uow.now()


Handler = Callable[[CommandContext], "Reply | None"]


@dataclass(frozen=True)
class _Sub:
    word: str
    handler: Handler
    usage: tuple[Usage, ...]
    takes: Takes


class CommandRouter:
    """Routes `/<prefix><name> <subcommand> …` to the handler registered for the subcommand.

    `default` handles the bare command (no text); `fallback` handles text that does not
    start with a subcommand (e.g. `/win "text"`), taking what `fallback_takes` says. Without a
    fallback, an unknown first word is refused with the forms.
    """

    def __init__(
        self,
        name: str,
        *,
        usage: Sequence[Usage],
        summary: str = "",
        default: Handler | None = None,
        fallback: Handler | None = None,
        fallback_takes: Takes = Takes(),
    ) -> None:
        self.name = name
        self.usage = tuple(usage)
        self.summary = summary
        self.default = default
        self.fallback = (
            _Sub("", fallback, self.usage, fallback_takes) if fallback is not None else None
        )
        self._subs: dict[str, _Sub] = {}

    def sub(
        self,
        word: str,
        *,
        aliases: Sequence[str] = (),
        usage: Sequence[Usage] | None = None,
        takes: Takes = Takes(),
    ) -> Callable[[Handler], Handler]:
        """Register the decorated function for `/<command> <word> …` (and its aliases), which
        reads what `takes` says besides its options (by default, nothing).

        Its usage defaults to the router's usage lines that start with `word`.
        """

        def decorator(handler: Handler) -> Handler:
            forms = tuple(usage) if usage is not None else self._usage_starting(word)
            entry = _Sub(word.lower(), handler, forms, takes)
            for spelling in (word, *aliases):
                if spelling.lower() in self._subs or spelling.lower() in HELP_WORDS:
                    raise ValueError(f"/{self.name} {spelling} is registered twice")
                self._subs[spelling.lower()] = entry
            return handler

        return decorator

    def forms(self, word: str) -> tuple[Usage, ...]:
        """The usage forms of the subcommand `word`, for a refusal given after the answer."""
        return self._subs[word.lower()].usage

    def command(self, settings: Settings) -> str:
        """The command as Slack sends it, with the workspace's prefix (`/wf-action`)."""
        return f"/{settings.command_prefix}{self.name}"

    def register(self, app: App, deps: BotDeps) -> None:
        command = self.command(deps.settings)

        def listener(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
            ack()
            started = time.monotonic()
            with deps.work_slots:
                reply, outcome = self.answer(body, deps, client)
            actor = _command_actor(body)
            deliver(
                reply,
                body=body,
                respond=respond,
                client=client,
                actor=actor,
                form_key=deps.form_key,
            )
            ANSWER_SECONDS.labels(self.name, outcome).observe(time.monotonic() - started)
            if reply is not None and reply.after is not None:
                with deps.work_slots:
                    follow = run_after(reply.after, f"{self.command(deps.settings)} afterwards")
                deliver(
                    follow,
                    body=body,
                    respond=respond,
                    client=client,
                    actor=actor,
                    form_key=deps.form_key,
                )

        listener.__name__ = f"command_{self.name}"
        app.command(command)(listener)

    def handle(self, body: Mapping[str, Any], deps: BotDeps, client: WebClient) -> Reply | None:
        """Answer one slash command payload; never raises."""
        return self.answer(body, deps, client)[0]

    def answer(
        self, body: Mapping[str, Any], deps: BotDeps, client: WebClient
    ) -> tuple[Reply | None, str]:
        """The reply, and how it went: answered, refused, unavailable or failed; never raises."""
        with command_prefix(deps.settings.command_prefix):
            return self._answer(body, deps, client)

    def _answer(
        self, body: Mapping[str, Any], deps: BotDeps, client: WebClient
    ) -> tuple[Reply | None, str]:
        command = self.command(deps.settings)
        raw = str(body.get("text") or "")
        sub: _Sub | None = None
        try:
            refuse_too_long(raw)
            routed = self._route(command, raw)
            if isinstance(routed, Reply):
                return routed, "answered"
            handler, sub, rest = routed
            args = parse_command_text(rest)
            if sub is not None:
                _refuse_what_is_not_taken(args, sub, command)
            context = CommandContext(
                actor=_command_actor(body),
                command=command,
                subcommand=(sub.word or None) if sub else None,
                args=args,
                raw_text=raw,
                deps=deps,
                client=client,
                trigger_id=body.get("trigger_id"),
            )
            return handler(context), "answered"
        except Unavailable:
            DATABASE_UNAVAILABLE.labels("command").inc()
            return Reply(text=UNAVAILABLE_TEXT), "unavailable"
        except TooLong as exc:
            return error_reply(exc.message, hint=exc.hint, given_back=exc.text), "refused"
        except DomainError as exc:
            forms = (sub.usage or self.usage) if sub else self.usage
            typed = exc.typed if isinstance(exc, TextTooLong) else None
            reply = error_reply(
                exc.message, hint=exc.hint, concept=self.name, usage=forms, given_back=typed
            )
            return reply, "refused"
        except Exception as exc:
            log_failure(f"{command} {sub.word if sub else ''}".strip(), exc)
            return Reply(text=SORRY_TEXT), "failed"

    def _route(self, command: str, raw: str) -> Reply | tuple[Handler, _Sub | None, str]:
        text = raw.strip()
        if not text:
            if self.default is not None:
                return self.default, None, ""
            return help_reply(self.name, self.usage, self.summary)
        first, *more = text.split(maxsplit=1)
        rest = more[0] if more else ""
        word = first.lower()
        if word in HELP_WORDS:
            return help_reply(self.name, self.usage, self.summary)
        if word in self._subs:
            return self._subs[word].handler, self._subs[word], rest
        candidates = [*self._subs, HELP_WORDS[0]]
        near = difflib.get_close_matches(word, candidates, n=1, cutoff=TYPO_CUTOFF)
        # A fallback takes free text, so only a lone near-miss word counts as a typo there.
        if self.fallback is not None and not (near and not rest):
            return self.fallback.handler, self.fallback, text
        shown = first if len(first) <= 40 else first[:39] + "…"
        if near:
            sub = self._subs.get(near[0])
            return error_reply(
                f"`{shown}` isn't something `{command}` does. Did you mean `{near[0]}`?",
                concept=self.name,
                usage=sub.usage if sub else self.usage,
            )
        return error_reply(
            f"`{shown}` isn't something `{command}` does. It takes:",
            concept=self.name,
            usage=self.usage,
        )

    def _usage_starting(self, word: str) -> tuple[Usage, ...]:
        return tuple(u for u in self.usage if _form(u)[0].split(" ", 1)[0].lower() == word.lower())


def run_after(work: Callable[[], Reply | None], where: str) -> Reply | None:
    """Run a reply's `after` work; a failure is logged and still told to the user."""
    try:
        return work()
    except Exception as exc:
        log_failure(where, exc)
        return Reply(text="Sorry — something went wrong on our side finishing that.")


def _refuse_what_is_not_taken(args: ParsedText, sub: _Sub, command: str) -> None:
    """Refuse the first token beyond what the form takes, naming it."""
    form = f"{command} {sub.word}".strip()
    takes = sub.takes
    counts = {"word": takes.words, "quoted": takes.quoted, "user": takes.users}
    counts |= {"channel": takes.channels, "special": 0, "option": MANY}
    seen: dict[str, int] = {}
    for token in args.tokens:
        seen[token.kind] = seen.get(token.kind, 0) + 1
        if seen[token.kind] <= counts[token.kind]:
            continue
        if token.kind == "user":
            raise Invalid(f"`{form}` doesn't take a mention of someone there. It takes:")
        if token.kind == "channel":
            raise Invalid(
                f"`{form}` doesn't take a channel; it answers in the channel you type it in. "
                "It takes:"
            )
        shown = token.value if len(token.value) <= 40 else token.value[:39] + "…"
        if token.kind == "special":
            raise Invalid(f"`{shown}` can't be used in `{form}`: govbot never pings. It takes:")
        if token.kind == "word" and takes.guess_option:
            guess = f"{takes.guess_option}:{shown}"
            raise Invalid(f"`{shown}` isn't something `{form}` takes. Did you mean `{guess}`?")
        shown = f"“{shown}”" if token.kind == "quoted" else f"`{shown}`"
        raise Invalid(f"{shown} isn't something `{form}` takes. It takes:")


def _command_actor(body: Mapping[str, Any]) -> Actor:
    return Actor(
        team_id=str(body.get("team_id", "")),
        user_id=str(body.get("user_id", "")),
        channel_id=str(body.get("channel_id", "")),
    )


def log_failure(where: str, exc: BaseException) -> None:
    """Log an unexpected failure with its stack but not its message.

    The exception's message may quote what the user typed; its type, its stack and a Slack
    error code do not.
    """
    kind = type(exc).__name__
    if isinstance(exc, SlackApiError):
        kind += f" ({exc.response.get('error')})"
    stack = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("%s failed with %s\n%s", where, kind, stack)


def deliver(
    reply: Reply | None,
    *,
    body: Mapping[str, Any],
    client: WebClient,
    actor: Actor,
    form_key: bytes,
    respond: Respond | None = None,
) -> None:
    """Send `reply` the best way the request allows; a failure to send is logged.

    A form is opened with its context sealed with `form_key` (bot/form_seal.py).
    """
    if reply is None:
        return
    try:
        if reply.view is not None:
            _open_view(
                reply, body=body, client=client, actor=actor, form_key=form_key, respond=respond
            )
        elif respond is not None and body.get("response_url"):
            response_type = "in_channel" if reply.in_channel else "ephemeral"
            try:
                sent = respond(
                    **reply.message(),
                    response_type=response_type,
                    replace_original=reply.replace_original,
                )
                refused = f"HTTP {sent.status_code}" if sent.status_code >= 400 else None
            except OSError as exc:  # refused, unreachable or timed out
                refused = type(exc).__name__
            if refused is not None:
                # The response URL lost the reply (rate limited, failing or unreachable):
                # send it through the Web API, whose client retries, rather than drop it.
                logger.warning("response URL refused a reply (%s); posting it instead", refused)
                post(reply, client=client, actor=actor)
        else:
            post(reply, client=client, actor=actor)
    except Exception as exc:
        log_failure("sending a reply", exc)


def _open_view(
    reply: Reply,
    *,
    body: Mapping[str, Any],
    client: WebClient,
    actor: Actor,
    form_key: bytes,
    respond: Respond | None,
) -> None:
    assert reply.view is not None
    try:
        client.views_open(
            trigger_id=body.get("trigger_id"), view=seal_view(reply.view, form_key, actor)
        )
    except (SlackClientError, OSError) as exc:  # refused, failing, unreachable, slow
        log_failure("views.open", exc)
        deliver(
            Reply(text="Sorry — the form didn't open in time. Please try again."),
            body=body,
            client=client,
            actor=actor,
            form_key=form_key,
            respond=respond,
        )


def post(reply: Reply, *, client: WebClient, actor: Actor) -> None:
    """Post without a response URL: in the channel, ephemerally there, or by DM.

    An ephemeral post fails in a channel the bot is not in; the person then gets a DM.
    """
    if actor.channel_id and reply.in_channel:
        client.chat_postMessage(channel=actor.channel_id, **reply.message())
        return
    if actor.channel_id:
        try:
            client.chat_postEphemeral(
                channel=actor.channel_id, user=actor.user_id, **reply.message()
            )
            return
        except SlackApiError:
            pass
    client.chat_postMessage(channel=actor.user_id, **reply.message())
