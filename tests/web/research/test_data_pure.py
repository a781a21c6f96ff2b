"""The long-format contract, the pairwise layout, the codebook and compliance, on hand-made rows.

These tests need no database: they build long-format rows the way the study's prompts produce
them and check each function against a plain loop over the same rows.
"""

from __future__ import annotations

import io
import json
import random
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from counterpoint.research import compliance, exports
from counterpoint.research.exports import CHOICE, SCALE, TEXT, Item
from counterpoint.science import DyadicData

ITEMS = (
    Item("mood", "How is your mood right now?", SCALE, 0, 10, "very low", "very good"),
    Item("closeness", "How close do you feel to your partner?", SCALE, 0, 10, "far", "very close"),
    Item("where", "Where are you?", CHOICE, choices=("At home", "At work")),
    Item("note", "Anything else?", TEXT),
)
START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _rows(n_dyads: int = 4, days: int = 5, beeps: int = 3, seed: int = 3) -> list[dict]:
    """Prompts with a mix of outcomes, as the study's state machine leaves them."""
    rng = random.Random(seed)
    rows = []
    for dyad in range(1, n_dyads + 1):
        for role in ("A", "B"):
            answer_p = rng.uniform(0.4, 0.95)
            for day in range(1, days + 1):
                for beep in range(1, beeps + 1):
                    scheduled = START + timedelta(days=day - 1, hours=4 * beep)
                    row = {
                        "dyad": dyad,
                        "person": f"{dyad}{role}",
                        "role": role,
                        "day": day,
                        "beep": beep,
                        "occasion": (day - 1) * beeps + beep,
                        "local_time": f"{7 + 4 * beep:02d}:00",
                        "scheduled": scheduled,
                        "closes": scheduled + timedelta(minutes=30),
                    }
                    if day == days and beep == beeps:  # the last one is still open or not sent
                        row["status"] = rng.choice(["scheduled", "sent", "opened"])
                        if row["status"] != "scheduled":
                            row["sent"] = scheduled
                    elif rng.random() < answer_p:
                        row |= {
                            "status": "submitted",
                            "sent": scheduled,
                            "opened": scheduled + timedelta(minutes=3),
                            "submitted": scheduled + timedelta(minutes=5),
                            "mood": rng.randint(0, 10),
                            "closeness": rng.randint(0, 10),
                            "where": rng.choice([1, 2]),
                            "note": rng.choice(["", "a long day, | with a pipe"]),
                        }
                    else:
                        row |= {
                            "status": "expired",
                            "sent": scheduled,
                            "expired": scheduled + timedelta(minutes=30),
                        }
                    rows.append(row)
    return rows


@pytest.fixture
def long() -> pd.DataFrame:
    return exports.long_frame(_rows(), ITEMS)


def test_long_frame_has_the_contracts_columns_in_order(long: pd.DataFrame) -> None:
    assert list(long.columns) == [*exports.LONG_COLUMNS, "mood", "closeness", "where", "note"]
    assert len(long) == 4 * 2 * 5 * 3
    assert str(long["mood"].dtype) == "Int64"
    assert str(long["scheduled"].dtype) == "datetime64[us, UTC]"
    keys = list(zip(long["dyad"], long["occasion"], long["role"], strict=True))
    assert keys == sorted(keys)
    # items are empty unless the prompt was submitted
    assert long.loc[long["status"] != "submitted", "mood"].isna().all()
    assert long.loc[long["status"] == "submitted", "mood"].notna().all()


def test_csv_and_parquet_read_back_to_the_same_table(long: pd.DataFrame) -> None:
    text = exports.to_csv_bytes(long).decode()
    assert text.splitlines()[0].split(",")[: len(exports.LONG_COLUMNS)] == list(
        exports.LONG_COLUMNS
    )
    assert "2026-03-02T11:00:00Z" in text
    back = pd.read_parquet(io.BytesIO(exports.to_parquet_bytes(long)))
    pd.testing.assert_frame_equal(back, long)
    csv = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
    assert csv["mood"].sum() == long["mood"].sum()
    assert (csv["status"] == long["status"].astype(str)).all()
    # the pipe in a text answer survives as text, quoted where needed
    assert (csv["note"].fillna("") == long["note"].fillna("")).all()


