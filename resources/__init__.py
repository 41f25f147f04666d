"""Packaged assets: fonts and icons (kept at the top-level resources/ folder)."""
