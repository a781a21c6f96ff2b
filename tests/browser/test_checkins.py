"""A couple checks in on several days (the server's clock moves, not the data), answers the daily
question and sees the reveal, then opens insights and sees charts. Phone and desktop; axe on every page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, click_through, sign_in
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-passphrase"
START = dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC)  # a Monday


def pick(page, name: str, value: str) -> None:
    """Choose a number on one of the check-in's 0–10 rows (the label is the touch target)."""
    page.locator(f"label[for={name}-{value}]").click()


def open_more(page) -> None:
    more = page.locator("details.more")
    if more.get_attribute("open") is None:
        more.locator("summary").click()


def check_in(
    page, mood: str, stress: str, closeness: str, me: str, note: str = "", line: str = ""
) -> None:
    page.goto("/checkins/?edit=1")
    pick(page, "mood", mood)
    pick(page, "stress", stress)
    page.locator(f"label[for=closeness-{closeness}]").click()
    if note:
        page.get_by_label("A note to your partner (optional)").fill(note)
    open_more(page)
    pick(page, "energy", "6")
    page.get_by_label("I reached out, and it helped", exact=True).check()
    page.get_by_role("group", name="Quick choices for Me-time (minutes)").get_by_role(
        "button", name=me
    ).click()
    page.get_by_label("We-time (minutes)", exact=True).fill("95")
    page.get_by_label("A line for your private journal", exact=False).fill(
        "PRIVATE-LINE tired today"
    )
    click_through(page.get_by_role("button", name="Save check-in"))
    page.wait_for_url("**/checkins/")
    expect(page.get_by_text("Checked in. Thank you.")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_couple_checks_in_answers_and_sees_insights(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    noor = make_user("noor@example.net", "Noor", password=PASSWORD)
    eli = make_user("eli@example.net", "Eli", password=PASSWORD)
    make_couple(noor, eli)
    a, b = new_page(viewport), new_page(viewport)

    with time_machine.travel(START, tick=True) as clock:
        sign_in(a, "noor@example.net", PASSWORD)
        sign_in(b, "eli@example.net", PASSWORD)
        days = [("6", "3", "5", "30 min"), ("4", "7", "3", "1 h"), ("7", "2", "6", "15 min")]
        for n, (mood, stress, close, me) in enumerate(days):
            check_in(
                a, mood, stress, close, me, note=f"day {n + 1} from Noor", line="NOOR-PRIVATE tired"
            )
            check_in(
                b, str(10 - int(mood)), str(int(stress) + 1), "4", "30 min", line="ELI-PRIVATE ok"
            )
            if n == 0:
                check_a11y(a, "check-in page")
                shot(a, f"checkins-01-today-{size}")
            clock.shift(dt.timedelta(days=1))

        # Day 4: the question. Noor answers first; Eli sees that she has, but not what.
        a.goto("/checkins/question/")
        question = a.locator("section.card h2").first.inner_text()
        a.get_by_label("Your answer").fill("NOOR-ANSWER a long walk without phones")
        click_through(a.get_by_role("button", name="Save my answer"))
        a.get_by_text("Your partner's answer will show here").wait_for()  # after the redirect
        b.goto("/checkins/question/")
        expect(b.get_by_role("heading", name=question)).to_be_visible()
        assert "NOOR-ANSWER" not in b.content()
        expect(b.get_by_text("Your partner has answered")).to_be_visible()
        check_a11y(b, "daily question before reveal")
        shot(b, f"checkins-02-question-waiting-{size}")
        b.get_by_label("Your answer").fill("ELI-ANSWER cooking together")
        click_through(b.get_by_role("button", name="Save my answer"))
        b.get_by_text("NOOR-ANSWER a long walk without phones").wait_for()  # after the redirect
        assert "NOOR-ANSWER" in b.content() and "ELI-ANSWER" in b.content()
        shot(b, f"checkins-03-question-revealed-{size}")
        a.goto("/checkins/question/")
        a.get_by_text("ELI-ANSWER cooking together").wait_for()
        assert "ELI-ANSWER" in a.content()

        # Eli sees Noor's shared fields, never her journal line.
        b.goto("/checkins/history/")
        assert "day 3 from Noor" in b.content()
        assert "NOOR-PRIVATE" not in b.content()
        # one table row per day, with Noor's column beside Eli's
        expect(b.get_by_role("columnheader", name="Noor")).to_be_visible()
        assert b.locator(".history-table tbody tr").count() >= 3
        check_a11y(b, "history")
        shot(b, f"checkins-04-history-{size}")

        # A bad value is refused with a clear message and nothing changes.
        a.goto("/checkins/?edit=1")
        open_more(a)
        a.get_by_label("Me-time (minutes)", exact=True).fill("-20")
        click_through(a.get_by_role("button", name="Save check-in"))
        a.get_by_text("Minutes can't be negative.", exact=True).wait_for()  # after the POST
        expect(a.get_by_role("link", name="Me-time (minutes)")).to_be_visible()
        shot(a, f"checkins-05-bad-input-{size}")

        a.goto("/checkins/reflection/")
        pick(a, "life_satisfaction", "7")
        pick(a, "relationship_satisfaction", "8")
        click_through(a.get_by_role("button", name="Save reflection"))
        check_a11y(a, "reflection")
        shot(a, f"checkins-05b-reflection-{size}")

        # Eli narrows what he shares; Noor sees it at once.
        b.goto("/checkins/settings/")
        check_a11y(b, "check-in settings")
        b.get_by_label("Mood", exact=True).uncheck()
        b.get_by_label("Remind me at").fill("20:30")
        click_through(b.get_by_role("button", name="Save settings"))
        shot(b, f"checkins-05c-settings-{size}")
        a.goto("/checkins/history/")
        expect(a.get_by_text("Some answers are kept private.").first).to_be_visible()

        a.goto("/insights/")
        a.locator("#chart-mood .main-svg").first.wait_for(
            timeout=30_000
        )  # Plotly arrives after load
        expect(a.locator("#chart-stress .main-svg").first).to_be_visible()
        expect(a.get_by_text("more days on which you both check in").first).to_be_visible()
        check_a11y(a, "insights")
        shot(a, f"checkins-06-insights-early-{size}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_demo_couple_sees_every_insight(new_page, shot, check_a11y, viewport) -> None:
    from counterpoint.demo import DEMO_PASSWORD, demo_create

    size = "phone" if viewport == PHONE else "desktop"
    demo_create()
    page = new_page(viewport)
    sign_in(page, "alex@example.com", DEMO_PASSWORD)
    page.goto("/insights/")
    for chart in (
        "chart-mood",
        "chart-mood-effects",
        "chart-stress-effects",
        "chart-wellbeing",
        "chart-balance",
    ):
        page.locator(f"#{chart} .main-svg").first.wait_for(
            timeout=30_000
        )  # Plotly arrives after load
    page.get_by_text("All the numbers of this section").first.click()
    check_a11y(page, "demo insights")
    shot(page, f"checkins-07-insights-demo-{size}")
    page.goto("/checkins/")
    check_a11y(page, "demo check-in")
    shot(page, f"checkins-08-today-demo-{size}")
    page.goto("/home/")
    shot(page, f"checkins-09-home-demo-{size}")
