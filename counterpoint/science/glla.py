"""Generalised Local Linear Approximation (GLLA) of derivatives, batched over any leading axes.

Boker's GLLA estimates a series' level, first and second derivative at each time point from a
time-delay embedding: rows ``[x_t, x_t+τ, …, x_t+(E−1)τ]`` times a fixed weight matrix ``W``.
Everything here works on arrays of shape ``(..., T)`` so that all dyads and both partners are
handled in one call; NaN (padding or missing values) propagates to the rows that touch it.

References
----------
Boker, S. M., Deboeck, P. R., Edler, C., & Keel, P. K. (2010). Generalized local linear
approximation of derivatives from time series. In S.-M. Chow, E. Ferrer & F. Hsieh (Eds.),
*Statistical methods for modeling human dynamics* (pp. 161–178). Routledge.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "glla_derivative_series",
    "glla_derivatives",
    "glla_embed",
    "glla_loading_matrix",
    "glla_weights",
]

FloatArray = NDArray[np.float64]


def _check_grid(tau: int, embed: int, order: int) -> None:
    if int(tau) != tau or tau < 1:
        raise ValueError(f"tau must be a positive integer, got {tau!r}")
    if int(embed) != embed or embed < order + 1:
        raise ValueError(
            f"embed must be an integer of at least order + 1 = {order + 1}, got {embed!r}"
        )


def glla_loading_matrix(tau: int, embed: int, delta: float = 1.0, order: int = 2) -> FloatArray:
    """The GLLA loading matrix ``L`` (``embed`` × ``order + 1``).

    Column ``i`` holds ``((j − m)·τ·Δ)^i / i!`` for ``j = 1..E`` and ``m = (E + 1) / 2``: the
    Taylor-expansion weights of the ``i``-th derivative around the centre of the window.

    Examples
    --------
    >>> glla_loading_matrix(tau=1, embed=3)
    array([[ 1. , -1. ,  0.5],
           [ 1. ,  0. ,  0. ],
           [ 1. ,  1. ,  0.5]])
    """
    _check_grid(tau, embed, order)
    offsets = (np.arange(1, embed + 1) - (embed + 1) / 2) * tau * delta
    return np.column_stack([offsets**i / math.factorial(i) for i in range(order + 1)])


def glla_weights(tau: int, embed: int, delta: float = 1.0, order: int = 2) -> FloatArray:
    """The GLLA weight matrix ``W = L(LᵀL)⁻¹`` (``embed`` × ``order + 1``).

    Multiplying an embedded row by ``W`` gives the level and the derivatives at the window centre.

    Examples
    --------
    With τ = 1 and E = 3 the weights are the familiar central differences:

    >>> glla_weights(tau=1, embed=3)
    array([[ 0. , -0.5,  1. ],
           [ 1. ,  0. , -2. ],
           [ 0. ,  0.5,  1. ]])
    """
    loading = glla_loading_matrix(tau, embed, delta, order)
    return loading @ np.linalg.inv(loading.T @ loading)


def glla_embed(x: FloatArray, tau: int, embed: int) -> FloatArray:
    """Time-delay embedding along the last axis, batched over the leading axes.

    Parameters
    ----------
    x : ndarray, shape (..., T)
        Series; NaN is carried through.
    tau : int
        Delay between the columns of the embedding, in occasions.
    embed : int
        Number of columns (the embedding dimension E).

    Returns
    -------
    ndarray, shape (..., T − (E − 1)·τ, E)
        Row ``k`` is ``[x_k, x_k+τ, …, x_k+(E−1)τ]``. A read-only view when possible; zero rows
        when the series is shorter than the window.

    Examples
    --------
    >>> glla_embed(np.arange(6.0), tau=2, embed=3)
    array([[0., 2., 4.],
           [1., 3., 5.]])
    """
    x = np.asarray(x, dtype=float)
    span = (embed - 1) * tau + 1
    if x.shape[-1] < span:
        return np.empty((*x.shape[:-1], 0, embed))
    windows = np.lib.stride_tricks.sliding_window_view(x, span, axis=-1)
    return windows[..., ::tau]


def glla_derivatives(
    x: FloatArray, tau: int, embed: int, delta: float = 1.0, order: int = 2
) -> FloatArray:
    """Level and derivatives by GLLA for every window, batched over the leading axes.

    Parameters
    ----------
    x : ndarray, shape (..., T)
        Equally spaced series (e.g. ``(n_dyads, 2, T_max)`` padded with NaN).
    tau, embed : int
        Delay and embedding dimension.
    delta : float
        Interval between occasions, in the time unit the derivatives should be expressed in.
    order : int
        Highest derivative (2 for the coupled-oscillator model).

    Returns
    -------
    ndarray, shape (..., T − (E − 1)·τ, order + 1)
        ``[..., k, 0]`` is the smoothed level, ``[..., k, 1]`` the first and ``[..., k, 2]`` the
        second derivative at the centre of window ``k``; NaN where the window touches a NaN.

    Examples
    --------
    A parabola ``x = t²`` has level ``t²``, first derivative ``2t`` and second derivative 2; the
    first window (t = 0, 2, 4) is centred on t = 2:

    >>> t = np.arange(8.0)
    >>> glla_derivatives(t**2, tau=2, embed=3)[0].tolist()
    [4.0, 4.0, 2.0]
    """
    _check_grid(tau, embed, order)
    weights = glla_weights(tau, embed, delta, order)
    return glla_embed(x, tau, embed) @ weights


def glla_derivative_series(
    x: FloatArray, tau: int, embed: int, delta: float = 1.0, order: int = 2
) -> FloatArray:
    """The same estimates as :func:`glla_derivatives`, laid out derivative-major.

    Computed as ``Σ_j W[j, i] · x[k + jτ]`` over a strided view of the windows, for all series at
    once, giving rows along time, the layout that batched cross-products (``B @ Bᵀ``) want.

    Returns
    -------
    ndarray, shape (..., order + 1, T − (E − 1)·τ)
        ``[..., i, k]`` is the ``i``-th derivative (0 = level) at the centre of window ``k``.

    Examples
    --------
    >>> t = np.arange(8.0)
    >>> glla_derivative_series(t**2, tau=2, embed=3)[:, 0].tolist()
    [4.0, 4.0, 2.0]
    """
    _check_grid(tau, embed, order)
    weights = glla_weights(tau, embed, delta, order)
    x = np.asarray(x, dtype=float)
    rows = x.shape[-1] - (embed - 1) * tau
    if rows <= 0:
        return np.zeros((*x.shape[:-1], order + 1, 0))
    # one einsum over the windows (a strided view, no copies of x); the result is contiguous in the
    # (..., order + 1, K) layout the cross-products read, several times faster than stacking copies
    windows = glla_embed(x, tau, embed)  # (..., K, E)
    return np.einsum("...ke,ei->...ik", windows, weights)
