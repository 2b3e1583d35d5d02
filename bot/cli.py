"""The `govbot` command line (DESIGN.md, CLI)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from bot.settings import Settings, SettingsError, load_settings

Handler = Callable[[argparse.Namespace, Settings], int]


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from governance.database import make_engine
    from governance.schema import upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    print(f"Database is up to date: {engine.url.render_as_string(hide_password=True)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govbot", description="Slack bot for an ICS integrated workforce plan."
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    db = verbs.add_parser("db", help="database schema")
    db_verbs = db.add_subparsers(dest="db_verb", required=True, metavar="VERB")
    db_verbs.add_parser("upgrade", help="alembic upgrade head").set_defaults(handler=_db_upgrade)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        handler: Handler = args.handler
        return handler(args, settings)
    except SettingsError as exc:
        print(f"govbot: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
