"""Latent profiles of couples: Gaussian mixtures over per-couple parameter vectors, chosen by BIC.

The rties approach: fit a per-couple model (the coupled oscillator, the per-couple VAR), then group
couples whose parameter vectors look alike. Each couple's vector ``x_i`` (d numbers) comes from one
of G profiles, ``x_i ~ Σ_k π_k N(μ_k, Σ_k)``, and the covariance matrices follow one of mclust's
models, named by volume / shape / orientation (E equal across profiles, V varying, I identity):

    EII  Σ_k = λ I           VII  Σ_k = λ_k I
    EEI  Σ_k = λ A           VEI  Σ_k = λ_k A        EVI  Σ_k = λ A_k      VVI  Σ_k = λ_k A_k
    EEE  Σ_k = Σ             VVV  Σ_k unrestricted

(A, A_k diagonal with determinant 1). Every (model, G) is fitted by EM from many starts at once
(the starts are a batch dimension of every array), and the number of profiles and the model are
chosen by BIC with mclust's sign: ``BIC = 2·loglik − n_params·log n``, larger is better.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from threadpoolctl import threadpool_limits

from counterpoint.science.errors import DyadDataError
from counterpoint.science.results import jsonable, text_table

__all__ = [
    "ESTIMATES_MODELS",
    "MODEL_NAMES",
    "LatentProfiles",
    "LatentProfilesResults",
    "adjusted_rand_index",
    "estimates_model",
    "estimates_params",
    "n_parameters",
    "simulate_profiles",
]

FloatArray = NDArray[np.float64]

MODEL_NAMES = ("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VVV")
_SPHERICAL = ("EII", "VII")
_DIAGONAL = ("EEI", "VEI", "EVI", "VVI")
_EPS = float(np.finfo(float).eps)  # mclust's emControl()$eps
_LOG_2PI = math.log(2 * math.pi)
_LOOSE_TOL = 1e-5  # mclust's default EM tolerance: good enough to rank the starts
_LOOSE_MAX_ITER = 300  # iterations a start gets before the starts are ranked


# -- per-couple estimates tables -------------------------------------------------------------------
ESTIMATES_MODELS = ("clo", "ic", "couple-var")
"""The per-couple models whose tables of estimates (``counterpoint fit MODEL --out``) profiles group."""

# oscillator.CLO_PARAMS and the dynamic part of inertia_coordination.IC_PARAMS, spelled out because
# model modules do not import each other; tests/science/test_cli_tables.py checks that they agree
_FIXED_PARAMS = {
    "clo": ("obs_0", "d1_0", "p_obs_0", "p_d1_0", "obs_1", "d1_1", "p_obs_1", "p_d1_1"),
    "ic": ("inert0", "coord0", "inert1", "coord1"),
}


def estimates_params(model: str, columns: Sequence[Any]) -> list[str]:
    """The columns among ``columns`` that are ``model``'s dynamic parameters, the ones couples are
    grouped on: clo's eight, ic's inertias and coordinations, couple-var's actor and partner effects
    (not intercepts, fit statistics, SEs or bounds)."""
    names = [str(c) for c in columns]
    if model == "couple-var":
        return [c for c in names if c.startswith(("actor@", "partner@"))]
    if model not in _FIXED_PARAMS:
        raise ValueError(
            f"unknown per-couple model {model!r}; one of {', '.join(ESTIMATES_MODELS)}"
        )
    return [c for c in _FIXED_PARAMS[model] if c in names]


def _complete(model: str, columns: Sequence[Any]) -> bool:
    """Whether every parameter of ``model``'s estimates (both partners') is among ``columns``."""
    found = estimates_params(model, columns)
    if model == "couple-var":
        return sum(c.startswith("actor@") for c in found) == 2 and len(found) == 4
    return len(found) == len(_FIXED_PARAMS[model])


def estimates_model(columns: Sequence[Any]) -> str | None:
    """The per-couple model whose table of estimates has these columns, or None (another table).

    A table that holds the estimates of several models (joined side by side) is refused: its
    profiles would mix kinds of parameters that mean different things.

    Examples
    --------
    >>> estimates_model(["dyad", "inert0", "coord0", "inert1", "coord1", "adj_r2", "n_obs"])
    'ic'
    >>> estimates_model(["dyad", "x1", "x2"]) is None
    True
    """
    return _which_estimates(columns)


def _which_estimates(columns: Sequence[Any]) -> str | None:
    found = [m for m in ESTIMATES_MODELS if _complete(m, columns)]
    if len(found) > 1:
        choices = "; ".join(f"{m}: {','.join(estimates_params(m, columns))}" for m in found)
        raise DyadDataError(
            f"the table holds the estimates of {len(found)} models ({', '.join(found)}); profiles "
            "group couples on one model's parameters at a time, so choose them with --columns "
            f"({choices})"
        )
    return found[0] if found else None


def n_parameters(model: str, n_profiles: int, dim: int) -> int:
    """Free parameters of a mixture: means, G − 1 proportions and the covariance model's (as mclust).

    Examples
    --------
    >>> [n_parameters(m, 3, 2) for m in ("EII", "VVI", "VVV")]
    [9, 14, 17]
    """
    g, d = n_profiles, dim
    variance = {
        "EII": 1,
        "VII": g,
        "EEI": d,
        "VEI": g + d - 1,
        "EVI": 1 + g * (d - 1),
        "VVI": g * d,
        "EEE": d * (d + 1) // 2,
        "VVV": g * d * (d + 1) // 2,
    }[model]
    return g * d + (g - 1) + variance


# -- the EM kernel, batched over starts ------------------------------------------------------------
@dataclass
class _Mixture:
    """Parameters of a batch of S mixtures with G components in d dimensions (scaled data units)."""

    pro: FloatArray  # (S, G)
    mean: FloatArray  # (S, G, d)
    var: FloatArray  # (S, G, d) diagonal models; (S, G, d, d) EEE / VVV


def _full(model: str) -> bool:
    return model not in _SPHERICAL and model not in _DIAGONAL


class _Data:
    """Scaled data and the features the E and M steps multiply by.

    Each couple's row of features is ``[x², x, 1]`` (diagonal models) or ``[x xᵀ packed, x, 1]``
    (EEE, VVV): one matrix product with the responsibilities gives every profile's sums of
    squares, sums and size (the M step), and one product with per-profile coefficients gives every
    log density (the E step).
    """

    def __init__(self, X: FloatArray) -> None:
        self.X = X
        self.n, self.d = X.shape
        self.iu = np.triu_indices(self.d)
        self.weight = np.where(self.iu[0] == self.iu[1], 1.0, 2.0)

    @cached_property
    def diagonal(self) -> tuple[FloatArray, FloatArray]:
        f = np.hstack([self.X**2, self.X, np.ones((self.n, 1))])
        return f, np.ascontiguousarray(f.T)

    @cached_property
    def full(self) -> tuple[FloatArray, FloatArray]:
        xp = self.X[:, self.iu[0]] * self.X[:, self.iu[1]]
        f = np.hstack([xp, self.X, np.ones((self.n, 1))])
        return f, np.ascontiguousarray(f.T)

    def features(self, model: str) -> tuple[FloatArray, FloatArray]:
        return self.full if _full(model) else self.diagonal

    def subset(self, rows: NDArray[np.int64]) -> _Data:
        return _Data(self.X[rows])


def _m_step(model: str, z: FloatArray, data: _Data) -> tuple[_Mixture, FloatArray]:
    """Maximise the expected complete-data log-likelihood; also return each profile's size."""
    n, d = data.n, data.d
    sums = z @ data.features(model)[0]  # (S, G, p): second moments, sums, sizes
    nk = sums[..., -1]
    safe = np.maximum(nk, 1e-300)[..., None]
    mean = sums[..., -1 - d : -1] / safe
    if not _full(model):
        w = sums[..., :d] - nk[..., None] * mean**2  # diagonal of each profile's scatter, (S, G, d)
        w = np.maximum(w, 0.0)
        var = _diagonal_cov(model, w, nk, n)
    else:
        iu = data.iu
        sp = sums[..., : len(iu[0])]  # packed upper triangle of Σ z x xᵀ, (S, G, q)
        s = np.zeros((*nk.shape, d, d))
        s[..., iu[0], iu[1]] = sp
        s[..., iu[1], iu[0]] = sp
        w = s - nk[..., None, None] * mean[..., :, None] * mean[..., None, :]
        if model == "EEE":
            var = np.broadcast_to(w.sum(axis=1, keepdims=True) / n, w.shape).copy()
        else:
            var = w / safe[..., None]
    return _Mixture(pro=nk / n, mean=mean, var=var), nk


