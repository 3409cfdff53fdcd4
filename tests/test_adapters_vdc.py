"""read_vdc_weekly: the VDC's weekly tables as total claims per week (and province)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import casualties as cas
from casualties.adapters import UnmappedWarning, read_vdc_weekly
from casualties.adapters.vdc import week_days
from casualties.errors import ClaimError, ClaimFileError

DATA = Path(__file__).parent / "data"
PROVINCE = DATA / "vdc_weekly_by_province_sample.csv"
NATIONAL = DATA / "vdc_weekly_national_sample.csv"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "vdc"


def _raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _shared(name: str) -> Path:
    path = SHARED / name
    if not path.is_file():
        pytest.skip("../shared/data is not present (a user's fresh clone); CI always has it")
    return path


@pytest.fixture(scope="module", params=["sample", "real"])
def province(request) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    path = PROVINCE if request.param == "sample" else _shared("weekly_by_province.csv")
    claims, unmapped = read_vdc_weekly(path, errors="collect")
    return _raw(path), claims, unmapped


def test_week_labels():
    first = dt.date(2011, 3, 18)
    d = dt.date
    assert week_days(2016, 53, "calendar") == [(d(2016, 1, 1), d(2016, 1, 3))]
    assert week_days(2015, 53, "calendar") == [(d(2015, 12, 28), d(2015, 12, 31))]
    assert week_days(2015, 53, "iso") == [(d(2015, 12, 28), d(2016, 1, 3))]
    assert week_days(2016, 53, "iso") == []
    assert week_days(2017, 52, "calendar") == [(d(2017, 1, 1), d(2017, 1, 1)), (d(2017, 12, 25), d(2017, 12, 31))]
    assert week_days(2011, 52, "calendar", first) == [(d(2011, 12, 26), d(2011, 12, 31))]
    assert week_days(2011, 11, "calendar", first) == [(d(2011, 3, 18), d(2011, 3, 20))]


def test_the_tables_week_labels_are_as_documented():
    """The province table labels calendar years, the national one ISO years (see vdc.py)."""
    by_province, national = _raw(_shared("weekly_by_province.csv")), _raw(_shared("weekly_national.csv"))
    weeks = by_province.assign(total=pd.to_numeric(by_province["total"])).groupby(["year", "week"])["total"].sum()
    deaths = national.assign(deaths=pd.to_numeric(national["deaths"])).set_index(["year", "week"])["deaths"]
    assert ("2016", "53") in weeks.index and ("2016", "53") not in deaths.index
    assert weeks[("2015", "53")] + weeks[("2016", "53")] == deaths[("2015", "53")]  # 28 Dec 2015 to 3 Jan 2016


def test_every_row_accounted_for(province):
    raw, claims, unmapped = province
    assert set(claims.index) | set(unmapped["row"]) == set(range(len(raw)))
    assert not set(claims.index) & set(unmapped["row"])
    assert (claims.index.value_counts() == 3).all()  # civilians, combatants, everyone
    assert len(cas.validate(claims)) == len(claims)


def test_counts_by_status(province):
    raw, claims, _ = province
    for column, category in (("Civilian", "civilian"), ("Non-Civilian", "combatant"), ("total", "all")):
        mine = claims[claims["category"] == category]
        value = pd.to_numeric(raw.loc[mine.index, column]).to_numpy()
        assert (mine["low"].to_numpy() == value).all() and (mine["high"].to_numpy() == value).all()
    assert (claims["kind"] == "total").all() and (claims["perpetrator"] == "all").all() and (claims["source"] == "VDC").all()


def test_weeks_that_are_two_periods_are_reported(province):
    raw, claims, unmapped = province
    two = unmapped[unmapped["reason"] == "not_a_period"]
    labels = set(zip(raw.loc[two["row"], "year"], raw.loc[two["row"], "week"]))
    assert labels <= {("2012", "1"), ("2012", "52"), ("2013", "1"), ("2014", "1"), ("2017", "52"), ("2018", "1")}
    assert ("2017", "52") in labels
    assert (unmapped["reason"] == "not_a_period").all()


def test_new_year_weeks(province):
    raw, claims, _ = province
    label = raw["year"] + "-" + raw["week"]
    for text, start, end in (("2016-53", "2016-01-01", "2016-01-03"), ("2015-53", "2015-12-28", "2015-12-31"),
                             ("2017-1", "2017-01-02", "2017-01-08"), ("2011-52", "2011-12-26", "2011-12-31")):
        rows = raw.index[label == text]
        if len(rows):
            mine = claims.loc[claims.index.isin(rows)]
            assert (mine["start"] == start).all() and (mine["end"] == end).all(), text


def test_causes_in_the_note(province):
    raw, claims, _ = province
    everyone = claims[claims["category"] == "all"]
    warplanes = pd.to_numeric(raw.loc[everyone.index, "Warplane shelling"])
    with_planes = everyone[(warplanes > 0).to_numpy()]
    assert len(with_planes)
    for row, note in with_planes["note"].items():
        assert f"Warplane shelling {raw.at[row, 'Warplane shelling']}" in note


def test_provinces(province):
    raw, claims, _ = province
    places = claims.assign(province=raw.loc[claims.index, "province"].to_numpy()).groupby("province")["place"].first()
    expected = {"Aleppo": "SY-HL", "Raqqa": "SY-RA", "Damascus Suburbs": "SY-RD", "Hasakeh": "SY-HA",
                "Sweida": "SY-SU", "Deir Ezzor": "SY-DY", "Tartous": "SY-TA", "Damascus": "SY-DI", "Quneitra": "SY-QU"}
    for name, id_ in expected.items():
        if name in places.index:
            assert places[name] == id_, name


def test_national_table():
    claims, unmapped = read_vdc_weekly(NATIONAL, errors="collect")
    raw = _raw(NATIONAL)
    assert len(unmapped) == 0 and len(claims) == len(raw)
    assert (claims["place"] == "SY").all() and (claims["category"] == "all").all()
    week = claims[claims["claim_id"] == "VDC:2015-W53:SY:all"].iloc[0]
    assert (week["start"], week["end"]) == (pd.Timestamp("2015-12-28"), pd.Timestamp("2016-01-03"))
    assert (claims["date_precision"] == "week").all()


def test_calendar_labels_read_as_iso_are_refused():
    raw = _raw(PROVINCE)
    _, unmapped = read_vdc_weekly(raw, errors="collect", weeks="iso")
    refused = raw.loc[unmapped["row"], ["year", "week"]].drop_duplicates()
    assert list(map(tuple, refused.to_numpy())) == [("2016", "53")]


def test_syria_2017_total():
    """The side-by-side table of docs/adapters.md: the VDC's dead in Syria in 2017."""
    raw = _raw(_shared("weekly_by_province.csv"))
    claims, unmapped = read_vdc_weekly(raw, errors="collect")
    everyone = claims[claims["category"] == "all"]
    in_2017 = everyone[(everyone["start"] >= "2017-01-01") & (everyone["end"] <= "2017-12-31")]
    assert in_2017["low"].sum() == 10869
    assert (in_2017["start"].min(), in_2017["end"].max()) == (pd.Timestamp("2017-01-02"), pd.Timestamp("2017-12-24"))
    bucket = unmapped[(raw.loc[unmapped["row"], "year"].to_numpy() == "2017")]
    assert pd.to_numeric(raw.loc[bucket["row"], "total"]).sum() == 211  # 1 January and 25-31 December
    assert pd.to_numeric(raw.loc[raw["year"] == "2017", "total"]).sum() == 11080  # calendar 2017
    civilians = claims[(claims["category"] == "civilian") & claims["start"].between("2017-01-01", "2017-12-31")]
    assert civilians["low"].sum() == CIVILIANS_2017


