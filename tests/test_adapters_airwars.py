"""read_airwars: Airwars' incident table and the coalition's assessments, as claims.

Counts are derived with plain pandas from the input and compared with the adapter's output; the
real file (``../shared/data``) is read when present, the extract in ``tests/data`` always.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import casualties as cas
from casualties.adapters import UnmappedWarning, read_airwars
from casualties.adapters.airwars import PARTS
from casualties.errors import ClaimError, ClaimFileError

SAMPLE = Path(__file__).parent / "data" / "airwars_sample.csv"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "airwars" / "syria_incidents.csv"
FIGURES = [f"{prefix}_{end}" for _, _, prefix in PARTS.values() for end in ("min", "max")]
CONCEDED = ["belligerent_civ_deaths_conceded_min", "belligerent_civ_deaths_conceded_max",
            "belligerent_civ_injuries_conceded_min", "belligerent_civ_injuries_conceded_max"]
#: The engine's acceptance checks (the battle of Raqqa, the discrepancies) run: the engine's fast
#: path for incident-only accounts makes them take seconds. Set False to skip them, stating why.
ENGINE_ACCEPTANCE = True


def _raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _real() -> Path:
    if not REAL.is_file():
        pytest.skip("../shared/data is not present (a user's fresh clone); CI always has it")
    return REAL


@pytest.fixture(scope="module")
def sample() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    claims, unmapped = read_airwars(SAMPLE, errors="collect")
    return _raw(SAMPLE), claims, unmapped


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    path = _real()
    claims, unmapped = read_airwars(path, errors="collect")
    return _raw(path), claims, unmapped


def _part(claims: pd.DataFrame) -> pd.Series:
    return claims["claim_id"].str.split(":").str[-1]


def _row_level_failures(unmapped: pd.DataFrame) -> set[int]:
    """Rows whose every claim was refused (no code, no date, no place)."""
    whole = unmapped["detail"].str.contains("no claims from this row")
    return set(unmapped.loc[whole, "row"])


def _no_claim_by_rule(raw: pd.DataFrame) -> pd.Series:
    """Rows with no figure and no verdict that makes a belligerent claim: no claim, by rule."""
    no_figure = (raw[FIGURES] == "").all(axis=1)
    verdict = raw["belligerent_assessment"].str.contains(r"(?:coalition|united_kingdom):(?:credible|non_credible)")
    return no_figure & ~verdict


@pytest.mark.parametrize("which", ["sample", "real"])
def test_every_row_is_accounted_for(which, request):
    raw, claims, unmapped = request.getfixturevalue(which)
    rows = set(range(len(raw)))
    by_rule = set(raw.index[_no_claim_by_rule(raw)])
    assert set(claims.index) | set(unmapped["row"]) | by_rule == rows
    assert not by_rule & set(claims.index)
    assert set(claims.index) <= rows and set(unmapped["row"]) <= rows


@pytest.mark.parametrize("which", ["sample", "real"])
def test_claims_validate(which, request):
    _, claims, _ = request.getfixturevalue(which)
    with warnings.catch_warnings():
        # data/sources.csv does not list the UK Ministry of Defence (yet): validate names it
        warnings.filterwarnings("ignore", "unknown source kept as given: 'UK Ministry of Defence'")
        again = cas.validate(claims)
    assert len(again) == len(claims)
    assert claims["claim_id"].is_unique
    assert (claims["kind"] == "incident").all()
    assert claims.index.name == "row"


@pytest.mark.parametrize("which", ["sample", "real"])
def test_one_claim_per_figure_given_and_none_without(which, request):
    raw, claims, unmapped = request.getfixturevalue(which)
    lost = _row_level_failures(unmapped)
    airwars = claims[claims["source"] == "Airwars"]
    part = _part(airwars)
    refused = unmapped[unmapped["reason"].isin(["conflicting_input", "low_above_best", "best_above_high", "not_a_number"])]
    for name, (_, _, prefix) in PARTS.items():
        given = (raw[f"{prefix}_min"] != "") | (raw[f"{prefix}_max"] != "")
        expected = set(raw.index[given]) - lost - set(refused.loc[refused["column"].str.startswith(prefix), "row"])
        assert set(airwars.index[part == name]) == expected, name
    no_killed = (raw["airwars_civ_killed_min"] == "") & (raw["airwars_civ_killed_max"] == "")
    assert not set(raw.index[no_killed]) & set(airwars.index[part == "killed"])


def test_coalition_incidents_without_a_killed_figure_give_no_killed_claim(real):
    raw, claims, _ = real
    coalition = raw["belligerents"].str.contains("U.S.-led Coalition", regex=False)
    no_killed = (raw["airwars_civ_killed_min"] == "") & (raw["airwars_civ_killed_max"] == "")
    assert (coalition & no_killed).sum() == 153  # as the shared data's README says
    killed = claims[(claims["source"] == "Airwars") & (_part(claims) == "killed")]
    assert not set(raw.index[coalition & no_killed]) & set(killed.index)


def test_multi_day_incidents_keep_their_range(real):
    raw, claims, _ = real
    spans = raw["date_end"] != ""
    coalition = raw["belligerents"].str.contains("U.S.-led Coalition", regex=False)
    assert (coalition & spans).sum() == 50  # as the shared data's README says
    killed = claims[(_part(claims) == "killed")]
    both = killed.index.intersection(raw.index[spans])
    expected = pd.to_datetime(raw.loc[both, "date_end"]).to_numpy()
    assert (killed.loc[both, "end"].to_numpy() == expected).all()
    source = raw.loc[killed.index]
    assert (killed["end"] > killed["start"]).sum() == (source["date_end"].ne("") & source["date_end"].ne(source["date"])).sum()


@pytest.mark.parametrize("which", ["sample", "real"])
def test_credible_assessments_become_confirmed_cjtf_oir_claims(which, request):
    raw, claims, unmapped = request.getfixturevalue(which)
    lost = _row_level_failures(unmapped)
    cs = raw["code"].str.contains(r"\bCS\d")
    credible = raw["belligerent_assessment"].str.contains("coalition:credible", regex=False)
    deaths = (raw["belligerent_civ_deaths_conceded_min"] != "") | (raw["belligerent_civ_deaths_conceded_max"] != "")
    expected = set(raw.index[cs & credible & deaths]) - lost
    admitted = claims[(claims["source"] == "CJTF-OIR") & (_part(claims) == "cjtf-oir-killed") & (claims["certainty"] == "confirmed")]
    assert set(admitted.index) == expected
    low = pd.to_numeric(raw.loc[admitted.index, "belligerent_civ_deaths_conceded_min"])
    assert (admitted["low"].to_numpy() == low.to_numpy()).all()
    assert (admitted["source_type"] == "belligerent").all() and (admitted["perpetrator"] == "coalition").all()
    assert (admitted["incident_id"].to_numpy() == raw.loc[admitted.index, "code"].to_numpy()).all()


@pytest.mark.parametrize("which", ["sample", "real"])
def test_non_credible_is_a_claim_of_zero(which, request):
    raw, claims, unmapped = request.getfixturevalue(which)
    lost = _row_level_failures(unmapped)
    denied = raw["belligerent_assessment"].str.contains("coalition:non_credible", regex=False)
    conceded = raw[CONCEDED[:2]].apply(pd.to_numeric, errors="coerce").fillna(0)
    zero = (conceded == 0).all(axis=1)
    expected = set(raw.index[denied & zero]) - lost
    zeros = claims[(_part(claims) == "cjtf-oir-killed") & claims["certainty"].isna()]
    assert set(zeros.index) == expected
    assert (zeros["low"] == 0).all() and (zeros["high"] == 0).all()
    contradicted = set(raw.index[denied & ~zero]) - lost
    reported = unmapped[(unmapped["reason"] == "conflicting_input") & (unmapped["column"] == "belligerent_civ_deaths_conceded_min")]
    assert set(reported["row"]) == contradicted


def test_other_verdicts_make_no_belligerent_claim(sample):
    raw, claims, _ = sample
    other = raw["belligerent_assessment"].str.contains(r"coalition:(?:not_yet_assessed|open_incident|duplicate)")
    belligerent = claims[claims["source_type"] == "belligerent"]
    assert not set(raw.index[other]) & set(belligerent.index)


def test_the_uk_admission_is_the_uk_ministry_of_defence(sample):
    raw, claims, _ = sample
    row = raw.index[raw["code"] == "CS1740"][0]
    uk = claims.loc[[row]]
    uk = uk[uk["source"] == "UK Ministry of Defence"]
    assert set(_part(uk)) == {"uk-mod-killed", "uk-mod-injured"}
    assert uk.loc[_part(uk) == "uk-mod-killed", "low"].iloc[0] == 1


def test_statement_is_the_quote_and_its_latest_date_reported_on(sample):
    raw, claims, _ = sample
    row = raw.index[raw["code"] == "CS1368"][0]
    claim = claims[(claims.index == row) & (_part(claims) == "cjtf-oir-killed")].iloc[0]
    assert claim["quote"] == raw.at[row, "belligerent_statements"]
    assert claim["reported_on"] == pd.Timestamp("2019-02-28")  # of [20190228] and [20180328]
    assert (claim["low"], claim["high"]) == (12, 13)


def test_disputed_codes_name_several_perpetrators(sample):
    raw, claims, _ = sample
    by_code = claims[claims["source"] == "Airwars"].groupby("incident_id")["perpetrator"].first()
    assert by_code["CS214 RS0806"] == "coalition|russia"
    assert by_code["CS459 TS062"] == "coalition|turkey"
    assert by_code["CS214"] == "coalition"
    listed = raw.set_index("code")["belligerents"]
    assert listed["CS1580a"] == "" and by_code["CS1580a"] == "coalition"  # from the code alone


@pytest.mark.parametrize("which", ["sample", "real"])
def test_duplicate_codes_are_kept_and_reported(which, request):
    raw, claims, unmapped = request.getfixturevalue(which)
    tokens = raw["code"].str.split().explode()
    pairs = pd.DataFrame({"row": tokens.index, "token": tokens.to_numpy()}).drop_duplicates()
    shared = pairs[pairs.groupby("token")["row"].transform("size") > 1]
    reported = unmapped[unmapped["reason"] == "duplicate_id"]
    assert set(reported["row"]) == set(shared["row"])
    if which == "real":
        assert set(shared["token"]) == {"TS633", "TS631", "CS1580a", "CS562", "TS062", "CS214", "CS192"}
    with_figures = [r for r in shared["row"] if (raw.loc[r, FIGURES] != "").any()]
    assert set(with_figures) <= set(claims.index)  # kept, not merged
    exact = raw[raw["code"].duplicated(keep=False)]
    for code in exact["code"].unique():
        ids = claims.loc[claims["incident_id"] == code, "claim_id"]
        assert ids.is_unique and len(ids) > 0


def test_misspelt_governorates_are_read_and_named(sample):
    raw, claims, _ = sample
    for code, place in (("RS3038", "SY-DI"), ("RS2097", "SY-HL"), ("CS876", "SY-RA")):
        row = raw.index[raw["code"] == code][0]
        claim = claims.loc[[row]].iloc[0]
        assert claim["place"] == place
        assert "closest spelling" in claim["note"]


def test_disagreeing_governorate_and_region_cover_both(sample):
    raw, claims, _ = sample
    row = raw.index[raw["code"] == "RS4378"][0]  # governorate Aleppo, region Idlib
    claim = claims.loc[[row]].iloc[0]
    assert claim["place"] == "SY-HL|SY-ID"
    assert "disagree" in claim["note"]


def test_no_governorate_means_the_country(sample):
    raw, claims, _ = sample
    row = raw.index[raw["code"] == "TS490"][0]
    assert (claims.loc[[row], "place"] == "SY").all()


def test_missing_date_gives_no_claim_and_is_reported(sample):
    raw, claims, unmapped = sample
    rows = set(raw.index[raw["date"] == ""])
    assert rows and not rows & set(claims.index)
    assert rows <= set(unmapped.loc[(unmapped["column"] == "date") & (unmapped["reason"] == "missing"), "row"])


def test_parts_that_cannot_fit_are_reported_not_kept(sample):
    raw, claims, unmapped = sample
    row = raw.index[raw["code"] == "CS956c"][0]  # 5 killed, 3 children, 5 women
    kept = set(_part(claims.loc[[row]]))
    assert "killed" in kept and "children" in kept and "women" not in kept
    entry = unmapped[(unmapped["row"] == row) & (unmapped["reason"] == "conflicting_input")]
    assert list(entry["column"]) == ["airwars_women_killed_min"]


def test_unknown_belligerent_is_unknown_with_its_name(sample):
    raw, claims, unmapped = sample
    row = raw.index[raw["code"] == "JS007"][0]
    claim = claims.loc[[row]].iloc[0]
    assert claim["perpetrator"] == "unknown" and "Jordanian Military" in claim["note"]
    assert ((unmapped["row"] == row) & (unmapped["reason"] == "unknown_perpetrator")).any()


def test_lowest_grade_of_several(sample):
    raw, claims, _ = sample
    row = raw.index[raw["code"] == "CS1477 RS2440"][0]
    assert (claims.loc[[row]].query("source == 'Airwars'")["certainty"] == "discounted").all()


def test_row_order_does_not_matter():
    raw = _raw(SAMPLE)
    raw = raw[~raw["code"].duplicated(keep=False)]  # occurrence numbers follow the file's order
    forward, _ = read_airwars(raw, errors="collect")
    backward, _ = read_airwars(raw.iloc[::-1].reset_index(drop=True), errors="collect")
    columns = ["claim_id", "source", "start", "end", "place", "category", "perpetrator", "outcome", "low", "high", "certainty"]
    a = forward[columns].sort_values("claim_id").reset_index(drop=True)
    b = backward[columns].sort_values("claim_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_a_frame_reads_like_its_file(sample):
    _, claims, unmapped = sample
    again, again_unmapped = read_airwars(_raw(SAMPLE), errors="collect")
    pd.testing.assert_frame_equal(claims, again)
    pd.testing.assert_frame_equal(unmapped, again_unmapped)


def test_errors_modes(sample):
    _, claims, unmapped = sample
    assert len(unmapped)
    with pytest.warns(UnmappedWarning) as caught:
        warned = read_airwars(SAMPLE)
    pd.testing.assert_frame_equal(warned, claims)
    mine = [w for w in caught if isinstance(w.message, UnmappedWarning)]
    assert len(mine) == 1 and len(mine[0].message.unmapped) == len(unmapped)
    with pytest.raises(ClaimError) as error:
        read_airwars(SAMPLE, errors="raise")
    assert len(error.value.failures) == len(unmapped)
    with pytest.raises(ValueError):
        read_airwars(SAMPLE, errors="ignore")


def test_a_clean_table_warns_nothing():
    raw = _raw(SAMPLE)
    clean = raw[raw["code"].isin(["CS1603", "CS1401"])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claims = read_airwars(clean)
    assert len(claims) > 0
    assert read_airwars(clean, errors="raise").equals(claims)


def test_bad_files(tmp_path):
    with pytest.raises(ClaimFileError):
        read_airwars(tmp_path / "absent.csv")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ClaimFileError, match="lacks the columns"):
        read_airwars(tmp_path / "other.csv")


# -- acceptance with the engine: the battle of Raqqa, and what the coalition conceded ---------------
engine = pytest.mark.skipif(not ENGINE_ACCEPTANCE, reason="ENGINE_ACCEPTANCE is False: the engine is too slow for thousands of incidents")


def raqqa_coalition(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims of coalition incidents placed in Raqqa governorate (as in docs/adapters.md)."""
    in_raqqa = claims["place"].str.contains(r"(?:^|\|)SY-RA(?:$|\|)")
    return claims[in_raqqa & claims["perpetrator"].str.contains("coalition", regex=False)]


