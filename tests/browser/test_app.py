"""The installable app in a real Chromium: manifest and service worker, an offline check-in that
is saved once when the connection is back, the time zone taken from the browser, and (where this
Chromium has a push service) a push subscription. Phone and desktop; axe on the pages shown."""

from __future__ import annotations

import re
from typing import Any

import pytest

from counterpoint.accounts.models import User
from counterpoint.checkins.models import CheckIn
from counterpoint.notify.models import PushSubscription
from tests.browser.conftest import DESKTOP, PHONE, click_through, sign_in, sign_up
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-passphrase"
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@pytest.fixture
def new_context(browser: Any, live_server: Any) -> Any:
    contexts: list[Any] = []

    def make(viewport: dict[str, int], **options: Any) -> Any:
        context = browser.new_context(viewport=viewport, base_url=live_server.url, **options)
        context.set_default_timeout(20_000)  # a busy CI machine is slower than a laptop
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _size(viewport: dict[str, int]) -> str:
    return "phone" if viewport == PHONE else "desktop"


@VIEWPORTS
def test_sign_up_takes_the_browsers_time_zone_and_registers_the_app(
    new_context: Any, live_server: Any, shot: Any, check_a11y: Any, viewport: dict[str, int]
) -> None:
    page = new_context(viewport, timezone_id="America/New_York").new_page()
    email = f"ny-{_size(viewport)}@example.net"
    sign_up(page, "Robin", email)
    assert User.objects.get(email=email).time_zone == "America/New_York"

    manifest_href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(manifest_href).json()
    assert manifest["display"] == "standalone" and manifest["scope"] == "/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    for icon in manifest["icons"]:
        assert page.request.get(icon["src"]).ok, icon["src"]
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == f"{live_server.url}/"

    page.goto("/install/")
    check_a11y(page, "install page")
    shot(page, f"app-01-install-{_size(viewport)}")
    page.goto("/account/notifications/")
    check_a11y(page, "notifications and devices")
    shot(page, f"app-02-devices-{_size(viewport)}")


@VIEWPORTS
def test_a_later_visit_from_another_zone_offers_to_switch(
    new_context: Any, check_a11y: Any, viewport: dict[str, int]
) -> None:
    person = make_user(
        f"berlin-{_size(viewport)}@example.net", "Kai", password=PASSWORD, tz="Europe/Berlin"
    )
    page = new_context(viewport, timezone_id="Asia/Tokyo").new_page()
    sign_in(page, person.email, PASSWORD)
    offer = page.locator("#tz-offer")
    offer.wait_for(state="visible")
    assert "Asia/Tokyo" in offer.inner_text()
    check_a11y(page, "time zone offer")
    click_through(page.get_by_role("button", name="Use this device's time zone"))
    page.wait_for_url("**/home/")
    person.refresh_from_db()
    assert person.time_zone == "Asia/Tokyo"
    assert page.locator("#tz-offer").is_hidden()


def pick(page: Any, name: str, value: str) -> None:
    page.locator(f"label[for={name}-{value}]").click()


@VIEWPORTS
def test_an_offline_check_in_is_saved_exactly_once_when_back_online(
    new_context: Any, shot: Any, check_a11y: Any, viewport: dict[str, int]
) -> None:
    person = make_user(f"offline-{_size(viewport)}@example.net", "Ari", password=PASSWORD)
    context = new_context(viewport)
    page = context.new_page()
    sign_in(page, person.email, PASSWORD)
    page.goto("/checkins/?edit=1")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    pick(page, "mood", "7")
    pick(page, "stress", "2")
    page.locator("label[for=closeness-5]").click()
    page.get_by_label("A note to your partner (optional)").fill("written on the train")

    context.set_offline(True)
    page.get_by_role("button", name="Save check-in").click()  # kept by the page: no new page
    status = page.locator("#offline-queue-status")
    status.wait_for(state="visible")
    assert "kept on this device" in status.inner_text()
    assert not CheckIn.objects.filter(author=person).exists()
    check_a11y(page, "offline check-in queued")
    shot(page, f"app-03-offline-queued-{_size(viewport)}")

    context.set_offline(False)
    # A locator wait, not wait_for_function: the page's CSP rightly forbids evaluating strings.
    status.filter(has_text="is saved").wait_for()
    page.evaluate("window.counterpointOffline.flush()")  # a second flush finds nothing to send
    [saved] = CheckIn.objects.filter(author=person)
    assert (saved.mood, saved.stress, saved.closeness) == (7, 2, 5)
    assert saved.note == "written on the train"
    assert (
        page.evaluate(
            """new Promise((ok) => { const r = indexedDB.open('counterpoint-offline', 1);
           r.onsuccess = () => { const q = r.result.transaction('outbox').objectStore('outbox').count();
           q.onsuccess = () => ok(q.result); }; })"""
        )
        == 0
    )
    shot(page, f"app-04-offline-sent-{_size(viewport)}")


