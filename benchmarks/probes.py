"""Child-process entry point: `python -m benchmarks.probes PROBE ...` runs one measurement and
prints its result as one line of JSON (see common.emit). benchmarks/run.py starts these."""

from __future__ import annotations

import argparse
import json
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.probes")
    sub = parser.add_subparsers(dest="probe", required=True)
    sub.add_parser("startup-baseline")
    app = sub.add_parser("startup-app")
    app.add_argument("--data-dir", required=True)
    app.add_argument("--user", required=True)
    app.add_argument("--scroll", action="store_true", help="then scroll to the last row")
    close = sub.add_parser("clean-close")
    close.add_argument("--data-dir", required=True)
    close.add_argument("--user", required=True)
    search = sub.add_parser("search")
    search.add_argument("--data-dir", required=True)
    search.add_argument("--user", required=True)
    search.add_argument("--words", required=True, help="JSON list of what to type")
    search.add_argument("--pauses", default="0", help="comma-separated typing pauses (ms)")
    queries = sub.add_parser("queries")
    queries.add_argument("--data-dir", required=True)
    queries.add_argument("--database")
    queries.add_argument("--runs", type=int, default=7)
    queries.add_argument("--national-runs", type=int, default=3)
    queries.add_argument("--words", type=int, default=6)
    documents = sub.add_parser("documents")
    documents.add_argument("--data-dir", required=True)
    documents.add_argument("--report-dir", required=True)
    documents.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    if args.probe == "startup-baseline":
        from benchmarks.gui_probes import startup_baseline

        startup_baseline()
    elif args.probe == "startup-app":
        from benchmarks.gui_probes import startup_app

        startup_app(args.data_dir, args.user, args.scroll)
    elif args.probe == "clean-close":
        from benchmarks.gui_probes import clean_close

        clean_close(args.data_dir, args.user)
    elif args.probe == "search":
        from benchmarks.gui_probes import search as type_searches

        pauses = [int(p) for p in args.pauses.split(",")]
        type_searches(args.data_dir, args.user, json.loads(args.words), pauses)
    elif args.probe == "queries":
        from benchmarks.common import emit
        from benchmarks.warm_probes import queries as run_queries

        emit(run_queries(args.data_dir, args.database, args.runs, args.national_runs, args.words))
    else:
        from benchmarks.common import emit
        from benchmarks.warm_probes import documents as run_documents

        emit(run_documents(args.data_dir, args.report_dir, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
