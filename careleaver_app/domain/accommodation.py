"""Accommodation episodes and their rules (DESIGN 3.2, 3.3).

An episode runs from its start date up to its end date, the day the young person left. A move on
a date ends the previous episode on that date and starts the next one on it, so consecutive
episodes share the move date without overlapping and nights add up exactly (end minus start).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from careleaver_app.domain.codes import (
    ESCALATING_TYPES,
    NEVER_SUITABLE_TYPES,
    AccommodationType,
    Suitability,
    SuitabilityFactor,
)
from careleaver_app.domain.dates import birthday
from careleaver_app.domain.errors import FieldProblem


@dataclass(frozen=True)
class Episode:
    type: AccommodationType
    start: date
    suitability: Suitability
    end: date | None = None
    concerns: frozenset[SuitabilityFactor] = field(default_factory=frozenset)
    id: int | None = None

    @property
    def code_903(self) -> str:
        """Letter and suitability digit as the 903 return codes it, e.g. 'W2'."""
        return f"{self.type.value}{self.suitability.value}"

    def is_current_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def nights(self, as_of: date) -> int:
        """Nights in the placement: the end date (or `as_of` while open) minus the start date."""
        until = as_of if self.end is None else min(self.end, as_of)
        return max(0, (until - self.start).days)


def opens_escalation(episode: Episode) -> bool:
    """B&B, emergency, no fixed abode, or any episode judged unsuitable (DESIGN 3.3)."""
    return episode.type in ESCALATING_TYPES or episode.suitability is Suitability.UNSUITABLE


def episode_flags(episode: Episode) -> list[str]:
    """Warnings that do not stop saving but must be shown: W1 is accepted by 903 but flagged."""
    flags = []
    if (
        episode.type is AccommodationType.BED_AND_BREAKFAST
        and episode.suitability is Suitability.SUITABLE
    ):
        flags.append(
            "Bed and breakfast recorded as suitable: DfE guidance says B&B is never "
            "suitable for a care leaver"
        )
    return flags


def validate_episode(episode: Episode, date_of_birth: date) -> list[FieldProblem]:
    """Problems with one episode on its own; an empty list means it is valid."""
    problems: list[FieldProblem] = []
    if episode.start < date_of_birth:
        problems.append(FieldProblem("start_date", "is before the date of birth"))
    if episode.end is not None and episode.end < episode.start:
        problems.append(FieldProblem("end_date", "is before the start date"))
    if episode.type in NEVER_SUITABLE_TYPES and episode.suitability is Suitability.SUITABLE:
        problems.append(
            FieldProblem(
                "suitability",
                f"{episode.type.label} ({episode.type.value}) can only be unsuitable",
            )
        )
    if episode.type is AccommodationType.STAYING_PUT and episode.start < birthday(
        date_of_birth, 18
    ):
        problems.append(
            FieldProblem("type_code", "staying put (Z) cannot start before the 18th birthday")
        )
    return problems


def find_overlaps(episodes: Iterable[Episode]) -> list[tuple[Episode, Episode]]:
    """Pairs of episodes that overlap, in date order. Half-open: [start, end)."""
    ordered = sorted(episodes, key=lambda e: (e.start, e.end or date.max))
    pairs = []
    latest: Episode | None = None
    for ep in ordered:
        if latest is not None and (latest.end is None or ep.start < latest.end):
            pairs.append((latest, ep))
        if latest is None or latest.end is None or (ep.end is None or ep.end > latest.end):
            latest = ep
    return pairs


def validate_history(episodes: Sequence[Episode], date_of_birth: date) -> list[FieldProblem]:
    """Every rule across a young person's episodes: each valid, none overlapping."""
    problems: list[FieldProblem] = []
    for ep in episodes:
        problems.extend(validate_episode(ep, date_of_birth))
    for first, second in find_overlaps(episodes):
        problems.append(
            FieldProblem(
                "start_date",
                f"the episode starting {second.start.isoformat()} overlaps the episode "
                f"starting {first.start.isoformat()}",
            )
        )
    return problems


def current_episode(episodes: Iterable[Episode], on: date) -> Episode | None:
    current = [e for e in episodes if e.is_current_on(on)]
    return max(current, key=lambda e: e.start) if current else None