SCOPE_2017 = dict(start="2017-01-01", end="2017-12-31", place="SY-RA", perpetrator="coalition", category="civilian")
BATTLE = dict(start="2017-06-06", end="2017-10-17", place="SY-RA", perpetrator="coalition", category="civilian")

#: docs/adapters.md, "The battle of Raqqa": (low, high) per month of 2017, January to October
#: (November and December are 0 for both).
MONTHS_ALL_GRADES = {
    "Airwars": [(55, 80), (131, 178), (404, 928), (322, 437), (369, 550), (562, 733), (363, 740), (772, 1082), (373, 819), (640, 788)],
    "CJTF-OIR": [(2, 2), (11, 11), (74, 74), (27, 27), (36, 36), (58, 58), (31, 31), (73, 74), (4, 4), (16, 16)],
}
MONTHS_FAIR = {
    "Airwars": [(51, 68), (46, 60), (277, 759), (233, 284), (273, 391), (436, 527), (274, 366), (531, 754), (332, 402), (292, 423)],
    "CJTF-OIR": MONTHS_ALL_GRADES["CJTF-OIR"],
}
BATTLE_ALL_GRADES = {"Airwars": (2651, 4063), "CJTF-OIR": (177, 178)}
BATTLE_FAIR = {"Airwars": (1817, 2384), "CJTF-OIR": (177, 178)}
YEAR_ALL_GRADES = {"Airwars": (3997, 6329), "CJTF-OIR": (332, 333)}
YEAR_FAIR = {"Airwars": (2751, 4028), "CJTF-OIR": (332, 333)}


