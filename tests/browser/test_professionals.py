"""A couple links a professional, both choose what to share, the professional sees those
summaries; one partner ends it and the professional's next request is a 404. Phone and desktop,
axe on every page, screenshots to look at."""

from __future__ import annotations

import pytest

from counterpoint.professionals.services import profile_save
from tests.browser.conftest import DESKTOP, PHONE, click_through, sign_in
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-passphrase"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_grant_view_revoke(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    ana = make_user("ana@example.net", "Ana", password=PASSWORD)
    ben = make_user("ben@example.net", "Ben", password=PASSWORD)
    make_couple(ana, ben)
    pro = make_user("dr.lee@example.net", "Dr Lee", password=PASSWORD)
    profile = profile_save(user=pro, name="Dr Lee", practice="Riverside Couples", contact="0123")

    page_pro, page_a, page_b = new_page(viewport), new_page(viewport), new_page(viewport)
    sign_in(page_pro, "dr.lee@example.net", PASSWORD)
    page_pro.goto("/pro/")
    assert profile.code in page_pro.content()
    check_a11y(page_pro, "professional home")
    shot(page_pro, f"pro-01-home-{size}")

    sign_in(page_a, "ana@example.net", PASSWORD)
    page_a.goto("/couple/professionals/")
    check_a11y(page_a, "couple professionals empty")
    page_a.get_by_label("Your professional's email address or professional code").fill(profile.code)
    click_through(page_a.get_by_role("button", name="Link them"))
    page_a.get_by_label("Check-in trends (weekly averages of what you share)").check()
    page_a.get_by_label("Positions on the interdependence map you have shared").check()
    click_through(page_a.get_by_role("button", name="Share these summaries"))
    assert "They see nothing yet" in page_a.content()
    check_a11y(page_a, "couple professionals one grant")
    shot(page_a, f"pro-02-ana-granted-{size}")

    sign_in(page_b, "ben@example.net", PASSWORD)
    page_b.goto("/couple/professionals/")
    page_b.get_by_label("Positions on the interdependence map you have shared").check()
    page_b.get_by_label("How often you use the practices (counts only)").check()
    click_through(page_b.get_by_role("button", name="Share these summaries"))
    assert "They can see:" in page_b.content()
    shot(page_b, f"pro-03-ben-granted-{size}")

    page_pro.goto("/pro/")
    click_through(page_pro.get_by_role("link", name="Ana & Ben"))
    overview_url = page_pro.url
    content = page_pro.content()
    assert "Interdependence map" in content  # both chose it
    assert "Check-in trends" not in content and "Practices since" not in content  # one each
    check_a11y(page_pro, "professional overview")
    shot(page_pro, f"pro-04-overview-{size}")

    page_a.goto("/couple/professionals/")
    assert "Dr Lee viewed your overview on" in page_a.content()
    click_through(page_a.get_by_role("link", name="End access now…"))
    check_a11y(page_a, "end access")
    click_through(page_a.get_by_role("button", name="End access"))
    assert "No professional is linked to you" in page_a.content()
    shot(page_a, f"pro-05-ended-{size}")

    response = page_pro.goto(overview_url)
    assert response is not None and response.status == 404
    shot(page_pro, f"pro-06-gone-{size}")
