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


def _calls() -> list[tuple[str, str | None]]:
    """Every call of ``notices_answered`` in the code: where, and the name given as ``user``."""
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
            where = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
            found.append((where, user.id if isinstance(user, ast.Name) else None))
    return found


def test_notices_answered_is_called_only_for_the_person_acting() -> None:
    calls = _calls()
    assert len(calls) >= 10, "the check reads the calls it is about (else it passes on nothing)"
    assert [where for where, user in calls if user != "user"] == [], (
        "notices_answered marks notices read now: call it only for the person acting "
        "(user=user); for the partner use notices_moot"
    )
