"""read_tolls: competing national tolls as total claims."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pandas as pd
import pytest

import casualties as cas
from casualties.adapters import UnmappedWarning, read_tolls
from casualties.adapters.tolls import WAR_START
from casualties.errors import ClaimError, ClaimFileError, UnknownNameWarning

SAMPLE = Path(__file__).parent / "data" / "tolls_sample.csv"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "tolls" / "syria_national_estimates.csv"


def _read(path: Path, **options):
    expected = pytest.warns(UnknownNameWarning, match="Example Monitor") if path == SAMPLE else contextlib.nullcontext()
    with expected:
        return read_tolls(path, errors="collect", **options)


def test_the_four_national_tolls():
    path = REAL if REAL.is_file() else SAMPLE
    claims, unmapped = _read(path)
    four = claims[claims["claim_id"].isin(["toll:591958079", "toll:609979569", "toll:665645356", "toll:332870702"])]
    assert dict(zip(four["source"], four["low"])) == {"SOHR": 511000, "SCPR": 470000, "VDC": 161000, "UN": 400000}
    assert (four["low"] == four["high"]).all()
    assert (four["start"] == pd.Timestamp(WAR_START)).all()
    assert (four["end"] == four["reported_on"]).all()
    assert dict(zip(four["source"], four["end"].dt.strftime("%Y-%m-%d"))) == {
        "SOHR": "2018-03-03", "SCPR": "2016-02-11", "VDC": "2018-03-24", "UN": "2016-04-23"}
    assert (four["place"] == "SY").all() and (four["category"] == "all").all() and (four["kind"] == "total").all()
    assert set(four["source_type"]) == {"monitor", "ngo", "un"}
    assert four["url"].str.startswith("http").all()
    if path == REAL:
        assert len(unmapped) == 0 and len(claims) == 4
    assert len(cas.validate(claims)) == len(claims)


def test_rules_on_the_hand_made_rows():
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    claims, unmapped = _read(SAMPLE)
    assert set(claims.index) | set(unmapped["row"]) == set(range(len(raw)))
    only_high = claims[claims["claim_id"] == "toll:1"].iloc[0]
    assert (only_high["low"], only_high["high"], only_high["qualifier"]) == (0, 221000, "up-to")
    assert set(unmapped.loc[unmapped["row"] == 5, "reason"]) == {"missing"}
    assert set(unmapped.loc[unmapped["row"] == 6, "column"]) <= {"estimate_low_end", "estimate_high_end"}
    with pytest.raises(ClaimError), pytest.warns(UnknownNameWarning):
        read_tolls(SAMPLE, errors="raise")
    with pytest.warns(UnmappedWarning), pytest.warns(UnknownNameWarning):
        read_tolls(SAMPLE)


def test_start_and_place_can_be_given():
    claims, _ = _read(SAMPLE, start="2011-03-18", place="Syria")
    assert (claims["start"] == pd.Timestamp("2011-03-18")).all() and (claims["place"] == "SY").all()
    per_row = pd.DataFrame({"source": ["SOHR"], "estimate_date": ["2017-12-31"], "estimate_low_end": ["10000"],
                            "estimate_high_end": ["10000"], "start": ["2017-01-01"], "place": ["Raqqa Governorate"],
                            "category": ["civilians"]})
    claims, unmapped = read_tolls(per_row, errors="collect")
    assert len(unmapped) == 0
    claim = claims.iloc[0]
    assert (claim["start"], claim["place"], claim["category"]) == (pd.Timestamp("2017-01-01"), "SY-RA", "civilian")
    assert "assumed" not in claim["note"]


def test_the_tolls_disagree_by_a_factor_of_three():
    """SOHR's 511,000 by 3 March 2018 lies inside the period of the VDC's 161,000 by 24 March."""
    claims, _ = _read(REAL if REAL.is_file() else SAMPLE)
    found = cas.discrepancies(claims[claims["source"].isin(["SOHR", "VDC"])])
    assert len(found) == 1
    pair = found.iloc[0]
    assert (pair["source_a"], pair["source_b"], pair["relation"]) == ("SOHR", "VDC", "within")
    assert pair["gap"] == 511000 - 161000


def test_bad_files(tmp_path):
    with pytest.raises(ClaimFileError):
        read_tolls(tmp_path / "absent.csv")
    (tmp_path / "x.csv").write_text("source,estimate_date\nSOHR,2018-03-03\n")
    with pytest.raises(ClaimFileError, match="lacks the columns"):
        read_tolls(tmp_path / "x.csv")


@pytest.mark.filterwarnings("ignore::casualties.errors.UnknownNameWarning")
def test_a_blank_id_does_not_take_the_real_id_of_another_row():
    # row 0 without an id would be toll:1, which is row 4's real id 1: an innocent row rejected
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    raw.loc[0, "id"] = ""
    claims, unmapped = read_tolls(raw, errors="collect")
    before, _ = read_tolls(SAMPLE, errors="collect")
    assert len(claims) == len(before)
    assert claims.loc[0, "claim_id"] == "toll:row1" and claims.loc[4, "claim_id"] == "toll:1"
    assert "duplicate_id" not in set(unmapped["reason"])
