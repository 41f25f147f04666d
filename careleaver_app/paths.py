"""The one module that knows where things live: data, backups, logs, settings and assets."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "CareLeaverTracker"
APP_AUTHOR = "CareLeaverTracker"
DATABASE_FILE = "careleaver.sqlite3"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        return cls(Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)))

    @classmethod
    def for_dir(cls, data_dir: str | os.PathLike[str] | None) -> AppPaths:
        return cls(Path(data_dir).expanduser().resolve()) if data_dir else cls.default()

    @property
    def database_file(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def demo_database_file(self) -> Path:
        return self.data_dir / "demo.sqlite3"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.json"

    @property
    def window_file(self) -> Path:
        """Window geometry and column layout (Qt settings); beside settings.json."""
        return self.data_dir / "window.ini"

    def ensure(self) -> None:
        """Create the folders, readable by the owner only (the data is sensitive)."""
        for folder in (self.data_dir, self.backups_dir, self.logs_dir):
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, 0o700)


def asset(*parts: str) -> Path:
    """Path of a packaged resource (fonts, icons), installed or in a checkout."""
    return _resources_dir().joinpath(*parts)


@cache
def _resources_dir() -> Path:
    # Looked up once: the window asks for some twenty icons while it is built.
    return Path(str(resources.files("careleaver_app.resources")))
