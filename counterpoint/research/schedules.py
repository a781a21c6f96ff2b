"""When a study's prompts go out: pure functions, no Django.

A schedule is stored as a small JSON object (``Study.schedule``) and read with :func:`parse`:

* ``{"kind": "fixed", "times": ["09:00", "13:00", "20:00"]}`` — the same local times every day;
* ``{"kind": "random", "count": 5, "start": "09:00", "end": "21:00", "min_gap": 60}`` — ``count``
  prompts at random minutes inside the daily window, at least ``min_gap`` minutes apart; the draw is
  seeded per participant and day, so it is reproducible and survives a re-plan;
* ``{"kind": "every_n_days", "every": 3, "time": "19:00"}`` — study days 1, 1+N, 1+2N, …;
* ``{"kind": "diary", "time": "21:00"}`` — one end-of-day diary a day.

Every time is a wall-clock time in the participant's own zone on a study day's calendar date.
Across DST: a time that does not exist that day (the hour the clocks skip) moves forward by the
length of the gap (02:30 becomes 03:30); a time that happens twice (the hour repeated) is its first
occurrence. :func:`plan` returns the beeps with their instants in UTC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

UTC = dt.UTC
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
MAX_PER_DAY = 12
MAX_EVERY = 30


class ScheduleError(ValueError):
    """A schedule that cannot be planned; the message says why, in words for the researcher, and
    ``key`` names the part of the stored schedule it is about ("" for the kind itself)."""

    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Fixed:
    times: tuple[dt.time, ...]
    kind: str = "fixed"


@dataclass(frozen=True)
class RandomWindow:
    count: int
    start: dt.time
    end: dt.time
    min_gap: int  # minutes
    kind: str = "random"


@dataclass(frozen=True)
class EveryNDays:
    every: int
    time: dt.time
    kind: str = "every_n_days"


@dataclass(frozen=True)
class Diary:
    time: dt.time
    kind: str = "diary"


Schedule = Fixed | RandomWindow | EveryNDays | Diary


@dataclass(frozen=True)
class Beep:
    """One planned prompt: study day (1-based), beep of that day (1-based), its local date and
    wall-clock time, and the instant in UTC."""

    day: int
    beep: int
    local_date: dt.date
    local_time: dt.time
    at: dt.datetime


def _time(value: Any, what: str, key: str) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    match = _TIME.match(str(value or "").strip())
    if not match:
        raise ScheduleError(f"{what}: give a time as HH:MM (24-hour), e.g. 09:30.", key)
    return dt.time(int(match.group(1)), int(match.group(2)))


def _int(value: Any, what: str, low: int, high: int, key: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ScheduleError(f"{what}: give a whole number.", key) from exc
    if not low <= number <= high:
        raise ScheduleError(f"{what}: between {low} and {high}.", key)
    return number


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def parse(data: dict[str, Any]) -> Schedule:
    """The schedule a stored JSON object describes; ScheduleError when it cannot be planned."""
    kind = (data or {}).get("kind")
    if kind == "fixed":
        raw = data.get("times") or []
        if isinstance(raw, str):
            raw = [part for part in re.split(r"[,\s]+", raw) if part]
        times = sorted({_time(t, "Times", "times") for t in raw})
        if not times:
            raise ScheduleError("Times: give at least one time.", "times")
        if len(times) > MAX_PER_DAY:
            raise ScheduleError(f"Times: at most {MAX_PER_DAY} a day.", "times")
        return Fixed(times=tuple(times))
    if kind == "random":
        count = _int(data.get("count"), "Prompts a day", 1, MAX_PER_DAY, "count")
        start = _time(data.get("start"), "Window start", "start")
        end = _time(data.get("end"), "Window end", "end")
        gap = _int(data.get("min_gap"), "Minimum gap", 0, 24 * 60, "min_gap")
        span = _minutes(end) - _minutes(start)
        if span <= 0:
            raise ScheduleError(
                "The daily window must end after it starts (on the same day).", "end"
            )
        if (count - 1) * gap >= span:
            raise ScheduleError(
                f"{count} prompts at least {gap} minutes apart do not fit between "
                f"{start:%H:%M} and {end:%H:%M}.",
                "min_gap",
            )
        return RandomWindow(count=count, start=start, end=end, min_gap=gap)
    if kind == "every_n_days":
        return EveryNDays(
            every=_int(data.get("every"), "Every how many days", 1, MAX_EVERY, "every"),
            time=_time(data.get("time"), "Time", "time"),
        )
    if kind == "diary":
        return Diary(time=_time(data.get("time"), "Diary time", "time"))
    raise ScheduleError("Choose a kind of schedule.")


def as_json(schedule: Schedule) -> dict[str, Any]:
    """The stored form of a schedule (``parse(as_json(s)) == s``)."""
    if isinstance(schedule, Fixed):
        return {"kind": "fixed", "times": [f"{t:%H:%M}" for t in schedule.times]}
    if isinstance(schedule, RandomWindow):
        return {
            "kind": "random",
            "count": schedule.count,
            "start": f"{schedule.start:%H:%M}",
            "end": f"{schedule.end:%H:%M}",
            "min_gap": schedule.min_gap,
        }
    if isinstance(schedule, EveryNDays):
        return {"kind": "every_n_days", "every": schedule.every, "time": f"{schedule.time:%H:%M}"}
    return {"kind": "diary", "time": f"{schedule.time:%H:%M}"}


def describe(schedule: Schedule) -> str:
    """One line for people (the consent page, the study page)."""
    if isinstance(schedule, Fixed):
        return "Every day at " + ", ".join(f"{t:%H:%M}" for t in schedule.times)
    if isinstance(schedule, RandomWindow):
        return (
            f"{schedule.count} a day at random times between {schedule.start:%H:%M} and "
            f"{schedule.end:%H:%M}, at least {schedule.min_gap} minutes apart"
        )
    if isinstance(schedule, EveryNDays):
        if schedule.every == 1:
            return f"Every day at {schedule.time:%H:%M}"
        return f"Every {schedule.every} days at {schedule.time:%H:%M}"
    return f"An end-of-day diary every day at {schedule.time:%H:%M}"


def per_day(schedule: Schedule) -> int:
    """The most prompts any one day has."""
    if isinstance(schedule, Fixed):
        return len(schedule.times)
    if isinstance(schedule, RandomWindow):
        return schedule.count
    return 1


def random_minutes(
    *, count: int, start: int, end: int, min_gap: int, rng: random.Random
) -> list[int]:
    """``count`` sorted minutes in [start, end), each at least ``min_gap`` after the one before,
    uniform over all such arrangements: draw in the window shrunk by the gaps, sort, spread out."""
    slack = (end - start) - (count - 1) * min_gap
    if slack <= 0:
        raise ScheduleError("the prompts do not fit in the window")
    draws = sorted(rng.randrange(slack) for _ in range(count))
    return [start + d + i * min_gap for i, d in enumerate(draws)]


def day_seed(seed: str, day: int) -> int:
    """A stable seed for one participant's day (independent of Python's hash randomisation)."""
    digest = hashlib.sha256(f"{seed}:{day}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def local_times(schedule: Schedule, *, day: int, seed: str) -> list[dt.time]:
    """The wall-clock times of study day ``day`` (1-based), in order; empty on a day off."""
    if isinstance(schedule, Fixed):
        return list(schedule.times)
    if isinstance(schedule, RandomWindow):
        rng = random.Random(day_seed(seed, day))
        minutes = random_minutes(
            count=schedule.count,
            start=_minutes(schedule.start),
            end=_minutes(schedule.end),
            min_gap=schedule.min_gap,
            rng=rng,
        )
        return [dt.time(m // 60, m % 60) for m in minutes]
    if isinstance(schedule, EveryNDays):
        return [schedule.time] if (day - 1) % schedule.every == 0 else []
    return [schedule.time]


def to_utc(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The instant a wall-clock time on a date names in ``tz``.

    A time the clocks skip moves forward by the gap; a repeated time is its first occurrence.
    (zoneinfo with ``fold=0`` uses the offset in force before a transition, which does both.)
    """
    return dt.datetime.combine(day, time, tzinfo=tz).replace(fold=0).astimezone(UTC)


def plan(
    schedule: Schedule,
    *,
    first_day: dt.date,
    days: int,
    tz: ZoneInfo,
    seed: str,
) -> list[Beep]:
    """Every beep of a study of ``days`` days whose day 1 is ``first_day`` (a local date)."""
    beeps: list[Beep] = []
    for day in range(1, days + 1):
        date = first_day + dt.timedelta(days=day - 1)
        for number, time in enumerate(local_times(schedule, day=day, seed=seed), start=1):
            beeps.append(Beep(day, number, date, time, to_utc(date, time, tz)))
    return beeps


def replan(beeps: list[Beep], *, tz: ZoneInfo, now: dt.datetime) -> list[tuple[Beep, dt.datetime]]:
    """After a change of time zone: the beeps still ahead whose same wall-clock time in the new
    zone is also still ahead, each with its new instant. A beep whose new instant would already
    have passed keeps its old one (it is not lost, and never sent in the past)."""
    moved = []
    for beep in beeps:
        if beep.at <= now:
            continue
        new_at = to_utc(beep.local_date, beep.local_time, tz)
        if new_at > now and new_at != beep.at:
            moved.append((beep, new_at))
    return moved
