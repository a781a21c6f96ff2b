"""Forms for research mode: the researcher's profile and study, consent, answering, withdrawing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from counterpoint.form_words import EMPTY, NOT_A_CHOICE, choice_words
from counterpoint.research import schedules
from counterpoint.research.measures import TEXT_MAX, ItemSpec, MeasureError, check_items
from counterpoint.research.models import Item, Participant, Study
from counterpoint.unused_fields import ClearsUnusedFields, used_when

KINDS = [
    ("fixed", _("Fixed times every day")),
    ("random", _("Random times inside a daily window")),
    ("every_n_days", _("Every few days")),
    ("diary", _("An end-of-day diary")),
]


class ProfileForm(forms.Form):
    name = forms.CharField(
        label=_("Your name as participants see it"),
        max_length=120,
        error_messages={"required": EMPTY},
    )
    institution = forms.CharField(
        label=_("University or organisation"), max_length=160, error_messages={"required": EMPTY}
    )
    contact = forms.CharField(
        label=_("How participants reach you (email)"),
        max_length=160,
        error_messages={"required": EMPTY},
    )


def parse_items(text: str) -> list[ItemSpec]:
    """One item a line: ``name | kind | question | ends or choices``.

    ``mood | checkin`` asks the check-in's mood item; ``calm | scale | How calm are you? | not at
    all / very`` a 0–10 scale; ``place | choice | Where are you? | home; work; elsewhere`` a choice
    (coded 1, 2, 3); ``note | text | Anything to add?`` a short text."""
    specs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2:
            raise MeasureError(
                f"Line {number}: write at least a name and a kind, e.g. “mood | checkin”."
            )
        name, kind = parts[0].lower(), parts[1].lower()
        label = parts[2] if len(parts) > 2 else ""
        extra = parts[3] if len(parts) > 3 else ""
        if kind == "choice":
            specs.append(ItemSpec(name, kind, label, choices=tuple(extra.split(";"))))
        elif kind == "scale":
            low, _sep, high = extra.partition("/")
            specs.append(ItemSpec(name, kind, label, low.strip(), high.strip()))
        else:
            specs.append(ItemSpec(name, kind, label))
    return check_items(specs)


def items_as_text(items: list[Item]) -> str:
    lines = []
    for item in items:
        if item.kind == Item.Kind.CHECKIN:
            lines.append(f"{item.name} | checkin")
        elif item.kind == Item.Kind.CHOICE:
            lines.append(f"{item.name} | choice | {item.label} | {'; '.join(item.choices)}")
        elif item.kind == Item.Kind.SCALE:
            ends = (
                f" | {item.low_label} / {item.high_label}"
                if item.low_label or item.high_label
                else ""
            )
            lines.append(f"{item.name} | scale | {item.label}{ends}")
        else:
            lines.append(f"{item.name} | text | {item.label}")
    return "\n".join(lines)


# The form's field for each part of a stored schedule (schedules.parse), for its messages.
SCHEDULE_FIELDS = {
    "times": "times",
    "count": "count",
    "start": "window_start",
    "end": "window_end",
    "min_gap": "min_gap",
    "every": "every",
    "time": "time",
}


class StudyForm(ClearsUnusedFields, forms.Form):
    # Each kind of schedule reads only its own fields; the others are cleared before validation.
    fields_used_when = {
        "times": used_when("schedule_kind", "fixed"),
        "count": used_when("schedule_kind", "random"),
        "window_start": used_when("schedule_kind", "random"),
        "window_end": used_when("schedule_kind", "random"),
        "min_gap": used_when("schedule_kind", "random"),
        "every": used_when("schedule_kind", "every_n_days"),
        "time": used_when("schedule_kind", "every_n_days", "diary"),
    }

    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("What the study is about (participants read this before consenting)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    consent_text = forms.CharField(
        label=_("Consent text"),
        help_text=_(
            "Say what happens to a participant's answers if they leave (they choose: keep or "
            "delete). Changing this text later makes a new version; each consent records its "
            "version."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
    )
    items = forms.CharField(
        label=_("Measures, one a line: name | kind | question | ends or choices"),
        help_text=_(
            "Kinds: checkin (mood, energy, stress or closeness, asked as in the check-in), "
            "scale (0–10; ends like “not at all / very”), choice (choices separated by ;), "
            "text (a short answer). The name is the column in the export."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    schedule_kind = forms.ChoiceField(
        label=_("Schedule"), choices=KINDS, error_messages=choice_words(_("Choose a schedule."))
    )
    times = forms.CharField(
        label=_("Fixed times (HH:MM, separated by commas)"), required=False, max_length=200
    )
    count = forms.IntegerField(label=_("Random prompts a day"), required=False, min_value=1)
    window_start = forms.CharField(label=_("Daily window from (HH:MM)"), required=False)
    window_end = forms.CharField(label=_("Daily window until (HH:MM)"), required=False)
    min_gap = forms.IntegerField(
        label=_("At least this many minutes apart"), required=False, min_value=0
    )
    every = forms.IntegerField(label=_("Every how many days"), required=False, min_value=1)
    time = forms.CharField(label=_("Time (HH:MM) for every-few-days or the diary"), required=False)
    duration_days = forms.IntegerField(label=_("Duration in days"), min_value=1, max_value=366)
    window_minutes = forms.IntegerField(
        label=_("Response window (minutes)"), min_value=1, max_value=24 * 60, initial=30
    )
    grace_minutes = forms.IntegerField(
        label=_("Grace period for a form opened in time (minutes)"),
        min_value=0,
        max_value=120,
        initial=5,
    )
    reminder_minutes = forms.IntegerField(
        label=_("Reminder after (minutes into the window; empty for none)"),
        required=False,
        min_value=1,
    )
    compliance_threshold = forms.IntegerField(
        label=_("Compliance threshold (% of prompts answered; couples below are flagged)"),
        min_value=0,
        max_value=100,
        initial=80,
    )

    def clean_items(self) -> list[ItemSpec]:
        try:
            return parse_items(self.cleaned_data["items"])
        except MeasureError as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("schedule_kind")
        raw: dict[str, Any] = {"kind": kind}
        if kind == "fixed":
            raw["times"] = data.get("times") or ""
        elif kind == "random":
            raw.update(
                count=data.get("count"),
                start=data.get("window_start"),
                end=data.get("window_end"),
                min_gap=data.get("min_gap") if data.get("min_gap") is not None else 0,
            )
        elif kind == "every_n_days":
            raw.update(every=data.get("every"), time=data.get("time"))
        else:
            raw["time"] = data.get("time")
        if self.has_error("schedule_kind"):
            return data
        try:
            data["schedule"] = schedules.as_json(schedules.parse(raw))
        except schedules.ScheduleError as exc:
            field = SCHEDULE_FIELDS.get(exc.key, "schedule_kind")
            if not self.has_error(field):  # its own message already says what is wrong
                self.add_error(field, str(exc))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "description": d["description"],
            "consent_text": d["consent_text"],
            "items": d["items"],
            "schedule": d["schedule"],
            "duration_days": d["duration_days"],
            "window_minutes": d["window_minutes"],
            "grace_minutes": d["grace_minutes"],
            "reminder_minutes": d.get("reminder_minutes"),
            "compliance_threshold": d["compliance_threshold"] / 100,
        }

    @classmethod
    def initial_for(cls, study: Study) -> dict[str, Any]:
        sched = study.schedule
        consent = study.current_consent()
        return {
            "title": study.title,
            "description": study.description,
            "consent_text": consent.text if consent else "",
            "items": items_as_text(list(study.items.all())),
            "schedule_kind": sched.get("kind"),
            "times": ", ".join(sched.get("times", [])),
            "count": sched.get("count"),
            "window_start": sched.get("start"),
            "window_end": sched.get("end"),
            "min_gap": sched.get("min_gap"),
            "every": sched.get("every"),
            "time": sched.get("time"),
            "duration_days": study.duration_days,
            "window_minutes": study.window_minutes,
            "grace_minutes": study.grace_minutes,
            "reminder_minutes": study.reminder_minutes,
            "compliance_threshold": round(study.compliance_threshold * 100),
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=Study.Status.choices,
        error_messages=choice_words(_("Choose the study's new status.")),
    )


class ConsentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agree = forms.BooleanField(
        label=_("I have read this and agree to take part. I know I can leave at any time."),
    )


class WithdrawForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("What should happen to what you have answered?"),
        choices=Participant.Withdrawal.choices,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose what should happen to your answers.")),
    )


def answer_form(items: list[Item], data: Any = None) -> forms.Form:
    """A form with one field per item of the study (every answer optional)."""
    form = forms.Form(data)
    for item in items:
        if item.kind in (Item.Kind.SCALE, Item.Kind.CHECKIN):
            low, high = item.scale_range or (0, 10)
            form.fields[item.name] = forms.TypedChoiceField(
                label=item.label,
                choices=[(str(v), str(v)) for v in range(low, high + 1)],
                coerce=int,
                required=False,
                empty_value=None,
                error_messages={"invalid_choice": NOT_A_CHOICE},
            )
        elif item.kind == Item.Kind.CHOICE:
            form.fields[item.name] = forms.TypedChoiceField(
                label=item.label,
                choices=[(str(i), c) for i, c in enumerate(item.choices, start=1)],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": NOT_A_CHOICE},
            )
        else:
            form.fields[item.name] = forms.CharField(
                label=item.label,
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
    return form
