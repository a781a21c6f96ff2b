"""Alex and Sam's decisions: one made, one revisited, one waiting for Sam's view.

Started, answered, recorded and revisited through the decisions' services as the two of them
would, then dated back into the demo's past (with the notices each step sent or answered).
"""

from __future__ import annotations

import datetime as dt

from counterpoint.accounts.models import User
from counterpoint.activity.models import Notice
from counterpoint.couples.demo import DemoCouple
from counterpoint.practices.decisions import services
from counterpoint.practices.decisions.models import Decision, DecisionOutcome, DecisionView
from counterpoint.submissions import new_key


def seed_decisions(demo: DemoCouple) -> None:
    now = demo.start + dt.timedelta(days=120)
    alex, sam = demo.alex, demo.sam

    def ago(days: float) -> dt.datetime:
        return now - dt.timedelta(days=days)

    def happened(d: Decision, days: float) -> None:
        """The step just taken on ``d`` happened ``days`` ago, and so did the notices it sent or
        answered (the ones newer than it: the history is written in order)."""
        link, when = d.get_absolute_url(), ago(days)
        Decision.objects.filter(pk=d.pk).update(updated_at=when)
        Notice.objects.filter(link=link, created_at__gt=when).update(created_at=when)
        Notice.objects.filter(link=link, read_at__gt=when).update(read_at=when)

    def start(author: User, title: str, context: str, days: float) -> Decision:
        d, _ = services.decision_start(
            user=author, title=title, context=context, submission_key=new_key()
        )
        Decision.objects.filter(pk=d.pk).update(created_at=ago(days))
        happened(d, days)
        return d

    def view(d: Decision, author: User, pref: str, why: str, imp: int, days: float) -> None:
        v = services.decision_view_enter(
            user=author, decision=d, preference=pref, reasons=why, importance=imp
        )
        DecisionView.objects.filter(pk=v.pk).update(created_at=ago(days))
        happened(d, days)

    def record(d: Decision, by: User, text: str, reasons: str, days: float) -> None:
        outcome = services.decision_record(user=by, decision=d, text=text, reasons=reasons)
        DecisionOutcome.objects.filter(pk=outcome.pk).update(recorded_at=ago(days))
        happened(d, days)

    summer = start(sam, "Where do we go in August?", "Two weeks off, modest budget.", 80)
    view(summer, sam, "The coast in Portugal.", "Sea, slow days, I need to switch off.", 4, 79)
    view(summer, alex, "Hiking in the Dolomites.", "I want something a bit adventurous.", 3, 78)
    record(
        summer,
        alex,
        "One week walking, one week by the sea in Portugal.",
        "Sam cares more about rest; Alex gets a few big days out first.",
        76,
    )

    hosting = start(alex, "Hosting Christmas this year?", "Both families asked.", 50)
    view(hosting, alex, "Yes, at ours.", "We have the space now.", 2, 49)
    view(hosting, sam, "Not this year.", "Work ends late; I'd be exhausted.", 5, 48)
    record(
        hosting,
        sam,
        "Not this year; we visit Alex's parents.",
        "It matters a lot more to Sam than to Alex.",
        47,
    )
    services.decision_revisit(user=alex, decision=hosting)  # Sam's view is still to come
    happened(hosting, 6.5)
    view(hosting, alex, "Maybe host Boxing Day only?", "A smaller version could work.", 2, 6)

    # Alex asked; Sam hasn't given a view yet.
    start(alex, "Should we get a dog next spring?", "We keep coming back to this.", 3)
