"""SVG icons from the packaged resources; SVG keeps them sharp at any DPI."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from careleaver_app.paths import asset


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(asset("icons", f"{name}.svg")))
