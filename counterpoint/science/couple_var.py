"""Per-couple VAR(1) (model 5): each couple's carry-over, partner influence and same-occasion covariation.

For one couple, with roles 0 and 1 and the lagged values centred within person (as in model 4)::

    y_0,t = c_0 + a_0 · y_0,t−1 + p_0 · y_1,t−1 + e_0,t
    y_1,t = c_1 + a_1 · y_1,t−1 + p_1 · y_0,t−1 + e_1,t

``a_R`` is R's inertia (emotional carry-over), ``p_R`` the partner effect *on* R: R is the receiver
and the partner the sender. Both equations use the same rows, the couple's usable occasions (both
partners have a value now and at the previous occasion of the same day), so this is the couple's
VAR(1) fitted by OLS equation by equation. All couples are estimated at once: the normal equations
of every couple are 2 × 2 systems (after centring the predictors on the usable rows), solved in
closed form on stacked arrays — no loop over couples.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from counterpoint.science.batched_ols import by_chunks
from counterpoint.science.numerics import Z95, t_quantile
from counterpoint.science.panels import (
    LagPanel,
    data_values,
    lag_panel,
    refuse_constant,
    role_labels,
)
from counterpoint.science.results import PerDyadResults

if TYPE_CHECKING:
    from counterpoint.science.arrays import DyadArrays
    from counterpoint.science.data import DyadicData

__all__ = ["MIN_OCCASIONS", "CoupleVAR", "CoupleVARResults", "couple_var_arrays"]

MIN_OCCASIONS = 30
"""Usable occasions a couple needs before estimates are shown (see docs/science/var.md for why)."""

_COLLINEAR = 1e-10  # 1 − r² of the two lagged series below which they count as collinear
_EFFECTS = ("intercept", "actor", "partner")
_STD_EFFECTS = ("actor", "partner")


def _nan_where(bad: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.asarray(values, dtype=np.float64).copy()
    out[bad] = np.nan
    return out


def couple_var_arrays(
    values: np.ndarray | LagPanel, min_occasions: int = MIN_OCCASIONS
) -> dict[str, np.ndarray]:
    """Fit the per-couple VAR(1) to every couple in a padded ``(n_couples, 2, T)`` array.

    Parameters
    ----------
    values : ndarray or LagPanel
        ``values[d, g, t]`` is partner ``g`` of couple ``d`` at position ``t``; NaN where there is no
        value (missing occasions, and a NaN position between days so that lags never cross a night),
        as :meth:`DyadicData.to_arrays` lays them out.
    min_occasions : int
        Couples with fewer usable occasions get NaN and a reason.

    Returns
    -------
    dict of ndarray
        One array of length ``n_couples`` per quantity, keyed ``"<quantity>@<g>"`` for role ``g``
        (``intercept``, ``actor``, ``partner``, ``std_actor``, ``std_partner`` and ``se_``,
        ``ci_low_``, ``ci_high_`` versions), plus ``resid_corr`` (with ``ci_low_``/``ci_high_``),
        ``n_occasions`` and ``reason`` (object array: None or text).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = rng.standard_normal((3, 2, 50))
    >>> y[2, 1] = 4.0  # a partner who always answers 4
    >>> out = couple_var_arrays(y)
    >>> out["n_occasions"].tolist()
    [49, 49, 49]
    >>> out["reason"][2]
    "role 1's values never vary over the usable occasions"
    >>> couple_var_arrays(y[:, :, :20])["reason"][0]
    'not enough data: 19 usable occasions, at least 30 needed'
    """
    panel = values if isinstance(values, LagPanel) else lag_panel(values)
    use = panel.usable[:, 0] & panel.usable[:, 1]
    n = use.sum(axis=1).astype(np.float64)
    nn = np.maximum(n, 1.0)
    # predictors: role 0's and role 1's own centred lags (role 0's "partner" lag is role 1's own)
    x = [np.where(use, panel.own[:, g], 0.0) for g in (0, 1)]
    y = [np.where(use, panel.y[:, g], 0.0) for g in (0, 1)]
    xbar = [xi.sum(axis=1) / nn for xi in x]
    ybar = [yi.sum(axis=1) / nn for yi in y]
    dx = [np.where(use, x[g] - xbar[g][:, None], 0.0) for g in (0, 1)]
    dy = [np.where(use, y[g] - ybar[g][:, None], 0.0) for g in (0, 1)]
    s00 = np.einsum("nt,nt->n", dx[0], dx[0])
    s11 = np.einsum("nt,nt->n", dx[1], dx[1])
    s01 = np.einsum("nt,nt->n", dx[0], dx[1])
    syy = [np.einsum("nt,nt->n", d, d) for d in dy]
    det = s00 * s11 - s01 * s01
    collinear = ~(det > _COLLINEAR * s00 * s11)
    safe_det = np.where(collinear, 1.0, det)  # positive: det ≤ s00·s11 and det > 0 where used
    inv00, inv11, inv01 = s11 / safe_det, s00 / safe_det, -s01 / safe_det

    reason = np.full(len(n), None, dtype=object)
    _explain(reason, panel, use, n, s00, s11, syy, collinear, min_occasions)

    out: dict[str, np.ndarray] = {"n_occasions": n.astype(np.int64)}
    resid = []
    # Quantities that are undefined for a couple (too few occasions, an outcome that never varies)
    # are NaN before any division, so the arithmetic below stays quiet; such couples carry a reason
    # and their estimates are set to NaN at the end anyway.
    dof = np.where(n > 3, n - 3, np.nan)
    syy = [np.where(s > 0, s, np.nan) for s in syy]
    tq = t_quantile(0.95, dof)
    for g in (0, 1):
        sxy0 = np.einsum("nt,nt->n", dx[0], dy[g])
        sxy1 = np.einsum("nt,nt->n", dx[1], dy[g])
        b0 = inv00 * sxy0 + inv01 * sxy1  # slope on role 0's lag
        b1 = inv01 * sxy0 + inv11 * sxy1  # slope on role 1's lag
        e = dy[g] - b0[:, None] * dx[0] - b1[:, None] * dx[1]
        resid.append(e)
        rss = np.einsum("nt,nt->n", e, e)
        s2 = rss / dof
        if g == 0:
            actor, partner = b0, b1
            v_actor, v_partner = s2 * inv00, s2 * inv11
            sd_actor_x, sd_partner_x = s00, s11
        else:
            actor, partner = b1, b0
            v_actor, v_partner = s2 * inv11, s2 * inv00
            sd_actor_x, sd_partner_x = s11, s00
        intercept = ybar[g] - b0 * xbar[0] - b1 * xbar[1]
        quad = xbar[0] ** 2 * inv00 + 2 * xbar[0] * xbar[1] * inv01 + xbar[1] ** 2 * inv11
        v_int = s2 * (1.0 / nn + quad)
        ests = {"intercept": intercept, "actor": actor, "partner": partner}
        ses = {
            "intercept": np.sqrt(v_int),
            "actor": np.sqrt(v_actor),
            "partner": np.sqrt(v_partner),
        }
        # standardised: coefficient × sd(predictor) / sd(outcome), sds over the usable occasions
        scale = {
            "actor": np.sqrt(sd_actor_x / syy[g]),
            "partner": np.sqrt(sd_partner_x / syy[g]),
        }
        for name in _EFFECTS:
            est, se = ests[name], ses[name]
            out[f"{name}@{g}"] = est
            out[f"se_{name}@{g}"] = se
            out[f"ci_low_{name}@{g}"] = est - tq * se
            out[f"ci_high_{name}@{g}"] = est + tq * se
        for name in _STD_EFFECTS:
            k = scale[name]
            for prefix in ("", "se_", "ci_low_", "ci_high_"):
                out[f"{prefix}std_{name}@{g}"] = out[f"{prefix}{name}@{g}"] * k
    den = np.sqrt(
        np.einsum("nt,nt->n", resid[0], resid[0]) * np.einsum("nt,nt->n", resid[1], resid[1])
    )
    r = np.einsum("nt,nt->n", resid[0], resid[1]) / np.where(den > 0, den, np.nan)
    # Fisher z with the partial-correlation standard error 1/sqrt(n − 2 − 3); |r| = 1 maps to
    # ±inf (so the interval is the point ±1), computed without taking arctanh(±1)
    inner = np.abs(r) < 1
    edge = np.where(np.isnan(r), np.nan, np.copysign(np.inf, r))
    z = np.where(inner, np.arctanh(np.where(inner, r, 0.0)), edge)
    half = Z95 / np.sqrt(np.where(n > 5, n - 5, np.nan))
    out["resid_corr"] = r
    out["ci_low_resid_corr"] = np.tanh(z - half)
    out["ci_high_resid_corr"] = np.tanh(z + half)
    bad = reason != None  # noqa: E711 - elementwise on an object array
    for key in list(out):
        if key != "n_occasions":
            out[key] = _nan_where(bad, out[key])
    out["reason"] = reason
    return out


def _explain(
    reason: np.ndarray,
    panel: LagPanel,
    use: np.ndarray,
    n: np.ndarray,
    s00: np.ndarray,
    s11: np.ndarray,
    syy: list[np.ndarray],
    collinear: np.ndarray,
    min_occasions: int,
) -> None:
    """Fill ``reason`` (in place) for couples whose estimates would be missing or meaningless."""
    need = max(int(min_occasions), 6)  # 6: three coefficients, then the residual correlation's CI
    for i in np.flatnonzero(n < need):
        reason[i] = f"not enough data: {int(n[i])} usable occasions, at least {need} needed"
    tiny = 1e-12
    for g in (0, 1):
        flat = (np.asarray(syy[g]) <= tiny) | ((s00 if g == 0 else s11) <= tiny)
        for i in np.flatnonzero(flat & (reason == None)):  # noqa: E711
            reason[i] = f"role {g}'s values never vary over the usable occasions"
    same = np.all(~use | (panel.y[:, 0] == panel.y[:, 1]), axis=1)
    for i in np.flatnonzero(same & (reason == None)):  # noqa: E711
        reason[i] = "the two partners' series are identical; their effects cannot be told apart"
    for i in np.flatnonzero(collinear & (reason == None)):  # noqa: E711
        reason[i] = (
            "the two partners' previous values move in lockstep; their effects cannot be told apart"
        )


class CoupleVAR:
    """Per-couple VAR(1) interdependence indices for every couple at once (SCIENCE.md model 5).

    Parameters
    ----------
    data : DyadicData
        Long-format data with a time column (integer occasion numbers; e.g. day numbers for a daily
        diary) and optionally a day column for several beeps a day.
    var : str
        The variable, e.g. ``"mood"``.
    min_occasions : int, default :data:`MIN_OCCASIONS` (30)
        Couples with fewer usable occasions get NaN and the reason "not enough data: …".

    Examples
    --------
    >>> from counterpoint.science.data import DyadicData
    >>> from counterpoint.science.mlvar import simulate_var
    >>> df = simulate_var(3, n_days=60, seed=2, actor=(0.5, 0.3), partner=(0.2, 0.0))
    >>> data = DyadicData(df, dyad="dyad", person="person", role="role", time="time")
    >>> res = CoupleVAR(data, "y").fit()
    >>> int(res.table.loc[1, "n_occasions"]), res.table.loc[1, "reason"]
    (59, None)
    >>> short = CoupleVAR(data, "y", min_occasions=100).fit()
    >>> short.table.loc[1, "reason"]
    'not enough data: 59 usable occasions, at least 100 needed'
    """

    def __init__(
        self, data: DyadicData | DyadArrays, var: str, *, min_occasions: int = MIN_OCCASIONS
    ) -> None:
        self.data = data
        self.var = var
        self.min_occasions = int(min_occasions)

    def fit(self, *, whole_file: bool = True) -> CoupleVARResults:
        """Estimate every couple's VAR(1); a variable constant in the whole data is refused.
        ``whole_file=False`` (one part of a partitioned file) leaves a variable constant in this
        part to each couple's reason: other parts may vary."""
        values = data_values(self.data, self.var)
        if whole_file:
            refuse_constant(values, self.var)
        arrays = by_chunks(lambda v: couple_var_arrays(v, self.min_occasions), values)
        return CoupleVARResults(
            arrays,
            dyad_ids=self.data.dyad_ids,
            roles=role_labels(self.data),
            var=self.var,
            min_occasions=self.min_occasions,
        )


