"""The Gottman–Murray influence model of one couple's conflict conversation.

Two partners take turns; each turn gives each partner one affect score (e.g. SPAFF-weighted codes
over a six-second window). With A the partner who speaks first in a turn and B the other:

    A_t+1 = a_A + r_A·A_t + I_BA(B_t)        (A answers B's previous turn)
    B_t+1 = a_B + r_B·B_t + I_AB(A_t+1)      (B answers what A has just said)

``r`` is a partner's emotional inertia, ``a/(1 − r)`` their uninfluenced set point (where they would
settle alone), and ``I`` the influence function: how the partner's score moves their next score. A
neutral partner (score 0) exerts no influence, ``I(0) = 0``, so the uninfluenced parameters are
estimated by least squares on the turns in which the partner was neutral; the influence function is
then fitted to what is left, ``Y_t+1 − a − r·Y_t``, against the partner's score. Influence functions:

* ``bilinear``: two lines through the origin with their own slopes, one for partner scores below a
  threshold (0 by default: negative affect) and one at or above it;
* ``ojive``: a step function with I(0) = 0 and two levels on each side: mildly and strongly positive
  (split at C > 0), mildly and strongly negative (split at F < 0), C and F chosen by least squares
  among the observed scores.

Influenced steady states are the fixed points of the pair of equations (where both null clines
``A = (a_A + I_BA(B))/(1 − r_A)`` and ``B = (a_B + I_AB(A))/(1 − r_B)`` cross), found exactly,
piece by piece, with their stability under the turn-taking map. ``first=None`` makes both partners
answer the other's previous turn (the convention of the archived R package ``dyad``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from counterpoint.science.arrays import MAX_ABS_VALUE
from counterpoint.science.errors import DyadDataError
from counterpoint.science.results import jsonable, text_table

__all__ = [
    "InfluenceFunction",
    "InfluenceModel",
    "InfluenceResults",
    "simulate_influence",
]

FloatArray = NDArray[np.float64]
INFLUENCE_FORMS = ("bilinear", "ojive")
_MIN_NEUTRAL = 3  # turns with a neutral partner needed for the uninfluenced fit
_MIN_SIDE = 2  # nonzero partner scores needed on a side of the influence function


@dataclass(frozen=True)
class _Piece:
    """One piece of a piecewise influence function: ``alpha·x + beta`` on (lo, hi)."""

    lo: float
    hi: float
    lo_closed: bool
    hi_closed: bool
    alpha: float
    beta: float

    def contains(self, x: float, tol: float = 1e-9) -> bool:
        above = x > self.lo - tol if self.lo_closed else x > self.lo + tol
        below = x < self.hi + tol if self.hi_closed else x < self.hi - tol
        if self.lo == self.hi:
            return abs(x - self.lo) <= tol
        return above and below


@dataclass(frozen=True)
class InfluenceFunction:
    """A fitted influence function: ``form`` and its numbers (slopes or levels and thresholds)."""

    form: str
    params: dict[str, float]

    @property
    def pieces(self) -> list[_Piece]:
        p = self.params
        inf = math.inf
        if self.form == "bilinear":
            th = p["threshold"]
            return [
                _Piece(-inf, th, False, False, p["slope_low"], 0.0),
                _Piece(th, inf, True, False, p["slope_high"], 0.0),
            ]
        return [
            _Piece(-inf, p["F"], False, False, 0.0, p["strong_negative"]),
            _Piece(p["F"], 0.0, True, False, 0.0, p["mild_negative"]),
            _Piece(0.0, 0.0, True, True, 0.0, 0.0),
            _Piece(0.0, p["C"], False, True, 0.0, p["mild_positive"]),
            _Piece(p["C"], inf, False, False, 0.0, p["strong_positive"]),
        ]

    def __call__(self, x: Any) -> FloatArray:
        x = np.asarray(x, dtype=float)
        p = self.params
        if self.form == "bilinear":
            return np.where(x < p["threshold"], p["slope_low"] * x, p["slope_high"] * x)
        out = np.select(
            [x < p["F"], x < 0, x == 0, x <= p["C"]],
            [p["strong_negative"], p["mild_negative"], 0.0, p["mild_positive"]],
            p["strong_positive"],
        )
        return np.asarray(out, dtype=float)


def _fit_bilinear(x: FloatArray, y: FloatArray, threshold: float) -> tuple[dict[str, float], str]:
    """Least-squares slopes through the origin on each side of the threshold."""
    params = {"threshold": threshold}
    notes = []
    for name, side in (("slope_low", x < threshold), ("slope_high", x >= threshold)):
        xs, ys = x[side], y[side]
        used = xs != 0
        if used.sum() < _MIN_SIDE:
            params[name] = math.nan
            notes.append(f"{name}: fewer than {_MIN_SIDE} nonzero partner scores on that side")
        else:
            params[name] = float(xs @ ys / (xs @ xs))
    return params, "; ".join(notes)


def _best_split(x: FloatArray, y: FloatArray, upper: bool) -> tuple[float, float, float]:
    """Step split of one side: (threshold, level nearer zero, level farther) by least squares."""
    mag = np.abs(x)
    cands = np.unique(mag)
    best = (math.inf, float(cands[-1]), float(y.mean()), math.nan)
    for c in cands[:-1] if len(cands) > 1 else cands:
        near, far = mag <= c, mag > c
        m_near = float(y[near].mean())
        m_far = float(y[far].mean()) if far.any() else math.nan
        sse = float(((y[near] - m_near) ** 2).sum())
        if far.any():
            sse += float(((y[far] - m_far) ** 2).sum())
        if not math.isfinite(best[0]) or sse < best[0] - 1e-12 * (1 + abs(best[0])):
            best = (sse, float(c), m_near, m_far)  # ties go to the threshold nearer zero
    _, c, near_level, far_level = best
    if not math.isfinite(far_level):
        far_level = near_level
    return (c if upper else -c), near_level, far_level


def _fit_ojive(x: FloatArray, y: FloatArray) -> tuple[dict[str, float], str]:
    params: dict[str, float] = {}
    notes = []
    for upper in (True, False):
        side = x > 0 if upper else x < 0
        names = (
            ("C", "mild_positive", "strong_positive")
            if upper
            else (
                "F",
                "mild_negative",
                "strong_negative",
            )
        )
        if side.sum() < _MIN_SIDE:
            params.update({names[0]: 0.0, names[1]: math.nan, names[2]: math.nan})
            notes.append(f"fewer than {_MIN_SIDE} {'positive' if upper else 'negative'} scores")
            continue
        th, near, far = _best_split(x[side], y[side], upper)
        params.update({names[0]: th, names[1]: near, names[2]: far})
    return params, "; ".join(notes)


def _fit_influence(
    x: FloatArray, y: FloatArray, form: str, threshold: float
) -> tuple[InfluenceFunction, str]:
    if form == "bilinear":
        params, note = _fit_bilinear(x, y, threshold)
    else:
        params, note = _fit_ojive(x, y)
    return InfluenceFunction(form, params), note


@dataclass(frozen=True)
class _Partner:
    """One partner's fit: uninfluenced parameters, influence points and function."""

    name: str
    a: float
    r: float
    n_neutral: int
    influence: InfluenceFunction
    x: FloatArray  # partner's score fed into this partner's equation
    y: FloatArray  # influenced component Y_t+1 − a − r·Y_t
    note: str

    @property
    def set_point(self) -> float:
        return self.a / (1.0 - self.r) if self.r != 1 else math.nan


