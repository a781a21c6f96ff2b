"""Compliance: who was prompted, who answered, and which couples fall below the study's threshold.

Everything here reads the long table of :mod:`counterpoint.research.exports` (one row per person
per prompt). The words, for each person or couple:

- **sent**: prompts that were sent (a ``sent`` time);
- **answered**: prompts submitted; **expired**: prompts whose window closed unanswered;
- **open**: sent, and the window (or its grace period) has not closed yet;
- **rate**: answered ÷ (sent − open): the share answered of the prompts whose window has closed.
  A prompt cancelled after it was sent (a withdrawal mid-window) counts as closed and unanswered.

An occasion (one ``occasion`` number of one couple) counts once both partners' prompts for it are
closed: **both** answered, **one** did, or **neither**.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Counts:
    sent: int
    answered: int
    expired: int
    open: int

    @property
    def closed(self) -> int:
        return self.sent - self.open

    @property
    def rate(self) -> float | None:
        """Answered ÷ closed, or None before any window has closed."""
        return self.answered / self.closed if self.closed else None


def _flags(long: pd.DataFrame) -> pd.DataFrame:
    status = long["status"].astype("string")
    sent = long["sent"].notna()
    return pd.DataFrame(
        {
            "dyad": long["dyad"],
            "person": long["person"],
            "role": long["role"],
            "day": long["day"],
            "occasion": long["occasion"],
            "sent": sent,
            "answered": (status == "submitted").fillna(False),
            "expired": (status == "expired").fillna(False),
            "open": (sent & status.isin(["sent", "opened"])).fillna(False),
        }
    )


def _counts(frame: pd.DataFrame) -> Counts:
    return Counts(
        sent=int(frame["sent"].sum()),
        answered=int(frame["answered"].sum()),
        expired=int(frame["expired"].sum()),
        open=int(frame["open"].sum()),
    )


def totals(long: pd.DataFrame) -> Counts:
    """The whole study's counts."""
    return _counts(_flags(long))


def per_person(long: pd.DataFrame) -> dict[str, Counts]:
    """Counts per participant (``person`` → counts), in person order."""
    flags = _flags(long)
    return {str(p): _counts(g) for p, g in flags.groupby("person", sort=True)}


def per_occasion(long: pd.DataFrame) -> pd.DataFrame:
    """One row per couple and closed occasion: ``dyad``, ``occasion``, ``day``, ``answered`` (0–2)."""
    flags = _flags(long)
    closed = flags.loc[flags["sent"] & ~flags["open"]]
    grouped = closed.groupby(["dyad", "occasion"], sort=True)
    out = grouped.agg(day=("day", "first"), people=("person", "size"), answered=("answered", "sum"))
    out = out.loc[out["people"] == 2].drop(columns="people").reset_index()
    out["answered"] = out["answered"].astype("int64")
    return out


@dataclass(frozen=True)
class CoupleCompliance:
    dyad: int
    counts: Counts
    partners: dict[str, Counts]  # role ("A"/"B") → counts
    both: int
    one: int
    neither: int
    below: bool  # the couple's rate is under the study's threshold

    @property
    def occasions(self) -> int:
        return self.both + self.one + self.neither


def per_couple(long: pd.DataFrame, threshold: float) -> list[CoupleCompliance]:
    """Each couple's counts, each partner's, the occasions answered by both/one/neither, the flag.

    ``threshold`` is a share (0.8 = 80 %); a couple is flagged when its rate is below it. A couple
    with no closed prompt yet has no rate and is not flagged.
    """
    flags = _flags(long)
    occasions = per_occasion(long)
    result = []
    for dyad, group in flags.groupby("dyad", sort=True):
        counts = _counts(group)
        partners = {str(r): _counts(g) for r, g in group.groupby("role", sort=True)}
        answered = occasions.loc[occasions["dyad"] == dyad, "answered"]
        rate = counts.rate
        result.append(
            CoupleCompliance(
                dyad=int(str(dyad)),
                counts=counts,
                partners=partners,
                both=int((answered == 2).sum()),
                one=int((answered == 1).sum()),
                neither=int((answered == 0).sum()),
                below=rate is not None and rate < threshold,
            )
        )
    return result


def rate_by_day(long: pd.DataFrame) -> pd.DataFrame:
    """Per study day: ``day``, ``closed``, ``answered`` and ``rate`` across all participants."""
    flags = _flags(long)
    closed = flags.loc[flags["sent"] & ~flags["open"]]
    out = closed.groupby("day", sort=True).agg(
        closed=("answered", "size"), answered=("answered", "sum")
    )
    out["answered"] = out["answered"].astype("int64")
    out["rate"] = out["answered"] / out["closed"]
    return out.reset_index()


def rate_chart(by_day: pd.DataFrame, threshold: float, div_id: str) -> str | None:
    """The answered share per study day with the threshold as a line (the table is its text)."""
    if by_day.empty:
        return None
    import plotly.io as pio

    from counterpoint import palette

    days = [int(d) for d in by_day["day"]]
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "answered",
            "x": days,
            "y": [round(100 * float(r), 1) for r in by_day["rate"]],
            "line": {"color": palette.ME},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "threshold",
            "x": [days[0], days[-1]],
            "y": [round(100 * threshold, 1)] * 2,
            "line": {"color": palette.MUTED, "dash": "dash"},
        },
    ]
    layout = {
        "height": 280,
        "margin": {"l": 48, "r": 12, "t": 16, "b": 40},
        "legend": {"orientation": "h", "y": -0.3},
        "yaxis": {"title": {"text": "% answered"}, "range": [0, 100], "fixedrange": True},
        "xaxis": {"title": {"text": "study day"}, "fixedrange": True, "dtick": 1},
        "paper_bgcolor": palette.PAPER,
        "plot_bgcolor": palette.PAPER,
        "font": {"family": "system-ui, sans-serif", "color": palette.INK},
    }
    html: str = pio.to_html(
        {"data": traces, "layout": layout},
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config={"displayModeBar": False, "responsive": True},
    )
    return html
