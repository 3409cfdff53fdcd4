"""read_acled: ACLED events as incident claims (fatalities as at least that many)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import casualties as cas
from casualties.adapters import UnmappedWarning, read_acled
from casualties.adapters.acled import resolve_actors
from casualties.errors import ClaimError, ClaimFileError

SAMPLE = Path(__file__).parent / "data" / "acled_sample.csv"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "acled" / "syria_battles_2017-2023.csv"


def _raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def sample() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    claims, unmapped = read_acled(SAMPLE, errors="collect")
    return _raw(SAMPLE), claims, unmapped


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    if not REAL.is_file():
        pytest.skip("../shared/data is not present (a user's fresh clone); CI always has it")
    claims, unmapped = read_acled(REAL, errors="collect")
    return _raw(REAL), claims, unmapped


@pytest.mark.parametrize("which", ["sample", "real"])
def test_one_claim_per_event_and_every_row_accounted_for(which, request):
    raw, claims, unmapped = request.getfixturevalue(which)
    lost = set(unmapped.loc[unmapped["detail"].str.contains("no claim from this row"), "row"])
    assert set(claims.index) | lost == set(range(len(raw)))
    assert not set(claims.index) & lost
    assert claims.index.is_unique
    assert (claims["claim_id"].to_numpy() == raw.loc[claims.index, "event_id_cnty"].to_numpy()).all()
    assert (claims["incident_id"] == claims["claim_id"]).all()
    assert len(cas.validate(claims)) == len(claims)


@pytest.mark.parametrize("which", ["sample", "real"])
def test_fatalities_are_the_lowest_figure(which, request):
    raw, claims, _ = request.getfixturevalue(which)
    fatalities = pd.to_numeric(raw.loc[claims.index, "fatalities"]).to_numpy()
    assert (claims["low"].to_numpy() == fatalities).all()
    assert (claims["best"].to_numpy() == fatalities).all()
    assert np.isinf(claims["high"]).all()
    assert (claims["category"] == "all").all() and (claims["kind"] == "incident").all()
    assert (claims["source"] == "ACLED").all()


def test_exact_when_told(sample):
    raw, _, _ = sample
    claims, _ = read_acled(SAMPLE, errors="collect", fatalities="exact")
    fatalities = pd.to_numeric(raw.loc[claims.index, "fatalities"]).to_numpy()
    assert (claims["high"].to_numpy() == fatalities).all()
    with pytest.raises(ValueError):
        read_acled(SAMPLE, fatalities="lowest")


@pytest.mark.parametrize("which", ["sample", "real"])
def test_time_precision_gives_the_period(which, request):
    raw, claims, _ = request.getfixturevalue(which)
    day = pd.to_datetime(raw.loc[claims.index, "event_date"], format="%d %B %Y")
    precision = raw.loc[claims.index, "time_precision"].astype(float).to_numpy()
    start, end = claims["start"].to_numpy(), claims["end"].to_numpy()
    exact = precision == 1
    assert (start[exact] == day[exact].to_numpy()).all() and (end[exact] == day[exact].to_numpy()).all()
    week = precision == 2
    monday = (day - pd.to_timedelta(day.dt.day_of_week, unit="D")).to_numpy()
    assert week.any() and (start[week] == monday[week]).all()
    assert ((end[week] - start[week]) == np.timedelta64(6, "D")).all()
    assert (claims.loc[week, "date_precision"] == "week").all()
    month = precision == 3
    assert month.any() and (claims.loc[month, "date_precision"] == "month").all()
    assert (pd.DatetimeIndex(start[month]).day == 1).all()
    assert (pd.DatetimeIndex(start[month]).month == day[month].dt.month.to_numpy()).all()


@pytest.mark.parametrize("which", ["sample", "real"])
def test_actors_to_perpetrators(which, request):
    raw, claims, unmapped = request.getfixturevalue(which)
    both = raw.loc[claims.index, ["actor1", "actor2"]]
    ids1, known1 = resolve_actors(both["actor1"])
    ids2, known2 = resolve_actors(both["actor2"])
    # every perpetrator names actor1's id (or unknown) and actor2's
    for ids, known, name in ((ids1, known1, "actor1"), (ids2, known2, "actor2")):
        expected = ids.where(known, "unknown").where(both[name] != "")
        parts = claims["perpetrator"].str.split("|")
        inside = [e in p for e, p in zip(expected, parts) if isinstance(e, str)]
        assert all(inside)
        unknown = both[name].ne("") & ~known
        reported = unmapped[(unmapped["column"] == name) & (unmapped["reason"] == "unknown_perpetrator")]
        assert set(reported["row"]) == set(unknown.index[unknown])
        assert all(f"unknown {name}: " in n for n in claims.loc[unknown, "note"])


def test_a_state_force_unit_is_its_force():
    ids, known = resolve_actors(pd.Series(["Military Forces of Syria (2000-) 4th Armored Division", "Smugglers (Syria)", ""]))
    assert list(ids[:2]) == ["syrian-government", None] and list(known) == [True, False, False]


@pytest.mark.parametrize("which", ["sample", "real"])
def test_admin1_is_the_governorate(which, request):
    raw, claims, _ = request.getfixturevalue(which)
    spelled = {"Aleppo": "SY-HL", "Deir ez Zor": "SY-DY", "Idleb": "SY-ID", "Dara": "SY-DR", "Rural Damascus": "SY-RD",
               "Ar Raqqa": "SY-RA", "Al Hasakeh": "SY-HA", "As Sweida": "SY-SU", "Tartous": "SY-TA", "Lattakia": "SY-LA"}
    admin1 = raw.loc[claims.index, "admin1"]
    for name, id_ in spelled.items():
        if (admin1 == name).any():
            assert (claims.loc[(admin1 == name).to_numpy(), "place"] == id_).all(), name


def test_ids_notes_and_sources(sample):
    raw, claims, _ = sample
    first = claims.iloc[0]
    row = claims.index[0]
    assert first["quote"] == raw.at[row, "notes"]
    assert "ACLED's sources: " + raw.at[row, "source"] in first["note"]


def test_unreadable_rows_are_reported():
    raw = _raw(SAMPLE).head(5).copy()
    raw.loc[0, "event_date"] = "32 Smarch 2017"
    raw.loc[1, "admin1"] = "Atlantis"
    raw.loc[2, "time_precision"] = "7"
    raw.loc[3, "fatalities"] = "dozens"
    claims, unmapped = read_acled(raw, errors="collect")
    assert list(claims.index) == [4]
    reasons = unmapped.drop_duplicates("row").set_index("row")["reason"]
    assert reasons.loc[0] == "not_a_date" and reasons.loc[2] == "unknown_value" and reasons.loc[3] == "not_a_number"
    assert (unmapped.loc[unmapped["row"] == 1, "reason"] == "unknown_place").any()
    with pytest.raises(ClaimError):
        read_acled(raw, errors="raise")
    with pytest.warns(UnmappedWarning):
        read_acled(raw)


def test_misspelt_admin1_is_read_fuzzily():
    raw = _raw(SAMPLE).head(1).copy()
    raw.loc[0, "admin1"] = "Aleppoo"
    claims, _ = read_acled(raw, errors="collect")
    assert claims["place"].iloc[0] == "SY-HL" and "closest spelling" in claims["note"].iloc[0]
    _, unmapped = read_acled(raw, errors="collect", fuzzy_cutoff=None)
    assert list(unmapped["reason"]) == ["unknown_place"]


def test_bad_files(tmp_path):
    with pytest.raises(ClaimFileError):
        read_acled(tmp_path / "absent.csv")
    (tmp_path / "x.csv").write_text("event_id_cnty,event_date\nSYR1,01 June 2017\n")
    with pytest.raises(ClaimFileError, match="lacks the columns"):
        read_acled(tmp_path / "x.csv")


def test_a_clean_export_warns_nothing():
    raw = _raw(SAMPLE)
    known = resolve_actors(raw["actor1"])[1] & (resolve_actors(raw["actor2"])[1] | raw["actor2"].eq(""))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claims = read_acled(raw[known])
    assert len(claims) == known.sum()


def test_syria_2017_total(real):
    """The side-by-side table of docs/adapters.md: ACLED's battles in Syria in 2017."""
    raw, claims, _ = real
    in_2017 = (claims["start"] >= "2017-01-01") & (claims["end"] <= "2017-12-31")
    straddling = (claims["start"] <= "2017-12-31") & (claims["end"] >= "2017-01-01") & ~in_2017
    assert claims.loc[in_2017, "low"].sum() == 26575
    assert in_2017.sum() == 8759 and straddling.sum() == 0
    expected = pd.to_numeric(raw.loc[raw["year"] == "2017.0", "fatalities"]).sum()
    assert claims.loc[in_2017, "low"].sum() == expected


