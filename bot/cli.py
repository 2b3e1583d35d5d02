"""The `govbot` command line (DESIGN.md, CLI)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bot.backup import BackupError, backup_sqlite
from bot.console import run_console
from bot.console.terminal_render import Directory, TerminalRenderer
from bot.http_server import serve_http
from bot.import_owners import SlackOwners
from bot.imports import NOTES_SHOWN, preview_file
from bot.installations import new_token_key
from bot.jobs import run_once, run_retention, unit_of_work_at
from bot.manifest import build_manifest, manifest_yaml
from bot.rendering import hint_text, render
from bot.scheduler import serve_scheduler
from bot.settings import Settings, SettingsError, load_settings
from bot.slack_client import configure_logging, make_web_client
from bot.socket_mode import serve_socket
from documents.board_paper import board_paper_pdf
from governance.board_papers.use_cases import board_paper_of
from governance.database import make_engine
from governance.errors import DomainError
from governance.imports.inputs import ImportFile, ImportRef
from governance.imports.table import MAX_BYTES, too_big
from governance.imports.use_cases import apply_import, plan_lead, plan_people
from governance.inputs import validate
from governance.people.use_cases import check_user_id, erase_person, export_person
from governance.schema import SchemaNotReady, upgrade

Handler = Callable[[argparse.Namespace, Settings], int]

MEMBER_ID_HELP = "their Slack member id (in their profile: ⋮ → Copy member ID)"


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    print(f"Database is up to date: {engine.url.render_as_string(hide_password=True)}")
    return 0


def _db_backup(args: argparse.Namespace, settings: Settings) -> int:
    try:
        size = backup_sqlite(settings.database_url, args.file)
    except (BackupError, OSError) as exc:
        print(f"govbot: no backup made: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up the database to {args.file} ({size:,} bytes)")
    return 0


def _people_export(args: argparse.Namespace, settings: Settings) -> int:
    try:
        with unit_of_work_at(settings, None) as uow:
            held = export_person(uow, args.user)
    except DomainError as exc:
        return _refused(exc)
    text = json.dumps(held, indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    # Personal data: readable by whoever runs govbot only.
    descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as output:
        output.write(text)
    count = sum(len(rows) for rows in held["records"].values())
    print(f"Wrote {count} records naming {args.user} to {args.output}")
    return 0


def _people_erase(args: argparse.Namespace, settings: Settings) -> int:
    try:
        check_user_id(args.user)
        if not args.yes and not _confirmed(
            f"Replace {args.user} everywhere, the audit log included, with a pseudonym? "
            "This cannot be undone. Type yes to go on: "
        ):
            print("Nothing was changed.", file=sys.stderr)
            return 1
        with unit_of_work_at(settings, None) as uow:
            erasure = erase_person(uow, args.user)
    except DomainError as exc:
        return _refused(exc)
    rows = ", ".join(f"{table} {count}" for table, count in erasure.rows.items())
    print(f"{args.user} is now “{erasure.pseudonym}” everywhere. Rows changed: {rows}.")
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.file
    try:
        if path.stat().st_size > MAX_BYTES:
            raise too_big(path.stat().st_size)
        content = path.read_bytes()
    except OSError as exc:
        print(f"govbot: can't read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    except DomainError as exc:
        return _refused(exc)
    client = make_web_client(settings) if settings.slack_bot_token else None
    renderer = TerminalRenderer(Directory(users={}, channels={}))
    try:
        with unit_of_work_at(settings, None) as uow:
            actor, plan_id = plan_lead(uow, args.plan)
            owners = SlackOwners(client, lambda: plan_people(uow, actor, plan_id))
            data = validate(
                ImportFile, plan_id=plan_id, kind=args.kind, file_name=path.name, sheet=args.sheet
            )
            preview = preview_file(uow, actor, content, data, owners.find, keep=not args.dry_run)
            shown = render(
                "import_preview.json.j2", preview=preview, shown=NOTES_SHOWN, buttons=False
            )
            print(renderer.message(shown).text)
            if args.dry_run or not preview.has_changes:
                return 0
            assert preview.ref is not None
            done = apply_import(uow, actor, validate(ImportRef, plan_id=plan_id, ref=preview.ref))
            print(renderer.message(render("import_applied.json.j2", done=done)).text)
    except DomainError as exc:
        return _refused(exc)
    return 0


def _confirmed(question: str) -> bool:
    try:
        return input(question).strip().lower() == "yes"
    except EOFError:
        return False


def _refused(exc: DomainError) -> int:
    """A refusal from the domain, on one line with its hint; exit status 1."""
    hint = f" {hint_text(exc.hint)}" if exc.hint else ""
    print(f"govbot: {exc.message}{hint}", file=sys.stderr)
    return 1


def _report(args: argparse.Namespace, settings: Settings) -> int:
    try:
        with unit_of_work_at(settings, None) as uow:
            paper = board_paper_of(uow, args.plan, args.month)
    except DomainError as exc:
        return _refused(exc)
    output: Path = args.output or Path(paper.filename)
    output.write_bytes(board_paper_pdf(paper))
    draft = " (a draft: the month has not ended)" if paper.draft else ""
    print(f"Wrote the board paper of {paper.plan_name} for {paper.period.name}{draft} to {output}")
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


def _keygen(args: argparse.Namespace, settings: Settings) -> int:
    print(new_token_key())
    return 0


def _console(args: argparse.Namespace, settings: Settings) -> int:
    return run_console(settings, demo=args.demo, user=args.user, channel=args.channel)


def _jobs_run(args: argparse.Namespace, settings: Settings) -> int:
    if args.job == "retention":
        return _jobs_run_retention(args, settings)
    report = run_once(settings, args.job, args.at)
    print(report.summary())
    for recipient, error in report.failed:
        print(
            f"govbot: sending to {recipient} failed, the next run retries: {error}", file=sys.stderr
        )
    return 1 if report.failed else 0


def _jobs_run_retention(args: argparse.Namespace, settings: Settings) -> int:
    print(run_retention(settings, args.at).summary())
    return 0


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


def _version() -> str:
    try:
        return version("govbot")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govbot", description="Slack bot for an ICS integrated workforce plan."
    )
    parser.add_argument("--version", action="version", version=f"govbot {_version()}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    db = verbs.add_parser("db", help="database schema")
    db_verbs = db.add_subparsers(dest="db_verb", required=True, metavar="VERB")
    db_verbs.add_parser("upgrade", help="alembic upgrade head").set_defaults(handler=_db_upgrade)
    backup = db_verbs.add_parser("backup", help="a consistent copy of a SQLite database, online")
    backup.add_argument("file", type=Path, metavar="FILE", help="where to write the copy (new)")
    backup.set_defaults(handler=_db_backup)

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

    verbs.add_parser(
        "keygen", help="print a new GOVBOT_TOKEN_KEY (encrypts stored bot tokens, OAuth mode)"
    ).set_defaults(handler=_keygen)

    console = verbs.add_parser("console", help="local workspace in the terminal (no Slack)")
    console.add_argument("--demo", action="store_true", help="start with a fictional ICS plan")
    console.add_argument("--as", dest="user", metavar="USER", help="act as @USER (default @you)")
    console.add_argument("--in", dest="channel", metavar="CHANNEL", help="type in #CHANNEL")
    console.set_defaults(handler=_console)

    jobs = verbs.add_parser("jobs", help="scheduled work")
    jobs_verbs = jobs.add_subparsers(dest="jobs_verb", required=True, metavar="VERB")
    run = jobs_verbs.add_parser("run", help="run one pass of a job now, or as if at --at")
    run.add_argument("job", choices=("nudges", "digest", "risk-review", "report", "retention"))
    run.add_argument(
        "--at", type=_instant, help="ISO 8601 moment; without an offset, in GOVBOT_TIMEZONE"
    )
    run.set_defaults(handler=_jobs_run)
    verbs.add_parser("scheduler", help="run only the scheduled jobs").set_defaults(
        handler=_scheduler
    )

    report = verbs.add_parser("report", help="write a board paper without Slack")
    report.add_argument("--plan", required=True, metavar='"Name"', help="the plan's name")
    report.add_argument("--month", metavar="2026-11", help="the month (default: this one)")
    report.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write it")
    report.set_defaults(handler=_report)

    people = verbs.add_parser("people", help="a person's data: subject access and erasure")
    people_verbs = people.add_subparsers(dest="people_verb", required=True, metavar="VERB")
    export = people_verbs.add_parser("export", help="everything that names a person, as JSON")
    export.add_argument("--user", required=True, metavar="U123", help=MEMBER_ID_HELP)
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    export.set_defaults(handler=_people_export)
    erase = people_verbs.add_parser("erase", help="replace a person's id with a pseudonym")
    erase.add_argument("--user", required=True, metavar="U123", help=MEMBER_ID_HELP)
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(handler=_people_erase)

    imports = verbs.add_parser(
        "import", help="import a CSV or Excel file of actions or risks, as /plan import does"
    )
    imports.add_argument("file", type=Path, metavar="FILE", help="the .xlsx or .csv file")
    imports.add_argument("--plan", required=True, metavar="NAME", help="the plan's name")
    imports.add_argument("--kind", choices=("actions", "risks"), default="actions")
    imports.add_argument("--sheet", metavar="SHEET", help="the workbook's sheet to read")
    imports.add_argument(
        "--dry-run", action="store_true", help="print the preview only; change nothing"
    )
    imports.set_defaults(handler=_import)
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
