"""The export, as a person gets it: every kind of record made through its service or form, one zip
that holds every kind, and no secret of any kind in it (issue 10)."""

from __future__ import annotations

import io
import json
import zipfile

from django.test import Client
from django.urls import reverse

from tests.web.conftest import World
from tests.web.everything_world import alice_makes_everything

# Every field name the export may carry, across every file. A new field fails this test until
# someone looks at it and adds it here: secrets (session keys, password hashes, invitation,
# password-reset or submission tokens) must never be among them. Reviewed one by one: the sign-in
# address and browser are the person's own; nothing here opens an account or replays a form.
EXPORT_FIELDS = frozenset(
    {
        "answer",
        "checkin",
        "words",
        "answers",
        "at",
        "author",
        "autonomy",
        "between",
        "body",
        "boundary",
        "closed_at",
        "closeness",
        "completed_at",
        "completion_proposed_by",
        "confirmed_at",
        "connection",
        "context",
        "couple",
        "created_at",
        "cutoff_autonomy",
        "cutoff_connection",
        "date_joined",
        "day",
        "decision",
        "details",
        "display_name",
        "done",
        "due_on",
        "email",
        "email_everything",
        "email_when_asked",
        "emailed_at",
        "energy",
        "feeling",
        "feeling_now",
        "gave_support",
        "goal",
        "helped",
        "id",
        "importance",
        "instrument_key",
        "instrument_version",
        "ip_address",
        "joined_at",
        "journal_line",
        "kind",
        "landed",
        "landed_at",
        "landed_note",
        "left_at",
        "life_satisfaction",
        "link",
        "marked_at",
        "me_minutes",
        "message",
        "minutes",
        "moment",
        "mood",
        "need",
        "needs_answer",
        "next_step",
        "next_step_agreed_at",
        "next_step_by",
        "note",
        "offer",
        "outcome",
        "outcome_note",
        "partner_view",
        "percent",
        "parameters_version",
        "plausible_regions",
        "preference",
        "progress",
        "promise",
        "question",
        "reaction",
        "read_at",
        "reasons",
        "recipient",
        "recorded_at",
        "recorded_by",
        "region",
        "relationship_satisfaction",
        "reminder_email",
        "reminder_time",
        "reminders_not_delivered",
        "reminders_sent",
        "repair",
        "request",
        "responded_at",
        "responder",
        "retired_at",
        "role",
        "round",
        "se_autonomy",
        "se_connection",
        "share_closeness",
        "share_energy",
        "share_helped",
        "share_mood",
        "share_note",
        "share_reflection",
        "share_stress",
        "share_support",
        "share_time",
        "skipped",
        "slot",
        "sought_support",
        "status",
        "stress",
        "subscale_scores",
        "taken_on",
        "taking",
        "text",
        "time_zone",
        "title",
        "topic",
        "twice_daily",
        "updated_at",
        "user",
        "user_agent",
        "version",
        "visibility",
        "we_minutes",
        "week_start",
        "what",
        "what_helps",
        "when",
        "why",
        "written_at",
        "written_on",
        # later kinds: memories, plans, notification devices, preferences and emails
        "answered_at",
        "happened_on",
        "label",
        "last_success_at",
        "memory",
        "minutes_together",
        "photo",
        "photo_by",
        "photo_height",
        "photo_width",
        "plan",
        "when_date",
        "when_text",
        "subject",
        "sent_at",
        "quiet_start",
        "quiet_end",
        "push_when_asked",
        "reminders_paused_until",
        "payload",
        # professionals' access
        "expires_at",
        "granted_at",
        "partner",
        "scopes",
        # research: the participant's consents, prompts, their log and answers
        "beep",
        "closes_at",
        "consent_version",
        "consented_at",
        "detail",
        "enrolment",
        "expired_at",
        "first_day",
        "from_state",
        "local_date",
        "local_time",
        "logged_at",
        "opened_at",
        "participant",
        "person_code",
        "prompt",
        "reason",
        "reminded_at",
        "scheduled_at",
        "seed",
        "state",
        "study",
        "submitted_at",
        "to_state",
        "withdrawal_choice",
        "withdrawn_at",
    }
)


# Kinds this world does not make yet (their flow landed as this test did): to be added, not kept.
NOT_YET_MADE = frozenset({"professional_access_log"})
# Kinds only a professional makes: Alice is not one (test_professionals exports them).
NOT_ALICES = frozenset({"professional_profile", "professional_notes"})


def _export(client: Client) -> dict[str, list[dict[str, object]]]:
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200, response.status_code
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        return {name: json.loads(archive.read(f"{name}.json")) for name in manifest["files"]}


def test_export_of_someone_who_used_every_practice_is_a_zip_holding_every_kind(
    world: World,
) -> None:
    client = alice_makes_everything(world)
    sections = _export(client)
    empty = sorted(
        name
        for name, rows in sections.items()
        if not rows and name not in NOT_YET_MADE | NOT_ALICES
    )
    assert not empty, f"the export holds no {empty}; the world should make every kind"


def test_export_carries_no_secret_only_allow_listed_fields(world: World) -> None:
    client = alice_makes_everything(world)
    session_key = client.session.session_key
    sections = _export(client)
    fields = {key for rows in sections.values() for row in rows for key in row}
    unreviewed = sorted(fields - EXPORT_FIELDS)
    assert not unreviewed, f"fields nobody reviewed for secrets: {unreviewed}"
    text = json.dumps(sections)
    assert session_key and session_key not in text
    assert world.alice.password not in text
