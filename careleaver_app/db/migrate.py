"""Bring a database to the current schema: back up first (SQLite), refuse a newer database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from careleaver_app.db.encryption import backup_file
from careleaver_app.db.engine import engine_passphrase, sqlite_file
from careleaver_app.domain.errors import DomainError

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision this release ships (a test holds it to the migrations folder). A database
# already there opens without loading Alembic at all, which keeps start-up quick.
SCHEMA_HEAD = "0006"


class DatabaseTooNew(DomainError):
    """The database was written by a newer version of the app."""


@dataclass(frozen=True)
class MigrationResult:
    before: str | None
    after: str | None
    backup: Path | None


# Search indexes made by migrations alone, one per database: SQLite's FTS5 table (and its shadow
# tables) and PostgreSQL's pg_trgm index, which no model can describe.
_SEARCH_TABLE_PREFIX = "people_search"
_SEARCH_INDEXES = frozenset({"ix_young_people_search_text_trgm"})


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the search indexes out of comparisons between the models and the database: they
    are made by the migrations, not by a model."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(_SEARCH_TABLE_PREFIX)
    return not (type_ == "index" and name in _SEARCH_INDEXES)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option(
        "script_location", str(resources.files("careleaver_app.db").joinpath("migrations"))
    )
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision stored in the database; None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_not_newer(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    current = current_revision(engine)
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseTooNew(
            f"This database was written by a newer version of Care Leaver Tracker "
            f"(schema {current}). Install the newer version to open it; nothing was changed."
        )
    return current


def backup_sqlite(source: Path, target: Path, passphrase: str | None = None) -> Path:
    """An online, consistent, owner-only copy through SQLite's backup API (safe while others
    use it); the copy of an encrypted database is encrypted with the same passphrase."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return backup_file(source, target, passphrase)


def migrate(engine: Engine, backups_dir: Path | None = None) -> MigrationResult:
    """Upgrade to the newest schema; a SQLite file with data is backed up before any change."""
    current = current_revision(engine)
    if current == SCHEMA_HEAD:
        return MigrationResult(current, current, None)
    from alembic import command

    before = check_not_newer(engine)
    head = head_revision()
    if before == head:
        return MigrationResult(before, head, None)
    backup = None
    file = sqlite_file(engine.url) if engine.dialect.name == "sqlite" else None
    if file is not None and before is not None and file.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = backups_dir or file.parent / "backups"
        target = folder / f"before-migration-{before}-{stamp}.sqlite3"
        backup = backup_sqlite(file, target, engine_passphrase(engine))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return MigrationResult(before, head, backup)
