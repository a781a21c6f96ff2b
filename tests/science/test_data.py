"""DyadicData: validation messages, partner layout, lags that never bridge gaps, padded arrays."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.science import DyadDataError, DyadicData, pairwise_to_long


def _long(n_dyads: int = 2, n_times: int = 3) -> pd.DataFrame:
    rows = []
    for d in range(1, n_dyads + 1):
        for p, g in ((1, "F"), (2, "M")):
            for t in range(1, n_times + 1):
                rows.append(
                    {"couple": d, "person": p, "gender": g, "t": t, "y": 10 * d + p + t / 10}
                )
    return pd.DataFrame(rows)


def _data(df: pd.DataFrame, **kw: object) -> DyadicData:
    cols: dict[str, object] = {"dyad": "couple", "person": "person", "role": "gender", "time": "t"}
    cols.update(kw)
    return DyadicData(df, **cols)  # type: ignore[arg-type]


def test_it_validates_and_sorts() -> None:
    df = _long().sample(frac=1, random_state=1).sort_values(["couple", "person", "t"])
    data = _data(df, variables=["y"])
    assert data.n_dyads == 2 and data.n_obs == 12
    assert data.roles == ("F", "M")
    assert data.role_index.tolist() == [0, 0, 0, 1, 1, 1] * 2
    assert data.frame["t"].tolist() == [1, 2, 3] * 4
    assert list(data.dyad_ids) == [1, 2]


def test_padded_role_labels_are_named_without_their_padding() -> None:
    """Fixed-width exports pad text ("Husband   "); tables name the roles without the spaces."""
    df = _long()
    df["gender"] = df["gender"].map({"F": "Wife      ", "M": "Husband   "})
    padded = _data(df, variables=["y"])
    assert padded.roles == ("Husband", "Wife")
    # which rows have which role is decided on the values as read, so nothing else moves
    plain = _data(df.assign(gender=df["gender"].str.strip()), variables=["y"])
    assert padded.role_index.tolist() == plain.role_index.tolist()


def test_roles_that_differ_only_in_spaces_keep_them() -> None:
    df = _long()
    df["gender"] = df["gender"].map({"F": "W", "M": "W "})
    assert _data(df, variables=["y"]).roles == ("W", "W ")


def test_ids_of_kinds_with_no_order_get_a_clear_message() -> None:
    df = _long()
    df["couple"] = df["couple"].map({1: 1, 2: pd.Timestamp("2020-01-01")})
    with pytest.raises(
        DyadDataError, match=r"column 'couple' mixes kinds of values \(Timestamp, int\)"
    ):
        _data(df, variables=["y"])


def test_empty_frame() -> None:
    with pytest.raises(DyadDataError, match="empty"):
        _data(_long().iloc[:0])


def test_missing_column_is_named() -> None:
    with pytest.raises(DyadDataError, match=r"column 'dyad_id' not found; the data have: couple"):
        _data(_long(), dyad="dyad_id")


def test_missing_variable_column_is_named() -> None:
    with pytest.raises(DyadDataError, match=r"columns 'a', 'b' not found"):
        _data(_long(), variables=["a", "b"])


def test_missing_id_value() -> None:
    df = _long().astype({"person": "float64"})
    df.loc[4, "person"] = np.nan
    with pytest.raises(DyadDataError, match=r"^row 4, column 'person': missing id value$"):
        _data(df)


def test_three_people_in_a_dyad() -> None:
    df = _long()
    extra = df.iloc[[0]].assign(person=3, gender="M")
    df = pd.concat([df, extra], ignore_index=True)
    with pytest.raises(
        DyadDataError,
        match=r"rows 0, 1, 2, 3, 4, … \(7 rows\), column 'person': dyad 1 has 3 people",
    ):
        _data(df)


def test_one_person_in_a_dyad() -> None:
    df = _long()
    df = df[~((df.couple == 2) & (df.person == 2))]
    with pytest.raises(DyadDataError, match=r"column 'person': dyad 2 has 1 person \(1\)"):
        _data(df)


def test_duplicate_occasion() -> None:
    df = _long()
    df.loc[1, "t"] = 1
    with pytest.raises(
        DyadDataError,
        match=r"^rows 0, 1, column 't': duplicate occasion: person 1 of dyad 1 at time 1$",
    ):
        _data(df)


def test_duplicate_rows_without_time() -> None:
    with pytest.raises(DyadDataError, match=r"person 1 of dyad 1 has more than one row"):
        _data(_long(), time=None)


def test_time_not_increasing() -> None:
    df = _long()
    df.loc[[1, 2], "t"] = [3, 2]
    with pytest.raises(DyadDataError, match=r"^row 2, column 't': time 2 does not come after"):
        _data(df)


def test_time_not_integer() -> None:
    df = _long().astype({"t": "float64"})
    df.loc[5, "t"] = 2.5
    with pytest.raises(DyadDataError, match=r"^row 5, column 't': 2.5 is not an integer occasion"):
        _data(df)


def test_text_in_a_numeric_column() -> None:
    df = _long().astype({"y": object})
    df.loc[7, "y"] = "n/a"
    with pytest.raises(DyadDataError, match=r"^row 7, column 'y': 'n/a' is not a number$"):
        _data(df, variables=["y"])


def test_text_found_when_a_variable_is_first_used() -> None:
    df = _long().astype({"y": object})
    df.loc[7, "y"] = "x"
    data = _data(df)  # not declared as a variable: checked on use, naming the original row
    with pytest.raises(DyadDataError, match=r"^row 7, column 'y': 'x' is not a number$"):
        data.with_partner(["y"])


def test_role_does_not_split_the_dyad() -> None:
    df = _long()
    df.loc[df.couple == 2, "gender"] = "F"
    with pytest.raises(
        DyadDataError, match=r"column 'gender': both people in dyad 2 have role 'F'"
    ):
        _data(df)


def test_role_not_constant_within_person() -> None:
    df = _long()
    df.loc[1, "gender"] = "M"
    with pytest.raises(DyadDataError, match=r"person 1 of dyad 1 has more than one role value"):
        _data(df)


def test_more_than_two_role_values() -> None:
    df = _long()
    df.loc[df.couple == 2, "gender"] = df.loc[df.couple == 2, "person"].map({1: "X", 2: "Y"})
    with pytest.raises(DyadDataError, match=r"needs exactly two values across all dyads, found 4"):
        _data(df)


def test_same_id_columns() -> None:
    with pytest.raises(DyadDataError, match="must differ"):
        _data(_long(), person="couple")


def test_csv_errors_name_file_lines(tmp_path) -> None:
    df = _long().astype({"y": object})
    df.loc[3, "y"] = "abc"
    path = tmp_path / "d.csv"
    df.to_csv(path, index=False)
    with pytest.raises(DyadDataError, match=r"^line 5, column 'y': 'abc' is not a number$"):
        DyadicData.from_csv(path, dyad="couple", person="person", variables=["y"], time="t")


def test_missing_and_empty_files(tmp_path) -> None:
    with pytest.raises(DyadDataError, match="no such file"):
        DyadicData.from_csv(tmp_path / "nope.csv", dyad="couple", person="person")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DyadDataError, match="is empty"):
        DyadicData.from_csv(tmp_path / "empty.csv", dyad="couple", person="person")
    (tmp_path / "header.csv").write_text("couple,person,y\n")
    with pytest.raises(DyadDataError, match="no data rows"):
        DyadicData.from_csv(tmp_path / "header.csv", dyad="couple", person="person")


def test_parquet_round_trip(tmp_path) -> None:
    path = tmp_path / "d.parquet"
    _long().to_parquet(path)
    data = DyadicData.from_path(path, dyad="couple", person="person", role="gender", time="t")
    assert data.n_obs == 12


def test_with_partner_matches_occasions() -> None:
    df = _long()
    df = df.drop(index=4)  # couple 1, person 2, t=2 missing
    data = _data(df)
    wp = data.with_partner(["y"])
    first = wp[(wp.couple == 1) & (wp.person == 1)]
    assert first["p_y"].tolist()[0] == pytest.approx(12.1)
    assert np.isnan(first["p_y"].tolist()[1])
    second = wp[(wp.couple == 1) & (wp.person == 2)]
    assert second["p_y"].tolist() == pytest.approx([11.1, 11.3])


def test_indistinguishable_role_index_follows_smaller_person_id() -> None:
    df = _long().drop(columns="gender")
    df["person"] = df["person"].map({1: 7, 2: 5})
    data = DyadicData(df, dyad="couple", person="person", time="t")
    assert data.roles is None
    assert data.frame.loc[data.role_index == 0, "person"].unique().tolist() == [5]


def test_lags_never_bridge_a_gap_or_a_day() -> None:
    rows = []
    for p in (1, 2):
        for day, times in ((1, [1, 2, 4]), (2, [5, 6])):
            for t in times:
                rows.append({"couple": 1, "person": p, "day": day, "t": t, "y": 100 * p + t})
    df = pd.DataFrame(rows)
    data = DyadicData(df, dyad="couple", person="person", time="t", day="day")
    lg = data.lagged(["y"])
    own = lg[lg.person == 1]
    # t=1 first; t=2 ← 1; t=4: occasion 3 missing; t=5: first of day 2 although t=4 exists; t=6 ← 5
    np.testing.assert_array_equal(own["lag_y"].to_numpy(), [np.nan, 101, np.nan, np.nan, 105])
    np.testing.assert_array_equal(own["p_lag_y"].to_numpy(), [np.nan, 201, np.nan, np.nan, 205])
    lag2 = data.lagged(["y"], lag=2)
    np.testing.assert_array_equal(
        lag2[lag2.person == 1]["lag_y"].to_numpy(), [np.nan, np.nan, 102, np.nan, np.nan]
    )


def test_lag_needs_time_and_positive_integer() -> None:
    with pytest.raises(DyadDataError, match="need a time column"):
        DyadicData(_long(n_times=1), dyad="couple", person="person").lagged(["y"])
    with pytest.raises(DyadDataError, match="positive integer"):
        _data(_long()).lagged(["y"], lag=0)


def test_to_arrays_pads_and_keeps_gaps() -> None:
    df = _long(n_dyads=2, n_times=4)
    df = df[~((df.couple == 2) & (df.t == 2))]
    arr = _data(df).to_arrays("y")
    assert arr.shape == (2, 2, 4)
    np.testing.assert_allclose(arr[0, 1], [12.1, 12.2, 12.3, 12.4])
    assert np.isnan(arr[1, :, 1]).all()
    np.testing.assert_allclose(arr[1, 0, [0, 2, 3]], [21.1, 21.3, 21.4])


def test_to_arrays_separates_days() -> None:
    rows = [
        {"couple": 1, "person": p, "day": day, "t": t, "y": float(t)}
        for p in (1, 2)
        for day, times in ((1, [1, 2]), (2, [1, 2, 3]))
        for t in times
    ]
    data = DyadicData(pd.DataFrame(rows), dyad="couple", person="person", time="t", day="day")
    arr = data.to_arrays("y", day_gap=1)
    np.testing.assert_array_equal(arr[0, 0], [1, 2, np.nan, 1, 2, 3])


def test_pairwise_to_long(reference_data) -> None:
    pw = pd.read_csv(reference_data / "acipair.csv")
    long = pairwise_to_long(pw)
    assert len(long) == 296
    assert "Tension" in long.columns and "Tension_P" not in long.columns
    data = DyadicData(long, dyad="CoupleID", person="Partnum", role="Gender")
    wp = data.with_partner(["Tension"]).sort_values(["CoupleID", "Partnum"])
    expected = pw.sort_values(["CoupleID", "Partnum"])["Tension_P"].to_numpy()
    np.testing.assert_allclose(wp["p_Tension"].to_numpy(), expected)


def test_pairwise_columns_that_disagree() -> None:
    pw = pd.DataFrame({"CoupleID": [1, 1], "Partnum": [1, 2], "Y_A": [3.0, 4.0], "Y_P": [4.0, 9.0]})
    with pytest.raises(
        DyadDataError, match=r"row 1, column 'Y_P': does not equal the partner's 'Y_A'"
    ):
        pairwise_to_long(pw)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 3),  # dyad
            st.integers(0, 1),  # role
            st.integers(1, 2),  # day
            st.integers(1, 6),  # time
        ),
        min_size=1,
        max_size=40,
        unique=True,
    ),
    st.integers(1, 2),
)
def test_partner_and_lag_values_match_a_brute_force_search(keys, lag) -> None:
    rows = [
        {"couple": d, "person": 10 * d + r, "role": "AB"[r], "day": day, "t": t, "y": float(i)}
        for i, (d, r, day, t) in enumerate(sorted(keys))
    ]
    df = pd.DataFrame(rows)
    people = df.groupby("couple")["person"].nunique()
    df = df[df["couple"].isin(people[people == 2].index)]
    if df.empty:
        return
    data = DyadicData(df, dyad="couple", person="person", role="role", time="t", day="day")
    value = {(r.couple, r.role, r.day, r.t): r.y for r in df.itertuples()}
    other = {"A": "B", "B": "A"}
    wp, lg = data.with_partner(["y"]), data.lagged(["y"], lag=lag)
    for r, p, lgd in zip(
        data.frame.itertuples(),
        wp["p_y"],
        lg[["lag_y", "p_lag_y"]].itertuples(index=False),
        strict=True,
    ):
        expected_p = value.get((r.couple, other[r.role], r.day, r.t), np.nan)
        expected_lag = value.get((r.couple, r.role, r.day, r.t - lag), np.nan)
        expected_plag = value.get((r.couple, other[r.role], r.day, r.t - lag), np.nan)
        np.testing.assert_equal(
            [p, lgd.lag_y, lgd.p_lag_y], [expected_p, expected_lag, expected_plag]
        )


def _engine_modules() -> list[str]:
    """Every module of the engine package (new modules are picked up without editing this test)."""
    import counterpoint.science as package

    return sorted(m.name for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}."))


@pytest.mark.parametrize("module", _engine_modules())
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(module)
    failures, _ = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