def _log_geo(v: FloatArray) -> FloatArray:
    """Mean log over the last axis (the log of the geometric mean); a zero counts as 1e-300.

    A zero variance only comes from a profile with one couple (or none) in some direction; the
    floor keeps the logarithm finite, and the fit is then flagged degenerate by :func:`_singular`.
    """
    out: FloatArray = np.log(np.maximum(v, 1e-300)).mean(axis=-1, keepdims=True)
    return out


def _diagonal_cov(model: str, w: FloatArray, nk: FloatArray, n: int) -> FloatArray:
    """Diagonal covariances from the diagonal scatter ``w`` (S, G, d) of each profile."""
    d = w.shape[-1]
    safe = np.maximum(nk, 1e-300)[..., None]
    if model == "EII":
        lam = w.sum(axis=(1, 2)) / (n * d)
        return np.broadcast_to(lam[:, None, None], w.shape).copy()
    if model == "VII":
        return np.broadcast_to(w.sum(axis=-1, keepdims=True) / (safe * d), w.shape).copy()
    if model == "EEI":
        return np.broadcast_to(w.sum(axis=1, keepdims=True) / n, w.shape).copy()
    if model == "VVI":
        return w / safe
    if model == "EVI":
        geo = np.exp(_log_geo(w))  # |diag W_k|^(1/d)
        shape = w / np.maximum(geo, 1e-300)
        lam = geo.sum(axis=1, keepdims=True) / n
        return lam * shape
    # VEI: alternate λ_k = tr(W_k A⁻¹)/(d n_k) and A ∝ Σ_k W_k/λ_k (det A = 1) to a fixed point
    a = w.sum(axis=1, keepdims=True)
    a = np.maximum(a / np.exp(_log_geo(a)), 1e-300)
    lam = (w / a).sum(axis=-1, keepdims=True) / (d * safe)
    for _ in range(200):
        b = (w / np.maximum(lam, 1e-300)).sum(axis=1, keepdims=True)
        a = np.maximum(b / np.exp(_log_geo(b)), 1e-300)
        new = (w / a).sum(axis=-1, keepdims=True) / (d * safe)
        step = np.abs(new - lam) <= math.sqrt(_EPS) * (1 + np.abs(lam))
        done = bool(np.all(step | ~np.isfinite(new)))
        lam = new
        if done:
            break
    return lam * a


