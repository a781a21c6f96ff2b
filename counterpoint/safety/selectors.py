"""What a person's partner can see of them right now, kind by kind (read for the owner only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Model, QuerySet
from django.utils.translation import gettext_lazy as _

from counterpoint.accounts.models import User
from counterpoint.checkins.models import CheckInSettings
from counterpoint.checkins.selectors import settings_for
from counterpoint.couples.models import Couple
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.privacy.access import personal_record_models
from counterpoint.privacy.models import Visibility
from counterpoint.professionals.models import Scope, SessionTopic
from counterpoint.professionals.selectors import link_states, links_for_partner
from counterpoint.research.models import Response
from counterpoint.research.selectors import participations
from counterpoint.safety.items import item_related, item_words

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Each kind of personal record, in the order the page lists them. A kind missing here still
# appears (under its model's name) and is still covered by "stop sharing everything".
KIND_LABELS: dict[str, StrOrPromise] = {
    "checkins.CheckIn": _("Daily check-ins"),
    "checkins.WeeklyReflection": _("Weekly reflections"),
    "checkins.QuestionAnswer": _("Answers to the daily question"),
    "checkins.Reaction": _("Your reactions to what your partner revealed or shared"),
    "journal.JournalEntry": _("Journal entries"),
    "goals.Goal": _("Goals"),
    "goals.GoalProgress": _("Progress notes on goals"),
    "goals.Encouragement": _("Encouragements you gave"),
    "boundaries.Boundary": _("Boundaries"),
    "boundaries.BoundaryEvent": _("Boundary notes"),
    "commitments.Commitment": _("Commitments"),
    "support.SupportRequest": _("Support requests"),
    "support.SupportResponse": _("Your answers to support requests"),
    "moments.Moment": _("Wins and struggles"),
    "decisions.Decision": _("Decisions"),
    "repair.Repair": _("Repair after conflict"),
    "timebalance.TimeBlock": _("Me-time and we-time blocks"),
    "plans.Plan": _("Plans (shared, and your own someday list)"),
    "plans.Memory": _("Memories"),
    "interdependence.Position": _("Interdependence map results"),
    "interdependence.Taking": _("Questionnaire answers"),
    "research.Response": _("Answers to study questions"),
}
ITEMS_SHOWN = 20


@dataclass(frozen=True)
class KindShare:
    """One kind of record: what of it the partner can see now."""

    label: str
    shared: list[str] = field(default_factory=list)  # the person's own, shared with the partner
    shared_count: int = 0
    co_owned: list[str] = field(default_factory=list)  # the couple's, both see and change them
    co_owned_count: int = 0

    @property
    def visible(self) -> bool:
        return bool(self.shared_count or self.co_owned_count)


@dataclass(frozen=True)
class ProfessionalAccess:
    """One professional linked to the couple: what they can see now, and what the person allowed."""

    name: str
    practice: str
    active: bool
    sees: list[str]  # the summaries both partners chose (empty unless access is active)
    topics_you_brought: int  # things the person wrote for the next session (read while active)
    you_allowed: list[str]
    you_allowed_until: dt.datetime | None


@dataclass(frozen=True)
class StudyAccess:
    """One study the person consented to: who runs it, what it collects, what it holds of theirs."""

    participation_pk: int
    title: str
    researcher: str
    collects: list[str]  # the study's items, as the person was asked them
    answers_held: int  # the person's answers the researcher can read now
    left: bool
    left_choice: str


@dataclass(frozen=True)
class WhoSeesWhat:
    partner: User | None
    checkin_fields: list[str]
    kinds: list[KindShare]
    professionals: list[ProfessionalAccess] = field(default_factory=list)
    studies: list[StudyAccess] = field(default_factory=list)

    @property
    def shares_anything(self) -> bool:
        return bool(self.checkin_fields) or any(k.shared_count for k in self.kinds)

    @property
    def professional_sees_anything(self) -> bool:
        return any(p.active for p in self.professionals)


def _kind_order(model: type[Model]) -> int:
    labels = list(KIND_LABELS)
    label = model._meta.label
    return labels.index(label) if label in labels else len(labels)


def _kind_share(user: User, couple: Couple, model: type[Model]) -> KindShare:
    manager = model._default_manager
    shared = manager.filter(author=user, visibility=Visibility.PARTNER, couple=couple)
    co_owned = manager.filter(visibility=Visibility.COUPLE, couple=couple)
    related = item_related(model._meta.label)

    def newest(items: QuerySet[Model]) -> list[str]:
        if related:  # with no names, select_related() would join every required relation
            items = items.select_related(*related)
        rows = items.order_by("-created_at")[:ITEMS_SHOWN]
        return [item_words(item) for item in rows]

    return KindShare(
        label=str(KIND_LABELS.get(model._meta.label, model._meta.verbose_name_plural)),
        shared=newest(shared),
        shared_count=shared.count(),
        co_owned=newest(co_owned),
        co_owned_count=co_owned.count(),
    )


def shared_checkin_fields(user: User) -> list[str]:
    """Labels of the check-in fields the person currently shares."""
    row = settings_for(user)
    return [
        str(f.verbose_name)
        for f in CheckInSettings._meta.fields
        if f.name.startswith("share_") and getattr(row, f.name)
    ]


def professional_access(user: User) -> list[ProfessionalAccess]:
    """Every professional linked to the person's couple (links not ended), and what each sees now.

    A professional sees only the summaries both partners chose, while both choices are current,
    plus what either partner brought for the next session (docs/professionals.md).
    """
    rows = []
    states = link_states(links_for_partner(user))
    brought = dict(
        SessionTopic.objects.filter(link__in=[s.link.pk for s in states], author=user)
        .order_by()
        .values("link")
        .annotate(n=Count("id"))
        .values_list("link", "n")
    )
    for state in states:
        link = state.link
        profile = getattr(link.professional, "professional_profile", None)
        mine = state.grant_of(user)
        labels = dict(Scope.choices)
        rows.append(
            ProfessionalAccess(
                name=profile.name if profile else str(_("A professional")),
                practice=profile.practice if profile else "",
                active=state.active,
                sees=state.scope_labels if state.active else [],
                topics_you_brought=brought.get(link.pk, 0),
                you_allowed=[str(labels[s]) for s in mine.scopes] if mine else [],
                you_allowed_until=mine.expires_at if mine else None,
            )
        )
    return rows


def study_access(user: User) -> list[StudyAccess]:
    """Every study the person consented to, with the researcher's name, the items it collects and
    how many of the person's answers its researcher can read (none after leaving with "delete").
    A study never reads the person's app data (docs/research.md)."""
    rows = []
    parts = list(
        participations(user)
        .select_related("study__researcher__researcher_profile")
        .prefetch_related("study__items")
    )
    held = dict(
        Response.objects.filter(author=user, study__in=[p.study_id for p in parts])
        .order_by()
        .values("study")
        .annotate(n=Count("id"))
        .values_list("study", "n")
    )
    for part in parts:
        study = part.study
        profile = getattr(study.researcher, "researcher_profile", None)
        rows.append(
            StudyAccess(
                participation_pk=part.pk,
                title=study.title,
                researcher=profile.name if profile else str(_("A researcher")),
                collects=[item.label for item in study.items.all()],
                answers_held=held.get(study.pk, 0),
                left=part.withdrawn_at is not None,
                left_choice=part.get_withdrawal_choice_display() if part.withdrawal_choice else "",
            )
        )
    return rows


def who_sees_what(user: User) -> WhoSeesWhat:
    """Everything the current partner, and any professional linked to the couple, can see of
    ``user``; nothing when there is no partner."""
    couple = active_couple(user)
    if couple is None:
        return WhoSeesWhat(partner=None, checkin_fields=[], kinds=[], studies=study_access(user))
    models = sorted(personal_record_models(), key=_kind_order)
    return WhoSeesWhat(
        partner=partner_of(user),
        checkin_fields=shared_checkin_fields(user),
        kinds=[_kind_share(user, couple, model) for model in models],
        professionals=professional_access(user),
        studies=study_access(user),
    )
