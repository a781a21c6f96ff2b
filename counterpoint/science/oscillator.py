"""Coupled-oscillator model with GLLA derivatives (rties ``estDerivs`` + ``indivClo``), batched.

Per person the series is detrended; occasions where either partner is missing are dropped and the
remaining ones closed up (as rties does); each series is embedded with delay τ and dimension E and
turned into level, first and second derivative by GLLA (:mod:`counterpoint.science.glla`). Per dyad,
one no-intercept OLS with role-specific columns,

    ẍ_g = obs_g·x̂_g + d1_g·ẋ_g + p_obs_g·x̂_h + p_d1_g·ẋ_h,      g ∈ {0, 1}, h = 1 − g,

is fitted for every (τ, E) of the grid, all dyads in one batched solve per grid point, and each dyad
keeps the grid point with the best (uncentred) adjusted R².
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from counterpoint.science.batched_ols import (
    RoleFits,
    by_chunks,
    detrend_by_person,
    series_reasons,
    solve_gram,
    uncentred_adj_r2,
)
from counterpoint.science.errors import DyadDataError
from counterpoint.science.glla import glla_derivative_series
from counterpoint.science.panels import refuse_constant, role_labels
from counterpoint.science.results import PerDyadResults

if TYPE_CHECKING:  # pandas only where a DataFrame is built: the command line's fits run without it
    import pandas as pd

    from counterpoint.science.arrays import DyadArrays
    from counterpoint.science.data import DyadicData

__all__ = [
    "CLO_PARAMS",
    "CoupledOscillator",
    "CoupledOscillatorResults",
    "fit_clo_arrays",
    "simulate_clo",
]

FloatArray = NDArray[np.float64]

CLO_PARAMS = ("obs_0", "d1_0", "p_obs_0", "p_d1_0", "obs_1", "d1_1", "p_obs_1", "p_d1_1")
_N_PARAMS = len(CLO_PARAMS)


def grid_points(taus: Sequence[int], embeds: Sequence[int]) -> list[tuple[int, int]]:
    """The (τ, E) grid in R's ``expand.grid(taus, embeds)`` order: τ varies fastest.

    Ties in adjusted R² go to the first grid point in this order, as in rties.

    Examples
    --------
    >>> grid_points((4, 5), (3, 4))
    [(4, 3), (5, 3), (4, 4), (5, 4)]
    """
    return [(tau, embed) for embed, tau in itertools.product(embeds, taus)]


def complete_pairs(detrended: FloatArray) -> tuple[FloatArray, NDArray[np.int64]]:
    """Keep the occasions where both partners have a value, closed up to the left.

    Parameters
    ----------
    detrended : ndarray, shape (D, 2, T)

    Returns
    -------
    closed : ndarray, shape (D, 2, T)
        Each dyad's complete occasions in time order, then NaN padding.
    n_complete : ndarray of int, shape (D,)

    Examples
    --------
    >>> x = np.array([[[1.0, np.nan, 3.0, 4.0], [5.0, 6.0, 7.0, np.nan]]])
    >>> closed, n = complete_pairs(x)
    >>> closed[0].tolist(), n.tolist()
    ([[1.0, 3.0, nan, nan], [5.0, 7.0, nan, nan]], [2])
    """
    complete = np.isfinite(detrended).all(axis=1)
    order = np.argsort(~complete, axis=-1, kind="stable")
    closed = np.take_along_axis(detrended, order[:, None, :], axis=-1)
    n_complete = complete.sum(axis=-1)
    keep = np.arange(detrended.shape[-1]) < n_complete[:, None]
    return np.where(keep[:, None, :], closed, np.nan), n_complete.astype(np.int64)


# Columns of the per-dyad block [x̂_0, ẋ_0, ẍ_0, x̂_1, ẋ_1, ẍ_1]: role g's design is its own level
# and slope, then the partner's; its outcome is its own second derivative.
_DESIGN = np.array([[0, 1, 3, 4], [3, 4, 0, 1]])
_OUTCOME = np.array([2, 5])


def _fit_grid_point(
    closed: FloatArray, n_complete: NDArray[np.int64], tau: int, embed: int, delta: float
) -> RoleFits:
    """The eight-parameter OLS for every dyad at one (τ, E).

    Both roles use the same rows and the same four columns (in another order), so one cross-product
    matrix of ``[x̂_0, ẋ_0, ẍ_0, x̂_1, ẋ_1, ẍ_1]`` per dyad holds everything both fits need.
    ``closed`` holds each dyad's complete occasions closed up, zero-padded after ``n_complete``.
    """
    series = glla_derivative_series(closed, tau, embed, delta)  # (D, 2, 3, K)
    n_dyads, _, _, n_rows = series.shape
    block = series.reshape(n_dyads, 6, n_rows)  # a view: series is contiguous
    n = np.maximum(n_complete - (embed - 1) * tau, 0)
    valid = np.arange(n_rows) < n[:, None]  # windows that lie inside the complete occasions
    masked = block * valid[:, None, :]
    gram = masked @ masked.transpose(0, 2, 1)  # (D, 6, 6); numpy runs A·Aᵀ as one BLAS syrk
    xtx = gram[:, _DESIGN[:, :, None], _DESIGN[:, None, :]]  # (D, 2, 4, 4)
    xty = gram[:, _DESIGN, _OUTCOME[:, None]]  # (D, 2, 4)
    yy = gram[:, _OUTCOME, _OUTCOME]  # (D, 2)
    return solve_gram(xtx, xty, yy, np.repeat(n[:, None], 2, axis=1))


def fit_clo_arrays(
    values: FloatArray,
    taus: Sequence[int] = (4, 5),
    embeds: Sequence[int] = (3, 4, 5),
    delta: float = 1.0,
) -> dict[str, Any]:
    """The coupled-oscillator grid search on padded arrays, batched over dyads.

    Parameters
    ----------
    values : ndarray, shape (D, 2, T)
        Raw series per dyad and role on a common time axis, NaN where missing or padded.
    taus, embeds : sequence of int
        The grid of delays τ and embedding dimensions E.
    delta : float
        Interval between occasions (derivatives are per this time unit).

    Returns
    -------
    dict
        ``grid`` [(τ, E), ...]; ``grid_adj_r2`` (D, G) as R reports it (for a rank-deficient design,
        that of the reduced fit with the rank in place of 8); ``grid_full_rank`` (D, G);
        ``grid_params`` (D, G, 8), NaN unless full rank; ``grid_n`` (D, G) rows per role;
        ``best`` (D,) index into ``grid`` (−1 when no grid point could be fitted); ``detrended``
        (D, 2, T); ``closed`` (D, 2, T) complete occasions closed up; ``n_complete`` (D,).
    """
    detrended = detrend_by_person(values)
    closed, n_complete = complete_pairs(detrended)
    padded = np.nan_to_num(closed, nan=0.0)
    grid = grid_points(taus, embeds)
    n_dyads = values.shape[0]
    adj = np.full((n_dyads, len(grid)), np.nan)
    params = np.full((n_dyads, len(grid), _N_PARAMS), np.nan)
    rows = np.zeros((n_dyads, len(grid)), dtype=np.int64)
    full_rank = np.zeros((n_dyads, len(grid)), dtype=bool)
    for i, (tau, embed) in enumerate(grid):
        fits = _fit_grid_point(padded, n_complete, tau, embed, delta)
        full_rank[:, i] = fits.ok.all(axis=-1)
        adj[:, i] = uncentred_adj_r2(
            fits.rss.sum(axis=-1), fits.yy.sum(axis=-1), fits.n.sum(axis=-1), fits.rank.sum(axis=-1)
        )
        params[:, i] = fits.beta.reshape(n_dyads, _N_PARAMS)
        rows[:, i] = fits.n[:, 0]
    usable = full_rank & np.isfinite(adj)
    best = np.where(usable.any(axis=-1), np.argmax(np.where(usable, adj, -np.inf), axis=-1), -1)
    return {
        "grid": grid,
        "grid_adj_r2": adj,
        "grid_params": params,
        "grid_n": rows,
        "grid_full_rank": full_rank,
        "best": best,
        "detrended": detrended,
        "closed": closed,
        "n_complete": n_complete,
    }


def periods(obs: FloatArray) -> FloatArray:
    """Oscillation period ``2π/√|obs|``; NaN where ``obs ≥ 0`` (no oscillation).

    Examples
    --------
    >>> periods(np.array([-0.25, 0.1])).round(4).tolist()
    [12.5664, nan]
    """
    oscillates = obs < 0
    return np.where(oscillates, 2 * np.pi / np.sqrt(np.where(oscillates, -obs, np.nan)), np.nan)


class CoupledOscillator:
    """Coupled-oscillator model per dyad with a τ/E grid search (rties ``estDerivs`` + ``indivClo``).

    Parameters
    ----------
    data : DyadicData
        Long-format data. With a time column, occasions follow it; without one, row order.
    var : str
        The observed variable.
    taus : sequence of int
        Delays τ (occasions between the columns of the embedding).
    embeds : sequence of int
        Embedding dimensions E (at least 3 for second derivatives).
    delta : float
        Interval between occasions; derivatives and periods are in this unit.

    Notes
    -----
    Parameters ``obs_g`` (frequency, negative for an oscillator; period ``2π/√|obs_g|``), ``d1_g``
    (damping < 0, amplification > 0) and the couplings ``p_obs_g``, ``p_d1_g`` (partner's level and
    slope), for role g = 0, 1 (sorted values of the role column).

    Examples
    --------
    >>> from counterpoint.science.data import DyadicData
    >>> df = simulate_clo(n_dyads=4, n_occasions=300, seed=3)
    >>> data = DyadicData(df, dyad="dyad", person="person", role="role", time="time")
    >>> res = CoupledOscillator(data, "y").fit()
    >>> res.table.loc[:, ["tau", "embed"]].shape
    (4, 2)
    >>> bool((res.table["obs_0"] < 0).all())
    True
    """

    def __init__(
        self,
        data: DyadicData | DyadArrays,
        var: str,
        taus: Sequence[int] = (4, 5),
        embeds: Sequence[int] = (3, 4, 5),
        delta: float = 1.0,
    ) -> None:
        taus, embeds = tuple(int(t) for t in taus), tuple(int(e) for e in embeds)
        if not taus or min(taus) < 1:
            raise DyadDataError(f"taus must be positive integers, got {taus}")
        if not embeds or min(embeds) < 3:
            raise DyadDataError(f"embeds must be integers of at least 3, got {embeds}")
        if not delta > 0:
            raise DyadDataError(f"delta must be positive, got {delta}")
        data.numeric([var])
        self.data = data
        self.var = var
        self.taus = taus
        self.embeds = embeds
        self.delta = float(delta)

    def fit(self, *, whole_file: bool = True) -> CoupledOscillatorResults:
        """Search the (τ, E) grid for every dyad at once and keep each dyad's best fit.
        ``whole_file=False`` (one part of a partitioned file) leaves a variable constant in this
        part to each couple's reason: other parts may vary."""
        values = self.data.to_arrays(self.var)
        if whole_file:
            refuse_constant(values, self.var)
        fitted = by_chunks(lambda v: fit_clo_arrays(v, self.taus, self.embeds, self.delta), values)
        return CoupledOscillatorResults(self, fitted, values)


