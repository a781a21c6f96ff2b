"""Two partners plan something, both answer blind, it happens and becomes a memory with a photo.
Phone and desktop; axe on every step; screenshots to look at."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, click_through, sign_in
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-passphrase"


def _photo(folder: Path) -> Path:
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (48.0, 51.0, 24.0)
    image = Image.new("RGB", (900, 600), (90, 140, 200))
    for x in range(0, 900, 60):
        image.paste((240, 200, 90), (x, 380, x + 30, 600))
    path = folder / "lake.jpg"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_plan_becomes_a_memory_with_a_photo(
    new_page, shot, check_a11y, viewport, tmp_path
) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    mira = make_user("mira@example.net", "Mira", password=PASSWORD)
    jon = make_user("jon@example.net", "Jon", password=PASSWORD)
    make_couple(mira, jon)
    page_m, page_j = new_page(viewport), new_page(viewport)
    sign_in(page_m, "mira@example.net", PASSWORD)
    sign_in(page_j, "jon@example.net", PASSWORD)

    page_m.goto("/practices/")
    click_through(page_m.get_by_role("link", name="Plans and memories"))
    check_a11y(page_m, "plans empty")
    shot(page_m, f"plans-01-empty-{size}")
    click_through(page_m.get_by_role("link", name="Add a plan"))
    page_m.get_by_label("What would you like to do?").fill("Swim in the lake at dawn")
    page_m.get_by_label("What kind of plan?").select_option("date")
    page_m.get_by_label("Or roughly when (optional)").fill("first warm weekend")
    check_a11y(page_m, "new plan")
    click_through(page_m.get_by_role("button", name="Add the plan"))
    page_m.get_by_label("I'd love this").check()
    click_through(page_m.get_by_role("button", name="Save my answer"))
    page_m.get_by_text("Your answer is saved.").wait_for()  # after the redirect
    assert "hasn't answered yet" in page_m.content()
    check_a11y(page_m, "plan waiting")
    shot(page_m, f"plans-02-waiting-{size}")

    # Jon sees the plan but not Mira's answer until he gives his own.
    page_j.goto("/plans/")
    click_through(page_j.get_by_role("link", name="Swim in the lake at dawn").first)
    page_j.get_by_role("heading", name="How you both feel about it").wait_for()
    assert "Mira:" not in page_j.content()
    assert "Your partner has answered" in page_j.content()
    shot(page_j, f"plans-03-jon-blind-{size}")
    page_j.get_by_label("Maybe").check()
    click_through(page_j.get_by_role("button", name="Save my answer"))
    expect(page_j.get_by_text("Mira:")).to_be_visible()
    check_a11y(page_j, "plan revealed")
    shot(page_j, f"plans-04-revealed-{size}")

    # It happens: Jon marks it done, with the time they spent.
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    page_j.get_by_label("When did it happen?").fill(yesterday)
    page_j.get_by_label("About how long were you together? (minutes, optional)").fill("90")
    click_through(page_j.get_by_role("button", name="It happened — keep it as a memory"))
    page_j.wait_for_url("**/plans/memories/*/")
    page_j.get_by_label("A few words about it").fill("Cold water, warm coffee after.")
    click_through(page_j.get_by_role("button", name="Add my words"))
    page_j.get_by_label("A photo (JPEG, PNG, WebP or GIF, up to 10 MB)").set_input_files(
        str(_photo(tmp_path))
    )
    click_through(page_j.get_by_role("button", name="Upload"))
    page_j.get_by_text("location and camera details were removed").wait_for()
    assert "location and camera details were removed" in page_j.content()
    image = page_j.get_by_role("img", name="Photo: Swim in the lake at dawn")
    expect(image).to_be_visible()
    width = image.evaluate(  # once the photo has arrived (it may still be loading)
        "img => img.complete && img.naturalWidth ? img.naturalWidth"
        " : new Promise(done => img.addEventListener('load', () => done(img.naturalWidth)))"
    )
    assert width == 900
    check_a11y(page_j, "memory with photo")
    shot(page_j, f"plans-05-memory-{size}")

    page_m.goto("/plans/memories/")
    click_through(page_m.get_by_role("link", name="Swim in the lake at dawn"))
    page_m.get_by_role("heading", name="In your own words").wait_for()
    assert "Cold water" not in page_m.content()  # Jon's words wait for Mira's
    page_m.get_by_label("A few words about it").fill("The mist on the water!")
    click_through(page_m.get_by_role("button", name="Add my words"))
    page_m.get_by_text("Your words are saved.").wait_for()
    assert "Cold water, warm coffee after." in page_m.content()
    check_a11y(page_m, "memory words together")
    shot(page_m, f"plans-06-words-together-{size}")
