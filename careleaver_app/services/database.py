"""The unit of work: one session and one transaction per user action, committed here only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from careleaver_app.db.engine import WRITE
from careleaver_app.domain.errors import ConflictError

Clock = Callable[[], date]


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

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
        self.engine.dispose()
