"""Who may do what: one table of role x action, deny by default, checked in every service.

A scope narrows a grant to some young people: OWN (the PA's own caseload), TEAM (the actor's
team), ALL. Hiding a button in the UI is a courtesy; this table is the rule.
"""

from __future__ import annotations

from enum import Enum, StrEnum

from careleaver_app.domain.codes import Role
from careleaver_app.domain.errors import PermissionDenied
from careleaver_app.services.actors import Actor


class Action(StrEnum):
    LIST_PEOPLE = "list_people"
    VIEW_PERSON = "view_person"
    CREATE_PERSON = "create_person"
    EDIT_PERSON = "edit_person"
    RECORD_ACCOMMODATION = "record_accommodation"
    RECORD_CONTACT = "record_contact"
    RECORD_ACTIVITY = "record_activity"
    EDIT_CARE_HISTORY = "edit_care_history"
    ALLOCATE_PA = "allocate_pa"
    OVERRIDE_CATEGORY = "override_category"
    CLOSE_PERSON = "close_person"
    MANAGE_STAFF = "manage_staff"
    IMPORT_DATA = "import_data"
    EXPORT_DATA = "export_data"
    BACKUP = "backup"
    VIEW_ESCALATIONS = "view_escalations"
    DECIDE_ESCALATION = "decide_escalation"
    RESOLVE_ESCALATION = "resolve_escalation"
    MANAGE_SETTINGS = "manage_settings"
    RECORD_PATHWAY = "record_pathway"
    SIGN_OFF_PLAN = "sign_off_plan"
    RECORD_OFFER = "record_offer"
    AUTHORISE_OFFER_EXCEPTION = "authorise_offer_exception"
    MANAGE_CATALOGUE = "manage_catalogue"
    VIEW_HOUSING_SUMMARY = "view_housing_summary"
    PRINT_HOUSING_SUMMARY = "print_housing_summary"
    VIEW_RECORD_HISTORY = "view_record_history"
    SEARCH_AUDIT = "search_audit"
    PURGE_PERSON = "purge_person"


class Scope(Enum):
    OWN = 1
    TEAM = 2
    ALL = 3


_PA = Role.PERSONAL_ADVISER
_TM = Role.TEAM_MANAGER
_HL = Role.HOUSING_LIAISON
_AD = Role.ADMINISTRATOR

PERMISSIONS: dict[Role, dict[Action, Scope]] = {
    _PA: {
        Action.LIST_PEOPLE: Scope.TEAM,
        Action.VIEW_PERSON: Scope.TEAM,
        Action.CREATE_PERSON: Scope.TEAM,
        Action.EDIT_PERSON: Scope.OWN,
        Action.RECORD_ACCOMMODATION: Scope.OWN,
        Action.RECORD_CONTACT: Scope.OWN,
        Action.RECORD_ACTIVITY: Scope.OWN,
        Action.EDIT_CARE_HISTORY: Scope.OWN,
        Action.EXPORT_DATA: Scope.OWN,
        Action.VIEW_ESCALATIONS: Scope.TEAM,
        Action.RECORD_PATHWAY: Scope.OWN,
        Action.RECORD_OFFER: Scope.OWN,
        Action.VIEW_HOUSING_SUMMARY: Scope.TEAM,
        Action.PRINT_HOUSING_SUMMARY: Scope.TEAM,
    },
    _TM: {
        Action.LIST_PEOPLE: Scope.TEAM,
        Action.VIEW_PERSON: Scope.TEAM,
        Action.CREATE_PERSON: Scope.TEAM,
        Action.EDIT_PERSON: Scope.TEAM,
        Action.RECORD_ACCOMMODATION: Scope.TEAM,
        Action.RECORD_CONTACT: Scope.TEAM,
        Action.RECORD_ACTIVITY: Scope.TEAM,
        Action.EDIT_CARE_HISTORY: Scope.TEAM,
        Action.ALLOCATE_PA: Scope.TEAM,
        Action.OVERRIDE_CATEGORY: Scope.TEAM,
        Action.CLOSE_PERSON: Scope.TEAM,
        Action.EXPORT_DATA: Scope.TEAM,
        Action.VIEW_ESCALATIONS: Scope.TEAM,
        Action.DECIDE_ESCALATION: Scope.TEAM,
        Action.RESOLVE_ESCALATION: Scope.TEAM,
        Action.RECORD_PATHWAY: Scope.TEAM,
        Action.SIGN_OFF_PLAN: Scope.TEAM,
        Action.RECORD_OFFER: Scope.TEAM,
        Action.AUTHORISE_OFFER_EXCEPTION: Scope.TEAM,
        Action.VIEW_HOUSING_SUMMARY: Scope.TEAM,
        Action.PRINT_HOUSING_SUMMARY: Scope.TEAM,
        Action.VIEW_RECORD_HISTORY: Scope.TEAM,
    },
    # Housing liaison reaches young people only through the housing summary, and only those who
    # consented to share with housing: services.housing checks the consent on every call.
    _HL: {
        Action.VIEW_HOUSING_SUMMARY: Scope.TEAM,
        Action.PRINT_HOUSING_SUMMARY: Scope.TEAM,
    },
    _AD: {
        Action.LIST_PEOPLE: Scope.ALL,
        Action.VIEW_PERSON: Scope.ALL,
        Action.MANAGE_STAFF: Scope.ALL,
        Action.IMPORT_DATA: Scope.ALL,
        Action.EXPORT_DATA: Scope.ALL,
        Action.BACKUP: Scope.ALL,
        Action.ALLOCATE_PA: Scope.ALL,
        Action.VIEW_ESCALATIONS: Scope.ALL,
        Action.MANAGE_SETTINGS: Scope.ALL,
        Action.MANAGE_CATALOGUE: Scope.ALL,
        Action.VIEW_RECORD_HISTORY: Scope.ALL,
        Action.SEARCH_AUDIT: Scope.ALL,
        Action.PURGE_PERSON: Scope.ALL,
    },
}


def scope_for(actor: Actor, action: Action) -> Scope | None:
    return PERMISSIONS.get(actor.role, {}).get(action)


def allowed(
    actor: Actor, action: Action, *, team_id: int | None = None, pa_id: int | None = None
) -> bool:
    scope = scope_for(actor, action)
    if scope is None:
        return False
    if scope is Scope.ALL:
        return True
    if scope is Scope.TEAM:
        return actor.team_id is not None and team_id == actor.team_id
    return pa_id == actor.id


def require(
    actor: Actor, action: Action, *, team_id: int | None = None, pa_id: int | None = None
) -> Scope:
    """Raise PermissionDenied unless `actor` may do `action` on a record of that team and PA."""
    if not allowed(actor, action, team_id=team_id, pa_id=pa_id):
        raise PermissionDenied(
            f"{actor.role.label} '{actor.username}' may not {action.value.replace('_', ' ')}"
            + (" for this young person" if team_id is not None or pa_id is not None else "")
        )
    scope = scope_for(actor, action)
    assert scope is not None
    return scope
