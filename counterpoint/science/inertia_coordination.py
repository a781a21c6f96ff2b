"""Inertia–coordination model (rties), one OLS per dyad, all dyads at once.

Each person's series is detrended (residual of a straight line on time). Then, per dyad, one
least-squares fit with no common intercept and role-specific columns,

    y_g,t = int_g + inert_g · y_g,t−L + coord_g · y_h,t−L + e,      g ∈ {0, 1}, h = 1 − g,

is computed for every dyad in the same batched normal-equation solve. Adjusted R² follows R's
``summary.lm`` for a formula without intercept (uncentred): ``R² = 1 − RSS/Σy²``,
``adj = 1 − (1 − R²)·n/(n − p)``. The inertia-only and coordination-only models are fitted the same
way for the comparison rties' ``indivInertCoordCompare`` makes.

The batched least-squares helpers here (:func:`detrend_by_person`, :func:`ols_by_role`) are
shared with :mod:`counterpoint.science.oscillator`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from counterpoint.science.data import DyadicData
from counterpoint.science.errors import DyadDataError
from counterpoint.science.results import PerDyadResults

__all__ = [
    "IC_PARAMS",
    "InertiaCoordination",
    "InertiaCoordinationResults",
    "RoleFits",
    "detrend_by_person",
    "ols_by_role",
    "simulate_ic",
    "solve_gram",
    "uncentred_adj_r2",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

IC_PARAMS = ("int0", "int1", "inert0", "coord0", "inert1", "coord1")
_SUBMODELS = {
    "inert": (0, 1),
    "coord": (0, 2),
    "full": (0, 1, 2),
}  # columns of [1, own lag, partner lag]

# A design whose column-scaled cross-product has a smaller eigenvalue than this is treated as
# singular (its columns are collinear to about 1e-6 in correlation), as R's lm would alias a column.
_SINGULAR_EIGENVALUE = 1e-12


# -- batched numerical core ------------------------------------------------------------------------
def detrend_by_person(values: FloatArray) -> FloatArray:
    """Residuals of a straight-line fit on the time position, per series along the last axis.

    Parameters
    ----------
    values : ndarray, shape (..., T)
        Series laid out on a common time axis (position = time − first time), NaN where missing.

    Returns
    -------
    ndarray, shape (..., T)
        ``y − (a + b·t)`` fitted by least squares on the observed points only (R's
        ``resid(lm(y ~ time, na.action = na.exclude))``); NaN where ``y`` is NaN, and NaN for the whole
        series when it has fewer than two observed points.

    Examples
    --------
    >>> detrend_by_person(np.array([1.0, 2.0, np.nan, 4.0, 6.0])).round(6).tolist()
    [0.15, -0.05, nan, -0.45, 0.35]
    """
    values = np.asarray(values, dtype=float)
    seen = np.isfinite(values)
    t = np.broadcast_to(np.arange(values.shape[-1], dtype=float), values.shape)
    n = seen.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_mean = np.where(seen, t, 0.0).sum(axis=-1, keepdims=True) / n
        y_mean = np.where(seen, values, 0.0).sum(axis=-1, keepdims=True) / n
        tc = np.where(seen, t - t_mean, 0.0)
        yc = np.where(seen, values - y_mean, 0.0)
        slope = (tc * yc).sum(axis=-1, keepdims=True) / (tc * tc).sum(axis=-1, keepdims=True)
    resid = yc - slope * tc
    return np.where(seen & (n >= 2), resid, np.nan)


class RoleFits(NamedTuple):
    """Batched least-squares results, one block per (dyad, role); see :func:`ols_by_role`."""

    beta: FloatArray  # (D, 2, p); NaN where the design is not of full rank
    rss: FloatArray  # (D, 2) residual sum of squares of the projection (any rank)
    yy: FloatArray  # (D, 2) uncentred total sum of squares, Σy²
    n: NDArray[np.int64]  # (D, 2) rows
    rank: NDArray[np.int64]  # (D, 2) numerical rank of the design
    ok: BoolArray  # (D, 2) full column rank and at least p rows


def ols_by_role(y: FloatArray, design: FloatArray, valid: BoolArray) -> RoleFits:
    """Least squares without intercept for every (dyad, role) block at once.

    A fit with role-specific columns only (no parameter shared between roles) is block diagonal, so
    its coefficients are those of one fit per role and its residual sum of squares is the sum.
    Columns are scaled to unit length and the normal equations solved through a batched
    eigendecomposition; a direction whose eigenvalue is below ``1e-12`` is treated as aliased, as
    R's ``lm`` drops a collinear column. Such a block gets NaN coefficients, but its residual sum of
    squares and rank are still those R reports for the reduced fit.

    Parameters
    ----------
    y : ndarray, shape (D, 2, K)
        Outcome per dyad, role and row.
    design : ndarray, shape (D, 2, K, p)
        Predictors for the same rows.
    valid : ndarray of bool, shape (D, 2, K)
        Rows that take part (finite outcome and predictors).

    Returns
    -------
    RoleFits

    Examples
    --------
    >>> x = np.arange(1.0, 6.0)
    >>> design = np.stack([np.ones(5), x], axis=-1)[None, None].repeat(2, axis=1)
    >>> fits = ols_by_role(np.broadcast_to(1 + 2 * x, (1, 2, 5)), design, np.ones((1, 2, 5), bool))
    >>> fits.beta.round(10).tolist()
    [[[1.0, 2.0], [1.0, 2.0]]]
    """
    x = np.where(valid[..., None], design, 0.0)
    yv = np.where(valid, y, 0.0)
    xt = np.swapaxes(x, -1, -2)
    xtx = xt @ x  # batched matrix products go to BLAS; einsum here is several times slower
    xty = (xt @ yv[..., None])[..., 0]
    return solve_gram(xtx, xty, (yv * yv).sum(axis=-1), valid.sum(axis=-1))


def solve_gram(xtx: FloatArray, xty: FloatArray, yy: FloatArray, n: NDArray[Any]) -> RoleFits:
    """Least squares from cross-products ``XᵀX``, ``Xᵀy``, ``yᵀy``, batched over leading axes.

    The workhorse behind :func:`ols_by_role`; models whose blocks share a design (the coupled
    oscillator: both roles use the same four derivative columns) build the cross-products once and
    call this directly. The residual sum of squares is ``yᵀy − β̂ᵀXᵀy``, exact for the least-squares
    (or, when rank-deficient, minimum-norm) solution.

    Parameters
    ----------
    xtx : ndarray, shape (..., p, p)
    xty : ndarray, shape (..., p)
    yy : ndarray, shape (...)
    n : ndarray of int, shape (...)
        Rows behind each block.

    Returns
    -------
    RoleFits
    """
    p = xtx.shape[-1]
    scale = np.sqrt(np.diagonal(xtx, axis1=-2, axis2=-1))
    scale = np.where(scale > 0, scale, 1.0)
    xtx_s = xtx / (scale[..., :, None] * scale[..., None, :])
    eigval, eigvec = np.linalg.eigh(xtx_s)
    keep = eigval > _SINGULAR_EIGENVALUE
    inv = np.where(keep, 1.0 / np.where(keep, eigval, 1.0), 0.0)
    proj = (np.swapaxes(eigvec, -1, -2) @ (xty / scale)[..., None])[..., 0]
    beta_any = (eigvec @ (inv * proj)[..., None])[..., 0] / scale
    rank = keep.sum(axis=-1).astype(np.int64)
    n = np.asarray(n, dtype=np.int64)
    ok = (rank == p) & (n >= p)
    rss = np.maximum(yy - (beta_any * xty).sum(axis=-1), 0.0)
    beta = np.where(ok[..., None], beta_any, np.nan)
    return RoleFits(beta, rss, yy, n, rank, ok)


def uncentred_adj_r2(
    rss: FloatArray, yy: FloatArray, n: NDArray[Any], p: int | NDArray[np.int64]
) -> FloatArray:
    """R's adjusted R² for a model without intercept: ``1 − (RSS/Σy²)·n/(n − p)``.

    Examples
    --------
    >>> float(uncentred_adj_r2(np.array(2.0), np.array(10.0), np.array(12), 2))
    0.76
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        r2 = 1.0 - rss / yy
        adj = 1.0 - (1.0 - r2) * n / (n - p)
    return np.where((n > p) & (yy > 0), adj, np.nan)


