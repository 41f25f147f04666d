"""Sign-in rules: password policy, lock-out after repeated failures, and the idle lock.

After MAX_FAILURES failed sign-ins within FAILURE_WINDOW the account is locked for LOCK_PERIOD
from the last of them (DESIGN 2, issue 8). Attempts refused during a lock are not failures: they
never reach the password check, so they cannot extend the lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from careleaver_app.domain.errors import FieldProblem

MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=5)
LOCK_PERIOD = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
DEFAULT_IDLE_MINUTES = 5
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 15


def recent_failures(failures: Sequence[datetime], now: datetime) -> list[datetime]:
    """The failures worth keeping: those that could still count towards or hold a lock."""
    keep_after = now - FAILURE_WINDOW - LOCK_PERIOD
    return sorted(f for f in failures if f > keep_after)[-MAX_FAILURES:]


def locked_until(failures: Sequence[datetime]) -> datetime | None:
    """When the lock ends, if MAX_FAILURES failures fell within FAILURE_WINDOW; else None.

    The window is inclusive: ten failures with the tenth exactly five minutes after the first lock
    the account.
    """
    ordered = sorted(failures)
    lock_end: datetime | None = None
    for i in range(MAX_FAILURES - 1, len(ordered)):
        if ordered[i] - ordered[i - MAX_FAILURES + 1] <= FAILURE_WINDOW:
            lock_end = ordered[i] + LOCK_PERIOD
    return lock_end


def is_locked(failures: Sequence[datetime], now: datetime) -> bool:
    end = locked_until(failures)
    return end is not None and now < end


def password_problems(
    password: str, username: str = "", field: str = "password"
) -> list[FieldProblem]:
    """NCSC-style policy: long rather than complicated; no forced mix of character classes."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            FieldProblem(field, f"must be at least {MIN_PASSWORD_LENGTH} characters long")
        )
    elif len(password) > MAX_PASSWORD_LENGTH:
        problems.append(FieldProblem(field, f"must be at most {MAX_PASSWORD_LENGTH} characters"))
    elif not password.strip():
        problems.append(FieldProblem(field, "cannot be only spaces"))
    elif username and username.strip().lower() in password.lower():
        problems.append(FieldProblem(field, "must not contain the username"))
    return problems


def idle_minutes_problems(minutes: int) -> list[FieldProblem]:
    if not MIN_IDLE_MINUTES <= minutes <= MAX_IDLE_MINUTES:
        return [
            FieldProblem(
                "idle_lock_minutes",
                f"must be between {MIN_IDLE_MINUTES} and {MAX_IDLE_MINUTES} minutes",
            )
        ]
    return []
