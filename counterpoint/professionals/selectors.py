"""Who may see what of a couple, as a professional. Built on the one access layer: every number a
professional sees comes from records one partner may read of the other (never a private value),
and only while both partners' grants are current (docs/professionals.md)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counterpoint.accounts.models import User
from counterpoint.couples.models import Couple, Membership
from counterpoint.couples.selectors import active_couple
from counterpoint.professionals.models import (
    AccessLogEntry,
    CareLink,
    Grant,
    ProfessionalNote,
    ProfessionalProfile,
    Scope,
    SessionTopic,
)

# The same views as the professional reads about them.
PROFESSIONAL_LABELS: dict[str, Any] = {
    Scope.CHECKIN_TRENDS: _("check-in trends (weekly averages of what they share)"),
    Scope.COREGULATION: _("how their moods and stress move together"),
    Scope.MAP: _("the interdependence-map positions they have shared"),
    Scope.PRACTICE_COUNTS: _("how often they use the practices (counts only)"),
}


@dataclass
class LinkState:
    link: CareLink
    members: list[User]
    grants: dict[int, Grant] = field(default_factory=dict)  # current grants by partner id
    active: bool = False
    scopes: list[str] = field(default_factory=list)  # what both granted, in Scope order

    def grant_of(self, user: User) -> Grant | None:
        return self.grants.get(user.pk)

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels[s]) for s in self.scopes]

    @property
    def professional_labels(self) -> list[str]:
        return [str(PROFESSIONAL_LABELS[s]) for s in self.scopes]

    @property
    def granted_by(self) -> list[tuple[User, Grant]]:
        """Each partner who granted access, with their grant, in the couple's order."""
        return [(m, self.grants[m.pk]) for m in self.members if m.pk in self.grants]

    @property
    def waiting_for(self) -> list[User]:
        return [m for m in self.members if m.pk not in self.grants]


def profile_of(user: User) -> ProfessionalProfile | None:
    if not user.is_authenticated:
        return None
    return ProfessionalProfile.objects.filter(user=user).first()


def _members(couple: Couple) -> list[User]:
    return _members_of([couple.pk]).get(couple.pk, [])


def _members_of(couples: Iterable[int]) -> dict[int, list[User]]:
    """The current members of each couple, in order: both partners join a couple at the same
    moment, then the one who has used Counterpoint longer comes first (numbers are drawn at
    random and order nothing)."""
    rows = Membership.objects.filter(
        couple_id__in=list(couples), left_at__isnull=True, user__isnull=False
    ).select_related("user")
    members: dict[int, list[User]] = defaultdict(list)
    for m in rows.order_by("joined_at", "user__date_joined", "user__email"):
        if m.user is not None:
            members[m.couple_id].append(m.user)
    return members


def link_state(link: CareLink, *, now: dt.datetime | None = None) -> LinkState:
    """Access starts only when every current member of a still-together couple has a current
    grant; it covers the views all of them granted."""
    return link_states([link], now=now)[0]


def link_states(links: Iterable[CareLink], *, now: dt.datetime | None = None) -> list[LinkState]:
    """:func:`link_state` of each link, with the members and grants of all of them read at once
    (a professional's many couples, a couple's several professionals)."""
    links = list(links)
    now = now or timezone.now()
    members = _members_of({link.couple_id for link in links if link.couple.is_active})
    grants: dict[int, list[Grant]] = defaultdict(list)
    for grant in Grant.objects.filter(link__in=[link.pk for link in links]):
        grants[grant.link_id].append(grant)
    states = []
    for link in links:
        people = members.get(link.couple_id, []) if link.couple.is_active else []
        ids = {p.pk for p in people}
        current = {
            g.partner_id: g for g in grants[link.pk] if g.partner_id in ids and g.is_current(now)
        }
        state = LinkState(link=link, members=people, grants=current)
        if link.ended_at is None and len(people) == 2 and len(current) == 2:
            granted = [set(g.scopes) for g in current.values()]
            common = set.intersection(*granted)
            state.scopes = [s for s in Scope.values if s in common]
            state.active = bool(state.scopes)
        states.append(state)
    return states


def grant_partner_view(grant: Grant | None) -> object:
    """What the other partner reads of one partner's grant: the views both chose (what the
    professional sees), while both choices are current. Not the views chosen beyond theirs, nor
    when the choice was made or renewed (``operations.versions.partner_view``)."""
    if grant is None:
        return None
    now = timezone.now()
    other = Grant.objects.filter(link_id=grant.link_id).exclude(partner_id=grant.partner_id)
    theirs = other.first()
    if theirs is None or not grant.is_current(now) or not theirs.is_current(now):
        return None
    common = [s for s in Scope.values if s in set(grant.scopes) & set(theirs.scopes)]
    return (grant.link_id, tuple(common)) if common else None


def links_for_partner(user: User) -> QuerySet[CareLink]:
    """The open links of the person's current couple (none when single)."""
    couple = active_couple(user)
    if couple is None:
        return CareLink.objects.none()
    return CareLink.objects.filter(couple=couple, ended_at__isnull=True).select_related(
        "professional__professional_profile", "couple"
    )


def partner_link_states(user: User) -> list[LinkState]:
    """The state of each open link of the person's couple, with each link's notes and topics
    read at once (``link.notes.all()``, ``link.topics.all()``)."""
    return link_states(
        links_for_partner(user).prefetch_related(
            "notes", Prefetch("topics", queryset=SessionTopic.objects.select_related("author"))
        )
    )


def link_for_partner_or_404(user: User, pk: int) -> CareLink:
    try:
        return links_for_partner(user).get(pk=pk)
    except (CareLink.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def links_for_professional(user: User) -> QuerySet[CareLink]:
    if not user.is_authenticated:
        return CareLink.objects.none()
    return CareLink.objects.filter(professional=user, ended_at__isnull=True).select_related(
        "couple"
    )


def professional_link_or_404(user: User, pk: int) -> LinkState:
    """A couple's page for its professional: only while access is active, else 404 — ended,
    revoked, expired, one partner only, or someone else's couple all look the same."""
    try:
        link = links_for_professional(user).get(pk=pk)
    except (CareLink.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    state = link_state(link)
    if not state.active:
        raise Http404
    return state


def notes_for(link: CareLink) -> QuerySet[ProfessionalNote]:
    return link.notes.all()


def topics_for(link: CareLink) -> QuerySet[SessionTopic]:
    return link.topics.select_related("author")


def access_log_for(link: CareLink) -> QuerySet[AccessLogEntry]:
    return link.log.all()


def log_for_partner(user: User) -> list[AccessLogEntry]:
    """Every professional view of the person's current couple (newest first)."""
    return list(
        AccessLogEntry.objects.filter(link__in=CareLink.objects.filter(couple=active_couple(user)))
        .select_related("link__professional__professional_profile")
        .order_by("-viewed_at")[:100]
    )