def _lag(values: FloatArray, lag: int) -> FloatArray:
    """Shift along the last axis so that position t holds the value at t − lag (NaN before start)."""
    out = np.full_like(values, np.nan)
    if lag < values.shape[-1]:
        out[..., lag:] = values[..., :-lag]
    return out


def series_reasons(
    raw: FloatArray, detrended: FloatArray, roles: tuple[str, str]
) -> list[str | None]:
    """Per-dyad reason when a person's series cannot carry the model (constant, too short, identical)."""
    reasons: list[str | None] = [None] * raw.shape[0]
    n_seen = np.isfinite(raw).sum(axis=-1)
    spread = np.nanmax(np.abs(detrended), axis=-1, initial=0.0, where=np.isfinite(detrended))
    level = np.nanmax(np.abs(raw), axis=-1, initial=0.0, where=np.isfinite(raw))
    flat = spread <= 1e-12 * np.maximum(level, 1.0)
    both = np.isfinite(detrended[:, 0]) & np.isfinite(detrended[:, 1])
    tolerance = 1e-12 * np.maximum(level.max(axis=-1), 1.0)
    gap = np.abs(np.where(both, raw[:, 0] - raw[:, 1], 0.0)).max(axis=-1)
    identical = (gap <= tolerance) & (both.sum(axis=-1) > 0)
    gap_dt = np.abs(np.where(both, detrended[:, 0] - detrended[:, 1], 0.0)).max(axis=-1)
    parallel = (gap_dt <= tolerance) & (both.sum(axis=-1) > 0) & ~identical
    for d in np.flatnonzero((n_seen < 3).any(axis=-1) | flat.any(axis=-1) | identical | parallel):
        if (n_seen[d] < 3).any():
            g = int(np.argmin(n_seen[d]))
            reasons[d] = (
                f"too few observations: role {roles[g]} has {n_seen[d, g]} (need at least 3)"
            )
        elif identical[d]:
            reasons[d] = (
                "the two partners' series are identical, so own and partner effects cannot be separated"
            )
        elif parallel[d] and not flat[d].any():
            reasons[d] = (
                "the two partners' series are identical after detrending (they differ only by a "
                "straight line), so own and partner effects cannot be separated"
            )
        else:
            g = int(np.argmax(flat[d]))
            reasons[d] = (
                f"the series of role {roles[g]} is constant (or a straight line), nothing to model"
            )
    return reasons


