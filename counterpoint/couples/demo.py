"""The demo couple every seeder receives (the seeders themselves are listed in counterpoint/demo.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counterpoint.accounts.models import User
    from counterpoint.couples.models import Couple


@dataclass(frozen=True)
class DemoCouple:
    alex: User
    sam: User
    couple: Couple
    start: dt.datetime  # when the couple started using the app (DEMO_DAYS ago)
