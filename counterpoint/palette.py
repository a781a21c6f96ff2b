"""One colour per person in every chart, the same as the pages' CSS (static/css/app.css):
me (the viewer) and me-time are ``ME`` (--a), my partner and we-time are ``PARTNER`` (--b).

Charts are drawn with these light-mode values; js/charts.js swaps them (and the paper, ink and
grid) for the dark-mode variables when the page is dark, so the Python side never needs to know.
"""

from __future__ import annotations

ME = "#3d3a8c"
PARTNER = "#97391f"
WE = PARTNER
PEOPLE = (ME, PARTNER)  # in the order charts list people: the viewer first
INK = "#1f1d2b"
MUTED = "#5a5870"
PAPER = "#ffffff"
GRID = "#eeeaf2"