@engine
@pytest.mark.parametrize("min_certainty, expected", [(None, MONTHS_ALL_GRADES), ("fair", MONTHS_FAIR)])
def test_battle_of_raqqa_months(real, min_certainty, expected):
    _, claims, _ = real
    months = cas.period_totals(raqqa_coalition(claims), "MS", cas.Scope(**SCOPE_2017), min_certainty=min_certainty)
    assert months["feasible"].all()
    for source, bounds in expected.items():
        mine = months[months["source"] == source]
        assert len(mine) == 12
        got = list(zip(mine["low"].astype(int), mine["high"].astype(int)))
        assert got == bounds + [(0, 0), (0, 0)], source
        assert (mine["low"] <= mine["best"]).all() and (mine["best"] <= mine["high"]).all()


@engine
@pytest.mark.parametrize("scope, min_certainty, expected", [
    (BATTLE, None, BATTLE_ALL_GRADES), (BATTLE, "fair", BATTLE_FAIR),
    (SCOPE_2017, None, YEAR_ALL_GRADES), (SCOPE_2017, "fair", YEAR_FAIR),
])
def test_battle_of_raqqa_window(real, scope, min_certainty, expected):
    _, claims, _ = real
    window = cas.ranges(raqqa_coalition(claims), cas.Scope(**scope), min_certainty=min_certainty).set_index("source")
    for source, (low, high) in expected.items():
        assert (window.at[source, "low"], window.at[source, "high"]) == (low, high), source


