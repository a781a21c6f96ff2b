"""Gottman–Murray influence model: the archived R package dyad, our R script, recovery, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from counterpoint.science.errors import DyadDataError
from counterpoint.science.influence import InfluenceModel, simulate_influence

HERE = Path(__file__).parent / "results" / "influence"
NEUTRAL = (0.0, 0.6)  # SPAFF weight of the neutral code in the Gottman couple data


@pytest.fixture(scope="module")
def dyad_ref() -> dict:
    return json.loads((HERE / "influence_dyad.json").read_text())


@pytest.fixture(scope="module")
def our_ref() -> dict:
    return json.loads((HERE / "influence_reference.json").read_text())


@pytest.fixture
def gottman(reference_data: Path) -> pd.DataFrame:
    return pd.read_csv(reference_data / "gottman_couple.csv")


def _est(res, name: str) -> float:
    return float(res.params.loc[name, "estimate"])


def test_original_model_agrees_with_dyad(gottman, dyad_ref) -> None:
    res = InfluenceModel(
        gottman, first=None, neutral=NEUTRAL, round_scores=True, influence="bilinear"
    ).fit()
    ref = dyad_ref["bilinear"]
    # origmodel(couple, inf = "bilin")$r1, $a, $natw (wife) and $r2, $b, $nath (husband)
    assert_allclose(_est(res, "wife_inertia"), ref["r1"], rtol=1e-10)
    assert_allclose(_est(res, "wife_intercept"), ref["a"], rtol=1e-10)
    assert_allclose(_est(res, "wife_set_point"), ref["natw"], rtol=1e-10)
    assert_allclose(_est(res, "husband_inertia"), ref["r2"], rtol=1e-10)
    assert_allclose(_est(res, "husband_intercept"), ref["b"], rtol=1e-10)
    assert_allclose(_est(res, "husband_set_point"), ref["nath"], rtol=1e-10)
    # $lh, $rh: influence of the husband on the wife, negative / positive husband scores
    assert_allclose(_est(res, "wife_influence_slope_low"), ref["lh"], rtol=1e-10)
    assert_allclose(_est(res, "wife_influence_slope_high"), ref["rh"], rtol=1e-10)
    # $lw, $rw: influence of the wife on the husband
    assert_allclose(_est(res, "husband_influence_slope_low"), ref["lw"], rtol=1e-10)
    assert_allclose(_est(res, "husband_influence_slope_high"), ref["rw"], rtol=1e-10)
    # $wsetpoints, $hsetpoints: the one influenced steady state dyad finds
    found = [(w, h) for w, h in zip(ref["wsetpoints"], ref["hsetpoints"], strict=True) if w]
    assert len(res.steady_states) == len(found) == 1
    assert_allclose(res.steady_states[0]["values"], found[0], rtol=1e-10)


def test_ojive_agrees_with_dyad(gottman, dyad_ref) -> None:
    res = InfluenceModel(
        gottman, first=None, neutral=NEUTRAL, round_scores=True, influence="ojive"
    ).fit()
    ref = dyad_ref["ojive"]
    # dyad reports the null cline's heights: level = height·(1 − r) − a.
    # wife's null cline (aw, bw, cw: positive husband scores; dw, ew, fw: negative)
    a, r = ref["a"], ref["r1"]
    assert_allclose(_est(res, "wife_influence_mild_positive"), ref["aw"] * (1 - r) - a, rtol=1e-9)
    assert_allclose(_est(res, "wife_influence_strong_positive"), ref["bw"] * (1 - r) - a, rtol=1e-9)
    assert _est(res, "wife_influence_C") == ref["cw"]
    assert_allclose(_est(res, "wife_influence_mild_negative"), ref["dw"] * (1 - r) - a, rtol=1e-9)
    assert_allclose(_est(res, "wife_influence_strong_negative"), ref["ew"] * (1 - r) - a, rtol=1e-9)
    assert _est(res, "wife_influence_F") == ref["fw"]
    b, r2 = ref["b"], ref["r2"]
    assert_allclose(
        _est(res, "husband_influence_mild_positive"), ref["ah"] * (1 - r2) - b, rtol=1e-9
    )
    assert_allclose(
        _est(res, "husband_influence_strong_positive"), ref["bh"] * (1 - r2) - b, rtol=1e-9
    )
    assert _est(res, "husband_influence_C") == ref["ch"]
    assert_allclose(
        _est(res, "husband_influence_mild_negative"), ref["dh"] * (1 - r2) - b, rtol=1e-9
    )
    assert_allclose(
        _est(res, "husband_influence_strong_negative"), ref["eh"] * (1 - r2) - b, rtol=1e-9
    )
    assert _est(res, "husband_influence_F") == ref["fh"]
    # $wsetpoints / $hsetpoints are all NA: the step null clines do not cross
    assert all(v is None for v in ref["wsetpoints"])
    assert res.steady_states == []


_CASES = {
    "gottman_wife_first_bilinear": ({"first": "wife", "influence": "bilinear"}, True),
    "gottman_wife_first_ojive": ({"first": "wife", "influence": "ojive"}, True),
    "gottman_husband_first_bilinear": ({"first": "husband", "influence": "bilinear"}, True),
    "gottman_previous_turn_rounded": ({"first": None, "round_scores": True}, True),
    "gottman_threshold_bilinear": ({"first": "wife", "threshold": -1.0}, True),
    "simulated_wife_first": ({"first": "wife"}, False),
    "simulated_wife_first_ojive": ({"first": "wife", "influence": "ojive"}, False),
}


@pytest.mark.parametrize("case", list(_CASES))
def test_agrees_with_our_r_script(case, our_ref, request) -> None:
    options, on_gottman = _CASES[case]
    if on_gottman:
        frame = request.getfixturevalue("gottman")
        options = {"neutral": NEUTRAL, **options}  # type: ignore[dict-item]
    else:
        frame = pd.read_csv(HERE / "influence_sim.csv")
    res = InfluenceModel(frame, **options).fit()  # type: ignore[arg-type]
    ref = our_ref["cases"][case]
    for partner, key in (("wife", "partner0"), ("husband", "partner1")):
        part = ref[key]
        # coef(lm(Y[t+1] ~ Y[t], subset = partner neutral))
        assert_allclose(_est(res, f"{partner}_intercept"), part["a"], rtol=1e-9)
        assert_allclose(_est(res, f"{partner}_inertia"), part["r"], rtol=1e-9)
        assert _est(res, f"{partner}_n_neutral") == part["n_neutral"]
        # bilinear: coef(lm(I ~ 0 + x)) on each side; ojive: step levels and thresholds
        for name, value in part["influence"].items():
            if name == "form":
                continue
            assert_allclose(_est(res, f"{partner}_influence_{name}"), value, rtol=1e-9, atol=1e-12)
    # steady(): fixed points, spectral radius of the turn map and stability
    ours = sorted(tuple(s["values"]) for s in res.steady_states)
    theirs = sorted(tuple(s["values"]) for s in ref["steady_states"])
    assert_allclose(np.array(ours).reshape(-1, 2), np.array(theirs).reshape(-1, 2), rtol=1e-9)
    radius = sorted(s["spectral_radius"] for s in res.steady_states)
    assert_allclose(radius, sorted(s["spectral_radius"] for s in ref["steady_states"]), rtol=1e-9)


TRUTH = {
    "wife_intercept": 0.5,
    "wife_inertia": 0.4,
    "wife_influence_slope_low": 0.4,
    "wife_influence_slope_high": 0.2,
    "husband_intercept": -0.5,
    "husband_inertia": 0.5,
    "husband_influence_slope_low": 0.3,
    "husband_influence_slope_high": 0.15,
}


@pytest.mark.parametrize("first", [0, None], ids=["wife-first", "previous-turn"])
def test_recovers_known_parameters(first) -> None:
    reps = 120
    est = np.empty((reps, len(TRUTH)))
    for k in range(reps):
        frame = simulate_influence(600, seed=1000 + k, first=first)
        res = InfluenceModel(frame, first="wife" if first == 0 else None).fit()
        est[k] = [_est(res, name) for name in TRUTH]
    mean = est.mean(axis=0)
    mc_se = est.std(axis=0, ddof=1) / np.sqrt(reps)
    truth = np.array(list(TRUTH.values()))
    print(dict(zip(TRUTH, mean.round(3), strict=True)))
    # unbiased up to Monte Carlo error and the small short-series bias of an AR coefficient
    assert (np.abs(mean - truth) < 4 * mc_se + 0.015).all(), (mean, truth, mc_se)


def test_wrong_turn_order_biases_the_second_speaker() -> None:
    """The update-order pitfall: data where the husband answers the wife's same-turn score."""
    frame = simulate_influence(20000, seed=5, first=0)
    right = InfluenceModel(frame, first="wife").fit()
    wrong = InfluenceModel(frame, first=None).fit()
    true_slope = TRUTH["husband_influence_slope_low"]
    assert abs(_est(right, "husband_influence_slope_low") - true_slope) < 0.03
    assert abs(_est(wrong, "husband_influence_slope_low") - true_slope) > 0.05


