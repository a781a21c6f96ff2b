"""The one exception the engine raises for bad input data."""

from __future__ import annotations

__all__ = ["DyadDataError"]


class DyadDataError(ValueError):
    """Input data that the engine cannot use.

    The message names the row(s), the column and the problem in one line, so that the CLI can print it
    as it is and a researcher can find the offending cell.
    """
