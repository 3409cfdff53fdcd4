"""The report as data (build_report) and its four renderings (render)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import casualties as cas
from casualties.reconcile import TRUTH
from casualties.rendering import FORMATS, render, safe_url
from casualties.report import TABLES, Report, build_report, count_words

ROOT = Path(__file__).resolve().parents[1]
SYRIA = {"place": "Syria", "category": "civilians", "perpetrator": "coalition"}
HOSTILE = '<script>alert("x")</script> & "quoted" \'single\''


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return cas.bundled_claims()


@pytest.fixture(scope="module")
def report(seed) -> Report:
    return build_report(seed)


class _Balanced(HTMLParser):
    """Fails on an end tag that closes something not open; records what stays open."""

    VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "col", "source", "wbr", "area", "base", "embed", "param", "track"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def _parse_html(text: str) -> _Balanced:
    parser = _Balanced()
    parser.feed(text)
    parser.close()
    assert parser.stack == [], parser.stack
    return parser


# -- build_report ----------------------------------------------------------------------------------
def test_build_report_is_pure(seed):
    before = seed.copy()
    first, second = build_report(seed), build_report(seed)
    pd.testing.assert_frame_equal(seed, before)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name), obj=name)
    assert first.gap == second.gap and first.options() == second.options()


def test_the_report_holds_every_section_as_a_table(report):
    assert set(report.tables()) == set(TABLES)
    assert all(isinstance(frame, pd.DataFrame) for frame in report.tables().values())
    assert report.timestamp is None and "timestamp" in report.options()


def test_what_went_in_counts_claims_per_source_and_the_period_covered(report, seed):
    inputs = report.inputs.set_index("source")
    for source, group in seed.groupby("source"):
        assert inputs.loc[source, "n_claims"] == len(group)
        assert inputs.loc[source, "n_totals"] == (group["kind"] == "total").sum()
    everything = inputs.loc[TRUTH]
    assert everything["n_claims"] == len(seed)
    # TRT World's "since March 2011" is the earliest claim, the article's date the latest day
    assert everything["start"] == pd.Timestamp("2011-03-01") and everything["end"] == pd.Timestamp("2017-06-06")
    # the injured count does not bear on a question about the killed
    assert everything["used"] == (seed["outcome"] == "killed").sum()


def test_ranges_per_source_then_the_truth(report, seed):
    expected = pd.concat([cas.ranges(seed), cas.ranges(seed, by=None)], ignore_index=True)
    pd.testing.assert_frame_equal(report.ranges, expected)
    assert report.ranges["source"].iloc[-1] == TRUTH and not report.ranges["feasible"].iloc[-1]


def test_the_seed_discrepancy_reads_as_the_article_gives_it(report):
    found = report.discrepancies
    assert list(found["gap"]) == sorted(found["gap"], reverse=True) and (found["gap"] > 0).all()
    top = found.iloc[0]
    assert {top["claim_a"], top["claim_b"]} == {"us-military-484", "sohr-coalition-syria"}
    sentence = top["sentence"]
    assert sentence.startswith("SOHR counts about 1,500 civilians killed by the US-led coalition in Syria alone")
    assert "while the US military's 484 covers Iraq and Syria together" in sentence
    assert "since 23 September 2014" in sentence and "since 8 August 2014" in sentence
    assert "a gap of 866 people" in sentence


def test_every_figure_of_a_discrepancy_sentence_can_be_found_in_its_quotes(report):
    claims = report.claims.set_index("claim_id")
    for pair in report.discrepancies.itertuples(index=False):
        quotes = claims.loc[pair.claim_a, "quote"] + " " + claims.loc[pair.claim_b, "quote"]
        counted = [claims.loc[c, "count"] for c in (pair.claim_a, pair.claim_b)]
        for words in counted:
            assert words in pair.sentence
        for number in re.findall(r"\d[\d,]*", " ".join(counted)):
            if claims.loc[pair.claim_b, "qualifier"] != "much-higher":  # "much higher" gives no number
                assert number in quotes, (number, quotes)


def test_the_least_change_and_who_gives_way(report):
    assert report.gap == 866.0
    adjustments = report.adjustments.set_index("claim_id")
    assert adjustments["change"].sum() == pytest.approx(866.0)
    assert "SOHR's about 1,500 (sohr-coalition-syria) moves from 1,350–1,650 to 485–1,650" in adjustments.loc["sohr-coalition-syria", "sentence"]


def test_period_totals_cover_every_month_for_every_account(report, seed):
    totals = report.period_totals
    months = pd.period_range("2011-03", "2017-06", freq="M")
    assert set(totals["source"]) == set(seed["source"]) | {TRUTH}
    for _, group in totals.groupby("source"):
        assert len(group) == len(months)


def test_a_scope_and_a_frequency_narrow_the_report(seed):
    narrow = build_report(seed, cas.Scope(start="2017-01-01", **SYRIA), freq="QS")
    assert narrow.description == "civilians killed by the US-led coalition in Syria, since 1 January 2017"
    quarters = narrow.period_totals[narrow.period_totals["source"] == "SOHR"]
    assert list(quarters["period_start"].dt.strftime("%Y-%m-%d")) == ["2017-01-01", "2017-04-01"]
    assert narrow.options()["freq"] == "QS" and narrow.options()["place"] == "SY"


def test_min_certainty_applies_to_every_section(seed):
    sure = build_report(seed, min_certainty="fair")  # the US military (confirmed) and TRT World (fair)
    assert set(sure.ranges["source"]) == {"TRT World", "US military", TRUTH}
    assert len(sure.discrepancies) == 0 and sure.gap == 0.0
    assert sure.claims["used"].sum() == 2


def test_claims_are_listed_with_their_quotes_and_words(report, seed):
    claims = report.claims
    assert list(claims["claim_id"]) == list(seed["claim_id"])
    assert list(claims["quote"]) == list(seed["quote"])
    by_id = claims.set_index("claim_id")
    assert by_id.loc["sohr-coalition-syria", "count"] == "about 1,500"
    assert by_id.loc["syria-war-dead", "count"] == "more than 400,000"
    assert by_id.loc["sohr-coalition-syria", "summary"] == (
        "SOHR: about 1,500 civilians killed by the US-led coalition in Syria (since 23 September 2014)")
    assert not by_id.loc["raqqa-boats-injured", "used"]


def test_rejected_rows_are_listed_with_every_failing_cell():
    records = [{"source": "SOHR", "date": "2017-06-05", "place": "Raqqa", "count": "21"},
               {"source": "SOHR", "date": "2017-06-05", "place": "Atlantis", "count": "a great many"}]
    claims, failures = cas.claims_from_records(records, errors="collect")
    report = build_report(claims, failures=failures.assign(file="mine.csv"), files={"mine.csv": len(claims)})
    assert set(zip(report.rejected["row"], report.rejected["column"])) == {(1, "place"), (1, "count")}
    assert report.files.to_dict("records") == [{"file": "mine.csv", "n_claims": 1, "n_rejected": 1}]
    text = render(report, "md")
    assert "1 row(s) rejected" in text and "Atlantis" in text and "unknown\\_place" in text


def test_merging_incidents_by_a_rule(seed):
    merged = build_report(seed, merge="envelope")
    assert merged.merge == "envelope" and len(merged.merged) == 3  # the boat strike's civilians, children, women killed
    assert set(merged.merged["incident_id"]) == {"raqqa-boats-2017-06-05"}
    assert "Incidents merged by the envelope rule" in render(merged, "md")


def test_no_claims_make_an_empty_report_in_every_format():
    empty = build_report(cas.empty_claims())
    assert empty.gap == 0.0 and len(empty.claims) == 0
    for fmt in FORMATS:
        assert render(empty, fmt)


def test_a_bad_frequency_is_refused(seed):
    with pytest.raises(ValueError, match="freq"):
        build_report(seed, freq="fortnight")


@pytest.mark.parametrize("text", ["484", "around 1,500", "over 400,000", "at least 21", "up to 9", "between 5 and 9", "nearly 300"])
def test_count_words_read_back_as_the_same_count(text):
    count = cas.parse_count(text)
    words = count_words(count.low, count.best, count.high, count.qualifier)
    again = cas.parse_count(words)
    assert (again.low, again.best, again.high) == (count.low, count.best, count.high)


def test_count_words_of_a_vague_word_give_its_range():
    dozens = cas.parse_count("dozens")
    assert count_words(dozens.low, dozens.best, dozens.high, dozens.qualifier) == "dozens (12 to 99)"


# -- render ---------------------------------------------------------------------------------------
def test_markdown_has_the_five_sections_in_order(report):
    text = render(report, "md")
    heads = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert heads == ["1. What went in", "2. Ranges", "3. Discrepancies", "4. Per-period totals", "5. The claims"]
    assert "SOHR counts about 1,500 civilians" in text
    assert "> US military (us-military-484): “The US military has said" in text


def test_markdown_links_the_plot_only_when_told_where_it_is(report):
    assert "![" not in render(report, "md")
    assert "](report.svg)" in render(report, "md", plot_href="report.svg")


def test_json_holds_every_table(report):
    data = json.loads(render(report, "json"))
    assert data["format"] == "casualties-report" and set(data["tables"]) == set(TABLES)
    assert data["options"]["gap"] == 866
    ranges = {row["source"]: row for row in data["tables"]["ranges"]}
    assert ranges["SOHR"]["low"] == 1350 and ranges["TRT World"]["high"] == "inf"
    assert ranges[TRUTH]["low"] == 400001 and ranges[TRUTH]["feasible"] is False and ranges[TRUTH]["change"] == 866


def test_csv_is_one_long_table_with_a_table_column(report):
    frame = pd.read_csv(io.StringIO(render(report, "csv")))
    assert frame.columns[0] == "table"
    assert set(frame["table"]) <= {"options", *TABLES}
    ranges = frame[frame["table"] == "ranges"].dropna(axis=1, how="all").set_index("source")
    assert ranges.loc["SOHR", "low"] == 1350 and ranges.loc["TRT World", "high"] == float("inf")
    claims = frame[frame["table"] == "claims"]
    assert list(claims["quote"]) == list(report.claims["quote"])
    assert len(frame[frame["table"] == "period_totals"]) == len(report.period_totals)


def test_html_is_well_formed_self_contained_and_has_the_plot(report):
    pytest.importorskip("matplotlib")
    text = render(report, "html")
    parsed = _parse_html(text)
    assert "svg" in parsed.tags and "script" not in parsed.tags
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text.split("<svg", 1)[0] + text.split("</svg>", 1)[1])
    assert "default-src 'none'" in text and "@media print" in text
    assert "SOHR counts about 1,500 civilians" in "".join(parsed.text)


@pytest.fixture(scope="module")
def hostile() -> Report:
    records = [
        {"claim_id": "evil", "source": HOSTILE, "date": "2017-06-05", "place": "Raqqa", "count": "21", "quote": HOSTILE,
         "url": "javascript:alert(1)", "note": "</blockquote><script>alert(2)</script>"},
        {"claim_id": "fine", "source": "SOHR", "date": "2017-06-05", "place": "Raqqa", "count": "5", "quote": "fine",
         "url": "https://example.org/a?b=1&c=<2>"},
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the hostile source is unknown
        claims = cas.claims_from_records(records)
    return build_report(claims)


def test_html_escapes_every_text_from_a_claim_file(hostile):
    pytest.importorskip("matplotlib")
    text = render(hostile, "html")
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quoted&quot;" in text
    parsed = _parse_html(text)
    assert "script" not in parsed.tags
    assert HOSTILE in "".join(parsed.text)  # shown as text, exactly


def test_only_http_urls_become_links(hostile):
    text = render(hostile, "html")
    assert 'href="javascript' not in text.lower()
    assert 'href="https://example.org/a?b=1&amp;c=%3C2%3E"' in text
    assert safe_url("javascript:alert(1)") is None and safe_url("ftp://x.org/") is None and safe_url("https://") is None
    assert safe_url("http://example.org/a b") == "http://example.org/a%20b"


def test_markdown_carries_no_raw_html_from_claims(hostile):
    text = render(hostile, "md")
    assert not re.search(r"(?<!\\)<script", text, flags=re.IGNORECASE) and "\\<script\\>" in text
    assert "](javascript" not in text and "<javascript" not in text


# -- determinism ----------------------------------------------------------------------------------
def test_each_format_renders_to_the_same_bytes_twice(seed):
    for fmt in FORMATS:
        if fmt == "html":
            pytest.importorskip("matplotlib")
        first = render(build_report(seed), fmt).encode()
        assert render(build_report(seed), fmt).encode() == first, fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_the_same_in_another_process_with_another_hash_seed(report, fmt):
    if fmt == "html":
        pytest.importorskip("matplotlib")
    code = ("import sys, casualties as cas; from casualties.report import build_report; from casualties.rendering import render; "
            f"sys.stdout.buffer.write(render(build_report(cas.bundled_claims()), {fmt!r}).encode())")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env, cwd=ROOT)
    assert done.stdout == render(report, fmt).encode()


def test_importing_the_report_does_not_load_matplotlib():
    code = "import sys, casualties.report, casualties.rendering; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "False"


def test_the_report_names_are_public():
    assert cas.build_report is build_report and cas.render is render and cas.Report is Report
