"""Issue 10 (lower): shared boundaries, commitments and support requests can be made private again
(silently: the partner's view is as if they had never been shared), and a boundary set aside is no
longer shown to the partner."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import World

ITEMS = [
    ("boundaries", "alice_boundary", "boundaries:detail", "boundaries:list"),
    ("commitments", "alice_commitment", "commitments:detail", "commitments:list"),
    ("support", "alice_support", "support:detail", "support:list"),
]


@pytest.mark.parametrize(("app", "key", "detail", "listing"), ITEMS)
def test_a_shared_item_can_be_made_private_again(
    world: World, app: str, key: str, detail: str, listing: str
) -> None:
    item = world.objects[key]
    bob = world.client_for("B")
    url = reverse(detail, kwargs={"pk": item.pk})
    assert bob.get(url).status_code == 200
    before_list = bob.get(reverse(listing)).content.decode()
    notices = world.bob.notices.count()
    alice = world.client_for("A")
    page = alice.get(url).content.decode()
    assert reverse(f"{app}:make_private", kwargs={"pk": item.pk}) in page
    response = alice.post(reverse(f"{app}:make_private", kwargs={"pk": item.pk}))
    assert response.status_code == 302
    assert bob.get(url).status_code == 404
    assert bob.get(reverse(listing)).content.decode() != before_list
    assert world.bob.notices.count() == notices  # silent
    assert alice.get(url).status_code == 200


@pytest.mark.parametrize(("app", "key", "detail", "listing"), ITEMS)
def test_only_the_author_can_make_it_private(
    world: World, app: str, key: str, detail: str, listing: str
) -> None:
    item = world.objects[key]
    url = reverse(f"{app}:make_private", kwargs={"pk": item.pk})
    for person in ("B", "C", "T"):
        assert world.client_for(person).post(url).status_code == 404
    assert world.client_for("B").get(reverse(detail, kwargs={"pk": item.pk})).status_code == 200


def test_a_boundary_set_aside_is_hidden_from_the_partner(world: World) -> None:
    boundary = world.objects["alice_boundary"]
    alice = world.client_for("A")
    alice.post(reverse("boundaries:retire", kwargs={"pk": boundary.pk}))
    bob = world.client_for("B")
    assert bob.get(reverse("boundaries:detail", kwargs={"pk": boundary.pk})).status_code == 404
    assert boundary.what not in bob.get(reverse("boundaries:list")).content.decode()
    assert alice.get(reverse("boundaries:detail", kwargs={"pk": boundary.pk})).status_code == 200
