"""Moved to ``counterpoint/palette.py`` (check-ins use it too); kept so older imports still work."""

from __future__ import annotations

from counterpoint.palette import GRID, INK, ME, MUTED, PAPER, PARTNER, PEOPLE, WE

__all__ = ["GRID", "INK", "ME", "MUTED", "PAPER", "PARTNER", "PEOPLE", "WE"]
