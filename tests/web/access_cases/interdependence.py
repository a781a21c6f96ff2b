"""Access cases for the interdependence map. Alice has answered twice: one result shared with Bob,
one kept private; Bob has a draft. Item answers are never readable by anyone but their author."""

from __future__ import annotations

from tests.web.access import SIGNED_IN_ONLY, Case, expect
from tests.web.conftest import WORLD_SEEDERS

KEY = "counterpoint-map"


def seed_map(w) -> None:
    from counterpoint.interdependence import services
    from tests.web.map_helpers import answers_for, instrument

    inst = instrument()
    w.objects["alice_map_shared_position"] = services.taking_submit(
        user=w.alice, instrument=inst, answers=answers_for(inst, (5.5, 3.0), seed=1), share=True
    )
    w.objects["alice_map_private_position"] = services.taking_submit(
        user=w.alice, instrument=inst, answers=answers_for(inst, (5.0, 5.0), seed=2), share=False
    )
    partial = dict(list(answers_for(inst, (3.0, 6.0), seed=3).items())[:10])
    w.objects["bob_map_draft"] = services.taking_save_draft(
        user=w.bob, instrument=inst, answers=partial
    )


WORLD_SEEDERS.append(seed_map)


def _pk(name: str):
    return lambda w: {"pk": w.objects[name].pk}


CASES = [
    Case("interdependence:home", SIGNED_IN_ONLY),
    Case("interdependence:couple", SIGNED_IN_ONLY),
    Case("interdependence:json", SIGNED_IN_ONLY),
    Case("interdependence:take", SIGNED_IN_ONLY, kwargs=lambda w: {"key": KEY}),
    Case(
        "interdependence:take",
        expect(SIGNED_IN_ONLY, A=404, B=404, C=404, T=404),
        kwargs=lambda w: {"key": "no-such-instrument"},
        label="unknown instrument",
    ),
    # Answers that claim to be Alice's: saved (as a draft) for Alice only; anyone else is told
    # they can only answer for themselves, and nothing is kept.
    Case(
        "interdependence:take",
        expect(SIGNED_IN_ONLY, A=302, B=403, C=403, T=403),
        kwargs=lambda w: {"key": KEY},
        method="post",
        data=lambda w: {"respondent": w.alice.pk, "cl1": "5", "action": "draft"},
        label="as Alice",
    ),
    Case(
        "interdependence:share",
        expect(SIGNED_IN_ONLY, A=302, B=404, C=404, T=404),
        kwargs=_pk("alice_map_shared_position"),
        method="post",
        data=lambda w: {"share": "0"},
    ),
    Case(
        "interdependence:share",
        expect(SIGNED_IN_ONLY, A=405, B=405, C=405, T=405),
        kwargs=_pk("alice_map_shared_position"),
        label="GET",
    ),
    Case("interdependence:guide", SIGNED_IN_ONLY, kwargs=lambda w: {"slug": "boundaries"}),
    Case(
        "interdependence:guide",
        expect(SIGNED_IN_ONLY, A=404, B=404, C=404, T=404),
        kwargs=lambda w: {"slug": "no-such-practice"},
        label="unknown",
    ),
]
