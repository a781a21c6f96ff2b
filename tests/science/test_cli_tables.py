"""`counterpoint fit profiles`, `fit influence` and apim's --k-interval, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from counterpoint.science import cli
from counterpoint.science.influence import simulate_influence
from counterpoint.science.oscillator import simulate_clo
from counterpoint.science.profiles import simulate_profiles

PROFILES = Path(__file__).parent / "results" / "profiles" / "profiles_data.csv"
APIM_SIM = Path(__file__).parent / "results" / "apim" / "apim_sim.csv"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_bad_input(code: int, out: str, err: str, fragment: str) -> None:
    assert code == 2, err
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert fragment in err, err


@pytest.fixture
def conversation(tmp_path) -> Path:
    path = tmp_path / "talk.csv"
    simulate_influence(300, seed=3).to_csv(path, index=False)
    return path


def test_profiles_json(capsys) -> None:
    code, out, err = run(
        capsys,
        "fit",
        "profiles",
        str(PROFILES),
        "--profiles",
        "1-4",
        "--models",
        "VVV,EII",
        "--starts",
        "5",
        "--json",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["model"] == "profiles"
    assert set(doc["bic_table"]) == {"VVV", "EII"}
    assert list(doc["bic_table"]["VVV"]) == ["1", "2", "3", "4"]
    assert doc["n_dyads"] == 240 and len(doc["dyads"]) == 240
    assert abs(sum(doc["proportions"]) - 1) < 1e-12
    assert doc["dyads"][0]["dyad"] == 1


def test_profiles_from_clo_with_html(capsys, tmp_path) -> None:
    long = tmp_path / "clo.csv"
    simulate_clo(n_dyads=30, n_occasions=200, seed=2).to_csv(long, index=False)
    report = tmp_path / "profiles.html"
    code, out, err = run(
        capsys,
        "fit",
        "profiles",
        str(long),
        "--from",
        "clo",
        "--role",
        "role",
        "--profiles",
        "1-3",
        "--models",
        "EII,VII",
        "--starts",
        "3",
        "--taus",
        "4",
        "--html",
        str(report),
    )
    assert code == 0, err
    assert "obs_0, d1_0" in out
    html = report.read_text(encoding="utf-8")
    assert "BIC by number of profiles" in html and "plotly" in html


@pytest.fixture
def clo_long(tmp_path) -> Path:
    """30 couples for the oscillator; in couple 4 both partners' series are the same (no fit)."""
    long = tmp_path / "clo.csv"
    df = simulate_clo(n_dyads=30, n_occasions=200, seed=2)
    four = df["dyad"] == 4
    df.loc[four & (df["role"] == 1), "y"] = df.loc[four & (df["role"] == 0), "y"].to_numpy()
    df.to_csv(long, index=False)
    return long


PROFILE_OPTIONS = ["--profiles", "1-3", "--models", "EII,VII", "--starts", "3", "--json"]


def test_profiles_of_a_written_estimates_table(clo_long: Path, tmp_path, capsys) -> None:
    """`fit clo --out` then `fit profiles` groups on clo's eight parameters, as --from clo does:
    it used to group on every numeric column (adj_r2, tau, embed, periods, n_obs) and stop at the
    first couple without estimates."""
    from counterpoint.science.oscillator import CLO_PARAMS

    table = tmp_path / "clo_estimates.csv"
    code, _, err = run(capsys, "fit", "clo", str(clo_long), "--role", "role", "--taus", "4",
                       "--out", str(table))  # fmt: skip
    assert code == 0, err
    assert {"adj_r2", "tau", "embed", "n_obs"} <= set(pd.read_csv(table).columns)
    code, out, err = run(capsys, "fit", "profiles", str(table), *PROFILE_OPTIONS)
    assert code == 0, err
    from_table = json.loads(out)
    assert from_table["estimates_model"] == "clo"
    assert from_table["parameters"] == list(CLO_PARAMS)
    assert from_table["n_left_out"] == 1 and from_table["n_dyads"] == 29
    assert 4 not in [c["dyad"] for c in from_table["dyads"]]
    code, out, err = run(capsys, "fit", "profiles", str(clo_long), "--from", "clo",
                         "--role", "role", "--taus", "4", *PROFILE_OPTIONS)  # fmt: skip
    assert code == 0, err
    from_long = json.loads(out)
    assert from_long["estimates_model"] == "clo"
    for key in ("parameters", "n_dyads", "n_left_out", "covariance_model", "n_profiles"):
        assert from_table[key] == from_long[key], key
    assert_allclose(from_table["means"], from_long["means"], rtol=1e-9)
    assert from_table["bic"] == pytest.approx(from_long["bic"], rel=1e-9)
    code, out, err = run(capsys, "fit", "profiles", str(table), *PROFILE_OPTIONS[:-1])
    assert "estimates of" in out and "clo (one row per couple)" in out
    assert "1 couples the model could not fit" in out