class CoupleVARResults(PerDyadResults):
    """Estimates of :class:`CoupleVAR`, one row per couple in :attr:`table`.

    Columns, for each role value ``R``: ``intercept@R``, ``actor@R`` (R's inertia), ``partner@R`` (the
    effect of the partner's previous value on R: the partner sends, R receives), ``std_actor@R`` and
    ``std_partner@R`` (standardised: coefficient × sd(predictor) / sd(R's outcome), both sds over the
    couple's usable occasions), with ``se_``, ``ci_low_`` and ``ci_high_`` columns (95%, t with
    ``n − 3`` df; standardised CIs are the raw CIs scaled by the same ratio); ``resid_corr`` (same-
    occasion residual correlation, Fisher-z CI); ``n_occasions``; ``reason``.
    """

    model = "couple-var"
    title = "Per-couple VAR(1)"

    def __init__(
        self,
        arrays: dict[str, np.ndarray],
        *,
        dyad_ids: np.ndarray,
        roles: tuple[str, str],
        var: str,
        min_occasions: int,
    ) -> None:
        self._arrays = arrays
        self.dyad_ids = dyad_ids
        self.roles = roles
        self.var = var
        self.min_occasions = min_occasions
        self.param_names = [
            *(f"{name}@{r}" for r in roles for name in _EFFECTS),
            *(f"std_{name}@{r}" for r in roles for name in _STD_EFFECTS),
            "resid_corr",
        ]
        self.extra_columns = [
            "n_occasions",
            *(
                f"{prefix}{name}@{r}"
                for r in roles
                for name in (*_EFFECTS, *(f"std_{n}" for n in _STD_EFFECTS))
                for prefix in ("se_", "ci_low_", "ci_high_")
            ),
            "ci_low_resid_corr",
            "ci_high_resid_corr",
        ]

    def _table_columns(self) -> dict[str, Any]:
        """One column per quantity: estimates, SEs, CIs, ``n_occasions`` and ``reason``."""
        rename = {f"@{g}": f"@{r}" for g, r in enumerate(self.roles)}
        cols: dict[str, Any] = {}
        for key, value in self._arrays.items():
            name = key
            for old, new in rename.items():
                if key.endswith(old):
                    name = key[: -len(old)] + new
            cols[name] = value
        return {name: cols[name] for name in [*self.param_names, *self.extra_columns, "reason"]}

    def extra(self) -> dict[str, Any]:
        return {"var": self.var, "min_occasions": self.min_occasions}

    def summary(self, max_rows: int = 30) -> str:
        """A readable table of the main indices per couple (all columns: :meth:`to_frame`)."""
        cols = [
            *(f"{kind}@{r}" for r in self.roles for kind in ("actor", "partner")),
            *(f"std_{kind}@{r}" for r in self.roles for kind in ("actor", "partner")),
            "resid_corr",
            "n_occasions",
        ]
        n = len(self.dyad_ids)
        lines = [
            f"{self.title}: {self.var}",
            "=" * 40,
            f"couples  {n}   (partner@R: effect of the partner's previous value on R)",
            "",
            self.shown(cols, max_rows, index_name="couple"),
        ]
        if n > max_rows:
            lines.append(f"… {n - max_rows} more couples (use to_frame())")
        failed = self.failures()
        if failed:
            lines += ["", f"{len(failed)} couple(s) without estimates:"]
            lines += [f"  couple {d}: {r}" for d, r in failed[:max_rows]]
        return "\n".join(lines)
