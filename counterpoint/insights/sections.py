"""The couple's insights, one function per section: ``section(user) -> dict``.

Every section says how much data it rests on (``n_*`` counts) and, below its minimum, how many more
days it needs (``needs_days``) instead of showing noise. Numbers come with 95% CIs. The sentences
are plain words for the page; the numbers are the same ones ``GET /insights.json`` returns.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from counterpoint.accounts.models import User
from counterpoint.insights.diary import CoupleDiary, PersonDiary, couple_diary
from counterpoint.insights.stats import Estimate, half_life, recovery, trend_per_month
from counterpoint.science.couple_var import MIN_OCCASIONS, couple_var_arrays

MIN_RECOVERY_DAYS = 21
MIN_SUPPORTED_DAYS = 10
MIN_WEEKS = 4
MIN_BALANCE_DAYS = 7
WINDOW = 28


def _r(x: Any, digits: int = 3) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return round(v, digits) if math.isfinite(v) else None


def _ci(row: Mapping[str, Any], key: str) -> dict[str, float | None]:
    return {
        "estimate": _r(row[key]),
        "ci_low": _r(row[f"ci_low_{key}"]),
        "ci_high": _r(row[f"ci_high_{key}"]),
    }


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}".replace("-", "−")


def _ci_words(c: dict[str, float | None]) -> str:
    return _("%(est)s (95%% CI %(lo)s to %(hi)s)") % {
        "est": _fmt(c["estimate"]),
        "lo": _fmt(c["ci_low"]),
        "hi": _fmt(c["ci_high"]),
    }


def _direction(c: dict[str, float | None]) -> str:
    lo, hi = c["ci_low"], c["ci_high"]
    if lo is None or hi is None:
        return "unknown"
    if lo > 0:
        return "positive"
    if hi < 0:
        return "negative"
    return "unclear"


# Plain words for each direction of influence and what its CI says (positive / negative / unclear).
_NO_MOOD_SIGN = {
    "partner_to_me": _lazy("No clear sign yet that %(p)s's mood carries into yours: %(v)s."),
    "me_to_partner": _lazy("No clear sign yet that your mood carries into %(p)s's: %(v)s."),
}
MOOD_WORDS = {
    "partner_to_me": {
        "positive": _lazy(
            "When %(p)s has a better (or worse) day than usual, your mood tends to follow the "
            "next day: %(v)s."
        ),
        "negative": _lazy(
            "When %(p)s has a better day than usual, your mood tends to dip the next day: %(v)s."
        ),
        "unclear": _NO_MOOD_SIGN["partner_to_me"],
        "unknown": _NO_MOOD_SIGN["partner_to_me"],
    },
    "me_to_partner": {
        "positive": _lazy(
            "When you have a better (or worse) day than usual, %(p)s's mood tends to follow the "
            "next day: %(v)s."
        ),
        "negative": _lazy(
            "When you have a better day than usual, %(p)s's mood tends to dip the next day: %(v)s."
        ),
        "unclear": _NO_MOOD_SIGN["me_to_partner"],
        "unknown": _NO_MOOD_SIGN["me_to_partner"],
    },
}
_NO_STRESS_PULL = {
    "partner_to_me": _lazy("No clear pull yet from %(p)s's stress to yours, either way: %(v)s."),
    "me_to_partner": _lazy("No clear pull yet from your stress to %(p)s's, either way: %(v)s."),
}
STRESS_WORDS = {
    "partner_to_me": {
        "negative": _lazy(
            "When %(p)s is more stressed than usual, you tend to settle rather than catch it the "
            "next day — a steadying pattern (co-regulation): %(v)s."
        ),
        "positive": _lazy(
            "When %(p)s is more stressed than usual, you tend to get more stressed the next day "
            "too — stress passes between you (co-dysregulation): %(v)s."
        ),
        "unclear": _NO_STRESS_PULL["partner_to_me"],
        "unknown": _NO_STRESS_PULL["partner_to_me"],
    },
    "me_to_partner": {
        "negative": _lazy(
            "When you are more stressed than usual, %(p)s tends to settle rather than catch it "
            "the next day — a steadying pattern (co-regulation): %(v)s."
        ),
        "positive": _lazy(
            "When you are more stressed than usual, %(p)s tends to get more stressed the next "
            "day too — stress passes between you (co-dysregulation): %(v)s."
        ),
        "unclear": _NO_STRESS_PULL["me_to_partner"],
        "unknown": _NO_STRESS_PULL["me_to_partner"],
    },
}


def _not_paired() -> dict[str, Any]:
    return {
        "status": "not_paired",
        "message": _(
            "This insight is about the two of you: it appears once you pair with your partner."
        ),
    }


def couple_var_fit(diary: CoupleDiary, var: str) -> dict[str, Any]:
    """The per-couple VAR(1) of ``var`` (SCIENCE.md model 5) on the couple's daily values."""
    me, partner = diary.people
    if var in partner.hidden:
        return {
            "status": "not_shared",
            "message": _("%(name)s keeps this to themselves, so this insight can't be shown.")
            % {"name": partner.name},
        }
    grid = np.stack([me.values[var], partner.values[var]])[None]  # (1 couple, 2 roles, days)
    counts = [int(np.isfinite(grid[0, g]).sum()) for g in (0, 1)]
    both = int(np.sum(np.isfinite(grid[0, 0]) & np.isfinite(grid[0, 1])))
    base: dict[str, Any] = {
        "n_days_me": counts[0],
        "n_days_partner": counts[1],
        "n_days_both": both,
    }
    if min(counts) < 2:
        return {
            **base,
            "status": "needs_data",
            "n_occasions": 0,
            "needs_days": MIN_OCCASIONS + 1,
        }
    # The diary is already a day-by-day grid (one position per local day, NaN for a missed day),
    # exactly the layout DyadicData.to_arrays builds, so the engine's batched fit takes it as is.
    fit = couple_var_arrays(grid)
    row = {k: v[0] for k, v in fit.items()}
    n_occ = int(row["n_occasions"])
    base["n_occasions"] = n_occ
    if row["reason"] is not None:
        if n_occ < MIN_OCCASIONS:
            return {**base, "status": "needs_data", "needs_days": MIN_OCCASIONS - n_occ}
        return {**base, "status": "unavailable", "message": str(row["reason"])}
    return {
        **base,
        "status": "ok",
        "carry_over": {"me": _ci(row, "actor@0"), "partner": _ci(row, "actor@1")},  # raw
        "carry_over_std": {"me": _ci(row, "std_actor@0"), "partner": _ci(row, "std_actor@1")},
        # partner@0: the partner's previous value → the viewer (partner sends, viewer receives)
        "influence": {
            "partner_to_me": _ci(row, "partner@0"),
            "me_to_partner": _ci(row, "partner@1"),
        },
        "influence_std": {
            "partner_to_me": _ci(row, "std_partner@0"),
            "me_to_partner": _ci(row, "std_partner@1"),
        },
        "same_day": _ci(row, "resid_corr"),
    }


