"""GLLA weights, embedding and batched derivatives."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from counterpoint.science.glla import (
    glla_derivative_series,
    glla_derivatives,
    glla_embed,
    glla_loading_matrix,
    glla_weights,
)


def test_weights_agree_with_r(results_dir: Path) -> None:
    ref = json.loads((results_dir / "clo" / "clo_reference.json").read_text())
    for (tau, embed), flat in zip(ref["grid"], ref["glla_weights"], strict=True):
        # L %*% solve(t(L) %*% L), L = cbind(1, off, off^2 / 2), off = (1:E - (E + 1) / 2) * tau
        assert_allclose(
            glla_weights(tau, embed), np.reshape(flat, (embed, 3)), rtol=1e-10, atol=1e-14
        )


def test_tau_one_embed_three_is_central_differences() -> None:
    w = glla_weights(1, 3)
    assert_allclose(w[:, 1], [-0.5, 0.0, 0.5], atol=1e-14)
    assert_allclose(w[:, 2], [1.0, -2.0, 1.0], atol=1e-14)


def test_weights_reproduce_the_loading_matrix() -> None:
    # Wᵀ L = I: the weights recover level, slope and curvature of a quadratic exactly
    for tau, embed, delta in [(1, 3, 1.0), (4, 5, 1.0), (2, 7, 0.5)]:
        loading = glla_loading_matrix(tau, embed, delta)
        assert_allclose(glla_weights(tau, embed, delta).T @ loading, np.eye(3), atol=1e-10)


def test_quadratic_derivatives_are_exact_with_delta() -> None:
    delta = 0.5
    t = np.arange(40) * delta
    x = 3.0 - 2.0 * t + 0.75 * t**2
    d = glla_derivatives(x, tau=3, embed=5, delta=delta)
    centre = t[6 : 6 + d.shape[0]]  # window k is centred on occasion k + (E − 1)τ/2 = k + 6
    assert_allclose(d[:, 0], 3.0 - 2.0 * centre + 0.75 * centre**2, rtol=1e-10)
    assert_allclose(d[:, 1], -2.0 + 1.5 * centre, rtol=1e-10, atol=1e-10)
    assert_allclose(d[:, 2], 1.5, rtol=1e-10)


def test_embedding_rows_and_short_series() -> None:
    emb = glla_embed(np.arange(10.0), tau=3, embed=3)
    assert emb.shape == (4, 3)
    assert emb[1].tolist() == [1.0, 4.0, 7.0]
    assert glla_embed(np.arange(4.0), tau=2, embed=3).shape == (0, 3)


def test_batched_equals_one_series_at_a_time_and_nan_stays_local() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 2, 30))
    x[1, 0, 10] = np.nan
    batched = glla_derivatives(x, tau=2, embed=4)
    for d in range(3):
        for g in range(2):
            assert_allclose(batched[d, g], glla_derivatives(x[d, g], tau=2, embed=4))
    bad_rows = np.flatnonzero(np.isnan(batched[1, 0]).any(axis=-1))
    assert bad_rows.tolist() == [4, 6, 8, 10]  # the windows that contain occasion 10
    assert np.isfinite(batched[0]).all()


@pytest.mark.parametrize(("tau", "embed"), [(0, 3), (1, 2), (1.5, 3)])
def test_bad_grid_is_refused(tau: float, embed: int) -> None:
    with pytest.raises(ValueError, match=r"tau|embed"):
        glla_weights(tau, embed)  # type: ignore[arg-type]


def test_derivative_series_is_the_same_estimate_laid_out_by_derivative() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 2, 50))
    x[2, 1, 20] = np.nan
    for tau, embed in [(1, 3), (4, 5), (5, 4)]:
        series = glla_derivative_series(x, tau, embed, delta=0.5)
        assert_allclose(
            np.moveaxis(series, -2, -1), glla_derivatives(x, tau, embed, delta=0.5), rtol=1e-12
        )
    assert glla_derivative_series(np.arange(3.0), tau=2, embed=3).shape == (3, 0)
