"""The day's check-in in a real Chromium: no typed words are ever lost, an untouched check-in
saves no scale, the core fits two phone screens and a skip link reaches the first answer.
Phone and desktop, light and dark, axe on each."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from counterpoint.checkins.models import CheckIn, QuestionAnswer
from tests.browser.conftest import DESKTOP, PHONE, click_through, sign_in
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-passphrase"
LOOKS = [(PHONE, "light"), (PHONE, "dark"), (DESKTOP, "light"), (DESKTOP, "dark")]
IDS = ["phone-light", "phone-dark", "desktop-light", "desktop-dark"]


def _couple():
    noor = make_user("noor@example.net", "Noor", password=PASSWORD)
    eli = make_user("eli@example.net", "Eli", password=PASSWORD)
    make_couple(noor, eli)
    return noor, eli


@pytest.mark.parametrize(("viewport", "scheme"), LOOKS, ids=IDS)
def test_no_lost_words_either_way(new_page, shot, check_a11y, viewport, scheme) -> None:
    noor, eli = _couple()
    look = f"{'phone' if viewport == PHONE else 'desktop'}-{scheme}"
    page = new_page(viewport, color_scheme=scheme)
    sign_in(page, "noor@example.net", PASSWORD)
    page.goto("/checkins/")
    check_a11y(page, f"empty check-in {look}")
    shot(page, f"day-01-checkin-empty-{look}")
    if viewport == PHONE:
        # the core (mood, stress, closeness, note) ends within two phone screens
        bottom = page.get_by_label("A note to your partner (optional)").bounding_box()
        assert bottom is not None and bottom["y"] + bottom["height"] < 2 * viewport["height"]

    # 1. type the answer first, then save the check-in: both are kept
    page.get_by_label("Your answer").fill("NOOR-ANSWER a long walk")
    page.locator("label[for=mood-7]").click()
    click_through(page.get_by_role("button", name="Save check-in and answer"))
    page.wait_for_url("**/checkins/")
    expect(page.get_by_text("Answer saved.")).to_be_visible()
    expect(page.get_by_text("Checked in. Thank you.")).to_be_visible()
    check_a11y(page, f"saved summary {look}")
    shot(page, f"day-02-checkin-saved-{look}")
    assert QuestionAnswer.objects.get(author=noor).text == "NOOR-ANSWER a long walk"
    assert CheckIn.objects.get(author=noor).mood == 7

    # 2. the reverse for the partner: a check-in with a note, then a refused value — nothing typed
    # disappears, and nothing is saved until it is right
    other = new_page(viewport, color_scheme=scheme)
    sign_in(other, "eli@example.net", PASSWORD)
    other.goto("/checkins/")
    other.locator("label[for=stress-4]").click()
    other.get_by_label("A note to your partner (optional)").fill("ELI-NOTE thinking of you")
    other.get_by_label("Your answer").fill("ELI-ANSWER cooking together")
    other.locator("details.more summary").click()
    other.get_by_label("Me-time (minutes)", exact=True).fill("5000")
    click_through(other.get_by_role("button", name="Save check-in and answer"))
    expect(other.get_by_text("A day has at most 1440 minutes.", exact=True)).to_be_visible()
    assert other.get_by_label("Your answer").input_value() == "ELI-ANSWER cooking together"
    assert (
        "thinking of you" in other.get_by_label("A note to your partner (optional)").input_value()
    )
    assert not CheckIn.objects.filter(author=eli).exists()
    shot(other, f"day-03-checkin-refused-{look}")
    other.get_by_label("Me-time (minutes)", exact=True).fill("45")
    click_through(other.get_by_role("button", name="Save check-in and answer"))
    other.wait_for_url("**/checkins/")
    saved = CheckIn.objects.get(author=eli)
    assert (saved.stress, saved.me_minutes, saved.note) == (4, 45, "ELI-NOTE thinking of you")
    assert QuestionAnswer.objects.get(author=eli).text == "ELI-ANSWER cooking together"
    # both answered: each sees the other's words
    assert "NOOR-ANSWER" in other.content()
    page.goto("/checkins/")
    assert "ELI-ANSWER" in page.content() and "ELI-NOTE" in page.content()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_untouched_check_in_saves_no_scale(new_page, viewport) -> None:
    noor, _eli = _couple()
    page = new_page(viewport)
    sign_in(page, "noor@example.net", PASSWORD)
    page.goto("/checkins/")
    click_through(page.get_by_role("button", name="Save check-in and answer"))
    expect(page.get_by_text("Nothing was saved", exact=False)).to_be_visible()
    assert not CheckIn.objects.filter(author=noor).exists()
    # a note alone saves a check-in with no number in it
    page.get_by_label("A note to your partner (optional)").fill("just a note")
    click_through(page.get_by_role("button", name="Save check-in and answer"))
    page.wait_for_url("**/checkins/")
    row = CheckIn.objects.get(author=noor)
    assert (row.mood, row.energy, row.stress, row.closeness) == (None, None, None, None)
    assert (row.sought_support, row.me_minutes, row.we_minutes) == ("", None, None)
    # a chosen number can be taken back with "Not answered"
    page.goto("/checkins/?edit=1")
    page.locator("label[for=mood-3]").click()
    page.locator("label[for=mood-skip]").click()
    click_through(page.get_by_role("button", name="Save check-in and answer"))
    page.wait_for_url("**/checkins/")
    assert CheckIn.objects.get(author=noor).mood is None


def test_skip_link_reaches_the_first_answer(new_page) -> None:
    _couple()
    page = new_page(PHONE)
    sign_in(page, "noor@example.net", PASSWORD)
    page.goto("/checkins/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the check-in"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "mood"


def test_enter_in_a_field_saves_and_never_skips_the_question(new_page) -> None:
    noor, _eli = _couple()
    page = new_page(PHONE)
    sign_in(page, "noor@example.net", PASSWORD)
    page.goto("/checkins/")
    page.get_by_label("Your answer").fill("NOOR-ANSWER by keyboard")
    page.locator("details.more summary").click()
    page.get_by_label("Me-time (minutes)", exact=True).fill("30")
    page.get_by_label("Me-time (minutes)", exact=True).press("Enter")
    page.wait_for_url("**/checkins/")
    expect(page.get_by_text("Answer saved.")).to_be_visible()
    answer = QuestionAnswer.objects.get(author=noor)
    assert (answer.skipped, answer.text) == (False, "NOOR-ANSWER by keyboard")
    assert CheckIn.objects.get(author=noor).me_minutes == 30
