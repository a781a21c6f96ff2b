"""Access cases for wins and struggles, decisions, repair, me/we time and the activity feed."""

from __future__ import annotations

from tests.web.access import AUTHOR_ONLY, COUPLE_ONLY, SIGNED_IN_ONLY, Case, expect
from tests.web.conftest import ALICE_PRIVATE_MARKER, WORLD_SEEDERS
from tests.web.together_world import seed_together

WORLD_SEEDERS.append(seed_together)

POSTED = expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302)  # every signed-in person redirected
COUPLE_POST = {"A": 302, "B": 302, "C": 404, "T": 404, "anon": 302}
AUTHOR_POST = {"A": 302, "B": 404, "C": 404, "T": 404, "anon": 302}


def _pk(name: str):
    return lambda w: {"pk": w.objects[name].pk}


def _alice_notice(w):
    from counterpoint.activity.models import Notice

    notice = Notice.objects.create(
        recipient=w.alice, kind="test", message=f"{ALICE_PRIVATE_MARKER} for Alice only", link="/"
    )
    return {"pk": notice.pk}


CASES = [
    # wins and struggles
    Case("moments:list", SIGNED_IN_ONLY),
    Case("moments:json", SIGNED_IN_ONLY),
    Case("moments:new", SIGNED_IN_ONLY),
    Case(
        "moments:new",
        expect(SIGNED_IN_ONLY),
        method="post",
        data=lambda w: {"text": ""},
        label="empty",
    ),
    Case("moments:detail", AUTHOR_ONLY, kwargs=_pk("moment_private"), label="private"),
    Case("moments:detail", COUPLE_ONLY, kwargs=_pk("moment_shared"), label="shared"),
    Case(
        "moments:respond",
        COUPLE_POST,
        kwargs=_pk("moment_shared"),
        method="post",
        data=lambda w: {"reaction": "warm"},
    ),
    Case(
        "moments:respond",
        AUTHOR_POST,
        kwargs=_pk("moment_private"),
        method="post",
        data=lambda w: {"reaction": "warm"},
        label="private",
    ),
    Case("moments:delete", AUTHOR_ONLY, kwargs=_pk("moment_shared")),
    Case("moments:delete", AUTHOR_POST, kwargs=_pk("moment_shared"), method="post", label="post"),
    # decisions (Alice has entered her view; Bob has not: nothing of hers may reach him)
    Case("decisions:list", SIGNED_IN_ONLY),
    Case("decisions:list_json", SIGNED_IN_ONLY),
    Case("decisions:new", SIGNED_IN_ONLY),
    Case("decisions:detail", COUPLE_ONLY, kwargs=_pk("decision")),
    Case("decisions:json", COUPLE_ONLY, kwargs=_pk("decision")),
    Case(
        "decisions:view",
        # Alice has already entered her view in the world: a second one is a conflict (409),
        # shown back to her unsaved; Bob's is saved (302).
        expect(COUPLE_POST, A=409),
        kwargs=_pk("decision"),
        method="post",
        data=lambda w: {"preference": "the coast", "reasons": "quiet", "importance": "3"},
    ),
    Case(
        "decisions:decide",
        COUPLE_POST,
        kwargs=_pk("decision"),
        method="post",
        data=lambda w: {"text": "x", "reasons": "y"},
    ),
    Case("decisions:revisit", COUPLE_POST, kwargs=_pk("decision"), method="post"),
    # repair (Alice has written her side; Bob has not)
    Case("repair:list", SIGNED_IN_ONLY),
    Case("repair:new", SIGNED_IN_ONLY),
    Case("repair:list_json", SIGNED_IN_ONLY),
    Case("repair:detail", COUPLE_ONLY, kwargs=_pk("repair")),
    Case("repair:json", COUPLE_ONLY, kwargs=_pk("repair")),
    Case(
        "repair:share",
        COUPLE_POST,
        kwargs=_pk("repair"),
        method="post",
        data=lambda w: {"feeling": "sad", "need": "a hug"},
    ),
    Case(
        "repair:reflect",
        COUPLE_POST,
        kwargs=_pk("repair_reflecting"),
        method="post",
        data=lambda w: {"text": "You are tired and need rest."},
    ),
    Case(
        "repair:answer",
        {"A": 302, "B": 404, "C": 404, "T": 404, "anon": 302},
        kwargs=lambda w: {
            "pk": w.objects["repair_reflecting"].pk,
            "reflection_pk": w.objects["bob_reflection"].pk,
        },
        method="post",
        data=lambda w: {"confirmed": "yes"},
    ),
    Case(
        "repair:step",
        COUPLE_POST,
        kwargs=_pk("repair"),
        method="post",
        data=lambda w: {"text": "walk"},
    ),
    Case(
        "repair:agree",
        COUPLE_POST,
        kwargs=_pk("repair"),
        method="post",
        data=lambda w: {"seen_text": "walk"},
    ),
    Case(
        "repair:close",
        COUPLE_POST,
        kwargs=_pk("repair"),
        method="post",
        data=lambda w: {"feeling_now": "better"},
    ),
    # me-time and we-time
    Case("timebalance:week", SIGNED_IN_ONLY),
    Case("timebalance:add", SIGNED_IN_ONLY),
    Case("timebalance:week_json", SIGNED_IN_ONLY),
    Case("timebalance:balance", SIGNED_IN_ONLY),
    Case("timebalance:balance_json", SIGNED_IN_ONLY),
    Case("timebalance:done", AUTHOR_POST, kwargs=_pk("me_private"), method="post"),
    Case("timebalance:delete", COUPLE_ONLY, kwargs=_pk("we_block"), label="we-time"),
    Case("timebalance:delete", AUTHOR_ONLY, kwargs=_pk("me_private"), label="private"),
    Case("timebalance:delete", COUPLE_POST, kwargs=_pk("we_block"), method="post"),
    # activity
    Case("activity:feed", SIGNED_IN_ONLY),
    Case("activity:feed_json", SIGNED_IN_ONLY),
    Case("activity:preferences", SIGNED_IN_ONLY),
    Case(
        "activity:preferences",
        POSTED,
        method="post",
        data=lambda w: {"email_when_asked": "on"},
        label="post",
    ),
    Case("activity:mark_all_read", POSTED, method="post"),
    Case("activity:open", AUTHOR_POST, kwargs=_alice_notice, method="post"),
    # an email's link to the notice: its recipient is redirected on, anyone else gets a 404
    Case("activity:follow", AUTHOR_POST, kwargs=_alice_notice),
]
