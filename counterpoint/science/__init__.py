"""Counterpoint's dyadic-science engine: pure Python (numpy, scipy, pandas), no Django.

Models take a :class:`DyadicData` and return results with ``summary()``, ``to_frame()`` and
``to_dict()``; see docs/science.md. Model classes are imported on first use, so importing the package
is cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from counterpoint.science.data import DyadicData, pairwise_to_long
from counterpoint.science.errors import DyadDataError

_LAZY = {
    "APIM": "counterpoint.science.apim",
    "APIMResults": "counterpoint.science.apim",
    "InertiaCoordination": "counterpoint.science.inertia_coordination",
    "CoupledOscillator": "counterpoint.science.oscillator",
    "DyadicVAR": "counterpoint.science.mlvar",
    "CoupleVAR": "counterpoint.science.couple_var",
}

__all__ = ["DyadDataError", "DyadicData", "pairwise_to_long", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'counterpoint.science' has no attribute {name!r}")
