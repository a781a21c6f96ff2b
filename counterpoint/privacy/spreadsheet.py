"""Text for CSV cells that a spreadsheet shows as text and never runs as a formula.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one, or their full-width forms) as a formula, and a formula can send the other cells to a
web address. Every CSV we write holds words other people chose (a partner's name in a notice, a
participant's answer in a study's files), so each such cell gets a leading apostrophe, which
spreadsheets read as "this is text". Plain numbers (``-3``, ``+2.5``) stay numbers. JSON and
Parquet files keep the words exactly.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_text(value: str) -> str:
    """``value`` as a CSV cell a spreadsheet will not run."""
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
