"""``manage.py map_reliability``: reliability of each instrument version from this installation's
complete answers (aggregates only), for deployers and researchers checking an instrument."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.core.management.base import BaseCommand

from counterpoint.interdependence import instruments
from counterpoint.interdependence.models import Taking
from counterpoint.science.errors import DyadDataError
from counterpoint.science.reliability import ScaleReliability


class Command(BaseCommand):
    help = "Print alpha, omega total and item statistics for every instrument version with answers."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--items", action="store_true", help="also print item-total statistics")

    def handle(self, *args: Any, **options: Any) -> None:
        for (key, version), inst in sorted(instruments.all_versions().items()):
            rows = list(
                Taking.objects.filter(
                    status=Taking.Status.COMPLETE, instrument_key=key, instrument_version=version
                ).values_list("answers", flat=True)
            )
            self.stdout.write(f"{key} version {version}: {len(rows)} complete answers")
            if len(rows) < 3:
                self.stdout.write("  too few answers to estimate reliability\n")
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
