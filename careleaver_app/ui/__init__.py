"""Desktop user interface (PySide6). The only layer that imports Qt."""