class InfluenceModel:
    """Gottman–Murray influence model for one couple's conversation.

    Parameters
    ----------
    data : DataFrame
        One row per turn (time order), a column per partner.
    partners : pair of str
        The two score columns (default ``("wife", "husband")``).
    first : str or None
        The partner who speaks first in each turn (default: ``partners[0]``); the other partner
        answers that same turn's score. ``None``: both answer the partner's previous turn.
    influence : {"bilinear", "ojive"}
        Form of the influence functions.
    threshold : float
        Where the bilinear function changes slope (default 0).
    neutral : pair of float, optional
        Scores in this closed band count as neutral (0), e.g. ``(0, 0.6)`` for SPAFF-weighted data
        whose neutral code is weighted 0.6.
    round_scores : bool
        Round the scores to integers (after the neutral band), as Gottman's original program did.

    Examples
    --------
    >>> df = simulate_influence(400, seed=2)
    >>> res = InfluenceModel(df).fit()
    >>> sorted(res.params.index)[:3]
    ['husband_inertia', 'husband_influence_slope_high', 'husband_influence_slope_low']
    """

    def __init__(
        self,
        data: pd.DataFrame,
        partners: Sequence[str] = ("wife", "husband"),
        *,
        first: str | None = "",
        influence: str = "bilinear",
        threshold: float = 0.0,
        neutral: Sequence[float] | None = None,
        round_scores: bool = False,
    ) -> None:
        partners = list(partners)
        if len(partners) != 2 or partners[0] == partners[1]:
            raise DyadDataError("give the two partners' score columns, e.g. wife,husband")
        for col in partners:
            if col not in data.columns:
                raise DyadDataError(
                    f"column {col!r} not found; the data have: {', '.join(map(str, data.columns))}"
                )
        if first == "":
            first = partners[0]
        if first is not None and first not in partners:
            raise DyadDataError(f"first speaker {first!r} is not one of {', '.join(partners)}")
        if influence not in INFLUENCE_FORMS:
            raise DyadDataError(
                f"unknown influence form {influence!r}; choose {' or '.join(INFLUENCE_FORMS)}"
            )
        if not math.isfinite(threshold):
            raise DyadDataError("the threshold must be a number")
        scores = {}
        for col in partners:
            values = pd.to_numeric(data[col], errors="coerce")
            bad = values.isna() & data[col].notna()
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0])
                raise DyadDataError(
                    f"turn {row + 1}, column {col!r}: {data[col].iloc[row]!r} is not a number"
                )
            if values.isna().any():
                row = int(np.flatnonzero(values.isna().to_numpy())[0])
                raise DyadDataError(
                    f"turn {row + 1}, column {col!r}: missing score; the influence model needs an "
                    "unbroken conversation (split it at the gap)"
                )
            v = values.to_numpy(dtype=float)
            if not np.isfinite(v).all() or np.abs(v).max() > MAX_ABS_VALUE:
                row = int(np.flatnonzero(~(np.abs(v) <= MAX_ABS_VALUE))[0])
                raise DyadDataError(
                    f"turn {row + 1}, column {col!r}: {v[row]:g} is not a usable score (infinite "
                    f"or beyond ±{MAX_ABS_VALUE:.0e})"
                )
            if neutral is not None:
                lo, hi = float(neutral[0]), float(neutral[1])
                if not (math.isfinite(lo) and math.isfinite(hi)):
                    raise DyadDataError(f"the neutral band {lo}..{hi} needs two finite numbers")
                if lo > hi:
                    raise DyadDataError(f"neutral band {lo}..{hi} is empty")
                v = np.where((v >= lo) & (v <= hi), 0.0, v)
            if round_scores:
                v = np.round(v)  # half to even, like R's round()
            scores[col] = v
        if len(data) < 10:
            raise DyadDataError(f"only {len(data)} turns: the influence model needs at least 10")
        self.partners = partners
        self.first = first
        self.influence = influence
        self.threshold = float(threshold)
        self.neutral = None if neutral is None else (float(neutral[0]), float(neutral[1]))
        self.round_scores = round_scores
        self.scores = scores

    def _partner(self, me: str, other: str, answers_same_turn: bool) -> _Partner:
        y = self.scores[me]
        p = self.scores[other]
        now, nxt = y[:-1], y[1:]
        x = p[1:] if answers_same_turn else p[:-1]
        neutral = x == 0
        n0 = int(neutral.sum())
        if n0 < _MIN_NEUTRAL or np.ptp(now[neutral]) == 0:
            raise DyadDataError(
                f"{me}: {n0} turn(s) with a neutral partner ({other} = 0) and no spread in "
                f"{me}'s own score among them; the uninfluenced inertia and set point cannot be "
                "estimated (is a neutral band needed, e.g. --neutral 0,0.6?)"
            )
        design = np.column_stack([np.ones(n0), now[neutral]])
        (a, r), *_ = np.linalg.lstsq(design, nxt[neutral], rcond=None)
        infl = nxt - a - r * now
        func, note = _fit_influence(x, infl, self.influence, self.threshold)
        return _Partner(me, float(a), float(r), n0, func, x, infl, note)

    def fit(self) -> InfluenceResults:
        """Estimate both partners' parameters and the influenced steady states."""
        p0, p1 = self.partners
        if self.first is None:
            fits = [self._partner(p0, p1, False), self._partner(p1, p0, False)]
        else:
            second = p1 if self.first == p0 else p0
            by_name = {
                self.first: self._partner(self.first, second, False),
                second: self._partner(second, self.first, True),
            }
            fits = [by_name[p0], by_name[p1]]
        return InfluenceResults(self, fits)