def _needs_sentence(fit: dict[str, Any]) -> str:
    return _(
        "Needs %(n)s more days on which you both check in (on consecutive days) before it can say "
        "anything reliable."
    ) % {"n": fit["needs_days"]}


def emotions(user: User) -> dict[str, Any]:
    """How the two partners' moods move together."""
    diary = couple_diary(user)
    if not diary.paired:
        return _not_paired()
    fit = couple_var_fit(diary, "mood")
    _me, partner = diary.people
    words: list[str] = []
    if fit["status"] == "needs_data":
        words.append(_needs_sentence(fit))
    elif fit["status"] == "ok":
        for who, key in ((_("Your"), "me"), (_("%(name)s's") % {"name": partner.name}, "partner")):
            c = fit["carry_over_std"][key]
            words.append(
                _("%(who)s mood carries over from one day to the next: %(v)s.")
                % {"who": who, "v": _ci_words(c)}
            )
        for key in ("partner_to_me", "me_to_partner"):
            c = fit["influence_std"][key]
            text = MOOD_WORDS[key][_direction(c)]
            words.append(text % {"p": partner.name, "v": _ci_words(c)})
        c = fit["same_day"]
        words.append(
            _("On the same day, your moods move together by %(v)s (a correlation).")
            % {"v": _ci_words(c)}
        )
    else:
        words.append(fit["message"])
    return {**fit, "title": _("How your moods move together"), "words": words}