class CoupledOscillatorResults(PerDyadResults):
    """Per-dyad coupled-oscillator estimates at each dyad's best (τ, E).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per dyad (index: dyad id): the eight parameters, ``adj_r2``, ``tau``, ``embed``,
        ``period_0``, ``period_1``, ``n_obs`` (derivative rows per role), ``reason`` (``None``, or why
        the dyad has no numbers) and ``note`` (e.g. why a period is undefined).
    grid : pandas.DataFrame
        Adjusted R² of every dyad at every grid point (rows: dyads; columns: (τ, E)).
    """

    model = "clo"
    title = "Coupled-oscillator model (per dyad, GLLA derivatives)"
    param_names = CLO_PARAMS
    extra_columns = ("tau", "embed", "period_0", "period_1", "n_obs", "note")

    def __init__(
        self, model: CoupledOscillator, fitted: dict[str, Any], values: FloatArray
    ) -> None:
        self.var = model.var
        self.taus = model.taus
        self.embeds = model.embeds
        self.delta = model.delta
        self.roles = model.data.roles
        self.dyad_ids = model.data.dyad_ids
        self._fitted = fitted
        self._values = values
        self._role_labels = role_labels(model.data)

    def _reasons(self) -> list[str | None]:
        fitted = self._fitted
        reasons = series_reasons(self._values, fitted["detrended"], self._role_labels)
        per_role = _N_PARAMS // 2
        widest = max((e - 1) * t + 1 for t, e in fitted["grid"])
        for d in np.flatnonzero(fitted["best"] < 0):
            if reasons[d] is not None:
                continue
            if (fitted["grid_n"][d] <= per_role).all():
                reasons[d] = (
                    f"too few complete occasions ({fitted['n_complete'][d]}): windows span up to "
                    f"{widest} occasions and each role needs more than {per_role} derivative rows"
                )
            else:
                reasons[d] = (
                    "the derivative predictors are collinear (singular design) at every grid point"
                )
        return reasons

    def _table_columns(self) -> dict[str, Any]:
        fitted = self._fitted
        best = fitted["best"]
        pick = np.maximum(best, 0)
        rows = np.arange(len(best))
        params = fitted["grid_params"][rows, pick]
        adj = fitted["grid_adj_r2"][rows, pick]
        grid = np.array(fitted["grid"], dtype=np.int64)
        reasons = self._reasons()
        bad = np.array([r is not None for r in reasons], dtype=bool) | (best < 0)
        params[bad] = np.nan
        notes: list[str | None] = []
        for d in np.arange(len(best)):
            undefined = [
                f"obs_{g} = {params[d, 4 * g]:.5g} ≥ 0: role {self._role_labels[g]} does not "
                "oscillate, period undefined"
                for g in (0, 1)
                if not bad[d] and params[d, 4 * g] >= 0
            ]
            notes.append("; ".join(undefined) or None)
        columns: dict[str, Any] = dict(zip(CLO_PARAMS, params.T, strict=True))
        columns.update(
            adj_r2=np.where(bad, np.nan, adj),
            tau=np.ma.masked_array(grid[pick, 0], bad.copy()),
            embed=np.ma.masked_array(grid[pick, 1], bad.copy()),
            period_0=periods(params[:, 0]),
            period_1=periods(params[:, 4]),
            n_obs=np.where(bad, fitted["n_complete"], fitted["grid_n"][rows, pick]),
        )
        columns["reason"] = np.array(reasons, dtype=object)  # None, not NaN, when fine
        columns["note"] = np.array(notes, dtype=object)
        return columns

    @cached_property
    def grid(self) -> pd.DataFrame:
        """Adjusted R² per dyad (rows) and grid point (columns ``(tau, embed)``)."""
        import pandas as pd

        columns = pd.MultiIndex.from_tuples(self._fitted["grid"], names=["tau", "embed"])
        return pd.DataFrame(
            self._fitted["grid_adj_r2"], index=pd.Index(self.dyad_ids, name="dyad"), columns=columns
        )

    def extra(self) -> dict[str, Any]:
        adj_r2 = self.columns["adj_r2"]
        return {
            "var": self.var,
            "taus": list(self.taus),
            "embeds": list(self.embeds),
            "delta": self.delta,
            "roles": list(self._role_labels),
            "mean_adj_r2": float(np.nanmean(adj_r2)) if np.isfinite(adj_r2).any() else None,
        }


