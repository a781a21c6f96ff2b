"""The `counterpoint` command, in-process and as the installed console script."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from counterpoint.science import cli
from counterpoint.science.simulate import simulate

SCRIPT = Path(sys.executable).parent / "counterpoint"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    if not SCRIPT.exists():
        pytest.skip(f"console script not installed at {SCRIPT} (pip install -e .)")
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=120, check=False
    )


def assert_bad_input(code: int, out: str, err: str, fragment: str) -> None:
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert fragment in err, err


# -- the reference data -------------------------------------------------------------------------
def test_apim_on_acitelli_json(reference_data) -> None:
    proc = run(
        "fit", "apim", str(reference_data / "acipair.csv"),
        "--dyad", "CoupleID", "--person", "Partnum",
        "--outcome", "Satisfaction_A", "--actor", "Tension_A", "--partner", "SelfPos_A",
        "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["model"] == "apim" and out["n_dyads"] == 148
    params = out["params"]
    assert set(params["actor_Tension_A"]) == {"estimate", "se", "ci_low", "ci_high"}
    assert round(params["intercept"]["estimate"], 4) == 4.7190
    assert round(params["actor_Tension_A"]["estimate"], 4) == -0.3454
    assert round(params["partner_SelfPos_A"]["se"], 4) == 0.0516
    # R's published values to 7 digits; the REML optimum agrees to within 5e-7 (as test_apim.py
    # checks), so a last-digit rounding flip is not a disagreement
    assert params["rho"]["estimate"] == pytest.approx(0.4715039, abs=5e-7)
    assert params["sigma"]["estimate"] == pytest.approx(0.4052903, abs=5e-7)
    assert out["pseudo_r2"]["all"] == pytest.approx(0.3348468, abs=5e-7)


def test_apim_distinguishable_table_in_process(reference_data, capsys) -> None:
    code = cli.main(
        [
            "fit", "apim", str(reference_data / "acipair.csv"),
            "--dyad", "CoupleID", "--person", "Partnum", "--role", "Gender_A",
            "--outcome", "Satisfaction_A", "--x", "OtherPos_A",
        ]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "actor_OtherPos_A@Wife" in out and "distinguishability (ML LR)" in out
    assert err == ""  # no progress display when stderr is not a terminal


def test_clo_on_rties_json(reference_data) -> None:
    proc = run(
        "fit", "clo", str(reference_data / "rties_ExampleDataFull.csv.gz"),
        "--dyad", "couple", "--person", "person", "--role", "female", "--var", "dial",
        "--taus", "4,5", "--embeds", "3,4,5", "--delta", "1", "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["model"] == "clo" and len(out["dyads"]) == 80
    dyad2 = next(d for d in out["dyads"] if d["dyad"] == 2)
    assert (dyad2["tau"], dyad2["embed"]) == (5, 5)
    assert set(dyad2["params"]) == {
        "obs_0", "d1_0", "p_obs_0", "p_d1_0", "obs_1", "d1_1", "p_obs_1", "p_d1_1",
    }  # fmt: skip
    dyad19 = next(d for d in out["dyads"] if d["dyad"] == 19)
    assert dyad19["reason"]


# -- simulated data, every model ------------------------------------------------------------------
@pytest.mark.parametrize("model", ["apim", "ic", "clo", "var", "couple-var"])
def test_simulate_then_fit_as_subprocess(model: str, tmp_path: Path) -> None:
    data = tmp_path / f"{model}.csv"
    occasions = [] if model == "apim" else ["--occasions", "80"]
    # simulate in-process, fit as a subprocess: both paths, one interpreter start per model
    assert (
        cli.main(["simulate", model, "--dyads", "6", *occasions, "--seed", "5", "-o", str(data)])
        == 0
    )
    assert len(pd.read_csv(data)) == (12 if model == "apim" else 6 * 2 * 80)
    opts = ["--outcome", "y", "--x", "x"] if model == "apim" else ["--var", "y"]
    proc = run("fit", model, str(data), "--role", "role", *opts, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["model"] == model
    if model in ("apim", "var"):
        assert {"estimate", "se", "ci_low", "ci_high"} <= set(next(iter(out["params"].values())))
    else:
        assert len(out["dyads"]) == 6
        assert {"dyad", "params", "adj_r2", "reason"} <= set(out["dyads"][0])


def test_simulate_to_stdout_is_reproducible(capsys) -> None:
    assert cli.main(["simulate", "ic", "--dyads", "2", "--occasions", "10", "--seed", "1"]) == 0
    first = capsys.readouterr().out
    assert cli.main(["simulate", "ic", "--dyads", "2", "--occasions", "10", "--seed", "1"]) == 0
    assert capsys.readouterr().out == first
    assert first.splitlines()[0].startswith("dyad,person,role")


def test_simulate_parameters(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.csv"
    code = cli.main(
        ["simulate", "apim", "--dyads", "400", "--seed", "2", "--param", "a=0.5,0.1",
         "--param", "sigma=0.001", "-o", str(path)]
    )  # fmt: skip
    assert code == 0
    df = pd.read_csv(path)
    assert (
        cli.main(
            ["fit", "apim", str(path), "--role", "role", "--outcome", "y", "--x", "x", "--json"]
        )
        == 0
    )
    params = json.loads(capsys.readouterr().out)["params"]
    assert params["actor_x@A"]["estimate"] == pytest.approx(0.5, abs=0.01)
    assert params["actor_x@B"]["estimate"] == pytest.approx(0.1, abs=0.01)
    assert len(df) == 800


def test_html_report_is_self_contained(tmp_path: Path, capsys) -> None:
    data = tmp_path / "d.csv"
    simulate("apim", 30, 1, seed=4).to_csv(data, index=False)
    report = tmp_path / "r.html"
    code = cli.main(["fit", "apim", str(data), "--outcome", "y", "--x", "x", "--html", str(report)])
    assert code == 0
    text = report.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>")
    assert "Plotly.newPlot" in text and "actor_x" in text
    assert "<script src=" not in text.replace('<script src="', "<script src=")  # nothing fetched
    assert len(text) > 1_000_000  # plotly.js is inlined
    assert f"report written to {report}" in capsys.readouterr().out


def test_html_report_for_a_per_dyad_model(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    simulate("ic", 4, 60, seed=4).to_csv(data, index=False)
    report = tmp_path / "r.html"
    assert cli.main(["fit", "ic", str(data), "--html", str(report), "--json"]) == 0
    assert "Distribution across dyads" in report.read_text(encoding="utf-8")


def test_progress_display_does_not_break_output(tmp_path: Path, capsys, monkeypatch) -> None:
    data = tmp_path / "d.csv"
    simulate("apim", 10, 1, seed=4).to_csv(data, index=False)
    monkeypatch.setattr(cli, "MANY_DYADS", 1)  # treat 10 dyads as a large run
    assert cli.main(["fit", "apim", str(data), "--outcome", "y", "--x", "x", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["n_dyads"] == 10
    # stderr is not a terminal here: plain stage lines for the log
    lines = err.splitlines()
    assert lines[0].startswith("counterpoint: read 20 rows")
    assert lines[-1].startswith("counterpoint: done")
    assert cli.main(["fit", "apim", str(data), "--outcome", "y", "--x", "x", "--quiet"]) == 0
    assert capsys.readouterr().err == ""


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal (and keeps what is written to it)."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def small_apim(tmp_path: Path) -> Path:
    data = tmp_path / "d.csv"
    simulate("apim", 10, 1, seed=4).to_csv(data, index=False)
    return data


BOOTSTRAP = ["--outcome", "y", "--x", "x", "--k-interval", "bootstrap", "--boot", "50", "--json"]


def test_bootstrap_progress_on_a_terminal(small_apim: Path, capsys, monkeypatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["fit", "apim", str(small_apim), *BOOTSTRAP]) == 0
    assert json.loads(capsys.readouterr().out)["k_interval"] == "bootstrap"
    shown = terminal.getvalue()
    assert "bootstrap refits" in shown  # rich's own bar for the refits
    monkeypatch.setattr(sys, "stderr", terminal := _Terminal())
    assert cli.main(["fit", "apim", str(small_apim), *BOOTSTRAP, "--quiet"]) == 0
    assert terminal.getvalue() == ""


def test_bootstrap_progress_in_a_log(small_apim: Path, capsys, monkeypatch) -> None:
    """In a log, a line at every tenth of the refits, only when the run shows progress at all."""
    assert cli.main(["fit", "apim", str(small_apim), *BOOTSTRAP]) == 0
    assert capsys.readouterr().err == ""  # a small run
    monkeypatch.setattr(cli, "MANY_DYADS", 1)  # treat 10 dyads as a large run
    assert cli.main(["fit", "apim", str(small_apim), *BOOTSTRAP]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["k_interval"] == "bootstrap"
    counts = [
        line.split("bootstrap refits ", 1)[1].split(" ", 1)[0]
        for line in err.splitlines()
        if "bootstrap refits" in line
    ]
    assert counts == [f"{done}/50" for done in range(5, 51, 5)]
    assert err.splitlines()[-1].startswith("counterpoint: done")


@pytest.mark.parametrize("boot", ["49", "100001", "1e3", "many"])
def test_boot_out_of_range(boot: str, small_apim: Path, capsys) -> None:
    from counterpoint.science.apim_k import MAX_BOOT, MIN_BOOT

    args = [*BOOTSTRAP[:-3], "--boot", boot]
    code = cli.main(["fit", "apim", str(small_apim), *args])
    out, err = capsys.readouterr()
    assert_bad_input(code, out, err, f"from {MIN_BOOT} to {MAX_BOOT:,}, got {boot!r}")


@pytest.mark.parametrize("interval", [[], ["--k-interval", "fieller"]])
def test_boot_without_a_bootstrap(interval: list[str], small_apim: Path, capsys) -> None:
    """--boot used to be accepted and ignored when the interval was not a bootstrap."""
    args = ["--outcome", "y", "--x", "x", *interval, "--boot=500"]
    code = cli.main(["fit", "apim", str(small_apim), *args])
    out, err = capsys.readouterr()
    assert_bad_input(code, out, err, "add --k-interval bootstrap")


def test_help_states_the_boot_range(capsys) -> None:
    from counterpoint.science.apim_k import MAX_BOOT, MIN_BOOT

    assert cli.main(["fit", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"{MIN_BOOT} to {MAX_BOOT:,}" in help_text


# -- bad input: exit 2, one line, no traceback ------------------------------------------------------
@pytest.fixture
def long_csv(tmp_path: Path) -> Path:
    path = tmp_path / "long.csv"
    simulate("ic", 3, 20, seed=1).to_csv(path, index=False)
    return path


def test_wrong_column_names(long_csv: Path, capsys) -> None:
    proc = run("fit", "ic", str(long_csv), "--dyad", "couple")
    assert_bad_input(proc.returncode, proc.stdout, proc.stderr, "column 'couple' not found")
    code = cli.main(["fit", "ic", str(long_csv), "--var", "mood"])
    out, err = capsys.readouterr()
    assert_bad_input(code, out, err, "column 'mood' not found")


def test_three_people_in_a_dyad(long_csv: Path, tmp_path: Path) -> None:
    df = pd.read_csv(long_csv)
    extra = df[(df.dyad == 2) & (df.person == df[df.dyad == 2].person.min())].assign(person=999)
    bad = tmp_path / "three.csv"
    pd.concat([df, extra]).to_csv(bad, index=False)
    proc = run("fit", "ic", str(bad))
    assert_bad_input(proc.returncode, proc.stdout, proc.stderr, "dyad 2 has 3 people")


def test_duplicate_occasions(long_csv: Path, tmp_path: Path) -> None:
    df = pd.read_csv(long_csv)
    df.loc[5, "time"] = df.loc[4, "time"]
    bad = tmp_path / "dup.csv"
    df.to_csv(bad, index=False)
    proc = run("fit", "ic", str(bad))
    assert_bad_input(
        proc.returncode, proc.stdout, proc.stderr, "lines 6, 7, column 'time': duplicate occasion"
    )


def test_text_in_a_numeric_column(long_csv: Path, tmp_path: Path, capsys) -> None:
    df = pd.read_csv(long_csv).astype({"y": object})
    df.loc[3, "y"] = "high"
    bad = tmp_path / "text.csv"
    df.to_csv(bad, index=False)
    code = cli.main(["fit", "var", str(bad)])
    out, err = capsys.readouterr()
    assert_bad_input(code, out, err, "line 5, column 'y': 'high' is not a number")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    proc = run("fit", "apim", str(empty), "--outcome", "y", "--x", "x")
    assert_bad_input(proc.returncode, proc.stdout, proc.stderr, "is empty")


def test_header_only_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "header.csv"
    path.write_text("dyad,person,time,y\n")
    code = cli.main(["fit", "ic", str(path)])
    out, err = capsys.readouterr()
    assert_bad_input(code, out, err, "no data rows")


def test_missing_file(capsys) -> None:
    code = cli.main(["fit", "clo", "/nonexistent/data.csv"])
    out, err = capsys.readouterr()
    assert_bad_input(code, out, err, "no such file")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["fit", "ic", "D", "--lag", "0"], "expected a positive integer"),
        (["fit", "clo", "D", "--taus", "4,x"], "comma-separated integers"),
        (["fit", "nope", "D"], "invalid choice: 'nope'"),
        (["fit", "ic", "D", "--bogus"], "unrecognized arguments: --bogus"),
        (["fit", "ic", "D", "--outcome", "y"], "--outcome is an option of apim, not of ic"),
        (["fit", "apim", "D", "--outcome", "y"], "apim needs at least one of --x"),
        (["fit", "apim", "D", "--x", "x"], "apim needs --outcome"),
        (["simulate", "ic", "--dyads", "2"], "needs --occasions"),
        (["simulate", "apim", "--dyads", "2", "--occasions", "3"], "cross-sectional"),
        (["simulate", "apim", "--dyads", "2", "--param", "bogus=1"], "no parameter"),
        (["simulate", "apim", "--dyads", "0"], "positive integer"),
    ],
)
def test_bad_options(args: list[str], fragment: str, long_csv: Path, capsys) -> None:
    args = [str(long_csv) if a == "D" else a for a in args]
    code = cli.main(args)
    out, err = capsys.readouterr()
    assert_bad_input(code, out, err, fragment)


def test_bad_option_as_subprocess(long_csv: Path) -> None:
    proc = run("fit", "clo", str(long_csv), "--embeds", "2")
    assert_bad_input(proc.returncode, proc.stdout, proc.stderr, "embeds")


def test_help_lists_every_model(capsys) -> None:
    assert cli.main(["fit", "--help"]) == 0
    out = capsys.readouterr().out
    for model in ("apim", "ic", "clo", "var", "couple-var"):
        assert model in out


@pytest.mark.parametrize("command", ["fit", "simulate", "prepare"])
def test_docs_show_the_current_help(command: str, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    expected = sub.choices[command].format_help().strip()
    doc = (Path(__file__).parents[2] / "docs" / "science.md").read_text(encoding="utf-8")
    start = doc.index(f"<!-- help:{command} -->")
    block = doc[start : doc.index(f"<!-- /help:{command} -->")]
    shown = block.split("```text\n", 1)[1].rsplit("```", 1)[0].strip()
    assert shown == expected, f"regenerate with: COLUMNS=100 counterpoint {command} --help"
