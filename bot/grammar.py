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

Dates typed with spaces need no quotes after a date-valued key (`due:31 Mar`,
`review:end of March`, `away:next friday`): the words that follow are part of the value for
as long as they make a date (at most `MAX_DATE_WORDS` of them).

Text longer than `MAX_COMMAND_TEXT` is refused before any of it is read (`TooLong`, which
carries the text so the reply can give it back). Reading is linear in the text's length.

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
from typing import Literal, NamedTuple

from governance.errors import Invalid
from governance.parsing.dates import MAX_DATE_WORDS, is_date

TokenKind = Literal["word", "quoted", "option", "user", "channel", "special"]

QUOTE_HINT = 'Put text with spaces in "double quotes", like "Recruit 20 nurses".'
SHARE_HINT = 'Write it like share:"Org A"=60,"Org B"=40.'
# Room for the longest text any field takes (feedback's 3,000 characters) and its options,
# so an over-long field is refused by name with its text given back; far more than any
# other command needs, and small enough that reading it costs a few milliseconds.
MAX_COMMAND_TEXT = 6000
# Options whose value is a date, so may run over several words (`due:31 Mar`).
DATE_KEYS = frozenset({"due", "review", "away", "until"})

_DOUBLE_QUOTES = '"“”„'
_SINGLE_QUOTES = "'‘’"
_QUOTES = _DOUBLE_QUOTES + _SINGLE_QUOTES
_KEY = re.compile(r"([A-Za-z][A-Za-z-]*):")
_SPACE = re.compile(r"\s*")
_WORD_END = re.compile(r"\S*")
_WORD_RUN = re.compile(r"[^\s<]+")
# The common tokens, read in one step each: the rules below give the same result for them.
_PLAIN_TOKEN = re.compile(
    r"\s*(?:"
    r'"(?P<quoted>[^"“”„<&]*)"(?=\s|\Z)'
    r"|(?P<key>[A-Za-z][A-Za-z-]*):(?!//)(?P<value>[^\s<&\"“”„'‘’,=]+)(?=\s|\Z)"
    r"|(?P<word>[^\s<&\"“”„'‘’:]+)(?=\s|\Z)"
    r"|\Z)"
)
_QUOTE_OF = {family: re.compile(f"[{family}]") for family in (_DOUBLE_QUOTES, _SINGLE_QUOTES)}
# Stretches of an option value or share with nothing the readers below must look at: inside
# an item a quote is a plain letter; at its start it opens a quoted part.
_VALUE_RUN = re.compile(r"[^\s,=]+")
_VALUE_START_RUN = re.compile(f"[^\\s,={_QUOTES}]+")
_SHARE_RUN = re.compile(r"[^,]+")
_ESCAPE_OR_MARKUP = re.compile(r"<([^<>]*)>|&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_USER = re.compile(r"@([UW][A-Z0-9]+)(?:\|(.*))?", re.DOTALL)
_CHANNEL = re.compile(r"#([CG][A-Z0-9]+)(?:\|(.*))?", re.DOTALL)
_SUBTEAM = re.compile(r"!subteam\^([A-Z0-9]+)(?:\|(.*))?", re.DOTALL)
_DATE = re.compile(r"!date\^[^|]*\|(.*)", re.DOTALL)
_OTHER_PING = re.compile(r"!([^|^]*)", re.DOTALL)
# Words that start a date of several words, so a date key's value may not stop at them.
_DATE_LEADS = frozenset({"next", "this", "end", "w/c", "wc", "in", "week", "the"})


class UnclosedQuote(Invalid):
    """A quoted string in a command has no closing quote."""


class TooLong(Invalid):
    """The command's text is over the cap; `text` is what was typed, to give back."""

    def __init__(self, text: str, limit: int = MAX_COMMAND_TEXT) -> None:
        super().__init__(
            f"That is {len(text):,} characters; a command can be at most "
            f"{limit:,}, so I haven't read it.",
            hint="Here is what you typed, so nothing is lost. Shorten it and send it again.",
        )
        self.text = text


class Token(NamedTuple):
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


def parse_command_text(text: str, *, limit: int | None = MAX_COMMAND_TEXT) -> ParsedText:
    """Split a slash command's text; raises TooLong, UnclosedQuote or Invalid, nothing else.

    `limit=None` reads text of any length (the parse benchmark measures the reader so).
    """
    if limit is not None:
        refuse_too_long(text, limit)
    return _Lexer(text).run()


def refuse_too_long(text: str, limit: int = MAX_COMMAND_TEXT) -> None:
    """Raise TooLong, before any reading, for text over `limit` characters."""
    if len(text) > limit:
        raise TooLong(text, limit)


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


def parse_list(value: str) -> list[str]:
    """Read a list option such as `M-2,R-1` or `A-3, "Devon County Council"`: the items,
    each unquoted, in the order typed."""
    shown = " ".join(value.split())
    return [_unquote(item) for item in _split_share_items(value, shown)]


def _family(quote: str) -> str:
    return _DOUBLE_QUOTES if quote in _DOUBLE_QUOTES else _SINGLE_QUOTES


def _closing_quote(text: str, start: int) -> int:
    """Index of the quote closing the one at `start`, or -1."""
    quote = _QUOTE_OF[_family(text[start])]
    position = start + 1
    while match := quote.search(text, position):
        index = match.start()
        if index + 1 == len(text) or not text[index + 1].isalnum():
            return index
        position = index + 1
    return -1


def _given_twice(key: str) -> Invalid:
    return Invalid(f"{key}: is given twice.", hint="Give each option once.")


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
        if not current:
            # At an item's start (its leading spaces are not kept) a quote opens a name.
            index = _SPACE.match(value, index).end()  # type: ignore[union-attr]
            if index < len(value) and value[index] in _QUOTES:
                end = _closing_quote(value, index)
                if end == -1:
                    raise _unclosed()
                current.append(value[index : end + 1])
                index = end + 1
                continue
        if run := _SHARE_RUN.match(value, index):
            current.append(run[0])
            index = run.end()
        elif index < len(value):  # a comma
            items.append("".join(current))
            current = []
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
        self.keys: set[str] = set()

    def run(self) -> ParsedText:
        text = self.text
        position = 0
        tokens, keys, length, plain_token = self.tokens, self.keys, len(text), _PLAIN_TOKEN.match
        while position < length:
            if plain := plain_token(text, position):
                kind = plain.lastgroup
                position = plain.end()
                if kind == "quoted":
                    tokens.append(Token("quoted", plain[kind]))
                elif kind == "word":
                    tokens.append(Token("word", plain[kind]))
                elif kind == "value":
                    key, value = plain["key"].lower(), plain[kind]
                    if key in DATE_KEYS:
                        value, position = self._date_value(key, value, position)
                    if key in keys:
                        raise _given_twice(key)
                    keys.add(key)
                    tokens.append(Token("option", value, key))
                continue
            char = text[position]
            if char.isspace():
                position = self._skip_space(position)
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
            run = _WORD_RUN.match(text, end)
            end = run.end() if run else end + 1
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
            value, end, quoted = self._option_value(position)
            if key in DATE_KEYS and not quoted:
                value, end = self._date_value(key, value, end)
        self._add_option(key, value)
        return end

    def _add_option(self, key: str, value: str) -> None:
        if key in self.keys:
            raise _given_twice(key)
        self.keys.add(key)
        self.tokens.append(Token("option", value, key=key))

    def _date_value(self, key: str, value: str, end: int) -> tuple[str, int]:
        """`value` with the plain words after it that make it a date (`due:31 Mar`)."""
        words: list[tuple[str, int]] = []
        position = end
        while len(words) < MAX_DATE_WORDS - 1:
            start = self._skip_space(position)
            if start == position or start == len(self.text) or not self._plain_word_at(start):
                break
            position = _WORD_END.match(self.text, start).end()  # type: ignore[union-attr]
            words.append((self.text[start:position], position))
        for count in range(len(words), 0, -1):
            candidate = " ".join([value, *(word for word, _ in words[:count])])
            if is_date(candidate):
                return candidate, words[count - 1][1]
        if words and not is_date(value) and (value[:1].isdigit() or value.lower() in _DATE_LEADS):
            typed = f"{value} {words[0][0]}"
            raise Invalid(
                f"I couldn't read “{typed}” as a date for `{key}:`.",
                hint=f'Write it like {key}:31 Mar, {key}:"next friday" or {key}:2027-03-31.',
            )
        return value, end

    def _plain_word_at(self, position: int) -> bool:
        """Whether a plain word (no option, quote or Slack escape) starts at `position`."""
        char = self.text[position]
        return not (char in _QUOTES or char in "<&" or _KEY.match(self.text, position) is not None)

    def _option_value(self, position: int) -> tuple[str, int, bool]:
        """A value runs to the next space, with quoted parts (`"Org A"=60,"Org B"=40`).

        Also says whether the whole value was one quoted string.
        """
        text = self.text
        raw: list[str] = []
        at_item_start = True
        has_share = False  # whether an `=` has been seen, making the value a share list
        whole_quoted = False  # whether `raw` is so far one quoted string
        while position < len(text):
            if run := (_VALUE_START_RUN if at_item_start else _VALUE_RUN).match(text, position):
                raw.append(run[0])
                at_item_start = whole_quoted = False
                position = run.end()
                continue
            char = text[position]
            if char.isspace():
                after = self._skip_space(position)
                if raw and raw[-1] == "," and has_share and self._list_goes_on(after):
                    position = after
                    at_item_start = True
                    continue
                break
            if char in _QUOTES and at_item_start:
                end = _closing_quote(text, position)
                if end == -1:
                    raise _unclosed()
                whole_quoted = not raw
                raw.append(text[position : end + 1])
                position = end + 1
                at_item_start = False
                continue
            raw.append(char)
            whole_quoted = False
            at_item_start = char in ",="
            has_share = has_share or char == "="
            position += 1
        if whole_quoted:
            return self._plain(raw[0][1:-1]), position, True
        return self._plain("".join(raw)), position, False

    def _skip_space(self, position: int) -> int:
        match = _SPACE.match(self.text, position)
        return match.end() if match else position

    def _list_goes_on(self, after: int) -> bool:
        """Whether `, ` inside a share list continues it (`A=60, B=40`) rather than ending it."""
        if after >= len(self.text):
            return False
        return not _KEY.match(self.text, after) and self.text[after] != "<"

    def _plain(self, raw: str) -> str:
        if "<" not in raw and "&" not in raw:
            return raw

        def replace(match: re.Match[str]) -> str:
            if match[2] is not None:
                return _ENTITIES[match[2]]
            markup = _classify(match[1])
            if markup.kind == "special":
                self.special_mentions.append(markup.plain)
            return markup.plain

        return _ESCAPE_OR_MARKUP.sub(replace, raw)

    def _result(self) -> ParsedText:
        by_kind: dict[str, list[str]] = {"word": [], "quoted": [], "user": [], "channel": []}
        options: dict[str, str] = {}
        for kind, value, key in self.tokens:
            if key is not None:
                options[key] = value
            elif kind in by_kind:
                by_kind[kind].append(value)
        return ParsedText(
            tokens=list(self.tokens),
            words=by_kind["word"],
            quoted=by_kind["quoted"],
            options=options,
            users=by_kind["user"],
            channels=by_kind["channel"],
            special_mentions=list(self.special_mentions),
        )