def test_the_engine_reads_the_csv_as_long_dyadic_data(long: pd.DataFrame, tmp_path) -> None:
    path = tmp_path / "study.csv"
    path.write_bytes(exports.to_csv_bytes(long))
    data = DyadicData.from_path(
        path,
        dyad="dyad",
        person="person",
        role="role",
        time="occasion",
        day="day",
        variables=["mood"],
    )
    assert data.n_dyads == 4
    assert data.roles == ("A", "B")


def test_pairwise_rows_carry_the_partners_answers_at_the_same_occasion(long: pd.DataFrame) -> None:
    pairwise = exports.pairwise_frame(long, ITEMS)
    assert len(pairwise) == len(long)
    by_key = {(r.dyad, r.occasion, r.role): r for r in long.itertuples()}
    for row in pairwise.itertuples():
        own = by_key[(row.dyad, row.occasion, row.role)]
        other = by_key[(row.dyad, row.occasion, "B" if row.role == "A" else "A")]
        assert row.status_P == other.status
        for key in ("mood", "closeness"):
            a, p = getattr(row, f"{key}_A"), getattr(row, f"{key}_P")
            assert (pd.isna(a) and pd.isna(getattr(own, key))) or a == getattr(own, key)
            assert (pd.isna(p) and pd.isna(getattr(other, key))) or p == getattr(other, key)


def test_a_person_gets_their_own_rows_only(long: pd.DataFrame) -> None:
    mine = exports.person_rows(long, "2B")
    assert set(mine["person"]) == {"2B"}
    assert len(mine) == (long["person"] == "2B").sum()


def test_codebook_names_every_column_of_the_export_in_json_and_markdown(long) -> None:
    book = exports.codebook(title="Evenings", consent_version="v2", schedule="3 a day", items=ITEMS)
    assert [c["name"] for c in book["columns"]] == list(long.columns)
    assert json.loads(exports.codebook_json(book))["consent_version"] == "v2"
    text = exports.codebook_markdown(book)
    table = [line for line in text.splitlines() if line.startswith("| ")][2:]
    assert [line.split(" | ")[0][2:] for line in table] == list(long.columns)
    assert "0 (very low) to 10 (very good)" in text
    assert "1 = At home; 2 = At work" in text


# -- compliance against a plain loop ------------------------------------------------------------
def _loop(rows: list[dict]) -> dict:
    """The reference: counts by walking the rows once."""
    out: dict = {}
    for r in rows:
        c = out.setdefault(r["person"], {"sent": 0, "answered": 0, "expired": 0, "open": 0})
        if r.get("sent") is not None:
            c["sent"] += 1
            if r["status"] in ("sent", "opened"):
                c["open"] += 1
        c["answered"] += r["status"] == "submitted"
        c["expired"] += r["status"] == "expired"
    return out


def test_compliance_per_person_matches_a_plain_loop() -> None:
    rows = _rows(seed=11)
    got = compliance.per_person(exports.long_frame(rows, ITEMS))
    expected = _loop(rows)
    assert set(got) == set(expected)
    for person, counts in got.items():
        e = expected[person]
        assert (counts.sent, counts.answered, counts.expired, counts.open) == (
            e["sent"],
            e["answered"],
            e["expired"],
            e["open"],
        )
        assert counts.rate == e["answered"] / (e["sent"] - e["open"])


