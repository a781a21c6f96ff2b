"""Simulated data for every model, with known parameters: ``simulate(model, n_dyads, n_occasions, seed)``.

The generators live next to their models (``simulate_apim`` in :mod:`~counterpoint.science.apim`,
``simulate_ic``, ``simulate_clo``, ``simulate_var``); this module dispatches to them by model name
and re-exports them. Each model module is imported on first use.
"""

from __future__ import annotations

import inspect
import math
import tempfile
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # re-exported lazily by __getattr__ below
    from counterpoint.science.apim import simulate_apim as simulate_apim
    from counterpoint.science.inertia_coordination import simulate_ic as simulate_ic
    from counterpoint.science.mlvar import simulate_var as simulate_var
    from counterpoint.science.oscillator import simulate_clo as simulate_clo

__all__ = [
    "MAX_SIMULATED_ROWS",
    "MODELS",
    "check_params",
    "check_size",
    "estimate_file_bytes",
    "simulate",
]

MAX_SIMULATED_ROWS = 50_000_000
"""Most rows one call of :func:`simulate` makes: all of them are held in memory at once (about
2 GB of columns at this size, more while they are written out as CSV)."""

SAMPLE_ROWS = 20_000
SAMPLE_OCCASIONS = 1_000
"""Most rows and occasions :func:`estimate_file_bytes` draws and writes to measure a file's size."""

# model name -> (module, generator)
MODELS: dict[str, tuple[str, str]] = {
    "apim": ("counterpoint.science.apim", "simulate_apim"),
    "ic": ("counterpoint.science.inertia_coordination", "simulate_ic"),
    "clo": ("counterpoint.science.oscillator", "simulate_clo"),
    "var": ("counterpoint.science.mlvar", "simulate_var"),
    "couple-var": ("counterpoint.science.mlvar", "simulate_var"),
}


def check_size(n_dyads: int, n_occasions: int) -> int:
    """The number of rows ``n_dyads`` dyads of ``n_occasions`` occasions make (two people each);
    raises ValueError, before anything is drawn, when it exceeds :data:`MAX_SIMULATED_ROWS`."""
    if n_dyads < 1 or n_occasions < 1:
        raise ValueError("the number of dyads and of occasions must be at least 1")
    rows = 2 * n_dyads * n_occasions
    if rows > MAX_SIMULATED_ROWS:
        raise ValueError(
            f"{n_dyads:,} dyads × 2 people × {n_occasions:,} occasions make {rows:,} rows, more "
            f"than the {MAX_SIMULATED_ROWS:,} that are simulated in memory at once"
        )
    return rows


def _generator(model: str) -> Any:
    try:
        module, name = MODELS[model]
    except KeyError:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}") from None
    return getattr(import_module(module), name)


# parameters that are standard deviations, correlations, probabilities or counts (any generator)
_NOT_NEGATIVE = {"sigma", "noise", "measurement_error", "re_sd", "x_sd", "sd"}
_CORRELATIONS = {"rho", "x_rho", "re_corr"}
_COUNTS = {"beeps_per_day": 1, "substeps": 1, "burn_in": 0}  # name -> smallest value


