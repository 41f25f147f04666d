"""The main window's menus and toolbar: where each action (declared once, in actions.py) appears."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from careleaver_app.ui.actions import ActionId


def _tr(text: str) -> str:
    # The context the texts had as MainWindow.tr() calls, so translations keep matching.
    return QCoreApplication.translate("MainWindow", text)


def build_menus(window: QMainWindow, actions: dict[ActionId, QAction]) -> None:
    """Add the menu bar's menus and the main toolbar to `window`."""
    a = actions
    menus = (
        (
            _tr("&File"),
            [
                ActionId.NEW_PERSON,
                ActionId.OPEN_RECORD,
                ActionId.CLOSE_TAB,
                None,
                ActionId.LOCK_NOW,
                ActionId.SWITCH_USER,
                ActionId.CHANGE_PASSWORD,
                ActionId.PREFERENCES,
                None,
                ActionId.QUIT,
            ],
        ),
        (_tr("&Edit"), [ActionId.FIND, ActionId.REFRESH]),
        (
            _tr("&Record"),
            [
                ActionId.EDIT_DETAILS,
                None,
                ActionId.RECORD_MOVE,
                ActionId.END_EPISODE,
                ActionId.CORRECT_EPISODE,
                None,
                ActionId.LOG_CONTACT,
                ActionId.CHANGE_ACTIVITY,
            ],
        ),
        (
            _tr("Escalat&ions"),
            [
                ActionId.FLAGGED_PLACEMENTS,
                None,
                ActionId.RECORD_DECISION,
                ActionId.RESOLVE_ESCALATION,
                ActionId.OPEN_FLAGGED_PERSON,
            ],
        ),
        (
            _tr("&Pathway"),
            [
                ActionId.DUE_REVIEWS,
                None,
                ActionId.RECORD_ASSESSMENT,
                ActionId.START_PLAN,
                ActionId.SIGN_OFF_PLAN,
                ActionId.RECORD_REVIEW,
            ],
        ),
        (
            _tr("Lo&cal offer"),
            [
                ActionId.OFFER_ADD_ENTRY,
                ActionId.OFFER_UPDATE_ENTRY,
                None,
                ActionId.OFFER_TAKE_UP,
                ActionId.OFFER_CATALOGUE,
            ],
        ),
        (
            _tr("Pri&nt"),
            [
                ActionId.PRINT,
                ActionId.PRINT_PREVIEW,
                ActionId.SAVE_PDF,
                None,
                ActionId.PRINT_PERSON_SUMMARY,
                ActionId.PRINT_HOUSING_SUMMARY,
                ActionId.PRINT_OFFER_STATEMENT,
                None,
                ActionId.PRINT_CASELOAD,
                ActionId.PRINT_ESCALATIONS,
                ActionId.PRINT_REVIEW_SCHEDULE,
            ],
        ),
        (
            _tr("&Tools"),
            [
                ActionId.RECORD_HISTORY,
                None,
                ActionId.USERS,
                ActionId.ADMIN_SETTINGS,
                ActionId.AUDIT_SEARCH,
                ActionId.ENCRYPTION,
                ActionId.RESTORE,
                ActionId.PURGE_RECORD,
            ],
        ),
        (_tr("&Help"), [ActionId.ABOUT]),
    )
    for title, ids in menus:
        menu = window.menuBar().addMenu(title)
        for action_id in ids:
            if action_id is None:
                menu.addSeparator()
            else:
                menu.addAction(a[action_id])
    toolbar = window.addToolBar(_tr("Main"))
    toolbar.setObjectName("main_toolbar")
    toolbar.setAccessibleName(_tr("Main toolbar"))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action_id in (
        ActionId.NEW_PERSON,
        ActionId.RECORD_MOVE,
        ActionId.LOG_CONTACT,
        ActionId.CHANGE_ACTIVITY,
        ActionId.EDIT_DETAILS,
        ActionId.FLAGGED_PLACEMENTS,
        ActionId.REFRESH,
    ):
        toolbar.addAction(a[action_id])