def _e_step(model: str, mix: _Mixture, data: _Data) -> tuple[FloatArray, FloatArray]:
    """Responsibilities (S, G, n) and log-likelihood (S,) of every mixture in the batch.

    Only for mixtures that passed :func:`_singular` (positive proportions, variances and
    eigenvalues), so every logarithm and inverse here is finite.
    """
    d = data.d
    mean = mix.mean
    if not _full(model):
        prec = 1.0 / mix.var  # (S, G, d)
        quad = -0.5 * prec  # coefficients of x²
        pm = mean * prec
        logdet = np.log(mix.var).sum(axis=-1)
    else:
        chol = np.linalg.cholesky(mix.var)
        inv_chol = np.linalg.inv(chol)
        prec = np.swapaxes(inv_chol, -1, -2) @ inv_chol  # (S, G, d, d)
        quad = -0.5 * prec[..., data.iu[0], data.iu[1]] * data.weight  # of the packed x xᵀ
        pm = (prec @ mean[..., None])[..., 0]  # (S, G, d)
        logdet = 2.0 * np.log(np.diagonal(chol, axis1=-2, axis2=-1)).sum(axis=-1)
    # log π_k φ_k(x) = log π_k − ½(d log 2π + log|Σ_k|) − ½ (x − μ_k)ᵀ Σ_k⁻¹ (x − μ_k), as one
    # product of per-profile coefficients with each couple's features [x², x, 1]
    const = np.log(mix.pro) - 0.5 * (d * _LOG_2PI + logdet + (pm * mean).sum(axis=-1))
    coef = np.concatenate([quad, pm, const[..., None]], axis=-1)  # (S, G, p)
    logp = coef @ data.features(model)[1]  # (S, G, n)
    top = logp.max(axis=1, keepdims=True)
    logp -= top
    np.exp(logp, out=logp)
    total = logp.sum(axis=1, keepdims=True)  # ≥ 1: the largest term is exp(0)
    logp /= total
    loglik = (np.log(total[:, 0]) + top[:, 0]).sum(axis=-1)
    return logp, loglik


def _singular(model: str, mix: _Mixture, nk: FloatArray, scale2: float) -> NDArray[np.bool_]:
    """mclust's tests for a degenerate fit, per mixture (in the data's own units)."""
    bad: NDArray[np.bool_] = np.asarray((nk <= math.sqrt(_EPS)).any(axis=-1))
    if not np.isfinite(mix.var).all() or not np.isfinite(mix.mean).all():
        finite = np.isfinite(mix.var).reshape(len(bad), -1).all(axis=-1)
        finite &= np.isfinite(mix.mean).reshape(len(bad), -1).all(axis=-1)
        bad = bad | ~finite
        var = np.where(np.isfinite(mix.var), mix.var, 1.0)
    else:
        var = mix.var
    if model in _SPHERICAL:
        return bad | ((var[..., 0] * scale2).min(axis=-1) <= _EPS)
    if model in _DIAGONAL:
        v = var * scale2
        geo = np.exp(_log_geo(v))[..., 0]
        shape_min = (v.min(axis=-1) / np.maximum(geo, 1e-300)).min(axis=-1)
        return bad | ~(geo.min(axis=-1) > _EPS) | ~(shape_min > _EPS)
    eig = np.linalg.eigvalsh(var * scale2)
    sd = np.sqrt(np.maximum(eig, 0.0))
    rc = (sd.min(axis=-1) / (1.0 + sd.max(axis=-1))).min(axis=-1)
    return bad | ~(rc > math.sqrt(_EPS))


@dataclass
class _EMRun:
    mix: _Mixture
    z: FloatArray
    loglik: FloatArray  # (S,), −inf for a degenerate run
    iterations: NDArray[np.int64]
    converged: NDArray[np.bool_]


def _em(
    model: str, data: _Data, z0: FloatArray, scale2: float, tol: float, max_iter: int
) -> _EMRun:
    """EM from initial responsibilities z0 (S, G, n) for every start at once.

    Starts that converge or degenerate leave the batch, so the others run on smaller arrays.
    """
    z = z0.copy()
    s = z.shape[0]
    loglik = np.full(s, -np.inf)
    iterations = np.zeros(s, dtype=np.int64)
    converged = np.zeros(s, dtype=bool)
    failed = np.zeros(s, dtype=bool)
    mix, nk = _m_step(model, z, data)
    keep = _Mixture(mix.pro.copy(), mix.mean.copy(), mix.var.copy())
    idx = np.arange(s)
    for _ in range(max_iter):
        bad = _singular(model, mix, nk, scale2)
        failed[idx[bad]] = True
        idx, mix = idx[~bad], _take(mix, ~bad)
        if not len(idx):
            break
        z_new, ll = _e_step(model, mix, data)
        iterations[idx] += 1
        finite = np.isfinite(ll)
        failed[idx[~finite]] = True
        prev = loglik[idx]
        done = finite & np.isfinite(prev) & (np.abs(ll - prev) <= tol * (1.0 + np.abs(ll)))
        loglik[idx[finite]] = ll[finite]
        z[idx[finite]] = z_new[finite]
        keep.pro[idx[finite]] = mix.pro[finite]
        keep.mean[idx[finite]] = mix.mean[finite]
        keep.var[idx[finite]] = mix.var[finite]
        converged[idx[done]] = True
        idx = idx[finite & ~done]
        if not len(idx):
            break
        mix, nk = _m_step(model, z[idx], data)
    loglik = np.where(failed, -np.inf, loglik)
    return _EMRun(keep, z, loglik, iterations, converged & ~failed)


def _stack(runs: list[_EMRun]) -> _EMRun:
    """Runs of single starts as one batch."""
    return _EMRun(
        _Mixture(
            *(np.concatenate([getattr(r.mix, f) for r in runs]) for f in ("pro", "mean", "var"))
        ),
        np.concatenate([r.z for r in runs]),
        np.concatenate([r.loglik for r in runs]),
        np.concatenate([r.iterations for r in runs]),
        np.concatenate([r.converged for r in runs]),
    )


