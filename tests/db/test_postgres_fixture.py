"""PostgreSQL tests skip on a machine with no server given, but fail under CI, where a skip
would hide that they never ran."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # each starts a pytest of its own

A_POSTGRES_TEST = "tests/db/test_database_urls.py::test_a_plain_postgresql_url_connects"


def run_without_a_server(ci: str | None) -> subprocess.CompletedProcess[str]:
    dropped = {"CARELEAVER_TEST_POSTGRES_URL", "CI", "PYTEST_ADDOPTS"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", A_POSTGRES_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_postgres_tests_are_skipped_with_a_reason_outside_ci():
    result = run_without_a_server(ci=None)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "CARELEAVER_TEST_POSTGRES_URL is not set" in result.stdout


def test_postgres_tests_fail_under_ci_when_no_server_is_given():
    result = run_without_a_server(ci="true")
    assert result.returncode == 1, result.stdout
    assert "1 error" in result.stdout
    assert "under CI they must run, not be skipped" in result.stdout
