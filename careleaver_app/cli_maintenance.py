"""Maintenance commands of `careleaver-app`: `backups` (list), `restore`, `check` (integrity)
and `transfer --to URL`. cli.py adds them with `add_parsers(sub)` and hands any of `COMMANDS`
to `run(args, open_from_args, acting_user)` before it opens the database itself: `check` and
`backups` must not open (and so migrate, and so write to) a database that may be damaged.

Exit codes: 0 done, 2 refused (a DomainError, printed as one line by cli.main), 3 the database
failed its check.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careleaver_app.paths import AppPaths

if TYPE_CHECKING:
    from careleaver_app.services.actors import Actor
    from careleaver_app.services.backups import BackupInfo
    from careleaver_app.services.container import Services

    Opener = Callable[[argparse.Namespace], tuple[AppPaths, Services]]
    ActingUser = Callable[[Services, argparse.Namespace], Actor]

COMMANDS = frozenset({"backups", "restore", "check", "transfer"})
DAMAGED = 3
DATABASE_ENV = "CARELEAVER_DATABASE_URL"
PASSPHRASE_ENV = "CARELEAVER_PASSPHRASE"
TARGET_PASSPHRASE_ENV = "CARELEAVER_TARGET_PASSPHRASE"


def add_parsers(sub: Any) -> None:
    """Add the maintenance sub-commands to cli.py's `add_subparsers()` object."""
    listing = sub.add_parser("backups", help="list the backups of the local database")
    listing.add_argument("--format", choices=["table", "json"], default="table")

    restore = sub.add_parser(
        "restore",
        help="replace the local database with a backup (administrators; the database as it "
        "was is backed up first)",
    )
    restore.add_argument(
        "backup", type=Path, help="a backup file, or its name in the backups folder"
    )

    check = sub.add_parser(
        "check", help="check the local database for damage without writing to it"
    )
    check.add_argument(
        "--full", action="store_true", help="integrity_check (slower) instead of quick_check"
    )
    check.add_argument(
        "--restore-newest",
        action="store_true",
        help="if damaged: move it aside and restore the newest backup that passes its check",
    )

    transfer = sub.add_parser(
        "transfer",
        help="copy the whole database into an empty one, e.g. a team's PostgreSQL server "
        "(administrators)",
    )
    transfer.add_argument(
        "--to", dest="target", required=True, help="the empty database's URL (postgresql://...)"
    )
    transfer.add_argument(
        "--encrypt",
        action="store_true",
        help=f"encrypt a SQLite target (passphrase from ${TARGET_PASSPHRASE_ENV} or a prompt)",
    )


def run(
    args: argparse.Namespace, open_services: Opener, acting_user: ActingUser | None = None
) -> int:
    """Run a command of COMMANDS. `open_services(args)` is cli.open_from_args; `acting_user`
    defaults to cli.acting_user. Errors propagate for cli.main to report as one line."""
    if args.command == "backups":
        return _list(args)
    if args.command == "check":
        return _check(args)
    if acting_user is None:
        from careleaver_app.cli import acting_user as cli_acting_user

        acting_user = cli_acting_user
    paths, services = open_services(args)
    try:
        actor = acting_user(services, args)
        if args.command == "restore":
            return _restore(services, actor, paths, args.backup)
        if args.command == "transfer":
            return _transfer(services, actor, args)
        raise AssertionError(args.command)
    finally:
        services.close()


def _paths_and_url(args: argparse.Namespace) -> tuple[AppPaths, str | None]:
    return AppPaths.for_dir(args.data_dir), args.database or os.environ.get(DATABASE_ENV)


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


def _local_file(paths: AppPaths, url: str | None) -> Path:
    from careleaver_app.domain.errors import DomainError
    from careleaver_app.services.integrity import local_database_file

    file = local_database_file(paths, url)
    if file is None:
        raise DomainError(
            "this command is for the local SQLite database; a PostgreSQL server is checked and "
            "backed up by its administrators"
        )
    return file


def _size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError(size)


def describe(info: BackupInfo) -> dict[str, str]:
    return {
        "taken": info.taken_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        "kind": info.kind.label,
        "size": _size(info.size_bytes),
        "encrypted": "yes" if info.encrypted else "no",
        "file": info.path.name,
    }


def _list(args: argparse.Namespace) -> int:
    from careleaver_app.services.backups import list_backups

    paths, url = _paths_and_url(args)
    found = list_backups(paths.backups_dir, _local_file(paths, url))
    if args.format == "json":
        plain = [
            {
                "taken_at": b.taken_at.isoformat(),
                "kind": b.kind.value,
                "size_bytes": b.size_bytes,
                "encrypted": b.encrypted,
                "path": str(b.path),
            }
            for b in found
        ]
        print(json.dumps(plain, indent=2))
        return 0
    rows = [describe(b) for b in found]
    columns = ["taken", "kind", "size", "encrypted", "file"]
    widths = {c: max([len(c), *(len(r[c]) for r in rows)]) for c in columns}
    print("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for r in rows:
        print("  ".join(r[c].ljust(widths[c]) for c in columns).rstrip())
    print(f"{len(rows)} backups in {paths.backups_dir}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from careleaver_app.services.backups import describe_backup
    from careleaver_app.services.container import needs_passphrase
    from careleaver_app.services.integrity import (
        check_database_file,
        move_aside,
        newest_good_backup,
        restore_from,
    )

    paths, url = _paths_and_url(args)
    file = _local_file(paths, url)
    passphrase = None
    if needs_passphrase(paths, url):
        passphrase = _secret(PASSPHRASE_ENV, "Passphrase of the encrypted database: ")
    result = check_database_file(paths, url, passphrase, full=args.full)
    if result.ok:
        print(
            f"The database {file} passed its check."
            if file.exists()
            else f"No database at {file} yet."
        )
        return 0
    print(f"careleaver-app: {result.describe()}", file=sys.stderr)
    good = newest_good_backup(paths, passphrase, url)
    if good is None:
        print("No backup passes its check; the damaged database was left as it is.")
        return DAMAGED
    if not args.restore_newest:
        print(f"Newest good backup: the {describe_backup(good)}.")
        print(
            "Run `careleaver-app check --restore-newest` to move the damaged file aside and "
            "restore it."
        )
        return DAMAGED
    moved = move_aside(file)
    restore_from(good, paths, url, passphrase, damaged=moved)
    print(f"The damaged database was moved to {moved}.")
    print(f"Restored the {describe_backup(good)}.")
    return 0


def _restore(services: Services, actor: Actor, paths: AppPaths, backup: Path) -> int:
    from careleaver_app.services.backups import Backups, describe_backup

    if not backup.exists() and (paths.backups_dir / backup.name).exists():
        backup = paths.backups_dir / backup.name
    result = Backups(services.db, paths.backups_dir).restore(actor, backup)
    print(f"Restored the {describe_backup(result.restored)}.")
    print(f"The database as it was is kept in {result.safety_backup}")
    return 0


def _transfer(services: Services, actor: Actor, args: argparse.Namespace) -> int:
    from careleaver_app.services.transfer import transfer

    passphrase = None
    if args.encrypt:
        passphrase = _secret(TARGET_PASSPHRASE_ENV, "Passphrase for the new database: ")
    report = transfer(services.db, args.target, actor, target_passphrase=passphrase)
    width = max(len(name) for name in report.counts)
    for name, rows in report.counts.items():
        print(f"{name.ljust(width)}  {rows:>9,}")
    print(report.describe())
    return 0