def test_profiles_do_not_mix_models(clo_long: Path, tmp_path, capsys) -> None:
    clo, ic = tmp_path / "clo_estimates.csv", tmp_path / "ic_estimates.csv"
    for model, path in (("clo", clo), ("ic", ic)):
        code, _, err = run(capsys, "fit", model, str(clo_long), "--role", "role",
                           *(["--taus", "4"] if model == "clo" else []), "--out", str(path))  # fmt: skip
        assert code == 0, err
    both = pd.read_csv(clo).drop(columns=["adj_r2", "n_obs", "reason", "note"])
    both = both.merge(pd.read_csv(ic).drop(columns=["reason"]), on="dyad").dropna()
    joined = tmp_path / "joined.csv"
    both.to_csv(joined, index=False)
    code, out, err = run(capsys, "fit", "profiles", str(joined), *PROFILE_OPTIONS)
    assert_bad_input(code, out, err, "estimates of 2 models (clo, ic)")
    assert "--columns" in err and "ic: inert0,coord0,inert1,coord1" in err
    code, out, err = run(capsys, "fit", "profiles", str(joined), "--columns",
                         "inert0,coord0,inert1,coord1", *PROFILE_OPTIONS)  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert doc["estimates_model"] == "ic" and doc["parameters"] == [
        "inert0",
        "coord0",
        "inert1",
        "coord1",
    ]


@pytest.mark.parametrize("model", ["clo", "ic", "couple-var"])
def test_estimates_model_names_each_per_couple_table(model: str) -> None:
    from counterpoint.science.data import DyadicData
    from counterpoint.science.partitioned import FitSpec, fit_result, result_table
    from counterpoint.science.profiles import estimates_model, estimates_params
    from counterpoint.science.simulate import simulate

    df = simulate(model, 5, 60, seed=1)
    data = DyadicData(df, dyad="dyad", person="person", role="role", time="time", variables=["y"])
    table = result_table(fit_result(data, FitSpec(model=model, var="y", role="role")))
    assert estimates_model(list(table.columns)) == model
    params = estimates_params(model, list(table.columns))
    from counterpoint.science.inertia_coordination import IC_PARAMS
    from counterpoint.science.oscillator import CLO_PARAMS

    expected = {
        "clo": list(CLO_PARAMS),  # the model's own list (profiles spells it out)
        "ic": [c for c in IC_PARAMS if not c.startswith("int")],  # dynamics, not intercepts
        "couple-var": ["actor@0", "partner@0", "actor@1", "partner@1"],
    }[model]
    assert params == expected
    assert not {"adj_r2", "n_obs", "n_occasions", "tau", "int0"} & set(params)
    assert estimates_model(list(simulate_profiles(10, seed=1)[0].columns)) is None


def test_influence_table_and_html(capsys, conversation, tmp_path) -> None:
    report = tmp_path / "influence.html"
    code, out, err = run(
        capsys, "fit", "influence", str(conversation), "--influence", "ojive", "--html", str(report)
    )
    assert code == 0, err
    assert "wife speaks first" in out and "wife_influence_C" in out
    assert "Null clines and influenced steady states" in report.read_text(encoding="utf-8")


