"""The SQLite search index survives every migration: its triggers must still be there at head."""

from __future__ import annotations

import sqlite3


def test_search_index_and_triggers_exist_after_all_migrations(services, paths):
    with sqlite3.connect(paths.database_file) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "people_search" in names
    assert {
        "young_people_search_insert",
        "young_people_search_update",
        "young_people_search_delete",
    } <= names
    assert services.db.has_search_index
