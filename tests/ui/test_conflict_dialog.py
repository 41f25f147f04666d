"""Two people, one record, in the window: PA1 edits a young person's details while their manager
saves the same record from another app on the same database file. PA1's save brings up the
conflict dialog with both versions; Merge, Keep mine and Take theirs save what they say, and
cancelling loses nothing PA1 typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import select
from ui_helpers import in_modal

from careleaver_app.db.models import AuditEvent
from careleaver_app.domain.codes import LeaverCategory
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.container import open_services
from careleaver_app.ui.actions import ActionId
from careleaver_app.ui.conflict_dialog import (
    Choice,
    ConflictDialog,
    FieldDifference,
    Resolution,
    details_of,
    differences,
)
from careleaver_app.ui.dialogs.person_dialog import PersonDialog
from careleaver_app.ui.main_window import MainWindow

OPENED = PersonDetails("CL0001", "Amara", "Okafor", date(2007, 3, 1), phone="07700 900000")


@pytest.fixture
def person_id(services, staff) -> int:
    return services.people.create(staff.manager, OPENED, pa_id=staff.pa.id).entity_id


@pytest.fixture
def window(qtbot, services, staff, person_id, tmp_path):
    w = MainWindow(services, staff.pa, tmp_path / "window.ini", "test database")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.open_person(person_id)
    return w


@pytest.fixture
def other(paths, today):
    """The manager's app: a second set of services on the same database file."""
    s = open_services(paths, None, lambda: today)
    yield s
    s.close()


def manager_saves(other, staff, person_id: int, **changes) -> None:  # type: ignore[no-untyped-def]
    record = other.people.get(staff.manager, person_id)
    other.people.update(
        staff.manager, person_id, replace(details_of(record), **changes), record.version
    )


def when_conflict_shown(action: Callable[[ConflictDialog], None], errors: list) -> None:
    """Run `action` on the conflict dialog once it is open (it opens inside the Save click)."""
    tries = []

    def run() -> None:
        dialog = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, ConflictDialog) and w.isVisible()
            ),
            None,
        )
        if dialog is None:
            tries.append(1)
            if len(tries) < 200:
                QTimer.singleShot(20, run)
            return
        try:
            action(dialog)
        except BaseException as exc:
            errors.append(exc)
            dialog.reject()

    QTimer.singleShot(0, run)


def edit_meanwhile_changed(qtbot, window, other, staff, person_id, decide, after=None):  # type: ignore[no-untyped-def]
    """PA1 opens Edit details and types; the manager saves; PA1 presses Save; `decide` runs on
    the conflict dialog; `after(edit_dialog)` runs once it is closed (the edit dialog is then
    still open only if the user cancelled)."""
    errors: list[BaseException] = []
    seen: dict[str, object] = {}

    def edit(dialog: PersonDialog) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.preferred_name.setText("Mara")  # only PA1 changes this
        dialog.phone.setText("07700 900111")  # both change this
        manager_saves(other, staff, person_id, phone="07700 900222", gender="Female")
        when_conflict_shown(decide, errors)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        seen["still_open"] = dialog.isVisible()
        if after is not None:
            after(dialog)
        if dialog.isVisible():
            dialog._dirty = False
            dialog.reject()

    in_modal(edit, errors)
    window.actions_by_id[ActionId.EDIT_DETAILS].trigger()
    assert not errors, errors
    return seen


def saved(services, staff, person_id):  # type: ignore[no-untyped-def]
    return services.people.get(staff.manager, person_id)


# -- the dialog ------------------------------------------------------------------------------


def test_the_dialog_shows_both_versions_and_what_each_side_changed(qtbot):
    mine = replace(OPENED, preferred_name="Mara", phone="07700 900111")
    theirs = replace(OPENED, phone="07700 900222", gender="Female")
    dialog = ConflictDialog("Amara Okafor", OPENED, mine, theirs)
    qtbot.addWidget(dialog)

    assert list(dialog.rows) == ["preferred_name", "gender", "phone"]
    phone = dialog.rows["phone"]
    assert (phone.opened.text(), phone.mine.text(), phone.theirs.text()) == (
        "07700 900000",
        "07700 900111",
        "07700 900222",
    )
    assert dialog.rows["gender"].mine.text() == "(empty)"
    assert "changed by both" in phone.caption.text() and phone.caption.styleSheet()
    assert not dialog.rows["gender"].caption.styleSheet()
    # Defaults: each side's change where only it changed; the user's where both did.
    assert dialog.choices() == {
        "preferred_name": Choice.MINE,
        "gender": Choice.THEIRS,
        "phone": Choice.MINE,
    }
    assert phone.keep_theirs.accessibleName() == "Keep theirs: Phone"


def test_differences_know_who_changed_what():
    mine = replace(OPENED, preferred_name="Mara ", email="a@example.org")
    theirs = replace(OPENED, preferred_name="Mara", email="b@example.org", interpreter_needed=True)
    found = {d.name: d for d in differences(OPENED, mine, theirs)}
    assert set(found) == {"email", "interpreter_needed"}  # a trailing space is no change
    assert found["email"].changed_by_both and found["email"].default is Choice.MINE
    assert found["interpreter_needed"] == FieldDifference("interpreter_needed", False, False, True)
    assert found["interpreter_needed"].default is Choice.THEIRS


# -- in the window ---------------------------------------------------------------------------


