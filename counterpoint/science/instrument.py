"""Questionnaire instruments for the interdependence map: definitions and scoring.

An instrument is data (a JSON definition): items on an agreement scale, each in a subscale; each
subscale belongs to one of two axes, **connection** and **autonomy**. A subscale with
``"direction": -1`` measures a failure mode (e.g. footing that depends on the partner) and counts
*against* its axis. Items may be reverse-keyed.

Scoring:

* an item's keyed score is the answer, or ``min + max − answer`` when the item is reverse-keyed;
* a subscale score is the mean of its keyed items (high = more of what the subscale names);
* an axis score is the mean of its items keyed for the axis (items of a ``direction −1`` subscale
  flipped once more), so it stays on the answer scale;
* each score's standard error is the standard error of measurement, SD·√(1 − reliability), with
  reliability and SD from the people who answered (or the definition's reference values);
* the position on the map is (connection, autonomy); its region follows from each axis' cut-off
  (the scale midpoint unless the definition says otherwise), and it is **between regions** when
  the interval score ± z·SE on either axis contains that axis' cut-off. The map itself (regions,
  positions, couple patterns) is :mod:`~counterpoint.science.regions`; its names are re-exported
  here for the web app.

>>> inst = Instrument.from_dict(EXAMPLE_DEFINITION)
>>> s = inst.score({"c1": 6, "c2": 2, "c3": 7, "a1": 5, "a2": 6, "a3": 2})
>>> round(s.axes["connection"].score, 3), round(s.axes["autonomy"].score, 3)
(6.333, 5.667)
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from counterpoint.science.errors import DyadDataError
from counterpoint.science.numerics import Z95
from counterpoint.science.regions import (
    AXES,
    PATTERNS,
    REGIONS,
    CouplePattern,
    Position,
    RegionDecision,
    couple_pattern,
    decide_region,
    region_of,
)
from counterpoint.science.reliability import ScaleReliability

__all__ = [
    "AXES",
    "EXAMPLE_DEFINITION",
    "PATTERNS",
    "REGIONS",
    "Z95",
    "CouplePattern",
    "Instrument",
    "InstrumentError",
    "Item",
    "Position",
    "RegionDecision",
    "ScaleScore",
    "Score",
    "Subscale",
    "couple_pattern",
    "decide_region",
    "region_of",
    "simulate_responses",
]

# A tiny definition used by the doctests and as a format example (docs/instrument.md).
EXAMPLE_DEFINITION: dict[str, Any] = {
    "key": "example",
    "version": "1",
    "title": "Example",
    "scale": {"min": 1, "max": 7},
    "axes": {"connection": {"label": "Connection"}, "autonomy": {"label": "Autonomy"}},
    "subscales": [
        {"key": "close", "axis": "connection", "label": "Closeness"},
        {"key": "self", "axis": "autonomy", "label": "Sense of self"},
        {"key": "fused", "axis": "autonomy", "label": "Fused footing", "direction": -1},
    ],
    "items": [
        {"id": "c1", "subscale": "close", "text": "We are close."},
        {"id": "c2", "subscale": "close", "text": "We feel far apart.", "reverse": True},
        {"id": "c3", "subscale": "close", "text": "I turn to my partner."},
        {"id": "a1", "subscale": "self", "text": "I know who I am."},
        {"id": "a2", "subscale": "self", "text": "I have my own plans."},
        {"id": "a3", "subscale": "fused", "text": "My mood is my partner's mood."},
    ],
    "reference": {
        "close": {"reliability": 0.8, "sd": 1.0},
        "self": {"reliability": 0.75, "sd": 1.0},
        "fused": {"reliability": 0.7, "sd": 1.2},
        "connection": {"reliability": 0.8, "sd": 1.0},
        "autonomy": {"reliability": 0.8, "sd": 0.9},
    },
}


class InstrumentError(DyadDataError):
    """A definition or a set of answers the instrument cannot use (message says which and why)."""


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    subscale: str
    reverse: bool = False


@dataclass(frozen=True)
class Subscale:
    key: str
    axis: str
    label: str
    direction: int = 1  # -1: a failure-mode indicator that counts against its axis
    description: str = ""
    practice: str = ""  # the practice that strengthens it (a slug the web app understands)


@dataclass(frozen=True)
class ScaleScore:
    """A score on the answer scale with its standard error of measurement."""

    score: float
    se: float
    reliability: float
    sd: float
    n_items: int

    def interval(self, z: float = Z95) -> tuple[float, float]:
        return (self.score - z * self.se, self.score + z * self.se)


@dataclass(frozen=True)
class Score:
    """One person's scored questionnaire."""

    instrument: str
    version: str
    subscales: dict[str, ScaleScore]
    axes: dict[str, ScaleScore]
    position: Position
    decision: RegionDecision

    def to_dict(self) -> dict[str, Any]:
        def scale(s: ScaleScore) -> dict[str, float]:
            return {"score": s.score, "se": s.se, "reliability": s.reliability, "sd": s.sd}

        return {
            "instrument": self.instrument,
            "version": self.version,
            "subscales": {k: scale(v) for k, v in self.subscales.items()},
            "axes": {k: scale(v) for k, v in self.axes.items()},
            "region": self.decision.region,
            "between": self.decision.between,
            "plausible_regions": list(self.decision.plausible),
        }