def simulate_clo(
    n_dyads: int = 50,
    n_occasions: int = 200,
    seed: int | None = None,
    *,
    obs_0: float = -0.05,
    d1_0: float = -0.02,
    p_obs_0: float = 0.01,
    p_d1_0: float = 0.0,
    obs_1: float = -0.04,
    d1_1: float = -0.01,
    p_obs_1: float = 0.01,
    p_d1_1: float = 0.0,
    noise: float = 0.05,
    measurement_error: float = 0.0,
    delta: float = 1.0,
    substeps: int = 20,
) -> pd.DataFrame:
    """Simulate coupled damped oscillators (a linear stochastic ODE) observed every ``delta``.

    The state ``(x_0, ẋ_0, x_1, ẋ_1)`` follows
    ``ẍ_g = obs_g·x_g + d1_g·ẋ_g + p_obs_g·x_h + p_d1_g·ẋ_h``, integrated exactly (matrix exponential)
    over ``substeps`` sub-intervals of each ``delta``, with normal shocks of SD
    ``noise·√(delta/substeps)`` on the velocities (an Euler–Maruyama diffusion term) that keep the
    oscillation going. ``measurement_error`` adds independent normal noise to the observations.
    Parameters that make the coupled system grow without bound are refused (``ValueError``).

    Returns
    -------
    pandas.DataFrame
        Long format: ``dyad``, ``person`` (``2·dyad`` and ``2·dyad + 1``), ``role`` (0/1), ``time``
        (1..n_occasions), ``y``.

    Examples
    --------
    >>> simulate_clo(n_dyads=2, n_occasions=5, seed=0).shape
    (20, 5)
    """
    import pandas as pd
    from scipy.linalg import expm

    system = np.array(
        [
            [0.0, 1.0, 0.0, 0.0],
            [obs_0, d1_0, p_obs_0, p_d1_0],
            [0.0, 0.0, 0.0, 1.0],
            [p_obs_1, p_d1_1, obs_1, d1_1],
        ]
    )
    growth = float(np.linalg.eigvals(system).real.max())
    if growth > 0:
        raise ValueError(
            f"these parameters give a growing (unstable) system (largest eigenvalue real part "
            f"{growth:.4g} > 0); the simulated series would explode"
        )
    h = delta / substeps
    step = expm(system * h)
    rng = np.random.default_rng(seed)
    # start each dyad on a random point of the unit-amplitude cycle so every series oscillates
    phase = rng.uniform(0, 2 * np.pi, size=(n_dyads, 2))
    omega = np.sqrt(np.abs([obs_0, obs_1]))
    state = np.empty((n_dyads, 4))
    state[:, 0], state[:, 2] = np.cos(phase[:, 0]), np.cos(phase[:, 1])
    state[:, 1], state[:, 3] = -omega[0] * np.sin(phase[:, 0]), -omega[1] * np.sin(phase[:, 1])
    out = np.empty((n_occasions, n_dyads, 2))
    shock_sd = noise * np.sqrt(h)
    for t in range(n_occasions):  # loops over time only; all dyads move together
        out[t] = state[:, [0, 2]]
        for _ in range(substeps):
            state = state @ step.T
            state[:, [1, 3]] += rng.normal(0.0, shock_sd, size=(n_dyads, 2))
    if measurement_error > 0:
        out = out + rng.normal(0.0, measurement_error, size=out.shape)
    dyad = np.repeat(np.arange(1, n_dyads + 1), 2 * n_occasions)
    role = np.tile(np.repeat([0, 1], n_occasions), n_dyads)
    time = np.tile(np.arange(1, n_occasions + 1), 2 * n_dyads)
    return pd.DataFrame(
        {
            "dyad": dyad,
            "person": 2 * dyad + role,
            "role": role,
            "time": time,
            "y": out.transpose(1, 2, 0).ravel(),
        }
    )
