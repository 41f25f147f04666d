"""Crash harness (issue 9): SIGKILL the writer at random moments of a stream of writes, then
check the database after every kill. See docs/crash-test.md.

    .venv/bin/python tests/crash/harness.py --kills 220 --seed 1

Exit status 0 only when there was nothing lost, nothing partial, no integrity failure, every
reopen was clean and every writer ran until it was killed.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parents[1]):  # writer/checks beside us; the app from the checkout
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from checks import check, cut_torn_line  # noqa: E402
from writer import PA_USERNAME, READY, TODAY  # noqa: E402

from careleaver_app.db.migrate import SCHEMA_HEAD  # noqa: E402
from careleaver_app.domain.codes import Role  # noqa: E402
from careleaver_app.paths import AppPaths  # noqa: E402
from careleaver_app.services.container import open_services  # noqa: E402

WRITER = HERE / "writer.py"
ACK_FILE = "acknowledged.txt"
WRITER_LOG = "writer-stderr.txt"
PAUSE_MS = (20, 400)  # how long the writer writes, once it is ready, before the kill
EARLY_KILL_SHARE = 0.1  # these kills land while the writer is still starting and opening
EARLY_KILL_SECONDS = 1.5  # ... at a random moment in this long after it was started
READY_TIMEOUT = 60.0


@dataclass
class Report:
    kills: int = 0
    early_kills: int = 0  # of which before the writer said it was ready
    acknowledged: Counter[str] = field(default_factory=Counter)
    # Each problem, with the number of the kill after which it was first seen.
    lost: dict[str, int] = field(default_factory=dict)
    partial: dict[str, int] = field(default_factory=dict)
    integrity: dict[str, int] = field(default_factory=dict)
    reopen: dict[str, int] = field(default_factory=dict)
    writer: dict[str, int] = field(default_factory=dict)  # a writer that died by itself
    ack_problems: dict[str, int] = field(default_factory=dict)  # unreadable lines, missing acks
    torn_lines: int = 0
    unacknowledged: int = 0  # committed, then killed before the ack: at most one per kill
    seconds: float = 0.0

    @property
    def problems(self) -> dict[str, dict[str, int]]:
        return {
            "lost": self.lost,
            "partial": self.partial,
            "integrity failures": self.integrity,
            "reopen failures": self.reopen,
            "writer failures": self.writer,
            "ack file problems": self.ack_problems,
        }

    @property
    def ok(self) -> bool:
        return not any(self.problems.values())

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.acknowledged.items()))
        lines = [
            f"kills: {self.kills} ({self.early_kills} while the writer was starting)",
            f"acknowledged transactions: {sum(self.acknowledged.values())} ({kinds})",
            f"committed but killed before the ack: {self.unacknowledged}"
            f" (torn ack lines ignored: {self.torn_lines})",
            *(f"{name}: {len(found)}" for name, found in self.problems.items()),
            f"time: {self.seconds:.1f} s",
        ]
        for name, found in self.problems.items():
            for problem, kill in list(found.items())[:20]:
                lines.append(f"  {name} (after kill {kill}): {problem}")
        return "\n".join(lines)


def set_up(data_dir: Path) -> None:
    """A new database with an administrator, a team and the PA the writer acts as."""
    paths = AppPaths(data_dir)
    if paths.database_file.exists():
        raise FileExistsError(f"{paths.database_file} exists: give the harness a new folder")
    services = open_services(paths, None, lambda: TODAY)
    try:
        admin = services.staffing.ensure_first_administrator("admin")
        team = services.staffing.create_team(admin, "Crash Team")
        services.staffing.create_staff(
            admin, PA_USERNAME, "Casey Crash", Role.PERSONAL_ADVISER, team.id
        )
    finally:
        services.close()


def reopen_problem(data_dir: Path) -> str | None:
    """The app opens the database again after the crash, with nothing to migrate."""
    try:
        services = open_services(AppPaths(data_dir), None, lambda: TODAY)
        try:
            result = services.migration
            services.staffing.actor(PA_USERNAME)
        finally:
            services.close()
    except Exception as exc:
        return f"open_services failed: {exc!r}"
    if result is None or (result.before, result.after, result.backup) != (
        SCHEMA_HEAD,
        SCHEMA_HEAD,
        None,
    ):
        return f"reopening migrated: {result}"
    return None


def _kill_writer(proc: subprocess.Popen[str], rng: random.Random) -> tuple[bool, str | None]:
    """Wait for the moment, SIGKILL; (killed early, why the writer failed or None)."""
    assert proc.stdout is not None
    failure = None
    early = rng.random() < EARLY_KILL_SHARE
    if early:
        time.sleep(rng.uniform(0, EARLY_KILL_SECONDS))
    else:
        readable, _, _ = select.select([proc.stdout], [], [], READY_TIMEOUT)
        said = proc.stdout.readline().strip() if readable else ""
        if said != READY:
            failure = f"writer did not get ready (said {said!r})"
        time.sleep(rng.uniform(*PAUSE_MS) / 1000)
    if proc.poll() is not None and failure is None:
        failure = f"writer exited by itself with status {proc.returncode}"
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    return early, failure


def run(
    kills: int,
    data_dir: Path,
    seed: int,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Set up a database in `data_dir` (a new folder), then kill `kills` writers over it."""
    rng = random.Random(seed)
    report = Report()
    started = time.monotonic()
    set_up(data_dir)
    ack_file = data_dir / ACK_FILE
    db_file = AppPaths(data_dir).database_file
    for kill in range(1, kills + 1):
        with open(data_dir / WRITER_LOG, "w", encoding="utf-8") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    str(WRITER),
                    str(data_dir),
                    str(seed * 100_000 + kill),
                    str(ack_file),
                ],
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
            try:
                early, failure = _kill_writer(proc, rng)
            except BaseException:  # interrupted: leave no writer behind
                proc.kill()
                proc.wait()
                raise
        report.kills += 1
        report.early_kills += early
        if failure is not None:
            tail = (data_dir / WRITER_LOG).read_text(encoding="utf-8")[-2000:]
            report.writer.setdefault(f"{failure}\n{tail}", kill)
        report.torn_lines += cut_torn_line(ack_file)
        result = check(db_file, ack_file)
        report.acknowledged = result.acknowledged
        report.unacknowledged = result.unacknowledged
        if result.unacknowledged > kill:
            # More than one per kill would mean acknowledged lines vanished from the ack file.
            report.ack_problems.setdefault(
                f"{result.unacknowledged} unacknowledged transactions after {kill} kills", kill
            )
        for found, into in (
            (result.lost, report.lost),
            (result.partial, report.partial),
            (result.integrity, report.integrity),
            (result.malformed, report.ack_problems),
        ):
            for problem in found:
                into.setdefault(problem, kill)
        problem = reopen_problem(data_dir)
        if problem is not None:
            report.reopen.setdefault(problem, kill)
        if progress and (kill % 10 == 0 or kill == kills):
            total = sum(report.acknowledged.values())
            progress(f"kill {kill}/{kills}: {total} acknowledged, ok so far: {report.ok}")
    report.seconds = time.monotonic() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--data-dir", type=Path, help="a new folder (default: a temporary one, removed if all ok)"
    )
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="careleaver-crash-"))
    print(f"crash harness: {args.kills} kills, seed {args.seed}, data in {data_dir}")
    print(f"machine: {' '.join(platform.uname())}; {os.cpu_count()} CPUs")
    report = run(args.kills, data_dir, args.seed, progress=lambda m: print(m, flush=True))
    print(report.summary())
    if report.ok and args.data_dir is None:
        shutil.rmtree(data_dir)
    elif not report.ok:
        print(f"data kept in {data_dir}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
