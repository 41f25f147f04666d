"""Shared fixtures: a fixed 'today', a migrated database per test and a small team of staff."""

from __future__ import annotations

import os
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from careleaver_app.domain.codes import Role
from careleaver_app.paths import AppPaths
from careleaver_app.services.container import Services, open_services

TODAY = date(2026, 11, 26)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def paths(tmp_path) -> AppPaths:
    return AppPaths(tmp_path / "data")


@pytest.fixture
def services(paths) -> Services:
    s = open_services(paths, None, lambda: TODAY)
    yield s
    s.close()


class Staff:
    """The acting users most tests need: an administrator, a team, two PAs and a manager."""

    def __init__(self, services: Services) -> None:
        self.admin = services.staffing.ensure_first_administrator("admin")
        st = services.staffing
        self.team = st.create_team(self.admin, "North Team")
        self.other_team = st.create_team(self.admin, "South Team")
        pa = st.create_staff(self.admin, "pa1", "Alex Adviser", Role.PERSONAL_ADVISER, self.team.id)
        pa2 = st.create_staff(self.admin, "pa2", "Sam Second", Role.PERSONAL_ADVISER, self.team.id)
        tm = st.create_staff(self.admin, "tm1", "Morgan Manager", Role.TEAM_MANAGER, self.team.id)
        far = st.create_staff(
            self.admin, "pa9", "Remy Remote", Role.PERSONAL_ADVISER, self.other_team.id
        )
        self.pa = st.actor(pa.username)
        self.pa2 = st.actor(pa2.username)
        self.manager = st.actor(tm.username)
        self.other_pa = st.actor(far.username)


@pytest.fixture
def staff(services) -> Staff:
    return Staff(services)
