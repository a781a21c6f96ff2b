from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "counterpoint.research"
    label = "research"

    def ready(self) -> None:
        from counterpoint.operations import versions
        from counterpoint.privacy.export import model_rows, register_exporter
        from counterpoint.research.models import Participant, Prompt, Response

        # Each partner reads only their own participation (a consent is told to the other by a
        # notice; the enrolment is the couple's row), so leaving a study, or prompts moving
        # with a new time zone, tell the partner nothing. The researcher reads participations,
        # and participants the researcher's profile, on pages rendered afresh each time.
        # A study and its analyses are the researcher's work: their partner reads nothing of
        # them (participants' kept pages are moved by the services that change what they show,
        # ``study_update`` and ``study_set_status``), so a researcher who is someone's partner
        # does not end that partner's kept pages by working.
        versions.owner_only(
            "research.Participant",
            "research.ResearcherProfile",
            "research.Study",
            "research_runs.AnalysisRun",
        )

        # Each participant's export: their consents and withdrawals, their prompts and the log of
        # each (their answers are personal records and are exported without registering).
        # Every moment here is the person's own consent or answer, or the schedule of their own
        # prompts: exact; but a move of the log that followed someone else's act (the partner's
        # consent enrolling the couple, an unpairing) is given by the day (``_prompt_log_rows``).
        register_exporter(
            "study_participations",
            lambda user: model_rows(Participant.objects.filter(user=user)),
            own_times=("consented_at", "withdrawn_at"),
        )
        register_exporter(
            "study_prompts",
            lambda user: model_rows(Prompt.objects.filter(participant__user=user)),
            own_times=(
                "scheduled_at",
                "closes_at",
                "sent_at",
                "reminded_at",
                "opened_at",
                "submitted_at",
                "expired_at",
            ),
        )
        register_exporter("study_prompt_log", _prompt_log_rows, own_times=("at", "logged_at"))

        # A study goes only with its researcher's account. Each participant's consents, prompts,
        # log and answers are theirs (their export shows them): they stay theirs, as their export
        # showed them (privacy.kept), and the study's end is told them (``_account_deleted``).
        from counterpoint.privacy.export import record_section
        from counterpoint.privacy.kept import keep_on_delete
        from counterpoint.research.models import PromptEvent

        keep_on_delete(
            Participant,
            section="study_participations",
            owner="user",
            order=("study", "enrolment", "role"),
        )
        keep_on_delete(
            Prompt, section="study_prompts", order=("scheduled_at", "id"), rows_for=_prompt_kept
        )
        keep_on_delete(
            PromptEvent,
            section="study_prompt_log",
            order=("at", "logged_at", "id"),
            rows_for=_prompt_event_kept,
        )
        keep_on_delete(
            Response, section=record_section(Response), owner="author", order=("created_at", "id")
        )
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        pre_delete.connect(
            _account_deleted, sender=get_user_model(), dispatch_uid="research_account_deleted"
        )

        # A researcher's studies can be too large to delete in one request: then the account is
        # closed at once and the task runner deletes them a few couples at a time.
        from counterpoint.accounts.deletion import LargePart, large_part
        from counterpoint.research import services

        large_part(
            LargePart(
                name="studies",
                size=services.studies_size,
                begin=services.studies_stop,
                batches=services.studies_batches,
            )
        )

        # An analysis holds numbers made from the answers it read (each couple's estimates, the
        # pooled ones). When answers are deleted, however that happens (leaving with "delete",
        # deleting one's account, which leaves no record of having left), every analysis of
        # their study made until then goes with them; the researcher can run it again.
        from django.db.models.signals import post_delete

        post_delete.connect(
            _answers_deleted, sender=Response, dispatch_uid="research_answers_deleted"
        )


def _prompt_log_rows(user: Any) -> list[dict[str, Any]]:
    """The log of the person's prompts. A move that followed someone else's act happened at a
    moment that may be the partner's (when he consented, when he unpaired): its times become the
    day they fell on, in the person's time zone, as the pages give the partner's acts."""
    from counterpoint.privacy.export import model_rows
    from counterpoint.research.models import PromptEvent

    zone = user.tzinfo
    rows = model_rows(PromptEvent.objects.filter(prompt__participant__user=user))
    return [_log_row(row, zone) for row in rows]


def _log_row(row: dict[str, Any], zone: Any) -> dict[str, Any]:
    from counterpoint.research.models import REASONS_TIMED_BY_OTHERS

    if row["reason"] in REASONS_TIMED_BY_OTHERS:
        for name in ("at", "logged_at"):
            row[name] = row[name].astimezone(zone).date()
    return row


def _prompt_kept(prompts: list[Any]) -> list[tuple[int | None, dict[str, Any]]]:
    from counterpoint.privacy.export import model_rows

    people = _people_of({p.participant_id for p in prompts})
    return [
        (people[p.participant_id].pk, row)
        for p, row in zip(prompts, model_rows(prompts), strict=True)
    ]


def _prompt_event_kept(events: list[Any]) -> list[tuple[int | None, dict[str, Any]]]:
    from counterpoint.privacy.export import model_rows
    from counterpoint.research.models import Prompt

    participant_of = dict(
        Prompt.objects.filter(pk__in={e.prompt_id for e in events}).values_list(
            "pk", "participant_id"
        )
    )
    people = _people_of(set(participant_of.values()))
    kept: list[tuple[int | None, dict[str, Any]]] = []
    for event, row in zip(events, model_rows(events), strict=True):
        person = people[participant_of[event.prompt_id]]
        kept.append((person.pk, _log_row(row, person.tzinfo)))
    return kept


def _people_of(participants: set[Any]) -> dict[Any, Any]:
    """The person each participant is, by the participant's key."""
    from counterpoint.research.models import Participant

    return {
        p.pk: p.user for p in Participant.objects.filter(pk__in=participants).select_related("user")
    }


def _account_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from counterpoint.research.services import studies_end_with_researcher

    studies_end_with_researcher(researcher=instance)


def _answers_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from counterpoint.privacy.kept import once_per_deletion
    from counterpoint.research.runs.models import AnalysisRun

    if once_per_deletion(("analyses of", AnalysisRun, instance.study_id)):
        AnalysisRun.objects.filter(study_id=instance.study_id).delete()
