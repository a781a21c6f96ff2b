"""Access cases for goals (the autonomy rule by URL), and the goals every web test's world holds."""

from __future__ import annotations

import uuid

from counterpoint.practices.goals import services
from counterpoint.privacy.models import Visibility
from tests.web.access import AUTHOR_ONLY, COUPLE_ONLY, SIGNED_IN_ONLY, Case, expect
from tests.web.conftest import ALICE_PRIVATE_MARKER, BOB_PRIVATE_MARKER, WORLD_SEEDERS

ONLY_B = {"A": 404, "B": 302, "C": 404, "T": 404, "anon": 302}
NOBODY = {"A": 404, "B": 404, "C": 404, "T": 404, "anon": 302}


def seed(w) -> None:
    """Goals as people make them: the goal form's service, with a fresh form token each time."""

    def goal(author, title, visibility):
        made, _ = services.goal_create(
            user=author, title=title, why="", visibility=visibility, submission_key=uuid.uuid4().hex
        )
        services.goal_progress_add(
            user=author, goal=made, percent=10, submission_key=uuid.uuid4().hex
        )
        made.refresh_from_db()
        return made

    w.objects["alice_goal_private"] = goal(w.alice, f"{ALICE_PRIVATE_MARKER} goal", "private")
    services.goal_progress_add(
        user=w.alice,
        goal=w.objects["alice_goal_private"],
        percent=10,
        note=f"{ALICE_PRIVATE_MARKER} note",
        submission_key=uuid.uuid4().hex,
    )
    w.objects["alice_goal_shared"] = goal(w.alice, "Run a half marathon", Visibility.PARTNER)
    services.goal_encourage(
        user=w.bob,
        goal=w.objects["alice_goal_shared"],
        kind="cheer",
        submission_key=uuid.uuid4().hex,
    )
    w.objects["our_goal"] = goal(w.alice, "Save for the trip", Visibility.COUPLE)
    w.objects["bob_goal_private"] = goal(w.bob, f"{BOB_PRIVATE_MARKER} goal", "private")


if seed not in WORLD_SEEDERS:
    WORLD_SEEDERS.append(seed)


def _pk(name: str):
    return lambda w: {"pk": w.objects[name].pk}


CASES = [
    Case("goals:list", SIGNED_IN_ONLY),
    Case("goals:new", SIGNED_IN_ONLY),
    Case(
        "goals:new",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302),
        method="post",
        data=lambda w: {"title": "Learn to swim", "visibility": "private"},
        label="post",
    ),
    Case("goals:detail", AUTHOR_ONLY, kwargs=_pk("alice_goal_private"), label="private"),
    Case("goals:detail", COUPLE_ONLY, kwargs=_pk("alice_goal_shared"), label="mine, shared"),
    Case("goals:detail", COUPLE_ONLY, kwargs=_pk("our_goal"), label="ours"),
    # The autonomy rule: Bob can read Alice's shared goal but never edit, progress or complete it.
    Case("goals:edit", AUTHOR_ONLY, kwargs=_pk("alice_goal_private"), label="private"),
    Case("goals:edit", AUTHOR_ONLY, kwargs=_pk("alice_goal_shared"), label="mine, shared"),
    Case("goals:edit", COUPLE_ONLY, kwargs=_pk("our_goal"), label="ours"),
    Case(
        "goals:edit",
        expect(AUTHOR_ONLY, A=302),
        kwargs=_pk("alice_goal_shared"),
        method="post",
        data=lambda w: {"title": "Run a marathon", "visibility": "partner"},
        label="post mine, shared",
    ),
    Case(
        "goals:edit",
        expect(COUPLE_ONLY, A=302, B=302),
        kwargs=_pk("our_goal"),
        method="post",
        data=lambda w: {"title": "Save for Lisbon"},
        label="post ours",
    ),
    Case(
        "goals:progress",
        expect(AUTHOR_ONLY, A=302),
        kwargs=_pk("alice_goal_shared"),
        method="post",
        data=lambda w: {"percent": 50},
        label="mine, shared",
    ),
    Case(
        "goals:progress",
        expect(COUPLE_ONLY, A=302, B=302),
        kwargs=_pk("our_goal"),
        method="post",
        data=lambda w: {"percent": 50},
        label="ours",
    ),
    Case(
        "goals:complete",
        expect(AUTHOR_ONLY, A=302),
        kwargs=_pk("alice_goal_shared"),
        method="post",
        label="mine, shared",
    ),
    Case(
        "goals:complete",
        expect(COUPLE_ONLY, A=302, B=302),
        kwargs=_pk("our_goal"),
        method="post",
        label="ours",
    ),
    Case(
        "goals:encourage",
        ONLY_B,
        kwargs=_pk("alice_goal_shared"),
        method="post",
        data=lambda w: {"kind": "cheer"},
        label="mine, shared",
    ),
    Case(
        "goals:encourage",
        NOBODY,
        kwargs=_pk("alice_goal_private"),
        method="post",
        data=lambda w: {"kind": "cheer"},
        label="private",
    ),
    Case(
        "goals:encourage",
        NOBODY,
        kwargs=_pk("our_goal"),
        method="post",
        data=lambda w: {"kind": "cheer"},
        label="ours",
    ),
    Case(
        "goals:encourage",
        expect(ONLY_B, B=200),
        kwargs=_pk("alice_goal_shared"),
        method="post",
        data=lambda w: {"kind": "cheer"},
        label="htmx",
        htmx=True,
    ),
]
