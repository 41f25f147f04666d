"""The app's own settings file: which database this installation opens (chosen on first run)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class AppConfig:
    database_url: str | None = None  # None: the embedded SQLite file in the data folder
    acting_username: str | None = None  # who used the app last (until sign-in arrives)

    @classmethod
    def load(cls, file: Path) -> AppConfig | None:
        """None when there is no settings file yet: the first run."""
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return cls()
        return cls(**{k: data.get(k) for k in ("database_url", "acting_username")})

    def save(self, file: Path) -> None:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(file)
