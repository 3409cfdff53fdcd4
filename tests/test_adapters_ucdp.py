"""read_ucdp_ged and read_ucdp_country_year.

No GED event file is in ``../shared/data``: ``tests/data/ucdp_ged_sample.csv`` is hand-made in
the layout of the UCDP GED codebook (version 23.1): ``id`` (event), ``type_of_violence`` (1
state-based, 2 non-state, 3 one-sided), ``side_a``/``side_b``, ``where_prec`` (1 exact place ... 4
first-order division, 5 larger than it, 6 the country, 7 international waters or airspace),
``adm_1``, ``country``, ``date_prec`` (1 the day ... 5 the year), ``date_start``/``date_end`` (the
earliest and latest possible day), ``deaths_a``, ``deaths_b``, ``deaths_civilians``,
``deaths_unknown`` (the best estimate, split) and ``best``, ``high``, ``low``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import casualties as cas
from casualties.adapters import UnmappedWarning, read_ucdp_country_year, read_ucdp_ged
from casualties.adapters.ucdp import ALL_TYPES
from casualties.errors import ClaimError, ClaimFileError

DATA = Path(__file__).parent / "data"
GED = DATA / "ucdp_ged_sample.csv"
COUNTRY_YEAR = DATA / "ucdp_country_year_sample.csv"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "ucdp"


def _raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def ged() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    claims, unmapped = read_ucdp_ged(GED, errors="collect")
    return _raw(GED), claims, unmapped


def _by_id(claims: pd.DataFrame) -> pd.DataFrame:
    return claims.set_index("claim_id")


# -- GED events ----------------------------------------------------------------------------------
def test_ged_every_row_accounted_for(ged):
    raw, claims, unmapped = ged
    lost = set(unmapped.loc[unmapped["detail"].str.contains("no claims from this row"), "row"])
    assert set(claims.index) | lost == set(range(len(raw)))
    assert not set(claims.index) & lost
    assert lost == {5, 9, 11}  # international waters, a date that is not one, a place that is none
    assert len(cas.validate(claims)) == len(claims)


def test_ged_all_deaths_as_given(ged):
    raw, claims, _ = ged
    everyone = claims[claims["category"] == "all"]
    for column in ("low", "best", "high"):
        assert (everyone[column].to_numpy() == pd.to_numeric(raw.loc[everyone.index, column]).to_numpy()).all()
    assert (everyone["incident_id"] == "GED" + raw.loc[everyone.index, "id"]).all()
    assert (everyone["kind"] == "incident").all() and (everyone["source"] == "UCDP").all()


def test_ged_parts_widen_by_the_estimates_spread(ged):
    _, claims, _ = ged
    by_id = _by_id(claims)
    # event 900001: best 27 (low 25, high 35) = 10 + 14 soldiers + 3 civilians + 0 unknown
    civilians = by_id.loc["GED900001:civilian"]
    assert (civilians["low"], civilians["best"], civilians["high"]) == (1, 3, 11)
    soldiers = by_id.loc["GED900001:combatant"]
    assert (soldiers["low"], soldiers["best"], soldiers["high"]) == (22, 24, 32)
    # event 900004: 40 of unknown status may be civilians
    assert by_id.loc["GED900004:civilian", "high"] == 0 + 40 + 50


def test_ged_parts_are_sound(ged):
    """Each part's range holds every split of the total consistent with GED's figures."""
    _, claims, _ = ged
    wide = claims.pivot_table(index="incident_id", columns="category", values=["low", "high"], observed=True)
    assert (wide[("low", "civilian")] + wide[("low", "combatant")] <= wide[("high", "all")]).all()
    assert (wide[("high", "civilian")] + wide[("high", "combatant")] >= wide[("low", "all")]).all()


def test_ged_periods_and_places(ged):
    _, claims, _ = ged
    by_id = _by_id(claims)
    assert by_id.loc["GED900003:all", "start"] == pd.Timestamp("2017-05-01")
    assert by_id.loc["GED900003:all", "end"] == pd.Timestamp("2017-05-07")
    assert by_id.loc["GED900001:all", "place"] == "SY-HI"  # "Hims governorate"
    assert by_id.loc["GED900004:all", "place"] == "SY"  # where_prec 6
    assert by_id.loc["GED900005:all", "place"] == "SY"  # where_prec 5: larger than a governorate
    assert by_id.loc["GED900008:all", "place"] == "IQ-NI"  # Iraq's own governorates
    assert by_id.loc["GED900009:all", "place"] == "SY-HL" and "closest spelling" in by_id.loc["GED900009:all", "note"]


def test_ged_sides_to_perpetrators(ged):
    _, claims, unmapped = ged
    by_id = _by_id(claims)
    assert by_id.loc["GED900001:all", "perpetrator"] == "isis|syrian-government"
    assert by_id.loc["GED900002:all", "perpetrator"] == "isis"  # one-sided: side_b is the victims
    assert by_id.loc["GED900005:all", "perpetrator"] == "coalition|isis"
    assert by_id.loc["GED900007:all", "perpetrator"] == "isis|unknown"
    assert "Hezbollah" in by_id.loc["GED900007:all", "note"]
    reported = unmapped[unmapped["reason"] == "unknown_perpetrator"]
    assert set(reported["value"]) == {"Hezbollah", "Government of Iraq"}


def test_ged_errors_modes(ged):
    with pytest.warns(UnmappedWarning):
        read_ucdp_ged(GED)
    with pytest.raises(ClaimError):
        read_ucdp_ged(GED, errors="raise")


def test_ged_without_the_split_gives_totals_only(ged):
    raw, _, _ = ged
    claims, _ = read_ucdp_ged(raw.drop(columns=["deaths_civilians", "deaths_a"]), errors="collect")
    assert set(claims["category"]) == {"all"}


# -- country-year sums ---------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["sample", "real"])
def country_year(request) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    if request.param == "sample":
        path = COUNTRY_YEAR
    else:
        path = SHARED / "country_year_by_violence_type.csv.gz"
        if not path.is_file():
            pytest.skip("../shared/data is not present (a user's fresh clone); CI always has it")
    claims, unmapped = read_ucdp_country_year(path, errors="collect")
    return _raw(path), claims, unmapped


def test_country_year_one_total_per_all_types_row(country_year):
    raw, claims, unmapped = country_year
    total = raw["type_of_violence"] == ALL_TYPES
    lost = set(unmapped["row"])
    assert set(claims.index) == set(raw.index[total]) - lost
    assert set(claims.index) | lost | set(raw.index[~total]) == set(range(len(raw)))  # per-type rows: no claim by rule
    assert (claims["kind"] == "total").all() and (claims["category"] == "all").all() and (claims["perpetrator"] == "all").all()
    assert len(cas.validate(claims)) == len(claims)


def test_country_year_figures_and_notes(country_year):
    raw, claims, _ = country_year
    syria = claims[(claims["place"] == "SY") & (claims["start"] == "2017-01-01")].iloc[0]
    assert (syria["low"], syria["best"], syria["high"]) == (32694, 33404, 36861)
    assert syria["end"] == pd.Timestamp("2017-12-31")
    assert "state-based conflict 21417 (21250-22431)" in syria["note"]
    assert "one-sided violence 652 (651-841)" in syria["note"]
    # the types add up to the total in the source, so their bests are in the note, not claims
    parts = raw[(raw["entity"] == "Syria") & (raw["year"] == "2017") & (raw["type_of_violence"] != ALL_TYPES)]
    assert pd.to_numeric(parts["best"]).sum() == syria["best"]


def test_country_year_reports_regions_and_duplicates(country_year):
    _, claims, unmapped = country_year
    unknown = set(unmapped.loc[unmapped["reason"] == "unknown_place", "value"])
    assert {"Middle East", "Kosovo"} <= unknown
    assert "World" not in unknown and (claims["place"] == "world").any()
    assert "Democratic Republic of Congo" not in unknown and (claims["place"] == "CD").any()
    assert set(unmapped.loc[unmapped["reason"] == "duplicate_id", "value"]) == {"Somalia"}


def test_country_year_syria_and_iraq_file():
    path = SHARED / "country_year_syria_iraq.csv"
    if not path.is_file():
        pytest.skip("../shared/data is not present (a user's fresh clone); CI always has it")
    claims, unmapped = read_ucdp_country_year(path, errors="collect")
    assert len(unmapped) == 0 and len(claims) == 2 * 34
    assert set(claims["place"]) == {"SY", "IQ"}


def test_country_year_bad_file(tmp_path):
    (tmp_path / "x.csv").write_text("entity,year\nSyria,2017\n")
    with pytest.raises(ClaimFileError):
        read_ucdp_country_year(tmp_path / "x.csv")
    orphan = pd.DataFrame({"entity": ["Syria"], "year": ["2017"], "type_of_violence": ["One-sided violence"], "best": ["652"]})
    claims, unmapped = read_ucdp_country_year(orphan, errors="collect")
    assert len(claims) == 0 and list(unmapped["reason"]) == ["missing"]


@pytest.mark.parametrize("year", ["0", "-5", "99999999999", "1e20"])
def test_a_country_year_out_of_range_is_one_unmapped_cell(year):
    raw = _raw(COUNTRY_YEAR)
    total = raw.index[raw["type_of_violence"] == ALL_TYPES][0]
    raw.loc[total, "year"] = year
    claims, unmapped = read_ucdp_country_year(raw, errors="collect")
    hit = unmapped[(unmapped["row"] == total) & (unmapped["column"] == "year")]
    assert hit[["value", "reason"]].values.tolist() == [[year, "not_a_date"]]
    assert total not in claims.index
    before = read_ucdp_country_year(_raw(COUNTRY_YEAR), errors="collect")[0]
    assert len(claims) == len(before) - 1


def test_ged_location_and_point(ged):
    _, claims, _ = ged
    by_id = _by_id(claims)
    palmyra = by_id.loc["GED900001:all"]
    assert (palmyra["location"], palmyra["latitude"], palmyra["longitude"]) == ("Tadmur town", 34.560556, 38.267222)
    assert by_id.loc["GED900001:civilian", "latitude"] == 34.560556  # every claim of the event
    assert by_id.loc["GED900008:all", "longitude"] == 43.118889
    near = by_id.loc["GED900003:all"]  # no where_coordinates: the description, and no point
    assert near["location"] == "near Tabqa" and np.isnan(near["latitude"]) and np.isnan(near["longitude"])


def test_ged_bad_coordinates_are_reported_and_left_missing(ged):
    raw, claims, unmapped = ged
    bad = raw.copy()
    bad.loc[0, "latitude"], bad.loc[1, "longitude"] = "34,56", "-181"
    claims_bad, unmapped_bad = read_ucdp_ged(bad, errors="collect")
    assert claims_bad["claim_id"].tolist() == claims["claim_id"].tolist()
    assert claims_bad.loc[[0, 1], ["latitude", "longitude"]].isna().all(axis=None)
    new = unmapped_bad[unmapped_bad["column"].isin(["latitude", "longitude"])]
    assert new[["row", "column", "reason"]].values.tolist() == [[0, "latitude", "not_a_number"], [1, "longitude", "out_of_range"]]
    assert len(unmapped_bad) == len(unmapped) + 2