def _take(mix: _Mixture, rows: NDArray[np.bool_]) -> _Mixture:
    return _Mixture(mix.pro[rows], mix.mean[rows], mix.var[rows])


# -- SQUAREM: EM accelerated by squared extrapolation (Varadhan & Roland 2008, scheme S3) ---------
def _pack(model: str, mix: _Mixture) -> FloatArray:
    """One mixture as an unconstrained vector: log proportions, means, log variances (diagonal
    models) or the Cholesky factor with a log diagonal (EEE, VVV). Every model's constraint
    (equal, diagonal, det A = 1) is linear in these coordinates, so extrapolation keeps it."""
    parts = [np.log(mix.pro[0]), mix.mean[0].ravel()]
    if _full(model):
        chol = np.linalg.cholesky(mix.var[0])
        il = np.tril_indices(chol.shape[-1])
        low = chol[:, il[0], il[1]].copy()
        diag = il[0] == il[1]
        low[:, diag] = np.log(low[:, diag])
        parts.append(low.ravel())
    else:
        parts.append(np.log(mix.var[0]).ravel())
    return np.concatenate(parts)


def _unpack(model: str, theta: FloatArray, g: int, d: int) -> _Mixture:
    logpro = theta[:g]
    pro = np.exp(logpro - logpro.max())
    pro /= pro.sum()
    mean = theta[g : g + g * d].reshape(g, d)
    rest = theta[g + g * d :]
    if _full(model):
        il = np.tril_indices(d)
        low = rest.reshape(g, -1).copy()
        diag = il[0] == il[1]
        low[:, diag] = np.exp(np.minimum(low[:, diag], 700.0))
        chol = np.zeros((g, d, d))
        chol[:, il[0], il[1]] = low
        var = chol @ np.swapaxes(chol, -1, -2)
    else:
        var = np.exp(np.clip(rest.reshape(g, d), -700.0, 700.0))
    return _Mixture(pro[None], mean[None], var[None])


def _squarem(
    model: str, data: _Data, z0: FloatArray, scale2: float, tol: float, max_iter: int
) -> _EMRun:
    """EM from one start z0 (1, G, n), accelerated: the same fixed points in fewer passes.

    Each cycle takes two EM steps θ0 → θ1 → θ2, jumps to θ' = θ0 − 2α r + α² v (r = θ1 − θ0,
    v = θ2 − 2θ1 + θ0, α = −|r|/|v| ≤ −1) and takes one EM step from θ'. The jump is kept only
    when the log-likelihood at θ' is at least that at θ1 (else the cycle ends at θ2), so the
    log-likelihood never decreases. Convergence as :func:`_em`: the log-likelihood changes by at
    most ``tol·(1 + |loglik|)`` over a cycle. ``iterations`` counts E steps.
    """
    g, n, d = z0.shape[1], data.n, data.d
    failed = _EMRun(
        _Mixture(np.full((1, g), np.nan), np.full((1, g, d), np.nan), np.full((1, g, d), np.nan)),
        z0.copy(),
        np.array([-np.inf]),
        np.zeros(1, dtype=np.int64),
        np.zeros(1, dtype=bool),
    )

    def em_step(z: FloatArray) -> _Mixture | None:
        mix, nk = _m_step(model, z, data)
        return None if _singular(model, mix, nk, scale2)[0] else mix

    mix0 = em_step(z0)
    if mix0 is None:
        return failed
    z, ll = _e_step(model, mix0, data)
    evals, step_max, converged = 1, 1.0, False
    while evals < max_iter:
        mix1 = em_step(z)
        if mix1 is None:
            return failed
        z1, ll1 = _e_step(model, mix1, data)
        evals += 1
        if abs(ll1[0] - ll[0]) <= tol * (1.0 + abs(ll1[0])):
            mix0, z, ll, converged = mix1, z1, ll1, True
            break
        mix2 = em_step(z1)
        if mix2 is None:
            return failed
        t0, t1, t2 = _pack(model, mix0), _pack(model, mix1), _pack(model, mix2)
        r, v = t1 - t0, t2 - 2 * t1 + t0
        vv = float(v @ v)
        alpha = -math.sqrt(float(r @ r) / vv) if vv > 0 else -1.0
        alpha = min(-1.0, max(alpha, -step_max))
        new = mix2
        if alpha < -1.0:
            jump = _unpack(model, t0 - 2 * alpha * r + alpha**2 * v, g, d)
            if not _singular(model, jump, jump.pro * n, scale2)[0]:
                z_jump, ll_jump = _e_step(model, jump, data)
                evals += 1
                stabilised = em_step(z_jump) if ll_jump[0] >= ll1[0] else None
                if stabilised is not None:
                    new = stabilised
        # the longest allowed jump grows while jumps are taken, and shrinks after a rejected one
        if new is mix2 and alpha < -1.0:
            step_max = max(1.0, step_max / 4.0)
        elif alpha == -step_max:
            step_max *= 4.0
        z_new, ll_new = _e_step(model, new, data)
        evals += 1
        done = abs(ll_new[0] - ll[0]) <= tol * (1.0 + abs(ll_new[0]))
        mix0, z, ll = new, z_new, ll_new
        if done:
            converged = True
            break
    return _EMRun(mix0, z, ll, np.array([evals]), np.array([converged]))


def _partitions(labels: Any, n_profiles: int, n: int) -> FloatArray:
    """One-hot responsibilities (S, G, n) from given starting partitions."""
    arr = np.atleast_2d(np.asarray(labels))
    if arr.ndim != 2 or arr.shape[1] != n:
        raise DyadDataError(f"a starting partition needs one label per couple ({n})")
    out = np.zeros((arr.shape[0], n_profiles, n))
    for s, row in enumerate(arr):
        _, codes = np.unique(row, return_inverse=True)
        if codes.max() + 1 != n_profiles:
            raise DyadDataError(
                f"a starting partition for {n_profiles} profiles has {codes.max() + 1} groups"
            )
        out[s, codes, np.arange(n)] = 1.0
    return out


