"""From raw samples to the table: medians, ratios, targets met or not; and docs/performance.md,
whose generated part sits between two markers so that the analysis written around it stays."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BEGIN = "<!-- benchmarks/run.py writes from here -->"
END = "<!-- benchmarks/run.py writes up to here -->"


@dataclass(frozen=True)
class Row:
    key: str
    what: str
    database: str  # "SQLite" or "PostgreSQL"
    unit: str  # "ms" or "MB"
    measured: float
    runs: int
    baseline: float | None = None
    baseline_what: str = ""
    target: str = ""  # "≤ 5×", "≤ 50 ms", "" for a row shown for information
    target_value: float | None = None
    target_is_ratio: bool = False
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline <= 0:
            return None
        return self.measured / self.baseline

    @property
    def met(self) -> bool | None:
        if self.target_value is None:
            return None
        value = self.ratio if self.target_is_ratio else self.measured
        return value is not None and value <= self.target_value

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


def _ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def _mb(values: list[float]) -> float:
    return statistics.median(values)


def build_rows(m: dict[str, Any], people: int) -> list[Row]:
    rows: list[Row] = []
    start = m.get("startup")
    if start:
        base = [r["seconds"] for r in start["baseline"]]
        pa, admin = start["pa"], start["admin"]
        rows.append(
            Row(
                "startup_pa",
                f"Start-up to the caseload painted: a personal adviser ({pa[0]['rows']} rows)",
                "SQLite",
                "ms",
                _ms([r["seconds"] for r in pa]),
                len(pa),
                _ms(base),
                "empty PySide6 window",
                "≤ 5×",
                5,
                True,
            )
        )
        rows.append(
            Row(
                "startup_admin",
                f"Start-up to the caseload painted: an administrator (the first "
                f"{admin[0]['rows_at_paint']} of all {admin[0]['total']:,})",
                "SQLite",
                "ms",
                _ms([r["seconds"] for r in admin]),
                len(admin),
                _ms(base),
                "empty PySide6 window",
                "≤ 5×",
                5,
                True,
            )
        )
        memory, empty = start["memory"], start["memory_baseline"]
        rows.append(
            Row(
                "memory_all",
                f"Peak RSS with the whole list open (administrator, scrolled to row "
                f"{memory[0]['rows']:,})",
                "SQLite",
                "MB",
                _mb([r["peak_rss_mb"] for r in memory]),
                len(memory),
                _mb([r["peak_rss_mb"] for r in empty]),
                "empty PySide6 window",
                "≤ 300 MB",
                300,
                False,
            )
        )
        rows.append(
            Row(
                "memory_pa",
                "Peak RSS at start-up: a personal adviser",
                "SQLite",
                "MB",
                _mb([r["peak_rss_mb"] for r in pa]),
                len(pa),
                _mb([r["peak_rss_mb"] for r in start["baseline"]]),
                "empty PySide6 window",
            )
        )
        rows.append(
            Row(
                "scroll_all",
                f"Scrolling the whole list to its last row ({memory[0]['rows']:,} rows, "
                f"{memory[0].get('page', 100)} per fetch)",
                "SQLite",
                "ms",
                _ms([r["scroll_seconds"] for r in memory]),
                len(memory),
            )
        )
    search = m.get("search")
    if search:
        rows.extend(_search_rows(search, people))
    for db_key, database in (("queries", "SQLite"), ("postgres", "PostgreSQL")):
        q = m.get(db_key)
        if not q:
            continue
        rows.extend(_query_rows(q, database))
    docs = m.get("documents")
    if docs:
        h = docs["housing_pdf"]
        rows.append(
            Row(
                "housing_pdf",
                f"Housing summary PDF, one young person ({_pages(h['pages'])}), warm process",
                "SQLite",
                "ms",
                _ms(h["samples"]),
                len(h["samples"]),
                target="≤ 100 ms",
                target_value=100,
            )
        )
        c = docs["caseload_pdf"]
        rows.append(
            Row(
                "caseload_pdf",
                f"Caseload report PDF, {c['people']:,} young people ({c['pages']} pages)",
                "SQLite",
                "ms",
                _ms(c["samples"]),
                len(c["samples"]),
                _ms(c["baseline_samples"]),
                f"bare reportlab table, {c['baseline_pages']} pages",
                "≤ 3×",
                3,
                True,
            )
        )
    return rows


def _pages(count: int) -> str:
    return "1 page" if count == 1 else f"{count} pages"


def _short(prefix: str) -> bool:
    """No word of three letters yet: the trigram index cannot help, the column is scanned."""
    return max((len(w) for w in prefix.split()), default=0) < 3


def _search_rows(search: dict[str, Any], people: int) -> list[Row]:
    pause = search["pause_ms"]
    immediate = search["samples"]["0"]
    missed = search.get("missed", [])
    note = f" — {len(missed)} keystrokes NEVER REPAINTED (counted as 10 s)" if missed else ""
    rows = [
        Row(
            "search_keystroke",
            f"Search as you type among {people:,}: one keystroke to the repainted list "
            f"({'as shipped, no typing pause' if pause == 0 else 'typing pause set to 0'})"
            f"{note}",
            "SQLite",
            "ms",
            _ms(immediate),
            len(immediate),
            target="≤ 50 ms",
            target_value=50,
        )
    ]
    pairs = list(zip(search["keystrokes"], immediate, strict=True))
    for key, what, wanted in (
        ("search_short", "first two letters of a word (names index scanned)", True),
        ("search_long", "three letters or more (trigram index)", False),
    ):
        chosen = [t for prefix, t in pairs if _short(prefix) == wanted]
        if chosen:
            rows.append(Row(key, f"— of which: {what}", "SQLite", "ms", _ms(chosen), len(chosen)))
    paused = search["samples"].get(str(pause))
    if paused and pause:
        rows.append(
            Row(
                "search_keystroke_paused",
                f"Search as you type, as shipped: the same, after the {pause} ms typing pause",
                "SQLite",
                "ms",
                _ms(paused),
                len(paused),
            )
        )
    return rows


def _query_rows(q: dict[str, Any], database: str) -> list[Row]:
    out = []
    same = {True: "", False: " — ROWS DIFFER from the baseline"}
    team = q["queue_team"]
    out.append(
        Row(
            "queue_team",
            f"Managers' queue with nights and levels, one team ({team['rows']} open)"
            + same[team["same_rows"]],
            database,
            "ms",
            _ms(team["samples"]),
            len(team["samples"]),
            _ms(team["baseline_samples"]),
            "one raw query + the same domain rules",
            "≤ 3×",
            3,
            True,
        )
    )
    national = q["queue_national"]
    out.append(
        Row(
            "queue_national",
            f"Queue with nights and levels, the whole country ({national['rows']:,} open)"
            + same[national["same_rows"]],
            database,
            "ms",
            _ms(national["samples"]),
            len(national["samples"]),
            _ms(national["baseline_samples"]),
            "one raw query + the same domain rules",
            "≤ 3×",
            3,
            True,
        )
    )
    due = q["due_team"]
    out.append(
        Row(
            "due_team",
            f"Pathway due list, one team ({due['rows']} rows)" + same[due["same_rows"]],
            database,
            "ms",
            _ms(due["samples"]),
            len(due["samples"]),
            _ms(due["baseline_samples"]),
            "one raw query + the same domain rules",
            "≤ 3×",
            3,
            True,
        )
    )
    search = q["search_service"]
    out.append(
        Row(
            "search_service",
            f"Search query alone (People.list, first {search.get('page', 100)} rows, as the "
            f"list asks), {search['keystrokes']} prefixes",
            database,
            "ms",
            _ms(search["samples"]),
            len(search["samples"]),
        )
    )
    return out


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def markdown_table(rows: list[Row]) -> str:
    lines = [
        "| what | database | measured (median) | baseline (median) | ratio | target | met? "
        "| runs |",
        "|---|---|---:|---:|---:|---|---|---:|",
    ]
    for r in rows:
        baseline = (
            f"{_number(r.baseline, r.unit)} ({r.baseline_what})" if r.baseline is not None else "—"
        )
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        met = {True: "yes", False: "**no**", None: "(for information)"}[r.met]
        lines.append(
            f"| {r.what} | {r.database} | {_number(r.measured, r.unit)} | {baseline} | {ratio} "
            f"| {r.target or '—'} | {met} | {r.runs} |"
        )
    return "\n".join(lines)


def machine_table(result: dict[str, Any]) -> str:
    m = result["machine"]
    s = result["settings"]
    lines = [
        "| | |",
        "|---|---|",
        f"| measured | {result['started']} to {result['finished']} |",
        f"| CPU | {m['cpu']}, {m['cores']} cores |",
        f"| memory | {m['memory_gib']} GiB |",
        f"| OS | {m['os']} |",
        f"| Python | {m['python']} |",
        f"| SQLite | {m['sqlite']} |",
        f"| PostgreSQL | {m['postgresql']} |",
        f"| PySide6 / SQLAlchemy / reportlab | {m['pyside6']} / {m['sqlalchemy']} / "
        f"{m['reportlab']} |",
        f"| Qt platform | {m['qt_platform']} |",
        "| load average (1, 5, 15 min) before / after | "
        + " / ".join(
            ", ".join(f"{x:.2f}" for x in m[k])
            for k in ("load_average_before", "load_average_after")
        )
        + " |",
        f"| data | {s['people']:,} young people (seed {s['seed']}, today {s['today']}); "
        f"{s['runs']} runs per measurement |",
    ]
    return "\n".join(lines)


def generated_section(result: dict[str, Any], rows: list[Row], json_path: str) -> str:
    sqlite = [r for r in rows if r.database == "SQLite"]
    postgres = [r for r in rows if r.database == "PostgreSQL"]
    parts = [
        BEGIN,
        "",
        f"Command: `.venv/bin/python {result['command'].strip()}`; raw samples in `{json_path}`.",
        "",
        markdown_table(sqlite),
        "",
    ]
    if postgres:
        parts += ["On PostgreSQL, the same data and queries:", "", markdown_table(postgres), ""]
    parts += ["The machine:", "", machine_table(result), "", END]
    return "\n".join(parts)


def write_markdown(path: Path, result: dict[str, Any], rows: list[Row], json_path: str) -> None:
    section = generated_section(result, rows, json_path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        text = (
            "# Performance at national scale\n\n"
            "`.venv/bin/python benchmarks/run.py` (see benchmarks/README.md) produces this "
            "table.\n\n" + section + "\n"
        )
    path.write_text(text, encoding="utf-8")
