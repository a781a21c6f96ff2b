"""Promises saved before the form dropped a typed "I will" read "I will I will call my sister"
(every page says "I will", or "Sam will", before the promise). They lose that leading "I will"
(or "I'll") now, by the rule new promises follow (``models.promise_words``, copied here: a
migration keeps the rule of its day). A promise that would be left empty keeps its words.

Backwards it changes nothing: the doubled words were a mistake, not something to restore.
"""

import re

from django.db import migrations

# models._LEADING_I_WILL as it was when this migration was written.
LEADING_I_WILL = re.compile(r"^\s*(?:i\s+will|i['’]ll)\b[\s,:…]*", re.IGNORECASE)


def promise_without_i_will(apps, schema_editor):
    Commitment = apps.get_model("commitments", "Commitment")
    candidates = Commitment.objects.filter(promise__istartswith="i")
    for pk, promise in candidates.values_list("pk", "promise").iterator():
        words = LEADING_I_WILL.sub("", promise.strip(), count=1).strip()
        if words and words != promise:
            # update(), not save(): the promise was not edited, so updated_at stays as it was
            Commitment.objects.filter(pk=pk).update(promise=words)


class Migration(migrations.Migration):
    atomic = True  # every promise, or none

    dependencies = [
        ("commitments", "0002_submission_key"),
    ]

    operations = [
        migrations.RunPython(promise_without_i_will, migrations.RunPython.noop, elidable=True),
    ]
