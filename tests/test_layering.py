"""The layers depend one way only (shared/STYLE.md), checked by walking every module's imports.

ui ─┐
cli ┼─► services ─► db ─► domain
    └──────────► reports ─► domain
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import careleaver_app

PACKAGE = "careleaver_app"
PACKAGE_DIR = Path(careleaver_app.__file__).resolve().parent
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
DATABASE_LIBRARIES = ("sqlalchemy", "alembic", "psycopg", "psycopg2")


@dataclass(frozen=True)
class Import:
    file: str  # e.g. careleaver_app/ui/window.py
    line: int
    module: str  # absolute dotted name
    names: tuple[str, ...]  # for `from module import a, b`: a and b (maybe sub-modules)
    in_function: bool

    @property
    def layer(self) -> str:
        """The sub-package (domain, db, services, reports, ui) or the top-level module's name."""
        parts = Path(self.file).parts
        if len(parts) > 2:
            return parts[1]
        stem = Path(parts[-1]).stem
        # cli_maintenance.py and the like are part of the headless commands.
        return "cli" if stem.startswith("cli") else stem

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.module, *(f"{self.module}.{n}" for n in self.names))

    def is_of(self, *prefixes: str) -> bool:
        """Whether anything this import brings in lies under one of `prefixes`."""
        return any(_under(t, prefixes) for t in self.targets)

    def only_of(self, *prefixes: str) -> bool:
        """Whether everything this import brings in lies under `prefixes` (or the stdlib)."""
        if self.module.split(".")[0] in sys.stdlib_module_names | {"__future__"}:
            return True
        return _under(self.module, prefixes) or bool(
            self.names and all(_under(f"{self.module}.{n}", prefixes) for n in self.names)
        )

    def __str__(self) -> str:
        names = f" ({', '.join(self.names)})" if self.names else ""
        return f"{self.file}:{self.line}: imports {self.module}{names}"


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def module_name(file: str) -> str:
    path = Path(file).with_suffix("")
    parts = path.parts[:-1] if path.name == "__init__" else path.parts
    return ".".join(parts)


def _is_import_call(node: ast.AST) -> bool:
    """importlib.import_module("literal") or __import__("literal")."""
    if not isinstance(node, ast.Call) or not node.args:
        return False
    func = node.func
    named = (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
        isinstance(func, ast.Name) and func.id in {"import_module", "__import__"}
    )
    first = node.args[0]
    return named and isinstance(first, ast.Constant) and isinstance(first.value, str)


def imports(file: str, source: str) -> Iterator[Import]:
    """Every import in `source`, relative ones made absolute, noting whether it is in a function
    (imports under `if TYPE_CHECKING:` count like any other)."""
    this = module_name(file)
    package = this if file.endswith("__init__.py") else this.rpartition(".")[0]

    def visit(node: ast.AST, in_function: bool) -> Iterator[Import]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(file, node.lineno, alias.name, (), in_function)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            names = tuple(a.name for a in node.names if a.name != "*")
            yield Import(file, node.lineno, module, names, in_function)
        elif _is_import_call(node):
            value = node.args[0].value  # type: ignore[attr-defined]
            yield Import(file, node.lineno, value, (), in_function)
        inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for child in ast.iter_child_nodes(node):
            yield from visit(child, inner)

    yield from visit(ast.parse(source, filename=file), False)


# -- the rules: each returns why an import breaks it, or None -------------------------------

Rule = Callable[[Import], str | None]


def domain_is_pure(imp: Import) -> str | None:
    if imp.layer == "domain" and not imp.only_of(f"{PACKAGE}.domain"):
        return "domain imports only the standard library and careleaver_app.domain"
    return None


def only_ui_imports_qt(imp: Import) -> str | None:
    # app.py is the desktop app's composition root (it makes the QApplication); the CLI loads
    # it only when no sub-command is given, which the rule below and a test keep true.
    if imp.is_of(*QT) and imp.layer not in {"ui", "app"}:
        return "only careleaver_app.ui (and app.py, which starts it) imports Qt"
    return None


def headless_commands_never_load_qt(imp: Import) -> str | None:
    gui = (*QT, f"{PACKAGE}.ui", f"{PACKAGE}.app")
    if imp.layer in {"cli", "__main__"} and imp.is_of(*gui) and not imp.in_function:
        return "the CLI imports the desktop app only inside the function that starts it"
    return None


def only_db_and_services_import_the_database(imp: Import) -> str | None:
    if imp.is_of(*DATABASE_LIBRARIES) and imp.layer not in {"db", "services"}:
        return "only careleaver_app.db and careleaver_app.services use SQLAlchemy and drivers"
    return None


def reports_depend_on_domain_only(imp: Import) -> str | None:
    # paths is the one module that finds packaged assets (the PDF fonts); it imports no layer.
    # arabic_reshaper and bidi prepare right-to-left names for reportlab; they touch no data.
    allowed = (
        f"{PACKAGE}.reports",
        f"{PACKAGE}.domain",
        f"{PACKAGE}.paths",
        "reportlab",
        "arabic_reshaper",
        "bidi",
    )
    if imp.layer == "reports" and not imp.only_of(*allowed):
        return "reports are pure: the standard library, reportlab and careleaver_app.domain"
    return None


def ui_and_cli_go_through_services(imp: Import) -> str | None:
    if imp.layer in {"ui", "cli"} and imp.is_of(f"{PACKAGE}.db"):
        return f"{imp.layer} reaches the data only through careleaver_app.services"
    return None


