"""Slash-command text as Slack sends it, split into words, quoted strings, options and mentions.

What Slack sends: mentions escaped as `<@U123>` or `<@U123|bob>`, channels as `<#C123|name>`,
`<!here>`/`<!channel>`/`<!everyone>` and `<!subteam^S1|@team>` for pings, links as
`<https://…|label>`, and the user's own `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;`. Text from the
console carries none of that and reads the same way.

What comes out is plain text for storage: escapes are undone, and inside quoted strings and
option values every Slack escape becomes readable text (`@bob`, `#general`, `@here`, a link's
label). Pings (`@here`, `@channel`, `@everyone`, user groups) are never kept as markup, and
every one seen is listed in `special_mentions` so callers can warn instead of re-emitting them.
A renderer must still escape `&`, `<`, `>` in stored text: a user may type `<!here>` literally.

Quoting: "…", “…”, '…' and ‘…’ (iOS and macOS autocorrect) all work. A quote opens only at the
start of a token (or of an option value or a share item), so apostrophes inside words
(`don't`, `St John’s`) are plain letters; a quote closes only where it is not followed by a
letter or digit, so `'St John's Hospital'` is one string.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from governance.errors import Invalid

TokenKind = Literal["word", "quoted", "option", "user", "channel", "special"]

QUOTE_HINT = 'Put text with spaces in "double quotes", like "Recruit 20 nurses".'
SHARE_HINT = 'Write it like share:"Org A"=60,"Org B"=40.'

_DOUBLE_QUOTES = '"“”„'
_SINGLE_QUOTES = "'‘’"
_QUOTES = _DOUBLE_QUOTES + _SINGLE_QUOTES
_KEY = re.compile(r"([A-Za-z][A-Za-z-]*):")
_ESCAPE_OR_MARKUP = re.compile(r"<([^<>]*)>|&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_USER = re.compile(r"@([UW][A-Z0-9]+)(?:\|(.*))?", re.DOTALL)
_CHANNEL = re.compile(r"#([CG][A-Z0-9]+)(?:\|(.*))?", re.DOTALL)
_SUBTEAM = re.compile(r"!subteam\^([A-Z0-9]+)(?:\|(.*))?", re.DOTALL)
_DATE = re.compile(r"!date\^[^|]*\|(.*)", re.DOTALL)
_OTHER_PING = re.compile(r"!([^|^]*)", re.DOTALL)


class UnclosedQuote(Invalid):
    """A quoted string in a command has no closing quote."""


@dataclass(frozen=True)
class Token:
    """One piece of the command, in the order typed; `key` is set for options only.

    `value` is plain text, except for `user` and `channel` tokens (and option values that were
    a mention), where it is the Slack id (`U123`, `C123`).
    """

    kind: TokenKind
    value: str
    key: str | None = None


@dataclass(frozen=True)
class ParsedText:
    """The command text sorted by kind; `tokens` keeps the order for callers that need it.

    Bare words that look like flags (`mine`, `anonymous`, `post`) are just words: what they
    mean is the caller's business.
    """

    tokens: list[Token]
    words: list[str]
    quoted: list[str]
    options: dict[str, str]
    users: list[str]
    channels: list[str]
    special_mentions: list[str]


@dataclass(frozen=True)
class _Markup:
    kind: TokenKind
    value: str  # the Slack id for users and channels, else readable text
    plain: str  # how it reads inside free text


def parse_command_text(text: str) -> ParsedText:
    """Split a slash command's text; raises UnclosedQuote or Invalid, never anything else."""
    return _Lexer(text).run()


def refuse_unknown_options(args: ParsedText, allowed: Iterable[str]) -> None:
    """Refuse an option the form does not take, so a typo is never silently ignored."""
    allowed = tuple(allowed)
    for key in args.options:
        if key not in allowed:
            near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            guess = f" Did you mean `{near[0]}:`?" if near else ""
            takes = ", ".join(f"`{name}:`" for name in allowed) or "no options"
            raise Invalid(f"`{key}:` isn't an option here.{guess} This takes {takes}.")


