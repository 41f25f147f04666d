"""What the `careleaver-app` commands share: argument types, the team look-up, the export audit
and the three output formats (a table on screen, JSON, CSV). Every cli_*.py module imports these
from here, never from cli.py, so cli.py can import the command modules without a cycle."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict, is_dataclass
from datetime import date
from enum import Enum
from typing import Any


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from exc


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from exc
    if value <= 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def team_id(services: Any, name: str | None) -> int | None:
    from careleaver_app.domain.errors import NotFound

    if not name:
        return None
    teams = {t.name.casefold(): t.id for t in services.staffing.list_teams()}
    if name.casefold() not in teams:
        raise NotFound(f"--team: there is no team called '{name}'")
    return teams[name.casefold()]


def exporting(services: Any, actor: Any, fmt: str, person_ids: Any, what: str) -> None:
    """CSV and JSON leave the app: checked and audited as an export. A table on screen is a view."""
    if fmt in ("csv", "json"):
        from careleaver_app.services.exports import record_export

        record_export(services.db, actor, person_ids, f"{what} ({fmt})")


def emit(columns: list[str], rows: list[dict[str, Any]], fmt: str, footer: str) -> None:
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        print_table(columns, rows)
        print(footer)


def plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def print_table(columns: list[str], rows: list[dict[str, Any]]) -> None:
    widths = {
        c: max([len(c), *(len(str(r[c] if r[c] is not None else "")) for r in rows)])
        for c in columns
    }
    print("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for r in rows:
        print(
            "  ".join(
                str(r[c] if r[c] is not None else "").ljust(widths[c]) for c in columns
            ).rstrip()
        )
