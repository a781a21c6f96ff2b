"""Access-matrix cases: what each named person gets from each URL.

Every URL pattern the app has must appear in at least one ``Case`` (tests/web/access_cases/*.py);
``test_access_matrix`` fails for a view nobody declared.

People: ``A`` Alice and ``B`` Bob are a couple; ``C`` Carol is in another couple; ``T`` Terry is a
therapist without consent; ``anon`` is a visitor who is not signed in; ``T_ok``, ``T_one``,
``T_rev`` and ``T_exp`` are professionals linked to Alice and Bob (see ``PROFESSIONALS``); ``R``
runs a study Alice and Bob take part in and ``R_other`` runs another study (see ``RESEARCHERS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

PEOPLE = ("A", "B", "C", "T", "anon", "T_ok", "T_one", "T_rev", "T_exp", "R", "R_other")
# Professionals (tests/web/access_cases/professionals.py): T_ok has both partners' consent, T_one
# only Alice's, T_rev was consented then revoked, T_exp's consent expired. Outside the
# professionals' own pages each gets what T (no consent at all) gets, unless a case says otherwise.
PROFESSIONALS = ("T_ok", "T_one", "T_rev", "T_exp")
# Researchers (tests/web/access_cases/research.py): R runs the study Alice and Bob are enrolled in,
# R_other runs a study of their own. Outside research pages each gets what T gets, unless a case
# says otherwise.
RESEARCHERS = ("R", "R_other")


def expected_status(expect: dict[str, int], person: str) -> int:
    if person in expect:
        return expect[person]
    if person in PROFESSIONALS or person in RESEARCHERS:
        return expect["T"]
    raise KeyError(person)


# Shorthands for common expectations. 302 for anon = redirected to sign in.
SIGNED_IN_ONLY = {"A": 200, "B": 200, "C": 200, "T": 200, "anon": 302}
AUTHOR_ONLY = {"A": 200, "B": 404, "C": 404, "T": 404, "anon": 302}
COUPLE_ONLY = {"A": 200, "B": 200, "C": 404, "T": 404, "anon": 302}
PUBLIC = {"A": 200, "B": 200, "C": 200, "T": 200, "anon": 200}


def expect(base: dict[str, int], **overrides: int) -> dict[str, int]:
    result = dict(base)
    result.update(overrides)
    return result


@dataclass(frozen=True)
class Case:
    """One request to make as each person, and the status each should get."""

    url_name: str
    expect: dict[str, int]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda w: {})
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] = field(default=lambda w: {})
    label: str = ""
    htmx: bool = False

    @property
    def id(self) -> str:
        suffix = f"[{self.label}]" if self.label else ""
        return f"{self.method.upper()} {self.url_name}{suffix}"


def case_send(client: Any, case: Case, world: Any, url: str) -> Any:
    """Make ``case``'s request to ``url`` as ``client``: its method, form data and htmx header."""
    headers = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
    if case.method == "get":
        return client.get(url, **headers)
    return client.generic(
        case.method.upper(),
        url,
        data=urlencode(case.data(world), doseq=True),
        content_type="application/x-www-form-urlencoded",
        **headers,
    )