def _kmeans_starts(
    X: FloatArray, n_profiles: int, n_starts: int, rng: np.random.Generator, lloyd: int = 5
) -> FloatArray:
    """Hard initial partitions (S, G, n): k-means++ seeding and a few Lloyd steps, per start."""
    n = X.shape[0]
    sq = (X**2).sum(axis=1)
    centres = np.empty((n_starts, n_profiles, X.shape[1]))
    first = rng.integers(0, n, size=n_starts)
    centres[:, 0] = X[first]
    dist = np.maximum(sq[None, :] - 2 * centres[:, 0] @ X.T + sq[first][:, None], 0.0)
    for k in range(1, n_profiles):
        total = dist.sum(axis=1, keepdims=True)
        prob = np.where(total > 0, dist / np.where(total > 0, total, 1.0), 1.0 / n)
        cum = np.cumsum(prob, axis=1)
        pick = (cum < rng.random((n_starts, 1)) * cum[:, -1:]).sum(axis=1)
        pick = np.minimum(pick, n - 1)
        centres[:, k] = X[pick]
        new = np.maximum(sq[None, :] - 2 * centres[:, k] @ X.T + sq[pick][:, None], 0.0)
        dist = np.minimum(dist, new)
    labels = np.zeros((n_starts, n), dtype=np.int64)
    for _ in range(lloyd + 1):
        d2 = sq[None, :, None] - 2 * X @ np.swapaxes(centres, 1, 2) + (centres**2).sum(-1)[:, None]
        labels = d2.argmin(axis=-1)
        onehot = np.eye(n_profiles)[labels]  # (S, n, G)
        counts = onehot.sum(axis=1)
        sums = np.swapaxes(onehot, 1, 2) @ X
        centres = np.where(counts[..., None] > 0, sums / np.maximum(counts, 1)[..., None], centres)
    return np.swapaxes(np.eye(n_profiles)[labels], 1, 2).copy()


# -- the model -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Solution:
    model: str
    n_profiles: int
    loglik: float
    n_params: int
    bic: float
    iterations: int
    converged: bool
    pro: FloatArray | None = None
    mean: FloatArray | None = None  # (G, d), data units
    cov: FloatArray | None = None  # (G, d, d), data units
    z: FloatArray | None = None  # (n, G)


def _to_full(model: str, var: FloatArray) -> FloatArray:
    if model in _SPHERICAL or model in _DIAGONAL:
        return np.einsum("gd,de->gde", var, np.eye(var.shape[-1]))
    return var


def _refuse_stray_words(frame: pd.DataFrame) -> None:
    """Refuse a column of numbers with a word among them: the default selection of numeric columns
    would otherwise leave the whole column out without a word. Columns of text alone (names,
    notes, a table's ``reason``) stay out as before."""
    for col in frame.columns:
        series = frame[col]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        numbers = pd.to_numeric(series, errors="coerce")
        if numbers.notna().any():
            bad = series.notna() & numbers.isna()
            row = series.index[bad.to_numpy()][0]
            raise DyadDataError(
                f"couple {row}, column {col!r}: {series[row]!r} is not a number (the column's "
                "other values are); correct it or leave the cell empty"
            )


