"""Small statistics the insights need beyond the engine's models (numpy only, no Django)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special


@dataclass(frozen=True)
class Estimate:
    value: float
    ci_low: float
    ci_high: float
    n: int

    def as_dict(self, digits: int = 3) -> dict[str, float | int | None]:
        def r(x: float) -> float | None:
            return round(x, digits) if math.isfinite(x) else None

        return {
            "estimate": r(self.value),
            "ci_low": r(self.ci_low),
            "ci_high": r(self.ci_high),
            "n": self.n,
        }


def ols(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """OLS of ``y`` on the columns of ``x`` (include a constant yourself): (coef, cov, df)."""
    n, p = x.shape
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    df = n - p
    s2 = float(resid @ resid) / df if df > 0 else math.nan
    cov = s2 * np.linalg.pinv(x.T @ x)
    return coef, cov, df


def linear_combo(
    coef: np.ndarray, cov: np.ndarray, df: int, weights: list[float], n: int
) -> Estimate:
    w = np.asarray(weights, dtype=float)
    value = float(w @ coef)
    se = math.sqrt(max(float(w @ cov @ w), 0.0))
    # the t distribution's 97.5% quantile (what scipy.stats.t.ppf returns, without its overhead)
    t = float(special.stdtrit(df, 0.975)) if df > 0 else math.nan
    return Estimate(value, value - t * se, value + t * se, n)


def trend_per_month(weeks: np.ndarray, values: np.ndarray) -> Estimate:
    """Linear trend of weekly ``values`` (weeks since the first), as change per four weeks."""
    x = np.column_stack([np.ones_like(weeks, dtype=float), weeks.astype(float)])
    coef, cov, df = ols(values.astype(float), x)
    return linear_combo(coef, cov, df, [0.0, 4.0], len(values))


def recovery(
    stress: np.ndarray, supported: np.ndarray
) -> tuple[Estimate, Estimate, Estimate] | None:
    """Stress carry-over to the next day without and with support that helped.

    Model: ``s[t+1] − m = b·(s[t] − m) + c·S[t] + d·S[t]·(s[t] − m)`` with ``m`` the person's mean
    stress and ``S[t]`` 1 on days they reached out and it helped. Carry-over without support is
    ``b``, with support ``b + d``; smaller means stress settles back to its usual level faster.
    The third estimate is the difference ``d`` (with minus without), whose range says whether
    support makes a clear difference at all.
    """
    s_now, s_next, sup = stress[:-1], stress[1:], supported[:-1].astype(float)
    ok = np.isfinite(s_now) & np.isfinite(s_next)
    if ok.sum() < 6:
        return None
    m = float(np.nanmean(stress))
    x0 = s_now[ok] - m
    s = sup[ok]
    design = np.column_stack([np.ones_like(x0), x0, s, s * x0])
    coef, cov, df = ols(s_next[ok] - m, design)
    n_with = int(s.sum())
    without = linear_combo(coef, cov, df, [0, 1, 0, 0], int(ok.sum()) - n_with)
    with_support = linear_combo(coef, cov, df, [0, 1, 0, 1], n_with)
    difference = linear_combo(coef, cov, df, [0, 0, 0, 1], int(ok.sum()))
    return without, with_support, difference


def half_life(carry_over: float) -> float | None:
    """Days until a stress spike is halfway back to usual, for a carry-over between 0 and 1."""
    if not 0 < carry_over < 1:
        return None
    return math.log(0.5) / math.log(carry_over)
