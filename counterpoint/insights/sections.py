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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from counterpoint.accounts.models import User
from counterpoint.checkins.selectors import shares_any_checkin_field
from counterpoint.couples.selectors import partner_of
from counterpoint.insights.diary import CoupleDiary, PersonDiary, couple_diary
from counterpoint.insights.stats import Estimate, half_life, recovery, trend_per_month
from counterpoint.insights.wording import RAW, STANDARDISED, item, number_row
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


def _direction(c: Mapping[str, Any]) -> str:
    lo, hi = c["ci_low"], c["ci_high"]
    if lo is None or hi is None:
        return "unknown"
    if lo > 0:
        return "positive"
    if hi < 0:
        return "negative"
    return "unclear"


_UNCLEAR = ("unclear", "unknown")
# Plain words for each direction (positive / negative); a range spanning zero always says
# "no clear difference yet".
MOOD_WORDS = {
    "partner_to_me": {
        "positive": _lazy(
            "When %(p)s has a better (or worse) day than usual, your mood tends to follow the "
            "next day."
        ),
        "negative": _lazy(
            "When %(p)s has a better day than usual, your mood tends to dip the next day."
        ),
        "unclear": _lazy(
            "No clear difference yet in your mood the day after %(p)s has a better or worse day."
        ),
    },
    "me_to_partner": {
        "positive": _lazy(
            "When you have a better (or worse) day than usual, %(p)s's mood tends to follow the "
            "next day."
        ),
        "negative": _lazy(
            "When you have a better day than usual, %(p)s's mood tends to dip the next day."
        ),
        "unclear": _lazy(
            "No clear difference yet in %(p)s's mood the day after you have a better or worse day."
        ),
    },
}
STRESS_WORDS = {
    "partner_to_me": {
        "negative": _lazy(
            "When %(p)s is more stressed than usual, you tend to settle rather than catch it the "
            "next day: a steadying pattern."
        ),
        "positive": _lazy(
            "When %(p)s is more stressed than usual, you tend to get more stressed the next day "
            "too: stress passes between you."
        ),
        "unclear": _lazy(
            "No clear difference yet in your stress the day after %(p)s is more stressed "
            "than usual."
        ),
    },
    "me_to_partner": {
        "negative": _lazy(
            "When you are more stressed than usual, %(p)s tends to settle rather than catch it "
            "the next day: a steadying pattern."
        ),
        "positive": _lazy(
            "When you are more stressed than usual, %(p)s tends to get more stressed the next "
            "day too: stress passes between you."
        ),
        "unclear": _lazy(
            "No clear difference yet in %(p)s's stress the day after you are more stressed "
            "than usual."
        ),
    },
}
CARRY_WORDS = {
    "positive": _lazy("%(who)s mood tends to linger: a good or hard day carries into the next."),
    "negative": _lazy("%(who)s mood tends to swing back the day after a good or hard day."),
    "unclear": _lazy(
        "%(who)s mood: no clear difference yet between the day after a good day and the day "
        "after a hard one."
    ),
}
SAME_DAY_WORDS = {
    "positive": _lazy("On the same day, your moods tend to rise and fall together."),
    "negative": _lazy(
        "On the same day, when one of you feels better the other tends to feel worse."
    ),
    "unclear": _lazy(
        "On the same day, no clear difference yet: your moods don't clearly rise and fall together."
    ),
}


def _say(words: Mapping[str, Any], c: Mapping[str, Any], **names: str) -> str:
    d = _direction(c)
    return str(words["unclear" if d in _UNCLEAR else d]) % names


def _step(text: str, url_name: str) -> dict[str, str]:
    return {"text": text, "url": reverse(url_name)}


def _finish(section: dict[str, Any]) -> dict[str, Any]:
    """Keep ``words`` (the sentences alone, as the JSON always had them) in step with ``items``."""
    section["words"] = [i["text"] for i in section.get("items", [])]
    return section


def _not_paired() -> dict[str, Any]:
    return {
        "status": "not_paired",
        "message": _(
            "This insight is about the two of you: it appears once you pair with your partner."
        ),
    }


def couple_var_fit(diary: CoupleDiary, var: str) -> dict[str, Any]:
    """The per-couple VAR(1) of ``var`` (docs/science.md, model 5) on the couple's daily values."""
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


