"""Research mode in a real browser: a researcher sets up a study (desktop), both partners consent
on their phones, one answers a prompt with the time left shown, the other leaves the study and
has their answers deleted. axe on every page, screenshots to look at."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from counterpoint.research import services
from counterpoint.research.models import Participant, Prompt, PromptState, Response, Study
from tests.browser.conftest import DESKTOP, PHONE, click_through, sign_in
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-passphrase"


def test_a_couple_takes_part_in_a_study(new_page, shot, check_a11y) -> None:
    make_user("rhea@uni.example", "Rhea", password=PASSWORD)
    ana = make_user("ana@example.net", "Ana", password=PASSWORD, tz="Europe/Berlin")
    ben = make_user("ben@example.net", "Ben", password=PASSWORD, tz="Europe/Berlin")
    make_couple(ana, ben)

    # The researcher, on a desktop: profile, then the study through its form.
    desk = new_page(DESKTOP)
    sign_in(desk, "rhea@uni.example", PASSWORD)
    desk.goto("/research/studies/")
    check_a11y(desk, "research home")
    click_through(desk.get_by_role("link", name="Set up your researcher profile"))
    desk.get_by_label("University or organisation").fill("Couples Lab")
    click_through(desk.get_by_role("button", name="Save"))
    check_a11y(desk, "research home, no studies yet")
    shot(desk, "research-home-no-studies")
    click_through(desk.get_by_role("link", name="Create your first study"))
    desk.get_by_label("Title").fill("Moods through the day")
    desk.get_by_label("What the study is about").fill("How two people's moods move together.")
    desk.get_by_label("Consent text").fill(
        "Three short prompts a day for a week. Leave at any time; you choose keep or delete."
    )
    desk.get_by_label("Measures, one a line").fill(
        "mood | checkin\ncalm | scale | How calm do you feel? | not at all / very\n"
        "where | choice | Where are you? | home; work; elsewhere"
    )
    desk.get_by_label("Fixed times").fill("09:00, 13:00, 20:00")
    desk.get_by_label("Duration in days").fill("7")
    desk.get_by_label("Reminder after").fill("15")
    check_a11y(desk, "new study form")
    click_through(desk.get_by_role("button", name="Save"))
    desk.wait_for_url("**/research/studies/*/")
    desk.get_by_label("Status").select_option("recruiting")
    click_through(desk.get_by_role("button", name="Change"))
    desk.wait_for_url("**/research/studies/*/")
    study = Study.objects.get()
    assert study.status == Study.Status.RECRUITING
    link = desk.locator("code").first.inner_text()
    assert link.endswith(f"/research/join/{study.code}/")
    check_a11y(desk, "study page")
    shot(desk, "research-01-study-desktop")

    # Both partners consent on their phones, each on their own.
    phones = {}
    for person, email in (("ana", "ana@example.net"), ("ben", "ben@example.net")):
        phone = new_page(PHONE)
        sign_in(phone, email, PASSWORD)
        phone.goto(f"/research/join/{study.code}/")
        phone.get_by_role("heading", name="Moods through the day").wait_for()
        check_a11y(phone, f"consent page ({person})")
        shot(phone, f"research-02-consent-{person}-phone")
        phone.get_by_label("I have read this and agree").check()
        click_through(phone.get_by_role("button", name="I agree"))
        phone.wait_for_url("**/research/")
        phones[person] = phone
    assert Participant.objects.filter(study=study).count() == 2
    first = Prompt.objects.filter(participant__user=ana).order_by("scheduled_at").first()
    assert first is not None

    # The next morning at 09:05 in Berlin: the prompt went out at 09:00.
    with time_machine.travel(first.scheduled_at + dt.timedelta(minutes=5)):
        services.prompts_tick()
        page = phones["ana"]
        page.goto("/research/")
        page.get_by_role("heading", name="Waiting for your answer").wait_for()
        check_a11y(page, "my studies with a prompt waiting")
        click_through(page.get_by_role("link", name="Moods through the day"))
        page.get_by_role("heading", name="Moods through the day").wait_for()
        time_left = page.locator(".time-left-text").inner_text()
        assert time_left in ("About 25 minutes left", "About 24 minutes left"), time_left
        check_a11y(page, "answer a prompt")
        shot(page, "research-03-answer-phone")
        page.locator("label[for='mood-7']").click()
        page.locator("label[for='calm-4']").click()
        page.get_by_label("home").check()
        click_through(page.get_by_role("button", name="Send my answer"))
        page.wait_for_url("**/research/")
        page.get_by_text("your answer is in").wait_for()
        shot(page, "research-04-answered-phone")
    first.refresh_from_db()
    assert first.state == PromptState.SUBMITTED
    assert Response.objects.get(prompt=first).answers == {"mood": 7, "calm": 4, "where": 1}

    # Ben leaves the study and chooses to delete what he answered.
    page = phones["ben"]
    page.goto("/research/")
    click_through(page.get_by_role("link", name="Leave this study"))
    page.get_by_role("heading", name="Leave “Moods through the day”?").wait_for()
    check_a11y(page, "leave a study")
    page.get_by_label("Delete everything I have answered").check()
    click_through(page.get_by_role("button", name="Leave the study"))
    page.wait_for_url("**/research/")
    page.get_by_text("What you answered is deleted").wait_for()
    check_a11y(page, "my studies after leaving")
    shot(page, "research-05-left-phone")
    ben_part = Participant.objects.get(user=ben)
    assert ben_part.withdrawal_choice == "delete" and not ben_part.prompts.exists()
