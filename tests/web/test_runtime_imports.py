"""`make run` installs only the runtime dependencies: no app module may import a development tool
(except for type checking), or a fresh clone's `make run` fails at its first command."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Import names of the dev extra's packages (pyproject [project.optional-dependencies].dev).
DEV_IMPORTS = {
    "pytest": "pytest",
    "pytest-django": "pytest_django",
    "pytest-xdist": "xdist",
    "playwright": "playwright",
    "axe-playwright-python": "axe_playwright_python",
    "time-machine": "time_machine",
    "hypothesis": "hypothesis",
    "cbor2": "cbor2",
    "ruff": "ruff",
    "mypy": "mypy",
    "django-stubs": "django_stubs_ext",
    "import-linter": "importlinter",
    "statsmodels": "statsmodels",
}


def _dev_import_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {
        d.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower()
        for d in project["dependencies"]
    }
    dev = {
        d.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower()
        for d in project["optional-dependencies"]["dev"]
    }
    return {DEV_IMPORTS[name] for name in dev - runtime if name in DEV_IMPORTS}


def _imports_outside_type_checking(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.extend((child.lineno, a.name.split(".")[0]) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append((child.lineno, child.module.split(".")[0]))
            visit(child)

    visit(tree)
    return found


def test_no_app_module_imports_a_development_tool() -> None:
    dev = _dev_import_names()
    assert "pytest" in dev and "django_stubs_ext" in dev
    offenders = []
    for path in sorted((ROOT / "counterpoint").rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for line, name in _imports_outside_type_checking(tree):
            if name in dev:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not offenders, "runtime code imports dev-only packages: " + "; ".join(offenders)
