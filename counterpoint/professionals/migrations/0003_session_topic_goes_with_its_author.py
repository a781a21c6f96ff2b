"""A session topic goes with its author's account (it was kept, unsigned, after the author left).

Topics are only ever written with an author, so one without is what an account deletion left
behind: it goes now, as it would have then, before the column becomes required.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def delete_topics_left_by_deleted_accounts(apps, schema_editor):
    SessionTopic = apps.get_model("professionals", "SessionTopic")
    SessionTopic.objects.filter(author__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("professionals", "0002_session_topic"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(delete_topics_left_by_deleted_accounts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="sessiontopic",
            name="author",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