def _too_early(fit: dict[str, Any]) -> str:
    return _(
        "Too early to say: this waits for %(n)s more days on which you both check in, on days "
        "that follow each other."
    ) % {"n": fit["needs_days"]}


def _var_numbers(fit: dict[str, Any], me: str, partner: str) -> dict[str, dict[str, Any]]:
    """The five standardised estimates of a couple VAR fit, as the chart and the table show them."""
    return {
        "carry_me": number_row(
            _("%(name)s: carry-over") % {"name": me}, fit["carry_over_std"]["me"], STANDARDISED
        ),
        "carry_partner": number_row(
            _("%(name)s: carry-over") % {"name": partner},
            fit["carry_over_std"]["partner"],
            STANDARDISED,
        ),
        "partner_to_me": number_row(
            f"{partner} → {me}", fit["influence_std"]["partner_to_me"], STANDARDISED
        ),
        "me_to_partner": number_row(
            f"{me} → {partner}", fit["influence_std"]["me_to_partner"], STANDARDISED
        ),
        "same_day": number_row(_("same day"), fit["same_day"], STANDARDISED),
    }


def emotions(user: User) -> dict[str, Any]:
    """How the two partners' moods move together."""
    diary = couple_diary(user)
    if not diary.paired:
        return _not_paired()
    fit = couple_var_fit(diary, "mood")
    me, partner = diary.people
    items: list[dict[str, Any]] = []
    out: dict[str, Any] = {**fit, "title": _("How your moods move together")}
    out["next_step"] = _step(
        _("Tell each other about your day in a note with today's check-in."), "checkins:today"
    )
    if fit["status"] == "needs_data":
        out["lead"] = _too_early(fit)
        out["next_step"] = _step(_("Check in today, both of you."), "checkins:today")
    elif fit["status"] == "ok":
        rows = _var_numbers(fit, me.name, partner.name)
        linked = (
            any(
                _direction(fit["influence_std"][k]) not in _UNCLEAR
                for k in ("partner_to_me", "me_to_partner")
            )
            or _direction(fit["same_day"]) not in _UNCLEAR
        )
        out["lead"] = (
            _("Your moods are linked: how one of you feels shows up in the other.")
            if linked
            else _("So far each of your moods mostly goes its own way: no clear link yet.")
        )
        items.append(
            item(_say(CARRY_WORDS, fit["carry_over_std"]["me"], who=_("Your")), rows["carry_me"])
        )
        items.append(
            item(
                _say(CARRY_WORDS, fit["carry_over_std"]["partner"], who=f"{partner.name}'s"),
                rows["carry_partner"],
            )
        )
        for key in ("partner_to_me", "me_to_partner"):
            items.append(
                item(_say(MOOD_WORDS[key], fit["influence_std"][key], p=partner.name), rows[key])
            )
        items.append(item(_say(SAME_DAY_WORDS, fit["same_day"]), rows["same_day"]))
        out["numbers"] = list(rows.values())
        out["number_scale"] = STANDARDISED
    else:
        out["lead"] = fit["message"]
    out["items"] = items
    return _finish(out)