def test_outputs(gottman) -> None:
    res = InfluenceModel(gottman, neutral=NEUTRAL).fit()
    out = res.to_dict()
    json.dumps(out, allow_nan=False)
    assert out["first"] == "wife"
    assert out["steady_states"][0]["stable"] is True
    lines = res.nullclines()
    assert set(lines) == {"wife", "husband"}
    assert list(lines["wife"].columns) == ["husband", "wife"]
    assert "Influenced steady states" in res.summary()
    assert len(res.influence_points()) == 2 * (len(gottman) - 1)


def test_bad_input(gottman) -> None:
    with pytest.raises(DyadDataError, match="column 'wif' not found"):
        InfluenceModel(gottman, partners=("wif", "husband"))
    with pytest.raises(DyadDataError, match=r"no spread.*neutral band needed"):
        InfluenceModel(gottman).fit()  # no neutral band: almost no exact zeros
    with pytest.raises(DyadDataError, match="first speaker 'bob'"):
        InfluenceModel(gottman, first="bob")
    bad = gottman.astype(object)
    bad.loc[4, "wife"] = "angry"
    with pytest.raises(DyadDataError, match="turn 5, column 'wife': 'angry' is not a number"):
        InfluenceModel(bad)
    gap = gottman.copy()
    gap.loc[7, "husband"] = np.nan
    with pytest.raises(DyadDataError, match="missing score"):
        InfluenceModel(gap)


def test_turns_are_numbered_from_one(gottman) -> None:
    res = InfluenceModel(gottman, neutral=(0, 0.6)).fit()
    points = res.influence_points()
    for partner in ("wife", "husband"):
        turns = points.loc[points["partner"] == partner, "turn"]
        assert turns.tolist() == list(range(2, len(gottman) + 1))
    gap = gottman.copy()
    gap.loc[0, "husband"] = np.nan  # the first row is turn 1
    with pytest.raises(DyadDataError, match="turn 1, column 'husband': missing score"):
        InfluenceModel(gap)


@pytest.mark.parametrize("value", [np.inf, -np.inf, 1e308])
def test_scores_out_of_range(gottman, value: float) -> None:
    bad = gottman.copy()
    bad.loc[2, "wife"] = value
    with pytest.raises(DyadDataError, match=r"turn 3, column 'wife'.*not a usable score"):
        InfluenceModel(bad)


@pytest.mark.parametrize("band", [(np.nan, 1.0), (0.0, np.inf)])
def test_neutral_band_needs_finite_numbers(gottman, band) -> None:
    with pytest.raises(DyadDataError, match="needs two finite numbers"):
        InfluenceModel(gottman, neutral=band)
