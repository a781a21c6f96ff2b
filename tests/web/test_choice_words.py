"""Every choice field in every form says in our words what to choose and that a value was never
offered, never Django's "This field is required." or "Select a valid choice."
(counterpoint/form_words.py; docs/conventions.md, "A field left empty")."""

from __future__ import annotations

import html
import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from django import forms
from django.urls import reverse

import counterpoint
from counterpoint.accounts.forms import SettingsForm
from counterpoint.accounts.models import User
from counterpoint.form_words import NOT_A_CHOICE
from counterpoint.interdependence import instruments
from counterpoint.interdependence.forms import TakingForm
from counterpoint.research.forms import answer_form
from counterpoint.research.models import Item
from tests.web.conftest import World

# Modules that hold no form and are not for importing here: the engine, settings, migrations.
NOT_SEARCHED = (
    "counterpoint.science",
    "counterpoint.settings",
    "counterpoint.wsgi",
    "counterpoint.asgi",
)
CHOICE_FIELDS = (
    forms.ChoiceField,
    forms.TypedChoiceField,
    forms.MultipleChoiceField,
    forms.TypedMultipleChoiceField,
    forms.ModelChoiceField,
    forms.ModelMultipleChoiceField,
)
DJANGO_WORDS = {
    str(message)
    for cls in (forms.Field, *CHOICE_FIELDS)
    for message in cls.default_error_messages.values()
}


def _subclasses(cls: type[forms.BaseForm]) -> Iterator[type[forms.BaseForm]]:
    sub: type[forms.BaseForm]
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_forms() -> dict[str, dict[str, forms.Field]]:
    """Every form class the project declares, wherever it is (forms modules, views): its fields."""
    for module in pkgutil.walk_packages(counterpoint.__path__, "counterpoint."):
        if module.name.startswith(NOT_SEARCHED) or ".migrations" in module.name:
            continue
        importlib.import_module(module.name)
    return {
        f"{cls.__module__}.{cls.__qualname__}": vars(cls)["base_fields"]
        for cls in _subclasses(forms.BaseForm)
        # a mixin such as ClearsUnusedFields declares no fields of its own
        if cls.__module__.startswith("counterpoint.") and "base_fields" in vars(cls)
    }


def built_fields() -> Iterator[tuple[str, forms.Field]]:
    """The fields forms make when they are built: a study's answers, a questionnaire's items."""
    items = [
        Item(name="calm", kind=Item.Kind.SCALE, label="How calm?"),
        Item(name="mood", kind=Item.Kind.CHECKIN, label="Mood"),
        Item(name="place", kind=Item.Kind.CHOICE, label="Where?", choices=["home", "work"]),
    ]
    for name, field in answer_form(items).fields.items():
        yield f"research answer_form {name}", field
    for instrument in instruments.available():
        for name, field in TakingForm(instrument=instrument).fields.items():
            yield f"interdependence TakingForm {instrument.key} {name}", field


def choice_fields() -> Iterator[tuple[str, forms.Field]]:
    for form, fields in sorted(project_forms().items()):
        for name, field in fields.items():
            yield f"{form}.{name}", field
    yield from built_fields()


def shown_words(field: forms.Field) -> dict[str, str]:
    """The messages the field can show: "required" only when it may not be left empty."""
    return {
        key: str(message)
        for key, message in field.error_messages.items()
        if key != "required" or field.required
    }


def test_the_search_finds_the_forms_with_choices() -> None:
    names = {name for name, field in choice_fields() if isinstance(field, CHOICE_FIELDS)}
    assert "counterpoint.accounts.forms.SettingsForm.time_zone" in names
    assert "counterpoint.research.views_data.AnalysisForm.var" in names  # a form in a views module
    assert any(name.startswith("research answer_form") for name in names)
    assert any(name.startswith("interdependence TakingForm") for name in names)
    assert len(names) > 30


def test_no_choice_field_says_djangos_generic_words() -> None:
    generic = {
        name: words
        for name, field in choice_fields()
        if isinstance(field, CHOICE_FIELDS)
        for words in [shown_words(field)]
        if DJANGO_WORDS & set(words.values())
    }
    assert generic == {}


def test_a_required_choice_says_what_to_choose() -> None:
    field = SettingsForm.base_fields["time_zone"]
    assert str(field.error_messages["required"]) == "Choose your time zone."
    assert str(field.error_messages["invalid_choice"]) == str(NOT_A_CHOICE)


def _settings_page(world: World, time_zone: str) -> str:
    response = world.client_for("A").post(
        reverse("accounts:settings"), {"display_name": "Alice", "time_zone": time_zone}
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("time_zone", "words"),
    [("", "Choose your time zone."), ("Mars/Olympus_Mons", str(NOT_A_CHOICE))],
)
def test_the_settings_page_says_what_is_wrong_with_the_time_zone(
    world: World, time_zone: str, words: str
) -> None:
    before = User.objects.get(pk=world.alice.pk).time_zone
    page = _settings_page(world, time_zone)
    assert words in page
    assert "This field is required" not in page and "Select a valid choice" not in page
    assert User.objects.get(pk=world.alice.pk).time_zone == before


@pytest.mark.parametrize(
    ("url", "data", "words"),
    [
        ("support:new", {"submission_key": "k"}, "Choose what you could use."),
        ("moments:new", {"text": "A walk", "submission_key": "k"}, "Choose what kind of moment"),
        ("goals:new", {"title": "Run", "submission_key": "k"}, "Choose whose goal it is."),
    ],
)
def test_a_choice_left_unmade_says_what_to_choose(
    world: World, url: str, data: dict[str, str], words: str
) -> None:
    response = world.client_for("A").post(reverse(url), data)
    page = html.unescape(response.content.decode())
    assert words in page, url
    assert "This field is required" not in page, url
