"""The activity feed: only the recipient's notices, unread counts, email for what needs an answer,
per-person preferences, and nothing announced that the recipient may not see yet."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

import tests.web.access_cases.together  # noqa: F401  (adds this feature's records to the world)
from counterpoint.activity.models import Notice
from counterpoint.activity.services import notice_preferences_update, notice_send
from tests.web.conftest import ALICE_PRIVATE_MARKER, BOB_PRIVATE_MARKER, World


def test_existing_callers_still_work(world: World) -> None:
    notice = notice_send(recipient=world.alice, kind="x", message="hello", link="/couple/")
    assert notice is not None and not notice.needs_answer


def _notices(w: World) -> None:
    w.objects["alice_notice"] = notice_send(
        recipient=w.alice, kind="test", message=f"{ALICE_PRIVATE_MARKER} for Alice", link="/"
    )
    w.objects["bob_notice"] = notice_send(
        recipient=w.bob, kind="test", message=f"{BOB_PRIVATE_MARKER} for Bob", link="/"
    )


def test_the_feed_is_the_recipients_alone_with_unread_counts(world: World) -> None:
    Notice.objects.all().delete()  # other features' world seeders may have sent some
    _notices(world)
    notice_send(recipient=world.alice, kind="ask", message="Please answer", needs_answer=True)
    alice = world.client_for("A")
    data = alice.get(reverse("activity:feed_json")).json()
    assert data["unread"] == 2 and data["waiting_for_you"] == 1
    assert BOB_PRIVATE_MARKER not in str(data)
    page = alice.get(reverse("activity:feed")).content.decode()
    assert "2 new" in page and "1 waiting for you" in page
    alice.post(reverse("activity:mark_all_read"))
    after = alice.get(reverse("activity:feed_json")).json()
    assert after["unread"] == 0 and after["waiting_for_you"] == 1  # reading is not answering
    assert Notice.objects.filter(recipient=world.bob, read_at__isnull=True).count() == 1


def test_opening_a_notice_marks_it_read_and_follows_its_link(world: World) -> None:
    _notices(world)
    notice = world.objects["alice_notice"]
    response = world.client_for("A").post(reverse("activity:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert world.client_for("B").post(reverse("activity:open", args=[notice.pk])).status_code == 404


def test_an_outside_link_is_never_followed(world: World) -> None:
    notice = notice_send(recipient=world.alice, kind="x", message="m", link="https://evil.example/")
    assert notice is not None
    response = world.client_for("A").post(reverse("activity:open", args=[notice.pk]))
    assert response["Location"] == reverse("activity:feed")


def test_email_only_for_what_needs_an_answer_unless_asked(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(recipient=world.bob, kind="fyi", message="FYI")
        notice_send(
            recipient=world.bob, kind="ask", message="Your view?", needs_answer=True, link="/x/"
        )
    assert [m.to for m in mail.outbox] == [[world.bob.email]]
    asked = Notice.objects.get(recipient=world.bob, kind="ask")
    assert reverse("activity:follow", args=[asked.pk]) in mail.outbox[0].body
    notice_preferences_update(user=world.bob, email_when_asked=False, email_everything=False)
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(recipient=world.bob, kind="ask", message="Again?", needs_answer=True)
    assert len(mail.outbox) == 1
    notice_preferences_update(user=world.bob, email_when_asked=False, email_everything=True)
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(recipient=world.bob, kind="fyi", message="FYI 2")
    assert len(mail.outbox) == 2


def test_preferences_are_saved_per_person(world: World) -> None:
    alice = world.client_for("A")
    alice.post(reverse("activity:preferences"), {"email_everything": "on"})
    page = alice.get(reverse("activity:preferences")).content.decode()
    assert (
        'name="email_everything" checked' in page.replace('id="id_email_everything" ', "")
        or "checked" in page
    )
    assert world.alice.notice_preference.email_everything is True
    assert world.alice.notice_preference.email_when_asked is False
    bob_prefs = world.client_for("B").get(reverse("activity:preferences"))
    assert bob_prefs.status_code == 200


def test_nothing_is_announced_about_what_the_recipient_cannot_see(world: World) -> None:
    private = world.objects["moment_private"]
    assert notice_send(recipient=world.bob, kind="x", message="m", about=private) is None
    assert not Notice.objects.filter(recipient=world.bob, kind="x").exists()
    assert notice_send(
        recipient=world.bob, kind="y", message="m", about=world.objects["moment_shared"]
    )


def test_no_notice_or_email_ever_carries_unrevealed_words(
    world: World, django_capture_on_commit_callbacks
) -> None:
    """Walk through a decision and a repair; every notice and email Bob gets is free of Alice's
    unrevealed words until they are revealed."""
    alice = world.client_for("A")
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(reverse("decisions:new"), {"title": "Holiday"})
        alice.post(reverse("repair:new"), {"topic": ""})
    text = " ".join(n.message for n in Notice.objects.filter(recipient=world.bob))
    text += " ".join(m.body + m.subject for m in mail.outbox)  # type: ignore[operator]
    assert ALICE_PRIVATE_MARKER not in text


def test_the_export_holds_ones_own_notices_and_preferences(world: World) -> None:
    import io
    import zipfile

    _notices(world)
    response = world.client_for("A").get(reverse("accounts:export"))
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        names = archive.namelist()
        text = "\n".join(archive.read(n).decode() for n in names if not n.startswith("photos/"))
    assert "notices.json" in names and "notice_preferences.json" in names
    assert ALICE_PRIVATE_MARKER in text and BOB_PRIVATE_MARKER not in text


def test_the_feed_shows_the_newest_page_and_links_to_older_ones(world: World) -> None:
    """A long history comes a page at a time, newest first; every notice is on exactly one page,
    and only the recipient's."""
    from counterpoint.activity.selectors import FEED_PAGE_SIZE

    Notice.objects.all().delete()
    sent = [
        notice_send(recipient=world.alice, kind="x", message=f"notice number {i:03d}.")
        for i in range(FEED_PAGE_SIZE + 5)
    ]
    notice_send(recipient=world.bob, kind="x", message="notice for Bob only.")
    alice = world.client_for("A")
    first = alice.get(reverse("activity:feed")).content.decode()
    second = alice.get(reverse("activity:feed") + "?page=2").content.decode()
    assert all(n is not None for n in sent)
    # each notice by the order it was sent in (numbers are drawn at random, not in turn)
    shown = [
        [i for i in range(len(sent)) if f"notice number {i:03d}." in page]
        for page in (first, second)
    ]
    assert len(shown[0]) == FEED_PAGE_SIZE and len(shown[1]) == 5
    assert set(shown[0]) | set(shown[1]) == set(range(len(sent)))
    assert max(shown[1]) < min(shown[0])  # the older ones on the second page
    assert 'href="?page=2"' in first and 'href="?page=1"' not in first
    assert 'href="?page=1"' in second and 'href="?page=3"' not in second
    assert "notice for Bob only." not in first + second