def coregulation(user: User) -> dict[str, Any]:
    """Co-regulation vs co-dysregulation, from the sign of the stress coupling terms."""
    diary = couple_diary(user)
    if not diary.paired:
        return _not_paired()
    fit = couple_var_fit(diary, "stress")
    me, partner = diary.people
    items: list[dict[str, Any]] = []
    out: dict[str, Any] = {**fit, "title": _("Calming each other, or catching each other's stress")}
    out["next_step"] = _step(
        _("On a stressful day, ask for support: the support practice helps you say what you need."),
        "support:list",
    )
    if fit["status"] == "needs_data":
        out["lead"] = _too_early(fit)
        out["next_step"] = _step(_("Check in today, both of you."), "checkins:today")
    elif fit["status"] == "ok":
        rows = _var_numbers(fit, me.name, partner.name)
        patterns = {}
        for key in ("partner_to_me", "me_to_partner"):
            c = fit["influence_std"][key]
            patterns[key] = {"negative": "damping", "positive": "amplifying"}.get(
                _direction(c), "unclear"
            )
            items.append(item(_say(STRESS_WORDS[key], c, p=partner.name), rows[key]))
        out["pattern"] = patterns
        kinds = set(patterns.values())
        out["lead"] = (
            _("Stress tends to pass between you.")
            if "amplifying" in kinds and "damping" not in kinds
            else _("You tend to steady each other when stress runs high.")
            if "damping" in kinds and "amplifying" not in kinds
            else _("So far stress doesn't clearly pass between you, either way.")
            if kinds == {"unclear"}
            else _("One of you tends to steady the other; the other tends to catch the stress.")
        )
        out["numbers"] = list(rows.values())
        out["number_scale"] = STANDARDISED
    else:
        out["lead"] = fit["message"]
    out["items"] = items
    return _finish(out)


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
        return {
            **out,
            "status": "needs_data",
            "needs_days": MIN_RECOVERY_DAYS,
            "needs_supported_days": 0,
        }
    without, with_support, difference = fit
    return {
        **out,
        "status": "ok",
        "carry_over_without_support": without.as_dict(),
        "carry_over_with_support": with_support.as_dict(),
        "difference": difference.as_dict(),
        "half_life_days_without": _r(half_life(without.value), 1),
        "half_life_days_with": _r(half_life(with_support.value), 1),
    }


def stress_recovery(user: User) -> dict[str, Any]:
    """How fast stress returns to its usual level, after days with and without support that helped."""
    diary = couple_diary(user)
    people = [_recovery_for(p) for p in diary.people]
    items: list[dict[str, Any]] = []
    numbers: list[dict[str, Any]] = []
    for i, p in enumerate(people):
        who = _("You") if i == 0 else p["name"]
        if p["status"] == "not_shared":
            items.append(item(_("%(who)s keeps stress or support private.") % {"who": who}))
        elif p["status"] == "needs_data":
            items.append(
                item(
                    _(
                        "%(who)s: too early to say. This waits for %(d)s more days of check-ins "
                        "and %(s)s more days on which reaching out helped."
                    )
                    % {"who": who, "d": p["needs_days"], "s": p.get("needs_supported_days", 0)}
                )
            )
        else:
            raw = {
                "without": number_row(
                    _("%(who)s: carry-over without support") % {"who": p["name"]},
                    p["carry_over_without_support"],
                    RAW,
                ),
                "with": number_row(
                    _("%(who)s: carry-over after support that helped") % {"who": p["name"]},
                    p["carry_over_with_support"],
                    RAW,
                ),
                "difference": number_row(
                    _("%(who)s: difference (with minus without)") % {"who": p["name"]},
                    p["difference"],
                    RAW,
                ),
            }
            numbers.extend(raw.values())
            d = _direction(p["difference"])
            text = {
                "negative": _(
                    "%(who)s: after reaching out and feeling helped, stress settles faster."
                ),
                "positive": _(
                    "%(who)s: after reaching out, stress has tended to linger longer; it may help "
                    "to talk about what kind of support works."
                ),
            }.get(
                d,
                _(
                    "%(who)s: no clear difference yet between how fast stress settles with support "
                    "and without."
                ),
            )
            items.append(item(text % {"who": who}, raw["difference"]))
    ok = [p for p in people if p["status"] == "ok"]
    lead = (
        _("How quickly stress fades after a hard day, and whether reaching out speeds it up.")
        if ok
        else _("Too early to say how quickly stress fades after a hard day.")
    )
    return _finish(
        {
            "title": _("Bouncing back from stress"),
            "lead": lead,
            "people": people,
            "items": items,
            "numbers": numbers,
            "number_scale": RAW,
            "next_step": _step(
                _("When stress runs high, reach out, and say in your check-in whether it helped."),
                "checkins:today",
            ),
        }
    )


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
    items: list[dict[str, Any]] = []
    numbers: list[dict[str, Any]] = []
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
                    items.append(
                        item(
                            _(
                                "%(who)s, %(what)s: too early to say. This waits for %(n)s more "
                                "weekly reflections."
                            )
                            % {"who": who, "what": label, "n": t["needs_weeks"]}
                        )
                    )
                continue
            c = t["per_4_weeks"]
            row = number_row(
                _("%(who)s, %(what)s: change per four weeks") % {"who": person.name, "what": label},
                c,
                RAW,
            )
            numbers.append(row)
            text = {
                "positive": _("%(who)s, %(what)s: rising (latest %(latest)s out of 10)."),
                "negative": _("%(who)s, %(what)s: falling (latest %(latest)s out of 10)."),
            }.get(
                _direction(c),
                _(
                    "%(who)s, %(what)s: no clear difference yet from week to week (latest "
                    "%(latest)s out of 10)."
                ),
            )
            items.append(item(text % {"who": who, "what": label, "latest": t["latest"]}, row))
    return _finish(
        {
            "title": _("Well-being and relationship satisfaction"),
            "lead": _(
                "How satisfied each of you feels with life and with the relationship, week by week."
            )
            if numbers
            else _("Too early to say: trends need at least four weekly reflections."),
            "people": people,
            "items": items,
            "numbers": numbers,
            "number_scale": RAW,
            "next_step": _step(
                _("Reflect on this week (two numbers and a line)."), "checkins:reflection"
            ),
        }
    )


