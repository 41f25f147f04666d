"""Opening a database and the services over it: the composition both the CLI and the app use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from careleaver_app.db.engine import (
    PassphraseRequired as PassphraseRequired,  # re-exported: the app and CLI do not import db
)
from careleaver_app.db.engine import (
    is_encrypted_file,
    is_sqlite,
    make_engine,
    normalise_url,
    sqlite_file,
    sqlite_url,
)
from careleaver_app.db.migrate import MigrationResult, migrate
from careleaver_app.paths import AppPaths
from careleaver_app.services.accommodation import Accommodation
from careleaver_app.services.changes import ChangeFeed
from careleaver_app.services.contacts import Contacts
from careleaver_app.services.database import Clock, Database
from careleaver_app.services.escalations import Escalations
from careleaver_app.services.pathway import Pathway
from careleaver_app.services.people import People
from careleaver_app.services.staffing import Staffing

if TYPE_CHECKING:
    from careleaver_app.services.audit_trail import AuditTrail
    from careleaver_app.services.housing import Housing
    from careleaver_app.services.offer import Offer
    from careleaver_app.services.printing import Printing


@dataclass
class Services:
    db: Database
    people: People
    accommodation: Accommodation
    contacts: Contacts
    staffing: Staffing
    escalations: Escalations
    pathway: Pathway
    changes: ChangeFeed
    today: Clock = date.today
    migration: MigrationResult | None = None

    # The services below (and the modules behind them: the documents, the offer's rules) are
    # made when first used, not at start-up: a window opens on the caseload without them.

    @cached_property
    def offer(self) -> Offer:
        from careleaver_app.services.offer import Offer

        return Offer(self.db, self.today)

    @cached_property
    def housing(self) -> Housing:
        from careleaver_app.services.housing import Housing

        return Housing(self.db, self.today)

    @cached_property
    def audit_trail(self) -> AuditTrail:
        from careleaver_app.services.audit_trail import AuditTrail

        return AuditTrail(self.db)

    @cached_property
    def printing(self) -> Printing:
        from careleaver_app.services.printing import Printing

        return Printing(self.db, self.today)

    def close(self) -> None:
        self.db.dispose()


def database_url(paths: AppPaths, url: str | None) -> str:
    return normalise_url(url) if url else sqlite_url(paths.database_file)


def needs_passphrase(paths: AppPaths, url: str | None = None) -> bool:
    """The SQLite file `open_services(paths, url)` would open is encrypted: ask for the
    passphrase first. (Opening it without one raises PassphraseRequired, a WrongPassphrase.)"""
    url = database_url(paths, url)
    file = sqlite_file(url) if is_sqlite(url) else None
    return file is not None and is_encrypted_file(file)


def describe_database(url: str) -> str:
    """What to show a user: the file, or the server and database (never the password)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or "in memory"
    return f"{parsed.host or 'localhost'}/{parsed.database} ({parsed.get_backend_name()})"


def demo_database_url(paths: AppPaths) -> str:
    """The demo database lives beside the real one and never replaces it."""
    return sqlite_url(paths.demo_database_file)


def build(engine: Engine, today: Clock = date.today) -> Services:
    db = Database(engine)
    return Services(
        db=db,
        people=People(db, today),
        accommodation=Accommodation(db, today),
        contacts=Contacts(db, today),
        staffing=Staffing(db),
        escalations=Escalations(db, today),
        pathway=Pathway(db, today),
        changes=ChangeFeed(db),
        today=today,
    )


def open_services(
    paths: AppPaths,
    url: str | None = None,
    today: Clock = date.today,
    *,
    migrate_now: bool = True,
    passphrase: str | None = None,
) -> Services:
    """Engine, migrations (with a backup first on SQLite), services.

    `passphrase` opens (or creates) an encrypted SQLite file; a wrong one, or none for an
    encrypted file, raises WrongPassphrase (PassphraseRequired) before anything is written.
    """
    url = database_url(paths, url)
    if is_sqlite(url):
        paths.ensure()
    engine = make_engine(url, passphrase=passphrase)
    try:
        result = migrate(engine, paths.backups_dir) if migrate_now else None
    except BaseException:
        engine.dispose()
        raise
    services = build(engine, today)
    services.migration = result
    return services


def check_connection(url: str) -> str | None:
    """None when `url` opens a database this version can use; otherwise the reason it cannot."""
    from sqlalchemy import text

    from careleaver_app.db.migrate import DatabaseTooNew, check_not_newer

    try:
        engine = make_engine(url)
    except Exception as exc:  # a malformed URL or an unknown driver
        return str(exc)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        check_not_newer(engine)
    except DatabaseTooNew as exc:
        return str(exc)
    except Exception as exc:
        return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    finally:
        engine.dispose()
    return None
