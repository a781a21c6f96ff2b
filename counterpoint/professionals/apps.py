from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import pre_delete


class ProfessionalsConfig(AppConfig):
    name = "counterpoint.professionals"
    label = "professionals"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from counterpoint.accounts.deletion import on_close
        from counterpoint.operations import versions
        from counterpoint.privacy.export import model_rows, register_exporter
        from counterpoint.professionals.models import (
            AccessLogEntry,
            Grant,
            ProfessionalNote,
            ProfessionalProfile,
            SessionTopic,
        )
        from counterpoint.professionals.selectors import grant_partner_view

        # Each partner's export: their own grants, what they brought for the next session (never
        # what the other brought), and every view of their couples' overviews. Granting and
        # bringing are the person's acts; a professional's views are theirs, so given by the day.
        register_exporter(
            "professional_grants",
            lambda user: model_rows(Grant.objects.filter(partner=user)),
            own_times=("granted_at", "expires_at"),
        )
        register_exporter(
            "session_topics",
            lambda user: model_rows(
                SessionTopic.objects.filter(author=user).order_by("created_at")
            ),
            own_times=("created_at",),
        )
        # A professional's own: their profile and the notes they left their client couples.
        register_exporter(
            "professional_profile",
            lambda user: model_rows(ProfessionalProfile.objects.filter(user=user)),
            own_times=("created_at",),
        )
        register_exporter(
            "professional_notes",
            lambda user: model_rows(
                ProfessionalNote.objects.filter(link__professional=user).order_by("created_at")
            ),
            own_times=("created_at",),
        )
        register_exporter(
            "professional_access_log",
            lambda user: model_rows(
                AccessLogEntry.objects.filter(
                    link__couple__in=user.memberships.values("couple")
                ).order_by("viewed_at")
            ),
        )
        # Of a grant the partner reads only what both chose. A professional's profile is read by
        # the couples who link them (on a page rendered afresh each time), never by their own
        # partner, who can't link them.
        versions.partner_view("professionals.Grant", grant_partner_view)
        versions.owner_only("professionals.ProfessionalProfile")
        # A link names the professional, the partner who invited them and the couple. No kept page
        # or insight reads it (the couple's page is rendered afresh each time, and the partner
        # hears of a new link by a notice), and the professional's own partner never reads it:
        # being linked by a client couple must not end that partner's kept pages.
        versions.owner_only("professionals.CareLink")
        # Deleting an account ends its access, whichever side it was on. A receiver, because
        # account deletion (accounts) must not depend on this feature; and at once when the
        # account is closed for the task runner to delete (a researcher's large study), so that
        # no couple lists a professional who has gone.
        pre_delete.connect(
            _account_deleted, sender=get_user_model(), dispatch_uid="professionals_account_deleted"
        )
        on_close("professionals", lambda user: _account_deleted(None, user))


def _account_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from counterpoint.professionals.services import (
        professional_access_end_for,
        professional_links_end,
    )

    professional_access_end_for(user=instance)
    professional_links_end(professional=instance)
