"""Composition root of the desktop app: paths -> engine -> migrate -> services -> window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from datetime import date
from types import TracebackType

# The data layer is imported before PySide6, on purpose. Once PySide6 is loaded, its import
# hook (for `from __feature__ import ...`) reads the source of every module imported after it,
# looking for "PySide": for SQLAlchemy and our services, over 300 modules, that was 80-100 ms
# of every start. Nothing below the UI imports PySide6 (tests/test_layering.py).
from careleaver_app import __version__
from careleaver_app.config import AppConfig
from careleaver_app.paths import AppPaths
from careleaver_app.services.container import (
    Services,
    check_connection,
    database_url,
    demo_database_url,
    describe_database,
    needs_passphrase,
    open_services,
)

# isort: split
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from careleaver_app.ui import startup_check

DEMO_PEOPLE = 500
log = logging.getLogger("careleaver_app")


def _tr(text: str) -> str:
    return QCoreApplication.translate("App", text)


def _install_excepthook(paths: AppPaths) -> None:
    """An unexpected error is logged in full and shown as a message, never as a traceback."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        QMessageBox.critical(
            None,
            _tr("Care Leaver Tracker"),
            _tr(
                "Something went wrong and the action was not completed. Nothing was saved "
                "partly. Details are in the log folder: %s"
            )
            % paths.logs_dir,
        )

    sys.excepthook = hook


