"""Errors the rules and the services raise; each names the field at fault where there is one."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """A request the rules refuse. The message is shown to the user as it is."""


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(DomainError):
    """One or more fields are wrong; nothing was saved."""

    def __init__(self, problems: list[FieldProblem] | FieldProblem) -> None:
        self.problems = [problems] if isinstance(problems, FieldProblem) else list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class PermissionDenied(DomainError):
    """The acting staff member may not do this."""


class NotFound(DomainError):
    """The record asked for does not exist."""


class ConflictError(DomainError):
    """Someone else saved this record first."""


class WrongPassphrase(DomainError):
    """The encrypted database could not be opened with the passphrase given (or without one)."""