def check_params(model: str, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` checked against ``model``'s generator: known names, finite numbers, one per role
    at most two, SDs not negative, correlations within ±1, counts whole. Raises ValueError naming
    the parameter; returns the values as the generator takes them (a pair where it wants one)."""
    signature = inspect.signature(_generator(model))
    known = {
        name: p
        for name, p in signature.parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
        and isinstance(p.default, int | float | tuple)
        and not isinstance(p.default, bool)
        and all(isinstance(v, int | float) for v in _flat(p.default))
    }
    if model in ("var", "couple-var"):
        known["beeps_per_day"] = inspect.Parameter(
            "beeps_per_day", inspect.Parameter.KEYWORD_ONLY, default=1
        )
    out: dict[str, Any] = {}
    for name, value in params.items():
        if name not in known:
            raise ValueError(
                f"{model} has no parameter {name!r}; it has {', '.join(sorted(known))}"
            )
        out[name] = _check_value(name, value, known[name])
    return out


def _flat(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, tuple) else (value,)


def _check_value(name: str, value: Any, param: inspect.Parameter) -> Any:
    numbers = [float(v) for v in _flat(value)]
    pair = isinstance(param.default, tuple)  # always a pair: one number serves both roles
    per_role = pair or "Sequence" in str(param.annotation)  # a number, or a pair
    if len(numbers) > (2 if per_role else 1):
        takes = "one number or two (one per role)" if per_role else "one number"
        raise ValueError(f"{name} takes {takes}, got {len(numbers)}")
    for v in numbers:
        if not math.isfinite(v):
            raise ValueError(f"{name} must be a finite number, got {v}")
        if name in _NOT_NEGATIVE and v < 0:
            raise ValueError(f"{name} is a standard deviation and cannot be negative, got {v:g}")
        if name in _CORRELATIONS and not -1 <= v <= 1:
            raise ValueError(f"{name} is a correlation and must lie in -1..1, got {v:g}")
        if name == "missing" and not 0 <= v < 1:
            raise ValueError(f"missing is a probability and must lie in 0..1 (below 1), got {v:g}")
        if name == "delta" and not v > 0:
            raise ValueError(f"delta is the time between occasions and must be positive, got {v:g}")
        if name in _COUNTS and (not v.is_integer() or v < _COUNTS[name]):
            raise ValueError(
                f"{name} must be a whole number of at least {_COUNTS[name]}, got {v:g}"
            )
    if name in _COUNTS:
        return int(numbers[0])
    if pair:
        return tuple(numbers) if len(numbers) == 2 else (numbers[0], numbers[0])
    return numbers[0] if len(numbers) == 1 else tuple(numbers)


def simulate(
    model: str, n_dyads: int, n_occasions: int, seed: int | None = None, **params: Any
) -> pd.DataFrame:
    """Simulate long-format data for ``model`` (``apim``, ``ic``, ``clo``, ``var``, ``couple-var``).

    Parameters
    ----------
    model : str
        Model name as on the command line.
    n_dyads, n_occasions : int
        Size: ``2 · n_dyads · n_occasions`` rows, at most :data:`MAX_SIMULATED_ROWS` (a larger
        request raises ValueError before anything is drawn). The APIM is cross-sectional and takes
        ``n_occasions=1``. For ``var`` and ``couple-var``, ``n_occasions`` is the number of
        occasions per person: days × beeps a day (``beeps_per_day`` in ``params``, default 1 — a
        daily diary, returned without ``day`` and ``beep`` columns); it must be a multiple of it.
    seed : int, optional
        Seed for numpy's default generator; the same seed gives the same data.
    **params
        Model parameters, passed to the model's generator (see its docstring).

    Returns
    -------
    DataFrame
        Columns ``dyad, person, role`` and the model's variables (``time`` for longitudinal models).

    Examples
    --------
    >>> simulate("apim", n_dyads=2, n_occasions=1, seed=1).columns.tolist()
    ['dyad', 'person', 'role', 'x', 'y']
    """
    check_size(n_dyads, n_occasions)
    generate = _generator(model)
    params = check_params(model, params)
    if model in ("var", "couple-var"):
        beeps = int(params.pop("beeps_per_day", 1))
        if beeps < 1 or n_occasions % beeps:
            raise ValueError(
                f"{n_occasions} occasions do not split into days of {beeps} beeps; "
                "give a multiple of beeps_per_day"
            )
        frame: pd.DataFrame = generate(
            n_dyads, n_days=n_occasions // beeps, beeps_per_day=beeps, seed=seed, **params
        )
        if beeps == 1:
            # a daily diary: the time column is the day, and a day column would forbid every lag
            frame = frame.drop(columns=[c for c in ("day", "beep") if c in frame.columns])
        return frame
    frame = generate(n_dyads, n_occasions, seed, **params)
    return frame


def estimate_file_bytes(
    model: str, n_dyads: int, n_occasions: int, name: str, **params: Any
) -> int:
    """Bytes that :func:`simulate` data of this size take written as ``name`` (``*.parquet`` as
    ``DataFrame.to_parquet`` writes it, else CSV, compressed by extension as ``to_csv`` does).

    A sample of at most :data:`SAMPLE_ROWS` rows (fewer dyads, at most :data:`SAMPLE_OCCASIONS`
    occasions) is drawn with the same parameters, its ids and times moved to the top of the
    ranges the full data use (so CSV numbers are as wide as the widest), and written to a
    temporary file; its size per dyad-occasion, times the dyad-occasions asked for, is the
    estimate. Random values do not compress, so the size hardly depends on the length of the file;
    Parquet compresses ids better in large files than in the sample, so its estimate is high.
    """
    from counterpoint.science.files import PARQUET_SUFFIXES

    beeps = int(params.get("beeps_per_day", 1)) if model in ("var", "couple-var") else 1
    occasions = min(n_occasions, max(beeps, SAMPLE_OCCASIONS // beeps * beeps))
    dyads = max(1, min(n_dyads, SAMPLE_ROWS // (2 * occasions)))
    sample = simulate(model, dyads, occasions, seed=0, **params)
    later = {
        "dyad": n_dyads - dyads,
        "person": 2 * (n_dyads - dyads),
        "time": n_occasions - occasions,
        "day": (n_occasions - occasions) // beeps,
    }
    for column, shift in later.items():
        if column in sample.columns:
            sample[column] += shift
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        if path.suffix.lower() in PARQUET_SUFFIXES:
            sample.to_parquet(path, index=False)
        else:
            sample.to_csv(path, index=False)
        size = path.stat().st_size
    return math.ceil(size * (n_dyads * n_occasions) / (dyads * occasions))


def __getattr__(name: str) -> Any:
    for model, (_, generator) in MODELS.items():
        if generator == name:
            return _generator(model)
    raise AttributeError(f"module 'counterpoint.science.simulate' has no attribute {name!r}")
