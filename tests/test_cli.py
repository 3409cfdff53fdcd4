"""The command line: exit codes, one-sentence errors, no tracebacks."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time

import pandas as pd
import pytest

import casualties as cas
from casualties import _progress
from casualties.cli import main


def test_report_with_no_files_reconciles_the_bundled_claims(capsys):
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert "us-military-484" in out and "sohr-coalition-syria" in out
    assert "## 3. Discrepancies" in out and "2 pair(s) of claims cannot both hold" in out
    assert "lets every claim hold at once is 866 people" in out


def test_report_scope_options_narrow_the_question(capsys):
    assert main(["report", "--place", "Syria", "--category", "civilians", "--perpetrator", "coalition", "--from", "2017-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Scope: civilians killed by the US-led coalition in Syria, since 1 January 2017." in out
    assert "| 2016-12 |" not in out and "| 2017-01 |" in out


def test_unknown_place_option_is_one_sentence_and_exit_2(capsys):
    assert main(["report", "--place", "Atlantis"]) == 2
    err = capsys.readouterr().err
    assert "unknown place 'Atlantis'" in err and "Traceback" not in err


def test_no_command_means_report(capsys):
    assert main([]) == 0
    assert "us-military-484" in capsys.readouterr().out


def test_validate_lists_every_failing_cell_and_exits_1(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("source,date,place,count\nSOHR,2017-06-05,Atlantis,21\nSOHR,2017-06-05,Raqqa,lots\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "row 0, column place: 'Atlantis': unknown_place" in out
    assert "row 1, column count: 'lots': not_a_count" in out


def test_validate_ok_exits_0(tmp_path, capsys):
    path = tmp_path / "ok.csv"
    path.write_text("source,date,place,count\nSOHR,2017-06-05,Raqqa,21\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 0


def test_unreadable_file_is_one_sentence_and_exit_2(tmp_path, capsys):
    assert main(["report", str(tmp_path / "missing.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.csv" in err and "Traceback" not in err


def test_invalid_file_in_report_exits_1_naming_file_row_and_column(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("source,date,place,count\nSOHR,2017-06-05,Atlantis,21\n", encoding="utf-8")
    assert main(["report", str(path)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv" in err and "row 0" in err and "column place" in err and "Traceback" not in err


def test_parse_count_and_period(capsys):
    assert main(["parse", "around 1,500"]) == 0
    assert "1350" in capsys.readouterr().out
    assert main(["parse", "--period", "since September 23, 2014", "--reported-on", "2017-06-06"]) == 0
    out = capsys.readouterr().out
    assert "2014-09-23" in out and "2017-06-06" in out


def test_unparsable_words_exit_2_without_traceback(capsys):
    assert main(["parse", "a great many"]) == 2
    err = capsys.readouterr().err
    assert "a great many" in err and "Traceback" not in err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_python_dash_m_runs_the_same_main():
    done = subprocess.run([sys.executable, "-m", "casualties", "parse", "over 400,000"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "400001" in done.stdout


def test_report_can_show_incidents_merged_by_a_rule(capsys):
    assert main(["report", "--merge", "envelope"]) == 0
    out = capsys.readouterr().out
    assert "Incidents merged by the envelope rule" in out and "3 merged, 0 in conflict" in out  # the killed: the report's outcome
    assert "raqqa-boats-2017-06-05" in out


def test_report_rejects_an_unknown_merge_rule(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--merge", "average"])
    assert info.value.code == 2


# -- the report's formats, files and messages ------------------------------------------------------
GOOD_AND_BAD = "source,date,place,count\nSOHR,2017-06-05,Raqqa,21\nSOHR,2017-06-05,Atlantis,lots\n"


def test_report_formats_go_to_standard_output_clean(capsys):
    assert main(["report", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)  # nothing but the report on stdout
    assert data["options"]["gap"] == 866
    assert main(["report", "--format", "csv", "--freq", "YS"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    totals = frame[frame["table"] == "period_totals"]
    assert set(totals["period_start"]) == {f"{year}-01-01" for year in range(2011, 2018)}


def test_report_html_has_the_plot_inline(capsys):
    pytest.importorskip("matplotlib")
    assert main(["report", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>") and "<svg" in out and "</html>" in out


def test_out_takes_its_format_from_the_suffix(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    target = tmp_path / "seed.html"
    assert main(["report", "--out", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    data = tmp_path / "seed.json"
    assert main(["report", "--out", str(data)]) == 0 and json.loads(data.read_text(encoding="utf-8"))["tables"]


def test_markdown_out_writes_the_plot_beside_it(tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "report.md"
    assert main(["report", "--out", str(target)]) == 0
    assert "![" in target.read_text(encoding="utf-8") and "](report.svg)" in target.read_text(encoding="utf-8")
    assert (tmp_path / "report.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_rejected_rows_are_reported_warned_once_per_file_and_exit_0(tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    assert main(["report", str(path)]) == 0
    captured = capsys.readouterr()
    assert "1 row(s) rejected" in captured.out and "Atlantis" in captured.out
    lines = captured.err.splitlines()
    assert len(lines) == 1 and "mixed.csv" in lines[0] and "row 1" in lines[0] and "column" in lines[0]
    assert "Traceback" not in captured.err


def test_strict_exits_1_on_rejected_rows_but_still_writes_the_report(tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    assert main(["report", "--strict", str(path)]) == 1
    assert "## 1. What went in" in capsys.readouterr().out


def test_quiet_silences_warnings(tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    assert main(["report", "--quiet", str(path)]) == 0
    assert capsys.readouterr().err == ""


def test_dates_in_the_wrong_order_are_a_usage_error(capsys):
    assert main(["report", "--from", "2017-06-01", "--to", "2017-01-01"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2017-06-01" in err and "Traceback" not in err


def test_an_unknown_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--format", "pdf"])
    assert info.value.code == 2


def test_an_unwritable_out_is_one_sentence_and_exit_2(tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path / "missing" / "report.md")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing" in err and "Traceback" not in err


def test_debug_shows_the_traceback(capsys):
    with pytest.raises(cas.UnknownNameError):
        main(["--debug", "report", "--place", "Atlantis"])
    with pytest.raises(cas.UnknownNameError):
        main(["report", "--place", "Atlantis", "--debug"])


def test_every_failing_case_of_the_report_is_one_line_without_traceback(tmp_path, capsys):
    empty = tmp_path / "empty.json"
    empty.write_text("{}", encoding="utf-8")
    cases = [["report", "--place", "Atlantis"], ["report", str(tmp_path / "none.csv")], ["report", str(empty)],
             ["report", "--category", "martians"], ["report", "--from", "yesterday-ish"]]
    for argv in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("casualties: ") and "Traceback" not in err, (argv, err)


def test_the_report_is_byte_identical_across_runs_and_hash_seeds():
    runs = [subprocess.run([sys.executable, "-m", "casualties", "report", "--format", "json"], capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1] and runs[0]


def test_timestamp_only_when_asked(capsys):
    assert main(["report", "--format", "json", "--timestamp"]) == 0
    assert json.loads(capsys.readouterr().out)["options"]["timestamp"].endswith("UTC")


# -- the progress bar ------------------------------------------------------------------------------
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_bar_in_a_pipe():
    done = subprocess.run([sys.executable, "-m", "casualties", "report"], capture_output=True, text=True, check=True)
    assert done.stderr == "" and done.stdout.startswith("# Casualty claims reconciled")


def test_the_progress_bar_shows_on_a_terminal_after_the_delay_and_erases_itself(monkeypatch, capsys):
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["report"]) == 0
    drawn = terminal.getvalue()
    assert "casualties: [" in drawn and "period totals" in drawn
    assert drawn.endswith("\r\x1b[K")  # erased at the end
    assert "casualties: [" not in capsys.readouterr().out


def test_quiet_or_quick_work_draws_no_progress_bar(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    assert main(["report", "--quiet", "--format", "json"]) == 0
    assert terminal.getvalue() == ""
    monkeypatch.setattr(_progress, "DELAY", 60.0)  # work shorter than the delay
    assert main(["report", "--format", "json"]) == 0
    assert terminal.getvalue() == ""


def test_the_progress_bar_never_draws_on_a_stream_that_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    stream = io.StringIO()
    with _progress.Progress(stream, 3) as bar:
        bar.step("one")
        time.sleep(0.3)
    assert stream.getvalue() == "" and not bar.enabled


def test_warnings_on_reading_name_the_file(tmp_path, capsys):
    path = tmp_path / "new.csv"
    path.write_text("source,date,place,count\nA Monitor Nobody Knows,2017-06-05,Raqqa,3\n", encoding="utf-8")
    assert main(["report", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "new.csv" in err and "A Monitor Nobody Knows" in err


# -- every failure is one sentence and an exit code (issue 17) ------------------------------------------
def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("casualties: ") and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("value", ["0000-01-01", "-5"])
def test_a_date_option_out_of_range_is_one_sentence_naming_the_option(capsys, value):
    assert main(["report", "--from", value]) == 2
    err = _one_line(capsys.readouterr().err)
    assert f"--from {value!r}" in err


def test_the_date_options_go_to_scope_as_written(monkeypatch, capsys):
    import casualties.scope

    seen = {}
    real = casualties.scope.Scope

    def spy(**kwargs):
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(casualties.scope, "Scope", spy)
    main(["report", "--from", "2017", "--to", "2017-12", "--perpetrator", "ISIS and coalition", "--quiet"])
    assert seen["start"] == "2017" and seen["end"] == "2017-12"
    assert seen["perpetrator"] == "ISIS and coalition"  # never split on "and" by the command


@pytest.mark.parametrize("suffix", ["csv.gz", "json.gz"])
def test_a_truncated_gzip_file_is_one_sentence(tmp_path, capsys, suffix):
    import gzip

    path = tmp_path / f"claims.{suffix}"
    path.write_bytes(gzip.compress(b"source,date,place,count\n" + b"SOHR,2017-06-05,Raqqa,21\n" * 30)[:40])
    assert main(["report", str(path)]) == 2
    assert str(path) in _one_line(capsys.readouterr().err)


def test_a_deeply_nested_json_file_is_one_sentence(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "nested too deeply" in _one_line(capsys.readouterr().err)


def test_parquet_with_bytes_that_are_not_utf8_is_one_sentence(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "b.parquet"
    pq.write_table(pa.table({"source": pa.array([b"\xff\xfe"], pa.binary()), "date": ["2017-06-05"], "place": ["Raqqa"],
                             "count": ["21"]}), path)
    assert main(["report", str(path)]) == 1
    err = _one_line(capsys.readouterr().err)
    assert "b.parquet" in err and "column source" in err and "wrong_type" in err


class _Broken(io.StringIO):
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")


def test_a_broken_pipe_names_standard_output(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", _Broken())
    assert main(["report", "--quiet"]) == 2
    err = _one_line(capsys.readouterr().err)
    assert "standard output" in err and "broken pipe" in err and ": : " not in err


def test_a_closed_standard_output_names_it(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", None)
    assert main(["report", "--quiet"]) == 2
    assert "standard output is closed" in _one_line(capsys.readouterr().err)
    assert main(["parse", "21"]) == 2


def test_a_broken_pipe_in_a_real_pipe_is_quiet_and_named():
    # the reader stops after one byte; the command must not print a traceback nor Python's final
    # "Exception ignored ... BrokenPipeError"
    code = ("import sys; from casualties.cli import main; sys.stdout.write('x' * 200_000); "  # more than a pipe holds
            "sys.exit(main(['report', '--format', 'json', '--quiet']))")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=os.getcwd())
    proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "Exception ignored" not in err
    assert proc.returncode == 2 and err.count("\n") == 1 and "standard output" in err


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys):
    import casualties.report

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(casualties.report, "build_report", interrupted)
    assert main(["report", "--quiet"]) == 130
    assert "interrupted" in _one_line(capsys.readouterr().err)
    with pytest.raises(KeyboardInterrupt):
        main(["report", "--quiet", "--debug"])


@pytest.mark.parametrize("error", [RuntimeError("boom"), MemoryError(), RecursionError("deep"), OSError("no fd")])
def test_any_exception_from_deeper_code_is_one_sentence(monkeypatch, capsys, error):
    import casualties.report

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(casualties.report, "build_report", broken)
    code = main(["report", "--quiet"])
    assert code in (2, 3)
    err = _one_line(capsys.readouterr().err)
    assert "while reconciling the claims" in err
    with pytest.raises(type(error)):
        main(["report", "--quiet", "--debug"])


def test_by_is_passed_to_the_report_or_refused_in_one_sentence(monkeypatch, capsys):
    import inspect

    import casualties.report

    if "by" not in inspect.signature(casualties.report.build_report).parameters:
        assert main(["report", "--by", "source,certainty", "--quiet"]) == 2
        assert "--by 'source,certainty'" in _one_line(capsys.readouterr().err)
    seen = {}
    real = casualties.report.build_report

    def spy(*args, by=None, **kwargs):
        seen["by"] = by
        return real(*args, **kwargs)

    monkeypatch.setattr(casualties.report, "build_report", spy)
    assert main(["report", "--by", "source, certainty", "--quiet"]) == 0
    assert seen["by"] == ["source", "certainty"]
    assert main(["report", "--by", "certainty", "--quiet"]) == 0
    assert seen["by"] == "certainty"


def test_csv_report_neutralises_cells_a_spreadsheet_would_run(tmp_path, capsys):
    # OWASP CSV injection: text cells starting = + - @ (or tab, CR) get a leading single quote;
    # numbers, negative ones included, are not text cells and stay numbers
    path = tmp_path / "evil.csv"
    path.write_text(
        "source,date,place,count,quote,note\n"
        'SOHR,2017-06-05,Raqqa,21,"=HYPERLINK(""http://evil"",""x"")",@SUM(A1:A9)\n'
        'SOHR,2017-06-06,Raqqa,5,+1 more,-2 said\n'
        "SOHR,2017-06-07,Atlantis,5,\tx,\n", encoding="utf-8")
    assert main(["report", str(path), "--format", "csv", "--quiet"]) == 0
    out = capsys.readouterr().out
    frame = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    cells = set(frame.drop(columns="table").to_numpy().ravel())
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in cells and "'@SUM(A1:A9)" in cells
    assert "'+1 more" in cells and "'-2 said" in cells
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    texts = [c for c in cells if c.startswith("-")]
    assert all(_is_number(c) for c in texts), texts  # only numbers may start with a minus


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_neutralises_text_cells_only():
    from casualties.rendering import _csv_records

    frame = pd.DataFrame({"count": [-3.0, float("-inf")], "text": ["-3", "=1+1"]})
    assert _csv_records(frame) == [{"count": -3, "text": "'-3"}, {"count": "-inf", "text": "'=1+1"}]


def test_a_claim_dated_9999_is_a_rejected_row_not_a_broken_plot(tmp_path, capsys):
    path = tmp_path / "far.csv"
    path.write_text("source,date,place,count\nSOHR,2017-06-05,Raqqa,21\nSOHR,9999-12-31,Raqqa,5\n", encoding="utf-8")
    assert main(["report", str(path), "--format", "html", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "9999-12-31" in out and "not_a_date" in out.replace("\\_", "_")


# -- any format in (issue 14) ---------------------------------------------------------------------------
DATA = __import__("pathlib").Path(__file__).parent / "data"


def test_report_reads_datasets_of_different_formats_in_one_call(capsys):
    airwars, vdc = str(DATA / "airwars_sample.csv"), str(DATA / "vdc_weekly_national_sample.csv")
    assert main(["report", airwars, vdc, "--freq", "YS"]) == 0
    captured = capsys.readouterr()
    section = captured.out.split("## 2.")[0]
    assert f"| {airwars} (Airwars) |".replace("_", "\\_") in section
    assert f"| {vdc} (VDC weekly national) | 15 | 0 |".replace("_", "\\_") in section
    assert "unknown\\_perpetrator" in section and "kept as 'unknown'" in section  # what the reader could not map
    lines = captured.err.splitlines()
    assert len([line for line in lines if "not mapped as given" in line]) == 1
    assert all(line.startswith("casualties: warning: ") for line in lines) and "Traceback" not in captured.err


def test_report_failures_of_an_adapted_file_carry_its_reader(capsys):
    assert main(["report", str(DATA / "tolls_sample.csv"), "--format", "json", "--quiet"]) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    files, rejected = pd.DataFrame(tables["files"]), pd.DataFrame(tables["rejected"])
    key = f"{DATA / 'tolls_sample.csv'} (national tolls)"
    assert list(files["file"]) == [key] and list(files["n_claims"]) == [5]
    assert set(rejected["file"]) == {key} and files["n_rejected"].iloc[0] == rejected["row"].nunique() > 0
    assert list(rejected.columns[:6]) == ["file", "row", "column", "value", "reason", "detail"]


def test_rows_rejected_are_the_rows_that_gave_no_claim(capsys):
    """An adapter lists cells it could not map although their rows still gave claims (an unknown
    belligerent kept as 'unknown'); the files table counts only the rows that gave none."""
    from casualties.adapters import read_airwars

    path = DATA / "airwars_sample.csv"
    claims, unmapped = read_airwars(path, errors="collect")
    lost = set(unmapped["row"]) - set(claims.index)
    assert 0 < len(lost) < unmapped["row"].nunique()  # the sample has both kinds
    assert main(["report", str(path), "--format", "json", "--quiet"]) == 0
    files = pd.DataFrame(json.loads(capsys.readouterr().out)["tables"]["files"])
    assert files[["n_claims", "n_rejected"]].values.tolist() == [[len(claims), len(lost)]]
    assert main(["report", str(path), "--quiet", "--full"]) == 0
    rows = unmapped["row"].nunique()
    assert f"{rows} row(s) with a cell rejected or not mapped as given ({len(lost)} gave no claim); every failing cell:" in capsys.readouterr().out


def test_report_on_the_real_airwars_file_scoped_to_raqqa_2017(shared_data, capsys):
    path = str(shared_data / "airwars" / "syria_incidents.csv")
    assert main(["report", path, "--place", "Raqqa governorate", "--from", "2017", "--to", "2017", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"| {path} (Airwars) | 21,460 |".replace("_", "\\_") in out


def test_an_unknown_file_is_exit_2_and_one_sentence_naming_it(tmp_path, capsys):
    path = tmp_path / "daily.csv"
    path.write_text("Date of death,# killed\n2011-03-18,3\n", encoding="utf-8")
    for command in ("report", "validate", "convert"):
        argv = [command, str(path)] + (["--out", str(tmp_path / "out.csv")] if command == "convert" else [])
        assert main(argv) == 2
        err = _one_line(capsys.readouterr().err)
        assert str(path) in err and "match no format" in err and "--format-of NAME" in err and "airwars" in err
    assert not (tmp_path / "out.csv").exists()


def test_convert_round_trips_every_sample_into_one_claim_file(tmp_path, capsys):
    files = [str(DATA / name) for name in sorted(p.name for p in DATA.glob("*.csv"))]
    target = tmp_path / "claims.csv"
    assert main(["convert", *files, "--out", str(target)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    summaries = [line for line in captured.err.splitlines() if not line.startswith("casualties: warning: ")]
    assert len(summaries) == len(files)
    counts = {}
    for line, name in zip(summaries, files):
        assert line.startswith(f"casualties: {name}: ") and "claim(s)" in line and "not mapped as given" in line
        counts[name] = int(line.split(": ")[3].split(" claim")[0].replace(",", ""))
    assert "(read_airwars): 639 claim(s), 30 cell(s) not mapped as given" in captured.err
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore", cas.CasualtiesWarning)
        claims = cas.read_claims(target)
    assert len(claims) == sum(counts.values()) and claims["claim_id"].is_unique


def test_convert_keeps_claim_ids_unique_across_files(tmp_path, capsys):
    first, second = tmp_path / "a.csv", tmp_path / "b.json"
    first.write_text("source,date,place,count\nSOHR,2017-06-05,Raqqa,21\nSOHR,2017-06-06,Raqqa,3\n", encoding="utf-8")
    second.write_text('[{"source": "SOHR", "date": "2017-06-07", "place": "Raqqa", "count": 4}]', encoding="utf-8")
    target = tmp_path / "both.parquet" if _has("pyarrow") else tmp_path / "both.json"
    assert main(["convert", str(first), str(second), "--out", str(target)]) == 0
    err = capsys.readouterr().err
    assert "claim id(s) already used by an earlier file were prefixed with 'b.json:'" in err
    claims = cas.read_claims(target)
    assert list(claims["claim_id"]) == ["c1", "c2", "b.json:c1"] and list(claims["incident_id"]) == ["c1", "c2", "b.json:c1"]


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_convert_of_files_with_no_valid_claim_is_exit_1(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("source,date,place,count\nSOHR,2017-06-05,Atlantis,21\n", encoding="utf-8")
    assert main(["convert", str(path), "--out", str(tmp_path / "out.csv")]) == 1
    assert "no valid claim to convert" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_convert_refuses_an_out_it_cannot_write_before_reading(tmp_path, capsys):
    assert main(["convert", str(DATA / "tolls_sample.csv"), "--out", str(tmp_path / "claims.xlsx")]) == 2
    assert "unknown file format '.xlsx'" in _one_line(capsys.readouterr().err)
    with pytest.raises(SystemExit) as info:
        main(["convert", str(DATA / "tolls_sample.csv")])  # --out is required
    assert info.value.code == 2


def test_format_of_forces_one_format_for_every_file(tmp_path, capsys):
    path = tmp_path / "both.csv"
    path.write_text("year,week,deaths,source,date,place,count\n2015,2,10,SOHR,2015-01-06,Syria,12\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.endswith(f"{path}: 1 valid claim(s), 0 rejected\n")
    assert main(["validate", str(path), "--format-of", "vdc-weekly-national"]) == 0
    assert f"{path}: VDC weekly national (read_vdc_weekly): 1 claim(s), 0 cell(s) not mapped as given" in capsys.readouterr().out
    target = tmp_path / "out.csv"
    assert main(["convert", str(path), "--format-of", "vdc-weekly-national", "--out", str(target)]) == 0
    assert list(cas.read_claims(target)["source"]) == ["VDC"]
    assert main(["report", str(path), "--format-of", "vdc-weekly-national", "--format", "json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["tables"]["files"][0]["file"] == f"{path} (VDC weekly national)"
    assert main(["report", str(DATA / "acled_sample.csv"), "--format-of", "airwars"]) == 2
    assert "read_airwars" in _one_line(capsys.readouterr().err)
    with pytest.raises(SystemExit) as info:
        main(["report", str(path), "--format-of", "excel"])
    assert info.value.code == 2


def test_validate_a_dataset_lists_what_it_could_not_map_and_exits_1(capsys):
    path = str(DATA / "ucdp_country_year_sample.csv")
    assert main(["validate", path]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"{path}: UCDP country-year (read_ucdp_country_year): 13 claim(s), 3 cell(s) not mapped as given"
    assert any("'Kosovo': unknown_place" in line for line in lines)
    assert main(["validate", str(DATA / "vdc_weekly_national_sample.csv")]) == 0


def test_full_is_passed_to_the_report_only_when_it_takes_it(monkeypatch, capsys):
    import inspect

    import casualties.report

    real = casualties.report.build_report
    seen = {}

    def without_full(claims, scope=None, **kwargs):
        seen.clear()
        seen.update(kwargs)
        return real(claims, scope, **kwargs)

    monkeypatch.setattr(casualties.report, "build_report", without_full)
    assert main(["report", "--full", "--quiet"]) == 0  # a report that cannot be cut lists everything already
    assert "full" not in seen

    def with_full(claims, scope=None, *, full=False, **kwargs):
        seen.clear()
        seen.update(kwargs, full=full)
        return real(claims, scope, **kwargs)

    assert "full" in inspect.signature(with_full).parameters
    monkeypatch.setattr(casualties.report, "build_report", with_full)
    assert main(["report", "--full", "--quiet"]) == 0 and seen["full"] is True
    assert main(["report", "--quiet"]) == 0 and seen["full"] is False
    capsys.readouterr()


def test_the_help_describes_full_and_format_of(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "list every claim, discrepancy and adjustment, not only those bearing on the scope / the largest" in out
    assert "--format-of NAME" in out and "vdc-weekly-province" in out


# -- linking incidents across sources ------------------------------------------------------------
_MONITOR = """source,kind,incident_id,date,place,location,latitude,longitude,category,perpetrator,count,quote
SOHR,incident,S1,2017-06-10,Raqqa city,al-Mashlab,35.9401,39.0301,civilians,coalition,20,20 civilians were killed in al-Mashlab
SOHR,incident,S2,2017-03-02,Aleppo,Manbij,36.52,37.95,civilians,russia,4,4 civilians killed in Manbij
"""
_AIRWARS = """source,kind,incident_id,date,place,location,latitude,longitude,category,perpetrator,low,high,quote
Airwars,incident,CS1,2017-06-10,Raqqa city,Al Mashlab,35.9403,39.0299,civilians,coalition,10,12,10 to 12 civilians killed in Al Mashlab
Airwars,incident,CS2,2017-08-20,Deir ez-Zor,Hajin,34.69,40.83,civilians,coalition,3,3,3 civilians killed in Hajin
"""


@pytest.fixture
def two_sources(tmp_path):
    """One strike reported by two sources under their own ids (20 against 10-12 killed), and one
    incident of each that the other does not hold."""
    (tmp_path / "sohr.csv").write_text(_MONITOR, encoding="utf-8")
    (tmp_path / "airwars.csv").write_text(_AIRWARS, encoding="utf-8")
    return [str(tmp_path / "sohr.csv"), str(tmp_path / "airwars.csv")]


def test_link_writes_one_row_per_link_with_its_evidence(two_sources, tmp_path, capsys):
    out, relinked = tmp_path / "links.csv", tmp_path / "relinked.csv"
    assert main(["link", *two_sources, "--out", str(out), "--relinked", str(relinked)]) == 0
    links = pd.read_csv(out)
    assert links[["incident_a", "incident_b", "source_a", "source_b"]].values.tolist() == [["CS1", "S1", "Airwars", "SOHR"]]
    assert links["match_probability"].iloc[0] >= 0.9
    assert links["evidence"].iloc[0].startswith("same day, 0.0 km apart, 'Al Mashlab' ~ 'al-Mashlab'")
    assert "1 link(s) among 1 candidate pair(s)" in capsys.readouterr().err
    claims = cas.read_claims(relinked)
    assert claims.loc[claims["location"].str.contains("Mashlab"), "incident_id"].unique().tolist() == ["CS1 = S1"]
    assert set(claims["incident_id"]) == {"CS1 = S1", "S2", "CS2"}


def test_link_to_standard_output_and_a_threshold_no_link_reaches(two_sources, capsys):
    assert main(["link", *two_sources, "--threshold", "1"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("incident_a,incident_b,source_a,source_b,match_probability")
    assert len(out.splitlines()) == 1  # the header only: no link is certain


@pytest.mark.parametrize("threshold", ["2", "-0.1", "most"])
def test_link_threshold_must_be_a_probability(two_sources, threshold, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["link", *two_sources, "--threshold", threshold])
    assert exit_.value.code == 2
    assert "--threshold" in capsys.readouterr().err


def test_report_link_makes_the_two_reports_one_incident_with_the_evidence(two_sources, capsys):
    scope = ["--place", "Raqqa city"]
    assert main(["report", *two_sources, *scope]) == 0
    unlinked = capsys.readouterr().out
    # unlinked, the two strikes are two events: their counts add up and nothing contradicts
    assert "report the same incident" not in unlinked and "No two claims contradict each other." in unlinked
    assert main(["report", *two_sources, *scope, "--link"]) == 0
    linked = capsys.readouterr().out
    assert "- Airwars CS1 = SOHR S1 (probability 1.00): same day, 0.0 km apart" in linked
    assert "SOHR and Airwars report the same incident (CS1 = S1, in Raqqa city on 10 June 2017)" in linked
    assert "a gap of 8 people" in linked
    assert "   Linked as one event, probability 1.00: same day" in linked
    assert main(["report", *two_sources, *scope, "--link", "--format", "json"]) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    assert [(r["incident_a"], r["incident_b"]) for r in tables["links"]] == [("CS1", "S1")]
    assert tables["discrepancies"][0]["link"].startswith("linked as one event, probability 1.00")


def test_link_neutralises_text_cells_a_spreadsheet_would_run(two_sources, tmp_path):
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(_MONITOR.replace("S1,", "=S1,"), encoding="utf-8")
    out = tmp_path / "links.csv"
    assert main(["link", str(hostile), two_sources[1], "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "'=S1" in text and "\n=S1" not in text and ",=S1" not in text
