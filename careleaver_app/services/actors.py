"""Who is acting: every service call takes one, and permissions are decided from it."""

from __future__ import annotations

from dataclasses import dataclass

from careleaver_app.domain.codes import Role


@dataclass(frozen=True)
class Actor:
    id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None
