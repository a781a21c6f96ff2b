"""Both partners find their place on the map, share it, and see the couple map (phone and desktop)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, click_through, open_menu, sign_in
from tests.factories import make_couple, make_user
from tests.web.map_helpers import answers_for, instrument

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-passphrase"


def _answer(page, answers: dict[str, int]) -> None:
    for item_id, value in answers.items():
        page.locator(f'input[name="{item_id}"][value="{value}"]').check()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_both_take_share_and_see_the_couple_map(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    riley_user = make_user("riley@example.net", "Riley", password=PASSWORD)
    jordan_user = make_user("jordan@example.net", "Jordan", password=PASSWORD)
    make_couple(riley_user, jordan_user)
    inst = instrument()
    riley_answers = answers_for(inst, (5.8, 3.0), seed=21)  # leaning in
    jordan_answers = answers_for(inst, (3.0, 5.8), seed=22)  # leaning apart

    riley, jordan = new_page(viewport), new_page(viewport)
    sign_in(riley, "riley@example.net", PASSWORD)
    sign_in(jordan, "jordan@example.net", PASSWORD)

    # Riley starts from the nav, answers some, and saves a draft.
    if viewport == PHONE:
        open_menu(riley)  # on a phone the map sits under "More"
    click_through(riley.get_by_role("link", name="Map", exact=True))
    riley.wait_for_url("**/map/")
    check_a11y(riley, "empty map")
    click_through(riley.get_by_role("link", name="Start"))
    riley.wait_for_url("**/map/take/**")
    check_a11y(riley, "questionnaire")
    first = dict(list(riley_answers.items())[:10])
    assert riley.locator(".take-progress").inner_text().strip().startswith("0/39")
    _answer(riley, first)
    assert "10/39 answered" in riley.locator(".take-progress").inner_text()  # progress, live
    shot(riley, f"map-01-questionnaire-{size}")
    click_through(riley.get_by_role("button", name="See my map"))
    # It keeps the ten answers and points at the first statement still to answer.
    first_gap = next(item.id for item in inst.items if item.id not in first)
    riley.wait_for_url(f"**/map/take/**#statement-{first_gap}")
    assert "29 of 39 statements still need an answer" in riley.content()
    gap = riley.locator(f"#statement-{first_gap}").bounding_box()
    assert gap is not None and 0 <= gap["y"] < viewport["height"]  # scrolled into view
    check_a11y(riley, "questionnaire pointing at the first gap")
    shot(riley, f"map-02-first-gap-{size}")
    riley.goto("/map/")
    click_through(riley.get_by_role("link", name="Continue"))
    assert riley.locator('input[name="cl1"]:checked').count() == 1
    assert "10/39 answered" in riley.locator(".take-progress").inner_text()  # the draft's count
    _answer(riley, riley_answers)
    click_through(riley.get_by_role("button", name="See my map"))
    riley.wait_for_url("**/map/")
    riley.locator(".map-chart .main-svg").first.wait_for(
        timeout=30_000
    )  # Plotly arrives after load
    assert "Where you are" in riley.content()
    check_a11y(riley, "my map")
    shot(riley, f"map-03-my-map-{size}")
    click_through(riley.get_by_role("button", name="Share this place with my partner"))
    riley.wait_for_url("**/map/")
    assert "Shared. Your partner can see" in riley.content()

    # Jordan answers in one go and shares from the questionnaire.
    jordan.goto("/map/")
    click_through(jordan.get_by_role("link", name="Start"))
    _answer(jordan, jordan_answers)
    jordan.get_by_label("Share my place on the map (not my answers) with my partner").check()
    click_through(jordan.get_by_role("button", name="See my map"))
    jordan.wait_for_url("**/map/")
    click_through(jordan.get_by_role("link", name="See our map together"))
    jordan.wait_for_url("**/map/couple/")
    jordan.locator(".map-chart .main-svg").first.wait_for(
        timeout=30_000
    )  # Plotly arrives after load
    text = jordan.content()
    assert "One reaches in, one steps back" in text
    assert "Riley" in text
    check_a11y(jordan, "couple map")
    shot(jordan, f"map-04-couple-map-{size}")

    # Riley's answers never reach Jordan: only the position.
    data = jordan.request.get("/map.json").json()
    assert len(data["partner"]["positions"]) == 1
    assert "subscales" not in data["partner"]["positions"][0]

    riley.goto("/map/practise/boundaries/")
    check_a11y(riley, "practice guide")
    shot(riley, f"map-05-guide-{size}")
