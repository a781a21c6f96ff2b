from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, pre_delete


class PlansConfig(AppConfig):
    name = "counterpoint.practices.plans"
    label = "plans"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from counterpoint.insights.registry import register_insight_section
        from counterpoint.operations import versions
        from counterpoint.practices.plans.models import Memory, MemoryWords, PlanInterest
        from counterpoint.practices.plans.photos import photo_files_of
        from counterpoint.practices.plans.selectors import (
            interest_partner_view,
            plans_insight,
            words_partner_view,
        )
        from counterpoint.privacy.export import (
            model_rows,
            register_exporter,
            register_file_exporter,
        )

        # An answer to a shared plan, and words on a shared memory, stay hidden from the partner
        # until the partner has given theirs: changing them before that moves only the author's
        # own data version (the partner could time their pages otherwise).
        versions.partner_view("plans.PlanInterest", interest_partner_view)
        versions.partner_view("plans.MemoryWords", words_partner_view)

        from counterpoint.privacy.kept import keep_on_delete

        # Only the person's own answers and words; the partner's are theirs to export. They stay
        # their writer's when the plan or memory goes (privacy.kept).
        keep_on_delete(
            PlanInterest, section="plan_interests", owner="author", order=("answered_at", "id")
        )
        keep_on_delete(
            MemoryWords, section="memory_words", owner="author", order=("written_at", "id")
        )
        register_exporter(
            "plan_interests",
            lambda user: model_rows(PlanInterest.objects.filter(author=user)),
            own_times=("answered_at",),
        )
        register_exporter(
            "memory_words",
            lambda user: model_rows(MemoryWords.objects.filter(author=user)),
            own_times=("written_at",),
        )
        register_file_exporter("photos", photo_files_of)
        # Beside the me/we balance: shared plans made and done, and we-time that went to them.
        register_insight_section("shared_plans", plans_insight, reads=("plans", "timebalance"))
        # Photo files live outside the database, so deleting rows cannot remove them. These two
        # receivers remove the file as soon as every path (a memory deleted, an account deleted
        # with or without its co-owned items, a couple's items removed) commits; should that
        # removal not run (the process killed after the commit, a backup holding the photos), the
        # sweep removes the file (photos.py).
        post_delete.connect(_memory_deleted, sender=Memory, dispatch_uid="plans_memory_photo")
        pre_delete.connect(_memory_deleting, sender=Memory, dispatch_uid="plans_memory_photo_kept")
        pre_delete.connect(
            _uploader_deleted, sender=get_user_model(), dispatch_uid="plans_uploader_photos"
        )


def _memory_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from counterpoint.practices.plans.photos import photo_files_remove

    if instance.photo:
        name = instance.photo
        transaction.on_commit(lambda: photo_files_remove(name), robust=True)


def _memory_deleting(sender: Any, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    """Someone else's photo on a memory deleted stays theirs (privacy.kept)."""
    from counterpoint.practices.plans.photos import photo_keep_for_uploader
    from counterpoint.privacy.kept import deleter_of

    photo_keep_for_uploader(instance, by=deleter_of(origin))


def _uploader_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A photo belongs to whoever uploaded it: it goes with their account, even from a memory
    that stays in the former couple's archive, and so do the photos kept for them."""
    from counterpoint.practices.plans.models import Memory
    from counterpoint.practices.plans.photos import photo_files_remove, photos_kept_for

    names = photos_kept_for(instance)  # their rows go with the account (CASCADE)
    for memory in Memory.objects.filter(photo_by=instance).exclude(photo=""):
        names.append(memory.photo)
        Memory.objects.filter(pk=memory.pk).update(photo="", photo_width=0, photo_height=0)
    if names:
        transaction.on_commit(lambda: photo_files_remove(*names), robust=True)
