"""Daily check-ins, the daily question, the weekly reflection and each person's check-in settings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from counterpoint.numbers import RandomlyNumbered
from counterpoint.privacy.models import PersonalRecord
from counterpoint.submissions import SubmittedRecord

SCALE_MIN, SCALE_MAX = 0, 10  # mood, energy, stress, weekly satisfaction
CLOSENESS_MIN, CLOSENESS_MAX = 1, 7  # the seven Inclusion-of-Other-in-Self pictures
MINUTES_MAX = 24 * 60
NOTE_MAX = 500
JOURNAL_MAX = 500
ANSWER_MAX = 1000


class Slot(models.IntegerChoices):
    """Which check-in of the day: one a day by default; couples may choose morning and evening."""

    DAY = 0, _("Today")
    EVENING = 1, _("Evening")


class SoughtSupport(models.TextChoices):
    """Whether the person reached out; the empty string (not a choice) means "not answered"."""

    NO = "no", _("I didn't reach out")
    HELPED = "helped", _("I reached out, and it helped")
    PARTLY = "partly", _("I reached out, and it helped a little")
    NOT_REALLY = "not_really", _("I reached out, and it didn't really help")


class CheckIn(SubmittedRecord):
    """One person's check-in for one local day (and slot).

    The row is shared with the partner (visibility "partner") but which fields the partner sees is
    decided per field by the author's :class:`CheckInSettings`, in ``checkins.selectors``; the journal
    line is never shown to anyone but its author. Every answer is optional: None (or "" for the
    support answer) means "not answered", never a made-up middle value.
    """

    day = models.DateField(_("day"))
    slot = models.PositiveSmallIntegerField(choices=Slot.choices, default=Slot.DAY)
    mood = models.PositiveSmallIntegerField(_("mood"), null=True, blank=True)
    energy = models.PositiveSmallIntegerField(_("energy"), null=True, blank=True)
    stress = models.PositiveSmallIntegerField(_("stress"), null=True, blank=True)
    closeness = models.PositiveSmallIntegerField(_("closeness"), null=True, blank=True)
    sought_support = models.CharField(
        max_length=12, choices=SoughtSupport.choices, blank=True, default=""
    )
    gave_support = models.BooleanField(_("I supported my partner"), default=False)
    me_minutes = models.PositiveIntegerField(_("me-time (minutes)"), null=True, blank=True)
    we_minutes = models.PositiveIntegerField(_("we-time (minutes)"), null=True, blank=True)
    note = models.CharField(_("note to my partner"), max_length=NOTE_MAX, blank=True)
    journal_line = models.CharField(_("private journal line"), max_length=JOURNAL_MAX, blank=True)

    class Meta(SubmittedRecord.Meta):
        ordering = ["-day", "-slot"]
        constraints = [
            *SubmittedRecord.Meta.constraints,
            models.UniqueConstraint(fields=["author", "day", "slot"], name="one_checkin_per_slot"),
            models.CheckConstraint(
                condition=models.Q(mood__lte=SCALE_MAX)
                & models.Q(energy__lte=SCALE_MAX)
                & models.Q(stress__lte=SCALE_MAX)
                & models.Q(closeness__gte=CLOSENESS_MIN, closeness__lte=CLOSENESS_MAX)
                & models.Q(me_minutes__lte=MINUTES_MAX, we_minutes__lte=MINUTES_MAX),
                name="checkin_values_in_range",
            ),
        ]
        indexes = [models.Index(fields=["couple", "day"])]

    def __str__(self) -> str:
        return f"check-in {self.day}"

    @property
    def reached_out(self) -> bool:
        return self.sought_support not in ("", SoughtSupport.NO)


class DailyQuestion(RandomlyNumbered):
    """The question a couple is asked on one day (both partners get the same one)."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    question_key = models.CharField(max_length=40)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["couple", "day"], name="one_question_per_couple_day")
        ]

    def __str__(self) -> str:
        return f"{self.question_key} on {self.day}"


class QuestionAnswer(PersonalRecord):
    """One partner's answer (or skip) to a daily question; hidden from the partner until both answered."""

    question = models.ForeignKey(DailyQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("your answer"), max_length=ANSWER_MAX, blank=True)
    skipped = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["question", "author"], name="one_answer_per_person")
        ]

    def __str__(self) -> str:
        return "skipped" if self.skipped else self.text[:40]


