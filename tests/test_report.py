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
from casualties.rendering import FORMATS, render
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
    with pytest.raises(cas.OptionError, match="freq cannot be 'fortnight'") as caught:
        build_report(seed, freq="fortnight")
    assert caught.value.allowed == tuple(cas.report.FREQUENCIES)


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


# -- a report sized to its question ---------------------------------------------------------------


def _many_pairs(n: int = 30) -> pd.DataFrame:
    """n incidents that two sources report apart: one pair of claims and one gap per incident."""
    records = []
    for i in range(n):
        day = (pd.Timestamp("2017-01-01") + pd.Timedelta(days=i)).strftime("%Y-%m-%d")
        for source, count in (("Airwars", str(10 + i)), ("CJTF-OIR", "0")):
            records.append({"claim_id": f"{source}-{i}", "source": source, "date": day, "place": "Raqqa", "category": "civilians",
                            "count": count, "incident_id": f"strike-{i}", "kind": "incident", "quote": ""})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        claims = cas.claims_from_records(records)
    return claims.assign(quote="")  # as Airwars' claims: no quote


@pytest.fixture(scope="module")
def pairs() -> Report:
    return build_report(_many_pairs())


def test_only_the_claims_that_bear_are_listed_the_others_counted(report, seed):
    text = render(report, "md")
    assert "### raqqa-boats-injured" not in text  # the injured do not bear on the killed
    assert "1 other claim(s) do not bear on this scope" in text
    assert len(report.claims) == len(seed)  # the table stays complete
    full = render(build_report(seed, full=True), "md")
    assert "### raqqa-boats-injured" in full and "do not bear on this scope" not in full
    assert "not used for this scope" in full


def test_the_top_discrepancies_and_adjustments_are_listed_the_rest_per_source_pair(pairs):
    from casualties.report import TOP

    assert len(pairs.discrepancies) == 30 and len(pairs.listed("discrepancies")) == TOP == 20
    rest = pairs.summarised("discrepancies")
    assert rest.to_dict("records") == [{"source_a": "Airwars", "source_b": "CJTF-OIR", "n_pairs": 10, "gap": float(sum(range(10, 20)))}]
    assert list(pairs.adjustments["change"]) == sorted(pairs.adjustments["change"], reverse=True)
    assert len(pairs.listed("adjustments")) == min(TOP, len(pairs.adjustments))
    text = render(pairs, "md")
    assert "30 pair(s) of claims cannot both hold" in text and "The 20 largest are listed; the other 10" in text
    assert len(re.findall(r"^\d+\. Airwars and CJTF-OIR report the same incident", text, flags=re.MULTILINE)) == 20
    assert "| Airwars | CJTF-OIR | 10 | 145 |" in text  # the other pairs: how many, their total gap
    html_text = render(pairs, "html")
    _parse_html(html_text)
    assert html_text.count("report the same incident") == 20 and "The other pairs, per pair of sources" in html_text


def test_a_full_report_lists_everything(pairs):
    full = build_report(_many_pairs(), full=True)
    assert full.full and full.options()["full"] is True and not pairs.options()["full"]
    for name in ("discrepancies", "adjustments", "claims", "period_totals"):
        pd.testing.assert_frame_equal(full.listed(name), getattr(full, name))
    assert not len(full.summarised("discrepancies")) and not len(full.summarised("adjustments"))
    text = render(full, "md")
    assert len(re.findall(r"^\d+\. Airwars and CJTF-OIR report the same incident", text, flags=re.MULTILINE)) == 30
    assert "The other pairs" not in text and "are listed; the other" not in text


def test_the_periods_run_from_the_first_to_the_last_where_some_account_speaks(report, seed):
    from casualties.report import speaking_periods

    # before August 2014 only TRT World's open-ended "since March 2011" covers a month: 0-inf says nothing of it
    assert speaking_periods(report.period_totals) == (pd.Timestamp("2014-08-01"), pd.Timestamp("2017-06-01"))
    listed = report.listed("period_totals")
    assert listed["period_start"].nunique() == 35 and report.period_totals["period_start"].nunique() == 76
    text = render(report, "md")
    assert "35 of 76 periods listed: the 41 period(s) before 2014-08 are left out" in text
    assert "| 2011-03 |" not in text and "| 2014-08 |" in text and "| 2017-06 |" in text
    assert "| 2011-03 |" in render(build_report(seed, full=True), "md")
    # a gap in the middle is kept; nothing said anywhere keeps every period
    totals = report.period_totals.copy()
    middle = (totals["period_start"] == pd.Timestamp("2016-01-01")).to_numpy()
    totals.loc[middle, ["low", "best", "high"]] = [0.0, 0.0, 0.0]
    assert speaking_periods(totals) == (pd.Timestamp("2014-08-01"), pd.Timestamp("2017-06-01"))
    silent = totals.assign(low=0.0, high=float("inf"))
    assert speaking_periods(silent) == (pd.Timestamp("2011-03-01"), pd.Timestamp("2017-06-01"))
    assert speaking_periods(totals.iloc[:0]) == (None, None)


@pytest.mark.parametrize(("value", "text"), [(5075.5, "5,076"), (242.5, "243"), (14.49, "14"), (3.33, "3.3"), (9.96, "10"),
                                             (0.04, "0"), (2059, "2,059"), (400001, "400,001"), (float("inf"), "no limit")])
def test_numbers_read_as_whole_people_with_one_decimal_only_below_ten(value, text):
    from casualties.phrases import number as _number

    assert _number(value) == text