def coregulation(user: User) -> dict[str, Any]:
    """Co-regulation vs co-dysregulation, from the sign of the stress coupling terms."""
    diary = couple_diary(user)
    if not diary.paired:
        return _not_paired()
    fit = couple_var_fit(diary, "stress")
    _me, partner = diary.people
    words: list[str] = []
    if fit["status"] == "needs_data":
        words.append(_needs_sentence(fit))
    elif fit["status"] == "ok":
        patterns = {}
        for key in ("partner_to_me", "me_to_partner"):
            c = fit["influence"][key]
            d = _direction(c)
            patterns[key] = {"negative": "damping", "positive": "amplifying"}.get(d, "unclear")
            words.append(STRESS_WORDS[key][d] % {"p": partner.name, "v": _ci_words(c)})
        fit["pattern"] = patterns
    else:
        words.append(fit["message"])
    return {
        **fit,
        "title": _("Calming each other, or catching each other's stress"),
        "words": words,
    }


def _recovery_for(person: PersonDiary) -> dict[str, Any]:
    stress = person.values["stress"]
    n_days = int(np.isfinite(stress).sum())
    n_supported = int(person.supported.sum())
    out: dict[str, Any] = {"name": person.name, "n_days": n_days, "n_supported_days": n_supported}
    if "stress" in person.hidden or "support" in person.hidden:
        return {**out, "status": "not_shared"}
    if n_days < MIN_RECOVERY_DAYS or n_supported < MIN_SUPPORTED_DAYS:
        return {
            **out,
            "status": "needs_data",
            "needs_days": max(MIN_RECOVERY_DAYS - n_days, 0),
            "needs_supported_days": max(MIN_SUPPORTED_DAYS - n_supported, 0),
        }
    fit = recovery(stress, person.supported)
    if fit is None:
        return {**out, "status": "needs_data", "needs_days": MIN_RECOVERY_DAYS}
    without, with_support = fit
    return {
        **out,
        "status": "ok",
        "carry_over_without_support": without.as_dict(),
        "carry_over_with_support": with_support.as_dict(),
        "half_life_days_without": _r(half_life(without.value), 1),
        "half_life_days_with": _r(half_life(with_support.value), 1),
    }


def stress_recovery(user: User) -> dict[str, Any]:
    """How fast stress returns to its usual level, after days with and without support that helped."""
    diary = couple_diary(user)
    people = [_recovery_for(p) for p in diary.people]
    words = []
    for i, p in enumerate(people):
        who = _("You") if i == 0 else p["name"]
        if p["status"] == "not_shared":
            words.append(_("%(who)s keeps stress or support private.") % {"who": who})
        elif p["status"] == "needs_data":
            words.append(
                _(
                    "%(who)s: needs %(d)s more days of check-ins and %(s)s more days of reaching "
                    "out that helped."
                )
                % {"who": who, "d": p["needs_days"], "s": p.get("needs_supported_days", 0)}
            )
        else:
            w, s = p["carry_over_without_support"], p["carry_over_with_support"]
            words.append(
                _(
                    "%(who)s: of a stressful day, %(w)s carries into the next day without support "
                    "and %(s)s after reaching out and feeling helped (lower means settling faster)."
                )
                % {
                    "who": who,
                    "w": _ci_words(
                        {"estimate": w["estimate"], "ci_low": w["ci_low"], "ci_high": w["ci_high"]}
                    ),
                    "s": _ci_words(
                        {"estimate": s["estimate"], "ci_low": s["ci_low"], "ci_high": s["ci_high"]}
                    ),
                }
            )
    return {"title": _("Bouncing back from stress"), "people": people, "words": words}


def _trend(points: list[tuple[dt.date, int | None]]) -> dict[str, Any]:
    known = [(d, v) for d, v in points if v is not None]
    out: dict[str, Any] = {"n_weeks": len(known)}
    if not known:
        return {**out, "status": "needs_data", "needs_weeks": MIN_WEEKS}
    out["latest"] = known[-1][1]
    out["mean"] = _r(np.mean([v for _d, v in known]), 2)
    if len(known) < MIN_WEEKS:
        return {**out, "status": "needs_data", "needs_weeks": MIN_WEEKS - len(known)}
    first = known[0][0]
    weeks = np.array([(d - first).days / 7 for d, _v in known])
    values = np.array([v for _d, v in known], dtype=float)
    if np.ptp(values) == 0:
        return {**out, "status": "ok", "per_4_weeks": Estimate(0, 0, 0, len(known)).as_dict()}
    return {**out, "status": "ok", "per_4_weeks": trend_per_month(weeks, values).as_dict()}


