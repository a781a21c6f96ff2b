"""A notice is marked read only by its own recipient's act.

``notices_answered(user=…)`` marks the notices the person answered as read, now. Their export
gives that time to the second, as their own act. Called for someone else (the partner, whose ask
the person's act ended), it would write the exact moment of the person's act into the partner's
export, where others' acts are only ever given as a day. Those calls go through ``notices_moot``,
which ends the wait and leaves the notice unread. This reads every call in the code and fails on
one whose ``user`` is not the acting ``user`` of the service it is in.
"""

from __future__ import annotations

import ast
from pathlib import Path

import counterpoint

SOURCE = Path(counterpoint.__file__).resolve().parent


def _calls_for_someone_else() -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "notices_answered":
                continue
            user = next((k.value for k in node.keywords if k.arg == "user"), None)
            if not (isinstance(user, ast.Name) and user.id == "user"):
                found.append(f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
    return found


def test_notices_answered_is_called_only_for_the_person_acting() -> None:
    assert _calls_for_someone_else() == [], (
        "notices_answered marks notices read now: call it only for the person acting "
        "(user=user); for the partner use notices_moot"
    )


def test_the_check_sees_calls() -> None:
    """The check reads the calls it is about (it would pass on nothing otherwise)."""
    calls = 0
    for path in SOURCE.rglob("*.py"):
        calls += path.read_text().count("notices_answered(user=user")
    assert calls >= 10
