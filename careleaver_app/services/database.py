"""The unit of work: one session and one transaction per user action, committed here only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from careleaver_app.db.engine import WRITE
from careleaver_app.db.repositories import SEARCH_TABLE
from careleaver_app.domain.errors import ConflictError

Clock = Callable[[], date]


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @cached_property
    def has_search_index(self) -> bool:
        """The SQLite trigram index exists (the migration skips it where FTS5 is missing)."""
        if self.dialect != "sqlite":
            return False
        with self.engine.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (SEARCH_TABLE,)
            ).first()
        return found is not None

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """Everything inside commits together or not at all."""
        with self._sessions() as session:
            session.connection(execution_options={WRITE: write})
            try:
                yield session
                session.commit()
            except StaleDataError as exc:
                session.rollback()
                raise ConflictError(
                    "Someone else saved this record after you opened it; nothing was saved. "
                    "Reopen it to see their changes."
                ) from exc
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        if self.dialect == "sqlite":
            # SQLite's advice for long-lived connections: refresh planner statistics on close.
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        self.engine.dispose()
