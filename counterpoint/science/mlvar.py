"""Multilevel dyadic VAR(1) (model 4): carry-over and partner influence across many couples, by REML.

For person ``i`` with role ``g`` in a dyad, partner ``j``::

    y_i,t = b0_g + a_g · y_i,t−1 + p_g · y_j,t−1 + u_g,dyad + e_i,t

with the lagged values centred within person, random intercepts ``(u_0, u_1)`` per dyad with an
unstructured 2 × 2 covariance, a residual SD per role and a correlation ``rho`` between the two
partners' residuals at the same occasion. This is R's
``nlme::lme(random = ~ -1 + role0 + role1 | dyad, correlation = corCompSymm(form = ~1 | dyad/occasion),
weights = varIdent(form = ~1 | role), method = "REML")``.

The fit exploits the structure: the residual covariance is block diagonal with 2 × 2 blocks (one per
occasion) that take only three forms (both partners present, only role 0, only role 1), so each dyad
reduces, once, to a few 9 × 9 cross-product matrices. Every REML evaluation is then a handful of
batched 2 × 2 operations over dyads (Woodbury identity), with the fixed effects profiled out by GLS.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from counterpoint.science.data import DyadicData
from counterpoint.science.errors import DyadDataError
from counterpoint.science.results import PooledResults

__all__ = ["DyadicVAR", "DyadicVARResults", "simulate_var"]

_P = 6  # fixed effects: (intercept, actor, partner) for role 0, then for role 1
_Q = 9  # cross-product columns: 6 fixed effects, 2 random-intercept indicators, the outcome
_XY = np.array([0, 1, 2, 3, 4, 5, 8])  # fixed-effect columns and the outcome
_Z95 = float(stats.norm.ppf(0.975))


# -- lags --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LagPanel:
    """Outcome and within-person-centred lags on a padded ``(n_dyads, 2, T)`` grid.

    ``own[d, g, t]`` is person ``g``'s value at the previous position minus that person's mean of all
    observed values; ``partner[d, g, t]`` is the partner's previous value minus the partner's mean.
    Positions come from :meth:`DyadicData.to_arrays`, which leaves a NaN position between days, so a
    lag is missing when the previous occasion is missing or on another day. ``usable`` marks rows with
    an outcome and both lags.
    """

    y: np.ndarray
    own: np.ndarray
    partner: np.ndarray
    usable: np.ndarray
    means: np.ndarray


def lag_panel(values: np.ndarray) -> LagPanel:
    """Build a :class:`LagPanel` from padded values of shape ``(n_dyads, 2, T)`` (NaN = absent).

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([[[1.0, 2.0, np.nan, 3.0], [2.0, 2.0, 4.0, 4.0]]])
    >>> panel = lag_panel(y)
    >>> panel.usable.astype(int).tolist()
    [[[0, 1, 0, 0], [0, 1, 1, 0]]]
    >>> float(panel.own[0, 0, 1]), float(panel.partner[0, 0, 1])
    (-1.0, -1.0)
    """
    y = np.asarray(values, dtype=np.float64)
    if y.ndim != 3 or y.shape[1] != 2:
        raise ValueError(f"expected an array of shape (n_dyads, 2, T), got {y.shape}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a person with no value has a NaN mean
        means = np.nanmean(y, axis=2)
    lag = np.full_like(y, np.nan)
    lag[..., 1:] = y[..., :-1]
    own = lag - means[..., None]
    partner = lag[:, ::-1] - means[:, ::-1, None]
    usable = np.isfinite(y) & np.isfinite(own) & np.isfinite(partner)
    return LagPanel(y=y, own=own, partner=partner, usable=usable, means=means)


def data_panel(data: DyadicData, var: str) -> LagPanel:
    """The :class:`LagPanel` of ``var`` in ``data`` (dyads in :attr:`DyadicData.dyad_ids` order)."""
    if data.time_col is None:
        raise DyadDataError("the VAR models need a time column (integer occasion numbers)")
    return lag_panel(data.to_arrays(var))


def role_labels(data: DyadicData) -> tuple[str, str]:
    """Role values as used in parameter names: the role column's values, or 0 and 1 without one."""
    if data.roles is None:
        return ("0", "1")
    return (str(data.roles[0]), str(data.roles[1]))