@engine
def test_the_window_is_bounded_by_its_months(real):
    """Soundness across questions: the window lies within the sum of the months it touches."""
    _, claims, _ = real
    raqqa = raqqa_coalition(claims)
    months = cas.period_totals(raqqa, "MS", cas.Scope(**SCOPE_2017))
    window = cas.ranges(raqqa, cas.Scope(**BATTLE)).set_index("source")
    touched = months[(months["period_end"] >= "2017-06-06") & (months["period_start"] <= "2017-10-17")]
    for source, group in touched.groupby("source"):
        assert window.at[source, "high"] <= group["high"].sum()


def coalition_discrepancies(claims: pd.DataFrame) -> pd.DataFrame:
    """Airwars against the coalition's own claims, incident by incident (as in docs/adapters.md)."""
    assessed = claims.groupby("incident_id")["source"].transform(lambda s: s.eq("CJTF-OIR").any())
    pairs = claims[assessed & claims["source"].isin(["Airwars", "CJTF-OIR"])]
    found = cas.discrepancies(pairs)
    incident = pairs.set_index("claim_id")["incident_id"]
    return found.assign(incident_id=found["claim_a"].map(incident))


@engine
def test_discrepancies_between_airwars_and_the_coalition(real):
    _, claims, _ = real
    found = coalition_discrepancies(claims)
    assert set(found["relation"]) <= {"same-incident", "within", "contains"}
    per_incident = found.groupby("incident_id")["gap"].max()
    conflicting = per_incident[per_incident > 0].sort_values(ascending=False, kind="stable")
    assert len(conflicting) == 1297
    assert conflicting.sum() == 5778
    assert list(conflicting.index[:3]) == ["CS1603", "CS1401", "CS065"]
    assert list(conflicting.iloc[:3]) == [240, 78, 64]
    raqqa = coalition_discrepancies(raqqa_coalition(claims[(claims["start"] <= "2017-12-31") & (claims["end"] >= "2017-01-01")]))
    per_incident = raqqa.groupby("incident_id")["gap"].max()
    assert (per_incident > 0).sum() == RAQQA_2017_CONFLICTS[0]
    assert per_incident.sum() == RAQQA_2017_CONFLICTS[1]


