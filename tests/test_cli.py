"""The command line: exit codes, one-sentence errors, no tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from casualties.cli import main


def test_report_with_no_files_reconciles_the_bundled_claims(capsys):
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert "us-military-484" in out and "sohr-coalition-syria" in out
    assert "Discrepancies: 2 pair(s)" in out
    assert "Least total change to the claims that reconciles them: 866 people" in out


def test_report_scope_options_narrow_the_question(capsys):
    assert main(["report", "--place", "Syria", "--category", "civilians", "--perpetrator", "coalition", "--from", "2017-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Scope([2017-01-01, inf], place=SY, category=civilian, perpetrator=coalition, killed)" in out


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
    assert "Incidents merged by the envelope rule: 4 merged, 0 in conflict" in out
    assert "raqqa-boats-2017-06-05" in out


def test_report_rejects_an_unknown_merge_rule(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--merge", "average"])
    assert info.value.code == 2
