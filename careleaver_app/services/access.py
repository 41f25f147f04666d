"""Loading a record for an actor: not found and not allowed are told apart, in the services."""

from __future__ import annotations

from sqlalchemy.orm import Session

from careleaver_app.db.models import AccommodationEpisode, YoungPerson
from careleaver_app.domain.errors import NotFound
from careleaver_app.services.actors import Actor
from careleaver_app.services.permissions import Action, require


def person_for(session: Session, actor: Actor, person_id: int, action: Action) -> YoungPerson:
    person = session.get(YoungPerson, person_id)
    if person is None:
        raise NotFound(f"There is no young person with id {person_id}")
    require(actor, action, team_id=person.team_id, pa_id=person.pa_id)
    return person


def episode_for(
    session: Session, actor: Actor, episode_id: int, action: Action
) -> tuple[AccommodationEpisode, YoungPerson]:
    episode = session.get(AccommodationEpisode, episode_id)
    if episode is None or episode.voided_reason is not None:
        raise NotFound(f"There is no accommodation episode with id {episode_id}")
    return episode, person_for(session, actor, episode.person_id, action)
