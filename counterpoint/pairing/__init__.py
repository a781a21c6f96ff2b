"""Pairing: inviting a partner, accepting, and unpairing (forms, services, views).

The facts of who is paired with whom (``Couple``, ``Membership``, ``active_couple``) live in
``counterpoint.couples`` at the bottom of the foundation, where the privacy rules can build on them;
this flow sits above the activity feed because it tells the partner what happened. Its URL
namespace stays ``couples``.
"""