# -- REML --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Design:
    """Per-dyad sufficient statistics for REML (only dyads with at least one usable row).

    ``full[d, a, b]`` sums ``w_a' w_b`` over dyad ``d``'s occasions with both partners (``w_g`` is role
    ``g``'s row of ``[X, Z, y]``), ``single[d, g]`` sums ``w_g' w_g`` over occasions with role ``g``
    only. REML needs their sums over dyads in full and, per dyad, only the two ``Z`` columns.
    """

    full_sum: np.ndarray  # (2, 2, Q, Q)
    single_sum: np.ndarray  # (2, Q, Q)
    full_z: np.ndarray  # (n, 2, 2, Q, 2)
    single_z: np.ndarray  # (n, 2, Q, 2)
    n_full: float  # occasions with both partners
    n_single: tuple[float, float]  # occasions with one partner, by role
    keep: np.ndarray  # (n_all,) bool: dyads that enter the fit

    @property
    def n_obs(self) -> int:
        return int(2 * self.n_full + sum(self.n_single))


def _design(panel: LagPanel) -> _Design:
    n, _, T = panel.y.shape
    w = np.zeros((n, 2, T, _Q))
    for g in (0, 1):
        ok = panel.usable[:, g]
        w[:, g, :, 3 * g] = ok
        w[:, g, :, 3 * g + 1] = np.where(ok, panel.own[:, g], 0.0)
        w[:, g, :, 3 * g + 2] = np.where(ok, panel.partner[:, g], 0.0)
        w[:, g, :, 6 + g] = ok
        w[:, g, :, 8] = np.where(ok, panel.y[:, g], 0.0)
    both = panel.usable[:, 0] & panel.usable[:, 1]
    full = np.empty((n, 2, 2, _Q, _Q))
    for a in (0, 1):
        wa = w[:, a] * both[..., None]
        for b in (0, 1):
            full[:, a, b] = np.einsum("ntq,ntr->nqr", wa, w[:, b], optimize=True)
    single = np.empty((n, 2, _Q, _Q))
    n_single = np.empty((n, 2))
    for g in (0, 1):
        alone = panel.usable[:, g] & ~panel.usable[:, 1 - g]
        single[:, g] = np.einsum("ntq,ntr->nqr", w[:, g] * alone[..., None], w[:, g], optimize=True)
        n_single[:, g] = alone.sum(axis=1)
    n_full = both.sum(axis=1).astype(np.float64)
    keep = (n_full + n_single.sum(axis=1)) > 0
    return _Design(
        full_sum=full[keep].sum(axis=0),
        single_sum=single[keep].sum(axis=0),
        full_z=np.ascontiguousarray(full[keep][..., 6:8]),
        single_z=np.ascontiguousarray(single[keep][..., 6:8]),
        n_full=float(n_full[keep].sum()),
        n_single=(float(n_single[keep, 0].sum()), float(n_single[keep, 1].sum())),
        keep=keep,
    )


@dataclass(frozen=True)
class _Pieces:
    logdet_v: float  # log|V*| summed over dyads (V = sigma0² V*)
    logdet_xvx: float  # log|X' V*^-1 X|
    rss: float  # r' V*^-1 r at the GLS estimate
    beta: np.ndarray
    xvx: np.ndarray