def wellbeing(user: User) -> dict[str, Any]:
    """Life and relationship satisfaction over the weeks, per partner."""
    diary = couple_diary(user)
    people = []
    words = []
    for i, person in enumerate(diary.people):
        refl = sorted(person.reflections)
        entry: dict[str, Any] = {
            "name": person.name,
            "life": _trend([(d, life) for d, life, _rel in refl]),
            "relationship": _trend([(d, rel) for d, _life, rel in refl]),
        }
        people.append(entry)
        who = _("You") if i == 0 else person.name
        for key, label in (
            ("life", _("life satisfaction")),
            ("relationship", _("relationship satisfaction")),
        ):
            t = entry[key]
            if t["status"] != "ok":
                if t["n_weeks"] or i == 0:
                    words.append(
                        _("%(who)s, %(what)s: needs %(n)s more weekly reflections for a trend.")
                        % {"who": who, "what": label, "n": t["needs_weeks"]}
                    )
                continue
            c = t["per_4_weeks"]
            d = _direction(c)
            trend = {
                "positive": _("rising"),
                "negative": _("falling"),
            }.get(d, _("steady, no clear change"))
            words.append(
                _("%(who)s, %(what)s: latest %(latest)s/10, %(trend)s — %(v)s per four weeks.")
                % {
                    "who": who,
                    "what": label,
                    "latest": t["latest"],
                    "trend": trend,
                    "v": _ci_words(c),
                }
            )
    return {
        "title": _("Well-being and relationship satisfaction"),
        "people": people,
        "words": words,
    }


def balance(user: User) -> dict[str, Any]:
    """Me-time and we-time per partner over the last four weeks (days with a check-in)."""
    diary = couple_diary(user)
    since = max(diary.n_days - WINDOW, 0)
    people = []
    words = []
    for i, person in enumerate(diary.people):
        me = person.values["me_minutes"][since:]
        we = person.values["we_minutes"][since:]
        ok = np.isfinite(me) & np.isfinite(we)
        n = int(ok.sum())
        who = _("You") if i == 0 else person.name
        entry: dict[str, Any] = {"name": person.name, "n_days": n}
        if "me_minutes" in person.hidden:
            entry["status"] = "not_shared"
            words.append(_("%(who)s keeps me-time and we-time private.") % {"who": who})
        elif n < MIN_BALANCE_DAYS:
            entry.update(status="needs_data", needs_days=MIN_BALANCE_DAYS - n)
            words.append(
                _("%(who)s: needs %(n)s more check-ins to show a balance.")
                % {"who": who, "n": MIN_BALANCE_DAYS - n}
            )
        else:
            m, w = float(me[ok].mean()), float(we[ok].mean())
            share = m / (m + w) if m + w > 0 else None
            entry.update(
                status="ok",
                me_minutes_per_day=_r(m, 0),
                we_minutes_per_day=_r(w, 0),
                me_share=_r(share, 2),
            )
            words.append(
                _(
                    "%(who)s: on average %(m)s minutes a day for yourself and %(w)s together "
                    "(over %(n)s days)."
                )
                % {"who": who, "m": round(m), "w": round(w), "n": n}
                if i == 0
                else _(
                    "%(who)s: on average %(m)s minutes a day of me-time and %(w)s of we-time "
                    "(over %(n)s days)."
                )
                % {"who": who, "m": round(m), "w": round(w), "n": n}
            )
        people.append(entry)
    words.append(_("There is no right ratio: only the two of you can say what balance feels good."))
    return {
        "title": _("Me-time and we-time"),
        "window_days": WINDOW,
        "people": people,
        "words": words,
    }


def consistency(user: User) -> dict[str, Any]:
    """How regularly each partner checks in (a gentle pattern, not a score)."""
    diary = couple_diary(user)
    window_start = diary.today - dt.timedelta(days=WINDOW - 1)
    people = []
    words = []
    for i, person in enumerate(diary.people):
        recent = sum(1 for d in person.checkin_days if d >= window_start)
        people.append(
            {
                "name": person.name,
                "days_last_28": recent,
                "days_total": len(person.checkin_days),
                "since": min(person.checkin_days).isoformat() if person.checkin_days else None,
            }
        )
        who = _("You") if i == 0 else person.name
        words.append(
            _("%(who)s checked in on %(n)s of the last %(w)s days.")
            % {"who": who, "n": recent, "w": WINDOW}
        )
    return {
        "title": _("Checking in"),
        "window_days": WINDOW,
        "people": people,
        "words": words,
        "note": _("More days make every insight here surer; a missed day is simply missed."),
    }


SECTIONS = {
    "emotions": emotions,
    "coregulation": coregulation,
    "stress_recovery": stress_recovery,
    "wellbeing": wellbeing,
    "balance": balance,
    "consistency": consistency,
}
