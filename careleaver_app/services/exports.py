"""Exports (CSV or JSON out of the app): checked against EXPORT_DATA for every young person in
them and audited, one event per young person, in one transaction (DESIGN 3.6)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from careleaver_app.db.models import YoungPerson
from careleaver_app.domain.errors import PermissionDenied
from careleaver_app.services import audit
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Database
from careleaver_app.services.permissions import Action, allowed, scope_for


def record_export(
    db: Database, actor: Actor, person_ids: Iterable[int], what: str, target: str = "stdout"
) -> None:
    """Refuse unless the actor may export every young person listed; audit it otherwise.

    An export that names nobody (figures for a team, say) needs the export grant at all.
    """
    ids = sorted(set(person_ids))
    if scope_for(actor, Action.EXPORT_DATA) is None:
        raise PermissionDenied(f"{actor.role.label} '{actor.username}' may not export data")
    with db.transaction() as session:
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for team_id, pa_id in session.execute(
                select(YoungPerson.team_id, YoungPerson.pa_id).where(YoungPerson.id.in_(chunk))
            ):
                if not allowed(actor, Action.EXPORT_DATA, team_id=team_id, pa_id=pa_id):
                    raise PermissionDenied(
                        "You may export only the young people you are allowed to export "
                        "(a personal adviser: their own caseload). Narrow the list, e.g. "
                        "to your caseload, or ask your team manager."
                    )
        detail = f"{what} to {target}"
        if ids:
            audit.record_many(session, actor, "export", (("young_person", i, detail) for i in ids))
        else:
            audit.record(session, actor, "export", "report", None, detail=detail)
