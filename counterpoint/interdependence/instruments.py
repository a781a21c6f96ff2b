"""The instrument definitions this installation knows: ours (``definitions/``) plus any the
deployer drops into the folder named by the ``INSTRUMENT_DIR`` setting (docs/instrument.md)."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from counterpoint.science.instrument import Instrument, InstrumentError

log = logging.getLogger(__name__)
BUILTIN_DIR = Path(__file__).resolve().parent / "definitions"
OUR_KEY = "counterpoint-map"


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in version.split("."))


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


def reload() -> None:
    _load.cache_clear()
