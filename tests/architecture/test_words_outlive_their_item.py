"""Every row one person wrote that hangs off an item someone else may delete is kept for them.

The database deletes a row with the item its key cascades from. When that row is one person's own
(it names them) and the item may be deleted by someone else (a partner deleting their moment, a
researcher's account going with its studies), the row must be registered with
``privacy.kept.keep_on_delete``, so that it stays its writer's and their export does not change
(``tests/web/test_words_outlive_their_item.py``). Otherwise it is listed below with the reason no
one else's act can delete it. A new model fails here until someone decides.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models

from counterpoint.privacy import kept

# Rows that name a person and cascade from an item, which nobody but that person deletes.
NOBODY_ELSE_DELETES_ITS_ITEM = {
    "checkins.QuestionAnswer": "its item is the couple's question of the day: couples are ended, "
    "never deleted",
    "couples.Membership": "couples are ended, never deleted",
    "interdependence.Position": "its item is the same person's taking of the questionnaire",
    "professionals.CareLink": "couples are ended, never deleted",
    "professionals.Grant": "care links are ended, never deleted",
    "professionals.SessionTopic": "care links are ended, never deleted",
    "research_runs.AnalysisRun": "its study is the researcher's own, and goes only with them",
}


def _rows_hanging_off_items() -> set[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("counterpoint."):
            continue
        keys = [f for f in model._meta.fields if isinstance(f, models.ForeignKey)]
        names_a_person = any(f.related_model is user_model for f in keys)
        hangs_off_an_item = any(
            f.related_model is not user_model and f.remote_field.on_delete is models.CASCADE
            for f in keys
        )
        if names_a_person and hangs_off_an_item:
            found.add(model._meta.label)
    return found


def test_each_row_on_someone_elses_item_is_kept_or_explained() -> None:
    registered = {model._meta.label for model in kept._KEEPERS}
    undecided = _rows_hanging_off_items() - registered - set(NOBODY_ELSE_DELETES_ITS_ITEM)
    assert not undecided, (
        f"{sorted(undecided)}: register with privacy.kept.keep_on_delete, or list here why "
        "nobody but its writer can delete the item it hangs off"
    )


def test_the_list_names_no_model_that_is_kept_or_gone() -> None:
    registered = {model._meta.label for model in kept._KEEPERS}
    listed = set(NOBODY_ELSE_DELETES_ITS_ITEM)
    assert not listed & registered
    assert listed <= _rows_hanging_off_items()
