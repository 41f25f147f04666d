"""Seeing others' work: with the window open, what another app saves on the same database (the
SQLite file, or PostgreSQL) shows in the caseload, the flagged placements and the open record
within the poll interval, without losing the user's place or touching a record being edited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex
from ui_helpers import in_modal

from careleaver_app.domain.codes import AccommodationType, Suitability
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.container import open_services
from careleaver_app.services.dto import MoveInput
from careleaver_app.ui.actions import ActionId
from careleaver_app.ui.change_watcher import ChangeWatcher
from careleaver_app.ui.conflict_dialog import details_of
from careleaver_app.ui.dialogs.person_dialog import PersonDialog
from careleaver_app.ui.lock import LockController
from careleaver_app.ui.main_window import MainWindow

POLL_MS = 50
WAIT_MS = 5000
NOTE = "Updated with changes saved by others"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _details(i: int) -> PersonDetails:
    return PersonDetails(f"CL{i:04d}", "Amara", f"Okafor{i:03d}", date(2007, 3, 1))


@pytest.fixture(params=BACKENDS)
def mine(request):  # type: ignore[no-untyped-def]
    return request.getfixturevalue("services" if request.param == "sqlite" else "pg_services")


@pytest.fixture
def staff_(request, mine):  # type: ignore[no-untyped-def]
    return request.getfixturevalue("staff" if mine.db.dialect == "sqlite" else "pg_staff")


@pytest.fixture
def other(request, mine, paths, today):  # type: ignore[no-untyped-def]
    """Another app on the same database: the manager's."""
    url = None if mine.db.dialect == "sqlite" else request.getfixturevalue("pg_url")
    s = open_services(paths, url, lambda: today)
    yield s
    s.close()


@pytest.fixture
def people(mine, staff_) -> list[int]:
    return [
        mine.people.create(staff_.pa, _details(i), pa_id=staff_.pa.id).entity_id for i in range(3)
    ]


def _window(qtbot, services, actor, tmp_path) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(services, actor, tmp_path / "window.ini", "test database")
    qtbot.addWidget(w)
    w.live_refresh.watcher.set_interval(POLL_MS)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot, mine, staff_, people, tmp_path) -> MainWindow:
    return _window(qtbot, mine, staff_.pa, tmp_path)


def manager_saves(other, staff, person_id: int, **changes) -> None:  # type: ignore[no-untyped-def]
    record = other.people.get(staff.manager, person_id)
    other.people.update(
        staff.manager, person_id, replace(details_of(record), **changes), record.version
    )


def _list_names(window: MainWindow) -> list[str]:
    model = window.caseload.model
    return [model.row_at(i).last_name for i in range(model.rowCount())]


def test_a_change_saved_in_another_app_shows_in_the_list_and_the_open_record(
    qtbot, window, other, staff_, people
):
    window.open_person(people[1])
    view = window.current_record()
    manager_saves(other, staff_, people[1], last_name="Okafor-Bello", phone="07700 900123")

    qtbot.waitUntil(lambda: "Okafor-Bello" in _list_names(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.record.phone == "07700 900123", timeout=WAIT_MS)
    assert view.record.last_name == "Okafor-Bello"
    assert "Okafor-Bello" in window.records.tabText(window.records.indexOf(view))
    assert window.statusBar().currentMessage() == NOTE


def test_the_list_keeps_the_selected_person_and_the_scroll_position(
    qtbot, mine, other, staff_, tmp_path
):
    ids = [
        mine.people.create(staff_.pa, _details(i), pa_id=staff_.pa.id).entity_id for i in range(160)
    ]
    window = _window(qtbot, mine, staff_.pa, tmp_path)
    model, table = window.caseload.model, window.caseload.table
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 160
    chosen = model.row_at(130).id
    window.caseload.select_person(chosen)
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum() - 3)
    scrolled = table.verticalScrollBar().value()
    assert scrolled > 0
    resets = []
    model.modelReset.connect(lambda: resets.append(1))

    manager_saves(other, staff_, ids[5], last_name="Okafor005-Bello")
    qtbot.waitUntil(lambda: "Okafor005-Bello" in _list_names(window), timeout=WAIT_MS)
    assert resets  # it was re-read, not patched
    assert model.rowCount() == 160
    assert window.caseload.selected_person() == chosen
    assert table.verticalScrollBar().value() == scrolled