def test_influence_json_previous_turn(capsys, conversation) -> None:
    code, out, err = run(capsys, "fit", "influence", str(conversation), "--first", "none", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["first"] is None and doc["n_turns"] == 300
    assert "wife_inertia" in doc["params"]


def test_apim_k_interval_option(capsys) -> None:
    code, out, err = run(
        capsys,
        "fit",
        "apim",
        str(APIM_SIM),
        "--outcome",
        "y",
        "--x",
        "x",
        "--indistinguishable",
        "--k-interval",
        "bootstrap",
        "--boot",
        "100",
        "--seed",
        "3",
        "--json",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["k_interval"] == "bootstrap"
    assert doc["k"]["x"]["ci_low"] < doc["k"]["x"]["estimate"] < doc["k"]["x"]["ci_high"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["profiles", str(PROFILES), "--models", "XYZ"], "unknown covariance model 'XYZ'"),
        (["profiles", str(PROFILES), "--profiles", "a-b"], "expected a range like 1-9"),
        (["profiles", str(PROFILES), "--lag", "2"], "--lag is an option of ic, not of profiles"),
        (["profiles", str(PROFILES), "--columns", "x9"], "column 'x9' not found"),
        (["profiles", "nope.csv"], "no such file: nope.csv"),
        (["ic", str(PROFILES), "--k-interval", "fieller"], "--k-interval is an option of apim"),
        (
            ["apim", str(APIM_SIM), "--outcome", "y", "--x", "x", "--k-interval", "wald"],
            "invalid choice",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, args, fragment) -> None:
    code, out, err = run(capsys, "fit", *args)
    assert_bad_input(code, out, err, fragment)


def test_influence_bad_input(capsys, conversation, tmp_path) -> None:
    code, out, err = run(capsys, "fit", "influence", str(conversation), "--partners", "a,b")
    assert_bad_input(code, out, err, "column 'a' not found")
    code, out, err = run(capsys, "fit", "influence", str(conversation), "--first", "bob")
    assert_bad_input(code, out, err, "first speaker 'bob'")
    code, out, err = run(capsys, "fit", "influence", str(conversation), "--neutral", "2,1")
    assert_bad_input(code, out, err, "is empty")


def test_profiles_refuses_repeated_couples(capsys, tmp_path) -> None:
    frame, _ = simulate_profiles(20, seed=1)
    frame = frame.reset_index()
    frame.loc[3, "dyad"] = 2
    path = tmp_path / "dup.csv"
    frame.to_csv(path, index=False)
    code, out, err = run(capsys, "fit", "profiles", str(path))
    assert_bad_input(code, out, err, "couple 2 has more than one row")


def test_parser_lists_the_mixture_models_without_importing_them() -> None:
    from counterpoint.science.cli_tables import PROFILE_MODELS
    from counterpoint.science.profiles import MODEL_NAMES

    assert PROFILE_MODELS == MODEL_NAMES


# -- bad input: the same reader as every other model ------------------------------------------------
def test_influence_reads_like_fit(capsys, conversation, tmp_path) -> None:
    """Parquet, compressed CSV, encodings and missing files go through files.read_frame."""
    import gzip

    packed = tmp_path / "talk.csv.gz"
    packed.write_bytes(gzip.compress(conversation.read_bytes()))
    code, out, err = run(capsys, "fit", "influence", str(packed), "--json")
    assert code == 0, err
    assert json.loads(out)["n_turns"] == 300
    code, out, err = run(capsys, "fit", "influence", str(tmp_path / "none.csv"))
    assert_bad_input(code, out, err, "no such file")
    latin = tmp_path / "latin.csv"
    text = conversation.read_text().splitlines()
    rows = [text[0] + ",note", *(f"{line},caf\u00e9" for line in text[1:])]
    latin.write_bytes(("\n".join(rows) + "\n").encode("latin-1"))
    code, out, err = run(capsys, "fit", "influence", str(latin))
    assert_bad_input(code, out, err, "not UTF-8")


@pytest.mark.parametrize("value", ["inf", "-inf", "1e308", "abc"])
def test_influence_bad_score_names_its_turn(capsys, conversation, tmp_path, value) -> None:
    lines = conversation.read_text().splitlines()
    cells = lines[3].split(",")
    cells[0] = value
    lines[3] = ",".join(cells)  # line 4 of the file: turn 3
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    code, out, err = run(capsys, "fit", "influence", str(bad))
    assert_bad_input(code, out, err, "turn 3, column 'wife'")


@pytest.mark.parametrize("band", ["nan,1", "0,inf", "-inf,0"])
def test_neutral_band_must_be_finite(capsys, conversation, band) -> None:
    code, out, err = run(capsys, "fit", "influence", str(conversation), f"--neutral={band}")
    assert_bad_input(code, out, err, "--neutral")


def test_influence_html_numbers_steady_states_from_one(capsys, conversation, tmp_path) -> None:
    report = tmp_path / "states.html"
    code, _, err = run(capsys, "fit", "influence", str(conversation), "--html", str(report))
    assert code == 0, err
    html = report.read_text(encoding="utf-8")
    states = html[html.index("Influenced steady states</h2>") :]
    states = states[: states.index("</table>")]
    assert "<th>1</th>" in states and "<th>0</th>" not in states


def test_profiles_column_with_a_stray_word(capsys, tmp_path) -> None:
    """The default columns are the numeric ones: one word used to drop a whole column silently."""
    lines = PROFILES.read_text().splitlines()
    cells = lines[5].split(",")
    cells[2] = "n.a."
    lines[5] = ",".join(cells)
    bad = tmp_path / "stray.csv"
    bad.write_text("\n".join(lines) + "\n")
    column = lines[0].split(",")[2]
    code, out, err = run(capsys, "fit", "profiles", str(bad), "--profiles", "1-2")
    assert_bad_input(code, out, err, f"column '{column}': 'n.a.' is not a number")


@pytest.mark.parametrize(
    ("model", "option", "value"),
    [
        ("profiles", "--columns", "x1,x1"),
        ("profiles", "--models", "EII,EII"),
        ("influence", "--partners", "wife,wife"),
    ],
)
def test_a_name_given_twice(capsys, model, option, value) -> None:
    code, out, err = run(capsys, "fit", model, str(PROFILES), option, value)
    assert_bad_input(code, out, err, "given twice")


def test_profiles_read_parquet_and_missing_file(capsys, tmp_path) -> None:
    code, out, err = run(capsys, "fit", "profiles", str(tmp_path / "none.parquet"))
    assert_bad_input(code, out, err, "no such file")
