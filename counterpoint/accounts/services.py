"""Account work that spans models: signing up and in, signing out everywhere, leaving."""

from __future__ import annotations

import datetime as dt
import secrets

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from counterpoint.accounts.deletion import account_close, deletes_in_the_background
from counterpoint.accounts.models import PendingSignup, SignIn, User
from counterpoint.activity.services import notice_send
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.http import client_ip, local_path
from counterpoint.notify.services import (
    devices_forget_except_session,
    emails_to_address_forget,
    session_devices_forget,
)
from counterpoint.operations.versions import versions_forget_person
from counterpoint.pairing.services import couple_unpair
from counterpoint.privacy.access import personal_record_models
from counterpoint.privacy.export import model_rows, register_exporter
from counterpoint.privacy.kept import delete_keeping, deleting_as
from counterpoint.privacy.models import Visibility


def account_signup(*, email: str, password: str, display_name: str, time_zone: str = "UTC") -> User:
    """Create an account directly (the demo, the operator, tests); people go through
    :func:`signup_request` and the link it emails."""
    return User.objects.create_user(
        email=email, password=password, display_name=display_name, time_zone=time_zone
    )


# -- sign-up by email ---------------------------------------------------------------------------
# The sign-up form never says whether an address has an account: it always answers "check your
# email". The address's owner learns the rest: a new address gets a link that creates the account,
# an address with an account gets a reminder to sign in (and nothing is created).

SIGNUP_SALT = "counterpoint.accounts.signup"
SIGNUP_LINK_MAX_AGE = dt.timedelta(days=2)
SIGNUP_EMAILS_PER_HOUR = 3  # per address, whichever email it gets: a form can't flood a mailbox


def signup_request(
    *, email: str, password: str, display_name: str, time_zone: str = "UTC", next_url: str = ""
) -> None:
    """Take a sign-up form. The same work whether or not the address has an account.

    The request hashes the password (the slow step) and hands the rest to the task runner, so
    neither the answer nor how long it takes depends on who has an account.
    """
    from counterpoint.accounts import tasks

    tasks.signup_email(
        email=email.strip().lower(),
        password_hash=make_password(password),
        display_name=display_name,
        time_zone=time_zone,
        next_url=local_path(next_url, ""),
    )


def signup_email_send(
    *, email: str, password_hash: str, display_name: str, time_zone: str, next_url: str
) -> None:
    """Email the address what it needs: a link to create the account, or a note that it has one.

    Runs in the task runner (:func:`signup_request`).
    """
    PendingSignup.objects.filter(created_at__lt=timezone.now() - SIGNUP_LINK_MAX_AGE).delete()
    sent_key = f"counterpoint:signup-emails:{email}"
    cache.add(sent_key, 0, timeout=3600)
    try:
        sent = cache.incr(sent_key)
    except ValueError:  # expired between the two calls
        sent = 1
    if sent > SIGNUP_EMAILS_PER_HOUR:
        return
    # Nothing the form's sender typed goes into the email: the address may be someone else's.
    context = {"site_url": settings.SITE_URL}
    if User.objects.filter(email__iexact=email).exists():
        subject = _("You already have a Counterpoint account")
        body = render_to_string("accounts/email/signup_existing.txt", context)
    else:
        pending = PendingSignup.objects.create(
            email=email,
            display_name=display_name,
            time_zone=time_zone,
            password=password_hash,
            next_url=next_url,
            nonce=secrets.token_hex(16),
        )
        token = signing.dumps({"id": pending.pk, "n": pending.nonce}, salt=SIGNUP_SALT)
        context["link"] = settings.SITE_URL + reverse(
            "accounts:signup_confirm", kwargs={"token": token}
        )
        subject = _("Confirm your email to create your Counterpoint account")
        body = render_to_string("accounts/email/signup_new.txt", context)
    send_mail(
        subject=str(subject),
        message=body,
        from_email=None,
        recipient_list=[email],
        fail_silently=True,
    )


