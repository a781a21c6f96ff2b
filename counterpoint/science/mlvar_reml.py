"""REML for the multilevel dyadic VAR(1): per-dyad sufficient statistics and the profiled deviance.

The numerical core behind :class:`~counterpoint.science.mlvar.DyadicVAR`. The residual covariance is
block diagonal with 2 × 2 blocks (one per occasion) that take only three forms (both partners present,
only role 0, only role 1), so each dyad reduces, once, to a few 9 × 9 cross-product matrices
(:func:`design`). Every REML evaluation is then a handful of batched 2 × 2 operations over dyads
(Woodbury identity), with the fixed effects profiled out by GLS (:func:`fit_reml`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from counterpoint.science.errors import DyadDataError
from counterpoint.science.numerics import hessian
from counterpoint.science.panels import LagPanel

__all__ = ["N_FIXED", "Design", "RemlFit", "design", "deviance", "fit_reml"]

N_FIXED = 6  # fixed effects: (intercept, actor, partner) for role 0, then for role 1
_P = N_FIXED
_Q = 9  # cross-product columns: 6 fixed effects, 2 random-intercept indicators, the outcome
_XY = np.array([0, 1, 2, 3, 4, 5, 8])  # fixed-effect columns and the outcome


@dataclass(frozen=True)
class Design:
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


def design(panel: LagPanel) -> Design:
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
    return Design(
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


def _pieces(d: Design, delta: float, rho: float, lchol: np.ndarray) -> _Pieces | None:
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
    try:
        beta = np.linalg.solve(xvx, xvy)
    except np.linalg.LinAlgError:  # singular to working precision although Cholesky passed
        return None
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


def _profiled_deviance(theta: np.ndarray, d: Design, n_obs: int) -> float:
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


def deviance(phi: np.ndarray, d: Design, n_obs: int) -> float:
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


@dataclass(frozen=True)
class RemlFit:
    beta: np.ndarray
    cov_beta: np.ndarray
    sigma: tuple[float, float]
    rho: float
    re_cov: np.ndarray
    phi: np.ndarray  # natural parameters at the optimum
    deviance: float
    converged: bool
    n_iter: int


def fit_reml(d: Design, n_obs: int) -> RemlFit:
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
        h = hessian(dev, theta, 1e-4)
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
    if pieces is None:  # e.g. a variable with (almost) no variation within dyads
        raise DyadDataError(
            "the multilevel VAR cannot be estimated on these data: the REML optimisation ended "
            "outside the parameter space (does the variable vary within couples over time?)"
        )
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
    return RemlFit(
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