class WeeklyReflection(PersonalRecord):
    """Life and relationship satisfaction for one week (weeks start on Monday)."""

    week_start = models.DateField()
    life_satisfaction = models.PositiveSmallIntegerField(_("life satisfaction"))
    relationship_satisfaction = models.PositiveSmallIntegerField(_("relationship satisfaction"))
    helped = models.TextField(_("what helped this week"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "week_start"], name="one_reflection_per_week"
            ),
            models.CheckConstraint(
                condition=models.Q(life_satisfaction__lte=SCALE_MAX)
                & models.Q(relationship_satisfaction__lte=SCALE_MAX),
                name="reflection_values_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"week of {self.week_start}"


# Fields of check-ins and reflections whose sharing each person controls (the journal line is
# not here: it is private, always).
SHAREABLE_FIELDS: dict[str, str] = {
    "share_mood": "mood",
    "share_energy": "energy",
    "share_stress": "stress",
    "share_closeness": "closeness",
    "share_support": "support",
    "share_time": "me/we time",
    "share_note": "note",
    "share_reflection": "weekly ratings",
    "share_helped": "what helped",
}


class CheckInSettings(RandomlyNumbered):
    """What a person shares from their check-ins, and when they want a reminder."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_settings"
    )
    share_mood = models.BooleanField(_("Mood"), default=True)
    share_energy = models.BooleanField(_("Energy"), default=True)
    share_stress = models.BooleanField(_("Stress"), default=True)
    share_closeness = models.BooleanField(_("Closeness"), default=True)
    share_support = models.BooleanField(_("Support (reaching out and giving)"), default=True)
    share_time = models.BooleanField(_("Me-time and we-time"), default=True)
    share_note = models.BooleanField(_("Note to my partner"), default=True)
    share_reflection = models.BooleanField(_("Weekly satisfaction ratings"), default=True)
    share_helped = models.BooleanField(_("Weekly \u201cwhat helped\u201d"), default=True)
    twice_daily = models.BooleanField(
        _("Check in twice a day (morning and evening)"), default=False
    )
    reminder_time = models.TimeField(_("Remind me at"), null=True, blank=True)
    reminder_email = models.BooleanField(
        _("Also send the reminder by email when a device gets it"), default=False
    )

    def __str__(self) -> str:
        return f"check-in settings of {self.user_id}"


class ReminderSent(RandomlyNumbered):
    """The reminder for one person's local day: the unique row makes sending idempotent, and its
    status says whether it reached them. It is "queued" until a push service or the mail server
    took it ("sent"), and "failed" when every channel gave up: never "sent" before that."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)  # when it was queued
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    email = models.ForeignKey(
        "notify.OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    push_devices = models.PositiveSmallIntegerField(default=0)
    failed_channels = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_reminder_per_day")]

    def __str__(self) -> str:
        return f"reminder for {self.day}"


def week_start_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class ReactionKind(models.TextChoices):
    LOVE = "love", _("Love this")
    HUG = "hug", _("Sending a hug")
    SMILE = "smile", _("Made me smile")
    THANKS = "thanks", _("Thank you")


REACTION_SYMBOLS = {"love": "❤", "hug": "🤗", "smile": "😊", "thanks": "🙏"}
REACTION_WORDS_MAX = 200


class Reaction(PersonalRecord):
    """A small reply to the partner's revealed answer or shared note: one per person and item
    (giving another replaces it). Shared with the partner; only what the reactor may read can be
    reacted to, so nothing private ever has a reaction."""

    answer = models.ForeignKey(
        QuestionAnswer, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    words = models.CharField(_("a few words (optional)"), max_length=REACTION_WORDS_MAX, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["author", "answer"], name="one_reaction_per_answer"),
            models.UniqueConstraint(fields=["author", "checkin"], name="one_reaction_per_note"),
            models.CheckConstraint(
                condition=models.Q(answer__isnull=False, checkin__isnull=True)
                | models.Q(answer__isnull=True, checkin__isnull=False),
                name="reaction_to_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reaction"

    @property
    def symbol(self) -> str:
        return REACTION_SYMBOLS.get(self.kind, "")
