"""Access cases for plans and memories (photos included: no photo by any URL outside the couple)."""

from __future__ import annotations

from tests.web.access import AUTHOR_ONLY, COUPLE_ONLY, SIGNED_IN_ONLY, Case, expect
from tests.web.conftest import WORLD_SEEDERS
from tests.web.plans_world import seed_plans

WORLD_SEEDERS.append(seed_plans)

COUPLE_POST = {"A": 302, "B": 302, "C": 404, "T": 404, "anon": 302}
AUTHOR_POST = {"A": 302, "B": 404, "C": 404, "T": 404, "anon": 302}
NOBODY_HERE = {"A": 404, "B": 404, "C": 200, "T": 404, "anon": 302}


def _pk(name: str):
    return lambda w: {"pk": w.objects[name].pk}


CASES = [
    Case("plans:list", SIGNED_IN_ONLY),
    Case("plans:list_json", SIGNED_IN_ONLY),
    Case("plans:new", SIGNED_IN_ONLY),
    Case(
        "plans:new",
        expect(SIGNED_IN_ONLY),
        method="post",
        data=lambda w: {"title": "", "kind": "trip", "shared": "yes"},
        label="empty",
    ),
    Case("plans:detail", COUPLE_ONLY, kwargs=_pk("plan")),
    Case("plans:detail", AUTHOR_ONLY, kwargs=_pk("plan_private"), label="private"),
    Case("plans:json", COUPLE_ONLY, kwargs=_pk("plan")),
    Case("plans:json", AUTHOR_ONLY, kwargs=_pk("plan_private"), label="private"),
    Case("plans:edit", COUPLE_ONLY, kwargs=_pk("plan")),
    Case(
        "plans:edit",
        COUPLE_POST,
        kwargs=_pk("plan"),
        method="post",
        data=lambda w: {"title": "Sail further", "kind": "trip"},
        label="post",
    ),
    Case(
        "plans:interest",
        COUPLE_POST,
        kwargs=_pk("plan"),
        method="post",
        data=lambda w: {"answer": "love"},
    ),
    Case(
        "plans:interest",
        AUTHOR_POST,
        kwargs=_pk("plan_private"),
        method="post",
        data=lambda w: {"answer": "love"},
        label="private",
    ),
    Case(
        "plans:done",
        COUPLE_POST,
        kwargs=_pk("plan"),
        method="post",
        data=lambda w: {"happened_on": w.alice.local_today().isoformat()},
    ),
    Case("plans:delete", COUPLE_ONLY, kwargs=_pk("plan")),
    Case("plans:delete", AUTHOR_POST, kwargs=_pk("plan_private"), method="post", label="post"),
    Case("plans:memories", SIGNED_IN_ONLY),
    Case("plans:memories_json", SIGNED_IN_ONLY),
    Case("plans:memory_new", SIGNED_IN_ONLY),
    Case("plans:memory", COUPLE_ONLY, kwargs=_pk("memory")),
    Case("plans:memory", AUTHOR_ONLY, kwargs=_pk("memory_private"), label="private"),
    Case("plans:memory_json", COUPLE_ONLY, kwargs=_pk("memory")),
    Case(
        "plans:memory_words",
        COUPLE_POST,
        kwargs=_pk("memory"),
        method="post",
        data=lambda w: {"text": "a lovely evening"},
    ),
    Case("plans:memory_photo", COUPLE_ONLY, kwargs=_pk("memory")),
    Case("plans:memory_photo", AUTHOR_ONLY, kwargs=_pk("memory_private"), label="private"),
    Case(
        "plans:memory_photo", NOBODY_HERE, kwargs=_pk("memory_other_couple"), label="other couple"
    ),
    Case(
        "plans:memory_photo_upload",
        expect(COUPLE_POST, A=400, B=400),
        kwargs=_pk("memory"),
        method="post",
        data=lambda w: {},
        label="no file",
    ),
    Case("plans:memory_photo_remove", COUPLE_ONLY, kwargs=_pk("memory"), label="shared"),
    Case("plans:memory_photo_remove", AUTHOR_ONLY, kwargs=_pk("memory_private"), label="private"),
    Case("plans:memory_photo_remove", AUTHOR_POST, kwargs=_pk("memory_private"), method="post"),
    Case("plans:memory_delete", COUPLE_ONLY, kwargs=_pk("memory")),
    Case("plans:memory_delete", COUPLE_POST, kwargs=_pk("memory"), method="post", label="post"),
]