@dataclass(frozen=True)
class Instrument:
    key: str
    version: str
    title: str
    items: tuple[Item, ...]
    subscales: dict[str, Subscale]
    axis_labels: dict[str, str]
    cutoffs: tuple[float, float]
    scale_min: int = 1
    scale_max: int = 7
    scale_labels: tuple[str, ...] = ()
    reference: dict[str, dict[str, float]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def from_json(cls, path: str | Path) -> Instrument:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InstrumentError(f"{path.name}: cannot read the definition ({exc})") from exc
        return cls.from_dict(data, source=path.name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "definition") -> Instrument:
        def need(mapping: Mapping[str, Any], name: str, where: str) -> Any:
            if name not in mapping:
                raise InstrumentError(f"{source}: {where} has no {name!r}")
            return mapping[name]

        key = str(need(data, "key", "the definition"))
        version = str(need(data, "version", "the definition"))
        scale = need(data, "scale", "the definition")
        lo, hi = int(need(scale, "min", "scale")), int(need(scale, "max", "scale"))
        if hi - lo < 2:
            raise InstrumentError(f"{source}: the answer scale {lo}–{hi} needs at least 3 points")
        axes = need(data, "axes", "the definition")
        if set(axes) != set(AXES):
            raise InstrumentError(f"{source}: axes must be exactly {list(AXES)}, got {list(axes)}")
        midpoint = (lo + hi) / 2
        cutoffs = (
            float(axes["connection"].get("cutoff", midpoint)),
            float(axes["autonomy"].get("cutoff", midpoint)),
        )
        subscales: dict[str, Subscale] = {}
        for raw in need(data, "subscales", "the definition"):
            sub = Subscale(
                key=str(need(raw, "key", "a subscale")),
                axis=str(need(raw, "axis", f"subscale {raw.get('key')!r}")),
                label=str(raw.get("label", raw["key"])),
                direction=int(raw.get("direction", 1)),
                description=str(raw.get("description", "")),
                practice=str(raw.get("practice", "")),
            )
            if sub.axis not in AXES:
                raise InstrumentError(
                    f"{source}: subscale {sub.key!r} has unknown axis {sub.axis!r}"
                )
            if sub.direction not in (1, -1):
                raise InstrumentError(f"{source}: subscale {sub.key!r}: direction must be 1 or -1")
            if sub.key in subscales or sub.key in AXES:
                raise InstrumentError(f"{source}: subscale key {sub.key!r} is used twice")
            subscales[sub.key] = sub
        items: list[Item] = []
        for raw in need(data, "items", "the definition"):
            item = Item(
                id=str(need(raw, "id", "an item")),
                text=str(need(raw, "text", f"item {raw.get('id')!r}")),
                subscale=str(need(raw, "subscale", f"item {raw.get('id')!r}")),
                reverse=bool(raw.get("reverse", False)),
            )
            if item.subscale not in subscales:
                raise InstrumentError(
                    f"{source}: item {item.id!r} names unknown subscale {item.subscale!r}"
                )
            if any(other.id == item.id for other in items):
                raise InstrumentError(f"{source}: item id {item.id!r} is used twice")
            items.append(item)
        for sub in subscales.values():
            if not any(i.subscale == sub.key for i in items):
                raise InstrumentError(f"{source}: subscale {sub.key!r} has no items")
        for axis in AXES:
            if not any(s.axis == axis for s in subscales.values()):
                raise InstrumentError(f"{source}: axis {axis!r} has no subscales")
        known = {"key", "version", "title", "scale", "axes", "subscales", "items", "reference"}
        return cls(
            key=key,
            version=version,
            title=str(data.get("title", key)),
            items=tuple(items),
            subscales=subscales,
            axis_labels={a: str(axes[a].get("label", a)) for a in AXES},
            cutoffs=cutoffs,
            scale_min=lo,
            scale_max=hi,
            scale_labels=tuple(str(x) for x in scale.get("labels", ())),
            reference={str(k): dict(v) for k, v in data.get("reference", {}).items()},
            meta={k: v for k, v in data.items() if k not in known},
        )

    # -- structure -----------------------------------------------------------------------------
    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]

    def items_of(self, name: str) -> list[Item]:
        """Items of a subscale, or of an axis when ``name`` is ``connection``/``autonomy``."""
        if name in AXES:
            return [i for i in self.items if self.subscales[i.subscale].axis == name]
        return [i for i in self.items if i.subscale == name]

    def key_signs(self, name: str) -> np.ndarray:
        """+1 / −1 per item of ``name``: how its answer counts toward that subscale or axis."""
        signs = []
        for item in self.items_of(name):
            sign = -1 if item.reverse else 1
            if name in AXES:
                sign *= self.subscales[item.subscale].direction
            signs.append(sign)
        return np.array(signs)

    @property
    def scale_names(self) -> list[str]:
        return [*self.subscales, *AXES]

    # -- answers -------------------------------------------------------------------------------
    def check_answers(self, answers: Mapping[str, object]) -> tuple[list[str], list[str]]:
        """(missing item ids, item ids with an answer that is not a whole number on the scale)."""
        missing, invalid = [], []
        for item_id in self.item_ids:
            value = answers.get(item_id)
            if value is None or value == "":
                missing.append(item_id)
                continue
            try:
                number = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                invalid.append(item_id)
                continue
            if not number.is_integer() or not self.scale_min <= number <= self.scale_max:
                invalid.append(item_id)
        unknown = sorted(set(answers) - set(self.item_ids))
        return missing, invalid + unknown

    def keyed(self, answers: pd.DataFrame, name: str) -> np.ndarray:
        """Respondents × items matrix of ``name``'s items, keyed for ``name``."""
        ids = [i.id for i in self.items_of(name)]
        missing = [c for c in ids if c not in answers.columns]
        if missing:
            raise InstrumentError(f"answers have no column for items {missing}")
        raw = answers[ids].to_numpy(dtype=float)
        signs = self.key_signs(name)
        return np.where(signs > 0, raw, self.scale_min + self.scale_max - raw)

    def reliabilities(self, answers: pd.DataFrame) -> dict[str, ScaleReliability]:
        """Reliability of every subscale and axis from complete answers (one row per person)."""
        return {name: ScaleReliability(self.keyed(answers, name)) for name in self.scale_names}

    # -- scoring -------------------------------------------------------------------------------
    def score(
        self,
        answers: Mapping[str, object],
        reliability: Mapping[str, Mapping[str, float]] | None = None,
        z: float = Z95,
    ) -> Score:
        """Score one person's complete answers.

        ``reliability`` maps each subscale/axis name to ``{"reliability": r, "sd": s}``; names
        missing from it fall back to the definition's ``reference`` values.
        """
        missing, invalid = self.check_answers(answers)
        if invalid:
            raise InstrumentError(
                f"answers out of range ({self.scale_min}–{self.scale_max}) or unknown: {invalid}"
            )
        if missing:
            raise InstrumentError(f"{len(missing)} items unanswered; a partial form is not scored")
        lo_hi = self.scale_min + self.scale_max
        scores: dict[str, ScaleScore] = {}
        for name in self.scale_names:
            stats = dict(self.reference.get(name, {}))
            stats.update((reliability or {}).get(name, {}))
            if "reliability" not in stats or "sd" not in stats:
                raise InstrumentError(f"no reliability and SD for {name!r} (nor reference values)")
            rel, sd = float(stats["reliability"]), float(stats["sd"])
            raw = np.array([float(answers[i.id]) for i in self.items_of(name)])  # type: ignore[arg-type]
            value = float(np.where(self.key_signs(name) > 0, raw, lo_hi - raw).mean())
            se = sd * math.sqrt(max(0.0, 1.0 - rel))
            scores[name] = ScaleScore(value, se, rel, sd, len(self.items_of(name)))
        position = Position(
            connection=scores["connection"].score,
            autonomy=scores["autonomy"].score,
            se_connection=scores["connection"].se,
            se_autonomy=scores["autonomy"].se,
            cutoffs=self.cutoffs,
        )
        return Score(
            instrument=self.key,
            version=self.version,
            subscales={k: scores[k] for k in self.subscales},
            axes={a: scores[a] for a in AXES},
            position=position,
            decision=decide_region(position, z=z),
        )

    def weakest(self, subscale_scores: Mapping[str, float], n: int = 2) -> list[str]:
        """The ``n`` subscales with most room to grow (lowest score; failure modes: highest)."""
        room = {
            key: (value - self.scale_min)
            if self.subscales[key].direction > 0
            else (self.scale_max - value)
            for key, value in subscale_scores.items()
            if key in self.subscales
        }
        return sorted(room, key=lambda k: (room[k], k))[:n]


