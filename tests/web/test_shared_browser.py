"""One browser, two people: nothing one leaves on the device reaches the next.

Alice writes her check-in on the family tablet while it is offline; the offline queue
(static/js/offline.js) keeps the form in the browser's storage to send it once the connection is
back. If Bob signs in on that browser first, the queue runs in his page and posts with his session:
her check-in, private journal line included, would be saved as his, and he would read it. Each
queued form now carries a mark of whose it is (naming nobody); the script sends only the forms of
the person whose page it runs in, and the server refuses a queued form marked for anyone else.
Signing out (and the other ways a session ends in the browser) also tells the browser to clear what
it holds of the site, the queue included.

The script itself is not run here (no browser); what it sends is built as it builds it: the
form's fields, its mark, and how long ago it was written.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.views import CONFIRM_FAILURE_LIMIT
from counterpoint.checkins.models import CheckIn
from tests.factories import make_user
from tests.web.access import expected_status
from tests.web.access_cases import all_cases
from tests.web.checkin_form import checkin_values
from tests.web.conftest import World

pytestmark = pytest.mark.django_db
PASSWORD = "a long passphrase for tests"
HER_WORDS = "only for my own eyes, written on the tablet"


def _mark(client: Client) -> str:
    """The mark the check-in page gives the offline queue."""
    page = client.get(reverse("checkins:today")).content.decode()
    found = re.search(r'data-offline-queue="([^"]*)"', page)
    assert found is not None, "the check-in form is no longer queued offline"
    return found.group(1)


def _queued(world: World, mark: str | None) -> dict[str, object]:
    """What the queue sends for a form written offline ten minutes ago."""
    data = checkin_values(
        world.alice.local_today().isoformat(), journal_line=HER_WORDS, edited_ms_ago=600_000
    )
    if mark is not None:
        data["queued_for"] = mark
    return data


def _everything_of(world: World) -> list[tuple[object, ...]]:
    return list(
        CheckIn.objects.order_by("author_id", "day", "slot").values_list(
            "author_id", "day", "slot", "mood", "journal_line", "updated_at"
        )
    )


def test_a_check_in_kept_offline_for_one_person_is_never_saved_as_the_next_ones(
    world: World,
) -> None:
    alice, bob = world.client_for("A"), world.client_for("B")
    before = _everything_of(world)
    # Bob signed in on the tablet before her queue was sent: it runs in his page. A form kept
    # before forms were marked (what the queue sent until now) was saved as his.
    refused = bob.post(reverse("checkins:today"), _queued(world, None))
    assert refused.status_code == 403, refused.status_code
    assert _everything_of(world) == before

    her_mark, his_mark = _mark(alice), _mark(bob)
    assert her_mark and his_mark and her_mark != his_mark
    assert str(world.alice.pk) not in her_mark  # it names nobody
    for sent in (_queued(world, her_mark), _queued(world, "")):
        refused = bob.post(reverse("checkins:today"), sent)
        assert refused.status_code == 403, refused.status_code
        assert HER_WORDS not in refused.content.decode()
    assert _everything_of(world) == before
    assert not CheckIn.objects.filter(journal_line=HER_WORDS).exists()

    # Signed in again, her own queue is sent and saved as hers.
    assert alice.post(reverse("checkins:today"), _queued(world, her_mark)).status_code == 302
    assert list(
        CheckIn.objects.filter(journal_line=HER_WORDS).values_list("author_id", flat=True)
    ) == [world.alice.pk]


def test_a_check_in_sent_from_the_page_needs_no_mark(world: World) -> None:
    data = checkin_values(world.bob.local_today().isoformat(), mood=6, note="sent online")
    assert world.client_for("B").post(reverse("checkins:today"), data).status_code == 302
    assert CheckIn.objects.filter(author=world.bob, note="sent online").exists()


def _clears_the_device(response: object) -> bool:
    value = getattr(response, "headers", {}).get("Clear-Site-Data", "")
    return '"storage"' in value and '"cache"' in value


def _signed_in(email: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_every_way_a_session_ends_in_this_browser_clears_what_the_browser_holds() -> None:
    """The sign-out button, too many wrong answers at "confirm it's you", and deleting the
    account: each tells the browser to drop the site's storage (the offline queue, the service
    worker and its subscription) and its cache."""
    make_user("alice@example.org", "Alice", password=PASSWORD)
    client = _signed_in("alice@example.org")
    assert _clears_the_device(client.post(reverse("accounts:logout")))

    client = _signed_in("alice@example.org")
    confirm = reverse("accounts:confirm") + "?next=" + reverse("accounts:security")
    answers = [client.post(confirm, {"password": "wrong"}) for _ in range(CONFIRM_FAILURE_LIMIT)]
    assert not any(_clears_the_device(a) for a in answers[:-1])
    assert _clears_the_device(answers[-1])
    assert client.get(reverse("checkins:today")).status_code == 302  # signed out

    client = _signed_in("alice@example.org")
    deleted = client.post(
        reverse("accounts:delete"),
        {"confirm": "delete my account", "password": PASSWORD},
    )
    assert deleted.status_code == 302
    assert _clears_the_device(deleted)


# -- what the browser remembers of what was typed -------------------------------------------------
_TYPED = {"text", "search", "email", "url", "tel", "number", "password", ""}


class _Fields(HTMLParser):
    """Every field a person types into, with the autocomplete that applies to it: its own, or
    else its form's."""

    def __init__(self) -> None:
        super().__init__()
        self.form: str | None = None
        self.found: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form":
            self.form = named.get("autocomplete") or ""
        elif tag == "textarea" or (tag == "input" and (named.get("type") or "") in _TYPED):
            own = named.get("autocomplete")
            self.found.append((str(named.get("name")), own if own else self.form))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None


def test_the_browser_is_never_asked_to_remember_what_someone_typed(world: World) -> None:
    """A browser remembers what was typed into a form's fields and offers it again in a field of
    the same name, to whoever uses it next: on the family tablet, Bob starting the private journal
    line of his check-in would be offered Alice's. Every field of every page Alice can open says
    autocomplete "off", or names what belongs there (an email address, a one-time code)."""
    client = world.client_for("A")
    remembered = set()
    pages = 0
    for case in all_cases():
        if case.method != "get" or expected_status(case.expect, "A") != 200:
            continue
        response = client.get(reverse(case.url_name, kwargs=case.kwargs(world) or None))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        fields = _Fields()
        fields.feed(response.content.decode())
        remembered |= {
            (case.url_name, name)
            for name, autocomplete in fields.found
            if autocomplete in (None, "", "on")
        }
    assert pages > 100
    assert not remembered, sorted(remembered)
