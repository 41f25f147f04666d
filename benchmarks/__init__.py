"""Benchmarks at national scale: `python benchmarks/run.py` builds (or reuses) a demo database and
measures start-up, the caseload search, the managers' queue, the due list, two PDFs and memory,
each against a baseline measured in the same run. See benchmarks/README.md."""
