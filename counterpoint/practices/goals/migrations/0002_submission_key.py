"""One submission mechanism: the global ``submission`` UUID becomes the per-author
``submission_key`` (its hex digits), unique per author instead of across everyone."""

import uuid

from django.db import migrations, models

MODELS = ["Goal", "GoalProgress", "Encouragement"]


def keys_from_uuids(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("goals", name)
        for pk, token in model.objects.exclude(submission=None).values_list("pk", "submission"):
            model.objects.filter(pk=pk).update(submission_key=token.hex)


def uuids_from_keys(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("goals", name)
        for pk, key in model.objects.exclude(submission_key="").values_list("pk", "submission_key"):
            try:
                token = uuid.UUID(key)
            except ValueError:
                continue
            model.objects.filter(pk=pk).update(submission=token)


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="goal",
            name="submission_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="goalprogress",
            name="submission_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="encouragement",
            name="submission_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=40),
            preserve_default=False,
        ),
        migrations.RunPython(keys_from_uuids, uuids_from_keys),
        migrations.RemoveField(model_name="goal", name="submission"),
        migrations.RemoveField(model_name="goalprogress", name="submission"),
        migrations.RemoveField(model_name="encouragement", name="submission"),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submission_key", ""), _negated=True),
                fields=("author", "submission_key"),
                name="goal_one_per_submission",
            ),
        ),
        migrations.AddConstraint(
            model_name="goalprogress",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submission_key", ""), _negated=True),
                fields=("author", "submission_key"),
                name="goalprogress_one_per_submission",
            ),
        ),
        migrations.AddConstraint(
            model_name="encouragement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submission_key", ""), _negated=True),
                fields=("author", "submission_key"),
                name="encouragement_one_per_submission",
            ),
        ),
    ]
