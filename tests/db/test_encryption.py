"""Encryption at rest: an encrypted SQLite database (SQLCipher) keeps names out of every file it
and its backups leave on disk, opens only with its passphrase, and behaves like plain SQLite."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from alembic.config import Config
from sqlalchemy import func, select

from careleaver_app.db import migrate as migrate_module
from careleaver_app.db.encryption import (
    backup_file,
    decrypt_file,
    encrypt_file,
    table_counts,
)
from careleaver_app.db.engine import (
    BUSY_TIMEOUT_MS,
    PassphraseRequired,
    connect_file,
    engine_passphrase,
    is_encrypted_file,
    make_engine,
    sqlite_url,
)
from careleaver_app.db.migrate import head_revision
from careleaver_app.db.models import AuditEvent
from careleaver_app.domain.codes import ContactKind, InTouch
from careleaver_app.domain.errors import (
    DomainError,
    PermissionDenied,
    ValidationError,
    WrongPassphrase,
)
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services import encryption
from careleaver_app.services.backup import backup_database
from careleaver_app.services.container import describe_database, open_services
from careleaver_app.services.dto import ContactInput
from careleaver_app.services.people import PeopleQuery
from tests.conftest import TODAY, Staff

PASSPHRASE = "correct horse 'battery\" staple"
OTHER_PASSPHRASE = "a different passphrase entirely"
FIRST, LAST = "Sentinelzyx", "Qwertyuiop"
NOTE = f"Saw {FIRST} {LAST} at the flat"


@pytest.fixture
def services(paths):  # type: ignore[no-untyped-def]
    """Overrides the plain `services` (and so `staff`): the same services, encrypted."""
    s = open_services(paths, None, lambda: TODAY, passphrase=PASSPHRASE)
    yield s
    s.close()


def open_encrypted(paths, passphrase: str | None = PASSPHRASE):  # type: ignore[no-untyped-def]
    return open_services(paths, None, lambda: TODAY, passphrase=passphrase)


def add_sentinel(services, staff: Staff) -> int:  # type: ignore[no-untyped-def]
    details = PersonDetails(
        "CL-SENTINEL",
        FIRST,
        LAST,
        date(2007, 7, 1),
        preferred_name=FIRST,
        contact_address=f"1 {LAST} Road",
        housing_support_needs=NOTE,
    )
    person = services.people.create(staff.pa, details, pa_id=staff.pa.id).entity_id
    for day in (date(2026, 11, 1), date(2026, 11, 20)):
        services.contacts.log_contact(
            staff.pa, person, ContactInput(day, ContactKind.VISIT, InTouch.YES, note=NOTE)
        )
    return person


def files_under(*places: Path) -> list[Path]:
    found: list[Path] = []
    for place in places:
        if place.is_file():
            found.append(place)
        elif place.is_dir():
            found.extend(p for p in sorted(place.rglob("*")) if p.is_file())
    return found


def files_holding_the_name(*places: Path) -> list[str]:
    """Every file under `places` holding either half of the name, in any case, as UTF-8 or
    UTF-16 (SQLite stores text in one of them; the search index folds it to lower case)."""
    needles = [
        word.lower().encode(encoding)
        for word in (FIRST, LAST)
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    ]
    return [
        f"{path.name}: {needle!r}"
        for path in files_under(*places)
        for needle in needles
        if needle in path.read_bytes().lower()
    ]


def later_revision(monkeypatch, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    """Make the app see a revision after today's head, so opening the database migrates it."""
    source = Path(str(resources.files("careleaver_app.db").joinpath("migrations")))
    scripts = tmp_path / "migrations"
    shutil.copytree(source, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_probe.py").write_text(
        '"""a later schema change, used only by the tests"""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "9001"\ndown_revision = "{head_revision()}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n"
        '    op.create_table("migration_probe", sa.Column("id", sa.Integer(), primary_key=True))\n'
        "\n\ndef downgrade():\n"
        '    op.drop_table("migration_probe")\n'
    )

    def config() -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(scripts))
        return cfg

    monkeypatch.setattr(migrate_module, "alembic_config", config)
    monkeypatch.setattr(migrate_module, "SCHEMA_HEAD", "9001")
    return "9001"


