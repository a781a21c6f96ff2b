"""Access cases for notifications and devices, reminder links and the installable app's files."""

from __future__ import annotations

from counterpoint.checkins.reminders import reminder_link
from counterpoint.notify.models import PushSubscription
from tests.web.access import PUBLIC, SIGNED_IN_ONLY, Case, expect
from tests.web.conftest import WORLD_SEEDERS
from tests.web.push_endpoint import FakeBrowserKeys


def seed_devices(w) -> None:
    w.objects["alice_device"] = PushSubscription.objects.create(
        user=w.alice,
        endpoint="https://push.example.invalid/alice-phone",
        p256dh=FakeBrowserKeys().p256dh,
        auth=FakeBrowserKeys().auth,
        label="Alice's phone",
    )


WORLD_SEEDERS.append(seed_devices)


def _token(w, action: str) -> str:
    return reminder_link(user=w.alice, action=action).rstrip("/").rsplit("/", 1)[-1]


CASES = [
    Case("notify:devices", SIGNED_IN_ONLY),
    Case(
        "notify:devices",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302),
        method="post",
        data=lambda w: {"quiet_start": "22:00", "quiet_end": "07:00"},
        label="quiet hours",
    ),
    Case(
        "notify:devices",
        expect(SIGNED_IN_ONLY, A=400, B=400, C=400, T=400),
        method="post",
        data=lambda w: {"quiet_start": "22:00"},
        label="half quiet hours",
    ),
    # The form-encoded body is not a subscription: refused, nothing saved.
    Case("notify:subscribe", expect(SIGNED_IN_ONLY, A=400, B=400, C=400, T=400), method="post"),
    Case(
        "notify:device_remove",
        expect(SIGNED_IN_ONLY, A=302, B=404, C=404, T=404),
        kwargs=lambda w: {"pk": w.objects["alice_device"].pk},
        method="post",
    ),
    Case(
        "notify:reminders_resume",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302),
        method="post",
    ),
    # A signed reminder link is its own credential: whoever holds it sees a neutral page.
    Case(
        "checkins:reminder_link",
        PUBLIC,
        kwargs=lambda w: {"action": "pause", "token": _token(w, "pause")},
    ),
    Case(
        "checkins:reminder_link",
        PUBLIC,
        kwargs=lambda w: {"action": "stop", "token": _token(w, "stop")},
        method="post",
        label="stop",
    ),
    Case(
        "checkins:reminder_link",
        expect(PUBLIC, A=400, B=400, C=400, T=400, anon=400),
        kwargs=lambda w: {"action": "stop", "token": _token(w, "pause")},
        method="post",
        label="token for another action",
    ),
    Case("pwa:manifest", PUBLIC),
    Case("pwa:service_worker", PUBLIC),
    Case("pwa:offline", PUBLIC),
    Case("pwa:install", PUBLIC),
]

CASES += [
    Case(
        "accounts:time_zone",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302),
        method="post",
        data=lambda w: {"time_zone": "America/New_York", "next": "/home/"},
    ),
]
