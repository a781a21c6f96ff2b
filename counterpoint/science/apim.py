"""Actor–Partner Interdependence Model (cross-sectional), fitted by GLS with REML.

``Y_i = b0 + a·X_i + p·X_j + e_i`` with ``corr(e_i, e_j) = rho`` inside a dyad (compound symmetry).
The distinguishable model gives every role its own intercept, actor and partner effects and residual
SD, as R's ``nlme::gls(..., correlation = corCompSymm(form = ~1 | dyad),
weights = varIdent(form = ~1 | role))``.

How it is computed. Divide role 1's outcome and predictors by ``delta = sigma_1 / sigma_0``; the
dyad's two residuals then have equal variance ``sigma²`` and correlation ``rho``. The sum and the
difference of the two, divided by √2, are uncorrelated with variances ``sigma²(1 + rho)`` and
``sigma²(1 − rho)``. So for fixed ``(rho, delta)`` the GLS fit is a weighted least-squares fit, ``beta``
and ``sigma²`` have closed forms, and REML reduces to maximising a profile likelihood over ``rho``
alone (indistinguishable: a one-dimensional bounded Brent search) or over ``rho`` and ``delta``
(distinguishable: Brent over ``log delta`` with Brent over ``rho`` inside). A person whose partner has
no usable row stays in the fit on their own with variance ``sigma²`` (times ``delta²`` in role 1), as
in nlme.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from counterpoint.science.data import DyadicData
from counterpoint.science.errors import DyadDataError
from counterpoint.science.numerics import Z95, hessian
from counterpoint.science.results import PooledResults, text_table

__all__ = ["APIM", "APIMResults", "simulate_apim"]

_RHO_BOUND = 1 - 1e-9
_LOG_DELTA_BOUND = 8.0  # delta in (e^-8, e^8): a variance ratio beyond that is a data problem


@dataclass(frozen=True)
class _Design:
    """Outcome and design in a layout ready for the sum/difference transform."""

    y: np.ndarray  # (N,)
    X: np.ndarray  # (N, p)
    role: np.ndarray  # (N,) 0/1
    pair_first: np.ndarray  # (n_pairs,) row of the role-0 member of each complete dyad
    pair_second: np.ndarray  # (n_pairs,) row of the role-1 member
    single: np.ndarray  # rows whose partner has no usable row
    names: list[str]
    n_dyads: int


@dataclass(frozen=True)
class _Fit:
    """A GLS fit at given variance parameters."""

    rho: float
    delta: float
    beta: np.ndarray
    rss: float  # whitened residual sum of squares (sigma² units)
    log_det_d: float  # log |V / sigma²|
    log_det_xtx: float  # log |X' V⁻¹ X · sigma²|
    xtx_inv: np.ndarray


def _whiten(design: _Design, rho: float, delta: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Rows scaled so that the GLS problem at (rho, delta) becomes ordinary least squares."""
    scale = np.where(design.role == 1, 1.0 / delta, 1.0)
    y = design.y * scale
    X = design.X * scale[:, None]
    i, j = design.pair_first, design.pair_second
    s_w = 1.0 / math.sqrt(2.0 * (1.0 + rho))
    d_w = 1.0 / math.sqrt(2.0 * (1.0 - rho))
    y_t = np.concatenate([(y[i] + y[j]) * s_w, (y[i] - y[j]) * d_w, y[design.single]])
    X_t = np.vstack([(X[i] + X[j]) * s_w, (X[i] - X[j]) * d_w, X[design.single]])
    n_pairs = len(i)
    n_role1 = int(np.sum(design.role == 1))
    log_det = n_pairs * (math.log1p(rho) + math.log1p(-rho)) + 2.0 * n_role1 * math.log(delta)
    return y_t, X_t, log_det


def _gls(design: _Design, rho: float, delta: float) -> _Fit:
    y_t, X_t, log_det = _whiten(design, rho, delta)
    q, r = np.linalg.qr(X_t)
    beta = np.linalg.solve(r, q.T @ y_t)
    resid = y_t - X_t @ beta
    r_inv = np.linalg.inv(r)
    return _Fit(
        rho=rho,
        delta=delta,
        beta=beta,
        rss=float(resid @ resid),
        log_det_d=log_det,
        log_det_xtx=2.0 * float(np.sum(np.log(np.abs(np.diag(r))))),
        xtx_inv=r_inv @ r_inv.T,
    )