def counts_of(path: Path, passphrase: str | None) -> dict[str, int]:
    conn = connect_file(path, passphrase)
    try:
        return table_counts(conn)
    finally:
        conn.close()


def people(services, actor) -> list[str]:  # type: ignore[no-untyped-def]
    query = PeopleQuery(include_closed=True)
    return [r.last_name for r in services.people.list(actor, query).rows]


# -- the test: the name is in no file ------------------------------------------------


def test_a_name_written_to_an_encrypted_database_is_in_none_of_its_files_nor_backups(
    services, staff, paths, monkeypatch, tmp_path
):
    add_sentinel(services, staff)
    assert people(services, staff.pa) == [LAST]  # it is there, readable through the app
    # While open, the newest pages live in the -wal file: those are encrypted too.
    assert Path(f"{paths.database_file}-wal").exists()
    assert files_holding_the_name(paths.data_dir) == []

    taken = backup_database(services.db, staff.admin, paths.backups_dir, TODAY)
    services.close()

    # A newer release migrates the database and backs it up first, with the same key.
    later_revision(monkeypatch, tmp_path)
    reopened = open_encrypted(paths)
    try:
        migration_backup = reopened.migration.backup
        assert migration_backup is not None
        assert people(reopened, staff.pa) == [LAST]
    finally:
        reopened.close()

    backups = files_under(paths.backups_dir)
    assert taken in backups
    assert migration_backup in backups
    for backup in backups:
        assert is_encrypted_file(backup), backup
    assert files_holding_the_name(paths.data_dir) == []


def test_the_name_check_finds_the_name_in_a_plain_database(paths):
    """The check above can fail: on an unencrypted database it finds the name everywhere."""
    plain = open_services(paths, None, lambda: TODAY)
    try:
        staff = Staff(plain)
        add_sentinel(plain, staff)
        backup = backup_database(plain.db, staff.admin, paths.backups_dir, TODAY)
    finally:
        plain.close()
    found = files_holding_the_name(paths.database_file)
    assert f"{paths.database_file.name}: {FIRST.lower().encode()!r}" in found
    assert f"{paths.database_file.name}: {LAST.lower().encode()!r}" in found
    assert files_holding_the_name(backup) != []
    assert not is_encrypted_file(paths.database_file)


# -- the passphrase ------------------------------------------------------------------------


def test_a_wrong_passphrase_is_refused_with_a_clear_error_and_the_file_is_untouched(
    services, staff, paths
):
    add_sentinel(services, staff)
    services.close()
    before = paths.database_file.read_bytes()
    mtime = paths.database_file.stat().st_mtime_ns

    with pytest.raises(WrongPassphrase, match="passphrase does not unlock") as wrong:
        open_encrypted(paths, "not the passphrase")
    assert not isinstance(wrong.value, PassphraseRequired)
    assert "not the passphrase" not in str(wrong.value)
    with pytest.raises(PassphraseRequired, match="is encrypted: give its passphrase"):
        open_encrypted(paths, None)

    assert paths.database_file.read_bytes() == before
    assert paths.database_file.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in paths.data_dir.glob("*.sqlite3*")) == ["careleaver.sqlite3"]
    again = open_encrypted(paths)
    try:
        assert people(again, staff.pa) == [LAST]
    finally:
        again.close()


def test_a_plain_database_opened_with_a_passphrase_is_refused_and_left_plain(paths):
    open_services(paths, None, lambda: TODAY).close()
    before = paths.database_file.read_bytes()
    with pytest.raises(WrongPassphrase, match="not encrypted: open it without a passphrase"):
        open_encrypted(paths)
    assert paths.database_file.read_bytes() == before


