"""The machine a run was measured on: CPU, cores, memory, OS and the versions that matter."""

from __future__ import annotations

import os
import platform
import sqlite3
from importlib import metadata
from typing import Any


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _postgres_version(url: str) -> str:
    import psycopg

    from benchmarks.common import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        return str(conn.execute("SHOW server_version").fetchone()[0])


def describe_machine(postgres_url: str | None = None) -> dict[str, Any]:
    virtual = ""
    try:
        with open("/proc/cpuinfo") as f:
            if " hypervisor" in f.read():
                virtual = " (virtual machine)"
    except OSError:
        pass
    return {
        "host": platform.node(),
        "cpu": _cpu_model() + virtual,
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(postgres_url) if postgres_url else "not measured",
        "pyside6": _version("PySide6-Essentials"),
        "sqlalchemy": _version("SQLAlchemy"),
        "reportlab": _version("reportlab"),
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", ""),
    }
