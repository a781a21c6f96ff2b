"""Inertia–coordination model (rties), one OLS per dyad, all dyads at once.

Each person's series is detrended (residual of a straight line on time). Then, per dyad, one
least-squares fit with no common intercept and role-specific columns,

    y_g,t = int_g + inert_g · y_g,t−L + coord_g · y_h,t−L + e,      g ∈ {0, 1}, h = 1 − g,

is computed for every dyad in the same batched normal-equation solve. Adjusted R² follows R's
``summary.lm`` for a formula without intercept (uncentred): ``R² = 1 − RSS/Σy²``,
``adj = 1 − (1 − R²)·n/(n − p)``. The inertia-only and coordination-only models are fitted the same
way for the comparison rties' ``indivInertCoordCompare`` makes.

The batched least-squares helpers (detrending, the batched solve, adjusted R²) live in
:mod:`counterpoint.science.batched_ols`, shared with the coupled oscillator.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from counterpoint.science.batched_ols import (
    by_chunks,
    detrend_by_person,
    lag_series,
    ols_by_role,
    series_reasons,
    uncentred_adj_r2,
)
from counterpoint.science.errors import DyadDataError
from counterpoint.science.panels import refuse_constant, role_labels
from counterpoint.science.results import PerDyadResults

if TYPE_CHECKING:  # pandas only where a DataFrame is built: the command line's fits run without it
    import pandas as pd

    from counterpoint.science.arrays import DyadArrays
    from counterpoint.science.data import DyadicData

__all__ = [
    "IC_PARAMS",
    "InertiaCoordination",
    "InertiaCoordinationResults",
    "fit_ic_arrays",
    "simulate_ic",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

IC_PARAMS = ("int0", "int1", "inert0", "coord0", "inert1", "coord1")
_SUBMODELS = {
    "inert": (0, 1),
    "coord": (0, 2),
    "full": (0, 1, 2),
}  # columns of [1, own lag, partner lag]


def fit_ic_arrays(values: FloatArray, lag: int = 1) -> dict[str, Any]:
    """The inertia–coordination fits on padded arrays, batched over dyads.

    Parameters
    ----------
    values : ndarray, shape (D, 2, T)
        Raw series per dyad and role on a common time axis, NaN where missing or padded.
    lag : int
        Lag L in occasions (looking back).

    Returns
    -------
    dict
        ``params`` (D, 6) in :data:`IC_PARAMS` order, ``adj_r2`` {model: (D,)}, ``n_obs`` (D,) rows
        used by the full model, ``ok`` (D,) full-model blocks both full rank, ``detrended`` (D, 2, T).
    """
    resid = detrend_by_person(values)
    own = lag_series(resid, lag)
    partner = own[:, ::-1]
    columns = np.stack([np.ones_like(resid), own, partner], axis=-1)
    out: dict[str, Any] = {"detrended": resid, "adj_r2": {}}
    for name, cols in _SUBMODELS.items():
        design = columns[..., list(cols)]
        valid = np.isfinite(resid) & np.isfinite(design).all(axis=-1)
        fits = ols_by_role(resid, design, valid)
        beta, n = fits.beta, fits.n
        both = np.asarray(fits.ok.all(axis=-1), dtype=bool)
        adj = uncentred_adj_r2(
            fits.rss.sum(axis=-1), fits.yy.sum(axis=-1), n.sum(axis=-1), 2 * len(cols)
        )
        out["adj_r2"][name] = np.where(both, adj, np.nan)
        if name == "full":
            params = np.column_stack(
                [
                    beta[:, 0, 0],
                    beta[:, 1, 0],
                    beta[:, 0, 1],
                    beta[:, 0, 2],
                    beta[:, 1, 1],
                    beta[:, 1, 2],
                ]
            )
            out["params"] = np.where(both[:, None], params, np.nan)
            out["n_obs"] = n.sum(axis=-1)
            out["n_by_role"] = n
            out["ok"] = both
    return out


# -- model and results -----------------------------------------------------------------------------
class InertiaCoordination:
    """Inertia–coordination model per dyad (rties ``indivInertCoord``), estimated for all dyads at once.

    Parameters
    ----------
    data : DyadicData
        Long-format data with a time column (integer occasions; a gap is a missing occasion). Role 0
        and 1 follow the sorted values of the role column (without one, the smaller person id is 0).
    var : str
        The observed variable ``y``.
    lag : int
        Lag L in occasions. The predictors are the values L occasions *earlier* (own and partner's);
        a lag never bridges a missing occasion or a day boundary.

    Notes
    -----
    Per person, ``y`` is detrended (residual of ``lm(y ~ time)`` on that person's observed values).
    Per dyad, one no-intercept OLS with role-specific columns,
    ``y_g,t = int_g + inert_g·y_g,t−L + coord_g·y_h,t−L``, gives the six parameters
    ``int0 int1 inert0 coord0 inert1 coord1`` and R's uncentred adjusted R². Rows with a missing
    outcome or predictor are left out, as ``lm(..., na.action = na.exclude)`` does.

    Examples
    --------
    >>> from counterpoint.science.data import DyadicData
    >>> df = simulate_ic(n_dyads=3, n_occasions=150, seed=1)
    >>> data = DyadicData(df, dyad="dyad", person="person", role="role", time="time")
    >>> res = InertiaCoordination(data, "y").fit()
    >>> res.table.columns.tolist()[:6]
    ['int0', 'int1', 'inert0', 'coord0', 'inert1', 'coord1']
    >>> bool((res.table["inert0"] > 0.3).all())
    True
    """

    def __init__(self, data: DyadicData | DyadArrays, var: str, lag: int = 1) -> None:
        if data.time_col is None:
            raise DyadDataError("the inertia–coordination model needs a time column (--time)")
        if int(lag) != lag or lag < 1:
            raise DyadDataError(
                f"the lag must be a positive integer number of occasions, got {lag!r}"
            )
        data.numeric([var])
        self.data = data
        self.var = var
        self.lag = int(lag)

    def fit(self, *, whole_file: bool = True) -> InertiaCoordinationResults:
        """Estimate the full, inertia-only and coordination-only models for every dyad.
        ``whole_file=False`` (one part of a partitioned file) leaves a variable constant in this
        part to each couple's reason: other parts may vary."""
        values = self.data.to_arrays(self.var, day_gap=self.lag)
        if whole_file:
            refuse_constant(values, self.var)
        fitted = by_chunks(lambda v: fit_ic_arrays(v, self.lag), values)
        return InertiaCoordinationResults(self, fitted, values)


class InertiaCoordinationResults(PerDyadResults):
    """Per-dyad inertia–coordination estimates.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per dyad (index: dyad id): ``int0 int1 inert0 coord0 inert1 coord1``, ``adj_r2`` (full
        model), ``adj_r2_inert``, ``adj_r2_coord``, ``n_obs`` (rows in the fit, both roles) and
        ``reason`` (``None``, or why the dyad has no numbers).
    comparison : pandas.DataFrame
        rties' model comparison: adjusted R² of the three models and their differences
        ``I_minus_C``, ``IC_minus_I``, ``IC_minus_C``.
    """

    model = "ic"
    title = "Inertia–coordination model (per dyad)"
    param_names = IC_PARAMS
    extra_columns = ("adj_r2_inert", "adj_r2_coord", "n_obs")

    def __init__(
        self, model: InertiaCoordination, fitted: dict[str, Any], values: FloatArray
    ) -> None:
        self.var = model.var
        self.lag = model.lag
        self.roles = model.data.roles
        self.dyad_ids = model.data.dyad_ids
        self._fitted = fitted
        self._values = values
        self._role_labels = role_labels(model.data)

    def _table_columns(self) -> dict[str, Any]:
        fitted = self._fitted
        reasons = series_reasons(self._values, fitted["detrended"], self._role_labels)
        n_role = fitted["n_by_role"]
        for d in np.flatnonzero(~fitted["ok"]):
            if reasons[d] is None:
                if (n_role[d] <= 3).any():
                    reasons[d] = (
                        f"too few usable occasions with lag {self.lag}: {n_role[d, 0]} and "
                        f"{n_role[d, 1]} rows for the two roles (need at least 4 each)"
                    )
                else:
                    reasons[d] = (
                        "the predictors are collinear (singular design), so the fit is not identified"
                    )
        bad = np.array([r is not None for r in reasons], dtype=bool)
        params = np.asarray(fitted["params"], dtype=np.float64)
        columns: dict[str, Any] = {
            name: np.where(bad, np.nan, params[:, k]) for k, name in enumerate(IC_PARAMS)
        }
        columns["adj_r2"] = np.where(bad, np.nan, fitted["adj_r2"]["full"])
        columns["adj_r2_inert"] = np.where(bad, np.nan, fitted["adj_r2"]["inert"])
        columns["adj_r2_coord"] = np.where(bad, np.nan, fitted["adj_r2"]["coord"])
        columns["n_obs"] = fitted["n_obs"]
        columns["reason"] = np.array(reasons, dtype=object)
        return columns

    @cached_property
    def comparison(self) -> pd.DataFrame:
        """Adjusted R² of the inertia-only, coordination-only and full models, and their differences."""
        import pandas as pd

        t = self.table
        out = pd.DataFrame(
            {"inert": t["adj_r2_inert"], "coord": t["adj_r2_coord"], "inert_coord": t["adj_r2"]},
            index=t.index,
        )
        out["I_minus_C"] = out["inert"] - out["coord"]
        out["IC_minus_I"] = out["inert_coord"] - out["inert"]
        out["IC_minus_C"] = out["inert_coord"] - out["coord"]
        return out

    @property
    def detrended(self) -> FloatArray:
        """The detrended series, shape ``(n_dyads, 2, T)`` on the data's time axis."""
        return self._fitted["detrended"]

    def extra(self) -> dict[str, Any]:
        return {"var": self.var, "lag": self.lag, "roles": list(self._role_labels)}


def simulate_ic(
    n_dyads: int = 50,
    n_occasions: int = 100,
    seed: int | None = None,
    *,
    int0: float = 0.0,
    int1: float = 0.0,
    inert0: float = 0.5,
    coord0: float = 0.2,
    inert1: float = 0.4,
    coord1: float = -0.1,
    sigma: float = 1.0,
    trend: float = 0.0,
    burn_in: int = 50,
) -> pd.DataFrame:
    """Simulate dyads from the inertia–coordination model (a bivariate VAR(1) per dyad).

    ``y_g,t = int_g + inert_g·y_g,t−1 + coord_g·y_h,t−1 + e_g,t`` with independent normal errors of
    SD ``sigma``; ``trend`` adds ``trend·t`` to every person's series (removed again by the model's
    detrending). The first ``burn_in`` steps are discarded so the series start near stationarity.

    Returns
    -------
    pandas.DataFrame
        Long format: ``dyad``, ``person`` (``2·dyad`` and ``2·dyad + 1``), ``role`` (0/1), ``time``
        (1..n_occasions), ``y``.

    Examples
    --------
    >>> simulate_ic(n_dyads=2, n_occasions=3, seed=0).shape
    (12, 5)
    """
    import pandas as pd

    a = np.array([[inert0, coord0], [coord1, inert1]])
    if np.max(np.abs(np.linalg.eigvals(a))) >= 1:
        raise ValueError("the inertia/coordination values give a non-stationary process")
    rng = np.random.default_rng(seed)
    total = n_occasions + burn_in
    noise = rng.normal(0.0, sigma, size=(total, n_dyads, 2))
    intercept = np.array([int0, int1])
    y = np.zeros((total, n_dyads, 2))
    y[0] = np.linalg.solve(np.eye(2) - a, intercept) + noise[0]
    for t in range(1, total):  # a loop over time, vectorised over dyads
        y[t] = intercept + y[t - 1] @ a.T + noise[t]
    y = y[burn_in:] + trend * np.arange(1, n_occasions + 1)[:, None, None]
    dyad = np.repeat(np.arange(1, n_dyads + 1), 2 * n_occasions)
    role = np.tile(np.repeat([0, 1], n_occasions), n_dyads)
    time = np.tile(np.arange(1, n_occasions + 1), 2 * n_dyads)
    return pd.DataFrame(
        {
            "dyad": dyad,
            "person": 2 * dyad + role,
            "role": role,
            "time": time,
            "y": y.transpose(1, 2, 0).ravel(),
        }
    )