def signup_pending(*, token: str) -> PendingSignup | None:
    """The sign-up a link stands for, while it is unused and unexpired; otherwise ``None``."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    pending = PendingSignup.objects.filter(pk=data["id"]).first()
    if pending is None or not constant_time_compare(pending.nonce, str(data.get("n", ""))):
        return None
    return pending


def signup_finish(*, pending: PendingSignup) -> User | None:
    """Create the account a confirmed link stands for; ``None`` when the address has one by now.

    Every waiting sign-up for the address goes: the first link used wins, the others stop working.
    """
    with transaction.atomic():
        PendingSignup.objects.filter(email__iexact=pending.email).delete()
        if User.objects.filter(email__iexact=pending.email).exists():
            return None
        user = User(
            email=pending.email,
            display_name=pending.display_name,
            time_zone=pending.time_zone,
            password=pending.password,
        )
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # the same link used twice at once
            return None
    return user


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
            "agent": sign_in.device,
            "url": settings.SITE_URL,
        },
        from_email=None,
        recipient_list=[user.email],
        fail_silently=True,
    )
    return sign_in


def sign_out(*, request: HttpRequest) -> None:
    """Sign out of this browser: it stops getting the person's notifications, then the session
    ends. On a shared device the next person must not see the last one's reminders."""
    if isinstance(request.user, User):
        session_devices_forget(user=request.user, session=request.session)
    logout(request)


def sign_out_everywhere(*, request: HttpRequest, user: User) -> None:
    """End every other session of this account; the current one stays signed in.

    The other sessions stop working (their auth hash no longer matches) and their rows are deleted,
    so the security page no longer lists them; this device keeps its place in the list. Every
    other browser stops getting the person's notifications.
    """
    devices_forget_except_session(user=user, session=request.session)
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


def account_delete(*, user: User, remove_couple_items: bool) -> bool:
    """Delete the person and everything that is theirs alone. All or nothing. True when it is
    done; False when the account is closed and its large parts (a big study's data) are left to
    the task runner (accounts/deletion.py), which deletes them and then the account.

    Private and partner-shared records go. Co-owned items stay in the former couple's archive,
    credited to "former partner", unless the person asked to remove them too. The sign-in
    lockout's records of the address go too, the emails sent to it before the account existed,
    the counters of the person's writes (data versions), and every device's session. Rows that
    name the person by a key go with the account by their ``on_delete``
    (tests/web/test_account_delete_leaves_nothing.py).
    """
    with transaction.atomic(), deleting_as(user):  # others' words on its items stay theirs
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
        lockout_records_forget(email=user.email)
        emails_to_address_forget(email=user.email)
        # Every device's session row names the account (its id and a hash of its password)
        # until it expires: it goes now, not in two weeks.
        devices = user.sign_ins.exclude(session_key="").values_list("session_key", flat=True)
        Session.objects.filter(session_key__in=list(devices)).delete()
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
        if deletes_in_the_background(user):
            account_close(user)
            return False
        pk = user.pk
        delete_keeping(user)
        # The person's write counters outlive their rows (whose deletion moved them once more).
        versions_forget_person(pk)
    return True


def lockout_records_forget(*, email: str) -> int:
    """Delete django-axes' records of sign-ins to this address: failed attempts (which pause
    sign-in), the failure log, and any access log written before it was turned off (settings).
    Each names the address as typed, in any case, with the IP address and browser."""
    return sum(
        model.objects.filter(username__iexact=email).delete()[0]
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


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


register_exporter("profile", _profile_rows, own_times=("date_joined",))
register_exporter("sign_ins", _sign_in_rows, own_times=("at",))
# Joining is the moment the invited partner accepted (for the one who invited, the partner's act)
# and leaving may have been the partner's act (they unpaired): both are days.
register_exporter("couples", _membership_rows)
