"""One command for the national-scale benchmarks (issue 10):

    .venv/bin/python benchmarks/run.py [--people 100000] [--runs 7] [--data-dir /tmp/bench]
                                       [--postgres URL] [--no-write]

Builds the demo database (or reuses it when it is already complete), measures every row of the
table in docs/performance.md against a baseline measured in the same run, interleaved with it,
several runs each, and writes benchmarks/results/<date>-<host>.json and docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` and the app importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import REPO, SEED, TODAY, find_cast, raw_db, run_child, search_words
from benchmarks.machine import describe_machine
from benchmarks.table import Row, build_rows, write_markdown

POSTGRES_ENV = "CARELEAVER_TEST_POSTGRES_URL"
ENV_OVERRIDES = (
    "CARELEAVER_DATABASE_URL",
    "CARELEAVER_USER",
    "CARELEAVER_PASSWORD",
    "CARELEAVER_PASSPHRASE",
)


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# -- the database -----------------------------------------------------------------------------


def demo_complete(data_dir: Path, people: int, url: str | None = None) -> bool:
    """The database holds exactly one finished demo run of `people` young people."""
    from benchmarks.common import sqlite_file

    if url is None and not sqlite_file(data_dir).exists():
        return False
    try:
        with raw_db(data_dir, url) as db:
            count = db.value("SELECT count(*) FROM young_people")
            runs = db.value(
                "SELECT count(*) FROM audit_events WHERE entity = 'demo' AND detail LIKE ?",
                (f"synthetic demo data (seed {SEED}, references CL0000001 to CL{people:07d})%",),
            )
    except Exception:  # no schema yet
        return False
    return count == people and runs == 1


def build_demo(data_dir: Path, people: int, url: str | None = None) -> float:
    """`careleaver-app --data-dir DIR [--database URL] demo --people N`; returns seconds."""
    command = [sys.executable, "-m", "careleaver_app", "--data-dir", str(data_dir)]
    if url:
        command += ["--database", url]
    command += ["--today", TODAY.isoformat(), "demo", "--people", str(people), "--seed", str(SEED)]
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def ensure_demo(data_dir: Path, people: int, url: str | None = None) -> dict[str, Any]:
    where = url.split("@")[-1] if url else str(data_dir)
    if demo_complete(data_dir, people, url):
        log(f"reusing the {people:,}-person demo database in {where}")
        return {"people": people, "built": False}
    if url is None:
        # Only ever a benchmark folder: start it again from nothing.
        for file in data_dir.glob("careleaver.sqlite3*"):
            file.unlink()
        shutil.rmtree(data_dir / "backups", ignore_errors=True)
    else:
        with raw_db(data_dir, url) as db:
            try:
                existing = db.value("SELECT count(*) FROM young_people")
            except Exception:
                existing = 0
        if existing:
            raise SystemExit(
                f"{where} already holds {existing:,} young people that are not this benchmark's "
                "demo; give an empty database (or the server, without a database name)"
            )
    data_dir.mkdir(parents=True, exist_ok=True)
    log(f"building a {people:,}-person demo database in {where} (this takes a while)")
    seconds = build_demo(data_dir, people, url)
    log(f"built in {seconds:.0f} s")
    return {"people": people, "built": True, "build_seconds": seconds}


def postgres_database(server: str, people: int) -> str:
    """The benchmark's own database on `server` (created if missing): never the one named in
    $CARELEAVER_TEST_POSTGRES_URL itself, which belongs to the tests."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    from benchmarks.common import libpq_url

    url = make_url(server)
    name = f"careleaver_bench_{people}"
    with psycopg.connect(libpq_url(server), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url.set(database=name).render_as_string(hide_password=False)


# -- the measurements -------------------------------------------------------------------------


def compile_app() -> dict[str, Any]:
    """Byte-compile the app and the probes before start-up is timed, as `pip install` does for
    a user. A checkout run with PYTHONDONTWRITEBYTECODE set (some machines set it) has no
    __pycache__, and every timed start would otherwise compile ~90 modules from source: about
    0.4 s that no user's start-up pays."""
    import compileall

    start = time.perf_counter()
    ok = all(
        compileall.compile_dir(REPO / package, quiet=1, workers=1)
        for package in ("careleaver_app", "benchmarks")
    )
    if not ok:
        raise SystemExit("benchmarks: the app does not byte-compile (see the errors above)")
    return {"compiled": True, "seconds": round(time.perf_counter() - start, 3)}


def measure_startup(data_dir: Path, cast: Any, runs: int, memory_runs: int) -> dict[str, Any]:
    """Process start to first paint: an empty window, a PA's caseload and the administrator's
    list of everyone, interleaved. Then memory: the administrator scrolls to the last row
    (fewer runs: at 100,000 rows each takes minutes), interleaved with the empty window."""
    from careleaver_app.config import AppConfig
    from careleaver_app.paths import AppPaths

    # A settings file as after a first run, so that start-up goes straight to sign-in.
    AppConfig(None, cast.pa).save(AppPaths.for_dir(data_dir).settings_file)
    app = ["startup-app", "--data-dir", str(data_dir), "--user"]
    args = {
        "baseline": ["startup-baseline"],
        "pa": [*app, cast.pa],
        "admin": [*app, cast.admin],
        "memory": [*app, cast.admin, "--scroll"],
        "memory_baseline": ["startup-baseline"],
    }
    out: dict[str, list[Any]] = {key: [] for key in args}
    run_child(["clean-close", "--data-dir", str(data_dir), "--user", cast.pa])
    if runs > 1:  # warm the disk cache; not recorded (a single run is a smoke test)
        run_child(args["baseline"])
        run_child(args["pa"])

    def one(key: str) -> None:
        started, result = run_child(args[key])
        result["seconds"] = result["painted_at"] - started
        out[key].append(result)
        log(f"  {key}: {result['seconds'] * 1000:.0f} ms, peak RSS {result['peak_rss_mb']:.0f} MB")

    for i in range(runs):
        for key in ("baseline", "pa", "admin") if i % 2 == 0 else ("admin", "pa", "baseline"):
            one(key)
    for i in range(memory_runs):
        for key in ("memory_baseline", "memory") if i % 2 == 0 else ("memory", "memory_baseline"):
            one(key)
    return out


def measure_search(data_dir: Path, cast: Any, words: list[str]) -> dict[str, Any]:
    from careleaver_app.ui.caseload_view import SEARCH_DELAY_MS

    _, result = run_child(
        [
            "search",
            "--data-dir",
            str(data_dir),
            "--user",
            cast.admin,
            "--words",
            json.dumps(words),
            "--pauses",
            ",".join(str(p) for p in sorted({0, SEARCH_DELAY_MS})),
        ]
    )
    result["pause_ms"] = SEARCH_DELAY_MS
    return result


def measure_queries(data_dir: Path, url: str | None, runs: int, words: int) -> dict[str, Any]:
    args = ["queries", "--data-dir", str(data_dir), "--runs", str(runs), "--words", str(words)]
    args += ["--national-runs", str(max(1, min(runs, 5)))]
    if url:
        args += ["--database", url]
    return run_child(args)[1]


def measure_documents(data_dir: Path, report_dir: Path, runs: int) -> dict[str, Any]:
    args = ["documents", "--data-dir", str(data_dir), "--report-dir", str(report_dir)]
    return run_child([*args, "--runs", str(runs)])[1]


def _redacted(argv: list[str]) -> list[str]:
    """The command line as recorded: a database URL's password never reaches the results."""
    from sqlalchemy.engine import make_url

    out = []
    for arg in argv:
        if "://" in arg:
            arg = make_url(arg).render_as_string(hide_password=True)
        out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="runs of each measurement")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/careleaver-bench"))
    parser.add_argument(
        "--postgres",
        help=f"PostgreSQL server or empty database (default ${POSTGRES_ENV}, if set)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL")
    parser.add_argument(
        "--postgres-only", action="store_true", help="measure only the PostgreSQL queries"
    )
    parser.add_argument(
        "--memory-runs", type=int, default=3, help="runs scrolling the whole list (slow)"
    )
    parser.add_argument("--report-people", type=int, default=1000, help="caseload report size")
    parser.add_argument("--search-names", type=int, default=6, help="names typed, key by key")
    parser.add_argument(
        "--no-write", action="store_true", help="print the table; write no results or docs"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The children must open the benchmark's databases as the benchmark's staff, whatever the
    # shell says.
    for name in ENV_OVERRIDES:
        os.environ.pop(name, None)
    data_dir = args.data_dir.resolve() / f"people-{args.people}"
    report_dir = data_dir
    if args.report_people != args.people:
        report_dir = args.data_dir.resolve() / f"people-{args.report_people}-report"
    started = datetime.now().astimezone()
    load_before = os.getloadavg()

    databases: dict[str, Any] = {}
    measured: dict[str, Any] = {}
    words: list[str] = []
    bytecode: dict[str, Any] = {"compiled": False}
    if not args.postgres_only:
        databases["sqlite"] = ensure_demo(data_dir, args.people)
        databases["report"] = ensure_demo(report_dir, args.report_people)
        with raw_db(data_dir) as db:
            cast = find_cast(db)
            words = search_words(db, args.search_names)
        log(f"acting as {cast}")
        log("start-up and memory (a fresh process each run)")
        bytecode = compile_app()
        measured["startup"] = measure_startup(data_dir, cast, args.runs, args.memory_runs)
        log("search as you type")
        measured["search"] = measure_search(data_dir, cast, words)
        log("queue, due list and search queries")
        measured["queries"] = measure_queries(data_dir, None, args.runs, args.search_names)
        log("documents")
        measured["documents"] = measure_documents(data_dir, report_dir, args.runs)

    pg_url = None if args.no_postgres else (args.postgres or os.environ.get(POSTGRES_ENV))
    if pg_url:
        from sqlalchemy.engine import make_url

        if not make_url(pg_url).database or not args.postgres:
            pg_url = postgres_database(pg_url, args.people)
        databases["postgresql"] = ensure_demo(data_dir / "postgres", args.people, pg_url)
        log("queue, due list and search queries on PostgreSQL")
        measured["postgres"] = measure_queries(
            data_dir / "postgres", pg_url, args.runs, args.search_names
        )

    machine = describe_machine(pg_url)
    machine["load_average_before"] = load_before
    machine["load_average_after"] = os.getloadavg()
    rows: list[Row] = build_rows(measured, args.people)
    result = {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": "benchmarks/run.py " + " ".join(_redacted(argv or sys.argv[1:])),
        "settings": {
            "people": args.people,
            "runs": args.runs,
            "memory_runs": args.memory_runs,
            "report_people": args.report_people,
            "search_names": words,
            "today": TODAY.isoformat(),
            "seed": SEED,
            "bytecode": bytecode,
        },
        "databases": databases,
        "machine": machine,
        "rows": [row.as_dict() for row in rows],
        "raw": measured,
    }
    from benchmarks.table import markdown_table

    print(markdown_table(rows))
    if not args.no_write:
        results = REPO / "benchmarks" / "results"
        results.mkdir(exist_ok=True)
        name = f"{started:%Y-%m-%d}-{platform.node() or 'host'}.json"
        (results / name).write_text(json.dumps(result, indent=1, default=str) + "\n")
        write_markdown(REPO / "docs" / "performance.md", result, rows, f"benchmarks/results/{name}")
        log(f"wrote benchmarks/results/{name} and docs/performance.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