def parse_share(value: str) -> list[tuple[str, int]]:
    """Read a risk share such as `"Org A"=60,"Org B"=40` or `NHSDevon=60, DevonCC=40`.

    Only the form is checked here; that the shares add up to 100 is the domain's rule.
    """
    shown = " ".join(value.split())
    shown = shown if len(shown) <= 60 else shown[:59] + "…"
    shares: list[tuple[str, int]] = []
    for item in _split_share_items(value, shown):
        name_part, equals, number = item.rpartition("=")
        name = _unquote(name_part.strip())
        number = number.strip().removesuffix("%").strip()
        if not equals or not name:
            raise Invalid(
                f"I couldn't read the risk share “{shown}”: each partner needs a share, "
                "like NHSDevon=60.",
                hint=SHARE_HINT,
            )
        if not (number.isascii() and number.isdigit() and len(number) <= 3):
            raise Invalid(
                f"I couldn't read the risk share “{shown}”: {name}'s share must be a whole "
                "percentage.",
                hint=SHARE_HINT,
            )
        shares.append((name, int(number)))
    if not shares:
        raise Invalid("The risk share is empty.", hint=SHARE_HINT)
    return shares


def _family(quote: str) -> str:
    return _DOUBLE_QUOTES if quote in _DOUBLE_QUOTES else _SINGLE_QUOTES


def _closing_quote(text: str, start: int) -> int:
    """Index of the quote closing the one at `start`, or -1."""
    family = _family(text[start])
    for index in range(start + 1, len(text)):
        if text[index] in family and (index + 1 == len(text) or not text[index + 1].isalnum()):
            return index
    return -1


def _unclosed() -> UnclosedQuote:
    # The text is not repeated: it may hold something that must not reach the logs.
    return UnclosedQuote(
        "A quote is not closed: every opening quote needs a closing one.", hint=QUOTE_HINT
    )