def _pieces(d: _Design, delta: float, rho: float, lchol: np.ndarray) -> _Pieces | None:
    """GLS and determinant terms for relative parameters (sigma0 = 1); None when not computable."""
    d2 = delta * delta
    det_block = d2 * (1.0 - rho * rho)
    if not (det_block > 0 and np.isfinite(det_block)):
        return None
    # R*^-1 of an occasion with both partners is [[w00, w01], [w01, w11]]; with one, 1 / delta_g²
    w00, w01, w11 = d2 / det_block, -rho * delta / det_block, 1.0 / det_block

    def combine(full: np.ndarray, single: np.ndarray, axis: int) -> np.ndarray:
        f = np.moveaxis(full, (axis, axis + 1), (0, 1))
        s = np.moveaxis(single, axis, 0)
        return w00 * f[0, 0] + w01 * (f[0, 1] + f[1, 0]) + w11 * f[1, 1] + s[0] + s[1] / d2

    q_sum = combine(d.full_sum, d.single_sum, 0)  # X' R*^-1 X summed over dyads, (Q, Q)
    q_z = combine(d.full_z, d.single_z, 1)  # per dyad, the Z columns, (n, Q, 2)
    logdet_r = d.n_full * np.log(det_block) + d.n_single[1] * np.log(d2)
    m = np.eye(2) + lchol.T @ q_z[:, 6:8] @ lchol
    det_m = m[:, 0, 0] * m[:, 1, 1] - m[:, 0, 1] * m[:, 1, 0]
    if np.any(det_m <= 0):
        return None
    m_inv = np.empty_like(m)
    m_inv[:, 0, 0] = m[:, 1, 1] / det_m
    m_inv[:, 1, 1] = m[:, 0, 0] / det_m
    m_inv[:, 0, 1] = -m[:, 0, 1] / det_m
    m_inv[:, 1, 0] = -m[:, 1, 0] / det_m
    c = q_z[:, _XY] @ lchol  # (n, 7, 2)
    cm = c @ m_inv
    k = len(_XY)
    correction = cm.transpose(1, 0, 2).reshape(k, -1) @ c.transpose(1, 0, 2).reshape(k, -1).T
    t = q_sum[np.ix_(_XY, _XY)] - correction  # [X y]' V*^-1 [X y] by Woodbury
    xvx, xvy, yvy = t[:_P, :_P], t[:_P, _P], t[_P, _P]
    try:
        chol = np.linalg.cholesky(xvx)
    except np.linalg.LinAlgError:
        return None
    beta = np.linalg.solve(xvx, xvy)
    rss = float(yvy - xvy @ beta)
    if not rss > 0:
        return None
    return _Pieces(
        logdet_v=float(logdet_r + np.log(det_m).sum()),
        logdet_xvx=float(2 * np.log(np.diag(chol)).sum()),
        rss=rss,
        beta=beta,
        xvx=xvx,
    )


def _unpack(theta: np.ndarray) -> tuple[float, float, np.ndarray]:
    """(log delta, atanh rho, log l11, l21, log l22) -> (delta, rho, relative Cholesky factor of G)."""
    lchol = np.array([[np.exp(theta[2]), 0.0], [theta[3], np.exp(theta[4])]])
    return float(np.exp(theta[0])), float(np.tanh(theta[1])), lchol


def _profiled_deviance(theta: np.ndarray, d: _Design, n_obs: int) -> float:
    """-2 × REML log-likelihood with the fixed effects and sigma0 profiled out."""
    pieces = _pieces(d, *_unpack(theta))
    if pieces is None:
        return np.inf
    dof = n_obs - _P
    return pieces.logdet_v + pieces.logdet_xvx + dof * (1.0 + np.log(2 * np.pi * pieces.rss / dof))


def _natural_to_relative(phi: np.ndarray) -> tuple[float, float, float, np.ndarray] | None:
    """(log s0, log s1, atanh rho, log sd_u0, log sd_u1, atanh r_u) -> (sigma0², delta, rho, L)."""
    s0, s1 = np.exp(phi[0]), np.exp(phi[1])
    sd0, sd1, r = np.exp(phi[3]), np.exp(phi[4]), np.tanh(phi[5])
    g = np.array([[sd0 * sd0, r * sd0 * sd1], [r * sd0 * sd1, sd1 * sd1]]) / (s0 * s0)
    try:
        lchol = np.linalg.cholesky(g)
    except np.linalg.LinAlgError:
        return None
    return float(s0 * s0), float(s1 / s0), float(np.tanh(phi[2])), lchol


def _deviance(phi: np.ndarray, d: _Design, n_obs: int) -> float:
    """-2 × REML log-likelihood in the natural parametrisation (used for the variance CIs)."""
    rel = _natural_to_relative(phi)
    if rel is None:
        return np.inf
    sigma2, delta, rho, lchol = rel
    pieces = _pieces(d, delta, rho, lchol)
    if pieces is None:
        return np.inf
    return (
        pieces.logdet_v
        + n_obs * np.log(sigma2)
        + pieces.logdet_xvx
        - _P * np.log(sigma2)
        + pieces.rss / sigma2
        + (n_obs - _P) * np.log(2 * np.pi)
    )


