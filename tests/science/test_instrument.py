"""Scoring the interdependence-map instrument: hand-checked cases, regions, couples, simulation."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest

from counterpoint.science.instrument import (
    EXAMPLE_DEFINITION,
    Z95,
    Instrument,
    InstrumentError,
    Position,
    couple_pattern,
    decide_region,
    simulate_responses,
)

SHIPPED = (
    Path(__file__).resolve().parents[2]
    / "counterpoint/interdependence/definitions/counterpoint-map-v1.json"
)


@pytest.fixture
def example() -> Instrument:
    return Instrument.from_dict(EXAMPLE_DEFINITION)


@pytest.fixture(scope="module")
def shipped() -> Instrument:
    return Instrument.from_json(SHIPPED)


def test_scores_by_hand(example: Instrument) -> None:
    s = example.score({"c1": 6, "c2": 2, "c3": 7, "a1": 5, "a2": 6, "a3": 2})
    # close: c1 6, c2 reversed 8-2 = 6, c3 7 -> 19/3
    assert s.subscales["close"].score == pytest.approx(19 / 3)
    # self: (5 + 6) / 2; fused (a failure mode, its own direction): 2
    assert s.subscales["self"].score == pytest.approx(5.5)
    assert s.subscales["fused"].score == pytest.approx(2.0)
    # autonomy axis: a1 5, a2 6, a3 counted against the axis 8-2 = 6 -> 17/3
    assert s.axes["autonomy"].score == pytest.approx(17 / 3)
    assert s.axes["connection"].score == pytest.approx(19 / 3)
    # SEM = SD * sqrt(1 - reliability): connection 1.0 * sqrt(.2), autonomy .9 * sqrt(.2)
    assert s.axes["connection"].se == pytest.approx(math.sqrt(0.2))
    assert s.axes["autonomy"].se == pytest.approx(0.9 * math.sqrt(0.2))
    assert s.subscales["fused"].se == pytest.approx(1.2 * math.sqrt(0.3))
    assert s.decision.region == "interdependent" and not s.decision.between


def test_installation_reliability_overrides_reference(example: Instrument) -> None:
    answers = {"c1": 4, "c2": 4, "c3": 4, "a1": 4, "a2": 4, "a3": 4}
    s = example.score(answers, reliability={"connection": {"reliability": 0.96, "sd": 2.0}})
    assert s.axes["connection"].se == pytest.approx(2.0 * 0.2)
    assert s.axes["autonomy"].se == pytest.approx(0.9 * math.sqrt(0.2))  # reference value
    # on the cut-off (the midpoint 4) counts as high, but the interval straddles it
    assert s.decision.region == "interdependent"
    assert s.decision.between
    assert set(s.decision.plausible) == {"interdependent", "dependent", "distant", "disengaged"}


def test_partial_and_out_of_range_answers_are_not_scored(example: Instrument) -> None:
    with pytest.raises(InstrumentError, match="2 items unanswered"):
        example.score({"c1": 6, "c2": 2, "c3": 7, "a1": 5})
    with pytest.raises(InstrumentError, match="out of range"):
        example.score({"c1": 9, "c2": 2, "c3": 7, "a1": 5, "a2": 6, "a3": 2})
    with pytest.raises(InstrumentError, match="out of range"):
        example.score({"c1": 2.5, "c2": 2, "c3": 7, "a1": 5, "a2": 6, "a3": 2})
    missing, invalid = example.check_answers({"c1": "x", "zz": 3})
    assert invalid == ["c1", "zz"] and "c2" in missing


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("version"), "has no 'version'"),
        (lambda d: d["items"][0].update(subscale="nope"), "unknown subscale 'nope'"),
        (lambda d: d["items"][1].update(id="c1"), "'c1' is used twice"),
        (lambda d: d["subscales"][0].update(axis="warmth"), "unknown axis 'warmth'"),
        (lambda d: d["axes"].pop("autonomy"), "axes must be exactly"),
        (lambda d: d["scale"].update(max=2), "at least 3 points"),
    ],
)
def test_bad_definitions_are_named(change, message) -> None:
    data = copy.deepcopy(EXAMPLE_DEFINITION)
    change(data)
    with pytest.raises(InstrumentError, match=message):
        Instrument.from_dict(data)


def test_regions_and_between() -> None:
    assert decide_region(Position(6, 6, 0.2, 0.2)).region == "interdependent"
    assert decide_region(Position(6, 2, 0.2, 0.2)).region == "dependent"
    assert decide_region(Position(2, 6, 0.2, 0.2)).region == "distant"
    assert decide_region(Position(2, 2, 0.2, 0.2)).region == "disengaged"
    near = decide_region(Position(6, 4.2, 0.2, 0.2))  # 4.2 - 1.96 * .2 < 4
    assert near.between and near.plausible == ("interdependent", "dependent")
    assert near.label == "between regions"
    assert not decide_region(Position(6, 4.5, 0.2, 0.2)).between


def test_couple_patterns() -> None:
    close_dependent, distant = Position(6, 2.5, 0.2, 0.2), Position(2.5, 6, 0.2, 0.2)
    both_good = Position(6, 6, 0.2, 0.2)
    assert couple_pattern(close_dependent, distant).pattern == "pursue_withdraw"
    assert couple_pattern(both_good, both_good).pattern == "both_interdependent"
    assert couple_pattern(close_dependent, close_dependent).pattern == "both_enmeshed"
    assert couple_pattern(distant, distant).pattern == "both_distant"
    assert couple_pattern(both_good, distant).pattern == "mixed"
    assert couple_pattern(both_good, Position(6, 4.1, 0.2, 0.2)).tentative
    # trend: mean connection from 4.0 to 5.5, SE of the change .5 * sqrt(4 * .04) = .2
    earlier = (Position(4, 6, 0.2, 0.2), Position(4, 6, 0.2, 0.2))
    later = (Position(5.5, 6, 0.2, 0.2), Position(5.5, 6, 0.2, 0.2))
    result = couple_pattern(*later, earlier=earlier)
    assert result.trend == "together"
    assert result.connection_change == pytest.approx(1.5)
    assert result.connection_change_se == pytest.approx(0.2)
    assert couple_pattern(*earlier, earlier=later).trend == "apart"
    assert couple_pattern(*later, earlier=later).trend == "steady"
    assert couple_pattern(*later).trend is None


def test_shipped_instrument_is_well_formed(shipped: Instrument) -> None:
    assert len(shipped.items) >= 28
    assert shipped.scale_min == 1 and shipped.scale_max == 7 and len(shipped.scale_labels) == 7
    assert sum(item.reverse for item in shipped.items) >= 8
    subs = {s.key: s for s in shipped.subscales.values()}
    assert {s.axis for s in subs.values()} == {"connection", "autonomy"}
    assert sum(s.direction == -1 for s in subs.values()) == 2  # the two failure-mode indicators
    for name in shipped.scale_names:
        assert "reliability" in shipped.reference[name] and "sd" in shipped.reference[name]


def test_keying_matches_the_reference_keys(shipped: Instrument) -> None:
    import pandas as pd

    keys = pd.read_csv(Path(__file__).parent / "results/reliability/reliability_keys.csv")
    for name in shipped.scale_names:
        rows = keys[keys["scale"] == name]
        assert list(rows["item"]) == [i.id for i in shipped.items_of(name)]
        assert list(rows["sign"]) == list(shipped.key_signs(name))


def test_simulation_recovers_regions(shipped: Instrument) -> None:
    """People far from a boundary land in their true region; near one, "between regions"."""
    rng = np.random.default_rng(2026)
    truth = rng.uniform(1.5, 6.5, size=(3000, 2))
    answers = simulate_responses(shipped, truth, noise_sd=1.0, seed=11)
    rel = {
        name: {"reliability": r.omega or r.alpha, "sd": r.sd}
        for name, r in shipped.reliabilities(answers).items()
    }
    decisions = [shipped.score(row, reliability=rel).decision for row in answers.to_dict("records")]
    true_regions = [decide_region(Position(c, a, 0.0, 0.0), z=0).region for c, a in truth]
    distance = np.min(np.abs(truth - 4.0), axis=1)
    far = distance > 1.0
    near = distance < 0.1
    correct_far = np.mean(
        [d.region == t for d, t, f in zip(decisions, true_regions, far, strict=True) if f]
    )
    between_near = np.mean([d.between for d, n in zip(decisions, near, strict=True) if n])
    between_far = np.mean([d.between for d, f in zip(decisions, far, strict=True) if f])
    assert far.sum() > 500 and near.sum() > 50
    assert correct_far >= 0.90, correct_far
    assert between_near >= 0.80, between_near
    assert between_far <= 0.05, between_far
    print(
        f"far: {far.sum()} people, region correct {correct_far:.3f}, between {between_far:.3f}; "
        f"near: {near.sum()} people, between {between_near:.3f}"
    )


def test_simulated_scores_track_true_positions(shipped: Instrument) -> None:
    truth = np.array([[2.0, 6.0], [6.0, 2.0], [5.5, 5.5]] * 200)
    answers = simulate_responses(shipped, truth, noise_sd=1.0, seed=3)
    conn = shipped.keyed(answers, "connection").mean(axis=1)
    auto = shipped.keyed(answers, "autonomy").mean(axis=1)
    for k, (c, a) in enumerate(truth[:3]):
        assert conn[k::3].mean() == pytest.approx(c, abs=0.15)
        assert auto[k::3].mean() == pytest.approx(a, abs=0.15)


def test_weakest_dimensions(example: Instrument) -> None:
    s = example.score({"c1": 6, "c2": 2, "c3": 7, "a1": 2, "a2": 3, "a3": 6})
    # self 2.5 (1.5 above the floor); fused 6 (1 below the ceiling) -> fused first
    assert example.weakest({k: v.score for k, v in s.subscales.items()}, 2) == ["fused", "self"]


def test_ranges_cover_the_true_position_at_about_95_percent(shipped: Instrument) -> None:
    """score ± 1.96·SEM (SEM from the sample's omega and SD) contains the generating position."""
    rng = np.random.default_rng(5)
    truth = rng.uniform(3, 6, size=(3000, 2))
    answers = simulate_responses(shipped, truth, noise_sd=1.0, seed=6)
    rel = {
        name: {"reliability": r.omega or r.alpha, "sd": r.sd}
        for name, r in shipped.reliabilities(answers).items()
    }
    hits = []
    for row, (c, a) in zip(answers.to_dict("records"), truth, strict=True):
        axes = shipped.score(row, reliability=rel).axes
        hits.append(
            (
                abs(axes["connection"].score - c) < Z95 * axes["connection"].se,
                abs(axes["autonomy"].score - a) < Z95 * axes["autonomy"].se,
            )
        )
    coverage = np.mean(hits, axis=0)
    print(f"coverage of 95% ranges: connection {coverage[0]:.3f}, autonomy {coverage[1]:.3f}")
    assert np.all((coverage > 0.92) & (coverage < 0.975)), coverage
