"""No import cycle between the project's apps (the layers in pyproject.toml rely on it).

An "app" is a top-level package or module under ``counterpoint`` (each practice under
``counterpoint/practices/`` counts as its own app). Imports made only for type checking do not
count: they never run.
"""

from __future__ import annotations

import grimp

PACKAGE = "counterpoint"


def app_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 3 and parts[1] == "practices":
        child = f"{parts[0]}.{parts[1]}.{parts[2]}"
        return child if child in PRACTICE_APPS else f"{parts[0]}.{parts[1]}"
    return ".".join(parts[:2])


GRAPH = grimp.build_graph(PACKAGE, exclude_type_checking_imports=True)
PRACTICE_APPS = {
    m
    for m in GRAPH.find_children(f"{PACKAGE}.practices")
    if GRAPH.find_children(m)  # a package, not a module of the hub
}


def app_graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module in GRAPH.modules:
        for imported in GRAPH.find_modules_directly_imported_by(module):
            a, b = app_of(module), app_of(imported)
            if a != b:
                edges.setdefault(a, set()).add(b)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one app (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def _why(group: list[str]) -> list[str]:
    lines = []
    for module in sorted(GRAPH.modules):
        for imported in sorted(GRAPH.find_modules_directly_imported_by(module)):
            a, b = app_of(module), app_of(imported)
            if a != b and a in group and b in group:
                lines.append(f"  {module} -> {imported}")
    return lines


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_practices_are_apps_of_their_own() -> None:
    assert f"{PACKAGE}.practices.boundaries" in PRACTICE_APPS
    assert app_of(f"{PACKAGE}.practices.goals.services") == f"{PACKAGE}.practices.goals"
    assert app_of(f"{PACKAGE}.practices.views") == f"{PACKAGE}.practices"


def test_no_import_cycle_between_apps() -> None:
    found = cycles(app_graph())
    report = []
    for group in found:
        report.append("cycle between " + ", ".join(group) + ":")
        report.extend(_why(group))
    assert not found, "\n".join(report)
