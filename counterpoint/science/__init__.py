"""Counterpoint's dyadic-science engine: pure Python (numpy, scipy, pandas), no Django.

Models take a :class:`DyadicData` and return results with ``summary()``, ``to_frame()`` and
``to_dict()``; see docs/science.md. Model classes are imported on first use, so importing the package
is cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from counterpoint.science.errors import DyadDataError

if TYPE_CHECKING:  # re-exported, imported on first use (below)
    from counterpoint.science.data import DyadicData as DyadicData
    from counterpoint.science.data import pairwise_to_long as pairwise_to_long

_LAZY = {
    "DyadicData": "counterpoint.science.data",  # pandas: not imported by `counterpoint fit --json`
    "pairwise_to_long": "counterpoint.science.data",
    "APIM": "counterpoint.science.apim",
    "APIMResults": "counterpoint.science.apim",
    "InertiaCoordination": "counterpoint.science.inertia_coordination",
    "CoupledOscillator": "counterpoint.science.oscillator",
    "DyadicVAR": "counterpoint.science.mlvar",
    "CoupleVAR": "counterpoint.science.couple_var",
}

__all__ = ["DyadDataError", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'counterpoint.science' has no attribute {name!r}")
