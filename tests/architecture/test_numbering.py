"""Every model whose number anyone can see is numbered at random (``counterpoint.numbers``).

Numbers show in addresses, JSON and the export (a row's ``id`` and every column naming another
row: ``author``, ``couple``, ``study``…); given in turn, the gap between two numbers a person sees
counts what others made in between. A new model fails here until someone decides: make it
``RandomlyNumbered``, or add it below with the reason nobody ever sees its number.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from counterpoint.numbers import NumberingManager, NumberingQuerySet, RandomlyNumbered

NOT_RANDOMLY_NUMBERED = {
    "operations.DataVersion": "keyed by its scope's name (u:<id>, c:<id>), not numbered",
    "operations.Heartbeat": "keyed by the process's name, not numbered; only the health check reads it",
    "operations.PutOffPhotoRemoval": "keyed by the photo's file name, not numbered; never shown",
}


def _project_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("counterpoint.") and not model._meta.proxy
    ]


def test_every_model_anyone_can_see_the_number_of_is_numbered_at_random() -> None:
    in_turn = sorted(
        model._meta.label
        for model in _project_models()
        if not issubclass(model, RandomlyNumbered)
        and model._meta.label not in NOT_RANDOMLY_NUMBERED
    )
    assert in_turn == [], (
        "numbered in turn, so the gap between two of these numbers counts others' rows: make "
        f"them counterpoint.numbers.RandomlyNumbered, or say why nobody sees them: {in_turn}"
    )


def test_the_allowlist_names_only_models_that_exist_and_are_not_numbered_at_random() -> None:
    labels = {model._meta.label: model for model in _project_models()}
    for label, reason in NOT_RANDOMLY_NUMBERED.items():
        assert label in labels, f"{label} is gone: take it off the list"
        assert not issubclass(labels[label], RandomlyNumbered), f"{label} is random: take it off"
        assert reason.strip()


def test_the_user_model_is_numbered_at_random_too() -> None:
    """A person's number is the ``author`` and ``recipient`` of rows in the partner's export: given
    in turn, it told how many accounts were made before and between them."""
    assert issubclass(apps.get_model("accounts", "User"), RandomlyNumbered)


def test_every_manager_of_a_randomly_numbered_model_numbers_what_it_bulk_creates() -> None:
    """``bulk_create`` never calls ``save()``; a manager not derived from ``NumberingManager`` (a
    model bringing its own, as ``User`` does) would leave its rows to be numbered in turn."""
    plain = sorted(
        f"{model._meta.label}.{manager.name}"
        for model in _project_models()
        if issubclass(model, RandomlyNumbered)
        for manager in model._meta.managers
        if not isinstance(manager, NumberingManager)
        or not isinstance(manager.get_queryset(), NumberingQuerySet)
    )
    assert plain == [], f"derive these managers from counterpoint.numbers.NumberingManager: {plain}"