def _profile_loglik(fit: _Fit, n: int, p: int, reml: bool) -> float:
    """Log-likelihood with beta and sigma² at their optimum for the fit's (rho, delta).

    REML follows ``nlme::gls``: no ``½ log|X'X|`` term, so values match ``logLik()`` of a gls fit.
    """
    if reml:
        df = n - p
        sigma2 = fit.rss / df
        return -0.5 * (df * math.log(2 * math.pi * sigma2) + fit.log_det_d + fit.log_det_xtx + df)
    sigma2 = fit.rss / n
    return -0.5 * (n * math.log(2 * math.pi * sigma2) + fit.log_det_d + n)


class _Moments:
    """Cross-products of the sum, difference and single-row parts at a given delta.

    At correlation rho the whitened cross-product matrix of ``[X | y]`` is
    ``S / (2(1 + rho)) + D / (2(1 - rho)) + O``, so every step of the search over rho costs a
    ``p × p`` Cholesky factorisation instead of a pass over the data.
    """

    def __init__(self, design: _Design, delta: float) -> None:
        scale = np.where(design.role == 1, 1.0 / delta, 1.0)
        z = np.column_stack([design.X, design.y]) * scale[:, None]
        i, j = design.pair_first, design.pair_second
        s, d, o = z[i] + z[j], z[i] - z[j], z[design.single]
        self.S, self.D, self.O = s.T @ s, d.T @ d, o.T @ o
        self.n_pairs = len(i)
        self.log_det_delta = 2.0 * int(np.sum(design.role == 1)) * math.log(delta)
        self.n, self.p = design.X.shape

    def loglik(self, rho: float, reml: bool, log_sigma: float | None = None) -> float:
        """Log-likelihood at rho (and this delta), beta profiled out; sigma too unless given."""
        m = self.S / (2.0 * (1.0 + rho)) + self.D / (2.0 * (1.0 - rho)) + self.O
        p = self.p
        try:
            chol = np.linalg.cholesky(m[:p, :p])
        except np.linalg.LinAlgError:
            return -math.inf
        w = np.linalg.solve(chol, m[:p, p])
        rss = max(float(m[p, p] - w @ w), 1e-300)
        log_det_d = self.n_pairs * (math.log1p(rho) + math.log1p(-rho)) + self.log_det_delta
        log_det_xtx = 2.0 * float(np.sum(np.log(np.diag(chol))))
        df = self.n - p if reml else self.n
        if log_sigma is None:
            val = -0.5 * (df * math.log(2 * math.pi * rss / df) + log_det_d + df)
        else:
            s2 = math.exp(2 * log_sigma)
            val = -0.5 * (df * math.log(2 * math.pi * s2) + log_det_d + rss / s2)
        return val - 0.5 * log_det_xtx if reml else val


def _best_rho(design: _Design, delta: float, reml: bool) -> _Fit:
    if len(design.pair_first) == 0:
        return _gls(design, 0.0, delta)
    moments = _Moments(design, delta)
    res = optimize.minimize_scalar(
        lambda rho: -moments.loglik(rho, reml),
        bounds=(-_RHO_BOUND, _RHO_BOUND),
        method="bounded",
        options={"xatol": 1e-10},
    )
    return _gls(design, float(res.x), delta)


def _fit_variance(design: _Design, distinguishable: bool, reml: bool) -> _Fit:
    if not distinguishable:
        return _best_rho(design, 1.0, reml)
    n, p = design.X.shape

    def neg(log_delta: float) -> float:
        return -_profile_loglik(_best_rho(design, math.exp(log_delta), reml), n, p, reml)

    res = optimize.minimize_scalar(
        neg,
        bounds=(-_LOG_DELTA_BOUND, _LOG_DELTA_BOUND),
        method="bounded",
        options={"xatol": 1e-9},
    )
    return _best_rho(design, math.exp(float(res.x)), reml)