class LatentProfiles:
    """Gaussian mixture ("latent profile") model over one parameter vector per couple.

    Parameters
    ----------
    data : DataFrame or array
        One row per couple. A DataFrame's index names the couples.
    columns : sequence of str, optional
        The parameters to group on (default: every numeric column).
    profiles : sequence of int
        Numbers of profiles G to try (default 1–9, as mclust).
    models : sequence of str
        Covariance models to try (default all of :data:`MODEL_NAMES`).
    starts : int
        Random starts per (model, G) (k-means++ partitions); all run at once, the best is kept.
    seed : int
        Seed of the starts; the same seed gives the same fit.
    tol : float
        EM stops when the log-likelihood changes by less than ``tol·(1 + |loglik|)``.
    max_iter : int
        EM iterations at most per run.
    initial : mapping, optional
        Starting partitions instead of random starts for some G: ``{G: labels}``, labels of shape
        (n,) or (starts, n) with G distinct values per row (e.g. mclust's ``hclass(hc(X), G)``).
    subsample : int
        With more couples than this, the starts are first run on a random subsample of this size and
        only the ``refine`` best continue on all couples.
    estimates_model : str, optional
        The per-couple model (:data:`ESTIMATES_MODELS`) whose estimates ``data`` holds. Found from
        the columns when not given (:func:`estimates_model`); then, without ``columns``, the couples
        are grouped on that model's parameters (:func:`estimates_params`) rather than on every
        numeric column (fit statistics, SEs, τ and E…), and couples whose fit gave a ``reason``
        instead of estimates are left out.

    Examples
    --------
    >>> df, truth = simulate_profiles(300, seed=1)
    >>> res = LatentProfiles(df, profiles=range(1, 5), models=["VVV", "EII"]).fit()
    >>> res.n_profiles, res.model_name
    (3, 'EII')
    """

    def __init__(
        self,
        data: pd.DataFrame | FloatArray,
        columns: Sequence[str] | None = None,
        *,
        profiles: Sequence[int] = tuple(range(1, 10)),
        models: Sequence[str] = MODEL_NAMES,
        starts: int = 20,
        seed: int = 0,
        tol: float = 1e-8,
        max_iter: int = 1000,
        subsample: int = 2000,
        refine: int = 2,
        initial: Mapping[int, Any] | None = None,
        estimates_model: str | None = None,
    ) -> None:
        frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(np.asarray(data))
        names = list(frame.columns)
        if estimates_model is None and columns is None:
            estimates_model = _which_estimates(names)
        elif estimates_model is None:  # the model whose parameters the chosen columns are, if one
            chosen = set(columns or ())
            owners = [m for m in ESTIMATES_MODELS if chosen <= set(estimates_params(m, names))]
            estimates_model = owners[0] if len(owners) == 1 else None
        elif estimates_model not in ESTIMATES_MODELS:
            raise DyadDataError(
                f"unknown per-couple model {estimates_model!r}; one of {', '.join(ESTIMATES_MODELS)}"
            )
        self.estimates_model = estimates_model
        self.n_left_out = 0
        if estimates_model is not None:
            if columns is None:
                columns = estimates_params(estimates_model, names)
            if "reason" in frame.columns:  # couples the model could not fit (none of its numbers)
                fitted = frame["reason"].isna().to_numpy()
                self.n_left_out = int((~fitted).sum())
                frame = frame.loc[fitted]
        if columns is None:
            _refuse_stray_words(frame)
            columns = [str(c) for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
        else:
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise DyadDataError(
                    f"column {missing[0]!r} not found; the data have: "
                    f"{', '.join(map(str, frame.columns))}"
                )
        columns = list(columns)
        if not columns:
            raise DyadDataError("no numeric parameter columns to group couples on")
        values = frame.loc[:, columns].apply(pd.to_numeric, errors="coerce")
        bad = frame.loc[:, columns].notna() & values.isna()
        if bad.any().any():
            col = bad.any()[bad.any()].index[0]
            row = bad[col][bad[col]].index[0]
            raise DyadDataError(
                f"couple {row}, column {col!r}: {frame.loc[row, col]!r} is not a number"
            )
        x = values.to_numpy(dtype=float)
        if not np.isfinite(x).all():
            row = values.index[~np.isfinite(x).all(axis=1)][0]
            raise DyadDataError(
                f"couple {row} has a missing or infinite parameter; drop couples without estimates "
                "first (a mixture needs every parameter of every couple)"
            )
        unknown = [m for m in models if m not in MODEL_NAMES]
        if unknown or not models:
            raise DyadDataError(
                f"unknown covariance model {unknown[0] if unknown else '(none)'!r}; "
                f"choose from {', '.join(MODEL_NAMES)}"
            )
        profiles = sorted({int(g) for g in profiles})
        if not profiles or profiles[0] < 1:
            raise DyadDataError("numbers of profiles must be positive integers")
        n, d = x.shape
        if n < 2 or d < 1:
            raise DyadDataError(f"need at least 2 couples and 1 parameter, got {n} × {d}")
        if profiles[-1] >= n:
            raise DyadDataError(f"{profiles[-1]} profiles need more than {n} couples")
        if np.all(x.std(axis=0) == 0):
            raise DyadDataError("every parameter is constant across couples: nothing to group")
        if starts < 1 or refine < 1 or subsample < 2:
            raise DyadDataError("starts, refine and subsample must be positive")
        self.frame = values
        self.columns = columns
        self.values = x
        self.profiles = profiles
        self.models = list(dict.fromkeys(models))
        self.starts = int(starts)
        self.seed = int(seed)
        self.tol = float(tol)
        self.max_iter = int(max_iter)
        self.subsample = int(subsample)
        self.refine = int(refine)
        self.initial = {int(g): _partitions(lab, int(g), n) for g, lab in (initial or {}).items()}

    def _fit_one(
        self, model: str, g: int, data: _Data, scale2: float, rng: np.random.Generator
    ) -> _EMRun:
        """Best EM run for one (model, G): many starts to a loose tolerance, the best one to ``tol``."""
        n = data.X.shape[0]
        loose = max(self.tol, _LOOSE_TOL)
        if g == 1:
            return _em(model, data, np.ones((1, 1, n)), scale2, self.tol, self.max_iter)
        if g in self.initial:  # given starting partitions (e.g. mclust's): each run to ``tol``
            return _em(model, data, self.initial[g], scale2, self.tol, self.max_iter)
        if n <= self.subsample:
            z0 = _kmeans_starts(data.X, g, self.starts, rng)
            runs = _em(model, data, z0, scale2, loose, min(self.max_iter, _LOOSE_MAX_ITER))
            k = int(np.argmax(runs.loglik))
            if not np.isfinite(runs.loglik[k]) or self.tol >= loose:
                return runs
            final = _em(model, data, runs.z[k : k + 1], scale2, self.tol, self.max_iter)
            if not np.isfinite(final.loglik[0]):  # degenerated while polishing: keep the loose fit
                return runs
            return final
        # Many couples: the starts run on a subsample; the most promising continue on every couple
        # with accelerated EM (SQUAREM), first to the loose tolerance, then the best to ``tol``.
        rows = np.sort(rng.choice(n, size=self.subsample, replace=False))
        small = data.subset(rows)
        z_small = _kmeans_starts(small.X, g, self.starts, rng)
        first = _em(model, small, z_small, scale2, loose, min(self.max_iter, _LOOSE_MAX_ITER))
        order = np.argsort(-first.loglik, kind="stable")[: self.refine]
        order = order[np.isfinite(first.loglik[order])]
        if not len(order):
            return first
        mix = _Mixture(first.mix.pro[order], first.mix.mean[order], first.mix.var[order])
        z0, _ = _e_step(model, mix, data)
        cap = min(self.max_iter, _LOOSE_MAX_ITER)
        runs = _stack(
            [_squarem(model, data, z0[i : i + 1], scale2, loose, cap) for i in range(len(z0))]
        )
        k = int(np.argmax(runs.loglik))
        if not np.isfinite(runs.loglik[k]) or self.tol >= loose:
            return runs
        final = _squarem(model, data, runs.z[k : k + 1], scale2, self.tol, self.max_iter)
        if not np.isfinite(final.loglik[0]):  # degenerated while polishing: keep the loose fit
            return runs
        return final

    def fit(self) -> LatentProfilesResults:
        """Fit every (model, G) from many starts and choose the largest BIC."""
        # The products here are thin (G rows against n couples): one BLAS thread does them as fast
        # as several, and threads that spin while waiting for a shared core slow them tenfold.
        with threadpool_limits(limits=1, user_api="blas"):
            return self._fit()

    def _fit(self) -> LatentProfilesResults:
        x = self.values
        n, d = x.shape
        centre = x.mean(axis=0)
        scale = float(np.sqrt(x.var(axis=0).mean()))
        data = _Data((x - centre) / scale)
        rng = np.random.default_rng(self.seed)
        solutions: list[_Solution] = []
        for model in self.models:
            for g in self.profiles:
                run = self._fit_one(model, g, data, scale**2, rng)
                k = int(np.argmax(run.loglik))
                npar = n_parameters(model, g, d)
                if not np.isfinite(run.loglik[k]):
                    solutions.append(
                        _Solution(model, g, math.nan, npar, math.nan, int(run.iterations[k]), False)
                    )
                    continue
                ll = float(run.loglik[k]) - n * d * math.log(scale)
                cov = _to_full(model, run.mix.var[k]) * scale**2
                solutions.append(
                    _Solution(
                        model,
                        g,
                        ll,
                        npar,
                        2 * ll - npar * math.log(n),
                        int(run.iterations[k]),
                        bool(run.converged[k]),
                        pro=run.mix.pro[k].copy(),
                        mean=run.mix.mean[k] * scale + centre,
                        cov=cov,
                        z=run.z[k].T.copy(),
                    )
                )
        return LatentProfilesResults(self, solutions)


class LatentProfilesResults:
    """Results of :class:`LatentProfiles`.

    Attributes
    ----------
    bic : DataFrame
        BIC (mclust's sign: larger is better) for every G (rows) and model (columns); NaN where the
        fit degenerated (a profile collapsed or a covariance became singular), as mclust's NA.
    loglik : DataFrame
        The maximised log-likelihood, same layout.
    model_name, n_profiles : str, int
        The chosen model and number of profiles (largest BIC).
    proportions : Series
        Mixing proportions π_k of the chosen fit.
    means : DataFrame
        Profile means (rows: profiles 1..G; columns: parameters).
    covariances : ndarray, shape (G, d, d)
        Profile covariance matrices.
    probabilities : DataFrame
        Each couple's posterior probability of each profile (rows: couples).
    classification : Series
        Each couple's most probable profile (1..G).
    """

    model = "profiles"
    title = "Latent profiles of couples (Gaussian mixture, chosen by BIC)"

    def __init__(self, spec: LatentProfiles, solutions: list[_Solution]) -> None:
        self.spec = spec
        self.solutions = {(s.model, s.n_profiles): s for s in solutions}
        self.columns = spec.columns
        self.n_couples, self.n_dims = spec.values.shape
        finite = [s for s in solutions if np.isfinite(s.bic)]
        if not finite:
            raise DyadDataError(
                "every mixture degenerated (singular covariances); try fewer profiles or a "
                "simpler covariance model"
            )
        # the first of equal maxima in the order tried (models, then G), as mclust's pickBIC
        self.best = max(finite, key=lambda s: s.bic)

    def _table(self, attr: str) -> pd.DataFrame:
        frame = pd.DataFrame(
            {
                m: [getattr(self.solutions[(m, g)], attr) for g in self.spec.profiles]
                for m in self.spec.models
            },
            index=pd.Index(self.spec.profiles, name="profiles"),
        )
        return frame.astype(float)

    @cached_property
    def bic(self) -> pd.DataFrame:
        return self._table("bic")

    @cached_property
    def loglik(self) -> pd.DataFrame:
        return self._table("loglik")

    @property
    def model_name(self) -> str:
        return self.best.model

    @property
    def n_profiles(self) -> int:
        return self.best.n_profiles

    @cached_property
    def profile_labels(self) -> list[str]:
        return [str(k + 1) for k in range(self.n_profiles)]

    @cached_property
    def proportions(self) -> pd.Series:
        assert self.best.pro is not None
        return pd.Series(
            self.best.pro, index=pd.Index(self.profile_labels, name="profile"), name="proportion"
        )

    @cached_property
    def means(self) -> pd.DataFrame:
        return pd.DataFrame(
            self.best.mean,
            index=pd.Index(self.profile_labels, name="profile"),
            columns=self.columns,
        )

    @cached_property
    def covariances(self) -> FloatArray:
        assert self.best.cov is not None
        return self.best.cov

    @cached_property
    def probabilities(self) -> pd.DataFrame:
        return pd.DataFrame(
            self.best.z,
            index=self.spec.frame.index,
            columns=[f"p_{k}" for k in self.profile_labels],
        )

    @cached_property
    def classification(self) -> pd.Series:
        labels = np.asarray(self.profile_labels)[self.probabilities.to_numpy().argmax(axis=1)]
        return pd.Series(labels, index=self.spec.frame.index, name="profile")

    @property
    def loglik_best(self) -> float:
        return self.best.loglik

    def to_frame(self) -> pd.DataFrame:
        """One row per couple: the parameters, the profile probabilities and the chosen profile."""
        out = pd.concat([self.spec.frame, self.probabilities], axis=1)
        out["profile"] = self.classification
        out["uncertainty"] = 1.0 - self.probabilities.max(axis=1)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: BIC table, chosen model, means, covariances, proportions, per-couple numbers."""
        bic = {m: {str(g): v for g, v in self.bic[m].items()} for m in self.spec.models}
        couples = [
            {
                "dyad": jsonable(idx),
                "profile": lab,
                "probabilities": [float(p) for p in row],
            }
            for idx, lab, row in zip(
                self.probabilities.index,
                self.classification.to_numpy(),
                self.probabilities.to_numpy(),
                strict=True,
            )
        ]
        return jsonable(
            {
                "model": self.model,
                "n_dyads": self.n_couples,
                "estimates_model": self.spec.estimates_model,
                "n_left_out": self.spec.n_left_out,
                "parameters": list(self.columns),
                "covariance_model": self.model_name,
                "n_profiles": self.n_profiles,
                "loglik": self.best.loglik,
                "n_params": self.best.n_params,
                "bic": self.best.bic,
                "bic_table": bic,
                "iterations": self.best.iterations,
                "converged": self.best.converged,
                "proportions": self.proportions.tolist(),
                "means": self.means.to_numpy().tolist(),
                "covariances": self.covariances.tolist(),
                "dyads": couples,
            }
        )

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON text."""
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    def summary(self, max_rows: int = 20) -> str:
        """Readable report: chosen model, BIC table, profiles, then the first couples."""
        lines = [self.title, "=" * len(self.title)]
        facts = [("couples", str(self.n_couples))]
        if self.spec.n_left_out:
            facts.append(("left out", f"{self.spec.n_left_out} couples the model could not fit"))
        if self.spec.estimates_model is not None:
            facts.append(("estimates of", f"{self.spec.estimates_model} (one row per couple)"))
        facts += [
            ("parameters", ", ".join(self.columns)),
            ("chosen", f"{self.model_name} with {self.n_profiles} profile(s)"),
            ("BIC (2·loglik − k·log n)", f"{self.best.bic:.3f}"),
            ("log-likelihood", f"{self.best.loglik:.3f} ({self.best.n_params} parameters)"),
            (
                "EM",
                f"{'converged' if self.best.converged else 'NOT converged'} after "
                f"{self.best.iterations} iterations (max_iter {self.spec.max_iter})",
            ),
        ]
        width = max(len(k) for k, _ in facts)
        lines += [f"{k.ljust(width)}  {v}" for k, v in facts]
        lines += ["", "BIC by number of profiles and covariance model (— = degenerate)"]
        lines.append(text_table(self.bic, digits=3, index_name="G"))
        prof = self.means.copy()
        prof.insert(0, "proportion", self.proportions)
        prof.insert(1, "couples", self.classification.value_counts().reindex(prof.index).fillna(0))
        lines += ["", "Profiles (means)", text_table(prof, index_name="profile")]
        head = self.to_frame().drop(columns=self.columns).head(max_rows)
        lines += ["", "Couples", text_table(head, index_name="dyad")]
        if self.n_couples > max_rows:
            lines.append(f"… {self.n_couples - max_rows} more couples (use --json or to_frame())")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


# -- simulation and agreement between partitions ---------------------------------------------------
def simulate_profiles(
    n_couples: int = 300,
    seed: int | None = None,
    *,
    means: Sequence[Sequence[float]] = ((0.0, 0.0), (4.0, 0.0), (0.0, 4.0)),
    sds: Sequence[Sequence[float]] | None = None,
    correlations: Sequence[float] | None = None,
    proportions: Sequence[float] | None = None,
) -> tuple[pd.DataFrame, NDArray[np.int64]]:
    """Parameter vectors of couples drawn from known profiles.

    Each profile k has mean ``means[k]``, SDs ``sds[k]`` (default 1) and, in two dimensions or more,
    one correlation ``correlations[k]`` between every pair of parameters (default 0). Returns the
    data (columns ``x1..xd``, index ``dyad`` 1..n) and each couple's true profile (0-based).

    Examples
    --------
    >>> df, truth = simulate_profiles(10, seed=0)
    >>> df.shape, truth.shape
    ((10, 2), (10,))
    """
    rng = np.random.default_rng(seed)
    mu = np.asarray(means, dtype=float)
    g, d = mu.shape
    sd = np.ones((g, d)) if sds is None else np.asarray(sds, dtype=float)
    rho = np.zeros(g) if correlations is None else np.asarray(correlations, dtype=float)
    pro = np.full(g, 1.0 / g) if proportions is None else np.asarray(proportions, dtype=float)
    truth = rng.choice(g, size=n_couples, p=pro / pro.sum())
    x = np.empty((n_couples, d))
    for k in range(g):
        corr = np.full((d, d), rho[k])
        np.fill_diagonal(corr, 1.0)
        cov = corr * np.outer(sd[k], sd[k])
        rows = truth == k
        x[rows] = rng.multivariate_normal(mu[k], cov, size=int(rows.sum()), method="cholesky")
    frame = pd.DataFrame(
        x,
        columns=[f"x{j + 1}" for j in range(d)],
        index=pd.Index(np.arange(1, n_couples + 1), name="dyad"),
    )
    return frame, truth


def adjusted_rand_index(a: ArrayLike, b: ArrayLike) -> float:
    """Hubert and Arabie's adjusted Rand index of two partitions (1 identical, ≈0 by chance).

    Examples
    --------
    >>> adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    _, ia = np.unique(np.asarray(a), return_inverse=True)
    _, ib = np.unique(np.asarray(b), return_inverse=True)
    table = np.zeros((ia.max() + 1, ib.max() + 1))
    np.add.at(table, (ia, ib), 1)

    def pairs(v: FloatArray) -> float:
        return float((v * (v - 1) / 2).sum())

    n = len(ia)
    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2)
    top = (rows + cols) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)
