"""Reliability of a questionnaire scale: Cronbach's alpha, McDonald's omega total, item-total stats.

Input is a complete matrix of keyed item scores, one row per respondent and one column per item
(reverse-keyed items already reversed). Rows with a missing value are an error, not silently dropped:
callers decide which responses count (the web app scores complete questionnaires only).

Omega total comes from a one-factor model fitted by maximum likelihood to the items' correlation
matrix, with the same objective, gradient and starting values as R's ``factanal`` (base R, package
``stats``): for uniquenesses ψ the loadings are λ = ψ^½·v₁·√(max(e₁ − 1, 0)), where e₁, v₁ are the
largest eigenvalue and its vector of ψ^-½ R ψ^-½. Then, on the correlation scale,
ω = (Σλ)² / ((Σλ)² + Σψ) (McDonald 1999, eq. 6.20b). ``psych::omega`` fits the same model by
minimum residuals instead, which gives slightly different loadings on small samples.

>>> import numpy as np
>>> x = np.array([[1, 2, 2], [3, 3, 4], [5, 4, 5], [6, 6, 7], [2, 3, 2]], dtype=float)
>>> round(cronbach_alpha(x), 4)
0.9714
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import optimize

from counterpoint.science.errors import DyadDataError

__all__ = ["OneFactorFit", "ScaleReliability", "cronbach_alpha", "mcdonald_omega", "one_factor_ml"]


def _matrix(items: np.ndarray | pd.DataFrame, min_items: int = 2) -> np.ndarray:
    x = np.asarray(items, dtype=float)
    if x.ndim != 2:
        raise DyadDataError(
            f"item scores must be a 2-D table (respondents × items), got {x.ndim}-D"
        )
    n, k = x.shape
    if k < min_items:
        raise DyadDataError(f"a scale needs at least {min_items} items, got {k}")
    if n < 3:
        raise DyadDataError(f"reliability needs at least 3 respondents, got {n}")
    bad = np.argwhere(~np.isfinite(x))
    if len(bad):
        row, col = bad[0]
        raise DyadDataError(f"row {row}, item column {col}: missing or non-numeric item score")
    if np.any(x.var(axis=0, ddof=1) == 0):
        col = int(np.flatnonzero(x.var(axis=0, ddof=1) == 0)[0])
        raise DyadDataError(
            f"item column {col}: every respondent gave the same answer (no variance)"
        )
    return x


def cronbach_alpha(items: np.ndarray | pd.DataFrame) -> float:
    """Cronbach's alpha, k/(k−1)·(1 − Σ var(item) / var(total)), with n−1 variances."""
    x = _matrix(items)
    k = x.shape[1]
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / total_var))


def _fa_objective(psi: np.ndarray, corr: np.ndarray) -> float:
    scale = 1 / np.sqrt(psi)
    values = np.linalg.eigvalsh(corr * np.outer(scale, scale))[::-1]
    rest = values[1:]
    return float(-(np.sum(np.log(rest) - rest) - 1 + len(psi)))


def _fa_loadings(psi: np.ndarray, corr: np.ndarray) -> np.ndarray:
    scale = 1 / np.sqrt(psi)
    values, vectors = np.linalg.eigh(corr * np.outer(scale, scale))
    v1 = vectors[:, -1] * np.sqrt(max(values[-1] - 1, 0.0))
    loadings = np.sqrt(psi) * v1
    return loadings if loadings.sum() >= 0 else -loadings


def _fa_gradient(psi: np.ndarray, corr: np.ndarray) -> np.ndarray:
    lam = _fa_loadings(psi, corr)
    residual = np.outer(lam, lam) + np.diag(psi) - corr
    return np.diag(residual) / psi**2


@dataclass(frozen=True)
class OneFactorFit:
    """A one-factor model of a correlation matrix: standardised loadings and uniquenesses."""

    loadings: np.ndarray
    uniquenesses: np.ndarray
    objective: float
    converged: bool


