"""The schedules as pure functions: times, reproducible random draws, DST and time-zone moves."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from zoneinfo import ZoneInfo

import pytest

from counterpoint.research import schedules as s

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def test_parse_round_trips_every_kind() -> None:
    for raw in (
        {"kind": "fixed", "times": ["20:00", "09:00"]},
        {"kind": "random", "count": 5, "start": "09:00", "end": "21:00", "min_gap": 60},
        {"kind": "every_n_days", "every": 3, "time": "19:30"},
        {"kind": "diary", "time": "21:00"},
    ):
        parsed = s.parse(raw)
        assert s.parse(s.as_json(parsed)) == parsed
    assert s.parse({"kind": "fixed", "times": "20:00, 09:00"}) == s.Fixed((dt.time(9), dt.time(20)))


@pytest.mark.parametrize(
    "raw",
    [
        {"kind": "fixed", "times": []},
        {"kind": "fixed", "times": ["9am"]},
        {"kind": "random", "count": 5, "start": "09:00", "end": "10:00", "min_gap": 20},
        {"kind": "random", "count": 2, "start": "21:00", "end": "09:00", "min_gap": 0},
        {"kind": "every_n_days", "every": 0, "time": "19:00"},
        {"kind": "weekly"},
    ],
)
def test_schedules_that_cannot_be_planned_say_so(raw: dict) -> None:
    with pytest.raises(s.ScheduleError):
        s.parse(raw)


def test_fixed_times_every_day_in_local_time() -> None:
    beeps = s.plan(
        s.parse({"kind": "fixed", "times": ["09:00", "20:00"]}),
        first_day=dt.date(2026, 6, 1),
        days=3,
        tz=BERLIN,
        seed="x",
    )
    assert [(b.day, b.beep) for b in beeps] == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)]
    # Summer in Berlin is UTC+2.
    assert beeps[0].at == dt.datetime(2026, 6, 1, 7, 0, tzinfo=dt.UTC)
    assert all(b.at.astimezone(BERLIN).time() == b.local_time for b in beeps)


def test_random_prompts_respect_window_and_gap_and_are_reproducible() -> None:
    sched = s.parse({"kind": "random", "count": 6, "start": "09:00", "end": "21:00", "min_gap": 90})
    first = s.plan(sched, first_day=dt.date(2026, 5, 4), days=30, tz=NY, seed="p-17")
    again = s.plan(sched, first_day=dt.date(2026, 5, 4), days=30, tz=NY, seed="p-17")
    other = s.plan(sched, first_day=dt.date(2026, 5, 4), days=30, tz=NY, seed="p-18")
    assert first == again
    assert [b.local_time for b in first] != [b.local_time for b in other]
    for day in range(1, 31):
        times = [b.local_time for b in first if b.day == day]
        minutes = [t.hour * 60 + t.minute for t in times]
        assert len(minutes) == 6
        assert minutes[0] >= 9 * 60 and minutes[-1] < 21 * 60
        assert all(b - a >= 90 for a, b in itertools.pairwise(minutes))


def test_random_minutes_are_spread_over_the_whole_window() -> None:
    """The draw reaches both ends of the window (not bunched at the start)."""
    rng = random.Random(1)
    firsts, lasts = [], []
    for _ in range(2000):
        m = s.random_minutes(count=3, start=0, end=600, min_gap=60, rng=rng)
        firsts.append(m[0])
        lasts.append(m[-1])
    assert min(firsts) < 20 and max(lasts) > 580
    # By symmetry the mean of the first and the distance of the last from the end agree.
    mean_first = sum(firsts) / len(firsts)
    mean_from_end = sum(599 - x for x in lasts) / len(lasts)
    assert abs(mean_first - mean_from_end) < 10


def test_random_fits_exactly_when_the_gaps_just_fit() -> None:
    sched = s.parse({"kind": "random", "count": 3, "start": "09:00", "end": "11:01", "min_gap": 60})
    times = s.local_times(sched, day=1, seed="z")
    assert times == [dt.time(9), dt.time(10), dt.time(11)]


def test_every_n_days_and_diary() -> None:
    every = s.plan(
        s.parse({"kind": "every_n_days", "every": 3, "time": "19:00"}),
        first_day=dt.date(2026, 1, 1),
        days=10,
        tz=BERLIN,
        seed="x",
    )
    assert [b.day for b in every] == [1, 4, 7, 10]
    diary = s.plan(
        s.parse({"kind": "diary", "time": "21:30"}),
        first_day=dt.date(2026, 1, 1),
        days=7,
        tz=BERLIN,
        seed="x",
    )
    assert len(diary) == 7 and {b.local_time for b in diary} == {dt.time(21, 30)}


def test_dst_spring_forward_keeps_the_local_time() -> None:
    """New York moved to summer time on 8 March 2026: 09:00 stays 09:00 local, one hour earlier
    in UTC."""
    beeps = s.plan(
        s.parse({"kind": "diary", "time": "09:00"}),
        first_day=dt.date(2026, 3, 7),
        days=2,
        tz=NY,
        seed="x",
    )
    assert beeps[0].at == dt.datetime(2026, 3, 7, 14, 0, tzinfo=dt.UTC)
    assert beeps[1].at == dt.datetime(2026, 3, 8, 13, 0, tzinfo=dt.UTC)
    assert beeps[1].at - beeps[0].at == dt.timedelta(hours=23)


def test_a_time_the_clocks_skip_moves_forward_by_the_gap() -> None:
    at = s.to_utc(dt.date(2026, 3, 8), dt.time(2, 30), NY)
    assert at.astimezone(NY).time() == dt.time(3, 30)


def test_a_repeated_time_is_its_first_occurrence() -> None:
    """1 November 2026, 01:30 happens twice in New York; the prompt goes at the first (EDT)."""
    at = s.to_utc(dt.date(2026, 11, 1), dt.time(1, 30), NY)
    assert at == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)


def test_replan_moves_only_future_beeps_to_the_same_wall_clock() -> None:
    sched = s.parse({"kind": "fixed", "times": ["09:00", "13:00", "20:00"]})
    beeps = s.plan(sched, first_day=dt.date(2026, 6, 1), days=2, tz=NY, seed="x")
    # The participant lands in Berlin at 10:00 New York time on day 1 (16:00 in Berlin).
    now = dt.datetime(2026, 6, 1, 14, 0, tzinfo=dt.UTC)
    moved = dict(s.replan(beeps, tz=BERLIN, now=now))
    # Day 1 09:00 NY is past: untouched. Day 1 13:00 in Berlin would be past: keeps its NY time.
    assert beeps[0] not in moved and beeps[1] not in moved
    # Day 1 20:00 Berlin is still ahead: moved.
    assert moved[beeps[2]] == dt.datetime(2026, 6, 1, 18, 0, tzinfo=dt.UTC)
    # Day 2: all three at the Berlin wall-clock times.
    assert [moved[b].astimezone(BERLIN).time() for b in beeps[3:]] == [
        dt.time(9),
        dt.time(13),
        dt.time(20),
    ]
