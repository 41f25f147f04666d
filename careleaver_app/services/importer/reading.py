"""Reading the folder: which files are there, their text and headings, each cell parsed.

Nothing here looks at the database; a problem is collected, not raised, so that one run
names every mistake in every file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careleaver_app.services.importer.columns import FILES, SPECS, Column
from careleaver_app.services.importer.results import ImportFailed, ImportProblem, Problems


@dataclass(frozen=True, slots=True)
class Row:
    row: int  # as a spreadsheet shows it
    raw: dict[str, str]  # column -> trimmed text, "" when empty or absent
    values: dict[str, Any]  # column -> parsed value; a column whose text was wrong is absent


@dataclass(frozen=True, slots=True)
class Files:
    rows: dict[str, list[Row] | None]  # each file present -> its rows, None if unreadable
    ignored_columns: tuple[str, ...]


def read_directory(directory: Path, problems: Problems) -> Files:
    """Read and parse every file present; raises at once when there is nothing to read."""
    where = str(directory)
    if not directory.is_dir():
        reason = "is not a folder" if directory.exists() else "there is no such folder"
        raise ImportFailed([ImportProblem(where, None, None, reason)])
    try:
        entries = sorted(directory.iterdir())
    except OSError as exc:
        raise ImportFailed([ImportProblem(where, None, None, f"cannot be read: {exc}")]) from exc
    found: dict[str, Path] = {}
    for entry in entries:
        # Lock and hidden files that spreadsheet programs leave beside the ones they open.
        if entry.name.startswith((".", "~$")) or entry.suffix.lower() != ".csv":
            continue
        if not entry.is_file():
            continue
        name = entry.name.casefold()
        if name not in SPECS:
            problems.add(
                entry.name, None, None, f"is not a file the import reads ({', '.join(FILES)})"
            )
        elif name in found:
            problems.add(entry.name, None, None, f"is a second {name} (names ignore case)")
        else:
            found[name] = entry
    if not found:
        problems.add(where, None, None, f"holds none of {', '.join(FILES)}")
        raise ImportFailed(problems.in_order())
    tables: dict[str, list[Row] | None] = {}
    ignored: list[str] = []
    for name in FILES:
        if name in found:
            result = _read_table(found[name], name, problems)
            tables[name] = result[0] if result else None
            ignored.extend(f"{name}: {column}" for column in (result[1] if result else ()))
    return Files(tables, tuple(ignored))


def _header_name(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().casefold())


def _read_table(path: Path, file: str, problems: Problems) -> tuple[list[Row], list[str]] | None:
    """The file's rows, parsed, and its unknown columns; None when the rows cannot be read."""
    text = _decode(path, file, problems)
    if text is None:
        return None
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records.extend(reader)
    except csv.Error as exc:
        problems.add(file, len(records) + 1, None, f"cannot be read as CSV: {exc}")
        return None
    if not records or not any(cell.strip() for cell in records[0]):
        problems.add(file, None, None, "is empty: the first row must be the column headings")
        return None
    header = [_header_name(cell) for cell in records[0]]
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        problems.add(file, 1, None, "columns must be separated by commas")
        return None
    columns = SPECS[file]
    known = {c.name for c in columns}
    index: dict[str, int] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        if name in index:
            problems.add(file, 1, name, "the column appears twice")
        elif name in known:
            index[name] = i
        elif name:
            ignored.append(records[0][i].strip())
    missing = [c.name for c in columns if c.required and c.name not in index]
    for name in missing:
        problems.add(file, 1, name, "required column is missing")
    if missing:
        return None
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank line, or a row of empty cells a spreadsheet left behind
        if any(cell.strip() for cell in cells[len(header) :]):
            problems.add(file, number, None, "has more values than there are column headings")
        raw = {name: cells[i].strip() if i < len(cells) else "" for name, i in index.items()}
        rows.append(_parse_row(file, number, raw, columns, problems))
    return rows, ignored


def _decode(path: Path, file: str, problems: Problems) -> str | None:
    """The file's text; None (and a problem naming the fix) when it is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(file, None, None, f"cannot be read: {exc.strerror or exc}")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(file, None, None, "is UTF-16 text; save it as 'CSV UTF-8' instead")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.add(
            file, None, None, f"is not UTF-8 text (line {line}); save it as 'CSV UTF-8' instead"
        )
        return None


def _parse_row(
    file: str, number: int, raw: dict[str, str], columns: Sequence[Column], problems: Problems
) -> Row:
    values: dict[str, Any] = {}
    for column in columns:
        text = raw.setdefault(column.name, "")
        if not text:
            if column.required:
                problems.add(file, number, column.name, "is required")
            else:
                values[column.name] = column.default
            continue
        try:
            values[column.name] = column.parse(text)
        except ValueError as exc:
            problems.add(file, number, column.name, str(exc))
    return Row(number, raw, values)
