"""Numerical helpers every model shares: one Hessian, one normal quantile (so intervals agree).

>>> round(normal_quantile(0.95), 6)
1.959964
>>> import numpy as np
>>> hessian(lambda x: x[0] ** 2 + 3 * x[0] * x[1], np.array([1.0, 2.0])).round(6).tolist()
[[2.0, 3.0], [3.0, 0.0]]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special

__all__ = ["Z95", "hessian", "normal_quantile", "t_quantile"]


def normal_quantile(level: float = 0.95) -> float:
    """Critical value ``z`` of a two-sided normal interval with coverage ``level`` (0.95 → 1.96)."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    return float(special.ndtri(0.5 + level / 2.0))


def t_quantile(level: float, df: float | np.ndarray) -> Any:
    """Critical value of a two-sided Student-t interval with coverage ``level`` and ``df`` degrees of freedom.

    The same number as ``scipy.stats.t.ppf(0.5 + level / 2, df)`` (which calls this very function),
    without importing ``scipy.stats`` (over a second at start-up). Arrays of ``df`` give arrays.

    >>> round(t_quantile(0.95, 10), 6)
    2.228139
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    out = special.stdtrit(df, 0.5 + level / 2.0)
    return float(out) if np.ndim(out) == 0 else out


Z95 = normal_quantile(0.95)
"""The two-sided 95% normal critical value, 1.959963984540054."""


def hessian(f: Callable[[np.ndarray], float], x: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian of a smooth scalar function at ``x`` (step ``step`` per axis).

    Diagonal terms use the three-point second difference, off-diagonal terms the four-point mixed
    difference; both have error of order ``step²``.
    """
    x = np.asarray(x, dtype=np.float64)
    k = len(x)
    out = np.empty((k, k))
    f0 = f(x)
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = step
        out[i, i] = (f(x + ei) - 2 * f0 + f(x - ei)) / step**2
        for j in range(i):
            ej = np.zeros(k)
            ej[j] = step
            out[i, j] = out[j, i] = (
                f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)
            ) / (4 * step**2)
    return out
