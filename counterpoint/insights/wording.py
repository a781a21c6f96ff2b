"""One way to write a number on the insights page: one minus sign (U+2212), two decimals, a range
in words, and "no clear difference yet" whenever the range includes zero."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

MINUS = "\u2212"
RAW = "raw"
STANDARDISED = "standardised"


def num(x: float | None, digits: int = 2) -> str:
    """A number as the page writes it everywhere: fixed decimals, a real minus sign, "—" if none."""
    if x is None:
        return "—"
    text = f"{x:.{digits}f}"
    if text.lstrip("-").strip("0.") == "":  # −0.00 is 0.00
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def spans_zero(c: Mapping[str, Any]) -> bool:
    """Whether the 95% range includes zero (or is unknown): then no difference is clear yet."""
    lo, hi = c.get("ci_low"), c.get("ci_high")
    return lo is None or hi is None or lo <= 0 <= hi


def number_row(label: str, c: Mapping[str, Any], scale: str) -> dict[str, Any]:
    """One estimate as the sentence, the chart and the table all show it (the same strings)."""
    scale_words = (
        _("standardised: −1 to 1, comparable across measures")
        if scale == STANDARDISED
        else _("raw: in points of the 0–10 answer")
    )
    return {
        "label": label,
        "estimate": c.get("estimate"),
        "ci_low": c.get("ci_low"),
        "ci_high": c.get("ci_high"),
        "scale": scale,
        "scale_words": scale_words,
        "spans_zero": spans_zero(c),
        "text": _("%(est)s, likely between %(lo)s and %(hi)s")
        % {
            "est": num(c.get("estimate")),
            "lo": num(c.get("ci_low")),
            "hi": num(c.get("ci_high")),
        },
    }


def item(text: str, number: dict[str, Any] | None = None) -> dict[str, Any]:
    """One sentence of a section; its number (if any) sits one tap away under it."""
    return {"text": text, "number": number}


def answer_value(x: float | None) -> str:
    """A day's 0–10 answer (a day-mean when there were two check-ins): "7" or "6.5", "—" if none."""
    if x is None or x != x:  # None or NaN
        return "—"
    return num(x, 0) if float(x).is_integer() else num(x, 1)
