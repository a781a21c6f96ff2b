"""Signing out of a browser stops its notifications; signing out everywhere else stops the others'.

A shared device is the case that matters: Alice turns on notifications on the family tablet, signs
out, and Bob (or anyone) picks it up. Her reminders ("time for today's check-in", "a study prompt is
open", with her signed pause and stop links) must not keep arriving there. Each browser's session
keeps the numbers of the subscriptions it made; sign-out removes those, and "sign out everywhere
else" removes every other one. Built the way people do it: the sign-in form, the subscription the
page's script posts, the sign-out buttons, and the devices page to look at.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.models import User
from counterpoint.notify.models import PushMessage, PushSubscription
from counterpoint.notify.services import push_send
from tests.factories import make_user
from tests.web.push_endpoint import FakeBrowserKeys

pytestmark = pytest.mark.django_db
PASSWORD = "a long passphrase for tests"


def _signed_in(email: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302, "the sign-in form did not accept the person"
    return client


def _subscribe(client: Client, endpoint: str, label: str) -> int:
    keys = FakeBrowserKeys()
    body = {
        "endpoint": endpoint,
        "keys": {"p256dh": keys.p256dh, "auth": keys.auth},
        "label": label,
    }
    response = client.post(reverse("notify:subscribe"), body, content_type="application/json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def _devices_page(client: Client) -> str:
    response = client.get(reverse("notify:devices"))
    assert response.status_code == 200
    return response.content.decode()


def _reminder(user: User) -> int:
    return push_send(
        user=user, title="Counterpoint", body="Time for today's check-in.", url="/", ttl=3600
    )


def test_signing_out_stops_this_browsers_notifications_and_no_one_elses() -> None:
    alice = make_user("alice@example.org", "Alice", password=PASSWORD)
    tablet, phone = _signed_in(alice.email), _signed_in(alice.email)
    on_tablet = _subscribe(tablet, "https://push.example/tablet", "Firefox on Linux")
    on_phone = _subscribe(phone, "https://push.example/phone", "Chrome on Android")
    assert _reminder(alice) == 2

    assert tablet.post(reverse("accounts:logout")).status_code == 302

    assert set(PushSubscription.objects.filter(user=alice).values_list("pk", flat=True)) == {
        on_phone
    }
    assert not PushSubscription.objects.filter(pk=on_tablet).exists()
    page = _devices_page(phone)
    assert "Chrome on Android" in page and "Firefox on Linux" not in page
    before = PushMessage.objects.count()
    assert _reminder(alice) == 1  # the phone only
    assert PushMessage.objects.filter(subscription_id=on_phone).count() == 2
    assert PushMessage.objects.count() == before + 1


def test_the_next_person_on_a_shared_browser_gets_none_of_the_last_ones_notifications() -> None:
    alice = make_user("alice@example.org", "Alice", password=PASSWORD)
    bob = make_user("bob@example.org", "Bob", password=PASSWORD)
    shared = _signed_in(alice.email)
    _subscribe(shared, "https://push.example/family-tablet", "Chrome on Linux")
    shared.post(reverse("accounts:logout"))

    bobs = _signed_in(bob.email)  # the same browser, after her: a fresh session
    assert "Chrome on Linux" not in _devices_page(bobs)
    assert _reminder(alice) == 0
    assert _reminder(bob) == 0
    # Bob turns notifications on in that browser: the subscription is his now, not hers
    _subscribe(bobs, "https://push.example/family-tablet", "Chrome on Linux")
    assert _reminder(alice) == 0 and _reminder(bob) == 1


def test_signing_out_everywhere_else_stops_every_other_browser_and_keeps_this_one() -> None:
    alice = make_user("alice@example.org", "Alice", password=PASSWORD)
    laptop, lost_phone, old_tablet = (_signed_in(alice.email) for _ in range(3))
    on_laptop = _subscribe(laptop, "https://push.example/laptop", "Firefox on Mac")
    _subscribe(lost_phone, "https://push.example/lost-phone", "Safari on iPhone/iPad")
    _subscribe(old_tablet, "https://push.example/old-tablet", "Chrome on Android")

    response = laptop.post(reverse("accounts:sign_out_everywhere"))

    assert response.status_code == 302
    assert list(PushSubscription.objects.filter(user=alice).values_list("pk", flat=True)) == [
        on_laptop
    ]
    assert lost_phone.get(reverse("notify:devices")).status_code == 302  # signed out there
    page = _devices_page(laptop)  # the laptop's session moved to a new key, its device stayed
    assert "Firefox on Mac" in page and "Safari on iPhone/iPad" not in page
    assert _reminder(alice) == 1


def test_a_session_that_ends_by_failed_confirmations_forgets_its_browser_too() -> None:
    """Too many wrong passwords at "confirm it's you" sign the browser out (someone else may be
    holding it): its notifications stop as at any sign-out."""
    from counterpoint.accounts.views import CONFIRM_FAILURE_LIMIT

    alice = make_user("alice@example.org", "Alice", password=PASSWORD)
    held = _signed_in(alice.email)
    _subscribe(held, "https://push.example/held", "Chrome on Android")
    confirm = reverse("accounts:confirm") + "?next=" + reverse("accounts:security")
    for _ in range(CONFIRM_FAILURE_LIMIT):
        held.post(confirm, {"password": "not her password"})

    assert held.get(reverse("notify:devices")).status_code == 302  # signed out
    assert not PushSubscription.objects.filter(user=alice).exists()
