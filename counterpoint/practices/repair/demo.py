"""Alex and Sam's repairs: one closed after the "late again" evening, one they are in the middle of.

Each step goes through the repair services as the two of them would take it, then is dated back
into the demo's past (with the notices it sent or answered).
"""

from __future__ import annotations

import datetime as dt

from counterpoint.accounts.models import User
from counterpoint.activity.models import Notice
from counterpoint.couples.demo import DemoCouple
from counterpoint.practices.repair import services
from counterpoint.practices.repair.models import (
    Repair,
    RepairClosing,
    RepairReflection,
    RepairShare,
)
from counterpoint.submissions import new_key


def _happened(repair: Repair, when: dt.datetime) -> None:
    """The step just taken on ``repair`` happened at ``when``, and so did the notices it sent or
    answered (the ones newer than it: the history is written in order)."""
    link = repair.get_absolute_url()
    Repair.objects.filter(pk=repair.pk).update(updated_at=when)
    Notice.objects.filter(link=link, created_at__gt=when).update(created_at=when)
    Notice.objects.filter(link=link, read_at__gt=when).update(read_at=when)


def _start(author: User, topic: str, when: dt.datetime) -> Repair:
    repair, _ = services.repair_start(user=author, topic=topic, submission_key=new_key())
    Repair.objects.filter(pk=repair.pk).update(created_at=when)
    _happened(repair, when)
    return repair


def _share(repair: Repair, author: User, feeling: str, need: str, when: dt.datetime) -> None:
    share = services.repair_share(user=author, repair=repair, feeling=feeling, need=need)
    RepairShare.objects.filter(pk=share.pk).update(created_at=when)
    _happened(repair, when)


def seed_repairs(demo: DemoCouple) -> None:
    now = demo.start + dt.timedelta(days=120)
    alex, sam = demo.alex, demo.sam
    at = now - dt.timedelta(days=40)

    def later(hours: float) -> dt.datetime:
        return at + dt.timedelta(hours=hours)

    def reflect(repair: Repair, author: User, text: str, hours: float) -> RepairReflection:
        reflection = services.repair_reflect(user=author, repair=repair, text=text)
        RepairReflection.objects.filter(pk=reflection.pk).update(created_at=later(hours))
        _happened(repair, later(hours))
        return reflection

    def answer(reflection: RepairReflection, by: User, hours: float, correction: str = "") -> None:
        services.repair_reflection_answer(
            user=by, reflection=reflection, confirmed=not correction, correction=correction
        )
        RepairReflection.objects.filter(pk=reflection.pk).update(answered_at=later(hours))
        _happened(reflection.repair, later(hours))

    def close(repair: Repair, by: User, feeling_now: str, note: str, hours: float) -> None:
        closing = services.repair_close(user=by, repair=repair, feeling_now=feeling_now, note=note)
        RepairClosing.objects.filter(pk=closing.pk).update(created_at=later(hours))
        Repair.objects.filter(pk=repair.pk, closed_at__isnull=False).update(closed_at=later(hours))
        _happened(repair, later(hours))

    done = _start(sam, "Dinner on Friday", at)
    _share(
        done,
        sam,
        "Hurt and a bit invisible when I waited an hour.",
        "To know when plans change, even by a quick message.",
        later(1),
    )
    _share(
        done,
        alex,
        "Defensive, then guilty. Work ran over and I panicked.",
        "Some room to mess up without it meaning I don't care.",
        later(5),
    )
    heard_sam = reflect(done, alex, "You felt forgotten, and you need a heads-up.", 6)
    heard_alex = reflect(done, sam, "You felt attacked.", 6.5)
    answer(heard_sam, sam, 7)
    answer(heard_alex, alex, 8, "Not attacked — guilty. And I need slack, not a pass.")
    heard_alex = reflect(
        done,
        sam,
        "You felt guilty, and you need me to trust that a slip isn't a sign you don't care.",
        9,
    )
    answer(heard_alex, alex, 10)
    step = "Alex texts if running more than 15 minutes late; Sam eats without waiting."
    services.repair_next_step_propose(user=alex, repair=done, text=step)
    _happened(done, later(19))
    services.repair_next_step_agree(user=sam, repair=done, seen_text=step)
    Repair.objects.filter(pk=done.pk).update(next_step_agreed_at=later(20))
    _happened(done, later(20))
    close(done, alex, "lighter", "", 25)
    close(done, sam, "better", "Glad we did this properly.", 26)

    # Alex asked and wrote their side a day ago; Sam's side is still to come.
    ongoing = _start(alex, "The weekend plans", now - dt.timedelta(days=1))
    _share(
        ongoing,
        alex,
        "Disappointed that the weekend filled up without me.",
        "To plan the weekend together on Thursdays.",
        now - dt.timedelta(hours=20),
    )