class APIM:
    """Actor–Partner Interdependence Model for cross-sectional dyadic data (GLS, REML).

    Parameters
    ----------
    data : DyadicData
        One row per person (no time column needed).
    outcome : str
        The outcome Y.
    x : sequence of str, optional
        Predictors with both an actor effect (own X) and a partner effect (partner's X).
    actor, partner : sequence of str, optional
        Predictors with only an actor or only a partner effect.
    distinguishable : bool, optional
        Role-specific intercepts, effects and residual SDs. Defaults to whether ``data`` has a role
        column.

    Examples
    --------
    >>> from counterpoint.science.apim import APIM, simulate_apim
    >>> from counterpoint.science.data import DyadicData
    >>> df = simulate_apim(n_dyads=1000, seed=1, a=0.5, p=0.2)
    >>> data = DyadicData(df, dyad="dyad", person="person", role="role")
    >>> res = APIM(data, "y", x=["x"], distinguishable=False).fit()
    >>> res.params.loc[["actor_x", "partner_x"], "estimate"].round(1).tolist()
    [0.5, 0.2]
    """

    def __init__(
        self,
        data: DyadicData,
        outcome: str,
        x: Sequence[str] = (),
        actor: Sequence[str] = (),
        partner: Sequence[str] = (),
        distinguishable: bool | None = None,
    ) -> None:
        self.data = data
        self.outcome = outcome
        self.x, self.actor, self.partner = list(x), list(actor), list(partner)
        for names in (self.x, self.actor, self.partner):
            twice = [c for i, c in enumerate(names) if c in names[:i]]
            if twice:
                raise DyadDataError(f"predictor {twice[0]!r} is given twice; give it once")
        overlap = (set(self.x) & (set(self.actor) | set(self.partner))) | (
            set(self.actor) & set(self.partner)
        )
        if overlap:
            raise DyadDataError(
                f"{sorted(overlap)}: give a predictor once (x for actor and partner effects)"
            )
        if outcome in {*self.x, *self.actor, *self.partner}:
            raise DyadDataError(f"column {outcome!r} is both the outcome and a predictor")
        rows_per_person = data.frame.groupby([data.dyad_col, data.person_col]).size()
        if (rows_per_person > 1).any():
            dyad_id, person_id = rows_per_person[rows_per_person > 1].index[0]
            raise DyadDataError(
                f"the APIM is cross-sectional: person {person_id} of dyad {dyad_id} has "
                f"{int(rows_per_person.max())} rows; give one row per person (for repeated measures "
                "use the VAR models)"
            )
        self.distinguishable = data.distinguishable if distinguishable is None else distinguishable
        if self.distinguishable and not data.distinguishable:
            raise DyadDataError("a distinguishable APIM needs a role column")

    def _terms(self) -> list[tuple[str, str, bool]]:
        """(name, column, partner?) for every slope, in output order."""
        terms = [(f"actor_{c}", c, False) for c in [*self.x, *self.actor]]
        terms += [(f"partner_{c}", c, True) for c in [*self.x, *self.partner]]
        order = {c: i for i, c in enumerate([*self.x, *self.actor, *self.partner])}
        terms.sort(key=lambda t: (t[2], order[t[1]]))
        return terms

    def _design(self, distinguishable: bool, slopes: bool = True) -> _Design:
        data = self.data
        own = [*self.x, *self.actor]
        other = [*self.x, *self.partner]
        wide = data.with_partner(list(dict.fromkeys([self.outcome, *own, *other])))
        terms = self._terms()
        cols = np.column_stack(
            [np.ones(len(wide))]
            + [wide[f"p_{c}" if is_p else c].to_numpy(dtype=float) for _, c, is_p in terms]
        )
        y = wide[self.outcome].to_numpy(dtype=float)
        # complete cases of the full model, also for the intercept-only model (same rows)
        keep = np.isfinite(y) & np.isfinite(cols).all(axis=1)
        self._refuse_constants(y, cols, terms, keep, distinguishable)
        if not slopes:
            cols, terms = cols[:, :1], []
        names = ["intercept", *[t[0] for t in terms]]
        role = data.role_index
        if distinguishable:
            assert data.roles is not None
            blocks, labels = [], []
            for r, value in enumerate(data.roles):
                blocks.append(cols * (role == r)[:, None])
                labels.append([f"{nm}@{value}" for nm in names])
            # order: every term for role 0 next to the same term for role 1
            X = np.column_stack([b[:, k] for k in range(len(names)) for b in blocks])
            names = [lab[k] for k in range(len(names)) for lab in labels]
        else:
            X = cols
        if keep.sum() <= X.shape[1] + 2:
            raise DyadDataError(
                f"too few complete rows ({int(keep.sum())}) for {X.shape[1]} fixed effects "
                f"(outcome {self.outcome!r}; rows with a missing outcome or predictor are left out)"
            )
        dyad_codes = pd.factorize(wide[data.dyad_col])[0]
        y, X, role, dyad_codes = y[keep], X[keep], role[keep], dyad_codes[keep]
        counts = np.bincount(dyad_codes, minlength=dyad_codes.max() + 1)
        paired = counts[dyad_codes] == 2
        first = np.flatnonzero(paired & (role == 0))
        second = np.flatnonzero(paired & (role == 1))
        # rows are sorted by dyad then role, so the k-th role-0 and role-1 paired rows share a dyad
        assert np.array_equal(dyad_codes[first], dyad_codes[second])
        rank = np.linalg.matrix_rank(X)
        if rank < X.shape[1]:
            raise DyadDataError(
                "the predictors are collinear (a predictor is constant or duplicates another); "
                f"columns: {', '.join(names)}"
            )
        return _Design(
            y=y,
            X=X,
            role=role,
            pair_first=first,
            pair_second=second,
            single=np.flatnonzero(~paired),
            names=names,
            n_dyads=len(np.unique(dyad_codes)),
        )

    def _refuse_constants(
        self,
        y: np.ndarray,
        cols: np.ndarray,
        terms: list[tuple[str, str, bool]],
        keep: np.ndarray,
        distinguishable: bool,
    ) -> None:
        """Name an outcome or predictor that never varies over the complete rows (within a role,
        for distinguishable dyads): the fit would otherwise call it collinear, or report an
        outcome's zero variance as a perfect fit."""
        role = self.data.role_index
        groups = [(r, keep & (role == r)) for r in (0, 1)] if distinguishable else [(None, keep)]
        named = [(f"outcome {self.outcome!r}", y, "there is no variation to explain")]
        named += [
            (
                f"predictor {c!r}" + (" (partner's value)" if is_p else ""),
                cols[:, k + 1],
                "a constant has no effect to estimate",
            )
            for k, (_, c, is_p) in enumerate(terms)
        ]
        for what, values, why in named:
            for r, rows in groups:
                seen = values[rows]
                if len(seen) > 1 and np.ptp(seen) == 0:
                    within = "" if r is None else f" of role {self.data.roles[r]}"  # type: ignore[index]
                    raise DyadDataError(
                        f"{what} takes the same value ({seen[0]:g}) in every complete row{within}: "
                        f"{why}"
                    )

    def fit(
        self,
        reml: bool = True,
        *,
        k_interval: str = "delta",
        n_boot: int = 1000,
        seed: int | None = 0,
    ) -> APIMResults:
        """Estimate the model (REML by default; ``reml=False`` for maximum likelihood).

        ``k_interval`` chooses the CI of k = p/a: ``"delta"``, ``"fieller"`` or ``"bootstrap"``
        (parametric, ``n_boot`` refits of data simulated from the fit, seeded by ``seed``).
        """
        from counterpoint.science.apim_k import K_INTERVALS, MAX_BOOT, MIN_BOOT

        if k_interval not in K_INTERVALS:
            raise DyadDataError(
                f"unknown k interval {k_interval!r}; choose one of {', '.join(K_INTERVALS)}"
            )
        if not MIN_BOOT <= n_boot <= MAX_BOOT:
            raise DyadDataError(
                f"the bootstrap takes {MIN_BOOT} to {MAX_BOOT:,} refits, got {n_boot:,}"
            )
        design = self._design(self.distinguishable)
        res = APIMResults(self, design, _fit_variance(design, self.distinguishable, reml), reml)
        res.k_interval, res.n_boot, res.k_seed = k_interval, int(n_boot), seed
        return res