def steady_states(
    a: Sequence[float],
    r: Sequence[float],
    functions: Sequence[InfluenceFunction],
    first: int | None = 0,
) -> list[dict[str, Any]]:
    """Fixed points of the pair of equations and their stability under the turn-taking map.

    ``functions[0]`` is the influence *on* partner 0 (a function of partner 1's score) and vice
    versa. ``first`` is the partner who speaks first (None: both answer the previous turn).
    """
    out: list[dict[str, Any]] = []
    for p in functions[0].pieces:  # piece of I_10 over partner 1's score
        for q in functions[1].pieces:  # piece of I_01 over partner 0's score
            values = (p.alpha, p.beta, q.alpha, q.beta, *a, *r)
            if not all(math.isfinite(v) for v in values):
                continue
            point_p, point_q = p.lo == p.hi, q.lo == q.hi
            if point_p and point_q:
                cand = (0.0, 0.0)
            elif point_p:
                y1 = p.lo
                cand = ((a[0] + p.beta) / (1 - r[0]), y1) if r[0] != 1 else (math.nan, y1)
            elif point_q:
                y0 = q.lo
                cand = (y0, (a[1] + q.beta) / (1 - r[1])) if r[1] != 1 else (y0, math.nan)
            else:
                mat = np.array([[1 - r[0], -p.alpha], [-q.alpha, 1 - r[1]]])
                if abs(np.linalg.det(mat)) < 1e-12:
                    continue
                sol = np.linalg.solve(mat, [a[0] + p.beta, a[1] + q.beta])
                cand = (float(sol[0]), float(sol[1]))
            y0, y1 = cand
            if not (math.isfinite(y0) and math.isfinite(y1)):
                continue
            if not (p.contains(y1) and q.contains(y0)):
                continue
            # both equations must hold with the real functions (this rejects point pieces that fail)
            e0 = a[0] + r[0] * y0 + float(functions[0](y1)) - y0
            e1 = a[1] + r[1] * y1 + float(functions[1](y0)) - y1
            if abs(e0) > 1e-8 * (1 + abs(y0)) or abs(e1) > 1e-8 * (1 + abs(y1)):
                continue
            if any(
                abs(s["values"][0] - y0) < 1e-9 and abs(s["values"][1] - y1) < 1e-9 for s in out
            ):
                continue
            jac = _jacobian(r, p.alpha, q.alpha, first)
            radius = float(np.max(np.abs(np.linalg.eigvals(jac))))
            out.append({"values": (y0, y1), "spectral_radius": radius, "stable": radius < 1})
    out.sort(key=lambda s: s["values"])
    return out


