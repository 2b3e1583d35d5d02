"""The `govbot` command line (DESIGN.md, CLI)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.console import run_console
from bot.http_server import serve_http
from bot.jobs import run_once
from bot.manifest import build_manifest, manifest_yaml
from bot.scheduler import serve_scheduler
from bot.settings import Settings, SettingsError, load_settings
from bot.slack_client import configure_logging
from bot.socket_mode import serve_socket
from governance.database import make_engine
from governance.schema import SchemaNotReady, upgrade

Handler = Callable[[argparse.Namespace, Settings], int]


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    print(f"Database is up to date: {engine.url.render_as_string(hide_password=True)}")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    configure_logging(settings)
    if args.socket:
        serve_socket(settings)
    else:
        serve_http(settings, host=args.host, port=args.port)
    return 0


def _manifest(args: argparse.Namespace, settings: Settings) -> int:
    manifest = build_manifest(
        url=args.url, command_prefix=settings.command_prefix, socket_mode=args.socket
    )
    print(manifest_yaml(manifest), end="")
    return 0


def _console(args: argparse.Namespace, settings: Settings) -> int:
    return run_console(settings, demo=args.demo, user=args.user, channel=args.channel)


def _jobs_run(args: argparse.Namespace, settings: Settings) -> int:
    report = run_once(settings, args.job, args.at)
    print(report.summary())
    for recipient, error in report.failed:
        print(
            f"govbot: sending to {recipient} failed, the next run retries: {error}", file=sys.stderr
        )
    return 1 if report.failed else 0


def _scheduler(args: argparse.Namespace, settings: Settings) -> int:
    serve_scheduler(settings)
    return 0


def _instant(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            "give a moment in ISO 8601, e.g. 2026-11-23T09:00+00:00"
        ) from None


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

    console = verbs.add_parser("console", help="local workspace in the terminal (no Slack)")
    console.add_argument("--demo", action="store_true", help="start with a fictional ICS plan")
    console.add_argument("--as", dest="user", metavar="USER", help="act as @USER (default @you)")
    console.add_argument("--in", dest="channel", metavar="CHANNEL", help="type in #CHANNEL")
    console.set_defaults(handler=_console)

    jobs = verbs.add_parser("jobs", help="scheduled work")
    jobs_verbs = jobs.add_subparsers(dest="jobs_verb", required=True, metavar="VERB")
    run = jobs_verbs.add_parser("run", help="run one pass of a job now, or as if at --at")
    run.add_argument("job", choices=("nudges", "digest", "risk-review"))
    run.add_argument(
        "--at", type=_instant, help="ISO 8601 moment; without an offset, in GOVBOT_TIMEZONE"
    )
    run.set_defaults(handler=_jobs_run)
    verbs.add_parser("scheduler", help="run only the scheduled jobs").set_defaults(
        handler=_scheduler
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        handler: Handler = args.handler
        return handler(args, settings)
    except (SettingsError, SchemaNotReady) as exc:
        print(f"govbot: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