#: docs/adapters.md: the VDC's civilians of 2017 in its claims (2 January to 24 December).
CIVILIANS_2017 = 7565


def test_errors_and_bad_files(tmp_path):
    with pytest.warns(UnmappedWarning):
        read_vdc_weekly(PROVINCE)
    with pytest.raises(ClaimError):
        read_vdc_weekly(PROVINCE, errors="raise")
    (tmp_path / "cause.csv").write_text("year,week,deathCause,total\n2017,1,Shelling,3\n")
    with pytest.raises(ClaimFileError, match="not a VDC weekly table"):
        read_vdc_weekly(tmp_path / "cause.csv")
    with pytest.raises(ValueError):
        read_vdc_weekly(NATIONAL, weeks="gregorian")


@pytest.mark.parametrize("year", ["0", "-5", "99999999999", "1e20"])
@pytest.mark.parametrize("table", [NATIONAL, PROVINCE])
def test_a_year_out_of_range_is_one_unmapped_cell(table, year):
    raw = _raw(table)
    raw.loc[0, "year"] = year
    claims, unmapped = read_vdc_weekly(raw, errors="collect")
    hit = unmapped[unmapped["row"] == 0]
    assert hit[["column", "value", "reason"]].values.tolist() == [["year", year, "not_a_date"]]
    assert 0 not in claims.index