def test_the_passphrase_is_never_shown(services):
    url = services.db.engine.url
    assert engine_passphrase(services.db.engine) == PASSPHRASE
    for shown in (repr(url), str(url), describe_database(str(url)), repr(services.db.engine)):
        assert PASSPHRASE not in shown
        assert "battery" not in shown


def test_an_empty_passphrase_is_refused(paths):
    with pytest.raises(ValidationError, match="passphrase: is empty"):
        open_encrypted(paths, "")


# -- the same SQLite, encrypted -------------------------------------------------------------


def test_encrypted_database_keeps_the_pragmas_and_write_locks_of_plain_sqlite(services, paths):
    with services.db.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == BUSY_TIMEOUT_MS
        assert pragma("cipher_version")  # SQLCipher, not plain SQLite
        assert pragma("temp_store") == 2  # MEMORY: no unencrypted temporary files

    from sqlcipher3 import dbapi2

    def other_writer_can_begin() -> bool:
        other = dbapi2.connect(str(paths.database_file), timeout=0, isolation_level=None)
        try:
            other.execute("PRAGMA key = 'correct horse ''battery\" staple'")
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return True
        except dbapi2.OperationalError as exc:
            assert "locked" in str(exc)
            return False
        finally:
            other.close()

    with services.db.transaction():
        assert not other_writer_can_begin()
    with services.db.transaction(write=False):
        assert other_writer_can_begin()


def test_encrypted_database_and_its_side_files_are_owner_only_even_with_a_permissive_umask(
    paths,
):
    previous = os.umask(0)
    try:
        s = open_encrypted(paths)
        try:
            staff = Staff(s)
            add_sentinel(s, staff)
            sides = list(paths.data_dir.glob(paths.database_file.name + "-*"))
            assert sides  # -wal and -shm while open
            for file in [paths.database_file, *sides]:
                assert file.stat().st_mode & 0o777 == 0o600, file
            backup = backup_database(s.db, staff.admin, paths.backups_dir, TODAY)
        finally:
            s.close()
    finally:
        os.umask(previous)
    assert backup.stat().st_mode & 0o777 == 0o600


def test_plain_backups_are_owner_only_even_with_a_permissive_umask(paths, tmp_path):
    plain = open_services(paths, None, lambda: TODAY)
    previous = os.umask(0)
    try:
        staff = Staff(plain)
        target = backup_database(plain.db, staff.admin, tmp_path / "copy.sqlite3", TODAY)
    finally:
        os.umask(previous)
        plain.close()
    assert target.stat().st_mode & 0o777 == 0o600
    assert not is_encrypted_file(target)


# -- backups -------------------------------------------------------------------------------


def test_backup_of_an_encrypted_database_opens_with_the_passphrase_and_has_every_row(
    services, staff, paths, tmp_path
):
    add_sentinel(services, staff)
    live = counts_of(paths.database_file, PASSPHRASE)  # before the backup audits itself
    target = backup_database(services.db, staff.admin, tmp_path / "copies" / "b.sqlite3", TODAY)
    assert is_encrypted_file(target)
    assert counts_of(target, PASSPHRASE) == live
    assert live["young_people"] == 1 and live["contacts"] == 2
    with pytest.raises(PassphraseRequired):
        counts_of(target, None)
    with pytest.raises(WrongPassphrase):
        counts_of(target, OTHER_PASSPHRASE)
    conn = connect_file(target, PASSPHRASE)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_a_failed_backup_leaves_no_file_behind(paths, tmp_path):
    open_encrypted(paths).close()
    with pytest.raises(WrongPassphrase):
        backup_file(paths.database_file, tmp_path / "b.sqlite3", OTHER_PASSPHRASE)
    assert list(tmp_path.glob("*b.sqlite3*")) == []


# -- encrypting, changing the passphrase, decrypting ------------------------------------------