def test_the_managers_queue_shows_a_placement_flagged_in_another_app(
    qtbot, mine, other, staff_, people, tmp_path
):
    window = _window(qtbot, mine, staff_.manager, tmp_path)
    queue = window.queue
    qtbot.waitUntil(lambda: queue.total is not None)  # read just after the window shows
    before = queue.total
    move = MoveInput(
        AccommodationType.BED_AND_BREAKFAST, date(2026, 11, 20), Suitability.UNSUITABLE
    )
    other.accommodation.record_move(staff_.pa, people[0], move)
    qtbot.waitUntil(lambda: queue.total == before + 1, timeout=WAIT_MS)
    assert str(before + 1) in window.actions_by_id[ActionId.FLAGGED_PLACEMENTS].text()


def test_a_record_being_edited_is_left_alone_until_the_form_closes(
    qtbot, window, other, staff_, people
):
    window.open_person(people[0])
    view = window.current_record()
    seen = {}
    errors: list[BaseException] = []

    def edit(dialog: PersonDialog) -> None:
        manager_saves(other, staff_, people[0], phone="07700 900123")
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == NOTE, timeout=WAIT_MS)
        seen["while_editing"] = view.record.phone
        dialog.reject()  # nothing typed: closes at once

    in_modal(edit, errors)
    window.actions_by_id[ActionId.EDIT_DETAILS].trigger()
    assert not errors, errors
    assert seen["while_editing"] == ""  # the form's record was not changed under it
    assert view.record.phone == "07700 900123"  # caught up when the form closed


def test_own_saves_and_others_views_refresh_nothing(qtbot, window, mine, other, staff_, people):
    watcher = window.live_refresh.watcher
    with qtbot.assertNotEmitted(watcher.changed, wait=10 * POLL_MS):
        other.people.get(staff_.manager, people[0])  # a view is not a change
        record = mine.people.get(staff_.pa, people[0])
        mine.people.update(  # the window's own user: it refreshes itself after its saves
            staff_.pa, people[0], replace(details_of(record), phone="07700 900123"), 1
        )
    assert window.statusBar().currentMessage() != NOTE


def test_a_record_moved_out_of_sight_is_closed(qtbot, window, other, staff_, people, today):
    window.open_person(people[2])
    other.people.allocate_pa(staff_.admin, people[2], staff_.other_pa.id, today)
    qtbot.waitUntil(lambda: window.current_record() is None, timeout=WAIT_MS)
    assert "Okafor002" not in _list_names(window)
    assert "closed" in window.statusBar().currentMessage()


def test_the_watcher_catches_up_after_a_pause(qtbot, mine, other, staff_, people):
    watcher = ChangeWatcher(mine.changes, staff_.pa, POLL_MS)
    watcher.start()
    watcher.stop()  # the lock, say
    manager_saves(other, staff_, people[1], phone="07700 900123")
    with qtbot.waitSignal(watcher.changed, timeout=WAIT_MS) as signal:
        watcher.resume()
    assert signal.args == [frozenset({people[1]}), frozenset({"young_person"})]
    watcher.stop()


def test_nothing_is_re_read_while_the_window_is_locked(qtbot, window, other, staff_, people):
    """A refresh audits the records it re-reads as viewed: not while the user is away."""
    window.open_person(people[1])
    view = window.current_record()
    lock = LockController(staff_.pa.username, lambda _password: None, 60_000)
    window.attach_lock(lock)
    lock.lock("manual")
    assert not window.live_refresh.watcher.active
    manager_saves(other, staff_, people[1], phone="07700 900123")
    qtbot.wait(5 * POLL_MS)
    assert view.record.phone == ""
    lock.unlock()
    assert window.live_refresh.watcher.active
    qtbot.waitUntil(lambda: view.record.phone == "07700 900123", timeout=WAIT_MS)
    lock.stop()
