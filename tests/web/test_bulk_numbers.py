"""Rows made many at once are numbered at random too (``counterpoint.numbers.NumberingQuerySet``).

``bulk_create`` never calls ``save()``, where a single new row gets its random number; left to the
database, rows made together would be numbered in turn. Studies make their items, prompts and
prompt events that way, and a participant sees their prompts' numbers in addresses.
"""

from __future__ import annotations

import itertools

import pytest

from counterpoint.accounts.models import User
from counterpoint.numbers import RECORD_NUMBER_LIMIT
from counterpoint.research.models import Item, Prompt
from tests.factories import make_couple, make_user
from tests.web.research.study_world import enrol, make_researcher, make_study

pytestmark = pytest.mark.django_db

FAR_APART = 2**20  # in turn, numbers sit 1 apart; drawn from 2**53, two this close: ~1 in 10**6


def _spread(numbers: list[int]) -> None:
    numbers = sorted(numbers)
    assert len(set(numbers)) == len(numbers)
    assert all(0 < n < RECORD_NUMBER_LIMIT for n in numbers)
    gaps = [b - a for a, b in itertools.pairwise(numbers)]
    assert min(gaps) > FAR_APART, f"numbered in turn: {numbers}"


def test_a_study_enrolment_numbers_its_prompts_at_random() -> None:
    researcher = make_researcher("rhea@uni.example", "Rhea")
    study = make_study(researcher)
    alice, bob = make_user("ana@example.org", "Ana"), make_user("ben@example.org", "Ben")
    make_couple(alice, bob)
    enrol(study, alice, bob)
    prompts = list(Prompt.objects.filter(study=study).values_list("pk", flat=True))
    assert len(prompts) > 10
    _spread(prompts)
    _spread(list(Item.objects.filter(study=study).values_list("pk", flat=True)))


def test_bulk_create_through_the_model_and_the_person_managers_numbers_every_row() -> None:
    people = User.objects.bulk_create(
        User(email=f"p{n}@example.org", display_name=f"P{n}") for n in range(12)
    )
    assert all(p.pk is not None for p in people)
    _spread([p.pk for p in people])
    assert sorted(User.objects.values_list("pk", flat=True)) == sorted(p.pk for p in people)


def test_bulk_create_through_a_related_manager_numbers_every_row() -> None:
    study = make_study(make_researcher("rhea@uni.example", "Rhea"))
    before = set(study.items.values_list("pk", flat=True))
    made = study.items.bulk_create(
        Item(study=study, position=100 + n, name=f"extra{n}", kind="scale", label=f"Extra {n}")
        for n in range(8)
    )
    _spread([item.pk for item in made])
    assert set(study.items.values_list("pk", flat=True)) == before | {i.pk for i in made}


def test_a_number_given_by_hand_is_kept() -> None:
    (person,) = User.objects.bulk_create([User(pk=4242, email="kept@example.org")])
    assert person.pk == 4242 and User.objects.filter(pk=4242, email="kept@example.org").exists()