def one_factor_ml(corr: np.ndarray, lower: float = 0.005) -> OneFactorFit:
    """Maximum-likelihood one-factor fit of a correlation matrix, as R's ``factanal(covmat=R, factors=1)``."""
    corr = np.asarray(corr, dtype=float)
    p = corr.shape[0]
    if np.linalg.eigvalsh(corr)[0] < 1e-10:
        raise DyadDataError(
            "the items' correlation matrix is singular (fewer respondents than items, or items "
            "that are exact copies of each other): a one-factor model cannot be fitted"
        )
    start = (1 - 0.5 / p) / np.diag(np.linalg.inv(corr))
    fit = optimize.minimize(
        _fa_objective,
        start,
        args=(corr,),
        jac=_fa_gradient,
        method="L-BFGS-B",
        bounds=[(lower, 1.0)] * p,
        options={"ftol": 1e-12, "gtol": 1e-10, "maxiter": 1000},
    )
    psi = fit.x
    lam = _fa_loadings(psi, corr)
    return OneFactorFit(
        loadings=lam, uniquenesses=psi, objective=float(fit.fun), converged=bool(fit.success)
    )


def mcdonald_omega(items: np.ndarray | pd.DataFrame) -> float:
    """McDonald's omega total from a one-factor ML model of the items' correlations (see module doc)."""
    x = _matrix(items, min_items=3)
    fit = one_factor_ml(np.corrcoef(x, rowvar=False))
    common = fit.loadings.sum() ** 2
    return float(common / (common + fit.uniquenesses.sum()))


class ScaleReliability:
    """Reliability of one scale from a respondents × items matrix of keyed scores.

    Statistics are computed on first use. ``item_stats`` has, per item: mean, sd, the corrected
    item–total correlation (the item against the sum of the other items) and alpha if the item is
    left out.

    >>> import numpy as np
    >>> rel = ScaleReliability(np.array([[1, 2, 2], [3, 3, 4], [5, 4, 5], [6, 6, 7], [2, 3, 2]]))
    >>> rel.n_respondents, rel.n_items
    (5, 3)
    """

    def __init__(self, items: np.ndarray | pd.DataFrame, names: list[str] | None = None) -> None:
        self.items = _matrix(items)
        if names is None:
            names = list(items.columns) if isinstance(items, pd.DataFrame) else None
        self.names = names or [f"item{i + 1}" for i in range(self.items.shape[1])]
        self.n_respondents, self.n_items = self.items.shape

    @cached_property
    def alpha(self) -> float:
        return cronbach_alpha(self.items)

    @cached_property
    def omega(self) -> float | None:
        """Omega total; ``None`` for a two-item scale (a one-factor model is not identified)."""
        return mcdonald_omega(self.items) if self.n_items >= 3 else None

    @cached_property
    def mean_score(self) -> float:
        """Mean of the scale score (the mean of the items)."""
        return float(self.items.mean(axis=1).mean())

    @cached_property
    def sd(self) -> float:
        """Standard deviation (n−1) of the scale score (the mean of the items)."""
        return float(self.items.mean(axis=1).std(ddof=1))

    @cached_property
    def item_stats(self) -> pd.DataFrame:
        x = self.items
        total = x.sum(axis=1)
        rows = []
        for i in range(self.n_items):
            rest = total - x[:, i]
            others = np.delete(x, i, axis=1)
            rows.append(
                {
                    "mean": x[:, i].mean(),
                    "sd": x[:, i].std(ddof=1),
                    "r_drop": np.corrcoef(x[:, i], rest)[0, 1],
                    "alpha_if_dropped": cronbach_alpha(others) if others.shape[1] >= 2 else np.nan,
                }
            )
        return pd.DataFrame(rows, index=pd.Index(self.names, name="item"))

    def sem(self, reliability: float | None = None) -> float:
        """Standard error of measurement of the scale score: SD·√(1 − reliability) (omega by default)."""
        rel = reliability if reliability is not None else (self.omega or self.alpha)
        return float(self.sd * np.sqrt(max(0.0, 1.0 - rel)))

    def to_dict(self) -> dict[str, object]:
        return {
            "n_respondents": self.n_respondents,
            "n_items": self.n_items,
            "alpha": self.alpha,
            "omega": self.omega,
            "mean": self.mean_score,
            "sd": self.sd,
        }

    def summary(self) -> str:
        omega = "—" if self.omega is None else f"{self.omega:.3f}"
        head = (
            f"{self.n_items} items, {self.n_respondents} respondents: "
            f"alpha {self.alpha:.3f}, omega total {omega}, SD {self.sd:.3f}"
        )
        return head + "\n" + self.item_stats.round(3).to_string()