# -- simulation --------------------------------------------------------------------------------
def simulate_responses(
    instrument: Instrument,
    positions: np.ndarray | Sequence[Sequence[float]],
    *,
    loading_spread: float = 0.25,
    noise_sd: float = 1.0,
    seed: int | None = None,
) -> pd.DataFrame:
    """Answers from a two-factor model whose factors are each person's true (connection, autonomy).

    For item i on axis g and person j, the keyed response before rounding is
    ``mid + λ_i·(T_jg − mid) + ε_ij`` with ε ~ N(0, noise_sd²) and loadings λ drawn around 1 and
    rescaled to average exactly 1 per axis, so the expected axis score is the true position T
    (apart from rounding to whole answers and clipping to the scale). Items are then un-keyed back to
    raw answers (reverse-keyed and failure-mode items flipped).
    """
    rng = np.random.default_rng(seed)
    truth = np.asarray(positions, dtype=float)
    if truth.ndim != 2 or truth.shape[1] != 2:
        raise InstrumentError("positions must be an (n, 2) array of (connection, autonomy)")
    lo, hi = instrument.scale_min, instrument.scale_max
    mid = (lo + hi) / 2
    columns: dict[str, np.ndarray] = {}
    for g, axis in enumerate(AXES):
        items = instrument.items_of(axis)
        loadings = rng.uniform(1 - loading_spread, 1 + loading_spread, len(items))
        loadings /= loadings.mean()
        signs = instrument.key_signs(axis)
        for item, lam, sign in zip(items, loadings, signs, strict=True):
            latent = mid + lam * (truth[:, g] - mid) + rng.normal(0, noise_sd, len(truth))
            keyed = np.clip(np.rint(latent), lo, hi)
            columns[item.id] = (keyed if sign > 0 else lo + hi - keyed).astype(int)
    return pd.DataFrame({item_id: columns[item_id] for item_id in instrument.item_ids})
