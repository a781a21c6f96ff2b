"""Command-line options and loading for the models fitted to a plain table: profiles and influence.

``counterpoint fit profiles DATA`` reads one row per couple (their parameter estimates), or, with
``--from MODEL``, long dyadic data from which MODEL's per-couple estimates are made first.
``counterpoint fit influence DATA`` reads one conversation: one row per turn, a column per partner.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from counterpoint.science.errors import DyadDataError

if TYPE_CHECKING:  # the command line imports this module for its options: keep pandas out of it
    import pandas as pd

__all__ = ["TABLE_OPTION_OWNERS", "add_table_options", "fit_table_model", "seed_number"]

FROM_MODELS = ("clo", "ic", "couple-var")
MAX_PROFILES = 100  # numbers of profiles to try, and EM starts per fit: beyond these a run would
MAX_STARTS = 1000  # take days or more memory than a machine has, and a typo is likelier

TABLE_OPTION_OWNERS = {
    "--columns": "profiles",
    "--profiles": "profiles",
    "--models": "profiles",
    "--starts": "profiles",
    "--from": "profiles",
    "--partners": "influence",
    "--first": "influence",
    "--influence": "influence",
    "--threshold": "influence",
    "--neutral": "influence",
    "--round": "influence",
}


def seed_number(text: str) -> int:
    """A random seed: numpy takes whole numbers from 0 on."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 0 on, got {text!r}"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 on, got {text!r}")
    return value


def _names(text: str) -> list[str]:
    values = [v.strip() for v in text.split(",") if v.strip()]
    if not values:
        raise argparse.ArgumentTypeError("expected comma-separated names")
    twice = [v for i, v in enumerate(values) if v in values[:i]]
    if twice:
        raise argparse.ArgumentTypeError(f"{twice[0]!r} is given twice in {text!r}")
    return values


def _profile_range(text: str) -> list[int]:
    """``1-9`` or ``2,3,5``."""
    try:
        if "-" in text:
            lo, hi = (int(v) for v in text.split("-", 1))
            if hi > MAX_PROFILES:  # before the list: 1-1000000000 filled memory
                raise argparse.ArgumentTypeError(f"at most {MAX_PROFILES} profiles, got {text!r}")
            values = list(range(lo, hi + 1))
        else:
            values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a range like 1-9 or a list like 2,3,4, got {text!r}"
        ) from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive numbers of profiles, got {text!r}")
    if max(values) > MAX_PROFILES:
        raise argparse.ArgumentTypeError(f"at most {MAX_PROFILES} profiles, got {text!r}")
    return values


def _band(text: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LOW,HIGH, got {text!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise argparse.ArgumentTypeError(f"expected two finite numbers LOW,HIGH, got {text!r}")
    if lo > hi:
        raise argparse.ArgumentTypeError(f"the neutral band {text!r} is empty (LOW > HIGH)")
    return lo, hi


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    if value > MAX_STARTS:
        raise argparse.ArgumentTypeError(f"at most {MAX_STARTS} starts, got {text!r}")
    return value


# profiles.MODEL_NAMES, spelled out so that building the parser (every `counterpoint fit`) does not
# import the mixture code; tests/science/test_cli_tables.py checks that the two agree
PROFILE_MODELS = ("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VVV")


def add_table_options(fit: argparse.ArgumentParser) -> None:
    """The ``profiles`` and ``influence`` option groups of ``counterpoint fit``."""
    prof = fit.add_argument_group("profiles")
    prof.add_argument(
        "--columns",
        type=_names,
        help="parameters to group couples on (default: for a table of clo, ic or couple-var "
        "estimates that model's parameters, else every numeric column but --dyad)",
    )
    prof.add_argument(
        "--profiles",
        type=_profile_range,
        default=list(range(1, 10)),
        help="numbers of profiles to try (default: 1-9)",
    )
    prof.add_argument(
        "--models",
        type=_names,
        default=list(PROFILE_MODELS),
        help=f"covariance models to try (default: {','.join(PROFILE_MODELS)})",
    )
    prof.add_argument(
        "--starts", type=_count, default=20, help="random EM starts per fit (default: 20)"
    )
    prof.add_argument(
        "--seed",
        type=seed_number,
        default=0,
        help="seed of the starts and of apim's bootstrap (default: 0)",
    )
    prof.add_argument(
        "--from",
        dest="group_from",
        choices=FROM_MODELS,
        metavar="MODEL",
        help=f"DATA is long dyadic data: fit MODEL ({', '.join(FROM_MODELS)}) first and group its "
        "per-couple estimates",
    )
    infl = fit.add_argument_group("influence")
    infl.add_argument(
        "--partners",
        type=_names,
        default=["wife", "husband"],
        help="the two partners' score columns (default: wife,husband)",
    )
    infl.add_argument(
        "--first",
        help="who speaks first in each turn (default: the first of --partners); 'none': both "
        "answer the partner's previous turn",
    )
    infl.add_argument(
        "--influence",
        choices=("bilinear", "ojive"),
        default="bilinear",
        help="form of the influence functions (default: bilinear)",
    )
    infl.add_argument(
        "--threshold", type=float, default=0.0, help="where the bilinear slope changes (default: 0)"
    )
    infl.add_argument(
        "--neutral", type=_band, metavar="LOW,HIGH", help="scores in this band count as neutral (0)"
    )
    infl.add_argument(
        "--round", action="store_true", help="round scores to integers (Gottman's original program)"
    )


def _read_table(path: str) -> pd.DataFrame:
    """The file as a table, through the reader (and the checks) of every other model."""
    from counterpoint.science.files import read_frame

    return read_frame(path)[0]


def _profiles_input(args: argparse.Namespace, fit_model: Callable[[str], Any]) -> pd.DataFrame:
    if args.group_from:
        # the model's whole table: LatentProfiles keeps its parameters and leaves unfitted couples out
        return fit_model(args.group_from).to_frame()
    frame = _read_table(args.data)
    if args.dyad in frame.columns:
        if frame[args.dyad].duplicated().any():
            dup = frame[args.dyad][frame[args.dyad].duplicated()].iloc[0]
            raise DyadDataError(
                f"column {args.dyad!r}: couple {dup} has more than one row; profiles need one row "
                "of parameters per couple (or --from MODEL with long data)"
            )
        frame = frame.set_index(args.dyad)
    return frame


def fit_table_model(args: argparse.Namespace, fit_model: Callable[[str], Any]) -> Any:
    """Fit ``profiles`` or ``influence`` as the command line asks."""
    if args.model == "profiles":
        from counterpoint.science.profiles import LatentProfiles

        frame = _profiles_input(args, fit_model)
        return LatentProfiles(
            frame,
            columns=args.columns,
            estimates_model=args.group_from,
            profiles=args.profiles,
            models=args.models,
            starts=args.starts,
            seed=args.seed,
        ).fit()
    from counterpoint.science.influence import InfluenceModel

    frame = _read_table(args.data)
    first: str | None = args.first if args.first is not None else ""
    if first == "none":
        first = None
    return InfluenceModel(
        frame,
        partners=args.partners,
        first=first,
        influence=args.influence,
        threshold=args.threshold,
        neutral=args.neutral,
        round_scores=args.round,
    ).fit()
