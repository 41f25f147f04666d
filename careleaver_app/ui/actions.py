"""Every action of the main window, declared once and keyed by an enum (menus and toolbar)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence

from careleaver_app.ui.icons import icon


class ActionId(Enum):
    NEW_PERSON = auto()
    FIND = auto()
    OPEN_RECORD = auto()
    CLOSE_TAB = auto()
    EDIT_DETAILS = auto()
    RECORD_MOVE = auto()
    END_EPISODE = auto()
    CORRECT_EPISODE = auto()
    LOG_CONTACT = auto()
    CHANGE_ACTIVITY = auto()
    FLAGGED_PLACEMENTS = auto()
    RECORD_DECISION = auto()
    RESOLVE_ESCALATION = auto()
    OPEN_FLAGGED_PERSON = auto()
    DUE_REVIEWS = auto()
    RECORD_ASSESSMENT = auto()
    START_PLAN = auto()
    SIGN_OFF_PLAN = auto()
    RECORD_REVIEW = auto()
    OFFER_ADD_ENTRY = auto()
    OFFER_UPDATE_ENTRY = auto()
    OFFER_TAKE_UP = auto()
    OFFER_CATALOGUE = auto()
    REFRESH = auto()
    SWITCH_USER = auto()
    LOCK_NOW = auto()
    CHANGE_PASSWORD = auto()
    USERS = auto()
    ADMIN_SETTINGS = auto()
    AUDIT_SEARCH = auto()
    RECORD_HISTORY = auto()
    PURGE_RECORD = auto()
    ENCRYPTION = auto()
    RESTORE = auto()
    PRINT = auto()
    PRINT_PREVIEW = auto()
    SAVE_PDF = auto()
    PRINT_PERSON_SUMMARY = auto()
    PRINT_HOUSING_SUMMARY = auto()
    PRINT_OFFER_STATEMENT = auto()
    PRINT_CASELOAD = auto()
    PRINT_ESCALATIONS = auto()
    PRINT_REVIEW_SCHEDULE = auto()
    PREFERENCES = auto()
    QUIT = auto()
    ABOUT = auto()


@dataclass(frozen=True)
class ActionSpec:
    text: str
    tip: str
    shortcut: QKeySequence.StandardKey | str | None = None
    icon: str | None = None


def _t(text: str) -> str:
    return QCoreApplication.translate("Actions", text)


def specs() -> dict[ActionId, ActionSpec]:
    K = QKeySequence.StandardKey
    return {
        ActionId.NEW_PERSON: ActionSpec(
            _t("&New young person…"), _t("Add a young person to the caseload"), K.New, "person-add"
        ),
        ActionId.FIND: ActionSpec(
            _t("&Find…"), _t("Search the caseload by name or reference"), K.Find
        ),
        ActionId.OPEN_RECORD: ActionSpec(
            _t("&Open record"), _t("Open the selected young person"), "Ctrl+O"
        ),
        ActionId.CLOSE_TAB: ActionSpec(
            _t("&Close record"), _t("Close the current record tab"), K.Close
        ),
        ActionId.EDIT_DETAILS: ActionSpec(
            _t("&Edit details…"), _t("Edit the young person's details"), "Ctrl+E", "edit"
        ),
        ActionId.RECORD_MOVE: ActionSpec(
            _t("Record a &move…"), _t("Record a move to new accommodation"), "Ctrl+M", "home-move"
        ),
        ActionId.END_EPISODE: ActionSpec(
            _t("E&nd current accommodation…"), _t("Record the date the young person left"), None
        ),
        ActionId.CORRECT_EPISODE: ActionSpec(
            _t("C&orrect accommodation…"), _t("Correct the selected accommodation episode"), None
        ),
        ActionId.LOG_CONTACT: ActionSpec(
            _t("&Log a contact…"), _t("Record a visit, call or message"), "Ctrl+L", "contact"
        ),
        ActionId.CHANGE_ACTIVITY: ActionSpec(
            _t("Change &activity…"),
            _t("Record education, employment or training"),
            "Ctrl+T",
            "activity",
        ),
        ActionId.FLAGGED_PLACEMENTS: ActionSpec(
            _t("&Flagged placements"),
            _t("Show the queue of B&B and unsuitable placements awaiting a manager"),
            "Ctrl+K",
            "flag",
        ),
        ActionId.RECORD_DECISION: ActionSpec(
            _t("Record a &decision…"), _t("Record a manager's decision on the selected placement")
        ),
        ActionId.RESOLVE_ESCALATION: ActionSpec(
            _t("Re&solve…"),
            _t("Resolve the selected placement once it has ended or been judged suitable"),
        ),
        ActionId.OPEN_FLAGGED_PERSON: ActionSpec(
            _t("Open &young person"), _t("Open the record of the selected placement's young person")
        ),
        ActionId.DUE_REVIEWS: ActionSpec(
            _t("&Due and overdue reviews"),
            _t("Show the young people whose pathway review is due, soonest first"),
            "Ctrl+Shift+D",
        ),
        ActionId.RECORD_ASSESSMENT: ActionSpec(
            _t("Record needs &assessment…"), _t("Record a completed needs assessment")
        ),
        ActionId.START_PLAN: ActionSpec(
            _t("Start a new pathway &plan…"), _t("Start a plan; it supersedes the current one")
        ),
        ActionId.SIGN_OFF_PLAN: ActionSpec(
            _t("&Sign off plan…"), _t("Sign off the current pathway plan (team managers)")
        ),
        ActionId.RECORD_REVIEW: ActionSpec(
            _t("Record a re&view…"), _t("Record a pathway plan review")
        ),
        ActionId.OFFER_ADD_ENTRY: ActionSpec(
            _t("&Add entry…"),
            _t("Record a local-offer request, approval, payment or refusal"),
            "Ctrl+Shift+O",
        ),
        ActionId.OFFER_UPDATE_ENTRY: ActionSpec(
            _t("&Update entry…"),
            _t("Approve, pay, decline or correct the selected local-offer entry"),
            "Ctrl+Shift+U",
        ),
        ActionId.OFFER_TAKE_UP: ActionSpec(
            _t("&Take-up…"),
            _t("How many eligible young people have used each item, and the spend"),
            "Ctrl+Shift+T",
        ),
        ActionId.OFFER_CATALOGUE: ActionSpec(
            _t("Local offer &catalogue…"),
            _t("Add, change or retire the items of the local offer (administrators)"),
        ),
        ActionId.REFRESH: ActionSpec(
            _t("&Refresh"), _t("Reload from the database"), K.Refresh, "refresh"
        ),
        ActionId.SWITCH_USER: ActionSpec(
            _t("&Sign in as someone else…"),
            _t("Sign out and let another staff member sign in"),
            None,
            "user",
        ),
        ActionId.LOCK_NOW: ActionSpec(
            _t("&Lock now"), _t("Hide everything until your password is entered"), "Ctrl+Shift+L"
        ),
        ActionId.CHANGE_PASSWORD: ActionSpec(
            _t("C&hange my password…"), _t("Change the password you sign in with")
        ),
        ActionId.USERS: ActionSpec(
            _t("&Users and teams…"), _t("Create accounts, reset passwords, deactivate accounts")
        ),
        ActionId.ADMIN_SETTINGS: ActionSpec(
            _t("Administrator &settings…"), _t("Idle lock and escalation thresholds")
        ),
        ActionId.AUDIT_SEARCH: ActionSpec(
            _t("Search the &audit trail…"), _t("Who did what, when, across the whole database")
        ),
        ActionId.RECORD_HISTORY: ActionSpec(
            _t("Record &history…"),
            _t("Every change, view and print of the open record"),
            "Ctrl+Shift+H",
        ),
        ActionId.ENCRYPTION: ActionSpec(
            _t("Database &encryption…"),
            _t("Encrypt the local database file, or change its passphrase"),
        ),
        ActionId.RESTORE: ActionSpec(
            _t("&Restore from a backup…"), _t("Replace the database with one of its backups")
        ),
        ActionId.PURGE_RECORD: ActionSpec(
            _t("&Purge record…"), _t("Erase a record that is past its retention date")
        ),
        # Print, preview and save act on what has the focus (the record, the flagged placements,
        # the due list, else the caseload); the documents below name one document each.
        ActionId.PRINT: ActionSpec(
            _t("&Print…"), _t("Print a document about what you are looking at"), K.Print
        ),
        ActionId.PRINT_PREVIEW: ActionSpec(
            _t("Print pre&view…"),
            _t("See the document about what you are looking at before printing it"),
            "Ctrl+Shift+P",
        ),
        ActionId.SAVE_PDF: ActionSpec(
            _t("Save as P&DF…"),
            _t("Save the document about what you are looking at as a PDF file"),
            "Ctrl+Shift+S",
        ),
        ActionId.PRINT_PERSON_SUMMARY: ActionSpec(
            _t("&Young person summary…"), _t("The open record, for the file (preview)")
        ),
        ActionId.PRINT_HOUSING_SUMMARY: ActionSpec(
            _t("&Housing summary…"),
            _t("What housing may see of the open record, if the young person agreed (preview)"),
        ),
        ActionId.PRINT_OFFER_STATEMENT: ActionSpec(
            _t("&Local-offer statement…"),
            _t("The local offer of the open record, addressed to the young person (preview)"),
        ),
        ActionId.PRINT_CASELOAD: ActionSpec(
            _t("&Caseload report…"), _t("The caseload shown in the list, one row each (preview)")
        ),
        ActionId.PRINT_ESCALATIONS: ActionSpec(
            _t("&Escalation report…"),
            _t("Open B&B and unsuitable placements with their level and nights (preview)"),
        ),
        ActionId.PRINT_REVIEW_SCHEDULE: ActionSpec(
            _t("&Review schedule…"),
            _t("Pathway reviews due and overdue, and planning flags (preview)"),
        ),
        ActionId.PREFERENCES: ActionSpec(
            _t("&Preferences…"), _t("Settings for this computer"), K.Preferences
        ),
        ActionId.QUIT: ActionSpec(_t("&Quit"), _t("Quit Care Leaver Tracker"), K.Quit),
        ActionId.ABOUT: ActionSpec(
            _t("&About Care Leaver Tracker"), _t("Version and licence"), None
        ),
    }


def build_action(parent: QObject, action_id: ActionId) -> QAction:
    """One action as declared above, for a window that needs only a few (the housing window)."""
    return _make(parent, action_id, specs()[action_id])


def _make(parent: QObject, action_id: ActionId, spec: ActionSpec) -> QAction:
    action = QAction(spec.text, parent)
    action.setObjectName(action_id.name.lower())
    action.setToolTip(spec.tip)
    action.setStatusTip(spec.tip)
    if spec.shortcut is not None:
        action.setShortcut(QKeySequence(spec.shortcut))
    if spec.icon:
        action.setIcon(icon(spec.icon))
    return action


def build_actions(parent: QObject) -> dict[ActionId, QAction]:
    actions = {action_id: _make(parent, action_id, spec) for action_id, spec in specs().items()}
    actions[ActionId.QUIT].setMenuRole(QAction.MenuRole.QuitRole)
    actions[ActionId.PREFERENCES].setMenuRole(QAction.MenuRole.PreferencesRole)
    actions[ActionId.ABOUT].setMenuRole(QAction.MenuRole.AboutRole)
    return actions
