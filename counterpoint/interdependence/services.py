"""Taking the questionnaire, scoring it, and sharing a position."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send
from counterpoint.couples.selectors import partner_of
from counterpoint.interdependence import instruments, selectors
from counterpoint.interdependence.models import Position, Taking
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.science.instrument import Instrument, InstrumentError


def _clean(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, int]:
    """Answers as whole numbers; raises InstrumentError for anything off the scale."""
    _missing, invalid = instrument.check_answers(answers)
    if invalid:
        raise InstrumentError(
            f"answers out of range ({instrument.scale_min}–{instrument.scale_max}) or unknown: {invalid}"
        )
    return {k: int(float(v)) for k, v in answers.items() if v not in (None, "")}  # type: ignore[arg-type]


@transaction.atomic
def taking_save_draft(
    *, user: User, instrument: Instrument, answers: Mapping[str, object]
) -> Taking:
    """Keep what has been answered so far; nothing is scored."""
    clean = _clean(instrument, answers)
    draft = selectors.draft_for(user, instrument)
    if draft is None:
        draft = Taking(instrument_key=instrument.key, instrument_version=instrument.version)
        access.stamp_new_record(user, draft)
    draft.visibility = Visibility.PRIVATE
    draft.answers = clean
    draft.save()
    return draft


@transaction.atomic
def taking_submit(
    *, user: User, instrument: Instrument, answers: Mapping[str, object], share: bool = False
) -> Position:
    """Score a complete questionnaire. Raises InstrumentError when anything is unanswered or off
    the scale (the caller keeps a partial one as a draft)."""
    clean = _clean(instrument, answers)
    missing, _invalid = instrument.check_answers(clean)
    if missing:
        raise InstrumentError(f"{len(missing)} items unanswered; a partial form is not scored")
    taking = selectors.draft_for(user, instrument)
    if taking is None:
        taking = Taking(instrument_key=instrument.key, instrument_version=instrument.version)
        access.stamp_new_record(user, taking)
    taking.visibility = Visibility.PRIVATE
    taking.answers = clean
    taking.status = Taking.Status.COMPLETE
    taking.completed_at = timezone.now()
    taking.save()
    # Only published, versioned reference parameters: never other people's answers here.
    parameters = instruments.reference_parameters(instrument)
    score = instrument.score(clean, reliability=parameters.scales)
    taking.subscale_scores = {
        key: {"score": s.score, "se": s.se} for key, s in score.subscales.items()
    }
    taking.save(update_fields=["subscale_scores"])
    position = Position(
        taking=taking,
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        taken_on=user.local_today(),
        connection=score.position.connection,
        autonomy=score.position.autonomy,
        se_connection=score.position.se_connection,
        se_autonomy=score.position.se_autonomy,
        cutoff_connection=instrument.cutoffs[0],
        cutoff_autonomy=instrument.cutoffs[1],
        region=score.decision.region,
        between=score.decision.between,
        plausible_regions=list(score.decision.plausible),
        parameters_version=parameters.version,
        visibility=Visibility.PARTNER if share else Visibility.PRIVATE,
    )
    access.stamp_new_record(user, position)
    position.save()
    if position.visibility == Visibility.PARTNER:
        _announce(user, position)
    return position


@transaction.atomic
def position_share(*, user: User, position: Position, share: bool) -> Position:
    """Share a position with the partner, or take it back. Only its author may (checked by the
    caller with ``get_own_or_404``); the item answers are never shared."""
    was_shared = position.visibility == Visibility.PARTNER
    position.visibility = Visibility.PARTNER if share else Visibility.PRIVATE
    access.stamp_visibility(user, position)
    position.save(update_fields=["visibility", "couple", "updated_at"])
    if position.visibility == Visibility.PARTNER and not was_shared:
        _announce(user, position)
    return position


def _announce(user: User, position: Position) -> None:
    partner = partner_of(user)
    if partner is None:
        return
    notice_send(
        recipient=partner,
        kind="map_shared",
        message=_("%(name)s shared their place on the map with you.") % {"name": user.display_name},
        link=reverse("interdependence:couple"),
        about=position,
    )
