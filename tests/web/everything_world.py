"""Everything one person can make, made through the services and forms as people make them: the
export's "every kind" test and the account-deletion sweep use it (tests/web/test_export.py,
tests/web/test_account_delete_leaves_nothing.py)."""

from __future__ import annotations

import uuid

from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from counterpoint.activity.services import notice_preferences_update
from counterpoint.checkins.reactions import partner_note_or_404, reaction_give
from counterpoint.checkins.services import checkin_settings_update, checkin_submit
from counterpoint.notify.services import email_queue, notify_preferences_update, push_send
from counterpoint.practices.decisions.services import decision_record, decision_view_enter
from counterpoint.practices.goals.services import goal_create, goal_encourage
from counterpoint.practices.moments.services import moment_respond, moment_share
from counterpoint.practices.repair import services as repair
from counterpoint.privacy.models import Visibility
from counterpoint.professionals.services import topic_add
from counterpoint.research.services import prompt_submit
from tests.web.conftest import World

PASSWORD = "a long and careful passphrase"


def alice_makes_everything(world: World) -> Client:
    """Alice (and Bob, where it takes two) use every practice the way the forms do; then Alice
    signs in with her password. Returns her signed-in client."""
    a, b = world.alice, world.bob
    a.set_password(PASSWORD)
    a.save()
    bob_goal, _ = goal_create(
        user=b,
        title="Learn the cello",
        why="",
        visibility=Visibility.PARTNER,
        submission_key=uuid.uuid4().hex,
    )
    goal_encourage(user=a, goal=bob_goal, kind="cheer", submission_key=uuid.uuid4().hex)
    bob_moment, _ = moment_share(
        user=b, kind="win", text="Passed!", visibility=Visibility.PARTNER, submission_key="m1"
    )
    moment_respond(user=a, moment=bob_moment, reaction="celebrate", note="Well done")
    decision = world.objects["decision"]
    decision_view_enter(
        user=b, decision=decision, preference="the coast", reasons="sea", importance=3
    )
    decision_record(user=a, decision=decision, text="The coast, for now", reasons="both fine")
    mend = world.objects["repair_reflecting"]
    reflection = world.objects["bob_reflection"]
    repair.repair_reflection_answer(user=a, reflection=reflection, confirmed=True)
    mine = repair.repair_reflect(user=a, repair=mend, text="You are tired and need rest.")
    repair.repair_reflection_answer(user=b, reflection=mine, confirmed=True)
    mend.refresh_from_db()
    repair.repair_next_step_propose(user=a, repair=mend, text="Budget on Sunday")
    mend.refresh_from_db()
    repair.repair_next_step_agree(user=b, repair=mend, seen_text="Budget on Sunday")
    mend.refresh_from_db()
    repair.repair_close(user=a, repair=mend, feeling_now="better", note="")
    bob_day = checkin_submit(user=b, day=a.local_today(), values={"note": "long day"})
    reaction_give(user=a, kind="hug", words="here", checkin=partner_note_or_404(a, bob_day.pk))
    checkin_settings_update(user=a, values={"share_mood": False})
    notify_preferences_update(user=a, values={"push_when_asked": True})
    push_send(user=a, title="Counterpoint", body="Time for your check-in", url="/", ttl=60)
    email_queue(message=EmailMessage("A note for you", "Hello", to=[a.email]))
    notice_preferences_update(user=a, email_when_asked=True, email_everything=False)
    prompt_submit(prompt=world.objects["prompt_alice"], answers={"mood": "6", "note": "fine"})
    topic_add(user=a, link=world.objects["link_ok"], text="Sundays feel tense")
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": a.email, "password": PASSWORD})
    assert response.status_code == 302
    return client
