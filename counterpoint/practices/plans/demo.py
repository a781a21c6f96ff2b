"""Alex and Sam's plans and memories, made through the services as the two of them would."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from counterpoint.practices.plans import services
from counterpoint.practices.plans.models import Interest, Plan, PlanKind


def _demo_photo() -> SimpleUploadedFile:
    """A small drawn picture (a sunset over water) so the demo has a photo to show."""
    image = Image.new("RGB", (640, 400), (250, 190, 120))
    draw = ImageDraw.Draw(image)
    for y in range(200):
        draw.line([(0, y), (640, y)], fill=(250 - y // 3, 170 - y // 4, 120 + y // 3))
    draw.ellipse((260, 130, 380, 250), fill=(255, 220, 140))
    draw.rectangle((0, 230, 640, 400), fill=(40, 90, 140))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile("sunset.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_plans(demo) -> None:
    alex, sam = demo.alex, demo.sam
    today = alex.local_today()

    def backdate(plan: Plan, days_ago: int) -> None:
        Plan.objects.filter(pk=plan.pk).update(
            created_at=demo.start + dt.timedelta(days=120 - days_ago)
        )

    sailing, _ = services.plan_add(
        user=sam,
        title="Learn to sail",
        kind=PlanKind.HOBBY,
        details="A weekend course on the lake, then maybe a boat share.",
        when_text="next summer",
    )
    backdate(sailing, 40)
    services.plan_interest_answer(user=sam, plan=sailing, answer=Interest.LOVE)
    services.plan_interest_answer(user=alex, plan=sailing, answer=Interest.LOVE)

    market, _ = services.plan_add(
        user=alex,
        title="Sunday market and a long breakfast",
        kind=PlanKind.DATE,
        when_date=today + dt.timedelta(days=(6 - today.weekday()) or 7),
    )
    backdate(market, 3)
    services.plan_interest_answer(user=alex, plan=market, answer=Interest.LOVE)  # Sam hasn't yet

    tango, _ = services.plan_add(user=alex, title="Tango lessons", kind=PlanKind.HOBBY)
    backdate(tango, 25)
    services.plan_interest_answer(user=alex, plan=tango, answer=Interest.MAYBE)
    services.plan_interest_answer(user=sam, plan=tango, answer=Interest.NOT_FOR_ME)

    own, _ = services.plan_add(
        user=sam, title="Walk the whole coast path one day", kind=PlanKind.SOMEDAY, shared=False
    )
    backdate(own, 60)

    picnic, _ = services.plan_add(
        user=sam,
        title="Picnic by the river at sunset",
        kind=PlanKind.DATE,
        when_text="a warm evening",
    )
    backdate(picnic, 30)
    services.plan_interest_answer(user=sam, plan=picnic, answer=Interest.LOVE)
    services.plan_interest_answer(user=alex, plan=picnic, answer=Interest.LOVE)
    memory = services.plan_done(
        user=alex, plan=picnic, happened_on=today - dt.timedelta(days=12), minutes_together=150
    )
    services.memory_words_write(
        user=alex, memory=memory, text="The light on the water, and nobody checking a phone."
    )
    services.memory_words_write(
        user=sam, memory=memory, text="You remembered the good bread. We stayed until it got cold."
    )
    services.memory_photo_set(user=sam, memory=memory, upload=_demo_photo())

    # A memory from this day of an earlier month, so "On this day" has something to show.
    earlier = today - dt.timedelta(days=today.day) - dt.timedelta(days=1)
    try:
        same_day = earlier.replace(day=today.day)
    except ValueError:
        same_day = earlier
    first_hike, _ = services.memory_add(
        user=sam, title="Our first hike up the ridge", happened_on=same_day
    )
    services.memory_words_write(user=sam, memory=first_hike, text="Windy, muddy, perfect.")
