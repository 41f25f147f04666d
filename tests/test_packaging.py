"""The wheel carries everything the app needs at run time, and works once installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JUNK = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the checkout, so no stale build/ folder can leak into it."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(
        ROOT, source, ignore=shutil.ignore_patterns(*JUNK, "tests", "benchmarks", "tmp")
    )
    out = work / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), "."],
        cwd=source,
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("careleaver_app-*.whl")
    return built


@pytest.fixture(scope="module")
def names(wheel) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_contains_every_module_of_the_package(names):
    """pyproject lists packages by hand: a new sub-package must be added there too."""
    modules = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "careleaver_app").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    missing = sorted(modules - names)
    assert not missing, f"not in the wheel (add the package to pyproject.toml): {missing}"


def test_wheel_contains_the_pdf_fonts_and_icons(names):
    assert "careleaver_app/resources/fonts/DejaVuSans.ttf" in names
    assert "careleaver_app/resources/fonts/DejaVuSans-Bold.ttf" in names
    icons = sorted(p.name for p in (ROOT / "resources" / "icons").glob("*.svg"))
    missing = [i for i in icons if f"careleaver_app/resources/icons/{i}" not in names]
    assert not missing, f"icons not in the wheel: {missing}"


def test_wheel_contains_the_migrations(names):
    assert "careleaver_app/db/migrations/script.py.mako" in names
    assert "careleaver_app/db/migrations/env.py" in names
    assert "careleaver_app/db/migrations/versions/0001_initial_schema.py" in names
    revisions = (ROOT / "careleaver_app" / "db" / "migrations" / "versions").glob("*.py")
    for revision in revisions:
        assert f"careleaver_app/db/migrations/versions/{revision.name}" in names


def test_wheel_leaves_out_tests_and_databases(names):
    assert not [n for n in names if n.startswith("tests/") or n.endswith((".sqlite3", ".db"))]


def test_wheel_declares_the_careleaver_app_command(wheel, names):
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(entry_points).decode()
    section = text.split("[console_scripts]", 1)[1].split("[", 1)[0]
    commands = dict(
        (part.strip() for part in line.split("=", 1))
        for line in section.splitlines()
        if "=" in line
    )
    assert commands.get("careleaver-app") == "careleaver_app.cli:main"


def test_installed_wheel_migrates_a_new_database_and_finds_its_assets(wheel, tmp_path):
    """Migrations and fonts are found through importlib.resources, not the source tree."""
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    check = (
        "import careleaver_app, pathlib\n"
        "from careleaver_app.paths import asset\n"
        f"assert pathlib.Path(careleaver_app.__file__).is_relative_to({str(target)!r})\n"
        "assert asset('fonts', 'DejaVuSans.ttf').is_file()\n"
    )
    subprocess.run([sys.executable, "-c", check], env=env, check=True, cwd=tmp_path)
    data = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-m", "careleaver_app", "--data-dir", str(data), "migrate"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "migrated" in result.stdout
    assert (data / "careleaver.sqlite3").is_file()
