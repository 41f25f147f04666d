"""What an import gives back: the summary of what was written, or every problem found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from careleaver_app.domain.errors import DomainError
from careleaver_app.services.importer.columns import FILES, SPECS


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One thing wrong; row is the spreadsheet row (header = 1), None for a whole file."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        return (
            f"{where}, {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


class ImportFailed(DomainError):
    """The files have problems; nothing was written. `problems` lists every one."""

    def __init__(self, problems: Iterable[ImportProblem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"Nothing was imported: {count} problem{'' if count == 1 else 's'} found"
        super().__init__("\n".join([heading, *(str(p) for p in self.problems)]))


@dataclass(frozen=True, slots=True)
class ImportSummary:
    people: int = 0
    care_periods: int = 0
    allocations: int = 0
    episodes: int = 0
    episodes_to_review: int = 0  # would open an escalation: W, V, S or unsuitable
    contacts: int = 0
    activities: int = 0
    assessments: int = 0
    plans: int = 0
    reviews: int = 0
    offer_entries: int = 0
    ignored_columns: tuple[str, ...] = ()  # "people.csv: nhs_number"

    def describe(self) -> str:
        review = (
            f" ({self.episodes_to_review} B&B, emergency, no fixed abode or unsuitable)"
            if self.episodes_to_review
            else ""
        )
        parts = [
            _count(self.people, "young person", "young people"),
            f"{_count(self.episodes, 'accommodation episode')}{review}",
            _count(self.contacts, "contact"),
            _count(self.activities, "activity record"),
        ]
        # Pathway records are named only when the folder had some, so that a team importing
        # only its caseload reads the same line as before.
        if self.assessments or self.plans or self.reviews:
            parts += [
                _count(self.assessments, "needs assessment"),
                _count(self.plans, "pathway plan"),
                _count(self.reviews, "pathway review"),
            ]
        if self.offer_entries:
            parts.append(_count(self.offer_entries, "local-offer entry", "local-offer entries"))
        text = f"Imported {', '.join(parts[:-1])} and {parts[-1]}."
        if self.ignored_columns:
            text += f" Ignored unknown columns: {'; '.join(self.ignored_columns)}."
        return text


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


class Problems:
    """Collects problems; keeps the first per cell so that one mistake gives one line."""

    def __init__(self) -> None:
        self._items: list[ImportProblem] = []
        self._cells: set[tuple[str, int | None, str]] = set()

    def add(self, file: str, row: int | None, column: str | None, reason: str) -> None:
        if column is not None:
            if (file, row, column) in self._cells:
                return
            self._cells.add((file, row, column))
        self._items.append(ImportProblem(file, row, column, reason))

    def __bool__(self) -> bool:
        return bool(self._items)

    def in_order(self) -> list[ImportProblem]:
        """By file, row and column as the spreadsheet has them; a whole file or row first."""
        files = {name: i for i, name in enumerate(FILES)}
        columns = {(file, c.name): i for file, spec in SPECS.items() for i, c in enumerate(spec)}
        seq = {id(p): i for i, p in enumerate(self._items)}
        return sorted(
            self._items,
            key=lambda p: (
                files.get(p.file, len(FILES)),
                p.row or 0,
                columns.get((p.file, p.column or ""), -1),
                seq[id(p)],
            ),
        )
