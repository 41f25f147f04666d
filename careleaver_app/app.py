"""Composition root of the desktop app: paths -> engine -> migrate -> services -> window."""

from __future__ import annotations

import argparse


def run_gui(args: argparse.Namespace) -> int:
    # The PA workspace (main window, caseload, record) is the next issue; until it lands the
    # command says what works today rather than opening an empty window.
    print(
        "Care Leaver Tracker: the desktop window is not built yet.\n"
        "Headless commands work now, for example:\n"
        "  careleaver-app demo --people 500\n"
        "  careleaver-app people list\n"
        "  careleaver-app --help"
    )
    return 0