#: docs/adapters.md: incidents of 2017 in Raqqa governorate where Airwars and CJTF-OIR conflict,
#: and the total gap [people].
RAQQA_2017_CONFLICTS = (696, 3141)


# -- one bad cell (issue 17) ---------------------------------------------------------------------------
def _no_row_lost(raw: pd.DataFrame, claims: pd.DataFrame, unmapped: pd.DataFrame) -> None:
    assert set(claims.index) | set(unmapped["row"]) <= set(range(len(raw)))


def test_an_infinite_figure_is_one_unmapped_cell_not_a_crash():
    raw = _raw(SAMPLE)
    raw.loc[0, "airwars_children_killed_min"] = "inf"
    claims, unmapped = read_airwars(raw, errors="collect")
    hit = unmapped[(unmapped["row"] == 0) & (unmapped["column"] == "airwars_children_killed_min")]
    assert list(hit["value"]) == ["inf"]
    assert not claims.loc[claims.index == 0, "claim_id"].str.endswith(":children").any()
    assert len(claims[claims.index != 0]) == len(read_airwars(_raw(SAMPLE).iloc[1:], errors="collect")[0])


def test_rows_sharing_one_code_are_reported_in_memory_linear_in_the_rows():
    import tracemalloc

    raw = _raw(SAMPLE)
    big = pd.concat([raw] * (2000 // len(raw) + 1), ignore_index=True).head(2000)
    big["code"] = "CS1"
    tracemalloc.start()
    try:
        _, unmapped = read_airwars(big, errors="collect")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 2**20  # 1.6 GiB before (every row listed every other)
    dup = unmapped[unmapped["reason"] == "duplicate_id"]
    assert len(dup) == 2000
    assert dup.iloc[0]["detail"] == "code 'CS1' also on row 1 ('CS1') and 1,998 other row(s); kept as a claim of its own"
    assert dup.iloc[5]["detail"].startswith("code 'CS1' also on row 0 ('CS1') and 1,998")


# -- where: location and coordinates --------------------------------------------------------------

@pytest.mark.parametrize("which", ["sample", "real"])
def test_every_claim_carries_its_incidents_location_and_point(which, request):
    raw, claims, _ = request.getfixturevalue(which)
    given = raw.loc[claims.index]
    assert claims["location"].tolist() == given["location"].tolist()
    for name in ("latitude", "longitude"):
        expected = pd.to_numeric(given[name].where(given[name].ne("")), errors="coerce").to_numpy()
        pd.testing.assert_series_equal(claims[name].reset_index(drop=True), pd.Series(expected, name=name))
    assert claims["latitude"].notna().sum() > len(claims) // 2  # most incidents are located


def test_the_coalitions_claims_share_the_incidents_place(sample):
    _, claims, _ = sample
    cs1896 = claims[claims["incident_id"] == "CS1896"]
    assert {"Airwars", "CJTF-OIR"} <= set(cs1896["source"])
    assert set(cs1896["location"]) == {"Al Shahil - possibly Al-Khayasah neighborhood"}
    assert set(cs1896["latitude"]) == {35.08742} and set(cs1896["longitude"]) == {40.45023}


def test_a_known_incident_on_the_real_file(real):
    _, claims, _ = real
    incident = claims[claims["incident_id"] == "DEBSYR260302a"]
    assert len(incident) >= 1
    assert set(incident["location"]) == {"Al-Fatih, Jableh District"}
    assert set(incident["latitude"]) == {35.331032} and set(incident["longitude"]) == {36.05857}


def test_bad_coordinates_are_reported_and_left_missing_not_fatal(sample):
    raw, claims, unmapped = sample
    bad = raw.copy()
    changes = {0: ("north", "36.5"), 3: ("95", "40.9"), 11: ("36.4", ""), 12: ("0", "0")}
    for row, (latitude, longitude) in changes.items():
        bad.loc[row, ["latitude", "longitude"]] = [latitude, longitude]
    claims_bad, unmapped_bad = read_airwars(bad, errors="collect")
    assert claims_bad["claim_id"].tolist() == claims["claim_id"].tolist()  # every claim still made
    assert claims_bad.loc[list(changes), ["latitude", "longitude"]].isna().all(axis=None)
    assert claims_bad.loc[list(changes), "location"].tolist() == claims.loc[list(changes), "location"].tolist()
    new = unmapped_bad[unmapped_bad["row"].isin(list(changes)) & unmapped_bad["column"].isin(["latitude", "longitude"])]
    assert new[["row", "column", "reason"]].values.tolist() == [
        [0, "latitude", "not_a_number"], [3, "latitude", "out_of_range"], [11, "longitude", "missing"], [12, "latitude", "null_island"]]
    assert new["detail"].str.endswith("the claims are made without coordinates").all()
    assert len(unmapped_bad) == len(unmapped) + 4
