"""A study's data as files: the long format, the actor–partner (pairwise) layout and the codebook.

The long format is the one table everything else reads (compliance, the analysis, the files):
one row per person per prompt, in this column order

    dyad, person, role, day, beep, occasion, local_time,
    scheduled, closes, sent, opened, submitted, expired, status, <items>

``dyad`` numbers the study's couples 1, 2, … in the order they enrolled; ``person`` is the dyad
number and the role (``"3A"``); ``role`` is ``A`` for the partner who consented first and ``B`` for
the other; ``day`` is the study day (1 = the couple's first day); ``beep`` the prompt's number
within its day (1, 2, …); ``occasion`` numbers the schedule's prompts across the study
(``(day − 1) × beeps a day + beep``), so both partners' prompts of one occasion share it and a gap
is a missed occasion (the engine's ``time`` column); ``local_time`` is the prompt's wall-clock time
in the participant's zone. The other times are UTC: ``closes`` is the end of the response window
(the grace period not included), and an empty cell means the prompt never got there. ``status`` is
where the prompt ended (see :data:`STATUSES`). Each item of the study's measures is one column,
named by its key, empty unless the prompt was submitted: scales as integers, choices as their
codes 1..k (the codebook names them), short texts as text.

The pure functions here take and return pandas DataFrames; :func:`study_long_frame` builds the
long table from the database.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from counterpoint.privacy.spreadsheet import spreadsheet_text

ID_COLUMNS = ("dyad", "person", "role", "day", "beep", "occasion", "local_time")
TIME_COLUMNS = ("scheduled", "closes", "sent", "opened", "submitted", "expired")
STATUSES = ("scheduled", "sent", "opened", "submitted", "expired", "cancelled")
LONG_COLUMNS = (*ID_COLUMNS, *TIME_COLUMNS, "status")

# What each fixed column means, for the codebook (our words; shown to researchers).
COLUMN_NOTES: dict[str, str] = {
    "dyad": "Couple number in this study: 1, 2, … in the order couples enrolled.",
    "person": "Participant: the dyad number followed by the role, e.g. 3A.",
    "role": "A for the partner who consented first, B for the other.",
    "day": "Study day: 1 is the couple's first day of prompts.",
    "beep": "The prompt's number within its day: 1, 2, …",
    "occasion": (
        "The schedule's prompt number across the study, (day - 1) x prompts a day + beep: both "
        "partners' prompts of one occasion share it, and a missing number is a missed occasion."
    ),
    "local_time": "The prompt's wall-clock time in the participant's own time zone (HH:MM).",
    "scheduled": "When the prompt was due (UTC).",
    "closes": "When the response window closed (UTC), the grace period not included.",
    "sent": "When the prompt was sent (UTC); empty if it never was.",
    "opened": "When the participant first opened the prompt (UTC); empty if never.",
    "submitted": "When the answers were submitted (UTC); empty if never.",
    "expired": "When the window closed unanswered (UTC); empty unless the status is expired.",
    "status": (
        "Where the prompt ended: scheduled (not yet sent), sent, opened (window still open), "
        "submitted, expired (the window closed unanswered), cancelled (stopped, e.g. by withdrawal)."
    ),
}

SCALE, CHOICE, TEXT = "scale", "choice", "text"


@dataclass(frozen=True)
class Item:
    """One measured item as the files describe it: its column, its question and its values."""

    key: str
    label: str
    kind: str  # SCALE, CHOICE or TEXT
    low: int | None = None
    high: int | None = None
    low_label: str = ""
    high_label: str = ""
    choices: tuple[str, ...] = field(default_factory=tuple)  # labels of the codes 1..k
    name: str = ""  # the answer's key as stored, when the column is named otherwise

    @property
    def stored(self) -> str:
        return self.name or self.key

    @property
    def numeric(self) -> bool:
        """Scales and choice codes are integers; texts are text."""
        return self.kind in (SCALE, CHOICE)


# -- the long table -----------------------------------------------------------------------------
def long_frame(rows: Iterable[Mapping[str, Any]], items: Sequence[Item]) -> pd.DataFrame:
    """The long table from one mapping per person per prompt (missing keys are empty cells).

    Rows come out sorted by dyad, occasion and role; times as UTC timestamps; scale items as
    nullable integers; choice and text items as strings.
    """
    clash = sorted({item.key for item in items} & set(LONG_COLUMNS))
    if clash:
        raise ValueError(f"item names that are export columns: {', '.join(clash)}")
    columns = [*LONG_COLUMNS, *(item.key for item in items)]
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    for col in ("dyad", "day", "beep", "occasion"):
        frame[col] = frame[col].astype("int64")
    for col in ("person", "role", "status", "local_time"):
        frame[col] = frame[col].astype("string")
    for col in TIME_COLUMNS:
        frame[col] = pd.to_datetime(frame[col], utc=True).astype("datetime64[us, UTC]")
    for item in items:
        if item.numeric:
            frame[item.key] = pd.to_numeric(frame[item.key]).astype("Int64")
        else:
            frame[item.key] = frame[item.key].astype("string")
    frame = frame.sort_values(["dyad", "occasion", "role"], kind="stable")
    return frame.reset_index(drop=True)


def pairwise_frame(long: pd.DataFrame, items: Sequence[Item]) -> pd.DataFrame:
    """The actor–partner layout: each person's row also carries the partner's answers.

    One row per person per occasion (as in the long table); the ids and times stay as they are,
    and every item ``X`` becomes ``X_A`` (this person's answer) and ``X_P`` (the partner's answer
    at the same occasion), plus ``status_P``. A person whose partner has no prompt at that
    occasion gets empty ``_P`` cells.
    """
    keys = [item.key for item in items]
    own = long.rename(columns={k: f"{k}_A" for k in keys})
    partner = long[["dyad", "occasion", "role", "status", *keys]].rename(
        columns={"status": "status_P", **{k: f"{k}_P" for k in keys}}
    )
    partner = partner.assign(role=partner["role"].map({"A": "B", "B": "A"}).astype("string"))
    merged = own.merge(partner, on=["dyad", "occasion", "role"], how="left", sort=False)
    order = [*LONG_COLUMNS, "status_P", *(f"{k}_{s}" for k in keys for s in ("A", "P"))]
    return merged.loc[:, order]


def person_rows(long: pd.DataFrame, person: str) -> pd.DataFrame:
    """One participant's own rows, without anyone else's (what a participant downloads)."""
    return long.loc[long["person"] == person].reset_index(drop=True)


# -- files --------------------------------------------------------------------------------------
def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            text = out[col].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
            out[col] = text.where(out[col].notna(), None)
        elif isinstance(out[col].dtype, pd.StringDtype) or out[col].dtype == object:
            out[col] = out[col].map(spreadsheet_text, na_action="ignore")
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV, UTF-8, times as ``2026-03-01T08:30:00Z``, empty cells for missing values; text a
    spreadsheet would run as a formula starts with an apostrophe (``privacy.spreadsheet``)."""
    return _csv_ready(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Parquet (pyarrow): the same columns with their types (times as UTC timestamps)."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, engine="pyarrow", index=False)
    return buffer.getvalue()


# -- codebook -----------------------------------------------------------------------------------
def codebook(
    *, title: str, consent_version: str, schedule: str, items: Sequence[Item]
) -> dict[str, Any]:
    """Every column of the long table: its name, meaning, type and values, as a plain dict."""
    columns: list[dict[str, Any]] = []
    kinds = {"dyad": "integer", "day": "integer", "beep": "integer", "occasion": "integer"}
    kinds["local_time"] = "text (HH:MM)"
    for col in LONG_COLUMNS:
        entry: dict[str, Any] = {
            "name": col,
            "description": COLUMN_NOTES[col],
            "type": kinds.get(col, "timestamp (UTC)" if col in TIME_COLUMNS else "text"),
        }
        if col == "role":
            entry["values"] = {"A": "consented first", "B": "consented second"}
        if col == "status":
            entry["values"] = {s: s for s in STATUSES}
        columns.append(entry)
    for item in items:
        entry = {"name": item.key, "description": item.label, "measure": True}
        if item.kind == SCALE:
            entry["type"] = "integer"
            entry["range"] = [item.low, item.high]
            entry["anchors"] = {str(item.low): item.low_label, str(item.high): item.high_label}
        elif item.kind == CHOICE:
            entry["type"] = "integer (a code)"
            entry["values"] = {str(code): label for code, label in enumerate(item.choices, 1)}
        else:
            entry["type"] = "text (free answer)"
        columns.append(entry)
    return {
        "study": title,
        "consent_version": consent_version,
        "schedule": schedule,
        "layout": "long: one row per person per prompt",
        "pairwise": "same rows; each item X as X_A (own) and X_P (partner's), plus status_P",
        "columns": columns,
    }


def codebook_json(book: Mapping[str, Any]) -> bytes:
    return json.dumps(book, indent=2, ensure_ascii=False).encode("utf-8")


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def codebook_markdown(book: Mapping[str, Any]) -> str:
    """The codebook as a Markdown document with one table of columns."""
    lines = [
        f"# Codebook: {book['study']}",
        "",
        f"- Consent version: {book['consent_version']}",
        f"- Schedule: {book['schedule']}",
        f"- Layout: {book['layout']}",
        f"- Pairwise layout: {book['pairwise']}",
        "",
        "| column | type | meaning | values |",
        "| --- | --- | --- | --- |",
    ]
    for col in book["columns"]:
        values = ""
        if "range" in col:
            low, high = col["range"]
            anchors = col["anchors"]
            values = f"{low} ({anchors[str(low)]}) to {high} ({anchors[str(high)]})"
        elif "values" in col:
            values = "; ".join(f"{k} = {v}" if k != v else k for k, v in col["values"].items())
        lines.append(
            f"| {_cell(col['name'])} | {_cell(col['type'])} | {_cell(col['description'])} "
            f"| {_cell(values)} |"
        )
    return "\n".join(lines) + "\n"


# -- from the database ------------------------------------------------------------------------------
def occasion_numbers(schedule_json: dict[str, Any], days: int) -> dict[tuple[int, int], int]:
    """``(day, beep)`` → occasion: the schedule's prompts numbered 1, 2, … across the study.

    Every participant of a study has the same ``(day, beep)`` slots (a random schedule draws its
    times per participant, never its count), so the numbering is the study's.
    """
    from counterpoint.research import schedules

    schedule = schedules.parse(schedule_json)
    numbers: dict[tuple[int, int], int] = {}
    for day in range(1, days + 1):
        for beep in range(1, len(schedules.local_times(schedule, day=day, seed="slots")) + 1):
            numbers[(day, beep)] = len(numbers) + 1
    return numbers


def study_items(study: Any) -> list[Item]:
    """The study's measures as the files describe them, in the study's order."""
    from counterpoint.research.measures import CHECKIN_ITEMS

    result = []
    for item in study.items.all():
        # an item may not take an export column's name; one that did (the study's own checks
        # reserve all of them but ``occasion``) gets its column as item_<name>
        key = f"item_{item.name}" if item.name in LONG_COLUMNS else item.name
        if item.kind == "checkin":
            spec = CHECKIN_ITEMS[item.name]
            low, high, low_label, high_label = spec.low, spec.high, spec.low_label, spec.high_label
            result.append(
                Item(key, item.label, SCALE, low, high, low_label, high_label, name=item.name)
            )
        elif item.kind == "scale":
            result.append(
                Item(key, item.label, SCALE, 0, 10, item.low_label, item.high_label, name=item.name)
            )
        elif item.kind == "choice":
            result.append(
                Item(key, item.label, CHOICE, choices=tuple(item.choices), name=item.name)
            )
        else:
            result.append(Item(key, item.label, TEXT, name=item.name))
    return result


PROMPT_FIELDS = (
    "pk",
    "participant__enrolment__number",
    "participant__person_code",
    "participant__role",
    "day",
    "beep",
    "local_time",
    "scheduled_at",
    "closes_at",
    "sent_at",
    "opened_at",
    "submitted_at",
    "expired_at",
    "state",
)


def _rows(prompts: Any, answers: Mapping[int, Mapping[str, Any]], study: Any):
    """Long-format rows from a queryset of prompts (read as plain values: thousands of rows)."""
    occasions = occasion_numbers(study.schedule, study.duration_days)
    for values in prompts.order_by().values_list(*PROMPT_FIELDS):
        pk, dyad, person, role, day, beep, local, *times, state = values
        row = {
            "dyad": dyad,
            "person": person,
            "role": role,
            "day": day,
            "beep": beep,
            "occasion": occasions[(day, beep)],
            "local_time": f"{local:%H:%M}",
            **dict(zip(TIME_COLUMNS, times, strict=True)),
            "status": state,
        }
        row.update(answers.get(pk, {}))
        yield row


def _answers(responses: Any, items: Sequence[Item]) -> dict[int, dict[str, Any]]:
    return {
        prompt_id: {item.key: values.get(item.stored) for item in items}
        for prompt_id, values in responses.values_list("prompt_id", "answers")
    }


def study_long_frame(user: Any, study: Any) -> pd.DataFrame:
    """The study's long table, for its researcher (through the study's selectors)."""
    from counterpoint.research import selectors

    items = study_items(study)
    answers = _answers(selectors.study_responses(user, study), items)
    return long_frame(_rows(selectors.study_prompts(user, study), answers, study), items)


def participant_long_frame(user: Any, participant: Any) -> pd.DataFrame:
    """One participant's own rows of their study (``participant`` is theirs: checked by the view).

    The answers come through the access layer (a response is its author's private record), so
    nothing of the partner's can appear here.
    """
    from counterpoint.privacy import access
    from counterpoint.research.models import Prompt, Response

    study = participant.study
    items = study_items(study)
    responses = access.readable(user, Response).filter(prompt__participant=participant)
    answers = _answers(responses, items)
    prompts = Prompt.objects.filter(participant=participant, participant__user=user)
    return long_frame(_rows(prompts, answers, study), items)


def study_codebook(study: Any) -> dict[str, Any]:
    from counterpoint.research import schedules

    consent = study.current_consent()
    return codebook(
        title=study.title,
        consent_version=str(consent.version) if consent else "",
        schedule=schedules.describe(study.parsed_schedule()),
        items=study_items(study),
    )