def _split_share_items(value: str, shown: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char in _QUOTES and not "".join(current).strip():
            end = _closing_quote(value, index)
            if end == -1:
                raise _unclosed()
            current.append(value[index : end + 1])
            index = end + 1
            continue
        if char == ",":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def _unquote(name: str) -> str:
    if len(name) >= 2 and name[0] in _QUOTES and name[-1] in _family(name[0]):
        return name[1:-1].strip()
    return name


def _classify(inner: str) -> _Markup:
    """What one `<…>` escape from Slack stands for."""
    if match := _USER.fullmatch(inner):
        return _Markup("user", match[1], "@" + (match[2] or match[1]))
    if match := _CHANNEL.fullmatch(inner):
        return _Markup("channel", match[1], "#" + (match[2] or match[1]))
    if match := _SUBTEAM.fullmatch(inner):
        label = match[2] or "@" + match[1]
        return _Markup("special", label, label)
    if match := _DATE.fullmatch(inner):
        return _Markup("word", match[1], match[1])
    if match := _OTHER_PING.match(inner):
        literal = "@" + match[1]
        return _Markup("special", literal, literal)
    url, _, label = inner.partition("|")
    readable = label or url
    return _Markup("word", readable, readable)


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = []
        self.special_mentions: list[str] = []

    def run(self) -> ParsedText:
        text = self.text
        position = 0
        while position < len(text):
            char = text[position]
            if char.isspace():
                position += 1
            elif (end := self._markup_end(position)) != -1:
                self._emit_markup(_classify(text[position + 1 : end - 1]))
                # "<@U1>, <@U2>": a comma right after a mention only separates.
                position = end + 1 if text.startswith(",", end) else end
            elif char in _QUOTES:
                end = _closing_quote(text, position)
                if end == -1:
                    raise _unclosed()
                self.tokens.append(Token("quoted", self._plain(text[position + 1 : end])))
                position = end + 1
            elif (key := _KEY.match(text, position)) and not text.startswith("//", key.end()):
                position = self._option(key[1].lower(), key.end())
            else:
                position = self._word(position)
        return self._result()

    def _markup_end(self, position: int) -> int:
        """The index after the `>` of a Slack escape starting at `position`, or -1."""
        if self.text[position] != "<":
            return -1
        match = _ESCAPE_OR_MARKUP.match(self.text, position)
        return match.end() if match and match[1] is not None else -1

    def _emit_markup(self, markup: _Markup) -> None:
        if markup.kind == "special":
            self.special_mentions.append(markup.value)
        self.tokens.append(Token(markup.kind, markup.value))

    def _word(self, position: int) -> int:
        text = self.text
        end = position + 1
        while end < len(text) and not text[end].isspace() and self._markup_end(end) == -1:
            end += 1
        self.tokens.append(Token("word", self._plain(text[position:end])))
        return end

    def _option(self, key: str, position: int) -> int:
        text = self.text
        # "status: amber" is forgiven; "mine: owner:<@U1>" leaves the value empty.
        after = self._skip_space(position)
        if after > position and after < len(text) and not _KEY.match(text, after):
            position = after
        end = self._markup_end(position) if position < len(text) else -1
        if end != -1 and (end == len(text) or text[end].isspace()):
            markup = _classify(text[position + 1 : end - 1])
            if markup.kind == "special":
                self.special_mentions.append(markup.value)
            value = markup.value
        else:
            value, end = self._option_value(position)
        if any(token.key == key for token in self.tokens):
            raise Invalid(f"{key}: is given twice.", hint="Give each option once.")
        self.tokens.append(Token("option", value, key=key))
        return end

    def _option_value(self, position: int) -> tuple[str, int]:
        """A value runs to the next space, with quoted parts (`"Org A"=60,"Org B"=40`)."""
        text = self.text
        raw: list[str] = []
        at_item_start = True
        while position < len(text):
            char = text[position]
            if char.isspace():
                after = self._skip_space(position)
                if raw and raw[-1] == "," and self._list_goes_on(raw, after):
                    position = after
                    at_item_start = True
                    continue
                break
            if char in _QUOTES and at_item_start:
                end = _closing_quote(text, position)
                if end == -1:
                    raise _unclosed()
                raw.append(text[position : end + 1])
                position = end + 1
                at_item_start = False
                continue
            raw.append(char)
            at_item_start = char in ",="
            position += 1
        if len(raw) == 1 and len(raw[0]) > 1:
            # The whole value is one quoted string (a plain char is never longer than 1).
            return self._plain(raw[0][1:-1]), position
        return self._plain("".join(raw)), position

    def _skip_space(self, position: int) -> int:
        while position < len(self.text) and self.text[position].isspace():
            position += 1
        return position

    def _list_goes_on(self, raw: list[str], after: int) -> bool:
        """Whether `, ` inside a share list continues it (`A=60, B=40`) rather than ending it."""
        if after >= len(self.text) or "=" not in "".join(raw):
            return False
        return not _KEY.match(self.text, after) and self.text[after] != "<"

    def _plain(self, raw: str) -> str:
        def replace(match: re.Match[str]) -> str:
            if match[2] is not None:
                return _ENTITIES[match[2]]
            markup = _classify(match[1])
            if markup.kind == "special":
                self.special_mentions.append(markup.plain)
            return markup.plain

        return _ESCAPE_OR_MARKUP.sub(replace, raw)

    def _result(self) -> ParsedText:
        def values(kind: TokenKind) -> list[str]:
            return [token.value for token in self.tokens if token.kind == kind]

        return ParsedText(
            tokens=list(self.tokens),
            words=values("word"),
            quoted=values("quoted"),
            options={t.key: t.value for t in self.tokens if t.kind == "option" and t.key},
            users=values("user"),
            channels=values("channel"),
            special_mentions=list(self.special_mentions),
        )