def test_push_subscription_through_chromiums_push_api(new_context: Any, live_server: Any) -> None:
    """Chromium's Push API needs its push service. Where it has one, the subscription lands on the
    devices page; headless Chromium here refuses ("Registration failed - permission denied" even
    with notifications granted), and then the page says so plainly and nothing is saved."""
    person = make_user("push@example.net", "Pat", password=PASSWORD)
    context = new_context(DESKTOP)
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    sign_in(page, person.email, PASSWORD)
    page.goto("/account/notifications/")
    page.get_by_role("button", name="Get notifications on this device").click()
    page.locator("#push-status").filter(has_text=re.compile(r"\S")).wait_for()
    message = page.locator("#push-status").inner_text()
    print(f"push subscription in this Chromium: {message}")  # the browser's own reason, if any
    if "now gets your notifications" in message:
        page.wait_for_load_state()
        [device] = PushSubscription.objects.filter(user=person)
        assert device.label.startswith("Chrome")
    else:
        assert "could not turn on notifications" in message, message
        assert not PushSubscription.objects.filter(user=person).exists()


def _queued_here(page: Any) -> int:
    return int(
        page.evaluate(
            """new Promise((ok) => { const r = indexedDB.open('counterpoint-offline', 1);
           r.onupgradeneeded = () => r.result.createObjectStore('outbox', { keyPath: 'key' });
           r.onsuccess = () => { const q = r.result.transaction('outbox').objectStore('outbox').count();
           q.onsuccess = () => ok(q.result); }; })"""
        )
    )


def test_a_check_in_kept_offline_is_never_sent_as_the_next_person_on_the_browser(
    new_context: Any,
) -> None:
    """The family tablet: Alice saves a check-in offline and leaves it (her session ends without
    a sign-out); Bob signs in there while her form is still waiting. His pages send nothing of
    hers, and it waits for her; when she signs in again it is saved as hers."""
    alice = make_user("tablet-alice@example.net", "Alice", password=PASSWORD)
    bob = make_user("tablet-bob@example.net", "Bob", password=PASSWORD)
    context = new_context(PHONE)
    page = context.new_page()
    sign_in(page, alice.email, PASSWORD)
    page.goto("/checkins/?edit=1")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    pick(page, "mood", "3")
    words = "only mine, written on the tablet"
    page.locator("details.more summary").click()
    page.get_by_label("A line for your private journal").fill(words)
    context.set_offline(True)
    page.get_by_role("button", name="Save check-in").click()
    page.locator("#offline-queue-status").wait_for(state="visible")
    page.close()
    context.clear_cookies()  # her session ended without her signing out
    context.set_offline(False)

    page = context.new_page()
    sign_in(page, bob.email, PASSWORD)
    page.goto("/checkins/")
    page.wait_for_load_state("networkidle")  # the flush the page starts itself has ended
    page.evaluate("window.counterpointOffline.flush()")
    assert not CheckIn.objects.filter(journal_line=words).exists()
    assert _queued_here(page) == 1  # still hers, still waiting

    page.close()
    context.clear_cookies()
    page = context.new_page()
    sign_in(page, alice.email, PASSWORD)
    page.goto("/checkins/")
    page.locator("#offline-queue-status").filter(has_text="is saved").wait_for()
    [saved] = CheckIn.objects.filter(journal_line=words)
    assert saved.author_id == alice.pk
    assert _queued_here(page) == 0
