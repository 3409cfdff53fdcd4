"""casualties.formats: a file's format told by its columns, and any file read with its reader."""

from __future__ import annotations

import gzip
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import casualties as cas
from casualties.errors import ClaimError, ClaimFileError, OptionError
from casualties.formats import (
    FORMAT_NAMES,
    FORMATS,
    detect_format,
    file_columns,
    read_any,
)

DATA = Path(__file__).parent / "data"

#: tests/data sample -> its format
SAMPLES = {
    "airwars_sample.csv": "airwars",
    "acled_sample.csv": "acled",
    "ucdp_ged_sample.csv": "ucdp-ged",
    "ucdp_country_year_sample.csv": "ucdp-country-year",
    "vdc_weekly_by_province_sample.csv": "vdc-weekly-province",
    "vdc_weekly_national_sample.csv": "vdc-weekly-national",
    "tolls_sample.csv": "tolls",
}
#: ../shared/data file -> its format
REAL = {
    "airwars/syria_incidents.csv": "airwars",
    "acled/syria_battles_2017-2023.csv": "acled",
    "ucdp/country_year_by_violence_type.csv.gz": "ucdp-country-year",
    "ucdp/country_year_syria_iraq.csv": "ucdp-country-year",
    "vdc/weekly_by_province.csv": "vdc-weekly-province",
    "vdc/weekly_national.csv": "vdc-weekly-national",
    "tolls/syria_national_estimates.csv": "tolls",
}
#: ../shared/data files no reader reads (the VDC's other shapes of the province table, its daily counts)
REAL_UNREAD = ["vdc/weekly_by_cause.csv", "vdc/weekly_by_status.csv", "vdc/daily_national_2011-2016.csv"]


def _quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cas.CasualtiesWarning)
        return function(*args, **kwargs)


# -- detection ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_is_recognised(name):
    assert detect_format(DATA / name) == SAMPLES[name]


@pytest.mark.parametrize("name", sorted(REAL))
def test_every_real_file_is_recognised(shared_data, name):
    assert detect_format(shared_data / name) == REAL[name]


@pytest.mark.parametrize("name", REAL_UNREAD)
def test_real_files_no_reader_reads_are_refused_naming_what_they_lack(shared_data, name):
    with pytest.raises(ClaimFileError) as info:
        detect_format(shared_data / name)
    message = str(info.value)
    assert message.startswith(str(shared_data / name)) and "--format-of NAME" in message
    assert all(fmt in message for fmt in FORMAT_NAMES)
    assert set(info.value.missing) == set(FORMAT_NAMES) and all(info.value.missing.values())


def test_the_vdc_table_by_status_is_closest_to_the_vdc_tables(shared_data):
    with pytest.raises(ClaimFileError) as info:
        detect_format(shared_data / "vdc" / "weekly_by_status.csv")
    assert "closest: vdc-weekly-national (lacks deaths)" in str(info.value)


@pytest.mark.parametrize("suffix", ["csv", "csv.gz", "json", "json.gz", "parquet"])
def test_claim_files_written_by_write_claims_are_claims(tmp_path, suffix):
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    path = cas.write_claims(cas.bundled_claims(), tmp_path / f"claims.{suffix}") if not suffix.endswith(".gz") else None
    if path is None:  # write_claims writes .csv.gz; a gzipped JSON file is made by hand
        if suffix == "csv.gz":
            path = cas.write_claims(cas.bundled_claims(), tmp_path / "claims.csv.gz")
        else:
            plain = cas.write_claims(cas.bundled_claims(), tmp_path / "claims.json")
            path = tmp_path / "claims.json.gz"
            path.write_bytes(gzip.compress(plain.read_bytes()))
    assert detect_format(path) == "claims"
    claims, failures, name = read_any(path)
    assert name == "claims" and len(claims) == len(cas.bundled_claims()) and not len(failures)


@pytest.mark.parametrize("header", ["source,date,place,count", "source,start,place,low", "source,period,place,best",
                                    "claim_id,source,reported_on,start,end,place,high"])
def test_claim_files_need_only_the_columns_that_carry_meaning(tmp_path, header):
    path = tmp_path / "mine.csv"
    path.write_text(header + "\n", encoding="utf-8")
    assert detect_format(path) == "claims"


def test_a_claim_file_that_lacks_a_meaningful_column_names_it(tmp_path):
    path = tmp_path / "noplace.csv"
    path.write_text("source,date,count\nSOHR,2017-06-05,21\n", encoding="utf-8")
    with pytest.raises(ClaimFileError, match=r"noplace\.csv: its columns match no format.*claims \(lacks place\)"):
        detect_format(path)


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_a_header_of_a_format_s_identifying_columns_alone_is_that_format(tmp_path, name):
    # the order of the table never lets an earlier format take a later one's file
    columns = [group[0] for group in FORMATS[name].columns]
    path = tmp_path / "header.csv"
    path.write_text(",".join(columns) + "\n", encoding="utf-8")
    assert detect_format(path) == name


def test_the_table_names_each_reader_and_the_adapters_required_columns():
    from casualties.adapters import acled, airwars, tolls, ucdp

    assert tuple(FORMATS) == FORMAT_NAMES
    assert FORMATS["airwars"].reader_name == "read_airwars" and FORMATS["claims"].reader_name == "read_claims"
    assert FORMATS["vdc-weekly-national"].reader_name == FORMATS["vdc-weekly-province"].reader_name == "read_vdc_weekly"
    for name, required in [("airwars", airwars.REQUIRED_COLUMNS), ("acled", acled.REQUIRED_COLUMNS),
                           ("ucdp-ged", ucdp.GED_REQUIRED_COLUMNS), ("tolls", tolls.REQUIRED_COLUMNS)]:
        assert not FORMATS[name].missing(required)


