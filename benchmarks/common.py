"""What the benchmark parent and its child processes share: the fixed date and seed, medians,
raw database connections (the baselines' side) and the staff each measurement acts as."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 26)  # every run judges nights, levels and due dates on the same day
SEED = 1
RESULT_PREFIX = "BENCH-RESULT "  # a child's one line of JSON on stdout starts with this


def median_ms(seconds: Sequence[float]) -> float:
    return statistics.median(seconds) * 1000


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def interleaved(
    runs: int, measured: Callable[[], Any], baseline: Callable[[], Any] | None, *, warm: int = 1
) -> tuple[list[float], list[float], Any, Any]:
    """Run baseline and measured alternately (after `warm` unrecorded rounds of each), so that
    whatever else the machine is doing weighs on both alike. Returns both sample lists (seconds)
    and the last result of each."""
    got = base = None
    for _ in range(warm):
        if baseline is not None:
            base = baseline()
        got = measured()
    samples: list[float] = []
    base_samples: list[float] = []
    for i in range(runs):
        # Alternate which goes first, so neither always inherits the other's warm caches.
        order = [(baseline, base_samples), (measured, samples)]
        if i % 2:
            order.reverse()
        for call, into in order:
            if call is None:
                continue
            seconds, result = timed(call)
            into.append(seconds)
            if call is measured:
                got = result
            else:
                base = result
    return samples, base_samples, got, base


def emit(result: dict[str, Any]) -> None:
    """A child's answer to the parent: one line on stdout."""
    print(RESULT_PREFIX + json.dumps(result, default=str), flush=True)


def run_child(args: Sequence[str], timeout: float = 1800) -> tuple[float, dict[str, Any]]:
    """Run `python -m benchmarks.probes ARGS`; return the wall clock at its start (time.time(),
    just before the fork) and its result."""
    command = [sys.executable, "-m", "benchmarks.probes", *args]
    started = time.time()
    done = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return started, json.loads(line[len(RESULT_PREFIX) :])
    raise RuntimeError(
        f"benchmark child {' '.join(args)} failed (exit {done.returncode}):\n"
        f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )


# -- raw database access (the baselines, and finding whom to act as) --------------------------


def as_date(value: Any) -> date | None:
    """SQLite hands back ISO strings; PostgreSQL (and JSON from either) dates or strings."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


@dataclass
class RawDb:
    """A DB-API connection (sqlite3 or psycopg) with `?` placeholders on both."""

    conn: Any
    dialect: str  # "sqlite" or "postgresql"

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.dialect == "postgresql":
            sql = sql.replace("?", "%s")
        cur = self.conn.cursor()
        try:
            cur.execute(sql, tuple(params))
            return list(cur.fetchall())
        finally:
            cur.close()

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def close(self) -> None:
        self.conn.close()


def sqlite_file(data_dir: Path) -> Path:
    return Path(data_dir) / "careleaver.sqlite3"


@contextmanager
def raw_db(data_dir: Path, url: str | None = None) -> Iterator[RawDb]:
    if url:
        import psycopg

        conn = psycopg.connect(libpq_url(url), autocommit=True)
        db = RawDb(conn, "postgresql")
    else:
        import sqlite3

        db = RawDb(sqlite3.connect(sqlite_file(data_dir)), "sqlite")
    try:
        yield db
    finally:
        db.close()


def libpq_url(url: str) -> str:
    """`postgresql+psycopg://...` (SQLAlchemy's spelling) as libpq takes it."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


@dataclass(frozen=True)
class Cast:
    """Who each measurement acts as, and on whom."""

    pa: str  # a personal adviser: the ordinary start-up
    admin: str  # sees all 100,000: search, memory and the national queue
    manager: str  # the team manager of the team with the most open escalations
    team_id: int
    liaison: str  # the housing liaison officer
    housing_person_id: int  # a consenting young person of the liaison officer's team


def find_cast(db: RawDb) -> Cast:
    def username(role: str) -> str:
        return db.value(
            "SELECT username FROM staff WHERE role = ? AND active = ? ORDER BY id LIMIT 1",
            (role, True),
        )

    team_id = db.value(
        "SELECT p.team_id FROM escalations e JOIN young_people p ON p.id = e.person_id "
        "WHERE e.status = 'open' GROUP BY p.team_id ORDER BY count(*) DESC, p.team_id LIMIT 1"
    )
    manager = db.value(
        "SELECT username FROM staff WHERE role = 'team_manager' AND team_id = ? "
        "ORDER BY id LIMIT 1",
        (team_id,),
    )
    liaison, liaison_team = db.rows(
        "SELECT username, team_id FROM staff WHERE role = 'housing_liaison' ORDER BY id LIMIT 1"
    )[0]
    # The consenting young person with the longest accommodation history: the fullest summary.
    person = db.value(
        "SELECT p.id FROM young_people p JOIN accommodation_episodes e ON e.person_id = p.id "
        "WHERE p.team_id = ? AND p.housing_consent = ? AND p.closed_on IS NULL "
        "GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1",
        (liaison_team, True),
    )
    return Cast(
        pa=username("personal_adviser"),
        admin=username("administrator"),
        manager=manager,
        team_id=int(team_id),
        liaison=liaison,
        housing_person_id=int(person),
    )


def search_words(db: RawDb, count: int) -> list[str]:
    """What a user types: the full names of `count` young people spread through the list."""
    total = db.value("SELECT count(*) FROM young_people")
    step = max(1, total // (count + 1))
    words = []
    for k in range(1, count + 1):
        first, last = db.rows(
            "SELECT first_name, last_name FROM young_people ORDER BY id LIMIT 1 OFFSET ?",
            (min(total - 1, k * step),),
        )[0]
        words.append(f"{first} {last}".lower())
    return words
