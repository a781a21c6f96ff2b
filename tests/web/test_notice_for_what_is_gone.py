"""A notice about an item that is no longer there says so, instead of leading to the 404 page.

"Alex shared a win with you" stays in Sam's Activity after Alex deletes the win, or keeps a
request to himself again. Opening it used to land on "The page doesn't exist, or it isn't yours to
see". It now brings Sam back to Activity with one line saying the item is no longer there for him:
the same line whether it was deleted or taken back, so it tells him no more than the 404 did.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.activity.models import Notice
from counterpoint.practices.moments.models import Moment
from counterpoint.practices.support.models import SupportRequest
from tests.web.conftest import World

GONE = "no longer there for you"


def _shares_a_win(world: World) -> str:
    alice = world.client_for("A")
    data = {"kind": "win", "text": "I finished the quilt", "visibility": "partner"}
    assert alice.post(reverse("moments:new"), {**data, "submission_key": "w-1"}).status_code == 302
    return Moment.objects.get(author=world.alice, text="I finished the quilt").get_absolute_url()


def _asks_for_support(world: World) -> str:
    alice = world.client_for("A")
    data = {"kind": "listening", "details": "a long week"}
    assert alice.post(reverse("support:new"), data).status_code == 302
    return SupportRequest.objects.get(author=world.alice, details="a long week").get_absolute_url()


def _notice_about(world: World, link: str) -> Notice:
    notices = Notice.objects.filter(recipient=world.bob, link=link)
    assert notices.count() == 1, f"sharing {link} should have told Bob once"
    return notices.get()


def _opens(bob: Client, notice: Notice) -> tuple[str, str]:
    """Bob opens the notice and follows where it leads: (the address, the page's text)."""
    response = bob.post(reverse("activity:open", args=[notice.pk]))
    assert response.status_code == 302
    page = bob.get(response["Location"])
    assert page.status_code == 200, f"{response['Location']} answered {page.status_code}"
    return response["Location"], page.content.decode()


def test_a_notice_about_what_is_there_opens_it(world: World) -> None:
    bob = world.client_for("B")
    link = _shares_a_win(world)
    where, text = _opens(bob, _notice_about(world, link))
    assert where == link and "I finished the quilt" in text and GONE not in text


@pytest.mark.parametrize("what", ["a win deleted", "a request taken back"])
def test_a_notice_about_what_is_gone_says_so(world: World, what: str) -> None:
    alice, bob = world.client_for("A"), world.client_for("B")
    if what == "a win deleted":
        link = _shares_a_win(world)
        pk = Moment.objects.get(author=world.alice, text="I finished the quilt").pk
        assert alice.post(reverse("moments:delete", kwargs={"pk": pk})).status_code == 302
    else:
        link = _asks_for_support(world)
        pk = SupportRequest.objects.get(author=world.alice, details="a long week").pk
        assert alice.post(reverse("support:make_private", kwargs={"pk": pk})).status_code == 302
    assert bob.get(link).status_code == 404
    notice = _notice_about(world, link)

    where, text = _opens(bob, notice)

    assert where == reverse("activity:feed")
    assert GONE in text and "deleted, or its author kept it to themselves" in text
    notice.refresh_from_db()
    assert notice.read_at is not None and not notice.needs_answer
    # shown once: the feed afterwards is the feed
    assert GONE not in bob.get(reverse("activity:feed")).content.decode()


def test_gone_reads_the_same_however_it_went(world: World) -> None:
    """Deleted and taken back give Bob the same redirect and the same line."""
    alice, bob = world.client_for("A"), world.client_for("B")
    win = _notice_about(world, _shares_a_win(world))
    request = _notice_about(world, _asks_for_support(world))
    moment = Moment.objects.get(author=world.alice, text="I finished the quilt")
    support = SupportRequest.objects.get(author=world.alice, details="a long week")
    assert alice.post(reverse("moments:delete", kwargs={"pk": moment.pk})).status_code == 302
    assert alice.post(reverse("support:make_private", kwargs={"pk": support.pk})).status_code == 302

    first = bob.post(reverse("activity:open", args=[win.pk]), follow=True)
    second = bob.post(reverse("activity:open", args=[request.pk]), follow=True)

    assert first.redirect_chain == second.redirect_chain
    assert [str(m) for m in first.context["messages"]] == [
        str(m) for m in second.context["messages"]
    ]


def test_a_notice_that_points_at_no_item_is_followed_as_before(world: World) -> None:
    from counterpoint.activity.services import notice_send

    notice = notice_send(recipient=world.bob, kind="x", message="Your partner is back", link="/")
    assert notice is not None
    response = world.client_for("B").post(reverse("activity:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/"


def test_whether_a_notice_leads_somewhere_is_what_the_page_answers(world: World) -> None:
    """For every item page of every kind, and everyone in the world: the check the notice makes
    agrees with the page itself (200 or 404). A kind whose page came to read differently from the
    access layer would otherwise be called gone while it opens, or the reverse."""
    from counterpoint.activity.selectors import _item_pages, leads_somewhere
    from tests.web.everything_world import alice_makes_everything

    alice_makes_everything(world)
    checked, seen = 0, set[int]()
    for model in _item_pages().values():
        rows = list(model._default_manager.all())
        assert rows, f"the world has no {model.__name__}"
        for row in rows:
            link = row.get_absolute_url()  # type: ignore[attr-defined]
            for key in ("A", "B", "C", "T"):
                status = world.client_for(key).get(link).status_code
                assert status in (200, 404), f"{link} as {key}: {status}"
                person = world.person(key)
                assert person is not None
                assert leads_somewhere(person, link) == (status == 200), f"{link} as {key}"
                checked, seen = checked + 1, seen | {status}
    assert checked >= 4 * len(_item_pages()) and seen == {200, 404}


def test_the_emails_link_checks_too(world: World, django_capture_on_commit_callbacks) -> None:
    """The email about a notice links to the notice, not to the item: followed after the item is
    gone, it says so on Activity, as opening it in the app does. Signed out, sign-in comes first;
    anyone else signed in gets a 404."""
    import re

    from django.core import mail

    from counterpoint.activity.services import notice_preferences_update

    notice_preferences_update(user=world.bob, email_when_asked=True, email_everything=True)
    with django_capture_on_commit_callbacks(execute=True):
        link = _shares_a_win(world)
    (email,) = [m for m in mail.outbox if m.to == [world.bob.email]]
    (path,) = {
        p for p in re.findall(r"https?://[^/\s]+(/\S*)", str(email.body)) if "preferences" not in p
    }
    assert link not in str(email.body)
    notice = _notice_about(world, link)
    assert path == reverse("activity:follow", args=[notice.pk])

    bob = world.client_for("B")
    assert bob.get(path)["Location"] == link  # there: followed
    assert world.client_for("C").get(path).status_code == 404
    signed_out = Client().get(path)
    assert signed_out.status_code == 302 and "/account/login/" in signed_out["Location"]

    pk = Moment.objects.get(author=world.alice, text="I finished the quilt").pk
    assert (
        world.client_for("A").post(reverse("moments:delete", kwargs={"pk": pk})).status_code == 302
    )
    gone = bob.get(path, follow=True)
    assert gone.redirect_chain[-1][0] == reverse("activity:feed")
    assert GONE in gone.content.decode()
