"""The emergency reset: every protective step in one flow, announced to nobody but the owner."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest

from counterpoint.accounts.alerts import security_alert_send
from counterpoint.accounts.models import User
from counterpoint.accounts.passkeys import passkeys_remove_all
from counterpoint.accounts.services import sign_out_everywhere
from counterpoint.accounts.twofactor import two_factor_disable
from counterpoint.couples.selectors import active_couple
from counterpoint.notify.models import PushSubscription
from counterpoint.pairing.services import couple_unpair, invite_revoke
from counterpoint.safety.sharing import sharing_stop_all


def professional_access_revoke(*, user: User) -> int:
    """End every professional's (therapist's, coach's) access to the person's couple at once:
    the emergency reset calls this in the same transaction."""
    from counterpoint.professionals.services import professional_access_end_for

    return professional_access_end_for(user=user)


def push_devices_forget(*, user: User) -> int:
    """Stop notifications to every browser that subscribed to this person's notifications: one
    may be someone else's (subscribed while they held the phone). The person subscribes again."""
    removed, _ = PushSubscription.objects.filter(user=user).delete()
    return removed


# Steps that end someone else's access; the emergency reset runs each one. Extend this list when a
# new way to reach a person's data is added (professional access, linked devices, ...).
ACCESS_REVOKERS: list[Callable[..., int]] = [professional_access_revoke, push_devices_forget]


def emergency_reset(
    *,
    request: HttpRequest,
    user: User,
    new_password: str,
    unpair: bool,
    remove_sign_in_methods: bool = True,
) -> None:
    """Stop sharing everything, end others' access, set a new password, sign out every other
    session and, if asked, remove passkeys and two-factor and unpair. All or nothing; only the
    unpairing is announced to the partner."""
    with transaction.atomic():
        sharing_stop_all(user=user)
        for revoke in ACCESS_REVOKERS:
            revoke(user=user)
        if remove_sign_in_methods:
            passkeys_remove_all(user=user)
            two_factor_disable(user=user)
        invite_revoke(inviter=user)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        sign_out_everywhere(request=request, user=user)  # keeps this session, ends the others
        if unpair and active_couple(user) is not None:
            couple_unpair(user=user)
        security_alert_send(user=user, event="password_changed")
