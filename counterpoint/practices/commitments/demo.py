"""Alex and Sam's commitments: mostly kept, a couple missed, a few open.

Made, marked and confirmed through the commitments' services as the two of them would, then dated
back into the demo's past (a commitment can only be made for today or later, so its due day is
moved back afterwards too).
"""

from __future__ import annotations

import datetime as dt

from counterpoint.couples.demo import DemoCouple
from counterpoint.practices.commitments import services
from counterpoint.practices.commitments.models import Commitment, Outcome, PartnerView

# (made days ago, who, promise, due in days from making, outcome, confirmed)
_HISTORY = [
    (100, "alex", "book the train to your parents'", 5, Outcome.KEPT, PartnerView.AGREE),
    (85, "sam", "fix the bike light before the dark evenings", 7, Outcome.KEPT, PartnerView.AGREE),
    (64, "alex", "call the landlord about the damp", 3, Outcome.MISSED, PartnerView.AGREE),
    (50, "sam", "cook on Wednesdays this month", 28, Outcome.KEPT, PartnerView.AGREE),
    (
        40,
        "alex",
        "leave my phone in the hall during dinner",
        14,
        Outcome.KEPT,
        PartnerView.DIFFERENT,
    ),
    (26, "sam", "sort out the holiday dates with my team", 6, Outcome.MISSED, ""),
    (20, "alex", "pick up your prescription on Friday", 2, Outcome.KEPT, ""),
    (4, "sam", "plan a Saturday walk somewhere new", 9, Outcome.OPEN, ""),
    (2, "alex", "finish the birthday photo album", 12, Outcome.OPEN, ""),
]


def seed_commitments(demo: DemoCouple) -> None:
    now = demo.start + dt.timedelta(days=120)
    people = {"alex": demo.alex, "sam": demo.sam}
    partner = {"alex": demo.sam, "sam": demo.alex}
    for days, who, promise, due_in, outcome, view in _HISTORY:
        made = now - dt.timedelta(days=days)
        due_on = (made + dt.timedelta(days=due_in)).date()
        maker = people[who]
        item, _ = services.commitment_make(
            user=maker, promise=promise, due_on=max(due_on, maker.local_today())
        )
        dates: dict[str, object] = {"created_at": made, "due_on": due_on}
        if outcome != Outcome.OPEN:
            marked = made + dt.timedelta(days=due_in)
            services.commitment_mark(user=maker, commitment=item, outcome=outcome)
            dates["marked_at"] = marked
            if view:
                item.refresh_from_db()
                services.commitment_confirm(user=partner[who], commitment=item, view=view)
                dates["confirmed_at"] = marked + dt.timedelta(hours=5)
        Commitment.objects.filter(pk=item.pk).update(**dates)