def test_an_administrator_encrypts_a_plain_database_and_the_app_goes_on_working(paths):
    plain = open_services(paths, None, lambda: TODAY)
    try:
        staff = Staff(plain)
        add_sentinel(plain, staff)
        before = counts_of(paths.database_file, None)
        encryption.encrypt_database(plain.db, staff.admin, PASSPHRASE)
        assert encryption.is_encrypted(plain.db)
        assert is_encrypted_file(paths.database_file)
        # The same services, now over the encrypted file: reads, the search index and writes.
        assert people(plain, staff.pa) == [LAST]
        found = plain.people.list(staff.pa, PeopleQuery(search="sentinelz")).rows
        assert [r.last_name for r in found] == [LAST]
        plain.staffing.create_team(staff.admin, "East Team")
        with plain.db.transaction(write=False) as session:
            events = session.scalars(
                select(AuditEvent).where(AuditEvent.entity == "database")
            ).all()
        assert [(e.action, e.actor_id) for e in events] == [("encrypted", staff.admin.id)]
        assert PASSPHRASE not in events[0].detail
    finally:
        plain.close()

    after = counts_of(paths.database_file, PASSPHRASE)
    assert after["young_people"] == before["young_people"] == 1
    assert after["contacts"] == before["contacts"] == 2
    assert after["teams"] == before["teams"] + 1
    assert files_holding_the_name(paths.database_file) == []
    with pytest.raises(PassphraseRequired):
        open_encrypted(paths, None)
    again = open_encrypted(paths)
    try:
        assert people(again, staff.pa) == [LAST]
    finally:
        again.close()


def test_only_an_administrator_may_encrypt_and_a_short_passphrase_is_refused(paths):
    plain = open_services(paths, None, lambda: TODAY)
    try:
        staff = Staff(plain)
        with pytest.raises(PermissionDenied):
            encryption.encrypt_database(plain.db, staff.manager, PASSPHRASE)
        with pytest.raises(ValidationError, match="at least"):
            encryption.encrypt_database(plain.db, staff.admin, "short")
        assert people(plain, staff.admin) == []
    finally:
        plain.close()
    assert not is_encrypted_file(paths.database_file)


def test_encrypting_is_refused_while_the_database_is_open_elsewhere(paths):
    plain = open_services(paths, None, lambda: TODAY)
    other = make_engine(sqlite_url(paths.database_file))  # another window on the same file
    try:
        staff = Staff(plain)
        with other.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM staff").scalar()
            with pytest.raises(DomainError, match="open elsewhere"):
                encryption.encrypt_database(plain.db, staff.admin, PASSPHRASE)
        assert not is_encrypted_file(paths.database_file)
        assert not encryption.is_encrypted(plain.db)
        assert len(plain.staffing.list_staff(staff.admin)) == 5
    finally:
        other.dispose()
        plain.close()
    assert [p.name for p in paths.data_dir.iterdir() if p.name.endswith(".tmp")] == []


def test_changing_the_passphrase_re_encrypts_under_the_new_one(services, staff, paths):
    add_sentinel(services, staff)
    with pytest.raises(WrongPassphrase, match="current passphrase is wrong"):
        encryption.change_passphrase(services.db, staff.admin, "a wrong guess!", OTHER_PASSPHRASE)
    with pytest.raises(PermissionDenied):
        encryption.change_passphrase(services.db, staff.pa, PASSPHRASE, OTHER_PASSPHRASE)
    encryption.change_passphrase(services.db, staff.admin, PASSPHRASE, OTHER_PASSPHRASE)
    assert people(services, staff.pa) == [LAST]
    services.close()

    with pytest.raises(WrongPassphrase):
        open_encrypted(paths, PASSPHRASE)
    again = open_encrypted(paths, OTHER_PASSPHRASE)
    try:
        assert people(again, staff.pa) == [LAST]
        with again.db.transaction(write=False) as session:
            actions = session.scalars(
                select(AuditEvent.action).where(AuditEvent.entity == "database")
            ).all()
        assert actions == ["passphrase_changed"]
    finally:
        again.close()
    assert files_holding_the_name(paths.data_dir) == []