def balance(user: User) -> dict[str, Any]:
    """Me-time and we-time per partner over the last four weeks (days with a check-in)."""
    diary = couple_diary(user)
    since = max(diary.n_days - WINDOW, 0)
    people = []
    items: list[dict[str, Any]] = []
    for i, person in enumerate(diary.people):
        me = person.values["me_minutes"][since:]
        we = person.values["we_minutes"][since:]
        ok = np.isfinite(me) & np.isfinite(we)
        n = int(ok.sum())
        who = _("You") if i == 0 else person.name
        entry: dict[str, Any] = {"name": person.name, "n_days": n}
        if "me_minutes" in person.hidden:
            entry["status"] = "not_shared"
            items.append(item(_("%(who)s keeps me-time and we-time private.") % {"who": who}))
        elif n < MIN_BALANCE_DAYS:
            entry.update(status="needs_data", needs_days=MIN_BALANCE_DAYS - n)
            items.append(
                item(
                    _(
                        "%(who)s: too early to say. This waits for %(n)s more check-ins with "
                        "me-time and we-time filled in."
                    )
                    % {"who": who, "n": MIN_BALANCE_DAYS - n}
                )
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
            items.append(
                item(
                    _(
                        "%(who)s: %(m)s minutes a day of me-time and %(w)s minutes a day of "
                        "we-time, on average (over %(n)s days)."
                    )
                    % {"who": who, "m": round(m), "w": round(w), "n": n}
                )
            )
        people.append(entry)
    items.append(
        item(_("There is no right ratio: only the two of you can say what balance feels good."))
    )
    return _finish(
        {
            "title": _("Me-time and we-time"),
            "lead": _(
                "How each of you splits time between yourself and the two of you, in minutes a day."
            ),
            "window_days": WINDOW,
            "people": people,
            "items": items,
            "next_step": _step(
                _("Plan some me-time and some we-time for this week."), "timebalance:week"
            ),
        }
    )


def consistency(user: User) -> dict[str, Any]:
    """How regularly each partner checks in (a gentle pattern, not a score)."""
    diary = couple_diary(user)
    window_start = diary.today - dt.timedelta(days=WINDOW - 1)
    people = []
    items: list[dict[str, Any]] = []
    partner = partner_of(user)
    silent = partner is not None and not shares_any_checkin_field(partner)
    for i, person in enumerate(diary.people):
        if i > 0 and silent:  # shares no check-in field: not even whether they checked in
            items.append(item(_("%(who)s keeps check-ins private.") % {"who": person.name}))
            continue
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
        items.append(
            item(
                _("%(who)s checked in on %(n)s of the last %(w)s days.")
                % {"who": who, "n": recent, "w": WINDOW}
            )
        )
    return _finish(
        {
            "title": _("Checking in"),
            "lead": _("Every insight here rests on your check-ins: the more days, the surer."),
            "window_days": WINDOW,
            "people": people,
            "items": items,
            "note": _("A missed day is simply missed."),
            "next_step": _step(_("Check in today."), "checkins:today"),
        }
    )


SECTIONS = {
    "emotions": emotions,
    "coregulation": coregulation,
    "stress_recovery": stress_recovery,
    "wellbeing": wellbeing,
    "balance": balance,
    "consistency": consistency,
}
