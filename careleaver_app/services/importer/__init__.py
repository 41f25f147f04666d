"""Import young people and their histories from a folder of CSV files, all or nothing.

Every file is read and every row checked, against the domain rules and the database, before
anything is written; then everything is written in one transaction. docs/import.md is the
user's reference for the files and their columns.

reading (files, headings, cells) -> checking (rules, database, a plan) -> writing (inserts,
audit); columns holds the file specs and results what the caller sees.
"""

from __future__ import annotations

from pathlib import Path

from careleaver_app.domain.parsing import parse_date, parse_suitable, parse_yes_no
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.services.importer.checking import Checker
from careleaver_app.services.importer.reading import read_directory
from careleaver_app.services.importer.results import (
    ImportFailed,
    ImportProblem,
    ImportSummary,
    Problems,
)
from careleaver_app.services.importer.writing import write_plan
from careleaver_app.services.permissions import Action, require

__all__ = [
    "ImportFailed",
    "ImportProblem",
    "ImportSummary",
    "import_directory",
    # The value parsers live in domain.parsing; re-exported for callers that imported them here.
    "parse_date",
    "parse_suitable",
    "parse_yes_no",
]


def import_directory(services: Services, actor: Actor, directory: Path | str) -> ImportSummary:
    """Read people.csv, accommodation.csv, contacts.csv, activity.csv, assessments.csv,
    plans.csv, reviews.csv and offer_ledger.csv (those present) from `directory`.

    Administrators only. Raises ImportFailed listing every problem, having written nothing;
    otherwise writes everything in one transaction and returns what was written.
    """
    require(actor, Action.IMPORT_DATA)
    directory = Path(directory)
    today = services.people.today()
    problems = Problems()
    files = read_directory(directory, problems)
    # Checks and writes share one transaction (on SQLite it holds the write lock), so nobody
    # can add a clashing reference or episode between the check and the write.
    with services.db.transaction() as session:
        plan = Checker(session, today, problems).run(files)
        if problems:
            raise ImportFailed(problems.in_order())
        return write_plan(session, actor, plan, today, directory)
