"""Collects ``CASES`` from every module in this package (one module per app)."""

from __future__ import annotations

import importlib
import pkgutil

from tests.web.access import Case


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        cases.extend(getattr(module, "CASES", []))
    return cases
