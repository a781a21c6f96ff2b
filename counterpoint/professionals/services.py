"""Becoming a professional, linking one to a couple, granting and revoking, notes and the log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.professionals.models import (
    GRANT_DAYS,
    AccessLogEntry,
    CareLink,
    Grant,
    ProfessionalNote,
    ProfessionalProfile,
    Scope,
    SessionTopic,
)
from counterpoint.professionals.selectors import LinkState, link_state


def profile_save(*, user: User, name: str, practice: str, contact: str) -> ProfessionalProfile:
    """Create or update the person's professional profile. It grants nothing by itself."""
    with transaction.atomic():
        profile, _created = ProfessionalProfile.objects.update_or_create(
            user=user, defaults={"name": name, "practice": practice, "contact": contact}
        )
    return profile


def _find_professional(email_or_code: str) -> User | None:
    value = email_or_code.strip()
    profile = (
        ProfessionalProfile.objects.filter(
            Q(user__email__iexact=value) | Q(code=value.upper().replace(" ", "").replace("-", ""))
        )
        .select_related("user")
        .first()
    )
    return profile.user if profile else None


def link_invite(*, user: User, email_or_code: str) -> CareLink:
    """Link the person's couple to a professional. Nothing is visible until both partners grant."""
    couple = active_couple(user)
    if couple is None:
        raise ValidationError(
            _("Inviting a professional is for couples. Pair with your partner first.")
        )
    # One of the two of you is refused before anyone is looked up: whether the partner has a
    # professional account is theirs alone, so their email answers the same either way.
    members = [m for m in (user, partner_of(user)) if m is not None]
    typed = email_or_code.strip().lower()
    if any(m.email.lower() == typed for m in members):
        raise ValidationError(_("A professional for the two of you can't be one of you."))
    professional = _find_professional(email_or_code)
    if professional is None:
        raise ValidationError(
            _(
                "No professional account has that email or code. Ask them to sign up as a "
                "professional on this Counterpoint, then try again."
            )
        )
    if professional.pk in {m.pk for m in members}:
        raise ValidationError(_("A professional for the two of you can't be one of you."))
    try:
        with transaction.atomic():
            link = CareLink.objects.create(
                couple=couple, professional=professional, invited_by=user
            )
    except IntegrityError as exc:
        raise ValidationError(_("This professional is already linked to the two of you.")) from exc
    partner = partner_of(user)
    if partner is not None:
        notice_send(
            recipient=partner,
            kind="professional_invited",
            message=_(
                "%(name)s invited a professional. Nothing is shared until you both choose what to "
                "share."
            )
            % {"name": user.display_name},
            link=reverse("professionals:couple"),
        )
    return link


def grant_save(*, user: User, link: CareLink, scopes: list[str]) -> Grant:
    """Choose (or renew) what this partner lets the professional see, for 90 days from now."""
    chosen = [s for s in Scope.values if s in set(scopes)]
    if not chosen:
        raise ValidationError(
            _("Choose at least one view to share, or end the link to share nothing.")
        )
    now = timezone.now()
    with transaction.atomic():
        locked = CareLink.objects.select_for_update().get(pk=link.pk)
        if locked.ended_at is not None:
            raise ValidationError(_("This link has ended. Invite the professional again."))
        was_active = link_state(locked, now=now).active
        grant, _created = Grant.objects.update_or_create(
            link=locked,
            partner=user,
            defaults={
                "scopes": chosen,
                "granted_at": now,
                "expires_at": now + dt.timedelta(days=GRANT_DAYS),
            },
        )
    if not was_active and link_state(locked, now=now).active and locked.professional is not None:
        notice_send(
            recipient=locked.professional,
            kind="professional_access_started",
            message=_("A couple you work with has shared their overview with you."),
            link=reverse("professionals:couple_view", args=[locked.pk]),
        )
    return grant


def link_end(*, user: User, link: CareLink) -> None:
    """Either partner ends the link at once, without a reason: access ends for everyone."""
    with transaction.atomic():
        CareLink.objects.filter(pk=link.pk, ended_at__isnull=True).update(ended_at=timezone.now())


def professional_access_end_for(*, user: User) -> int:
    """End every professional link of the person's couples (emergency reset, account deletion)."""
    couples = user.memberships.values("couple")
    return CareLink.objects.filter(couple__in=couples, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )


def professional_links_end(*, professional: User) -> int:
    """A professional deleting their account: every link they had ends."""
    return CareLink.objects.filter(professional=professional, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )


def note_add(*, state: LinkState, text: str) -> ProfessionalNote:
    with transaction.atomic():
        note = ProfessionalNote.objects.create(link=state.link, text=text)
    for member in state.members:
        notice_send(
            recipient=member,
            kind="professional_note",
            message=_("Your professional left a note for you both."),
            link=reverse("professionals:couple"),
        )
    return note


def topic_add(*, user: User, link: CareLink, text: str) -> SessionTopic:
    """A partner brings something to the next session (seen by both partners and the professional)."""
    with transaction.atomic():
        topic = SessionTopic.objects.create(link=link, author=user, text=text)
    partner = partner_of(user)
    if partner is not None:
        notice_send(
            recipient=partner,
            kind="session_topic",
            message=_("%(name)s added something to bring to your next session.")
            % {"name": user.display_name},
            link=reverse("professionals:couple"),
        )
    return topic


def view_log(*, state: LinkState) -> AccessLogEntry:
    """Record that the professional opened the couple's overview, and what it showed."""
    return AccessLogEntry.objects.create(link=state.link, scopes=list(state.scopes))
