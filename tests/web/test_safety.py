"""The safety center: who sees what, stopping all sharing (silently), the emergency reset and
re-authentication before sensitive actions."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counterpoint.accounts.models import User
from counterpoint.accounts.reauth import SESSION_KEY
from counterpoint.activity.models import Notice
from counterpoint.checkins.models import SHAREABLE_FIELDS, CheckInSettings
from counterpoint.checkins.reactions import reaction_give
from counterpoint.checkins.services import checkin_submit, daily_question_get, question_answer
from counterpoint.couples.demo import DemoCouple
from counterpoint.couples.selectors import active_couple
from counterpoint.interdependence.instruments import available
from counterpoint.interdependence.services import taking_save_draft
from counterpoint.journal.models import JournalEntry
from counterpoint.notify.models import PushSubscription
from counterpoint.notify.services import push_subscription_save
from counterpoint.practices.commitments.models import Commitment
from counterpoint.practices.commitments.services import commitment_make
from counterpoint.practices.goals.services import goal_create
from counterpoint.practices.moments.services import moment_share
from counterpoint.privacy.access import personal_record_models
from counterpoint.privacy.models import Visibility
from counterpoint.safety.items import ITEM_KINDS, item_related, item_words
from counterpoint.safety.selectors import KIND_LABELS, who_sees_what
from counterpoint.safety.sharing import sharing_stop_all
from tests.web.conftest import ALICE_SHARED_MARKER, World
from tests.web.push_endpoint import FakeBrowserKeys

PASSWORD = "an-old-long-passphrase"
NEW_PASSWORD = "a-brand-new-passphrase-42"
BOB_PAGES = [
    "pages:home",
    "journal:list",
    "goals:list",
    "moments:list",
    "checkins:today",
    "checkins:history",
    "insights:page",
    "couples:home",
]
CHECKIN = {
    "mood": 7,
    "energy": 6,
    "stress": 3,
    "closeness": 5,
    "sought_support": "no",
    "gave_support": True,
    "me_minutes": 30,
    "we_minutes": 60,
    "note": "SHARED-NOTE-91ab",
    "journal_line": "",
}


def _normalised(client: Client, url_name: str) -> str:
    """A page as Bob sees it, without what changes on every request (CSRF tokens, CSP nonces,
    the fresh submission key every form carries)."""
    response = client.get(reverse(url_name))
    assert response.status_code == 200, url_name
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'nonce="[^"]+"', "", text)
    text = re.sub(r'name="submission_key" value="[^"]*"', "", text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)


def _share_things(alice: User) -> None:
    """Alice shares as a person would: through the services the forms call."""
    goal_create(user=alice, title="Run 5k GOAL-77c1", why="", visibility=Visibility.PARTNER)
    moment_share(user=alice, kind="win", text="A good day MOMENT-3e5d", visibility="partner")
    checkin_submit(user=alice, day=alice.local_today(), values=dict(CHECKIN))


def test_every_kind_of_personal_record_has_a_label_on_the_page() -> None:
    labels = {model._meta.label for model in personal_record_models()}
    assert labels <= set(KIND_LABELS), (
        f"kinds missing from who-sees-what: {labels - set(KIND_LABELS)}"
    )
    assert labels <= set(ITEM_KINDS), f"kinds without words for an item: {labels - set(ITEM_KINDS)}"


# What a model's name, a stored code or a slug looks like on the page: "GoalProgress object (12)",
# "win: ...", "me 2026-12-01 90m", "check-in 2026-12-01", "interdependent on 2026-12-01".
RAW = re.compile(
    r"object \(\d+\)|^(win|struggle|me|we|love|hug|smile|thanks)\b|\d{4}-\d\d-\d\d|\d+m$"
    r"|^(check-in|week of|skipped|response to)\b|\bv\d|\((draft|complete)\)"
    r"|^(interdependent|independent|dependent|distant|between)\b"
)


def test_who_sees_what_names_each_item_in_words_not_codes(demo: DemoCouple) -> None:
    """Every item of every kind the demo couple shares is said as its own pages say it."""
    seen = set()
    for person in (demo.alex, demo.sam):
        client = Client()
        client.force_login(person)
        page = unescape(client.get(reverse("safety:center")).content.decode())
        section = page.split('id="who-sees-what"', 1)[1].split("<h3>", 1)[0]
        items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
        assert len(items) > 50
        for item in items:
            assert not RAW.search(item.strip()), item
        seen.update(items)
    for words in (
        "Check-in of ",
        "The week of ",
        "% of “",
        "A cheer for “",
        "A win: ",
        "A struggle: ",
        "Me-time, ",
        "We-time, ",
        " minutes",
        "”: stated",
    ):
        assert any(words in item for item in seen), words
    regions = [item for item in seen if re.search(r", \d{1,2} [A-Z][a-z]{2} \d{4}$", item)]
    assert any(item.startswith(("Close and whole", "Leaning")) for item in regions), regions


def test_saying_an_item_reads_nothing_more_than_its_kind_loads_with_it(demo: DemoCouple) -> None:
    """Each kind's ``related`` names what its words read besides the item (the goal of a progress
    step, the boundary of an event): loaded with the item, saying it asks the database nothing."""
    said = 0
    for label, kind in ITEM_KINDS.items():
        model = apps.get_model(label)
        assert item_related(label) == kind.related
        rows = model._default_manager.all()
        if kind.related:  # select_related() with no names would load every relation
            rows = rows.select_related(*kind.related)
        rows = list(rows[:3])
        with CaptureQueriesContext(connection) as queries:
            for row in rows:
                assert item_words(row)
        assert not queries.captured_queries, (label, [q["sql"] for q in queries])
        said += len(rows)
    assert said > 30
    assert item_related("goals.GoalProgress") == ("goal",)
    assert item_related("no.SuchKind") == ()


def test_the_kinds_the_demo_does_not_share_are_said_in_words_too(world: World) -> None:
    checkin = checkin_submit(user=world.alice, day=world.alice.local_today(), values=dict(CHECKIN))
    reaction = reaction_give(
        user=world.bob, kind="hug", words="  thinking  of you ", checkin=checkin
    )
    assert item_words(reaction) == "Sending a hug: thinking of you"
    instrument = available()[0]
    taking = taking_save_draft(user=world.alice, instrument=instrument, answers={})
    assert item_words(taking) == f"{instrument.title} (draft)"
    daily = daily_question_get(user=world.alice)
    assert daily is not None
    skipped = question_answer(user=world.alice, question_pk=daily.pk, text="", skip=True)
    assert item_words(skipped) == "A question you skipped"


def test_a_promise_is_said_as_its_author_reads_it_whatever_was_stored(world: World) -> None:
    promise, _created = commitment_make(
        user=world.alice, promise="I will call my sister", due_on=world.alice.local_today()
    )
    assert item_words(promise) == "I will call my sister"
    # rows saved before the form took "I will" off the front, and before it refused a promise of
    # nothing else, hold it still
    for stored in ("I will", "I will I will", "i will."):
        Commitment.objects.filter(pk=promise.pk).update(promise=stored)
        promise.refresh_from_db()
        said = item_words(promise)
        assert said.startswith("I will ") and "will I will" not in said.lower(), said
        assert "no words" in said, said


def test_the_safety_centre_joins_only_what_an_item_is_said_with(demo: DemoCouple) -> None:
    """A kind whose words read only the item itself is read without joins: ``select_related()``
    with no names would join every required relation (the author, the couple) for nothing."""
    client = Client()
    client.force_login(demo.alex)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("safety:center")).status_code == 200
    tables = {
        apps.get_model(label)._meta.db_table: label
        for label, kind in ITEM_KINDS.items()
        if not kind.related
    }
    reads = {
        tables[table]: q["sql"]
        for q in queries
        for table in tables
        if f'FROM "{table}"' in q["sql"] and "ORDER BY" in q["sql"]
    }
    # the demo shares answers to the daily question, whose rows hang off a required question
    assert "checkins.QuestionAnswer" in reads, sorted(reads)
    joined = {label: sql for label, sql in reads.items() if " JOIN " in sql}
    assert not joined, joined


def test_after_stop_sharing_the_partner_sees_what_they_saw_before_anything_was_shared(
    world: World,
) -> None:
    # The baseline: Alice has shared nothing (other modules seed the shared world with things
    # she shared; here they are hers alone) and Bob's feed is empty.
    for model in personal_record_models():
        model._default_manager.filter(author=world.alice, visibility=Visibility.PARTNER).update(
            visibility=Visibility.PRIVATE
        )
    CheckInSettings.objects.update_or_create(
        user=world.alice, defaults=dict.fromkeys(SHAREABLE_FIELDS, False)
    )
    Notice.objects.filter(recipient=world.bob).delete()
    bob = world.client_for("B")
    before = {name: _normalised(bob, name) for name in BOB_PAGES}

    CheckInSettings.objects.filter(user=world.alice).update(**dict.fromkeys(SHAREABLE_FIELDS, True))
    JournalEntry.objects.filter(pk=world.objects["alice_shared"].pk).update(
        visibility=Visibility.PARTNER
    )
    _share_things(world.alice)
    shared = {name: _normalised(bob, name) for name in BOB_PAGES}
    assert "GOAL-77c1" in shared["goals:list"]
    assert "MOMENT-3e5d" in shared["moments:list"]
    assert ALICE_SHARED_MARKER in shared["journal:list"]

    # What Bob was told while things were shared stays his (he saw it then); clear his feed so the
    # comparison is about what stopping sharing leaves visible. Stopping itself adds no notice.
    Notice.objects.filter(recipient=world.bob).delete()
    mail.outbox.clear()  # the world's own emails (a study prompt for Bob) came before
    alice = world.client_for("A")
    response = alice.post(reverse("safety:stop_sharing"))
    assert response.status_code == 302

    after = {name: _normalised(bob, name) for name in BOB_PAGES}
    for name in BOB_PAGES:
        assert after[name] == before[name], f"{name} still differs from 'has not shared'"
    assert not Notice.objects.filter(recipient=world.bob).exists()
    assert not [m for m in mail.outbox if world.bob.email in m.to]
    detail = bob.get(reverse("journal:detail", kwargs={"pk": world.objects["alice_shared"].pk}))
    assert detail.status_code == 404


def test_stop_sharing_keeps_co_owned_items_and_says_so(world: World) -> None:
    goal_create(user=world.alice, title="Our trip OURS-51", why="", visibility=Visibility.COUPLE)
    shared_before = {
        model._meta.label: n
        for model in personal_record_models()
        if (
            n := model._default_manager.filter(
                author=world.alice, visibility=Visibility.PARTNER
            ).count()
        )
    }
    assert shared_before["journal.JournalEntry"] >= 1
    stopped = sharing_stop_all(user=world.alice)
    assert stopped.records == shared_before
    assert stopped.checkin_fields == len(SHAREABLE_FIELDS)
    page = world.client_for("A").get(reverse("safety:center")).content.decode()
    assert "OURS-51" in page and "co-owned by you both" in page
    assert "Stop sharing everything" in page
    goals = world.client_for("B").get(reverse("goals:list")).content.decode()
    assert "OURS-51" in goals


def test_who_sees_what_lists_what_the_partner_sees_now_and_nothing_else(world: World) -> None:
    _share_things(world.alice)
    view = who_sees_what(world.alice)
    assert view.partner == world.bob
    by_label = {kind.label: kind for kind in view.kinds}
    assert "Run 5k GOAL-77c1" in by_label["Goals"].shared
    assert "Run 5k GOAL-77c1" not in by_label["Goals"].co_owned
    assert (
        by_label["Journal entries"].shared_count
        == JournalEntry.objects.filter(author=world.alice, visibility=Visibility.PARTNER).count()
    )
    assert by_label["Questionnaire answers"].shared_count == 0
    assert "Mood" in view.checkin_fields
    page = world.client_for("A").get(reverse("safety:center")).content.decode()
    assert "GOAL-77c1" in page and ALICE_SHARED_MARKER in page
    sharing_stop_all(user=world.alice)
    page = world.client_for("A").get(reverse("safety:center")).content.decode()
    assert "GOAL-77c1" not in page and ALICE_SHARED_MARKER not in page
    assert not who_sees_what(world.alice).shares_anything


def test_single_person_is_told_nobody_sees_anything(world: World) -> None:
    page = world.client_for("T").get(reverse("safety:center")).content.decode()
    assert "nobody sees anything" in page


def _with_password(user: User) -> Client:
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.force_login(user)  # a sign-in: it counts as a fresh confirmation
    return client


@pytest.mark.parametrize("unpair", [False, True])
def test_emergency_reset_does_everything_and_tells_the_partner_only_of_unpairing(
    world: World, unpair: bool, django_capture_on_commit_callbacks
) -> None:
    here = _with_password(world.alice)
    elsewhere = Client()
    elsewhere.force_login(world.alice)
    assert elsewhere.get(reverse("pages:home")).status_code == 200
    _share_things(world.alice)
    mail.outbox.clear()
    bob_notices = Notice.objects.filter(recipient=world.bob).count()

    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    if unpair:
        data["unpair"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(reverse("safety:emergency_reset"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:emergency_reset_done")

    world.alice.refresh_from_db()
    assert world.alice.check_password(NEW_PASSWORD)
    assert here.get(reverse("pages:home")).status_code == 200  # this device stays signed in
    assert elsewhere.get(reverse("pages:home")).status_code == 302  # others are signed out
    assert not who_sees_what(world.alice).shares_anything
    assert (active_couple(world.alice) is None) is unpair
    new_bob_notices = Notice.objects.filter(recipient=world.bob).count() - bob_notices
    assert new_bob_notices == (1 if unpair else 0)
    assert [m.to for m in mail.outbox] == [[world.alice.email]]
    assert "password" in mail.outbox[0].subject.lower()
    assert "GOAL-77c1" not in mail.outbox[0].body


def test_emergency_reset_with_a_weak_password_changes_nothing(world: World) -> None:
    here = _with_password(world.alice)
    response = here.post(
        reverse("safety:emergency_reset"),
        {"new_password1": "short", "new_password2": "short", "unpair": "on"},
    )
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()
    world.alice.refresh_from_db()
    assert world.alice.check_password(PASSWORD)
    assert active_couple(world.alice) is not None
    assert who_sees_what(world.alice).shares_anything


def _make_stale(client: Client) -> None:
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 3600
    session.save()


@pytest.mark.parametrize(
    "url_name",
    [
        "accounts:export",
        "accounts:my_data",
        "accounts:delete",
        "accounts:security",
        "safety:emergency_reset",
    ],
)
def test_sensitive_pages_ask_for_a_fresh_confirmation(world: World, url_name: str) -> None:
    client = _with_password(world.alice)
    assert client.get(reverse(url_name)).status_code == 200  # signing in just now counts
    _make_stale(client)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    wrong = client.post(response["Location"], {"password": "not-it"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    right = client.post(response["Location"], {"password": PASSWORD})
    assert right.status_code == 302 and right["Location"] == reverse(url_name)
    assert client.get(reverse(url_name)).status_code == 200


def test_a_stale_post_is_not_carried_out(world: World) -> None:
    client = _with_password(world.alice)
    _make_stale(client)
    response = client.post(
        reverse("accounts:delete"),
        {"confirm": "delete my account", "password": PASSWORD},
    )
    assert (
        response.status_code == 200
    )  # the confirm page (tests/web/test_reauth_carries_through.py)
    assert User.objects.filter(pk=world.alice.pk).exists()


def test_five_wrong_confirmations_sign_the_session_out(world: World) -> None:
    client = _with_password(world.alice)
    _make_stale(client)
    url = reverse("accounts:confirm") + "?next=/account/data/"
    for _ in range(4):
        assert client.post(url, {"password": "guess"}).status_code == 200
    response = client.post(url, {"password": "guess"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert client.get(reverse("pages:home")).status_code == 302


def test_confirm_never_redirects_off_site(world: World) -> None:
    client = _with_password(world.alice)
    response = client.post(
        reverse("accounts:confirm") + "?next=//evil.example/", {"password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:security")


def test_password_change_sends_an_alert_without_content(
    world: World, django_capture_on_commit_callbacks
) -> None:
    client = _with_password(world.alice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[world.alice.email]]
    assert "password was changed" in mail.outbox[0].subject.lower()
    assert "emergency reset" in mail.outbox[0].body
    assert world.alice.display_name not in mail.outbox[0].body


def _hidden_fields(html: str) -> list[tuple[str, str]]:
    return [
        (name, unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
        if name != "csrfmiddlewaretoken"
    ]


def test_widening_a_journal_entry_asks_first_and_keeps_what_was_written(world: World) -> None:
    client = _with_password(world.alice)
    _make_stale(client)
    entry = world.objects["alice_private"]
    url = reverse("journal:edit", kwargs={"pk": entry.pk})
    edit = {"title": "", "body": "Now for Bob: WIDEN-4411 & <more>", "visibility": "partner"}
    asked = client.post(url, edit)
    assert asked.status_code == 200 and "Confirm it" in asked.content.decode()
    entry.refresh_from_db()
    assert entry.visibility == Visibility.PRIVATE and "WIDEN-4411" not in entry.body

    fields = _hidden_fields(asked.content.decode())
    form: dict[str, list[str]] = {"password": [PASSWORD]}
    for name, value in fields:
        form.setdefault(name, []).append(value)
    confirmed = client.post(reverse("accounts:confirm"), form)
    assert confirmed.status_code == 200
    carried = _hidden_fields(confirmed.content.decode())
    assert ("body", edit["body"]) in carried and ("visibility", "partner") in carried
    saved = client.post(url, dict(carried))
    assert saved.status_code == 302
    entry.refresh_from_db()
    assert entry.visibility == Visibility.PARTNER and entry.body == edit["body"]
    bob_sees = world.client_for("B").get(reverse("journal:list")).content.decode()
    assert "WIDEN-4411" in bob_sees


def test_narrowing_never_asks(world: World) -> None:
    client = _with_password(world.alice)
    _make_stale(client)
    entry = world.objects["alice_shared"]
    url = reverse("journal:edit", kwargs={"pk": entry.pk})
    response = client.post(url, {"title": "", "body": entry.body, "visibility": "private"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.visibility == Visibility.PRIVATE


def test_sharing_another_check_in_field_asks_first(world: World) -> None:
    client = _with_password(world.alice)
    sharing_stop_all(user=world.alice)
    _make_stale(client)
    response = client.post(reverse("checkins:settings"), {"share_mood": "on"})
    assert response.status_code == 200 and "Confirm it" in response.content.decode()
    assert not CheckInSettings.objects.get(user=world.alice).share_mood


def test_a_new_notification_device_is_told_to_the_owner_and_the_reset_forgets_all_devices(
    world: World, django_capture_on_commit_callbacks
) -> None:
    keys = FakeBrowserKeys()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        push_subscription_save(
            user=world.alice,
            endpoint="https://push.invalid/one",
            p256dh=keys.p256dh,
            auth=keys.auth,
        )
        push_subscription_save(  # the same browser again: not a new device
            user=world.alice,
            endpoint="https://push.invalid/one",
            p256dh=keys.p256dh,
            auth=keys.auth,
        )
    assert [m.subject for m in mail.outbox] == ["A new device gets your notifications"]
    here = _with_password(world.alice)
    response = here.post(
        reverse("safety:emergency_reset"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not PushSubscription.objects.filter(user=world.alice).exists()


def test_who_sees_what_names_each_study_and_what_its_researcher_holds(world: World) -> None:
    from counterpoint.research.models import Participant, Prompt
    from counterpoint.research.services import participant_withdraw, prompt_open, prompt_submit

    prompt = world.objects["prompt_bob"]  # the world's study (tests/web/research_world.py)
    assert isinstance(prompt, Prompt)
    prompt_open(prompt=prompt)
    prompt_submit(prompt=prompt, answers={"mood": 6, "calm": 7, "note": "a quiet day"})

    def center(person: User) -> str:
        client = Client()
        client.force_login(person)
        return unescape(client.get(reverse("safety:center")).content.decode())

    bob_page = center(world.bob)
    assert "Moods through the day" in bob_page and "run by Rhea" in bob_page
    assert "How calm are you?" in bob_page
    assert "The researcher can read 1 answer of yours." in bob_page
    assert "The researcher can read 0 answers of yours." in center(world.alice)
    assert "Studies you joined" not in center(world.carol)

    participant = Participant.objects.get(user=world.bob, study=prompt.study)
    participant_withdraw(participant=participant, choice=Participant.Withdrawal.DELETE)
    after = center(world.bob)
    assert "You have left this study." in after
    assert "The researcher can read 0 answers of yours." in after
