"""How long records are kept (DESIGN 3.6): to the 75th birthday."""

from __future__ import annotations

from datetime import date

from careleaver_app.domain.dates import birthday

RETENTION_AGE = 75


def retention_date(date_of_birth: date) -> date:
    """The first day on which an administrator may purge the record."""
    return birthday(date_of_birth, RETENTION_AGE)


def may_purge(date_of_birth: date, today: date) -> bool:
    return today >= retention_date(date_of_birth)