def test_occasions_both_one_neither_and_the_threshold_flag() -> None:
    rows = _rows(seed=5)
    long = exports.long_frame(rows, ITEMS)
    couples = compliance.per_couple(long, threshold=0.7)
    closed: dict = {}
    for r in rows:
        if r.get("sent") is not None and r["status"] not in ("sent", "opened"):
            closed.setdefault((r["dyad"], r["occasion"]), []).append(r["status"] == "submitted")
    for couple in couples:
        mine = [v for (d, _), v in closed.items() if d == couple.dyad and len(v) == 2]
        assert couple.both == sum(all(v) for v in mine)
        assert couple.neither == sum(not any(v) for v in mine)
        assert couple.one == len(mine) - couple.both - couple.neither
        person = _loop([r for r in rows if r["dyad"] == couple.dyad])
        answered = sum(c["answered"] for c in person.values())
        closed_n = sum(c["sent"] - c["open"] for c in person.values())
        assert couple.below == (answered / closed_n < 0.7)
        assert couple.partners["A"].answered == person[f"{couple.dyad}A"]["answered"]
    assert any(c.below for c in couples) and not all(c.below for c in couples)


def test_rate_by_day_counts_closed_prompts_only() -> None:
    rows = _rows(seed=8)
    by_day = compliance.rate_by_day(exports.long_frame(rows, ITEMS))
    for day in by_day.itertuples():
        closed = [
            r
            for r in rows
            if r["day"] == day.day
            and r.get("sent") is not None
            and r["status"] not in ("sent", "opened")
        ]
        assert day.closed == len(closed)
        assert day.answered == sum(r["status"] == "submitted" for r in closed)


# -- occasions and the command line -------------------------------------------------------------
@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (
            {"kind": "fixed", "times": ["09:00", "20:00"]},
            {(1, 1): 1, (1, 2): 2, (2, 1): 3, (3, 2): 6},
        ),
        ({"kind": "diary", "time": "21:00"}, {(1, 1): 1, (2, 1): 2, (3, 1): 3}),
        ({"kind": "every_n_days", "every": 2, "time": "19:00"}, {(1, 1): 1, (3, 1): 2}),
        (
            {"kind": "random", "count": 3, "start": "09:00", "end": "21:00", "min_gap": 60},
            {(1, 3): 3, (2, 1): 4, (3, 3): 9},
        ),
    ],
)
def test_occasions_number_the_schedules_prompts_across_the_study(schedule, expected) -> None:
    numbers = exports.occasion_numbers(schedule, days=3)
    assert {k: numbers[k] for k in expected} == expected
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))


def test_a_daily_diarys_command_lets_lags_run_from_day_to_day(tmp_path) -> None:
    """One prompt a day: the page fits without a day column and prints ``--no-day``; the printed
    command, run on the CSV, gives the same numbers."""
    import subprocess
    import sys
    from pathlib import Path

    from counterpoint.research import analysis
    from counterpoint.science.mlvar import simulate_var

    sim = simulate_var(12, n_days=40, seed=4, actor=(0.4, 0.3), partner=(0.2, 0.1))
    rows = [
        {
            "dyad": int(r.dyad),
            "person": f"{int(r.dyad)}{'A' if r.role == sim['role'].min() else 'B'}",
            "role": "A" if r.role == sim["role"].min() else "B",
            "day": int(r.time),
            "beep": 1,
            "occasion": int(r.time),
            "local_time": "21:00",
            "scheduled": START + timedelta(days=int(r.time)),
            "status": "submitted",
            "mood": int(min(10, max(0, round(r.y * 1.5 + 5)))),
        }
        for r in sim.itertuples()
    ]
    long = exports.long_frame(rows, ITEMS)
    assert not analysis.uses_days(long)
    result = analysis.analyse(long, "mood", min_occasions=20)
    assert result.pooled is not None and result.couples is not None
    command = result.cli("var", str(tmp_path / "long.csv"))
    assert "--no-day" in command and "--day" not in command.replace("--no-day", "")
    (tmp_path / "long.csv").write_bytes(exports.to_csv_bytes(long))
    cli = str(Path(sys.executable).with_name("counterpoint"))
    done = subprocess.run([cli, *command.split()[1:]], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == result.pooled
