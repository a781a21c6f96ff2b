"""What a study can ask, and checking one participant's answers. No Django.

A study's items are its own (a 0–10 scale, a choice, a short text) or one of the check-in's items by
name, asked with the check-in's own scale. Asking a check-in item in a study never reads the
participant's check-ins: the study gets only what they answer in its prompts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Names the export uses for its own columns: an item cannot take them.
RESERVED = frozenset(
    {
        "study",
        "dyad",
        "person",
        "role",
        "day",
        "beep",
        "scheduled",
        "sent",
        "opened",
        "submitted",
        "status",
        "closes",
        "expired",
        "local_date",
        "local_time",
        "time_zone",
    }
)
TEXT_MAX = 500
MAX_ITEMS = 30
MAX_CHOICES = 12


@dataclass(frozen=True)
class CheckinItem:
    label: str
    low: int
    high: int
    low_label: str
    high_label: str


CHECKIN_ITEMS: dict[str, CheckinItem] = {
    "mood": CheckinItem("How is your mood right now?", 0, 10, "very low", "very good"),
    "energy": CheckinItem("How much energy do you have right now?", 0, 10, "none", "plenty"),
    "stress": CheckinItem("How stressed do you feel right now?", 0, 10, "not at all", "very"),
    "closeness": CheckinItem(
        "How close do you feel to your partner right now? (1 = far apart, 7 = very close)",
        1,
        7,
        "far apart",
        "very close",
    ),
}


@dataclass(frozen=True)
class ItemSpec:
    """An item as a researcher defines it (the service stores it as ``models.Item``)."""

    name: str
    kind: str  # scale | choice | text | checkin
    label: str = ""
    low_label: str = ""
    high_label: str = ""
    choices: tuple[str, ...] = field(default_factory=tuple)


class MeasureError(ValueError):
    pass


def check_items(specs: list[ItemSpec]) -> list[ItemSpec]:
    """The items with check-in items filled in from the check-in; MeasureError names what is wrong."""
    if not specs:
        raise MeasureError("Add at least one item.")
    if len(specs) > MAX_ITEMS:
        raise MeasureError(f"At most {MAX_ITEMS} items.")
    seen: set[str] = set()
    result = []
    for spec in specs:
        if not NAME.match(spec.name) or spec.name in RESERVED:
            raise MeasureError(
                f"“{spec.name}”: a name is lower-case letters, digits and _, starts with a letter, "
                "and is not one of the export's own columns."
            )
        if spec.name in seen:
            raise MeasureError(f"“{spec.name}” is used twice.")
        seen.add(spec.name)
        if spec.kind == "checkin":
            known = CHECKIN_ITEMS.get(spec.name)
            if known is None:
                raise MeasureError(
                    f"“{spec.name}” is not a check-in item (they are: {', '.join(CHECKIN_ITEMS)})."
                )
            spec = ItemSpec(
                spec.name, "checkin", spec.label or known.label, known.low_label, known.high_label
            )
        elif spec.kind == "choice":
            choices = tuple(c.strip() for c in spec.choices if c.strip())
            if not 2 <= len(choices) <= MAX_CHOICES:
                raise MeasureError(f"“{spec.name}”: give 2 to {MAX_CHOICES} choices.")
            spec = ItemSpec(spec.name, "choice", spec.label, choices=choices)
        elif spec.kind not in ("scale", "text"):
            raise MeasureError(f"“{spec.name}”: choose a kind of item.")
        if not spec.label.strip():
            raise MeasureError(f"“{spec.name}”: write the question.")
        result.append(spec)
    return result


def clean_answer(*, kind: str, name: str, raw: Any, choices: int = 0) -> int | str | None:
    """One answer as stored: an int for scales, check-in items and choice codes (1..k), a string
    for text, None for "not answered". ValueError when it is out of range."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if kind == "text":
        text = str(raw).strip()
        if len(text) > TEXT_MAX:  # refused, never cut: the participant sees what was too long
            raise ValueError(f"Keep it to {TEXT_MAX} characters (this is {len(text)}).")
        return text
    try:
        value = int(str(raw).strip())
    except ValueError as exc:
        raise ValueError("Choose one of the numbers.") from exc
    if kind == "scale":
        low, high = 0, 10
    elif kind == "checkin":
        spec = CHECKIN_ITEMS[name]
        low, high = spec.low, spec.high
    else:
        low, high = 1, choices
    if not low <= value <= high:
        raise ValueError(f"Choose a number from {low} to {high}.")
    return value