class APIMResults(PooledResults):
    """Results of :class:`APIM`.

    Attributes
    ----------
    params : DataFrame
        ``estimate, se, ci_low, ci_high`` for the fixed effects, ``rho`` and ``sigma`` (and, for
        distinguishable dyads, ``sigma@ROLE`` for each role). Fixed-effect CIs use Student t with
        ``N - p`` degrees of freedom, like ``nlme::intervals``; CIs for ``rho`` and ``sigma`` come from
        the inverse Hessian of the likelihood on nlme's unconstrained scale.
    rho, sigma : float
        Residual correlation between partners and residual SD (of role 0 when distinguishable).
    pseudo_r2 : dict
        ``1 - sigma² / sigma²_empty`` where the empty model has intercept(s) only and the same
        covariance structure (one entry, ``"all"``, or one per role).
    k : DataFrame
        Kenny's ratio ``k = p / a`` for each X with both effects, with a delta-method 95% CI.
    boot_progress : callable, optional
        Set it before :attr:`k` is first read to follow a bootstrap: called as
        ``boot_progress(done, total)`` after each refit.
    """

    k_interval = "delta"
    n_boot = 1000
    k_seed: int | None = 0
    boot_progress: Callable[[int, int], None] | None = None

    def __init__(self, model: APIM, design: _Design, fit: _Fit, reml: bool) -> None:
        self.apim = model
        self._design = design
        self._fit = fit
        self.reml = reml
        self.model = "apim"
        self.distinguishable = model.distinguishable
        self.title = (
            f"APIM ({'distinguishable' if self.distinguishable else 'indistinguishable'} dyads, "
            f"{'REML' if reml else 'ML'}): {model.outcome}"
        )
        self.n_obs, self.n_params = design.X.shape
        self.n_dyads = design.n_dyads
        self.df_resid = self.n_obs - self.n_params
        self.rho = fit.rho
        self.sigma2 = fit.rss / (self.df_resid if reml else self.n_obs)
        self.sigma = math.sqrt(self.sigma2)
        self.beta = pd.Series(fit.beta, index=design.names)
        # nlme scales the fixed-effect covariance by RSS/(N - p) under ML too
        self.cov_params = pd.DataFrame(
            fit.rss / self.df_resid * fit.xtx_inv, index=design.names, columns=design.names
        )

    @cached_property
    def sigmas(self) -> dict[str, float]:
        """Residual SD per role (one entry, ``"all"``, when indistinguishable)."""
        if not self.distinguishable:
            return {"all": self.sigma}
        roles = self.apim.data.roles
        assert roles is not None
        return {str(roles[0]): self.sigma, str(roles[1]): self.sigma * self._fit.delta}

    @cached_property
    def loglik(self) -> float:
        """Log-likelihood (REML or ML) on nlme's scale, comparable with R's ``logLik()``."""
        return _profile_loglik(self._fit, self.n_obs, self.n_params, self.reml)

    @property
    def n_variance_params(self) -> int:
        """rho, sigma and (distinguishable) the variance ratio."""
        return 3 if self.distinguishable else 2

    @property
    def aic(self) -> float:
        """AIC as nlme reports it."""
        return -2 * self.loglik + 2 * (self.n_params + self.n_variance_params)

    @property
    def bic(self) -> float:
        """BIC as nlme reports it (n = N - p under REML)."""
        n = self.df_resid if self.reml else self.n_obs
        return -2 * self.loglik + math.log(n) * (self.n_params + self.n_variance_params)

    @cached_property
    def variance_cov(self) -> pd.DataFrame:
        """Approximate covariance of nlme's unconstrained variance parameters.

        Parameters: ``log((1 + rho) / (1 - rho))`` (corCompSymm's scale for two-person groups),
        ``log delta`` (varIdent, distinguishable only) and ``log sigma``; the inverse of the negative
        Hessian of the log-likelihood with beta profiled out, as ``nlme``'s ``apVar``.
        """
        design = self._design

        cache: dict[float, _Moments] = {}

        def loglik(theta: np.ndarray) -> float:
            delta = math.exp(theta[1]) if self.distinguishable else 1.0
            if delta not in cache:
                cache[delta] = _Moments(design, delta)
            return cache[delta].loglik(math.tanh(theta[0] / 2), self.reml, log_sigma=theta[-1])

        theta0 = [2 * math.atanh(self.rho)]
        names = ["rho*"]
        if self.distinguishable:
            theta0.append(math.log(self._fit.delta))
            names.append("log_delta")
        theta0.append(math.log(self.sigma))
        names.append("log_sigma")
        hess = hessian(loglik, np.array(theta0))
        try:
            cov = np.linalg.inv(-hess)
        except np.linalg.LinAlgError:
            cov = np.full_like(hess, np.nan)
        return pd.DataFrame(cov, index=names, columns=names)

    @cached_property
    def params(self) -> pd.DataFrame:
        se = np.sqrt(np.diag(self.cov_params.to_numpy()))
        q = stats.t.ppf(0.975, self.df_resid)
        table = pd.DataFrame(
            {
                "estimate": self.beta.to_numpy(),
                "se": se,
                "ci_low": self.beta.to_numpy() - q * se,
                "ci_high": self.beta.to_numpy() + q * se,
            },
            index=self.beta.index,
        )
        z = Z95
        vc = self.variance_cov
        # rho: CI transformed back from the unconstrained scale; SE by the delta method
        t_rho = 2 * math.atanh(self.rho)
        se_t = math.sqrt(vc.loc["rho*", "rho*"]) if vc.loc["rho*", "rho*"] >= 0 else math.nan
        rows = {
            "rho": (
                self.rho,
                se_t * (1 - self.rho**2) / 2,
                math.tanh((t_rho - z * se_t) / 2),
                math.tanh((t_rho + z * se_t) / 2),
            )
        }
        se_ls = math.sqrt(vc.loc["log_sigma", "log_sigma"])
        rows["sigma"] = (
            self.sigma,
            self.sigma * se_ls,
            self.sigma * math.exp(-z * se_ls),
            self.sigma * math.exp(z * se_ls),
        )
        if self.distinguishable:
            g = np.zeros(len(vc))
            for k, (role, s) in enumerate(self.sigmas.items()):
                # log sigma_role = log sigma (+ log delta for role 1)
                g[:] = 0.0
                g[-1] = 1.0
                if k == 1:
                    g[1] = 1.0
                se_l = math.sqrt(float(g @ vc.to_numpy() @ g))
                rows[f"sigma@{role}"] = (
                    s,
                    s * se_l,
                    s * math.exp(-z * se_l),
                    s * math.exp(z * se_l),
                )
        extra = pd.DataFrame.from_dict(rows, orient="index", columns=list(table.columns))
        return pd.concat([table, extra])

    @cached_property
    def pseudo_r2(self) -> dict[str, float]:
        """``1 - sigma²/sigma²_empty`` (per role when distinguishable)."""
        same = self.apim._design(self.distinguishable, slopes=False)
        fit = _fit_variance(same, self.distinguishable, self.reml)
        df = (same.X.shape[0] - same.X.shape[1]) if self.reml else same.X.shape[0]
        s2_empty = fit.rss / df
        if not self.distinguishable:
            return {"all": 1 - self.sigma2 / s2_empty}
        out = {}
        for k, role in enumerate(self.sigmas):
            full = self.sigma2 * (self._fit.delta**2 if k else 1.0)
            empty = s2_empty * (fit.delta**2 if k else 1.0)
            out[role] = 1 - full / empty
        return out

    @cached_property
    def k(self) -> pd.DataFrame:
        """Kenny's k = p / a per X (and role) with a 95% CI by :attr:`k_interval`.

        Columns ``estimate, se, ci_low, ci_high, method``; the SE is the delta method's (the
        bootstrap's SD for ``bootstrap``). A Fieller interval that is not bounded is (−inf, inf).
        """
        from counterpoint.science.apim_k import (
            delta_interval,
            fieller_interval,
            percentile_interval,
        )

        rows = {}
        cov = self.cov_params
        z = Z95
        suffixes = [f"@{r}" for r in self.sigmas] if self.distinguishable else [""]
        draws = self._bootstrap_betas() if self.k_interval == "bootstrap" else None
        for col in self.apim.x:
            for suf in suffixes:
                a_name, p_name = f"actor_{col}{suf}", f"partner_{col}{suf}"
                a, p = self.beta[a_name], self.beta[p_name]
                sub = cov.loc[[a_name, p_name], [a_name, p_name]].to_numpy()
                se, low, high = delta_interval(a, p, sub, z)
                if self.k_interval == "fieller":
                    low, high, _ = fieller_interval(a, p, sub, z)
                elif draws is not None:
                    ia, ip = self.beta.index.get_loc(a_name), self.beta.index.get_loc(p_name)
                    actor = draws[:, ia]  # a draw with a zero actor effect has no ratio
                    ratio = draws[:, ip] / np.where(actor != 0, actor, np.nan)
                    se, low, high = percentile_interval(ratio, 0.95)
                rows[f"{col}{suf}"] = (p / a, se, low, high, self.k_interval)
        return pd.DataFrame.from_dict(
            rows, orient="index", columns=["estimate", "se", "ci_low", "ci_high", "method"]
        )

    def _bootstrap_betas(self) -> np.ndarray:
        """Fixed effects refitted to ``n_boot`` outcome vectors simulated from this fit (seeded)."""
        design, fit = self._design, self._fit
        rng = np.random.default_rng(self.k_seed)
        mean = design.X @ fit.beta
        sd = self.sigma * np.where(design.role == 1, fit.delta, 1.0)
        i, j = design.pair_first, design.pair_second
        out = np.empty((self.n_boot, len(fit.beta)))
        for b in range(self.n_boot):
            e = rng.standard_normal(len(mean))
            # partners' residuals correlated rho: the second's draw mixes in the first's
            e[j] = self.rho * e[i] + math.sqrt(1 - self.rho**2) * e[j]
            y = mean + sd * e
            out[b] = _fit_variance(replace(design, y=y), self.distinguishable, self.reml).beta
            if self.boot_progress is not None:
                self.boot_progress(b + 1, self.n_boot)
        return out

    @cached_property
    def sum_difference(self) -> pd.DataFrame:
        """Kenny's sum/difference form of each X with both effects.

        ``a·X_i + p·X_j = ((a + p)/2)·(X_i + X_j) + ((a - p)/2)·(X_i - X_j)``: the sum effect is
        ``(a + p)/2``, the difference effect ``(a - p)/2``; SEs from the GLS covariance, t CIs.
        """
        rows = {}
        cov = self.cov_params
        q = stats.t.ppf(0.975, self.df_resid)
        suffixes = [f"@{r}" for r in self.sigmas] if self.distinguishable else [""]
        for col in self.apim.x:
            for suf in suffixes:
                names = [f"actor_{col}{suf}", f"partner_{col}{suf}"]
                sub = cov.loc[names, names].to_numpy()
                for label, g in (
                    ("sum", np.array([0.5, 0.5])),
                    ("difference", np.array([0.5, -0.5])),
                ):
                    est = float(g @ self.beta[names].to_numpy())
                    se = math.sqrt(float(g @ sub @ g))
                    rows[f"{label}_{col}{suf}"] = (est, se, est - q * se, est + q * se)
        return pd.DataFrame.from_dict(
            rows, orient="index", columns=["estimate", "se", "ci_low", "ci_high"]
        )

    @cached_property
    def distinguishability(self) -> dict[str, float] | None:
        """ML likelihood-ratio test of the distinguishable vs the indistinguishable model.

        ``None`` when the data have no role column. The distinguishable model adds, per fixed effect,
        a role difference, and a variance ratio: ``df = p + 1``.
        """
        if not self.apim.data.distinguishable:
            return None
        dist = self.apim._design(True)
        indist = self.apim._design(False)
        ll = {}
        for name, design, d in (("dist", dist, True), ("indist", indist, False)):
            fit = _fit_variance(design, d, reml=False)
            ll[name] = _profile_loglik(fit, design.X.shape[0], design.X.shape[1], reml=False)
        df = dist.X.shape[1] - indist.X.shape[1] + 1
        chi2 = max(0.0, 2 * (ll["dist"] - ll["indist"]))
        return {
            "chi2": chi2,
            "df": df,
            "p_value": float(stats.chi2.sf(chi2, df)),
            "loglik_distinguishable": ll["dist"],
            "loglik_indistinguishable": ll["indist"],
        }

    @cached_property
    def boundary(self) -> list[str]:
        """Variance parameters at the edge of their range (rho = ±1, a variance ratio at its bound):
        the likelihood has no interior maximum, so the fit is not a clean one."""
        out = []
        if abs(self.rho) > 1 - 1e-6:
            out.append("rho")
        if self.distinguishable and abs(math.log(self._fit.delta)) > _LOG_DELTA_BOUND - 1e-3:
            out.append("sigma ratio")
        return out

    def extra(self) -> dict[str, Any]:
        return {
            "boundary": self.boundary,
            "method": "REML" if self.reml else "ML",
            "distinguishable": self.distinguishable,
            "outcome": self.apim.outcome,
            "rho": self.rho,
            "sigma": self.sigmas,
            "pseudo_r2": self.pseudo_r2,
            "loglik": self.loglik,
            "aic": self.aic,
            "bic": self.bic,
            "df_resid": self.df_resid,
            "k": {
                name: {c: row[c] for c in ("estimate", "se", "ci_low", "ci_high")}
                for name, row in self.k.iterrows()
            },
            "k_interval": self.k_interval,
            "distinguishability_test": self.distinguishability,
        }

    def fit_lines(self) -> list[tuple[str, str]]:
        lines = [
            ("residual correlation (rho)", f"{self.rho:.4f}"),
            *[(f"residual SD ({r})", f"{s:.4f}") for r, s in self.sigmas.items()],
            *[(f"pseudo-R² ({r})", f"{v:.4f}") for r, v in self.pseudo_r2.items()],
            ("log-likelihood", f"{self.loglik:.3f} ({'REML' if self.reml else 'ML'})"),
            ("AIC / BIC", f"{self.aic:.2f} / {self.bic:.2f}"),
        ]
        if self.boundary:
            lines.append(
                (
                    "boundary",
                    f"NO clean fit: {', '.join(self.boundary)} at the edge of its range; treat "
                    "the estimates with suspicion",
                )
            )
        test = self.distinguishability
        if test is not None:
            lines.append(
                (
                    "distinguishability (ML LR)",
                    f"chi2({test['df']}) = {test['chi2']:.3f}, p = {test['p_value']:.4g}",
                )
            )
        return lines

    def summary(self) -> str:
        text = super().summary()
        if len(self.k):
            label = {"delta": "delta-method", "fieller": "Fieller", "bootstrap": "bootstrap"}
            text += f"\n\nk = partner / actor ({label[self.k_interval]} 95% CI)\n"
            text += text_table(self.k.drop(columns="method"), index_name="X")
        return text