def role_labels(data: DyadicData) -> tuple[str, str]:
    """The two role values as text for messages (``"0"``/``"1"`` without a role column)."""
    if data.roles is None:
        return ("0", "1")
    return (str(data.roles[0]), str(data.roles[1]))


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
    own = _lag(resid, lag)
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
    >>> df = simulate_ic(n_dyads=3, n_occasions=150, seed=1)
    >>> data = DyadicData(df, dyad="dyad", person="person", role="role", time="time")
    >>> res = InertiaCoordination(data, "y").fit()
    >>> res.table.columns.tolist()[:6]
    ['int0', 'int1', 'inert0', 'coord0', 'inert1', 'coord1']
    >>> bool((res.table["inert0"] > 0.3).all())
    True
    """

    def __init__(self, data: DyadicData, var: str, lag: int = 1) -> None:
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

    def fit(self) -> InertiaCoordinationResults:
        """Estimate the full, inertia-only and coordination-only models for every dyad."""
        values = self.data.to_arrays(self.var, day_gap=self.lag)
        return InertiaCoordinationResults(self, fit_ic_arrays(values, self.lag), values)


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

    @cached_property
    def table(self) -> pd.DataFrame:  # type: ignore[override]
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
        frame = pd.DataFrame(
            fitted["params"], columns=list(IC_PARAMS), index=pd.Index(self.dyad_ids, name="dyad")
        )
        frame["adj_r2"] = fitted["adj_r2"]["full"]
        frame["adj_r2_inert"] = fitted["adj_r2"]["inert"]
        frame["adj_r2_coord"] = fitted["adj_r2"]["coord"]
        frame.loc[bad, [*IC_PARAMS, "adj_r2", "adj_r2_inert", "adj_r2_coord"]] = np.nan
        frame["n_obs"] = fitted["n_obs"]
        frame["reason"] = pd.Series(reasons, index=frame.index, dtype=object)
        return frame

    @cached_property
    def comparison(self) -> pd.DataFrame:
        """Adjusted R² of the inertia-only, coordination-only and full models, and their differences."""
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