def test_file_columns_reads_the_header_only(tmp_path):
    path = tmp_path / "bom.csv.gz"
    path.write_bytes(gzip.compress("\ufeff year , week,deaths\n2015,1,3\n".encode("utf-8")))
    assert file_columns(path) == ["year", "week", "deaths"]
    records = tmp_path / "records.json"
    records.write_text('[{"a": 1}, {"b": 2, "a": 3}, 5]', encoding="utf-8")
    assert file_columns(records) == ["a", "b"]


def test_an_empty_json_list_is_an_empty_claim_file(tmp_path):
    path = tmp_path / "none.json"
    path.write_text("[]", encoding="utf-8")
    assert detect_format(path) == "claims"


@pytest.mark.parametrize("content, reason", [(None, "no such file"), ("", "is empty"), (b"\xff\xfe\x00bad", "not UTF-8")])
def test_an_unreadable_file_is_a_claim_file_error_naming_it(tmp_path, content, reason):
    path = tmp_path / "odd.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ClaimFileError, match=reason) as info:
        detect_format(path)
    assert info.value.path == str(path)


def test_an_unknown_suffix_is_refused(tmp_path):
    path = tmp_path / "table.txt"
    path.write_text("year,week,deaths\n", encoding="utf-8")
    with pytest.raises(ClaimFileError, match="unknown file format"):
        detect_format(path)


def test_importing_the_module_does_not_import_pandas():
    code = "import sys, casualties.formats as f; assert f.FORMAT_NAMES; assert 'pandas' not in sys.modules, 'pandas'"
    subprocess.run([sys.executable, "-c", code], check=True)


# -- reading ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_read_any_gives_what_the_reader_gives(name):
    claims, unmapped, fmt = _quiet(read_any, DATA / name)
    assert fmt == SAMPLES[name]
    direct, direct_unmapped = _quiet(FORMATS[fmt].read, DATA / name)
    pd.testing.assert_frame_equal(claims, direct)
    pd.testing.assert_frame_equal(unmapped, direct_unmapped)
    assert len(claims) and list(unmapped.columns) == ["row", "column", "value", "reason", "detail"]
    pd.testing.assert_frame_equal(_quiet(cas.validate, claims).reset_index(drop=True), claims.reset_index(drop=True))


def test_the_real_airwars_file_read_any(shared_data):
    claims, unmapped, fmt = _quiet(read_any, shared_data / "airwars" / "syria_incidents.csv")
    assert fmt == "airwars" and len(claims) == 21_460 and len(unmapped) == 68


@pytest.mark.parametrize("suffix", ["json", "parquet"])
def test_a_dataset_saved_as_json_or_parquet_reads_as_its_csv(tmp_path, suffix):
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    table = pd.read_csv(DATA / "tolls_sample.csv", dtype=str, keep_default_na=False)
    path = tmp_path / f"tolls.{suffix}"
    if suffix == "json":
        table.to_json(path, orient="records")
    else:
        table.to_parquet(path)
    claims, unmapped, fmt = _quiet(read_any, path)
    expected, expected_unmapped, _ = _quiet(read_any, DATA / "tolls_sample.csv")
    assert fmt == "tolls"
    pd.testing.assert_frame_equal(claims, expected)
    pd.testing.assert_frame_equal(unmapped, expected_unmapped)


def test_format_forces_a_reader(tmp_path):
    # both a claim file's columns and the VDC's national ones: claims first, unless forced
    path = tmp_path / "both.csv"
    path.write_text("year,week,deaths,source,date,place,count\n2015,2,10,SOHR,2015-01-06,Syria,12\n", encoding="utf-8")
    assert detect_format(path) == "claims"
    claims, _, fmt = _quiet(read_any, path)
    assert fmt == "claims" and list(claims["source"]) == ["SOHR"]
    claims, _, fmt = _quiet(read_any, path, format="vdc-weekly-national")
    assert fmt == "vdc-weekly-national" and list(claims["source"]) == ["VDC"] and list(claims["low"]) == [10]


def test_a_forced_format_the_file_lacks_the_columns_of_names_the_file(tmp_path):
    table = pd.read_csv(DATA / "tolls_sample.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "tolls.json"
    table.to_json(path, orient="records")
    with pytest.raises(ClaimFileError, match="read_airwars") as info:
        read_any(path, format="airwars")
    assert info.value.path == str(path)
    with pytest.raises(ClaimFileError, match="read_airwars"):
        read_any(DATA / "tolls_sample.csv", format="airwars")


def test_unknown_format_or_errors_is_an_option_error():
    with pytest.raises(OptionError, match="format"):
        read_any(DATA / "tolls_sample.csv", format="excel")
    with pytest.raises(OptionError, match="errors"):
        read_any(DATA / "tolls_sample.csv", errors="warn")


def test_errors_raise_raises_on_any_cell_not_mapped():
    with pytest.raises(ClaimError, match="could not be read as Airwars") as info:
        _quiet(read_any, DATA / "airwars_sample.csv", errors="raise")
    assert len(info.value.failures)
    claims, failures, fmt = read_any(DATA / "vdc_weekly_national_sample.csv", errors="raise")
    assert fmt == "vdc-weekly-national" and len(claims) == 15 and not len(failures)
