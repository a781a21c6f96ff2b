"""``manage.py map_reliability``: reliability of each instrument version from this installation's
complete answers, for the operator checking an instrument (aggregates only, over distinct people).

This is the only place installation-wide statistics exist. Nothing here feeds anyone's result:
results use the published reference parameters. Each person counts once (their latest complete
answers), and nothing is printed below ``--min-people`` distinct people, so throwaway takings
cannot be used to pull out one person's answers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from counterpoint.interdependence import instruments
from counterpoint.interdependence.models import Taking
from counterpoint.science.errors import DyadDataError
from counterpoint.science.reliability import ScaleReliability

MIN_PEOPLE = 30


def latest_answers_per_person(key: str, version: str) -> list[dict[str, int]]:
    """One row per distinct person: their newest complete answers to this instrument version."""
    seen: set[int] = set()
    rows: list[dict[str, int]] = []
    takings = (
        Taking.objects.filter(
            status=Taking.Status.COMPLETE,
            instrument_key=key,
            instrument_version=version,
            author__isnull=False,
        )
        .order_by("author_id", "-completed_at", "-pk")
        .values_list("author_id", "answers")
    )
    for author_id, answers in takings:
        if author_id not in seen:
            seen.add(author_id)
            rows.append(answers)
    return rows


class Command(BaseCommand):
    help = (
        "Print alpha, omega total and item statistics for every instrument version answered by "
        "enough distinct people."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--items", action="store_true", help="also print item-total statistics")
        parser.add_argument(
            "--min-people",
            type=int,
            default=MIN_PEOPLE,
            help=f"print nothing for fewer distinct people than this (default {MIN_PEOPLE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        min_people = options["min_people"]
        if min_people < 3:
            raise CommandError("--min-people must be at least 3.")
        for (key, version), inst in sorted(instruments.all_versions().items()):
            rows = latest_answers_per_person(key, version)
            self.stdout.write(f"{key} version {version}: {len(rows)} distinct people")
            if len(rows) < min_people:
                self.stdout.write(f"  fewer than {min_people} people: nothing is shown\n")
                continue
            frame = pd.DataFrame(rows, columns=inst.item_ids).astype(float)
            for name in inst.scale_names:
                try:
                    rel = ScaleReliability(
                        inst.keyed(frame, name), names=[i.id for i in inst.items_of(name)]
                    )
                    alpha = rel.alpha
                except DyadDataError as exc:
                    self.stdout.write(f"  {name:<20} not estimable: {exc}")
                    continue
                try:
                    omega = "—" if rel.omega is None else f"{rel.omega:.3f}"
                except DyadDataError:
                    omega = "not estimable (singular correlations)"
                self.stdout.write(f"  {name:<20} alpha {alpha:.3f}  SD {rel.sd:.3f}  omega {omega}")
                if options["items"]:
                    self.stdout.write(rel.item_stats.round(3).to_string() + "\n")
