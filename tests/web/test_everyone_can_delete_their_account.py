"""Every kind of person in the world can delete their account through the form.

A researcher with participants could not: a consent record protected the study's consent text,
and the deletion was a server error after the researcher had been signed out
(``tests/web/research/test_researcher_leaves.py``). So each person the shared world makes, in
whatever roles its seeders gave them (partners, the single person, therapists with clients in
every state of access, researchers with and without participants), deletes their account here as
they would: the form, their password, a redirect, and nothing of the account left.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.models import User
from tests.web.conftest import World

PASSWORD = "a long and careful passphrase"
NAMED = ["A", "B", "C", "T"]
# the people the features' seeders add (``World.person``): a new one fails
# ``test_the_list_names_everyone_the_world_makes`` until it is listed here
ADDED = ["R", "R_other", "T_ok", "T_one", "T_rev", "T_exp"]


def _added_people(world: World) -> set[str]:
    return {key.removeprefix("person:") for key in world.objects if key.startswith("person:")}


def test_the_list_names_everyone_the_world_makes(world: World) -> None:
    assert _added_people(world) == set(ADDED)


@pytest.mark.parametrize("remove_couple_items", [False, True])
@pytest.mark.parametrize("key", [*NAMED, "D", *ADDED])
def test_they_delete_their_account_through_the_form(
    world: World, key: str, remove_couple_items: bool
) -> None:
    person = world.dave if key == "D" else world.person(key)
    assert person is not None
    person.set_password(PASSWORD)
    person.save()
    client = Client()
    client.force_login(person)
    data = {"confirm": "delete my account", "password": PASSWORD}
    if remove_couple_items:
        data["remove_couple_items"] = "on"
    response = client.post(reverse("accounts:delete"), data)
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == reverse("pages:welcome")
    assert not User.objects.filter(pk=person.pk).exists()
    # their session went with them
    assert client.get(reverse("accounts:my_data")).status_code == 302