def _jacobian(
    r: Sequence[float], slope_10: float, slope_01: float, first: int | None
) -> FloatArray:
    """Derivative of one turn of the map (Y0, Y1) → (Y0', Y1') at a point of given slopes."""
    if first is None:
        return np.array([[r[0], slope_10], [slope_01, r[1]]])
    if first == 0:  # partner 1 answers partner 0's new score
        return np.array([[r[0], slope_10], [slope_01 * r[0], r[1] + slope_01 * slope_10]])
    return np.array([[r[0] + slope_10 * slope_01, slope_10 * r[1]], [slope_01, r[1]]])


class InfluenceResults:
    """Results of :class:`InfluenceModel`.

    Attributes
    ----------
    params : DataFrame
        One row per number: ``<partner>_inertia`` (r), ``_intercept`` (a), ``_set_point``
        (a / (1 − r), uninfluenced), ``_n_neutral`` (turns used for them) and the influence on that
        partner (``_slope_low``, ``_slope_high``, ``_threshold`` or the ojive's levels and C, F).
    steady_states : list of dict
        Influenced steady states: ``values`` (partner 0, partner 1), ``stable``, ``spectral_radius``.
    """

    model = "influence"
    title = "Gottman–Murray influence model"

    def __init__(self, spec: InfluenceModel, fits: list[_Partner]) -> None:
        self.spec = spec
        self.fits = fits
        self.partners = spec.partners
        self.n_turns = len(spec.scores[spec.partners[0]])
        first = None if spec.first is None else spec.partners.index(spec.first)
        self.steady_states = steady_states(
            [f.a for f in fits], [f.r for f in fits], [f.influence for f in fits], first
        )

    @cached_property
    def params(self) -> pd.DataFrame:
        rows: dict[str, float] = {}
        for f in self.fits:
            rows[f"{f.name}_inertia"] = f.r
            rows[f"{f.name}_intercept"] = f.a
            rows[f"{f.name}_set_point"] = f.set_point
            rows[f"{f.name}_n_neutral"] = f.n_neutral
            for k, v in f.influence.params.items():
                rows[f"{f.name}_influence_{k}"] = v
        return pd.DataFrame({"estimate": pd.Series(rows, dtype=float)})

    def to_frame(self) -> pd.DataFrame:
        """The parameter table (a copy)."""
        return self.params.copy()

    def influence_points(self) -> pd.DataFrame:
        """Every turn's (partner score, influenced component) pair for both partners.

        ``turn`` is the turn whose score the pair explains, counted from 1 in the data's order (the
        first turn has no previous one, so each partner's points start at turn 2).
        """
        frames = []
        for f in self.fits:
            turn = np.arange(2, len(f.y) + 2)
            frames.append(
                pd.DataFrame(
                    {"partner": f.name, "turn": turn, "partner_score": f.x, "influence": f.y}
                )
            )
        return pd.concat(frames, ignore_index=True)

    def nullclines(self, n: int = 201) -> dict[str, pd.DataFrame]:
        """Both null clines on a grid over the observed scores (for plots)."""
        out = {}
        for k, f in enumerate(self.fits):
            other = self.fits[1 - k]
            lo, hi = float(other.x.min()), float(other.x.max())
            pad = 0.1 * (hi - lo or 1.0)
            grid = np.linspace(lo - pad, hi + pad, n)
            if f.influence.form == "ojive":  # show the steps as steps
                grid = np.sort(np.concatenate([grid, _step_points(f.influence)]))
            own = (f.a + f.influence(grid)) / (1 - f.r)
            out[f.name] = pd.DataFrame({other.name: grid, f.name: own})
        return out

    def extra(self) -> dict[str, Any]:
        return {
            "partners": self.partners,
            "first": self.spec.first,
            "influence": self.spec.influence,
            "neutral": self.spec.neutral,
            "round_scores": self.spec.round_scores,
            "steady_states": [
                {
                    self.partners[0]: s["values"][0],
                    self.partners[1]: s["values"][1],
                    "stable": s["stable"],
                    "spectral_radius": s["spectral_radius"],
                }
                for s in self.steady_states
            ],
            "notes": {f.name: f.note or None for f in self.fits},
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready ``{"model", "n_turns", "params": {NAME: value}, ...}``."""
        out: dict[str, Any] = {
            "model": self.model,
            "n_dyads": 1,
            "n_turns": self.n_turns,
            "params": {str(k): v for k, v in self.params["estimate"].items()},
        }
        out.update(self.extra())
        return jsonable(out)

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON text."""
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    def summary(self) -> str:
        order = (
            "each answers the other's previous turn"
            if self.spec.first is None
            else f"{self.spec.first} speaks first in each turn"
        )
        lines = [self.title, "=" * len(self.title)]
        facts = [
            ("turns", str(self.n_turns)),
            ("influence functions", self.spec.influence),
            ("turn order", order),
        ]
        if self.spec.neutral is not None:
            facts.append(("neutral band", f"{self.spec.neutral[0]:g} .. {self.spec.neutral[1]:g}"))
        width = max(len(k) for k, _ in facts)
        lines += [f"{k.ljust(width)}  {v}" for k, v in facts]
        lines += ["", text_table(self.params, index_name="parameter")]
        lines += ["", "Influenced steady states"]
        if not self.steady_states:
            lines.append("  none: the null clines do not cross")
        for s in self.steady_states:
            v0, v1 = s["values"]
            lines.append(
                f"  {self.partners[0]} {v0:.4f}, {self.partners[1]} {v1:.4f}: "
                f"{'stable' if s['stable'] else 'unstable'} (spectral radius {s['spectral_radius']:.3f})"
            )
        notes = [f"  {f.name}: {f.note}" for f in self.fits if f.note]
        if notes:
            lines += ["", "Notes", *notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _step_points(func: InfluenceFunction) -> FloatArray:
    p = func.params
    eps = 1e-9
    return np.array([p["F"] - eps, p["F"], -eps, 0.0, eps, p["C"], p["C"] + eps])


def simulate_influence(
    n_turns: int = 150,
    seed: int | None = None,
    *,
    a: Sequence[float] = (0.5, -0.5),
    r: Sequence[float] = (0.4, 0.5),
    slope_low: Sequence[float] = (0.4, 0.3),
    slope_high: Sequence[float] = (0.2, 0.15),
    sd: Sequence[float] = (1.5, 1.5),
    partners: Sequence[str] = ("wife", "husband"),
    first: int | None = 0,
) -> pd.DataFrame:
    """A conversation from the bilinear model with integer (code-like) scores.

    Each new score is ``round(a + r·own + I(partner) + e)`` with ``e ~ N(0, sd²)``; rounding makes
    neutral turns (score 0) occur as they do in coded data. Partner ``first`` answers the other's
    previous turn and the other answers that same turn's score (``None``: both the previous turn).
    """
    rng = np.random.default_rng(seed)
    y = np.zeros((n_turns, 2))
    noise = rng.normal(size=(n_turns, 2)) * np.asarray(sd, dtype=float)

    def infl(k: int, x: float) -> float:
        return (slope_low[k] if x < 0 else slope_high[k]) * x

    order = [0, 1] if first in (0, None) else [1, 0]
    for t in range(1, n_turns):
        for k in order:
            other = 1 - k
            same_turn = first is not None and k != order[0]
            x = y[t, other] if same_turn else y[t - 1, other]
            y[t, k] = np.round(a[k] + r[k] * y[t - 1, k] + infl(k, x) + noise[t, k])
    return pd.DataFrame({partners[0]: y[:, 0], partners[1]: y[:, 1]})