def test_merge_saves_each_fields_choice_on_the_new_version(
    qtbot, window, services, other, staff, person_id
):
    def decide(dialog: ConflictDialog) -> None:
        assert dialog.rows["phone"].theirs.text() == "07700 900222"
        dialog.set_choice("phone", Choice.THEIRS)
        dialog.merge_button.click()
        assert dialog.resolution is Resolution.MERGE

    seen = edit_meanwhile_changed(qtbot, window, other, staff, person_id, decide)
    assert seen["still_open"] is False
    record = saved(services, staff, person_id)
    assert (record.preferred_name, record.phone, record.gender) == (
        "Mara",
        "07700 900222",
        "Female",
    )
    assert record.version == 3
    assert window.current_record().record.preferred_name == "Mara"


def test_merge_with_the_defaults_keeps_both_sides_changes(
    qtbot, window, services, other, staff, person_id
):
    seen = edit_meanwhile_changed(
        qtbot, window, other, staff, person_id, lambda d: d.merge_button.click()
    )
    assert seen["still_open"] is False
    record = saved(services, staff, person_id)
    assert (record.preferred_name, record.phone, record.gender) == (
        "Mara",
        "07700 900111",
        "Female",
    )


def test_keep_mine_saves_all_of_the_users_version(qtbot, window, services, other, staff, person_id):
    edit_meanwhile_changed(
        qtbot, window, other, staff, person_id, lambda d: d.keep_mine_button.click()
    )
    record = saved(services, staff, person_id)
    assert (record.preferred_name, record.phone, record.gender) == ("Mara", "07700 900111", "")
    # The audit trail has both saves: the manager's and the one that replaced it.
    with services.db.transaction(write=False) as session:
        genders = session.execute(
            select(AuditEvent.actor_id, AuditEvent.new_value)
            .where(AuditEvent.field == "gender")
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(g) for g in genders][-2:] == [(staff.manager.id, "Female"), (staff.pa.id, "")]


def test_take_theirs_discards_the_users_edit_and_writes_nothing(
    qtbot, window, services, other, staff, person_id
):
    edit_meanwhile_changed(
        qtbot, window, other, staff, person_id, lambda d: d.take_theirs_button.click()
    )
    record = saved(services, staff, person_id)
    assert (record.preferred_name, record.phone, record.gender) == ("", "07700 900222", "Female")
    assert record.version == 2
    with services.db.transaction(write=False) as session:
        pa_updates = session.scalars(
            select(AuditEvent.id).where(
                AuditEvent.action == "update", AuditEvent.actor_id == staff.pa.id
            )
        ).all()
    assert pa_updates == []
    assert window.current_record().record.phone == "07700 900222"


def test_cancel_returns_to_the_edit_form_with_everything_typed(
    qtbot, window, services, other, staff, person_id
):
    seen = {}

    def after(dialog: PersonDialog) -> None:
        seen["typed"] = (dialog.preferred_name.text(), dialog.phone.text())
        seen["message"] = dialog.message.text()

        # Save again: the dialog comes back, and this time the user merges.
        def merge(conflict: ConflictDialog) -> None:
            seen["again"] = conflict.rows["phone"].mine.text()
            conflict.merge_button.click()

        errors: list = []
        when_conflict_shown(merge, errors)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        assert not errors, errors
        seen["closed"] = not dialog.isVisible()

    def cancel(conflict: ConflictDialog) -> None:
        conflict.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    result = edit_meanwhile_changed(qtbot, window, other, staff, person_id, cancel, after)
    assert result["still_open"] is True
    assert seen["typed"] == ("Mara", "07700 900111")
    assert "Nothing was saved" in seen["message"]
    assert seen["again"] == "07700 900111" and seen["closed"]
    record = saved(services, staff, person_id)
    assert (record.preferred_name, record.phone, record.gender) == (
        "Mara",
        "07700 900111",
        "Female",
    )


def test_a_save_overtaken_again_while_merging_asks_again(
    qtbot, window, services, other, staff, person_id
):
    rounds: list[ConflictDialog] = []
    problems: list[BaseException] = []

    def decide(dialog: ConflictDialog) -> None:
        rounds.append(dialog)
        if len(rounds) == 1:
            # While PA1 decides, the manager saves once more.
            manager_saves(other, staff, person_id, email="amara@example.org")
            when_conflict_shown(decide, problems)
        else:
            # Judged against the version PA1 merged onto: the phone is PA1's own change now.
            assert set(dialog.rows) == {"preferred_name", "phone", "email"}
            assert dialog.choices()["email"] is Choice.THEIRS
            assert dialog.choices()["phone"] is Choice.MINE
            assert not dialog.rows["phone"].difference.changed_by_both
        dialog.merge_button.click()

    edit_meanwhile_changed(qtbot, window, other, staff, person_id, decide)
    assert not problems, problems
    assert len(rounds) == 2
    record = saved(services, staff, person_id)
    assert (record.preferred_name, record.phone, record.gender, record.email) == (
        "Mara",
        "07700 900111",
        "Female",
        "amara@example.org",
    )
    assert record.version == 4


def test_a_change_outside_the_details_needs_no_dialog(
    qtbot, window, services, other, staff, person_id, monkeypatch
):
    """The manager overrides the category (a new version, same details): PA1's save goes through."""
    errors: list[BaseException] = []

    def edit(dialog: PersonDialog) -> None:
        dialog.preferred_name.setText("Mara")
        other.people.override_category(
            staff.manager, person_id, LeaverCategory.QUALIFYING, "agreed at panel", 1
        )
        monkeypatch.setattr(
            ConflictDialog, "exec", lambda _: errors.append(AssertionError("a dialog")) or 0
        )
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    in_modal(edit, errors)
    window.actions_by_id[ActionId.EDIT_DETAILS].trigger()
    assert not errors, errors
    record = saved(services, staff, person_id)
    assert (record.preferred_name, record.category, record.version) == (
        "Mara",
        LeaverCategory.QUALIFYING,
        3,
    )