def test_decrypting_stores_the_database_plain_again(services, staff, paths):
    add_sentinel(services, staff)
    encryption.decrypt_database(services.db, staff.admin, PASSPHRASE)
    assert not encryption.is_encrypted(services.db)
    assert people(services, staff.pa) == [LAST]
    services.close()
    assert not is_encrypted_file(paths.database_file)
    plain = open_services(paths, None, lambda: TODAY)
    try:
        assert people(plain, staff.pa) == [LAST]
    finally:
        plain.close()


def test_backups_taken_before_encryption_are_listed_as_plain_copies(paths):
    plain = open_services(paths, None, lambda: TODAY)
    try:
        staff = Staff(plain)
        old = backup_database(plain.db, staff.admin, paths.backups_dir, TODAY)
        encryption.encrypt_database(plain.db, staff.admin, PASSPHRASE)
        new = backup_database(plain.db, staff.admin, paths.backups_dir / "new.sqlite3", TODAY)
    finally:
        plain.close()
    assert encryption.plain_copies(paths.backups_dir) == [old]
    assert is_encrypted_file(new)


# -- the file-level functions ----------------------------------------------------------------


def test_encrypt_and_decrypt_a_file_into_new_files_with_every_row(services, staff, paths, tmp_path):
    add_sentinel(services, staff)
    services.close()
    plain = tmp_path / "plain.sqlite3"
    counts = decrypt_file(paths.database_file, plain, PASSPHRASE)
    assert counts["young_people"] == 1
    assert not is_encrypted_file(plain)
    assert counts_of(plain, None) == counts
    assert plain.stat().st_mode & 0o777 == 0o600

    encrypted = tmp_path / "again.sqlite3"
    assert encrypt_file(plain, encrypted, OTHER_PASSPHRASE) == counts
    assert counts_of(encrypted, OTHER_PASSPHRASE) == counts
    assert files_holding_the_name(encrypted) == []
    with pytest.raises(DomainError, match="already encrypted"):
        encrypt_file(encrypted, tmp_path / "twice.sqlite3", PASSPHRASE)
    with pytest.raises(FileExistsError):
        encrypt_file(plain, encrypted, PASSPHRASE)  # never overwrites


def test_a_new_database_can_be_created_encrypted(paths):
    s = open_encrypted(paths)
    try:
        assert s.migration is not None and s.migration.before is None
        Staff(s)
        with s.db.transaction(write=False) as session:
            assert session.scalar(select(func.count()).select_from(AuditEvent)) > 0
    finally:
        s.close()
    assert is_encrypted_file(paths.database_file)


def test_without_the_sqlcipher3_package_a_passphrase_is_refused_clearly(paths, monkeypatch):
    """sqlcipher3-binary has wheels for Linux x86-64 only; elsewhere encryption says so."""
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)
    monkeypatch.setitem(sys.modules, "sqlcipher3.dbapi2", None)
    with pytest.raises(DomainError, match="need the sqlcipher3 package"):
        open_encrypted(paths)
    assert not paths.database_file.exists()


def test_the_app_can_tell_before_opening_whether_to_ask_for_the_passphrase(paths):
    from careleaver_app.services import container

    assert not container.needs_passphrase(paths)  # no database yet
    open_services(paths, None, lambda: TODAY).close()
    assert not container.needs_passphrase(paths)
    assert not container.needs_passphrase(paths, "postgresql://u@h/care")
    paths.database_file.unlink()
    open_encrypted(paths).close()
    assert container.needs_passphrase(paths)
    assert container.needs_passphrase(paths, sqlite_url(paths.database_file))
    with pytest.raises(container.PassphraseRequired):
        open_services(paths, None, lambda: TODAY)
