"""Demo data: Alex and Sam took the map twice, a month apart, and shared their positions.

Taken and shared through the map's service as the two of them would, in the order they did it,
then dated back into the demo's past (with the notice that told the partner).
"""

from __future__ import annotations

import datetime as dt

from counterpoint.accounts.models import User
from counterpoint.activity.models import Notice
from counterpoint.couples.demo import DemoCouple
from counterpoint.interdependence import instruments, services
from counterpoint.interdependence.models import Position, Taking
from counterpoint.science.instrument import simulate_responses

# (connection, autonomy): Alex leaning in and Sam leaning apart, then both nearer the middle.
JOURNEY = {
    "alex": [(5.7, 3.3), (5.5, 4.7)],
    "sam": [(3.3, 5.7), (4.8, 5.5)],
}
DAYS_AGO = [35, 4]


def _take(user: User, point: tuple[float, float], days_ago: int, seed: int) -> None:
    instrument = instruments.current(instruments.OUR_KEY)
    assert instrument is not None
    answers = simulate_responses(instrument, [point], noise_sd=0.8, seed=seed).iloc[0].to_dict()
    position = services.taking_submit(user=user, instrument=instrument, answers=answers, share=True)
    when = user.local_now() - dt.timedelta(days=days_ago)
    Position.objects.filter(pk=position.pk).update(taken_on=when.date(), created_at=when)
    Taking.objects.filter(pk=position.taking_id).update(created_at=when, completed_at=when)
    # the partner was told then (the newest "shared" notice: the history is written in order)
    told = Notice.objects.filter(kind="map_shared", created_at__gt=when)
    told.update(created_at=when)


def seed_map(demo: DemoCouple) -> None:
    for k, days_ago in enumerate(DAYS_AGO):
        for who, user in (("alex", demo.alex), ("sam", demo.sam)):
            _take(user, JOURNEY[who][k], days_ago, seed=100 * k + len(who))