def test_a_page_of_the_feed_that_does_not_exist_is_a_clear_404(world: World) -> None:
    Notice.objects.filter(recipient=world.alice).delete()
    notice_send(recipient=world.alice, kind="x", message="just one")
    alice = world.client_for("A")
    for page in ("0", "-1", "2", "abc", "²", "9" * 40, ""):
        response = alice.get(reverse("activity:feed"), {"page": page})
        assert response.status_code == (200 if page == "" else 404), page
    assert alice.get(reverse("activity:feed"), {"page": "1"}).status_code == 200


def test_the_navigation_and_the_page_count_unread_notices_once_and_agree(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Notice.objects.all().delete()
    _notices(world)
    notice_send(recipient=world.alice, kind="ask", message="Please answer", needs_answer=True)
    alice = world.client_for("A")
    for name in ("activity:feed", "pages:home"):
        with CaptureQueriesContext(connection) as queries:
            page = alice.get(reverse(name)).content.decode()
        sql = [q["sql"] for q in queries]
        unread = [q for q in sql if "COUNT(" in q and '"read_at" IS NULL' in q]
        assert len(unread) == 1, (name, unread)
        assert '<span class="badge" aria-label="2 unread">2</span>' in page
    assert "2 new" in alice.get(reverse("activity:feed")).content.decode()