def test_a_country_name_that_is_a_province_elsewhere_is_an_unknown_country():
    # "Nan" is a province of Thailand (TH-55): not a country, one unmapped cell, not a crash
    raw = _raw(SAMPLE)
    raw.loc[0, "country"] = "Nan"
    claims, unmapped = read_acled(raw, errors="collect")
    hit = unmapped[unmapped["row"] == 0]
    assert hit[["column", "value", "reason"]].values.tolist() == [["country", "Nan", "unknown_place"]]
    assert 0 not in claims.index and len(claims) == len(read_acled(_raw(SAMPLE), errors="collect")[0]) - 1


@pytest.mark.parametrize("which", ["sample", "real"])
def test_location_and_point_are_the_events(which, request):
    raw, claims, _ = request.getfixturevalue(which)
    given = raw.loc[claims.index]
    assert claims["location"].tolist() == given["location"].tolist()
    assert np.array_equal(claims["latitude"].to_numpy(), given["latitude"].astype(float).to_numpy())
    assert np.array_equal(claims["longitude"].to_numpy(), given["longitude"].astype(float).to_numpy())
    assert claims["latitude"].notna().all() and claims["longitude"].notna().all()  # ACLED locates every event


def test_bad_coordinates_are_reported_and_the_claim_kept(sample):
    raw, claims, unmapped = sample
    bad = raw.copy()
    bad.loc[0, "latitude"], bad.loc[1, "longitude"], bad.loc[2, ["latitude", "longitude"]] = "", "200", ["0", "0"]
    claims_bad, unmapped_bad = read_acled(bad, errors="collect")
    assert claims_bad["claim_id"].tolist() == claims["claim_id"].tolist()
    assert claims_bad.loc[[0, 1, 2], ["latitude", "longitude"]].isna().all(axis=None)
    assert claims_bad.loc[3, "latitude"] == claims.loc[3, "latitude"]
    new = unmapped_bad[unmapped_bad["column"].isin(["latitude", "longitude"])]
    assert new[["row", "column", "reason"]].values.tolist() == [[0, "latitude", "missing"], [1, "longitude", "out_of_range"],
                                                                [2, "latitude", "null_island"]]
    assert len(unmapped_bad) == len(unmapped) + 3
