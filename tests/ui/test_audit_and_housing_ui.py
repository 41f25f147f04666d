"""Issue 8 in the app: a manager reads a record's history, an administrator searches the trail,
and a housing liaison officer sees only the DESIGN 3.6 fields of young people who consented."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTextEdit,
    QWidget,
)

from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import AccommodationType, ContactKind, Role, Suitability
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.ui.audit_model import AuditModel, Column, FullTextRole
from careleaver_app.ui.audit_views import AuditSearchDialog, RecordHistoryDialog
from careleaver_app.ui.housing_model import HousingEpisodeModel, HousingListModel, ListColumn
from careleaver_app.ui.housing_window import HousingWindow

# Values that must never reach a housing liaison officer's screen (DESIGN 3.6).
SECRETS = {
    "ethnicity": "Zetarian heritage",
    "religion": "Order of Quillon",
    "immigration_status": "Pending Xylo appeal",
    "health_needs": "Takes Brimocaine daily",
}
SECRET_NOTE = "Disclosed a Vortigan matter"


def _details(reference, first, last, **more):
    return PersonDetails(reference, first, last, date(2005, 6, 1), **more)


def _person(services, actor, details, pa_id, team_id=None):
    changes = services.people.create(
        actor,
        details,
        pa_id=pa_id,
        team_id=team_id,
        care_periods=(CarePeriod(date(2019, 1, 1), date(2023, 6, 1)),),
    )
    return changes.entity_id


@pytest.fixture
def liaison(services, staff):
    services.staffing.create_staff(
        staff.admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, staff.team.id
    )
    return services.staffing.actor("hl1")


@pytest.fixture
def jordan(services, staff):
    """Consented; has secrets, a contact note, two placements and an open B&B escalation."""
    details = _details(
        "CL0100",
        "Jordan",
        "Baker",
        preferred_name="Jo",
        phone="07700 900123",
        email="jordan@example.org",
        contact_address="Flat 2, 10 Example Road, Stafford",
        housing_consent=True,
        housing_support_needs="Needs help setting up utilities",
    )
    pid = _person(services, staff.pa, details, staff.pa.id)
    record = services.people.get(staff.pa, pid)
    services.people.update(staff.pa, pid, replace(details, **SECRETS), record.version)
    services.contacts.log_contact(
        staff.pa, pid, ContactInput(date(2026, 11, 2), ContactKind.VISIT, note=SECRET_NOTE)
    )
    move = services.accommodation.record_move
    move(
        staff.pa,
        pid,
        MoveInput(AccommodationType.SEMI_INDEPENDENT, date(2023, 6, 1), Suitability.SUITABLE),
    )
    move(
        staff.pa,
        pid,
        MoveInput(AccommodationType.BED_AND_BREAKFAST, date(2026, 11, 20), Suitability.UNSUITABLE),
    )
    return pid


@pytest.fixture
def others(services, staff):
    """One young person of the team who did not consent, one of another team who did."""
    no = _person(services, staff.pa, _details("CL0200", "Nadia", "Private"), staff.pa.id)
    far = _person(
        services,
        staff.other_pa,
        _details("CL0300", "Farid", "Faraway", housing_consent=True),
        staff.other_pa.id,
    )
    return no, far


def widget_texts(root: QWidget) -> list[str]:
    """Every piece of text the window could show: widget text, tooltips, names, and every
    role of every cell and header of every item model in it."""
    texts: list[str] = []
    models: set[int] = set()
    for w in [root, *root.findChildren(QWidget)]:
        texts += [w.toolTip(), w.statusTip(), w.whatsThis(), w.windowTitle()]
        texts += [w.accessibleName(), w.accessibleDescription()]
        if isinstance(w, QLabel | QLineEdit | QAbstractButton):
            texts.append(w.text())
        if isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        if isinstance(w, QTextEdit):
            texts.append(w.toPlainText())
        if isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            while model is not None and id(model) not in models:
                models.add(id(model))
                texts += model_texts(model)
                model = getattr(model, "sourceModel", lambda: None)()
        for action in w.actions():
            texts += [action.text(), action.toolTip(), action.statusTip()]
    return [t for t in texts if isinstance(t, str) and t]


def model_texts(model: QAbstractItemModel) -> list[str]:
    roles = [
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.StatusTipRole,
        Qt.ItemDataRole.WhatsThisRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.AccessibleDescriptionRole,
        Qt.ItemDataRole.UserRole,
        Qt.ItemDataRole.UserRole + 1,
        Qt.ItemDataRole.UserRole + 2,
    ]
    texts = []
    for column in range(model.columnCount()):
        texts += [str(model.headerData(column, Qt.Orientation.Horizontal, r)) for r in roles]
        for row in range(model.rowCount()):
            index = model.index(row, column, QModelIndex())
            texts += [str(model.data(index, r)) for r in roles]
    return texts


def _listed(window: HousingWindow) -> list[str]:
    m = window.model
    return [m.index(r, ListColumn.REFERENCE).data() for r in range(m.rowCount())]


def _history_rows(dialog: RecordHistoryDialog) -> list[dict[Column, str]]:
    proxy = dialog.events.proxy
    return [
        {c: proxy.index(r, c).data(FullTextRole) for c in Column} for r in range(proxy.rowCount())
    ]


# -- record history ---------------------------------------------------------------------------


def test_manager_reads_a_last_name_change_with_old_and_new_values(qtbot, services, staff, jordan):
    record = services.people.get(staff.pa, jordan)
    details = _details("CL0100", "Jordan", "Baker-Smith", housing_consent=True, **SECRETS)
    details = replace(
        details,
        preferred_name=record.preferred_name,
        phone=record.phone,
        email=record.email,
        contact_address=record.contact_address,
        housing_support_needs=record.housing_support_needs,
    )
    services.people.update(staff.pa, jordan, details, record.version)

    dialog = RecordHistoryDialog(services, staff.manager, jordan, "Jordan Baker-Smith")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.error is None
    assert not dialog.notice.isVisible()
    rows = _history_rows(dialog)
    change = [r for r in rows if r[Column.FIELD] == "last name" and r[Column.ACTION] == "update"]
    assert len(change) == 1
    assert change[0][Column.OLD] == "Baker"
    assert change[0][Column.NEW] == "Baker-Smith"
    assert change[0][Column.WHO] == "Alex Adviser (pa1)"
    assert change[0][Column.WHAT] == f"young person #{jordan}"
    # Newest first: the rename comes before the creation of the record.
    assert rows.index(change[0]) < next(
        i for i, r in enumerate(rows) if r[Column.ACTION] == "create"
    )

    # The filter box narrows the list; the selected event is shown in full below.
    qtbot.keyClicks(dialog.filter, "Baker-Smith")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)  # Enter moves on; it does not close
    assert dialog.isVisible()
    assert [r[Column.NEW] for r in _history_rows(dialog)] == ["Baker-Smith"]
    assert "1 of" in dialog.count.text()
    dialog.events.table.selectRow(0)
    detail = dialog.events.detail.toPlainText()
    assert "Baker-Smith" in detail and "last name" in detail


def test_a_pa_opening_a_history_gets_a_message_and_no_rows(qtbot, services, staff, jordan):
    dialog = RecordHistoryDialog(services, staff.pa, jordan, "Jordan Baker")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.error and "may not" in dialog.error
    assert dialog.notice.isVisible()
    assert dialog.notice.text().startswith("The history cannot be shown")
    assert "Traceback" not in dialog.notice.text()
    assert dialog.events.model.rowCount() == 0
    assert not dialog.filter.isEnabled()


def test_long_values_are_shortened_in_the_table_and_whole_in_tooltip_and_detail(
    qtbot, services, staff, jordan
):
    record = services.people.get(staff.pa, jordan)
    long_text = "Needs a ground-floor flat near the college. " * 6 + "\nSecond line."
    details = _details(
        "CL0100",
        "Jordan",
        "Baker",
        preferred_name="Jo",
        housing_consent=True,
        housing_support_needs=long_text,
    )
    services.people.update(staff.pa, jordan, details, record.version)
    dialog = RecordHistoryDialog(services, staff.manager, jordan, "Jordan Baker")
    qtbot.addWidget(dialog)
    dialog.filter.setText("ground-floor")
    index = dialog.events.proxy.index(0, Column.NEW)
    assert index.data().endswith("…") and len(index.data()) <= 60
    assert "Second line." in index.data(Qt.ItemDataRole.ToolTipRole)
    dialog.events.table.selectRow(0)
    assert "Second line." in dialog.events.detail.toPlainText()


# -- audit search -------------------------------------------------------------------------------


def test_administrator_searches_by_username_and_by_text(qtbot, services, staff, jordan):
    dialog = AuditSearchDialog(services, staff.admin)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.action.itemData(0) == ""  # "Any action" first
    assert dialog.action.findData("update") > 0

    qtbot.keyClicks(dialog.user, "pa1")
    qtbot.keyClick(dialog.user, Qt.Key.Key_Return)  # Enter searches
    found = dialog.events.model.rowCount()
    assert found > 0
    assert all(dialog.events.model.row_at(r).actor == "Alex Adviser (pa1)" for r in range(found))
    assert f"{found} event" in dialog.count.text()

    dialog.user.clear()
    dialog.text.setText(SECRETS["religion"])
    dialog.search_button.click()
    rows = [dialog.events.model.row_at(r) for r in range(dialog.events.model.rowCount())]
    assert [(r.field, r.new_value) for r in rows] == [("religion", SECRETS["religion"])]

    dialog.text.clear()
    dialog.entity.setText("young person")  # as the table writes it
    dialog.entity_id.setText(str(jordan))
    dialog.action.setCurrentIndex(dialog.action.findData("create"))
    assert dialog.search() and dialog.query().entity == "young_person"


def test_search_mistakes_and_refusals_are_messages_not_tracebacks(qtbot, services, staff):
    dialog = AuditSearchDialog(services, staff.admin)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.use_since.setChecked(True)
    dialog.use_until.setChecked(True)
    dialog.since.setDate(date(2026, 11, 20))
    dialog.until.setDate(date(2026, 11, 1))
    assert dialog.search() is None
    assert dialog.notice.isVisible()
    assert "To: must be on or after" in dialog.notice.text()

    refused = AuditSearchDialog(services, staff.manager)
    qtbot.addWidget(refused)
    refused.show()
    assert refused.search() is None
    assert refused.notice.text().startswith("The search was refused")
    assert refused.events.model.rowCount() == 0


def test_audit_model_passes_qt_model_tester(qtmodeltester, services, staff, jordan):
    model = AuditModel()
    model.set_rows(services.audit_trail.history(staff.manager, jordan))
    assert model.rowCount() > 3
    qtmodeltester.check(model, force_py=True)


# -- housing liaison -------------------------------------------------------------------------


def _housing_window(qtbot, services, actor):
    window = HousingWindow(services, actor, "test database")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


def test_housing_window_lists_only_consenting_young_people_of_the_team(
    qtbot, services, staff, liaison, jordan, others
):
    window = _housing_window(qtbot, services, liaison)
    assert _listed(window) == ["CL0100"]
    row = {c: window.model.index(0, c).data() for c in ListColumn}
    assert row[ListColumn.NAME] == "Jordan Baker"
    assert row[ListColumn.DATE_OF_BIRTH] == "01/06/2005"
    assert row[ListColumn.ACCOMMODATION] == "W2 · Bed and breakfast · unsuitable"
    assert row[ListColumn.ESCALATION] == "⚑ Yes"
    assert window.user_label.text() == "Signed in as Hana Housing (Housing liaison)"
    assert window.db_label.text() == "test database"
    assert window.quit_action in window.file_menu.actions()
    assert not window.quit_action.shortcut().isEmpty()

    # Search as you type: no match empties the list; clearing it brings Jordan back.
    qtbot.keyClicks(window.search, "zzz")
    qtbot.waitUntil(lambda: _listed(window) == [])
    window.search.clear()
    qtbot.waitUntil(lambda: _listed(window) == ["CL0100"])


def test_enter_on_the_list_shows_the_summary_and_f6_moves_between_panes(
    qtbot, services, staff, liaison, jordan
):
    window = _housing_window(qtbot, services, liaison)
    window.focus_list()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    s = window.current_summary
    assert s is not None and s.person_id == jordan
    detail = window.detail
    assert "Jordan Baker (known as Jo)" in detail.header.text()
    assert detail.fields["date_of_birth"].text() == "01/06/2005 (age 21)"
    assert detail.fields["phone"].text() == "07700 900123"
    assert detail.fields["email"].text() == "jordan@example.org"
    assert detail.fields["address"].text() == "Flat 2, 10 Example Road, Stafford"
    assert detail.fields["support"].text() == "Needs help setting up utilities"
    assert detail.fields["pa"].text().startswith("Alex Adviser")
    assert detail.fields["team"].text() == "North Team"
    assert "Level 2 · Head of service: 6 nights" in detail.fields["escalations"].text()
    assert "W · Bed and breakfast" in detail.fields["escalations"].text()
    history = detail.episodes
    assert [history.index(r, 0).data() for r in range(history.rowCount())] == [
        "W · Bed and breakfast",
        "D · Semi-independent, transitional or supported",
    ]
    assert history.index(0, 2).data() == "current"
    assert history.index(0, 4).data() == "⚑ Unsuitable"
    assert history.index(1, 1).data() == "01/06/2023"
    assert detail.isAncestorOf(QApplication.focusWidget())

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert QApplication.focusWidget() is window.table
    qtbot.keyClick(window.table, Qt.Key.Key_F6)
    assert detail.isAncestorOf(QApplication.focusWidget())


def test_housing_window_never_shows_health_ethnicity_religion_immigration_or_notes(
    qtbot, services, staff, liaison, jordan
):
    """The key privacy test: every text of every widget and model, after the summary is shown."""
    window = _housing_window(qtbot, services, liaison)
    assert window.select_person(jordan)
    qtbot.waitUntil(lambda: window.current_summary is not None)
    texts = "\n".join(widget_texts(window))
    assert "Needs help setting up utilities" in texts  # the walk does see the summary
    assert "07700 900123" in texts
    for secret in [*SECRETS.values(), SECRET_NOTE]:
        assert secret not in texts
    # And the values are really in the record: a PA sees them.
    record = services.people.get(staff.pa, jordan)
    assert record.religion == SECRETS["religion"]
    assert any(c.note == SECRET_NOTE for c in record.contacts)


def test_housing_window_calls_no_service_but_housing(qtbot, services, staff, liaison, jordan):
    only_housing = SimpleNamespace(housing=services.housing)
    window = _housing_window(qtbot, only_housing, liaison)
    window.show_person(jordan)
    window.refresh()
    assert window.current_summary is not None


def test_withdrawn_consent_is_a_message_and_the_summary_is_cleared(
    qtbot, services, staff, liaison, jordan
):
    window = _housing_window(qtbot, services, liaison)
    window.show_person(jordan)
    record = services.people.get(staff.pa, jordan)
    details = _details("CL0100", "Jordan", "Baker", housing_consent=False)
    services.people.update(staff.pa, jordan, details, record.version)
    assert window.show_person(jordan, force=True) is None
    assert "has not agreed to share" in window.detail.message.text()
    assert window.detail.fields["phone"].text() == ""
    window.refresh()
    assert _listed(window) == []


def test_housing_models_pass_qt_model_tester(qtmodeltester, services, staff, liaison, jordan):
    listed = HousingListModel()
    listed.set_rows(services.housing.consenting(liaison))
    qtmodeltester.check(listed, force_py=True)
    episodes = HousingEpisodeModel()
    episodes.set_rows(services.housing.summary(liaison, jordan).accommodation)
    assert episodes.rowCount() == 2
    qtmodeltester.check(episodes, force_py=True)
