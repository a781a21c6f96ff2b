"""Lagged panels for the VAR models: outcome and within-person-centred lags on a padded grid.

Shared by the multilevel VAR (:mod:`~counterpoint.science.mlvar`) and the per-couple VAR
(:mod:`~counterpoint.science.couple_var`), so both use the same lags and the same usable rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from counterpoint.science.errors import DyadDataError

if TYPE_CHECKING:
    from counterpoint.science.arrays import DyadArrays
    from counterpoint.science.data import DyadicData

__all__ = [
    "LagPanel",
    "data_panel",
    "data_values",
    "lag_panel",
    "one_value",
    "refuse_constant",
    "refuse_constant_range",
    "role_labels",
]


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
    seen = np.isfinite(y)
    count = seen.sum(axis=2)
    # a person with no value has a NaN mean (NaN before dividing: no 0/0)
    means = np.where(seen, y, 0.0).sum(axis=2) / np.where(count > 0, count, np.nan)
    lag = np.full_like(y, np.nan)
    lag[..., 1:] = y[..., :-1]
    own = lag - means[..., None]
    partner = lag[:, ::-1] - means[:, ::-1, None]
    usable = np.isfinite(y) & np.isfinite(own) & np.isfinite(partner)
    return LagPanel(y=y, own=own, partner=partner, usable=usable, means=means)


def data_values(data: DyadicData | DyadArrays, var: str) -> np.ndarray:
    """The padded values of ``var`` for the VAR models, which need a time column."""
    if data.time_col is None:
        raise DyadDataError("the VAR models need a time column (integer occasion numbers)")
    return data.to_arrays(var)


def refuse_constant(values: np.ndarray, var: str) -> None:
    """Refuse, once for the whole data, a variable that takes one value for every couple.

    The per-couple models would otherwise give every couple the same "never varies" reason; a
    variable constant within some couples only is left to those couples' reasons.

    Examples
    --------
    >>> refuse_constant(np.array([[[3.0, np.nan], [3.0, 3.0]]]), "mood")
    Traceback (most recent call last):
    ...
    counterpoint.science.errors.DyadDataError: mood is 3 for every couple and every occasion, so \
there is nothing for the model to explain; choose another variable or check the file
    >>> refuse_constant(np.array([[[3.0, 3.0], [3.0, 4.0]]]), "mood")
    """
    seen = values[np.isfinite(values)]
    if seen.size == 0:
        return
    refuse_constant_range(float(seen.min()), float(seen.max()), var)


def refuse_constant_range(low: float, high: float, var: str) -> None:
    """Refuse ``var`` when its smallest and largest value over the whole data are one value.

    The test of :func:`refuse_constant`, for callers that find the range without the padded
    array (a partitioned file, part by part: :mod:`~counterpoint.science.part_ranges`).
    """
    if one_value(low, high):
        raise DyadDataError(
            f"{var} is {low:g} for every couple and every occasion, so there is nothing for the "
            "model to explain; choose another variable or check the file"
        )


def one_value(low: float, high: float) -> bool:
    """Whether a smallest and a largest value are the same value (up to rounding)."""
    return high - low <= 1e-12 * max(abs(low), abs(high), 1.0)


def data_panel(data: DyadicData | DyadArrays, var: str) -> LagPanel:
    """The :class:`LagPanel` of ``var`` in ``data`` (dyads in :attr:`DyadicData.dyad_ids` order)."""
    return lag_panel(data_values(data, var))


def role_labels(data: DyadicData | DyadArrays) -> tuple[str, str]:
    """Role values as used in parameter names: the role column's values, or 0 and 1 without one."""
    if data.roles is None:
        return ("0", "1")
    return (str(data.roles[0]), str(data.roles[1]))
