"""The instrument definitions this installation knows: ours (``definitions/``) plus any the
deployer drops into the folder named by the ``INSTRUMENT_DIR`` setting (docs/instrument.md)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from counterpoint.science.instrument import Instrument, InstrumentError

log = logging.getLogger(__name__)
BUILTIN_DIR = Path(__file__).resolve().parent / "definitions"
OUR_KEY = "counterpoint-map"


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in version.split("."))


PARAMETERS_SUFFIX = ".parameters.json"


@dataclass(frozen=True)
class ReferenceParameters:
    """Published reliability and SD of every scale of one instrument version, with their own
    version. The only way other people's answers (those who made the reference data) reach anyone's
    result: nothing is estimated from this installation's answers."""

    version: str
    scales: dict[str, dict[str, float]]


def definition_dirs() -> list[Path]:
    dirs = [BUILTIN_DIR]
    extra = getattr(settings, "INSTRUMENT_DIR", "")
    if extra:
        dirs.append(Path(extra))
    return dirs


@lru_cache(maxsize=1)
def _load(dirs: tuple[Path, ...]) -> dict[tuple[str, str], Instrument]:
    found: dict[tuple[str, str], Instrument] = {}
    for folder in dirs:
        for path in sorted(folder.glob("*.json")):
            if path.name.endswith(PARAMETERS_SUFFIX):
                continue
            try:
                instrument = Instrument.from_json(path)
            except InstrumentError as exc:
                log.error("Skipping instrument definition %s: %s", path, exc)
                continue
            ident = (instrument.key, instrument.version)
            if ident in found:
                log.error("Skipping %s: %s version %s is defined twice", path, *ident)
                continue
            found[ident] = instrument
    return found


def all_versions() -> dict[tuple[str, str], Instrument]:
    return _load(tuple(definition_dirs()))


def get_version(key: str, version: str) -> Instrument | None:
    return all_versions().get((key, version))


def current(key: str) -> Instrument | None:
    """The newest version of an instrument."""
    versions = [inst for (k, _v), inst in all_versions().items() if k == key]
    return max(versions, key=lambda inst: _version_key(inst.version), default=None)


def available() -> list[Instrument]:
    """The newest version of every instrument, ours first."""
    keys = sorted({k for k, _v in all_versions()}, key=lambda k: (k != OUR_KEY, k))
    return [inst for k in keys if (inst := current(k)) is not None]


@lru_cache(maxsize=32)
def _parameters(key: str, version: str, dirs: tuple[Path, ...]) -> ReferenceParameters | None:
    for folder in dirs:
        path = folder / f"{key}-v{version}{PARAMETERS_SUFFIX}"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("instrument") != key or str(data.get("instrument_version")) != version:
            log.error("Ignoring %s: it names another instrument or version", path)
            continue
        scales = {
            name: {"reliability": float(v["reliability"]), "sd": float(v["sd"])}
            for name, v in data["scales"].items()
        }
        return ReferenceParameters(str(data["parameters_version"]), scales)
    return None


def reference_parameters(instrument: Instrument) -> ReferenceParameters:
    """The published parameters for an instrument version: the versioned file shipped beside its
    definition, or else the ``reference`` block of the definition itself (versioned with it)."""
    found = _parameters(instrument.key, instrument.version, tuple(definition_dirs()))
    if found is not None:
        return found
    return ReferenceParameters(
        f"definition-{instrument.version}",
        {name: dict(values) for name, values in instrument.reference.items()},
    )


def reload() -> None:
    _load.cache_clear()
    _parameters.cache_clear()