def test_bests_print_rounded_and_counts_with_separators(report):
    text = render(report, "md")
    table = text[text.index("| period |"):text.index("## 5.")]
    assert "(5,415)" in table and "5,414.9" not in table
    assert not re.search(r"\(\d{2,}[\d,]*\.\d\)", table)  # no decimal at or above 10
    ranges = text[text.index("## 2."):text.index("## 3.")]
    assert "| observers | 485 | 485 | ∞ | 1 | yes |" in ranges


def test_no_empty_quote_is_rendered(pairs):
    md, html_text = render(pairs, "md"), render(pairs, "html")
    assert "“”" not in md and "\n>\n" not in md and "> \n" not in md
    assert "<blockquote><p></p></blockquote>" not in html_text and "“”" not in html_text
    assert "(no quote)" in html_text  # a pair's claim without a quote says so in one line


def test_claims_that_hold_are_never_called_contradictory_and_the_other_way_round(report, seed):
    text = render(report, "md")
    assert "consistent" not in text.lower() and "contradictory" not in text.lower()
    assert "The claims cannot all hold as given" in text and "| no |" in text
    sure = render(build_report(seed, min_certainty="fair"), "md")
    assert "The claims hold as given: no change is needed." in sure and "No two claims contradict each other." in sure
    assert "cannot all hold" not in sure


def test_a_contradiction_that_no_pair_shows_is_said_with_the_claims_that_take_part():
    records = [{"claim_id": "un-2017", "source": "UN", "period": "in 2017", "reported_on": "2018-01-10", "place": "Syria",
                "category": "civilians", "count": "100", "kind": "total"}]
    for week in range(10):  # ten weekly counts of 15 add up to 150, above the year's 100; no week alone exceeds it
        start = pd.Timestamp("2017-01-02") + pd.Timedelta(weeks=week)
        records.append({"claim_id": f"week-{week}", "source": "SOHR", "start": start.strftime("%Y-%m-%d"),
                        "end": (start + pd.Timedelta(days=6)).strftime("%Y-%m-%d"), "place": "Syria", "category": "civilians",
                        "count": "15", "kind": "total"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = build_report(cas.claims_from_records(records))
    assert report.gap == 50 and len(report.discrepancies) == 0
    moved = report.adjustments[report.adjustments["change"] > 0]
    for fmt in ("md", "html"):
        text = render(report, fmt)
        assert "No pair of claims from two sources contradicts each other, yet the claims cannot all hold as given" in text
        assert "No two claims contradict each other." not in text
        assert f"moves {len(moved)} claim(s), which take part in it: " in text
        for claim_id in moved["claim_id"]:
            assert f"{claim_id} (" in text


@pytest.fixture(scope="module")
def raqqa(raqqa_2017_report) -> Report:
    return raqqa_2017_report


def test_the_airwars_report_on_raqqa_in_2017_is_sized_to_its_question(raqqa):
    text = render(raqqa, "md")
    used = int(raqqa.claims["used"].sum())
    n_pairs = len(raqqa.discrepancies)
    assert n_pairs > 1000 and len(raqqa.claims) > 20_000
    assert text.count("\n### ") == used + 1  # the claims that bear, and the least change's heading
    assert f"{len(raqqa.claims) - used:,} other claim(s) do not bear on this scope" in text
    assert f"{n_pairs:,} pair(s) of claims cannot both hold" in text
    assert len(re.findall(r"^\d+\. ", text, flags=re.MULTILINE)) == 20
    assert len(text.splitlines()) < 12 * used  # was 185,879 lines, every claim of the file listed
    html_text = render(raqqa, "html")
    assert "<blockquote><p></p></blockquote>" not in html_text and "<blockquote><p>nan</p></blockquote>" not in html_text
    assert not re.search(r"\d\.\d people", text)


def test_a_source_whose_own_claims_cannot_all_hold_is_named():
    records = [{"claim_id": "civilians", "source": "Airwars", "date": "2017-03-05", "place": "Raqqa", "category": "civilians",
                "count": "10", "incident_id": "x", "kind": "incident"},
               {"claim_id": "children", "source": "Airwars", "date": "2017-03-05", "place": "Raqqa", "category": "children",
                "count": "12", "incident_id": "x", "kind": "incident"}]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = build_report(cas.claims_from_records(records))
    text = render(report, "md")
    assert "Airwars has claims of its own that cannot all hold as given" in text
    assert "No pair of claims from two sources contradicts each other, yet the claims cannot all hold as given" in text
    assert "No two claims contradict each other." not in text


def test_a_long_failure_table_lists_the_first_cells_and_counts_the_rest_per_file_column_and_reason():
    from casualties.report import TOP

    claims = cas.bundled_claims()
    n = TOP + 5
    failures = pd.DataFrame({"file": ["a.csv"] * (n - 3) + ["b.csv"] * 3, "row": range(n), "column": ["actor1"] * (n - 3) + ["place"] * 3,
                             "value": "x", "reason": ["unknown_perpetrator"] * (n - 3) + ["unknown_place"] * 3, "detail": "kept"})
    report = build_report(claims, failures=failures)
    assert report.listed("rejected")["row"].tolist() == list(range(TOP))
    rest = report.summarised("rejected")
    assert rest.values.tolist() == [["b.csv", "place", "unknown_place", 3], ["a.csv", "actor1", "unknown_perpetrator", 2]]
    text = render(report, "md")
    assert f"{n} row(s) rejected or not mapped as given" in text and f"the first {TOP} of the {n} failing cells are listed" in text
    assert "| b.csv | place | unknown\\_place | 3 |" in text
    full = build_report(claims, failures=failures, full=True)
    assert len(full.listed("rejected")) == n and "every failing cell:" in render(full, "md")
    assert "<td>unknown_place</td>" in render(report, "html")
