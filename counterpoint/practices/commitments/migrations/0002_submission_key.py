"""One submission mechanism: the global ``submission`` UUID becomes the per-author
``submission_key`` (its hex digits), unique per author instead of across everyone."""

import uuid

from django.db import migrations, models

MODELS = ["Commitment"]


def keys_from_uuids(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("commitments", name)
        for pk, token in model.objects.exclude(submission=None).values_list("pk", "submission"):
            model.objects.filter(pk=pk).update(submission_key=token.hex)


def uuids_from_keys(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("commitments", name)
        for pk, key in model.objects.exclude(submission_key="").values_list("pk", "submission_key"):
            try:
                token = uuid.UUID(key)
            except ValueError:
                continue
            model.objects.filter(pk=pk).update(submission=token)


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="submission_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=40),
            preserve_default=False,
        ),
        migrations.RunPython(keys_from_uuids, uuids_from_keys),
        migrations.RemoveField(model_name="commitment", name="submission"),
        migrations.AddConstraint(
            model_name="commitment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submission_key", ""), _negated=True),
                fields=("author", "submission_key"),
                name="commitment_one_per_submission",
            ),
        ),
    ]
