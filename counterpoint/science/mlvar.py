"""Multilevel dyadic VAR(1) (model 4): carry-over and partner influence across many couples, by REML.

For person ``i`` with role ``g`` in a dyad, partner ``j``::

    y_i,t = b0_g + a_g · y_i,t−1 + p_g · y_j,t−1 + u_g,dyad + e_i,t

with the lagged values centred within person, random intercepts ``(u_0, u_1)`` per dyad with an
unstructured 2 × 2 covariance, a residual SD per role and a correlation ``rho`` between the two
partners' residuals at the same occasion. This is R's
``nlme::lme(random = ~ -1 + role0 + role1 | dyad, correlation = corCompSymm(form = ~1 | dyad/occasion),
weights = varIdent(form = ~1 | role), method = "REML")``.

This module is the model's interface (data in, results out) and its simulator; the REML computation,
which exploits the block structure of the residual covariance, is in
:mod:`~counterpoint.science.mlvar_reml`, and the lags in :mod:`~counterpoint.science.panels`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from counterpoint.science.data import DyadicData
from counterpoint.science.errors import DyadDataError
from counterpoint.science.mlvar_reml import N_FIXED, Design, RemlFit, deviance, fit_reml
from counterpoint.science.mlvar_reml import design as reml_design
from counterpoint.science.numerics import Z95, hessian, t_quantile
from counterpoint.science.panels import data_panel, role_labels
from counterpoint.science.results import PooledResults

__all__ = ["DyadicVAR", "DyadicVARResults", "simulate_var"]

_P = N_FIXED
_BOUNDARY = 1e-4  # |correlation| above 1 − this, or an SD below this × sigma, is on the boundary


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
        design = reml_design(self.panel)
        n_obs = design.n_obs
        n_dyads = int(design.keep.sum())
        if n_dyads < 3 or n_obs < 3 * _P:
            raise DyadDataError(
                f"not enough data for the multilevel VAR of {self.var!r}: {n_obs} usable rows in "
                f"{n_dyads} {'dyad' if n_dyads == 1 else 'dyads'} (a row needs the value and both partners' values at the previous "
                "occasion of the same day)"
            )
        y = self.panel.y[self.panel.usable]
        if np.ptp(y) <= 1e-12 * max(1.0, float(np.max(np.abs(y)))):
            raise DyadDataError(
                f"{self.var!r} takes the same value ({y[0]:.6g}) in every usable row: a constant "
                "has no carry-over or partner influence to estimate"
            )
        _check_separable(design, role_labels(self.data), self.var)
        fit = fit_reml(design, n_obs)
        return DyadicVARResults(
            fit=fit,
            design=design,
            n_dyads=n_dyads,
            n_obs=n_obs,
            roles=role_labels(self.data),
            var=self.var,
        )


def _check_separable(design: Design, roles: tuple[str, str], var: str) -> None:
    """Raise :class:`DyadDataError` when, for either role, the intercept, the person's own previous
    value and the partner's previous value are collinear over the usable rows (the partners'
    answers move in lockstep, or one lag never changes): their effects cannot be told apart, and
    the fixed-effects cross-product ``X'X`` is singular."""
    xtx = design.full_sum[0, 0] + design.full_sum[1, 1] + design.single_sum.sum(axis=0)
    for g, role in enumerate(roles):
        block = xtx[3 * g : 3 * g + 3, 3 * g : 3 * g + 3]
        scale = np.sqrt(np.diag(block))
        if np.any(scale <= 0):
            continue  # a role without usable rows: "not enough data" said it already
        eigen = np.linalg.eigvalsh(block / np.outer(scale, scale))
        if eigen[0] <= 1e-10 * eigen[-1]:
            raise DyadDataError(
                f"the multilevel VAR of {var!r} cannot tell actor from partner effects for role "
                f"{role}: in every usable row the person's previous value and the partner's "
                "previous value are in a fixed linear relation (do the two partners' answers move "
                "in lockstep, or does one of them never change?)"
            )


def back_transformed(value: float, se: float, back: Any) -> list[float]:
    """A variance parameter fitted on its working scale (log SD, atanh correlation) back on its
    own: estimate, delta-method SE and the Wald interval's ends. An interval as wide as a
    parameter at the edge of its space gives is unbounded: its end is inf (an SD) or ±1 (a
    correlation), said without numpy's overflow warning."""
    with np.errstate(over="ignore"):
        est = float(back(value))
        slope = est if back is np.exp else 1.0 - est * est
        return [
            est,
            float(slope * se),
            float(back(value - Z95 * se)),
            float(back(value + Z95 * se)),
        ]


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
        fit: RemlFit,
        design: Design,
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
        self.optimiser_converged = fit.converged

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
        h = hessian(lambda p: deviance(p, self._design, self.n_obs), self._fit.phi, 1e-3)
        try:
            return np.linalg.inv(h / 2.0)
        except np.linalg.LinAlgError:
            return np.full((6, 6), np.nan)

    @cached_property
    def params(self) -> pd.DataFrame:
        """Estimates, SEs and 95% CIs of every parameter."""
        se = np.sqrt(np.diag(self._fit.cov_beta))
        tq = t_quantile(0.95, self.df_resid)
        beta = self._fit.beta
        rows: dict[str, list[float]] = {
            name: [b, s, b - tq * s, b + tq * s]
            for name, b, s in zip(self.fe_names, beta, se, strict=True)
        }
        phi = self._fit.phi
        var_phi = np.diag(self._variance_cov)  # negative where the Hessian is not definite
        phi_se = np.sqrt(np.where(var_phi >= 0, var_phi, np.nan))
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
            rows[name] = back_transformed(float(phi[k]), float(phi_se[k]), back)
        return pd.DataFrame.from_dict(
            rows, orient="index", columns=["estimate", "se", "ci_low", "ci_high"]
        )

    @cached_property
    def boundary(self) -> list[str]:
        """Variance parameters at the edge of their space (a correlation of ±1, an SD of 0) or
        without a finite standard error: the likelihood has no interior maximum there, so the fit
        is not a clean one (typically too few dyads or occasions for the random-effects structure).
        """
        params = self.params
        out = []
        for name in params.index[_P:]:
            est, se = params.loc[name, "estimate"], params.loc[name, "se"]
            if name in ("rho", "re_corr"):
                edge = abs(est) > 1 - _BOUNDARY
            else:
                edge = est < _BOUNDARY * max(self._fit.sigma)
            if edge or not np.isfinite(se):
                out.append(str(name))
        return out

    @property
    def converged(self) -> bool:
        """The optimiser reached a stationary point inside the parameter space."""
        return self.optimiser_converged and not self.boundary

    def extra(self) -> dict[str, Any]:
        return {
            "var": self.var,
            "df_resid": self.df_resid,
            "loglik": self.loglik,
            "converged": self.converged,
            "boundary": self.boundary,
        }

    def fit_lines(self) -> list[tuple[str, str]]:
        return [
            ("variable", self.var),
            ("REML log-likelihood", f"{self.loglik:.3f}"),
            ("residual df (t CIs)", str(self.df_resid)),
            ("converged", self._converged_text()),
        ]

    def _converged_text(self) -> str:
        if self.boundary:
            return (
                f"NO: {', '.join(self.boundary)} at the boundary of the parameter space (a "
                "correlation of ±1, an SD of 0, or no standard error); the data are too few for "
                "this model: treat the estimates with suspicion"
            )
        return "yes" if self.converged else "NO: treat the estimates with suspicion"


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
