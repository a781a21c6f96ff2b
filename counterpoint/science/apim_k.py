"""Intervals for Kenny's k = p / a: delta method, Fieller, and a seeded parametric bootstrap.

The ratio of two estimates is not normal when the denominator is uncertain: the delta method's
symmetric interval can be far off when *a* is small relative to its SE. Fieller's interval inverts the
test of ``p − k·a = 0`` (which *is* normal) and may be unbounded — honestly so, when *a* is not clearly
different from zero. The parametric bootstrap simulates new outcomes from the fitted model, refits
it and takes percentiles of k.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "K_INTERVALS",
    "MAX_BOOT",
    "MIN_BOOT",
    "delta_interval",
    "fieller_interval",
    "percentile_interval",
]

K_INTERVALS = ("delta", "fieller", "bootstrap")
MIN_BOOT = 50
"""Fewest bootstrap refits: with fewer, the 2.5% and 97.5% percentiles rest on one or two draws."""
MAX_BOOT = 100_000
"""Most bootstrap refits: far more than a 95% interval needs; beyond it a typo would run for hours."""


def delta_interval(a: float, p: float, cov: np.ndarray, q: float) -> tuple[float, float, float]:
    """(se, low, high) by the delta method: ``se² = g'Σg`` with ``g = (−p/a², 1/a)``.

    Examples
    --------
    >>> from counterpoint.science.numerics import Z95
    >>> se, lo, hi = delta_interval(0.5, 0.25, np.diag([0.01, 0.01]), Z95)
    >>> round(se, 4)
    0.2236
    """
    grad = np.array([-p / a**2, 1 / a])
    se = math.sqrt(float(grad @ cov @ grad))
    k = p / a
    return se, k - q * se, k + q * se


def fieller_interval(a: float, p: float, cov: np.ndarray, q: float) -> tuple[float, float, str]:
    """Fieller's interval for p/a: the k with ``(p − k·a)² ≤ q²·var(p − k·a)``.

    Returns (low, high, shape): shape ``"bounded"``; ``"outside"`` when the set is the line minus
    (low, high) (reported as −inf, inf); ``"unbounded"`` when it is the whole line. The last two
    happen when *a* is not significantly different from zero at this level.

    Examples
    --------
    >>> from counterpoint.science.numerics import Z95
    >>> lo, hi, shape = fieller_interval(1.0, 0.5, np.diag([0.01, 0.01]), Z95)
    >>> shape, round(lo, 4), round(hi, 4)
    ('bounded', 0.2956, 0.7443)
    """
    v_aa, v_ap, v_pp = float(cov[0, 0]), float(cov[0, 1]), float(cov[1, 1])
    q2 = q * q
    qa = a * a - q2 * v_aa
    qb = a * p - q2 * v_ap
    qc = p * p - q2 * v_pp
    disc = qb * qb - qa * qc
    if qa > 0 and disc >= 0:
        root = math.sqrt(disc)
        return (qb - root) / qa, (qb + root) / qa, "bounded"
    if qa < 0 and disc > 0:
        return -math.inf, math.inf, "outside"
    return -math.inf, math.inf, "unbounded"


def percentile_interval(draws: np.ndarray, level: float) -> tuple[float, float, float]:
    """(sd, low, high) of bootstrap draws: percentile interval at ``level``."""
    finite = draws[np.isfinite(draws)]
    alpha = 1 - level
    lo, hi = np.quantile(finite, [alpha / 2, 1 - alpha / 2])
    return float(finite.std(ddof=1)), float(lo), float(hi)
