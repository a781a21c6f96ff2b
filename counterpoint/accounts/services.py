"""Account work that spans models: signing up and in, signing out everywhere, leaving."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import SignIn, User
from counterpoint.activity.services import notice_send
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.http import client_ip
from counterpoint.pairing.services import couple_unpair
from counterpoint.privacy.access import personal_record_models
from counterpoint.privacy.export import model_rows, register_exporter
from counterpoint.privacy.models import Visibility


def account_signup(*, email: str, password: str, display_name: str, time_zone: str = "UTC") -> User:
    return User.objects.create_user(
        email=email, password=password, display_name=display_name, time_zone=time_zone
    )


def account_time_zone_set(*, user: User, time_zone: str) -> None:
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])


def signin_record(*, request: HttpRequest, user: User) -> SignIn:
    """Remember a sign-in for the owner's own list, and tell them about it by email."""
    sign_in = SignIn.objects.create(
        user=user,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        session_key=request.session.session_key or "",
    )
    when = timezone.localtime(sign_in.at, user.tzinfo)
    send_mail(
        subject=_("New sign-in to your Counterpoint account"),
        message=_(
            "Someone signed in to your Counterpoint account on %(when)s from %(agent)s.\n\n"
            "If that was you, there is nothing to do. If not, change your password and use "
            '"Sign out everywhere" on your account page: %(url)s/account/security/'
        )
        % {
            "when": when.strftime("%Y-%m-%d %H:%M %Z"),
            "agent": sign_in.user_agent or _("an unknown device"),
            "url": settings.SITE_URL,
        },
        from_email=None,
        recipient_list=[user.email],
        fail_silently=True,
    )
    return sign_in


def sign_out_everywhere(*, request: HttpRequest, user: User) -> None:
    """End every other session of this account; the current one stays signed in.

    The other sessions stop working (their auth hash no longer matches) and their rows are deleted,
    so the security page no longer lists them; this device keeps its place in the list.
    """
    current = request.session.session_key or ""
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    others = list(user.sign_ins.exclude(session_key="").values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=[k for k in others if k != current]).delete()
    update_session_auth_hash(request, user)  # gives this session a new key
    if current:
        user.sign_ins.filter(session_key=current).update(
            session_key=request.session.session_key or ""
        )


def account_delete(*, user: User, remove_couple_items: bool) -> None:
    """Delete the person and everything that is theirs alone. All or nothing.

    Private and partner-shared records go. Co-owned items stay in the former couple's archive,
    credited to "former partner", unless the person asked to remove them too.
    """
    with transaction.atomic():
        partner = partner_of(user)
        if active_couple(user) is not None:
            couple_unpair(user=user, notify=False)
        for model in personal_record_models():
            own = model._default_manager.filter(author=user)
            own.exclude(visibility=Visibility.COUPLE).delete()
            if remove_couple_items:
                own.delete()
            else:
                own.update(author=None)
        if partner is not None:
            notice_send(
                recipient=partner,
                kind="partner_deleted_account",
                message=_(
                    "Your partner deleted their Counterpoint account. Your own data is untouched, "
                    "and what you shared as a couple stays in your archive."
                ),
                link="/couple/",
            )
        user.delete()


def _profile_rows(user: User) -> list[dict[str, object]]:
    return [
        {
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "date_joined": user.date_joined,
        }
    ]


def _sign_in_rows(user: User) -> list[dict[str, object]]:
    return model_rows(user.sign_ins.all())


def _membership_rows(user: User) -> list[dict[str, object]]:
    return [
        {"couple": m.couple_id, "joined_at": m.joined_at, "left_at": m.left_at}
        for m in user.memberships.all()
    ]


register_exporter("profile", _profile_rows)
register_exporter("sign_ins", _sign_in_rows)
register_exporter("couples", _membership_rows)
