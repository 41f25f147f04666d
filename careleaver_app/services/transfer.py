"""Copying a whole database into an empty one: how a PA's local pilot becomes the team's
PostgreSQL database (and how a server's data comes back to a SQLite file).

The target is migrated to the current schema, then every table is copied in foreign-key order,
primary keys and all, in one transaction: either everything arrives and the row counts match,
or nothing does. The audit trail is copied too (INSERT is all its triggers allow, and all that
is needed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    Engine,
    Table,
    bindparam,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from careleaver_app.db.engine import WRITE, make_engine, normalise_url, sqlite_file
from careleaver_app.db.migrate import SCHEMA_HEAD, current_revision, migrate
from careleaver_app.db.models import AuditEvent, Base
from careleaver_app.db.repositories import SEARCH_TABLE
from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.audit import record
from careleaver_app.services.database import Database
from careleaver_app.services.permissions import Action, require

# Rows the migrations themselves insert (the default local-offer catalogue): a freshly
# migrated database has them, and the source's own rows take their place.
SEEDED_TABLES = frozenset({"offer_items"})
# Never copied: Alembic's bookkeeping (the target's own migration writes it) and the SQLite
# full-text index with its shadow tables (rebuilt from young_people on a SQLite target).
_NOT_DATA = ("alembic_version", SEARCH_TABLE)
BATCH_ROWS = 2000


@dataclass(frozen=True, slots=True)
class TransferReport:
    source: str
    target: str
    counts: dict[str, int] = field(default_factory=dict)  # rows copied, per table

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        return (
            f"Copied {self.rows:,} rows in {len(self.counts)} tables from {self.source} to "
            f"{self.target}; every table's row count matches."
        )


def _describe(url: str) -> str:
    from careleaver_app.services.container import describe_database

    return describe_database(url)


def _same_database(source: Engine, target_url: str) -> bool:
    target = make_url(target_url)
    if source.dialect.name == "sqlite" and target.get_backend_name() == "sqlite":
        a, b = sqlite_file(source.url), sqlite_file(target)
        return a is not None and b is not None and a.resolve() == b.resolve()
    here = source.url
    return (here.get_backend_name(), here.host, here.port, here.database) == (
        target.get_backend_name(),
        target.host,
        target.port,
        target.database,
    )


def _is_data_table(name: str) -> bool:
    return not any(name == skip or name.startswith(f"{skip}_") for skip in _NOT_DATA)


def _first_filled_table(conn: Connection) -> tuple[str, int] | None:
    """The first table (in copying order, then any other) holding rows the transfer would mix
    with; seeded catalogue rows do not count."""
    present = set(inspect(conn).get_table_names())
    ordered = [t.name for t in Base.metadata.sorted_tables if t.name in present]
    others = sorted(present - set(ordered))
    for name in [*ordered, *others]:
        if name in SEEDED_TABLES or not _is_data_table(name):
            continue
        quoted = conn.dialect.identifier_preparer.quote(name)
        rows = conn.execute(text(f"SELECT count(*) FROM {quoted}")).scalar_one()
        if rows:
            return name, rows
    return None


def _refuse_unless_empty(conn: Connection, target: str) -> None:
    filled = _first_filled_table(conn)
    if filled is not None:
        name, rows = filled
        raise DomainError(
            f"The database {target} is not empty: table '{name}' has {rows:,} rows. Transfer "
            "copies into an empty database only; nothing was changed."
        )


def _utc(value: Any) -> Any:
    # SQLite keeps UTC moments without their zone; a server keeps the zone. Either way, UTC.
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _copy_table(source: Connection, target: Connection, table: Table, batch: int) -> int:
    moments = [c.name for c in table.columns if isinstance(c.type, DateTime) and c.type.timezone]
    # A JSON column's SQL NULL stays NULL (not the JSON value null).
    values = {
        c.name: bindparam(c.name, type_=JSON(none_as_null=True))
        for c in table.columns
        if isinstance(c.type, JSON)
    }
    statement = insert(table).values(values) if values else insert(table)
    query = select(table).order_by(*table.primary_key.columns)
    copied = 0
    result = source.execution_options(yield_per=batch).execute(query)
    for part in result.partitions(batch):
        rows = [dict(row._mapping) for row in part]
        for row in rows:
            for name in moments:
                row[name] = _utc(row[name])
        target.execute(statement, rows)
        copied += len(rows)
    return copied


def _count(conn: Connection, table: Table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _reset_sequences(conn: Connection) -> None:
    """Copied ids skip PostgreSQL's sequences: start each after its table's highest id."""
    for table in Base.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].name != "id" or key[0].autoincrement not in (True, "auto"):
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:name, 'id'), coalesce(max(id), 1), "
                f'max(id) IS NOT NULL) FROM "{table.name}"'
            ),
            {"name": table.name},
        )


def _rebuild_search_index(conn: Connection) -> None:
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = ?", (SEARCH_TABLE,)
    ).first()
    if found is not None:
        conn.exec_driver_sql(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")


def _read_snapshot(engine: Engine) -> Connection:
    """A connection whose transaction sees the source as of one moment, however long the copy
    takes (SQLite's WAL gives each read transaction a snapshot)."""
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def transfer(
    source: Database,
    target_url: str,
    actor: Actor,
    *,
    target_passphrase: str | None = None,
    batch_rows: int = BATCH_ROWS,
) -> TransferReport:
    """Copy everything in `source` into the empty database at `target_url` (administrators).

    SQLite to PostgreSQL, PostgreSQL to SQLite, or SQLite to SQLite; `target_passphrase`
    encrypts a new SQLite target. The target is refused, with nothing changed, unless it is
    empty; it is migrated first, then filled in one transaction that commits only when every
    table holds as many rows as the source did. Audited in both databases.
    """
    require(actor, Action.BACKUP)
    target_url = normalise_url(target_url)
    source_name = _describe(source.engine.url.render_as_string())
    target_name = _describe(target_url)
    if _same_database(source.engine, target_url):
        raise DomainError("The target is the database being copied; nothing was changed.")
    if current_revision(source.engine) != SCHEMA_HEAD:
        raise DomainError(
            f"The database {source_name} is not at this version's schema; open it with this "
            "version first (that migrates it), then transfer."
        )
    engine = make_engine(target_url, passphrase=target_passphrase)
    try:
        with engine.connect() as conn:
            _refuse_unless_empty(conn, target_name)
        migrate(engine)
        with (
            _read_snapshot(source.engine) as read,
            read.begin(),
            engine.connect() as write,
            write.execution_options(**{WRITE: True}).begin(),
        ):
            _refuse_unless_empty(write, target_name)  # nobody filled it meanwhile
            counts = _copy_all(read, write, batch_rows)
            report = TransferReport(source_name, target_name, counts)
            _audit(write, actor, "import", f"copied from {source_name}: {report.rows:,} rows")
    finally:
        engine.dispose()
    with source.transaction() as session:
        record(session, actor, "export", "database", None, detail=f"copied to {target_name}")
    return report


def _copy_all(read: Connection, write: Connection, batch_rows: int) -> dict[str, int]:
    """Every table, parents before children, then the checks and the target's own upkeep."""
    tables = Base.metadata.sorted_tables
    for table in reversed(tables):
        if table.name in SEEDED_TABLES:
            write.execute(table.delete())
    counts: dict[str, int] = {}
    for table in tables:
        try:
            counts[table.name] = _copy_table(read, write, table, batch_rows)
        except DBAPIError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise DomainError(
                f"The target refused a row of '{table.name}' ({reason}); nothing was copied."
            ) from exc
    for table in tables:
        expected, arrived = _count(read, table), _count(write, table)
        if not expected == arrived == counts[table.name]:
            raise DomainError(
                f"'{table.name}' has {expected:,} rows but {arrived:,} arrived; nothing was copied."
            )
    if write.dialect.name == "postgresql":
        _reset_sequences(write)
    elif write.dialect.name == "sqlite":
        _rebuild_search_index(write)
    return counts


def _audit(conn: Connection, actor: Actor, action: str, detail: str) -> None:
    # The actor's staff row was copied with the rest, under the same id.
    conn.execute(
        insert(AuditEvent).values(
            at=datetime.now(UTC),
            actor_id=actor.id,
            action=action,
            entity="database",
            entity_id=None,
            detail=detail,
        )
    )
