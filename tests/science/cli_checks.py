"""What every refusal of the command line looks like: exit 2, one line on stderr naming the
problem, nothing on stdout, no traceback."""

from __future__ import annotations

from counterpoint.science import cli


def assert_bad_input(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err and "internal error" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err, err


def fit(capsys, *args: str) -> tuple[int, str, str]:
    """``counterpoint fit ARGS``: its exit code, stdout and stderr."""
    code = cli.main(["fit", *args])
    out, err = capsys.readouterr()
    return code, out, err
