"""Regenerate docs/screenshots/*.png from a demo database, offscreen.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
(CARELEAVER_SCREENSHOTS_DIR writes them elsewhere, to compare before replacing.)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from careleaver_app.domain.codes import AccommodationType
from careleaver_app.domain.errors import DomainError
from careleaver_app.domain.offer import EntryStatus
from careleaver_app.paths import AppPaths
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services, open_services
from careleaver_app.services.demo import generate_demo
from careleaver_app.services.offer import EntryInput
from careleaver_app.ui.actions import ActionId
from careleaver_app.ui.main_window import MainWindow
from careleaver_app.ui.offer_catalogue import OfferCatalogueDialog

TODAY = date(2026, 11, 26)
OUT = Path(
    os.environ.get("CARELEAVER_SCREENSHOTS_DIR")
    or Path(__file__).resolve().parent.parent / "docs" / "screenshots"
)

# A few ledger entries for the Local offer screenshot, where the demo has none for the person:
# (item, status, pence, quantity, date, note, declined reason).
OFFER_HISTORY = (
    ("Setting-up-home allowance", EntryStatus.PAID, 120_000, None, date(2026, 9, 14),
     "Bed, cooker and kettle for the new flat", ""),
    ("Setting-up-home allowance", EntryStatus.APPROVED, 45_000, None, date(2026, 11, 2),
     "Sofa and curtains", ""),
    ("Driving lessons", EntryStatus.PAID, None, 4, date(2026, 10, 20), "First block of lessons",
     ""),
    ("Leisure funding", EntryStatus.REQUESTED, 2_000, None, date(2026, 11, 20),
     "Climbing wall, monthly pass", ""),
    ("Broadband / Wi-Fi", EntryStatus.DECLINED, 4_000, None, date(2026, 11, 10),
     "Asked for a faster package", "Above the monthly allowance; a cheaper package agreed"),
)  # fmt: skip


def add_offer_history(services: Services, actor: Actor, person_id: int) -> None:
    if services.offer.statement(actor, person_id).entries:
        return
    items = {c.item.name: c.item.id for c in services.offer.catalogue()}
    for name, status, pence, quantity, on, note, declined in OFFER_HISTORY:
        if name not in items:
            continue
        entry = EntryInput(
            items[name],
            on,
            status,
            amount_pence=pence,
            quantity=None if quantity is None else Decimal(quantity),
            note=note,
            declined_reason=declined,
        )
        try:
            services.offer.add_entry(actor, person_id, entry)
        except DomainError as exc:  # not eligible (age, category): the screenshot has fewer rows
            print(f"skipped {name}: {exc}")


def shoot_print_preview(app: QApplication, window: MainWindow) -> None:
    """The open record's young person summary in the print preview, once its pages are drawn."""
    output = window.print_commands.output
    window.actions_by_id[ActionId.PRINT_PERSON_SUMMARY].trigger()
    deadline = time.monotonic() + 60
    while output.preview is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    dialog = output.preview
    if dialog is None:
        print("no print preview: the document was not built")
        return
    dialog.resize(1000, 1100)
    # QPdfView draws its pages on a thread of its own: shoot once two grabs agree.
    shot, deadline = dialog.grab().toImage(), time.monotonic() + 10
    while time.monotonic() < deadline:
        settle = time.monotonic() + 0.5
        while time.monotonic() < settle:
            app.processEvents()
            time.sleep(0.02)
        again = dialog.grab().toImage()
        if again == shot:
            break
        shot = again
    shot.save(str(OUT / "print-preview.png"))
    dialog.close()
    app.processEvents()


def main() -> int:
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        paths = AppPaths(Path(tmp))
        services = open_services(paths, None, lambda: TODAY)
        admin = services.staffing.ensure_first_administrator("admin")
        generate_demo(services, admin, people=300, seed=7, today=TODAY)
        staff = [
            s for s in services.staffing.list_staff(admin) if s.role.value == "personal_adviser"
        ]
        actor = services.staffing.actor(staff[0].username)
        window = MainWindow(services, actor, paths.window_file, "careleaver.sqlite3 (demo)")
        window.resize(1440, 860)
        window.show()
        app.processEvents()
        window.grab().save(str(OUT / "main-window.png"))
        model = window.caseload.model
        flagged = next(
            (model.row_at(i) for i in range(model.rowCount()) if model.row_at(i).flags),
            model.row_at(0),
        )
        window.open_person(flagged.id)
        window.current_record().tabs.setCurrentIndex(1)
        app.processEvents()
        window.grab().save(str(OUT / "record.png"))
        shoot_print_preview(app, window)

        def shoot() -> None:
            dialog = next(
                w for w in app.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
            )
            dialog.type.setCurrentIndex(
                dialog.type.findData(AccommodationType.BED_AND_BREAKFAST.value)
            )
            dialog.unsuitable.setChecked(True)
            dialog.address.setText("12 Example Street, Stafford")
            dialog.postcode.setText("ST16 2AB")
            app.processEvents()
            dialog.grab().save(str(OUT / "move-dialog.png"))
            dialog.done(0)

        QTimer.singleShot(200, shoot)
        window.actions_by_id[ActionId.RECORD_MOVE].trigger()
        window.current_record().tabs.setCurrentWidget(window.current_record().pathway)
        app.processEvents()
        window.grab().save(str(OUT / "pathway.png"))
        add_offer_history(services, actor, flagged.id)
        window.refresh()
        window.current_record().tabs.setCurrentWidget(window.current_record().offer)
        window.resize(1800, 860)  # the caseload keeps its width; the record gets room to read
        app.processEvents()
        window.splitter.setSizes([800, 1000])
        app.processEvents()
        window.grab().save(str(OUT / "local-offer.png"))
        window.close()

        catalogue = OfferCatalogueDialog(services, admin)
        catalogue.show()
        app.processEvents()
        catalogue.grab().save(str(OUT / "offer-catalogue.png"))
        catalogue.close()

        managers = [
            s for s in services.staffing.list_staff(admin) if s.role.value == "team_manager"
        ]
        manager = MainWindow(
            services,
            services.staffing.actor(managers[0].username),
            paths.window_file,
            "careleaver.sqlite3 (demo)",
        )
        manager.resize(1440, 860)
        manager.show()
        manager.queue_dock.show_queue()
        manager.pathway_dock.show_due()
        app.processEvents()
        manager.grab().save(str(OUT / "manager.png"))
        manager.close()
        services.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
