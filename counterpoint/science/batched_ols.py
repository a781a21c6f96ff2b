"""Batched least squares for the per-dyad models: one small OLS per (dyad, role), all at once.

Shared by the inertia–coordination model (:mod:`~counterpoint.science.inertia_coordination`) and the
coupled oscillator (:mod:`~counterpoint.science.oscillator`): detrending, the batched normal-equation
solve, R's uncentred adjusted R², and the reasons a dyad's series cannot carry a model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "CHUNK_VALUES",
    "RoleFits",
    "by_chunks",
    "detrend_by_person",
    "lag_series",
    "ols_by_role",
    "series_reasons",
    "solve_gram",
    "uncentred_adj_r2",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

# A design whose column-scaled cross-product has a smaller eigenvalue than this is treated as
# singular (its columns are collinear to about 1e-6 in correlation), as R's lm would alias a column.
_SINGULAR_EIGENVALUE = 1e-12


CHUNK_VALUES = 1 << 20
"""Values per block of dyads in :func:`by_chunks` (8 MB of float64 per ``(dyads, 2, T)`` array)."""


def by_chunks(
    fit: Callable[[FloatArray], dict[str, Any]], values: FloatArray, size: int = CHUNK_VALUES
) -> dict[str, Any]:
    """``fit(values)``, run on blocks of consecutive dyads and joined again along the dyad axis.

    Every per-dyad kernel computes each dyad's numbers from that dyad's rows alone, so the result
    is the same, bit for bit, as one call on all dyads; but each block's temporary arrays stay a
    few megabytes: they fit in the cache and come back from the heap, where arrays of tens of
    megabytes would be mapped afresh (and the kernel would zero their pages) every time. ``fit``
    returns a dict of arrays with the dyads along the first axis (nested dicts allowed); anything
    else (e.g. the grid of the coupled oscillator) is taken from the first block.

    >>> double = lambda v: {"sum": v.sum(axis=(1, 2)), "grid": [1, 2]}
    >>> by_chunks(double, np.ones((5, 2, 3)), size=12)["sum"].tolist()
    [6.0, 6.0, 6.0, 6.0, 6.0]
    """
    rows = max(1, size // max(1, values[0].size)) if len(values) else 1
    if len(values) <= rows:
        return fit(values)
    return _join([fit(values[i : i + rows]) for i in range(0, len(values), rows)])


def _join(parts: list[Any]) -> Any:
    first = parts[0]
    if isinstance(first, dict):
        return {key: _join([part[key] for part in parts]) for key in first}
    if isinstance(first, np.ndarray) and first.ndim > 0:
        return np.concatenate(parts)
    return first


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
    # a series with no point (or a single one) has no mean (or slope): NaN before dividing
    n_safe = np.where(n > 0, n, np.nan)
    t_mean = np.where(seen, t, 0.0).sum(axis=-1, keepdims=True) / n_safe
    y_mean = np.where(seen, values, 0.0).sum(axis=-1, keepdims=True) / n_safe
    tc = np.where(seen, t - t_mean, 0.0)
    yc = np.where(seen, values - y_mean, 0.0)
    stt = (tc * tc).sum(axis=-1, keepdims=True)
    slope = (tc * yc).sum(axis=-1, keepdims=True) / np.where(stt > 0, stt, np.nan)
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
    defined = (n > p) & (yy > 0)
    r2 = 1.0 - rss / np.where(defined, yy, np.nan)
    adj = 1.0 - (1.0 - r2) * n / np.where(defined, n - p, np.nan)
    return np.where(defined, adj, np.nan)


def lag_series(values: FloatArray, lag: int) -> FloatArray:
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
    # a constant comes first: two constant partners are also "identical" series, but the
    # reader needs to hear that the variable never varies
    for d in np.flatnonzero((n_seen < 3).any(axis=-1) | flat.any(axis=-1) | identical | parallel):
        if (n_seen[d] < 3).any():
            g = int(np.argmin(n_seen[d]))
            reasons[d] = (
                f"too few observations: role {roles[g]} has {n_seen[d, g]} (need at least 3)"
            )
        elif flat[d].any():
            g = int(np.argmax(flat[d]))
            seen = raw[d, g][np.isfinite(raw[d, g])]
            if np.ptp(seen) <= 1e-12 * max(float(np.abs(seen).max()), 1.0):
                reasons[d] = (
                    f"the series of role {roles[g]} never varies (every value is {seen[0]:g}): "
                    "a constant has nothing to model"
                )
            else:
                reasons[d] = (
                    f"the series of role {roles[g]} is a straight line (no variation around its "
                    "trend), nothing to model"
                )
        elif identical[d]:
            reasons[d] = (
                "the two partners' series are identical, so own and partner effects cannot be separated"
            )
        else:
            reasons[d] = (
                "the two partners' series are identical after detrending (they differ only by a "
                "straight line), so own and partner effects cannot be separated"
            )
    return reasons
