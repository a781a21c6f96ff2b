from __future__ import annotations

from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "counterpoint.research"
    label = "research"

    def ready(self) -> None:
        from counterpoint.privacy.export import model_rows, register_exporter
        from counterpoint.research.models import Participant, Prompt, PromptEvent

        # Each participant's export: their consents and withdrawals, their prompts and the log of
        # each (their answers are personal records and are exported without registering).
        register_exporter(
            "study_participations",
            lambda user: model_rows(Participant.objects.filter(user=user)),
        )
        register_exporter(
            "study_prompts", lambda user: model_rows(Prompt.objects.filter(participant__user=user))
        )
        register_exporter(
            "study_prompt_log",
            lambda user: model_rows(PromptEvent.objects.filter(prompt__participant__user=user)),
        )
