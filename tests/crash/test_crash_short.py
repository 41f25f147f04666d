"""The short crash test (the long one is `tests/crash/harness.py --kills 220`, docs/crash-test.md),
and proof that its checks fail when the database is wrong, so they cannot pass vacuously."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checks import check
from harness import ACK_FILE, run, set_up
from writer import TODAY, write

from careleaver_app.paths import AppPaths
from careleaver_app.services.container import open_services

SHORT_KILLS = 15  # about 25 s on a 2-CPU machine


@pytest.mark.slow
def test_killing_the_writer_loses_nothing_and_leaves_nothing_half_written(tmp_path):
    report = run(SHORT_KILLS, tmp_path / "crash", seed=20261126)
    assert report.ok, report.summary()
    assert report.kills == SHORT_KILLS
    # Writes were acknowledged between the kills (how many depends on the machine's speed; the
    # checker tests below cover every kind of transaction deterministically).
    assert {"person", "move", "contact"} <= set(report.acknowledged)
    assert sum(report.acknowledged.values()) >= SHORT_KILLS
    assert report.unacknowledged <= SHORT_KILLS


# -- the checks catch a database that is wrong ----------------------------------------------------


@pytest.fixture(scope="module")
def stream(tmp_path_factory) -> Path:
    """A database after 200 of the writer's actions, run in-process (no kill, so the same every
    time), that passes every check."""
    data_dir = tmp_path_factory.mktemp("stream") / "crash"
    set_up(data_dir)
    services = open_services(AppPaths(data_dir), None, lambda: TODAY)
    try:
        with open(data_dir / ACK_FILE, "a", encoding="utf-8") as ack:
            write(services, seed=7, ack=ack, steps=200)
    finally:
        services.close()
    result = checked(data_dir)
    assert result.ok, result
    assert result.unacknowledged == 0  # no kill: every committed action was acknowledged
    assert set(result.acknowledged) == {"person", "move", "contact", "offer", "update"}
    return data_dir


@pytest.fixture
def copy(stream, tmp_path) -> Path:
    target = tmp_path / "crash"
    shutil.copytree(stream, target)
    return target


def tamper(data_dir: Path, *statements: str) -> None:
    conn = sqlite3.connect(AppPaths(data_dir).database_file, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


def checked(data_dir: Path):
    return check(AppPaths(data_dir).database_file, data_dir / ACK_FILE)


def acked(data_dir: Path, kind: str) -> list[str]:
    lines = (data_dir / ACK_FILE).read_text(encoding="utf-8").splitlines()
    found = [line for line in lines if line.startswith(kind + " ")]
    assert found, f"the stream acknowledged no {kind}"
    return found


def test_the_untouched_copy_passes(copy):
    assert checked(copy).ok


def test_a_deleted_acknowledged_contact_is_lost(copy):
    line = acked(copy, "contact")[0]
    tamper(copy, f"DELETE FROM contacts WHERE note = '{line.split()[-1]}'")
    result = checked(copy)
    assert result.lost == [line]
    # Its audit events now describe a row that is not there.
    assert any("audit events for contact" in p for p in result.partial)


def test_a_fake_acknowledgement_is_lost(copy):
    fake = "offer P0-1 2026-11-01 interpreter approved O-never-written"
    with open(copy / ACK_FILE, "a", encoding="utf-8") as f:
        f.write(fake + "\n")
    assert checked(copy).lost == [fake]


def test_a_torn_last_line_is_ignored(copy):
    before = checked(copy).acknowledged
    with open(copy / ACK_FILE, "a", encoding="utf-8") as f:
        f.write("person P0-2 2008-01-01")
    result = checked(copy)
    assert result.ok
    assert result.acknowledged == before


def test_a_lost_edit_is_found(copy):
    line = acked(copy, "update")[-1]
    reference, version = line.split()[1:3]
    tamper(
        copy,
        f"UPDATE young_people SET version = {int(version) - 1} WHERE reference = '{reference}'",
    )
    result = checked(copy)
    assert line in result.lost
    assert any(reference in p and "audited edits" in p for p in result.partial)


def test_an_orphan_episode_fails_the_foreign_key_check(copy):
    tamper(
        copy,
        "INSERT INTO accommodation_episodes (person_id, type_code, suitability, start_date, "
        "address, postcode, provider, placed_by, concerns, suitability_notes, created_at, version) "
        "VALUES (999999, 'U', '1', '2026-01-01', '', '', '', '', '[]', '', '2026-01-01', 1)",
    )
    result = checked(copy)
    assert any("accommodation_episodes" in p for p in result.integrity)
    assert any("audited creation" in p for p in result.partial)  # no audit event for it


def test_a_young_person_without_their_care_period_is_partial(copy):
    line = acked(copy, "person")[0]
    reference = line.split()[1]
    tamper(
        copy,
        "DELETE FROM care_periods WHERE person_id = "
        f"(SELECT id FROM young_people WHERE reference = '{reference}')",
    )
    result = checked(copy)
    assert line in result.lost
    assert any(f"young person {reference}: 0 care periods" in p for p in result.partial)


def test_an_escalating_episode_without_its_escalation_is_partial(copy):
    tamper(
        copy,
        "DELETE FROM escalation_decisions",
        "DELETE FROM escalations WHERE id = (SELECT min(id) FROM escalations)",
    )
    assert any(" escalations" in p and ": 0 escalations" in p for p in checked(copy).partial)


def test_a_move_that_left_the_previous_episode_open_is_partial(copy):
    tamper(
        copy,
        "UPDATE accommodation_episodes SET end_date = NULL WHERE id = "
        "(SELECT min(id) FROM accommodation_episodes WHERE end_date IS NOT NULL)",
    )
    partial = checked(copy).partial
    assert any("but the next one starts" in p for p in partial)
    assert any("audited as closed, but open" in p for p in partial)


def test_a_stale_caseload_summary_is_partial(copy):
    tamper(copy, "UPDATE young_people SET accommodation_code = 'Q9' WHERE id = 2")
    assert any("accommodation_code is 'Q9'" in p for p in checked(copy).partial)


def test_a_search_index_out_of_step_fails_integrity(copy):
    tamper(
        copy, "DROP TRIGGER young_people_search_update", "UPDATE young_people SET search_text = 'x'"
    )
    assert any("people_search" in p for p in checked(copy).integrity)