def simulate_apim(
    n_dyads: int,
    n_occasions: int = 1,
    seed: int | None = None,
    *,
    intercept: float | Sequence[float] = 0.0,
    a: float | Sequence[float] = 0.4,
    p: float | Sequence[float] = 0.2,
    rho: float = 0.3,
    sigma: float | Sequence[float] = 1.0,
    x_mean: float = 0.0,
    x_sd: float = 1.0,
    x_rho: float = 0.3,
    roles: tuple[str, str] = ("A", "B"),
) -> pd.DataFrame:
    """Simulate cross-sectional APIM data in long format.

    ``x`` is bivariate normal within the dyad (correlation ``x_rho``); ``y_i = intercept_r + a_r·x_i +
    p_r·x_j + e_i`` with residuals of SD ``sigma_r`` correlated ``rho`` within the dyad. Any of
    ``intercept, a, p, sigma`` may be a pair (role A, role B) for distinguishable dyads.

    Returns
    -------
    DataFrame
        Columns ``dyad, person, role, x, y``; person ids are ``2·dyad - 1`` (role A) and ``2·dyad``.

    Examples
    --------
    >>> simulate_apim(3, seed=0).shape
    (6, 5)
    """
    if n_occasions != 1:
        raise ValueError("the APIM is cross-sectional: simulate it with one occasion")
    if n_dyads < 1:
        raise ValueError("n_dyads must be at least 1")
    rng = np.random.default_rng(seed)

    def pair(v: float | Sequence[float]) -> np.ndarray:
        arr = np.broadcast_to(np.asarray(v, dtype=float), (2,))
        return arr.copy()

    b0, aa, pp, ss = pair(intercept), pair(a), pair(p), pair(sigma)
    cov_x = x_sd**2 * np.array([[1.0, x_rho], [x_rho, 1.0]])
    # Cholesky (not numpy's default SVD) so the same seed gives the same data on every BLAS
    x = rng.multivariate_normal([x_mean, x_mean], cov_x, size=n_dyads, method="cholesky")
    cov_e = np.array([[ss[0] ** 2, rho * ss[0] * ss[1]], [rho * ss[0] * ss[1], ss[1] ** 2]])
    e = rng.multivariate_normal([0.0, 0.0], cov_e, size=n_dyads, method="cholesky")
    y = b0 + aa * x + pp * x[:, ::-1] + e
    dyad = np.repeat(np.arange(1, n_dyads + 1), 2)
    return pd.DataFrame(
        {
            "dyad": dyad,
            "person": 2 * dyad - 1 + np.tile([0, 1], n_dyads),
            "role": np.tile(np.array(roles, dtype=object), n_dyads),
            "x": x.ravel(),
            "y": y.ravel(),
        }
    )