def services_never_import_the_front_ends(imp: Import) -> str | None:
    front_ends = (f"{PACKAGE}.ui", f"{PACKAGE}.cli", f"{PACKAGE}.app")
    if imp.layer == "services" and imp.is_of(*front_ends):
        return "services serve the UI and the CLI; they never import them"
    return None


def db_depends_on_domain_only(imp: Import) -> str | None:
    above = tuple(f"{PACKAGE}.{m}" for m in ("services", "reports", "ui", "cli", "app"))
    if imp.layer == "db" and imp.is_of(*above):
        return "careleaver_app.db depends on careleaver_app.domain only, never on layers above"
    return None


RULES: dict[str, Rule] = {
    "domain-is-pure": domain_is_pure,
    "only-ui-imports-qt": only_ui_imports_qt,
    "headless-commands-never-load-qt": headless_commands_never_load_qt,
    "only-db-and-services-import-the-database": only_db_and_services_import_the_database,
    "reports-depend-on-domain-only": reports_depend_on_domain_only,
    "ui-and-cli-go-through-services": ui_and_cli_go_through_services,
    "services-never-import-the-front-ends": services_never_import_the_front_ends,
    "db-depends-on-domain-only": db_depends_on_domain_only,
}


def violations(file: str, source: str, rule: Rule) -> list[str]:
    found = []
    for imp in imports(file, source):
        why = rule(imp)
        if why is not None:
            found.append(f"{imp}: {why}")
    return sorted(set(found))


def package_sources() -> Iterator[tuple[str, str]]:
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        relative = path.relative_to(PACKAGE_DIR.parent).as_posix()
        yield relative, path.read_text(encoding="utf-8")


@pytest.mark.parametrize("rule", RULES)
def test_layer_rule_holds(rule):
    found = [v for file, source in package_sources() for v in violations(file, source, RULES[rule])]
    assert not found, f"{rule} broken:\n" + "\n".join(found)


def test_the_walk_sees_every_layer():
    """Guards against a walk that finds nothing and so passes vacuously."""
    layers = {Path(file).parts[1] for file, _ in package_sources() if len(Path(file).parts) > 2}
    assert {"domain", "db", "services"} <= layers
    assert any(i.is_of("sqlalchemy") for f, s in package_sources() for i in imports(f, s))


# -- the checker itself flags what it should --------------------------------------------------


def flagged(file: str, source: str, rule: str | None = None) -> list[str]:
    rules = [RULES[rule]] if rule else list(RULES.values())
    return sorted({v for r in rules for v in violations(file, source, r)})


def test_checker_flags_a_domain_module_importing_sqlalchemy_or_services():
    source = (
        "import datetime\n"
        "from dataclasses import dataclass\n"
        "import sqlalchemy\n"
        "from careleaver_app.services import people\n"
        "from careleaver_app.domain.codes import Role\n"
        "from careleaver_app import domain\n"
    )
    found = flagged("careleaver_app/domain/rules.py", source, "domain-is-pure")
    assert found == [
        "careleaver_app/domain/rules.py:3: imports sqlalchemy: "
        "domain imports only the standard library and careleaver_app.domain",
        "careleaver_app/domain/rules.py:4: imports careleaver_app.services (people): "
        "domain imports only the standard library and careleaver_app.domain",
    ]


def test_checker_resolves_relative_imports_and_sees_type_checking_blocks():
    source = (
        "from typing import TYPE_CHECKING\n"
        "from .. import db\n"
        "if TYPE_CHECKING:\n"
        "    from ..db.models import YoungPerson\n"
    )
    found = flagged("careleaver_app/ui/window.py", source, "ui-and-cli-go-through-services")
    assert [v.split(": ")[0] for v in found] == [
        "careleaver_app/ui/window.py:2",
        "careleaver_app/ui/window.py:4",
    ]
    assert "imports careleaver_app (db)" in found[0]
    assert "imports careleaver_app.db.models (YoungPerson)" in found[1]


def test_checker_flags_qt_outside_ui_and_a_cli_that_loads_the_gui_eagerly():
    assert flagged("careleaver_app/services/x.py", "from PySide6.QtCore import QObject\n")
    assert flagged("careleaver_app/reports/x.py", "import shiboken6\n")
    assert flagged("careleaver_app/ui/main_window.py", "from PySide6 import QtWidgets\n") == []
    assert flagged("careleaver_app/app.py", "from PySide6.QtWidgets import QApplication\n") == []
    assert flagged("careleaver_app/cli.py", "from careleaver_app.app import run_gui\n")
    lazy = "def main():\n    from careleaver_app.app import run_gui\n"
    assert flagged("careleaver_app/cli.py", lazy) == []


def test_checker_flags_dynamic_imports_and_imports_against_the_direction():
    dynamic = (
        "import importlib\ndef f():\n    importlib.import_module('careleaver_app.db.migrate')\n"
    )
    assert flagged("careleaver_app/cli.py", dynamic)
    assert flagged("careleaver_app/cli.py", "import sqlalchemy\n")
    assert flagged("careleaver_app/services/x.py", "from careleaver_app.ui import icons\n")
    assert flagged("careleaver_app/reports/housing.py", "from careleaver_app.services import dto\n")
    assert flagged("careleaver_app/reports/housing.py", "from reportlab.lib import colors\n") == []
    assert flagged("careleaver_app/db/models.py", "from careleaver_app.services import audit\n")


def test_headless_commands_do_not_load_qt():
    """What the rules intend, checked for real: the CLI's import and parsing pull in no Qt."""
    code = (
        "import sys\n"
        "from careleaver_app import cli\n"
        "cli.build_parser().parse_args(['people', 'list'])\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {QT!r})\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
