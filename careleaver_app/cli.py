"""The `careleaver-app` command: no sub-command starts the desktop app; sub-commands run headless.

Global options (--data-dir, --database, --user) come before the sub-command. The command
groups live in cli_<group>.py modules (each adds its parsers and runs its commands); what they
share, the output formats among it, is in cli_output.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from careleaver_app import (
    __version__,
    cli_escalations,
    cli_maintenance,
    cli_offer,
    cli_pathway,
    cli_people,
    cli_report,
)
from careleaver_app.cli_output import parse_date, positive
from careleaver_app.paths import AppPaths

DATABASE_ENV = "CARELEAVER_DATABASE_URL"
USER_ENV = "CARELEAVER_USER"
PASSWORD_ENV = "CARELEAVER_PASSWORD"  # for scripts; interactive use is asked at a prompt
PASSPHRASE_ENV = "CARELEAVER_PASSPHRASE"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="careleaver-app",
        description="Care Leaver Tracker. With no command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", help="folder for the database, backups and logs")
    parser.add_argument(
        "--database",
        help=f"database URL (postgresql://... or sqlite:///file); also ${DATABASE_ENV}",
    )
    parser.add_argument("--user", help=f"act as this staff username; also ${USER_ENV}")
    parser.add_argument(
        "--demo", action="store_true", help="open (creating if needed) a demo database"
    )
    parser.add_argument("--today", type=parse_date, help=argparse.SUPPRESS)  # for tests and demos
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    cli_maintenance.add_parsers(sub)

    demo = sub.add_parser("demo", help="fill the database with synthetic demo data")
    demo.add_argument("--people", type=positive, default=500)
    demo.add_argument("--seed", type=int, default=1)

    cli_people.add_parsers(sub)
    cli_escalations.add_parser(sub)
    cli_pathway.add_parsers(sub)
    cli_offer.add_parsers(sub)
    cli_report.add_parsers(sub)
    cli_escalations.add_thresholds_parser(sub)

    sub.add_parser("migrate", help="bring the database schema up to date")
    backup = sub.add_parser("backup", help="write an online backup of the SQLite database")
    backup.add_argument("path", type=Path)
    imp = sub.add_parser(
        "import",
        help="import people, accommodation, contacts, activity, pathway and local-offer ledger "
        "CSV files from a folder (see docs/import.md)",
    )
    imp.add_argument("directory", type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from careleaver_app.app import run_gui

        return run_gui(args)
    try:
        if args.command in cli_maintenance.COMMANDS:
            # These check or replace the database file, so they open it themselves (or never).
            return cli_maintenance.run(args, open_from_args, acting_user)
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # every failure reaches the user as one clear line
        return _report(exc)


def _report(exc: Exception) -> int:
    from careleaver_app.domain.errors import DomainError

    if isinstance(exc, DomainError):
        print(f"careleaver-app: {exc}", file=sys.stderr)
        return 2
    if os.environ.get("CARELEAVER_DEBUG"):
        raise exc
    print(f"careleaver-app: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1


def open_from_args(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from careleaver_app.services.container import needs_passphrase, open_services

    paths = AppPaths.for_dir(args.data_dir)
    url = args.database or os.environ.get(DATABASE_ENV)
    today = (lambda: args.today) if args.today else date.today
    passphrase = None
    if needs_passphrase(paths, url):
        passphrase = _secret(PASSPHRASE_ENV, "Passphrase of the encrypted database: ")
    return paths, open_services(paths, url, today, passphrase=passphrase)


def acting_user(services, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The staff member the command acts as; a new database gets its first administrator.

    An account with a password signs in with it (from $CARELEAVER_PASSWORD or a prompt),
    audited and subject to the same lock-out as the app.
    """
    username = args.user or os.environ.get(USER_ENV)
    if not username:
        username = services.staffing.ensure_first_administrator().username
    if services.staffing.has_password(username):
        return services.staffing.sign_in(
            username, _secret(PASSWORD_ENV, f"Password for {username}: ")
        )
    return services.staffing.actor(username)


def _secret(env: str, prompt: str) -> str:
    from careleaver_app.domain.errors import DomainError

    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise DomainError(
            f"{prompt.rstrip(': ')} is needed: set ${env} or run the command in a terminal"
        )
    import getpass

    return getpass.getpass(prompt)


def _run(args: argparse.Namespace) -> int:
    _, services = open_from_args(args)
    try:
        if args.command == "migrate":
            result = services.migration
            if result.before == result.after:
                print(f"Database schema is up to date ({result.after}).")
            else:
                print(
                    f"Database schema migrated from {result.before or 'empty'} to {result.after}."
                )
                if result.backup:
                    print(f"Backup taken first: {result.backup}")
            return 0
        actor = acting_user(services, args)
        if args.command == "backup":
            return _backup(services, actor, args.path)
        if args.command == "demo":
            from careleaver_app.services.demo import generate_demo

            summary = generate_demo(
                services, actor, people=args.people, seed=args.seed, today=services.people.today()
            )
            print(summary.describe())
            return 0
        if args.command == "import":
            from careleaver_app.services.importer import import_directory

            summary = import_directory(services, actor, args.directory)
            print(summary.describe())
            return 0
        if args.command == "people":
            return cli_people.run(services, actor, args)
        if args.command == "escalations":
            return cli_escalations.run(services, actor, args)
        if args.command == "pathway":
            return cli_pathway.run(services, actor, args)
        if args.command == "offer":
            return cli_offer.run(services, actor, args)
        if args.command == "thresholds":
            return cli_escalations.run_thresholds(services, actor, args)
        if args.command == "report":
            return cli_report.run(services, actor, args)
        raise AssertionError(args.command)
    finally:
        services.close()


def _backup(services: Any, actor: Any, target: Path) -> int:
    from careleaver_app.services.backup import backup_database

    written = backup_database(services.db, actor, target, services.people.today())
    print(f"Backup written to {written}")
    return 0


# Kept importable from here for its tests.
_page_count = cli_report.page_count


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
