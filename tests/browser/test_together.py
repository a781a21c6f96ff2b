"""Two partners in two browsers: a shared decision entered blind then revealed, and a repair from
first words to closing. Phone and desktop; axe on every step; screenshots to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, click_through, sign_in
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-passphrase"


def _pair():
    noor = make_user("noor@example.net", "Noor", password=PASSWORD)
    kai = make_user("kai@example.net", "Kai", password=PASSWORD)
    make_couple(noor, kai)
    return noor, kai


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_decision_blind_entry_then_reveal(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    _pair()
    noor, kai = new_page(viewport), new_page(viewport)
    sign_in(noor, "noor@example.net", PASSWORD)
    sign_in(kai, "kai@example.net", PASSWORD)

    noor.goto("/practices/")
    click_through(noor.get_by_role("link", name="Decisions"))
    click_through(noor.get_by_role("link", name="Start a decision"))
    noor.get_by_label("What are you deciding?").fill("Do we move closer to the city?")
    check_a11y(noor, "new decision")
    click_through(noor.get_by_role("button", name="Start"))
    noor.get_by_label("What would you choose?").fill("Yes, a flat near the river")
    noor.get_by_label("Why?").fill("Shorter commute, more evenings together")
    noor.get_by_label("A lot").check()
    check_a11y(noor, "decision view form")
    shot(noor, f"together-decision-01-entering-{size}")
    click_through(noor.get_by_role("button", name="Save my view"))
    expect(noor.get_by_role("heading", name="Your view is in")).to_be_visible()
    check_a11y(noor, "decision waiting")
    shot(noor, f"together-decision-02-waiting-{size}")

    # Kai is asked, but sees nothing of Noor's view before entering his own.
    kai.goto("/activity/")
    assert "asked for your view" in kai.content()
    check_a11y(kai, "activity feed")
    shot(kai, f"together-decision-03-kai-activity-{size}")
    kai.goto("/decisions/")
    click_through(kai.get_by_role("link", name="Do we move closer to the city?").first)
    assert "flat near the river" not in kai.content()
    assert "Shorter commute" not in kai.content()
    shot(kai, f"together-decision-04-kai-blind-{size}")
    kai.get_by_label("What would you choose?").fill("Stay where we are")
    kai.get_by_label("Why?").fill("The garden, and my friends are here")
    kai.get_by_label("Somewhat").check()
    click_through(kai.get_by_role("button", name="Save my view"))
    expect(kai.get_by_role("heading", name="Your views, side by side")).to_be_visible()
    assert "flat near the river" in kai.content()
    check_a11y(kai, "decision revealed")
    shot(kai, f"together-decision-05-revealed-{size}")

    kai.get_by_label("What did you decide together?").fill("Stay one more year, then look again")
    kai.get_by_label("Why did you decide it?").fill("The garden matters now; the commute can wait")
    click_through(kai.get_by_role("button", name="Record our decision"))
    noor.reload()
    assert "Stay one more year" in noor.content() and "Stay where we are" in noor.content()
    check_a11y(noor, "decision recorded")
    shot(noor, f"together-decision-06-decided-{size}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_repair_flow(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    _pair()
    noor, kai = new_page(viewport), new_page(viewport)
    sign_in(noor, "noor@example.net", PASSWORD)
    sign_in(kai, "kai@example.net", PASSWORD)

    noor.goto("/repair/new/")
    noor.get_by_label("What it was about").fill("Sunday lunch")
    click_through(noor.get_by_role("button", name="Start"))
    noor.get_by_label("What I feel").fill(
        "Embarrassed when my plans were changed in front of your family"
    )
    noor.get_by_label("What I need").fill("To decide plans with my family together first")
    check_a11y(noor, "repair share form")
    shot(noor, f"together-repair-01-share-{size}")
    click_through(noor.get_by_role("button", name="Save my side"))
    expect(noor.get_by_role("heading", name="Your side is written")).to_be_visible()
    repair_url = noor.url

    kai.goto(repair_url)
    assert "Embarrassed" not in kai.content()
    shot(kai, f"together-repair-02-kai-blind-{size}")
    kai.get_by_label("What I feel").fill("Caught off guard, and then defensive")
    kai.get_by_label("What I need").fill("A chance to explain before it turns into a row")
    click_through(kai.get_by_role("button", name="Save my side"))
    assert "Embarrassed" in kai.content()
    check_a11y(kai, "repair revealed")
    shot(kai, f"together-repair-03-revealed-{size}")

    kai.get_by_label("What I heard you say").fill(
        "You felt embarrassed and want us to agree plans first"
    )
    click_through(kai.get_by_role("button", name="Send what I heard"))
    noor.goto(repair_url)
    noor.get_by_label("Not quite").check()
    noor.get_by_label("What I'd put differently").fill("Less embarrassed, more left out")
    check_a11y(noor, "repair answer")
    shot(noor, f"together-repair-04-answer-{size}")
    click_through(noor.get_by_role("button", name="Answer"))
    noor.get_by_label("What I heard you say").fill("You were surprised and need room to explain")
    click_through(noor.get_by_role("button", name="Send what I heard"))

    kai.goto(repair_url)
    assert "more left out" in kai.content()
    kai.get_by_label("Yes, that's it").check()
    click_through(kai.get_by_role("button", name="Answer"))
    kai.get_by_label("What I heard you say").fill(
        "You felt left out and want us to plan together first"
    )
    click_through(kai.get_by_role("button", name="Try again"))
    noor.goto(repair_url)
    noor.get_by_label("Yes, that's it").check()
    click_through(noor.get_by_role("button", name="Answer"))

    noor.get_by_label("A next step we could agree on").fill(
        "We check family plans with each other before saying yes"
    )
    click_through(noor.get_by_role("button", name="Suggest this step"))
    kai.goto(repair_url)
    check_a11y(kai, "repair next step")
    shot(kai, f"together-repair-05-next-step-{size}")
    click_through(kai.get_by_role("button", name="Yes, let's do that"))
    kai.get_by_label("Somewhat better").check()
    click_through(kai.get_by_role("button", name="Save"))
    noor.goto(repair_url)
    noor.get_by_label("Lighter — we're OK").check()
    click_through(noor.get_by_role("button", name="Save"))
    assert "Closed together" in noor.content()
    check_a11y(noor, "repair closed")
    shot(noor, f"together-repair-06-closed-{size}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_win_answered_and_a_week_of_time(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    _pair()
    noor, kai = new_page(viewport), new_page(viewport)
    sign_in(noor, "noor@example.net", PASSWORD)
    sign_in(kai, "kai@example.net", PASSWORD)

    noor.goto("/moments/")
    click_through(noor.get_by_role("link", name="Share a win"))
    noor.get_by_label("A win").check()
    noor.get_by_label("What happened").fill("My pottery got into the local show!")
    click_through(noor.get_by_role("button", name="Share"))
    kai.goto("/moments/")
    check_a11y(kai, "moments list")
    shot(kai, f"together-moments-01-list-{size}")
    click_through(kai.get_by_role("link", name="My pottery got into the local show!").first)
    kai.get_by_label("I'm right there with you").check()
    kai.get_by_label("A few words (optional)").fill("Of course it did. Let's go on opening night.")
    check_a11y(kai, "moment respond")
    click_through(kai.get_by_role("button", name="Send my response"))
    assert "opening night" in kai.content()
    noor.reload()
    assert "opening night" in noor.content()
    shot(noor, f"together-moments-02-answered-{size}")

    noor.goto("/time/add/")
    noor.get_by_label("Me-time").check()
    noor.get_by_label("How long (minutes)").fill("90")
    noor.get_by_label("It already happened").check()
    noor.get_by_label("What (optional)").fill("Pottery studio")
    check_a11y(noor, "add time")
    click_through(noor.get_by_role("button", name="Save"))
    noor.goto("/time/add/")
    noor.get_by_label("We-time").check()
    noor.get_by_label("How long (minutes)").fill("120")
    noor.get_by_label("What (optional)").fill("Dinner out")
    click_through(noor.get_by_role("button", name="Save"))
    assert "Pottery studio" in noor.content() and "Dinner out" in noor.content()
    check_a11y(noor, "week")
    shot(noor, f"together-time-01-week-{size}")
    # removing a block asks first, naming it; keeping it changes nothing
    click_through(noor.get_by_role("link", name="Remove…").last)
    noor.get_by_role("heading", name="Remove this time together?").wait_for()
    assert "Dinner out" in noor.content() and "for both of you" in noor.content()
    check_a11y(noor, "remove a block")
    shot(noor, f"together-time-03-remove-asks-{size}")
    click_through(noor.get_by_role("link", name="Keep it"))
    assert "Dinner out" in noor.content()
    click_through(noor.get_by_role("link", name="Remove…").last)
    click_through(noor.get_by_role("button", name="Yes, remove it"))
    noor.wait_for_url("**/time/**")
    assert "Dinner out" not in noor.content() and "Pottery studio" in noor.content()
    noor.goto("/time/balance/")
    check_a11y(noor, "balance")
    shot(noor, f"together-time-02-balance-{size}")


def test_two_tabs_enter_a_view_once(browser, live_server, shot, check_a11y) -> None:
    """The same person with the form open in two tabs: the second save gets a clear message and
    the first view is kept as it was."""
    from counterpoint.practices.decisions.models import DecisionView

    noor_user, _kai = _pair()
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    try:
        first = context.new_page()
        sign_in(first, "noor@example.net", PASSWORD)
        first.goto("/decisions/new/")
        first.get_by_label("What are you deciding?").fill("New car or keep the old one?")
        click_through(first.get_by_role("button", name="Start"))
        url = first.url
        second = context.new_page()
        second.goto(url)
        for page, choice in ((first, "Keep the old one"), (second, "Buy the electric one")):
            page.get_by_label("What would you choose?").fill(choice)
            page.get_by_label("Why?").fill("Reasons")
            page.get_by_label("A little").check()
        click_through(first.get_by_role("button", name="Save my view"))
        click_through(second.get_by_role("button", name="Save my view"))
        assert "already entered your view" in second.content()
        assert "Keep the old one" in second.content()
        check_a11y(second, "second tab message")
        shot(second, "together-decision-07-second-tab")
        views = DecisionView.objects.filter(author=noor_user)
        assert [v.preference for v in views] == ["Keep the old one"]
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_demo_history_pages(new_page, shot, check_a11y, viewport) -> None:
    """Sam's view of the demo history in each practice: every page passes axe."""
    from counterpoint.demo import DEMO_PASSWORD, demo_create
    from counterpoint.practices.decisions.models import Decision

    size = "phone" if viewport == PHONE else "desktop"
    demo_create()
    sam = new_page(viewport)
    sign_in(sam, "sam@example.com", DEMO_PASSWORD)
    hosting = Decision.objects.get(round=2)
    for name, url in (
        ("moments", "/moments/"),
        ("decisions", "/decisions/"),
        ("decision-history", f"/decisions/{hosting.pk}/"),
        ("repairs", "/repair/"),
        ("week", "/time/"),
        ("balance", "/time/balance/"),
        ("activity", "/activity/"),
        ("practices", "/practices/"),
    ):
        sam.goto(url)
        check_a11y(sam, f"demo {name}")
        shot(sam, f"together-demo-{name}-{size}")
    sam.goto(f"/decisions/{hosting.pk}/")
    assert "Boxing Day" not in sam.content()  # Alex's new view waits for Sam's


def test_a_notice_about_a_win_deleted_since_says_so(new_page, shot, check_a11y) -> None:
    """Noor shares a win, then deletes it; Kai opens the notice about it from Activity and is told
    it is no longer there, on Activity, instead of landing on the 404 page."""
    _pair()
    noor, kai = new_page(DESKTOP), new_page(DESKTOP)
    sign_in(noor, "noor@example.net", PASSWORD)
    sign_in(kai, "kai@example.net", PASSWORD)

    noor.goto("/moments/new/")
    noor.get_by_label("A win").check()
    noor.get_by_label("What happened").fill("Finished the first draft of the thesis")
    noor.get_by_label("Shared with my partner").check()
    click_through(noor.get_by_role("button", name="Share"))
    win = noor.url
    noor.goto(win + "delete/")
    click_through(noor.get_by_role("button", name="Delete"))

    kai.goto("/activity/")
    click_through(kai.get_by_role("button", name="Noor shared a win with you."))
    assert kai.url.endswith("/activity/")
    expect(kai.get_by_role("status")).to_contain_text("no longer there for you")
    check_a11y(kai, "activity, a notice about a deleted win")
    shot(kai, "together-notice-about-a-deleted-win-desktop")
