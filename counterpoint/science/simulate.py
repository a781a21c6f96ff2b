"""Simulated data for every model, with known parameters: ``simulate(model, n_dyads, n_occasions, seed)``.

The generators live next to their models (``simulate_apim`` in :mod:`~counterpoint.science.apim`,
``simulate_ic``, ``simulate_clo``, ``simulate_var``); this module dispatches to them by model name
and re-exports them. Each model module is imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # re-exported lazily by __getattr__ below
    from counterpoint.science.apim import simulate_apim as simulate_apim
    from counterpoint.science.inertia_coordination import simulate_ic as simulate_ic
    from counterpoint.science.mlvar import simulate_var as simulate_var
    from counterpoint.science.oscillator import simulate_clo as simulate_clo

__all__ = ["MODELS", "simulate"]

# model name -> (module, generator)
MODELS: dict[str, tuple[str, str]] = {
    "apim": ("counterpoint.science.apim", "simulate_apim"),
    "ic": ("counterpoint.science.inertia_coordination", "simulate_ic"),
    "clo": ("counterpoint.science.oscillator", "simulate_clo"),
    "var": ("counterpoint.science.mlvar", "simulate_var"),
    "couple-var": ("counterpoint.science.mlvar", "simulate_var"),
}


def _generator(model: str) -> Any:
    try:
        module, name = MODELS[model]
    except KeyError:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}") from None
    return getattr(import_module(module), name)


def simulate(
    model: str, n_dyads: int, n_occasions: int, seed: int | None = None, **params: Any
) -> pd.DataFrame:
    """Simulate long-format data for ``model`` (``apim``, ``ic``, ``clo``, ``var``, ``couple-var``).

    Parameters
    ----------
    model : str
        Model name as on the command line.
    n_dyads, n_occasions : int
        Size. The APIM is cross-sectional and takes ``n_occasions=1``. For ``var`` and
        ``couple-var``, ``n_occasions`` is the number of occasions per person: days × beeps a day
        (``beeps_per_day`` in ``params``, default 1 — a daily diary, returned without ``day`` and
        ``beep`` columns); it must be a multiple of it.
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
    if n_dyads < 1 or n_occasions < 1:
        raise ValueError("the number of dyads and of occasions must be at least 1")
    generate = _generator(model)
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


def __getattr__(name: str) -> Any:
    for model, (_, generator) in MODELS.items():
        if generator == name:
            return _generator(model)
    raise AttributeError(f"module 'counterpoint.science.simulate' has no attribute {name!r}")
