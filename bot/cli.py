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


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    if args.socket:
        from bot.socket_mode import serve_socket

        serve_socket(settings)
    else:
        from bot.http_server import serve_http

        serve_http(settings, host=args.host, port=args.port)
    return 0


def _manifest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.manifest import build_manifest, manifest_yaml

    manifest = build_manifest(
        url=args.url, command_prefix=settings.command_prefix, socket_mode=args.socket
    )
    print(manifest_yaml(manifest), end="")
    return 0


def _base_url(value: str) -> str:
    if not value.startswith(("https://", "http://")) or " " in value:
        raise argparse.ArgumentTypeError(
            "give the public base URL, e.g. https://govbot.example.org"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govbot", description="Slack bot for an ICS integrated workforce plan."
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    db = verbs.add_parser("db", help="database schema")
    db_verbs = db.add_subparsers(dest="db_verb", required=True, metavar="VERB")
    db_verbs.add_parser("upgrade", help="alembic upgrade head").set_defaults(handler=_db_upgrade)

    serve = verbs.add_parser("serve", help="run the bot")
    mode = serve.add_mutually_exclusive_group(required=True)
    mode.add_argument("--http", action="store_true", help="POST /slack/events, GET /healthz")
    mode.add_argument("--socket", action="store_true", help="Socket Mode (needs SLACK_APP_TOKEN)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (--http)")
    serve.add_argument("--port", type=int, default=3000, help="port to listen on (--http)")
    serve.set_defaults(handler=_serve)

    manifest = verbs.add_parser("manifest", help="print the Slack app manifest")
    manifest.add_argument("--url", type=_base_url, help="public base URL, e.g. https://host")
    manifest.add_argument("--socket", action="store_true", help="for Socket Mode: no URLs")
    manifest.set_defaults(handler=_manifest)
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