def _setup_logging(paths: AppPaths) -> None:
    paths.ensure()
    handler = logging.FileHandler(paths.logs_dir / "careleaver.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


DEMO_PASSWORD = "demo-password"
DEMO_HINT = "Demo database with synthetic young people: every account's password is demo-password."


def _demo_services(paths: AppPaths, today) -> tuple[Services, str]:
    from careleaver_app.services.demo import generate_demo

    url = demo_database_url(paths)
    services = open_services(paths, url, today)
    admin = services.staffing.ensure_first_administrator("admin")
    if services.people.list(admin, _count_query()).total == 0:
        progress = QProgressDialog(_tr("Creating a demo database…"), "", 0, 0)
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.show()
        QApplication.processEvents()
        generate_demo(services, admin, people=DEMO_PEOPLE, seed=1, today=today())
        progress.close()
    services.staffing.set_missing_passwords(admin, DEMO_PASSWORD)
    return services, url


def _count_query():
    from careleaver_app.services.people import PeopleQuery

    return PeopleQuery(limit=1, include_closed=True)


def _first_pa_username(services: Services) -> str:
    admin = services.staffing.ensure_first_administrator("admin")
    staff = [s for s in services.staffing.list_staff(admin) if s.active]
    chosen = next((s for s in staff if s.role.value == "personal_adviser"), staff[0])
    return chosen.username


def _ask_passphrase(
    paths: AppPaths, url: str | None, today
) -> tuple[Services, startup_check.IntegrityWatch | None, str] | None:
    """Open an encrypted local database, asking for its passphrase until it is right or the
    user gives up (None)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    from careleaver_app.domain.errors import WrongPassphrase

    message = _tr("This database is encrypted. Enter its passphrase:")
    while True:
        passphrase, ok = QInputDialog.getText(
            None, _tr("Care Leaver Tracker"), message, QLineEdit.EchoMode.Password
        )
        if not ok:
            return None
        try:
            services, watch = startup_check.open_checked(paths, url, today, passphrase)
            return services, watch, passphrase
        except startup_check.DeclinedRestore:
            return None
        except WrongPassphrase as exc:
            message = str(exc) + "\n\n" + _tr("Enter the passphrase again:")


def _sign_in(services: Services, label: str, username: str, hint: str = ""):
    from careleaver_app.services.staffing import warm_dummy_hash
    from careleaver_app.ui.sign_in_dialog import SignInDialog

    warm_dummy_hash()  # while the user types, so that the first sign-in is not slower

    dialog = SignInDialog(services.staffing.sign_in, label, username, hint)
    return dialog.actor if dialog.exec() else None


def run_gui(args: argparse.Namespace) -> int:
    from careleaver_app.domain.errors import DomainError
    from careleaver_app.services.staffing import set_up_new_database
    from careleaver_app.ui.main_window import MainWindow

    paths = AppPaths.for_dir(args.data_dir)
    _setup_logging(paths)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Care Leaver Tracker")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("CareLeaverTracker")
    _install_excepthook(paths)
    today = (lambda: args.today) if args.today else date.today
    config = AppConfig.load(paths.settings_file)
    url = args.database or os.environ.get("CARELEAVER_DATABASE_URL")
    actor = None
    hint = ""
    watch: startup_check.IntegrityWatch | None = None
    checked_local = False  # opened through the start-up check: its clean close is recorded
    passphrase: str | None = None
    try:
        if args.demo:
            services, url = _demo_services(paths, today)
            # The demo opens straight onto a PA's caseload: its data is synthetic.
            actor = services.staffing.sign_in(_first_pa_username(services), DEMO_PASSWORD)
            hint = DEMO_HINT
        elif url is None and config is None:
            from careleaver_app.ui.welcome_dialog import Choice, WelcomeDialog

            dialog = WelcomeDialog(check_connection, os.environ.get("USER", ""))
            if not dialog.exec():
                return 0
            choice = dialog.result_value()
            if choice.choice is Choice.DEMO:
                services, url = _demo_services(paths, today)
                actor = services.staffing.sign_in(_first_pa_username(services), DEMO_PASSWORD)
                hint = DEMO_HINT
            else:
                url = choice.url if choice.choice is Choice.TEAM else None
                passphrase = choice.passphrase if choice.choice is Choice.NEW else ""
                services = open_services(paths, url, today, passphrase=passphrase or None)
                if choice.choice is Choice.NEW:
                    set_up_new_database(
                        services.staffing,
                        choice.display_name,
                        choice.username,
                        choice.team,
                        choice.role,
                        choice.password,
                        choice.admin_password,
                    )
                    actor = services.staffing.sign_in(choice.username, choice.password)
            AppConfig(url, actor.username if actor else None).save(paths.settings_file)
        else:
            url = url or (config.database_url if config else None)
            if needs_passphrase(paths, url):
                opened = _ask_passphrase(paths, url, today)
                if opened is None:
                    return 0
                services, watch, passphrase = opened
            else:
                try:
                    services, watch = startup_check.open_checked(paths, url, today)
                except startup_check.DeclinedRestore:
                    return 0
            checked_local = True
        label = describe_database(url or database_url(paths, None))
        if actor is None:
            username = args.user or (config.acting_username if config else None) or ""
            actor = _sign_in(services, label, username)
            if actor is None:
                services.close()
                return 0
            AppConfig(url, actor.username).save(paths.settings_file)
    except DomainError as exc:
        QMessageBox.critical(None, _tr("Care Leaver Tracker"), str(exc))
        return 2
    except Exception as exc:
        log.exception("could not open the database")
        QMessageBox.critical(
            None, _tr("Care Leaver Tracker"), _tr("The database could not be opened: %s") % exc
        )
        return 1
    label = describe_database(url or database_url(paths, None))
    if actor.role.value == "housing_liaison":
        from careleaver_app.ui.housing_window import HousingWindow

        window = HousingWindow(services, actor, label)
    else:
        window = MainWindow(services, actor, paths.window_file, label, sign_in_hint=hint)
    window.show()
    lock = _start_lock(window, services, actor, hint)
    backups = _start_backups(window, services, paths, actor)
    if watch is not None:
        watch.start(window)
    code = app.exec()
    lock.stop()
    services.staffing.sign_out(getattr(window, "actor", actor))
    damaged = watch is not None and watch.damage is not None
    if backups is not None:
        if damaged:
            backups.stop()  # a copy of a damaged file would only be a damaged backup
        else:
            backups.stop_and_backup()  # after the sign-out, so the backup holds it
    services.close()
    if checked_local and not damaged:
        from careleaver_app.services.integrity import record_clean_shutdown

        record_clean_shutdown(paths, url)
    if watch is not None and watch.restore_requested:
        startup_check.restore_after_close(paths, url, passphrase)
    return code


def _start_backups(window, services: Services, paths: AppPaths, actor):
    """Automatic backups of a local file: every 30 minutes when it changed, and on close."""
    from careleaver_app.services.backups import Backups
    from careleaver_app.ui.backup_timer import BackupTimer

    backups = Backups(services.db, paths.backups_dir)
    if not backups.available:
        return None
    timer = BackupTimer(backups, actor, parent=window)
    if hasattr(window, "attach_backups"):
        window.attach_backups(timer, paths)
    timer.start()
    return timer


def _start_lock(window, services: Services, actor, hint: str):
    """The idle lock over every window, for whoever is signed in at the time."""
    from careleaver_app.ui.lock import LockController

    def current():
        return getattr(window, "actor", actor)

    lock = LockController(
        actor.username,
        lambda password: services.staffing.unlock(current(), password),
        services.staffing.idle_lock_minutes() * 60_000,
        window,
        on_lock=lambda reason: services.staffing.record_lock(current(), reason),
        hint=hint,
    )
    if hasattr(window, "attach_lock"):
        window.attach_lock(lock)
    painted = getattr(window, "first_painted", None)
    if painted is not None and not window.docks_loaded:
        # The idle watch sees every event in the app through a Python event filter, so PySide
        # builds the Python type of every object those events reach (90 enum types, ~35 ms)
        # before the window can paint. No one is idle yet: the watch starts once it has.
        painted.connect(lock.start)
    else:
        lock.start()
    return lock