def _hessian(f: Any, x: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian of a scalar function."""
    k = len(x)
    h = np.empty((k, k))
    f0 = f(x)
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = step
        h[i, i] = (f(x + ei) - 2 * f0 + f(x - ei)) / step**2
        for j in range(i):
            ej = np.zeros(k)
            ej[j] = step
            h[i, j] = h[j, i] = (
                f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)
            ) / (4 * step**2)
    return h


@dataclass(frozen=True)
class _RemlFit:
    beta: np.ndarray
    cov_beta: np.ndarray
    sigma: tuple[float, float]
    rho: float
    re_cov: np.ndarray
    phi: np.ndarray  # natural parameters at the optimum
    deviance: float
    converged: bool
    n_iter: int


def _fit_reml(d: _Design, n_obs: int) -> _RemlFit:
    theta0 = np.array([0.0, 0.0, np.log(0.5), 0.0, np.log(0.5)])
    with warnings.catch_warnings():
        # finite-difference steps may leave the parameter space (deviance inf); BFGS copes
        warnings.simplefilter("ignore", RuntimeWarning)
        opt = optimize.minimize(
            _profiled_deviance, theta0, args=(d, n_obs), method="BFGS", options={"gtol": 1e-7}
        )
    # BFGS stops on a loose gradient scale; a few Newton steps on finite differences polish it
    theta = opt.x
    dev = lambda t: _profiled_deviance(t, d, n_obs)  # noqa: E731
    eye = np.eye(len(theta)) * 1e-6

    def gradient(t: np.ndarray) -> np.ndarray:
        return np.array([(dev(t + e) - dev(t - e)) / 2e-6 for e in eye])

    for _ in range(3):
        h = _hessian(dev, theta, 1e-4)
        grad = gradient(theta)
        if not (np.all(np.isfinite(h)) and np.all(np.isfinite(grad))):
            break
        try:
            step = np.linalg.solve(h, grad)
        except np.linalg.LinAlgError:
            break
        if dev(theta - step) <= dev(theta):
            theta = theta - step
        if np.max(np.abs(step)) < 1e-9:
            break
    delta, rho, lchol = _unpack(theta)
    pieces = _pieces(d, delta, rho, lchol)
    if pieces is None:  # pragma: no cover - the optimiser never leaves the finite region
        raise RuntimeError("REML optimisation ended outside the parameter space")
    sigma2 = pieces.rss / (n_obs - _P)
    re_cov = sigma2 * lchol @ lchol.T
    s0 = np.sqrt(sigma2)
    sd_u = np.sqrt(np.diag(re_cov))
    r_u = float(re_cov[0, 1] / (sd_u[0] * sd_u[1]))
    phi = np.array(
        [
            np.log(s0),
            np.log(s0 * delta),
            np.arctanh(rho),
            np.log(sd_u[0]),
            np.log(sd_u[1]),
            np.arctanh(r_u),
        ]
    )
    return _RemlFit(
        beta=pieces.beta,
        cov_beta=sigma2 * np.linalg.inv(pieces.xvx),
        sigma=(float(s0), float(s0 * delta)),
        rho=rho,
        re_cov=re_cov,
        phi=phi,
        deviance=float(_profiled_deviance(theta, d, n_obs)),
        # a stationary point of the deviance (BFGS's own flag is often False for precision loss)
        converged=bool(np.max(np.abs(gradient(theta))) < 1e-3),
        n_iter=int(opt.nit),
    )


# -- model and results ----------------------------------------------------------------------------
class DyadicVAR:
    """Multilevel dyadic VAR(1) across many couples (SCIENCE.md model 4), fitted by REML.

    Parameters
    ----------
    data : DyadicData
        Long-format data with a time column (integer occasion numbers) and, for beeps within days, a
        day column: lags never cross a missing occasion or a night.
    var : str
        The variable (e.g. ``"mood"``); each partner's value is regressed on their own and the
        partner's previous value.

    Examples
    --------
    >>> from counterpoint.science.data import DyadicData
    >>> df = simulate_var(40, n_days=7, beeps_per_day=6, seed=1)
    >>> data = DyadicData(df, dyad="dyad", person="person", role="role", time="time", day="day")
    >>> res = DyadicVAR(data, "y").fit()
    >>> list(res.params.index[:3])
    ['intercept@0', 'actor@0', 'partner@0']
    >>> bool(res.params.loc["actor@0", "ci_low"] < 0.45 < res.params.loc["actor@0", "ci_high"])
    True
    """

    def __init__(self, data: DyadicData, var: str) -> None:
        self.data = data
        self.var = var
        self.panel = data_panel(data, var)

    def fit(self) -> DyadicVARResults:
        """Estimate by REML; raises :class:`DyadDataError` when too few rows are usable."""
        design = _design(self.panel)
        n_obs = design.n_obs
        n_dyads = int(design.keep.sum())
        if n_dyads < 3 or n_obs < 3 * _P:
            raise DyadDataError(
                f"not enough data for the multilevel VAR of {self.var!r}: {n_obs} usable rows in "
                f"{n_dyads} dyads (a row needs the value and both partners' values at the previous "
                "occasion of the same day)"
            )
        fit = _fit_reml(design, n_obs)
        return DyadicVARResults(
            fit=fit,
            design=design,
            n_dyads=n_dyads,
            n_obs=n_obs,
            roles=role_labels(self.data),
            var=self.var,
        )


class DyadicVARResults(PooledResults):
    """Estimates of :class:`DyadicVAR`.

    ``params`` rows: ``intercept@R``, ``actor@R``, ``partner@R`` per role value ``R`` (CIs from the t
    distribution with nlme's residual degrees of freedom, ``n_obs − n_dyads − 6``), then ``rho`` (same-
    occasion residual correlation), ``sigma@R`` (residual SD per role), ``re_sd@R`` (SD of the random
    intercepts) and ``re_corr`` (their correlation); variance-parameter SEs and CIs are Wald intervals
    on the log-SD / Fisher-z scale from the numerical Hessian of the REML log-likelihood, as nlme's
    ``intervals()`` computes them.
    """

    model = "var"
    title = "Multilevel dyadic VAR(1), REML"

    def __init__(
        self,
        *,
        fit: _RemlFit,
        design: _Design,
        n_dyads: int,
        n_obs: int,
        roles: tuple[str, str],
        var: str,
    ) -> None:
        self._fit = fit
        self._design = design
        self.n_dyads = n_dyads
        self.n_obs = n_obs
        self.roles = roles
        self.var = var
        self.df_resid = n_obs - n_dyads - _P + 1
        self.converged = fit.converged

    @property
    def fe_names(self) -> list[str]:
        """Names of the fixed effects, in :attr:`fe_params` order."""
        return [f"{kind}@{r}" for r in self.roles for kind in ("intercept", "actor", "partner")]

    @property
    def fe_params(self) -> pd.Series:
        """Fixed-effect estimates (GLS at the REML variance parameters)."""
        return pd.Series(self._fit.beta, index=self.fe_names)

    @property
    def cov_params(self) -> pd.DataFrame:
        """Covariance of the fixed effects, ``sigma² (X' V*⁻¹ X)⁻¹`` as nlme's ``vcov``."""
        return pd.DataFrame(self._fit.cov_beta, index=self.fe_names, columns=self.fe_names)

    @property
    def re_cov(self) -> pd.DataFrame:
        """Covariance matrix of the random intercepts (role 0, role 1)."""
        names = [f"re@{r}" for r in self.roles]
        return pd.DataFrame(self._fit.re_cov, index=names, columns=names)

    @property
    def loglik(self) -> float:
        """REML log-likelihood, on the same scale as nlme's ``logLik(m)``."""
        return -0.5 * self._fit.deviance

    @cached_property
    def _variance_cov(self) -> np.ndarray:
        """Approximate covariance of the natural variance parameters (inverse of ½ the Hessian)."""
        h = _hessian(lambda p: _deviance(p, self._design, self.n_obs), self._fit.phi, 1e-3)
        try:
            return np.linalg.inv(h / 2.0)
        except np.linalg.LinAlgError:
            return np.full((6, 6), np.nan)

    @cached_property
    def params(self) -> pd.DataFrame:  # type: ignore[override]
        """Estimates, SEs and 95% CIs of every parameter."""
        se = np.sqrt(np.diag(self._fit.cov_beta))
        tq = float(stats.t.ppf(0.975, self.df_resid))
        beta = self._fit.beta
        rows: dict[str, list[float]] = {
            name: [b, s, b - tq * s, b + tq * s]
            for name, b, s in zip(self.fe_names, beta, se, strict=True)
        }
        phi = self._fit.phi
        with np.errstate(invalid="ignore"):
            phi_se = np.sqrt(np.diag(self._variance_cov))
        r0, r1 = self.roles
        specs = [
            ("rho", 2, np.tanh),
            (f"sigma@{r0}", 0, np.exp),
            (f"sigma@{r1}", 1, np.exp),
            (f"re_sd@{r0}", 3, np.exp),
            (f"re_sd@{r1}", 4, np.exp),
            ("re_corr", 5, np.tanh),
        ]
        for name, k, back in specs:
            est = float(back(phi[k]))
            slope = est if back is np.exp else 1.0 - est * est  # delta-method SE
            rows[name] = [
                est,
                float(slope * phi_se[k]),
                float(back(phi[k] - _Z95 * phi_se[k])),
                float(back(phi[k] + _Z95 * phi_se[k])),
            ]
        return pd.DataFrame.from_dict(
            rows, orient="index", columns=["estimate", "se", "ci_low", "ci_high"]
        )

    def extra(self) -> dict[str, Any]:
        return {
            "var": self.var,
            "df_resid": self.df_resid,
            "loglik": self.loglik,
            "converged": self.converged,
        }

    def fit_lines(self) -> list[tuple[str, str]]:
        return [
            ("variable", self.var),
            ("REML log-likelihood", f"{self.loglik:.3f}"),
            ("residual df (t CIs)", str(self.df_resid)),
            ("converged", "yes" if self.converged else "NO: treat the estimates with suspicion"),
        ]


# -- simulation ------------------------------------------------------------------------------------
def simulate_var(
    n_dyads: int,
    n_days: int,
    beeps_per_day: int = 1,
    seed: int | None = None,
    *,
    actor: Sequence[float] = (0.45, 0.45),
    partner: Sequence[float] = (0.1, 0.1),
    intercept: Sequence[float] = (5.0, 5.0),
    sigma: Sequence[float] = (1.0, 1.0),
    rho: float = 0.2,
    re_sd: Sequence[float] = (0.5, 0.5),
    re_corr: float = 0.3,
    missing: float = 0.0,
    var: str = "y",
) -> pd.DataFrame:
    """Simulate couples' intensive longitudinal data from the dyadic VAR(1) with known parameters.

    Each couple's deviations from the two partners' own levels follow a stationary VAR(1) with
    coefficient matrix ``[[actor0, partner0], [partner1, actor1]]`` and innovations with SDs ``sigma``
    and correlation ``rho``; the levels are ``intercept + u`` with ``u`` drawn with SDs ``re_sd`` and
    correlation ``re_corr``. The process runs on through the nights (only the lags used by the models
    stop there). With ``missing`` > 0 each person-occasion is left out independently with that
    probability (its row is absent, as when a beep goes unanswered).

    Returns a long DataFrame with columns ``dyad, person, role, day, beep, time, <var>``; ``time`` is
    the occasion number ``day · beeps_per_day + beep`` and ``role`` is 0 or 1.

    Examples
    --------
    >>> df = simulate_var(2, n_days=3, beeps_per_day=4, seed=0)
    >>> df.shape
    (48, 7)
    >>> df.columns.tolist()
    ['dyad', 'person', 'role', 'day', 'beep', 'time', 'y']
    """
    rng = np.random.default_rng(seed)
    phi = np.array([[actor[0], partner[0]], [partner[1], actor[1]]], dtype=np.float64)
    if np.max(np.abs(np.linalg.eigvals(phi))) >= 1:
        raise ValueError("actor and partner effects give a non-stationary process")
    if not 0 <= missing < 1:
        raise ValueError("missing must be a probability in [0, 1)")
    cov_e = np.array(
        [[sigma[0] ** 2, rho * sigma[0] * sigma[1]], [rho * sigma[0] * sigma[1], sigma[1] ** 2]]
    )
    cov_u = np.array(
        [
            [re_sd[0] ** 2, re_corr * re_sd[0] * re_sd[1]],
            [re_corr * re_sd[0] * re_sd[1], re_sd[1] ** 2],
        ]
    )
    n_occ = n_days * beeps_per_day
    burn = 50
    chol_e = np.linalg.cholesky(cov_e)
    shocks = rng.standard_normal((burn + n_occ, n_dyads, 2)) @ chol_e.T
    z = np.zeros((n_dyads, 2))
    path = np.empty((n_occ, n_dyads, 2))
    for t in range(burn + n_occ):
        z = z @ phi.T + shocks[t]
        if t >= burn:
            path[t - burn] = z
    levels = np.asarray(intercept, dtype=np.float64) + rng.multivariate_normal(
        np.zeros(2), cov_u, n_dyads
    )
    y = path.transpose(1, 2, 0) + levels[:, :, None]  # (dyad, role, occasion)
    dyad, role, occ = np.meshgrid(np.arange(n_dyads), np.arange(2), np.arange(n_occ), indexing="ij")
    frame = pd.DataFrame(
        {
            "dyad": dyad.ravel() + 1,
            "person": 2 * dyad.ravel() + role.ravel() + 1,
            "role": role.ravel(),
            "day": occ.ravel() // beeps_per_day + 1,
            "beep": occ.ravel() % beeps_per_day + 1,
            "time": occ.ravel() + 1,
            var: y.ravel(),
        }
    )
    if missing > 0:
        frame = frame[rng.random(len(frame)) >= missing].reset_index(drop=True)
    return frame
