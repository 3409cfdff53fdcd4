"""The per-period plot: well-formed SVG, readable (labels, legend, colours), deterministic."""

from __future__ import annotations

import os
import subprocess
import sys
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

import casualties as cas
from casualties.errors import OptionalDependencyError
from casualties.plots import PALETTE, TRUTH_COLOUR, period_plot, source_colours
from casualties.reconcile import TRUTH
from casualties.rendering import render
from casualties.report import build_report

pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def seed():
    return cas.bundled_claims()


@pytest.fixture(scope="module")
def bands(seed) -> str:
    """The whole seed article by month, in full: 76 periods, drawn as bands."""
    return period_plot(build_report(seed, full=True))


@pytest.fixture(scope="module")
def bars(seed) -> str:
    """Syria in 2017 by month: 6 periods, drawn as bars."""
    return period_plot(build_report(seed, cas.Scope(start="2017-01-01", place="Syria", category="civilians", perpetrator="coalition")))


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode())
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("name", ["bands", "bars"])
def test_the_plot_is_well_formed_svg_with_text_kept_as_text(name, request):
    svg = request.getfixturevalue(name)
    root = ET.fromstring(svg.encode())
    assert root.tag == f"{SVG}svg"
    assert float(root.get("width").removesuffix("pt")) > 300 and float(root.get("height").removesuffix("pt")) > 200
    assert _texts(svg)


@pytest.mark.parametrize("name", ["bands", "bars"])
def test_the_legend_names_every_source_and_the_axes_have_units(name, request, seed):
    texts = _texts(request.getfixturevalue(name))
    for source in seed["source"].unique():
        assert any(t == source or t.startswith(f"{source} (") for t in texts), source
    assert any(t.startswith(TRUTH) for t in texts)
    assert "deaths per month [people]" in texts and "date" in texts
    assert "best estimate" in texts


def test_the_periods_of_the_total_claims_are_drawn_under_the_axis(bands, seed):
    texts = _texts(bands)
    assert "period of each total claim" in texts
    assert "SOHR: about 1,500" in texts and "TRT World: more than 400,000" in texts and "US military: 484" in texts
    assert sum(t.startswith("SOHR: ") for t in texts) == ((seed["source"] == "SOHR") & (seed["kind"] == "total")).sum()


def test_sources_get_colour_blind_safe_colours_and_the_truth_black(bars):
    colours = source_colours(["SOHR", "TRT World", "US military", "observers", TRUTH])
    assert [c for c, _ in colours.values()] == [*PALETTE[:4], TRUTH_COLOUR]
    for colour in PALETTE[:4]:
        assert colour.lower() in bars.lower()
    many = source_colours([f"s{i}" for i in range(10)])
    assert len(set(many.values())) == 10  # past the palette, hatching tells sources apart


def test_the_plot_is_deterministic(seed, bars):
    again = period_plot(build_report(seed, cas.Scope(start="2017-01-01", place="Syria", category="civilians", perpetrator="coalition")))
    assert again == bars
    assert "Date" not in bars and "<dc:date>" not in bars


def test_the_plot_is_the_same_in_another_process(bands):
    code = ("import sys, casualties as cas; from casualties.report import build_report; from casualties.plots import period_plot; "
            "sys.stdout.buffer.write(period_plot(build_report(cas.bundled_claims(), full=True)).encode())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, cwd=ROOT,
                          env={**os.environ, "PYTHONHASHSEED": "4242"})
    assert done.stdout == bands.encode()


def test_hostile_names_stay_text_in_the_svg():
    name = '<script>alert(1)</script> "q" & $x$'
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        claims = cas.claims_from_records([{"source": name, "date": "2017-06-05", "place": "Raqqa", "count": "3"},
                                          {"source": "SOHR", "period": "in May 2017", "place": "Syria", "count": "30"}])
    svg = period_plot(build_report(claims))
    root = ET.fromstring(svg.encode())
    assert not [node for node in root.iter() if node.tag.rsplit("}", 1)[-1].lower() == "script"]
    assert name in _texts(svg)  # escaped in the file, the same text once parsed; "$x$" is not maths


def test_without_matplotlib_the_plot_asks_for_the_extra(monkeypatch, seed):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    report = build_report(seed)
    with pytest.raises(OptionalDependencyError, match=r"casualties\[report\]"):
        period_plot(report)
    text = render(report, "html")
    assert "The plot is missing" in text and "casualties[report]" in text and "<svg" not in text
    assert "No plot: matplotlib is not installed" in render(report, "md")


# -- plots a reader reads --------------------------------------------------------------------------
def _incidents(counts: dict[str, list[str]]) -> "cas.ClaimsFrame":
    records = [{"source": source, "date": f"2017-{m + 1:02d}-10", "place": "Raqqa", "category": "civilians", "count": count,
                "kind": "incident"} for source, months in counts.items() for m, count in enumerate(months)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cas.claims_from_records(records)


def test_the_y_axis_is_set_by_bounded_ranges_never_by_open_ended_bests():
    from casualties.plots import _top

    inf = float("inf")
    # a bounded range up to 50 and an open-ended one whose best is 5,415: the axis follows the 50
    assert _top([0, 0], [40, 5415], [50, inf]) == pytest.approx(56.0)
    # only open-ended ranges: their lows and bests set it (there is nothing else)
    assert _top([0, 10], [14, 12], [inf, inf]) == pytest.approx(14 * 1.12)
    # 0-0 periods do not make an axis of 1 under open-ended ranges
    assert _top([0, 0], [0, 14], [0, inf]) == pytest.approx(14 * 1.12)
    assert _top([], [], []) == 1.0


def test_each_account_has_its_own_panel_so_small_accounts_stay_visible(seed):
    from casualties.plots import _panels

    panels = {p["name"]: p for p in _panels(build_report(seed))}
    assert list(panels) == ["SOHR", "TRT World", "US military", "observers", TRUTH]
    # SOHR's axis follows its own monthly ranges (up to 1,629), not TRT World's ~5,415 a month from "more than 400,000"
    assert panels["SOHR"]["top"] == pytest.approx(1629 * 1.12)
    assert panels["US military"]["top"] == pytest.approx(484 * 1.12)
    assert panels["observers"]["top"] < 20  # open-ended only: its bests (about 14 a month)
    assert panels[TRUTH]["label"] == "all sources, after the least change of 866 people"


def test_the_least_change_truth_is_drawn_with_its_label(bars, bands):
    for svg in (bars, bands):
        assert "all sources, after the least change of 866 people" in _texts(svg)


def test_one_value_ranges_still_show_and_no_empty_panel_is_drawn():
    claims = _incidents({"Airwars": ["between 40 and 60", "between 100 and 130", "20"], "CJTF-OIR": ["2", "0", "5"]})
    svg = period_plot(build_report(claims))
    texts = _texts(svg)
    assert "period of each total claim" not in texts  # incidents only: no panel of total claims
    assert "one value (least = greatest)" in texts
    assert "CJTF-OIR" in texts
    orange = PALETTE[1].lower()
    thick = re.findall(r'stroke: ?' + orange + r'[^"]*stroke-width: ?3\.2', svg.lower())
    assert thick, "CJTF-OIR's one-value ranges are drawn as thick lines"


def test_open_ended_ranges_are_not_bands_to_the_top(seed):
    from casualties.plots import _panels

    report = build_report(seed)
    texts = _texts(period_plot(report))
    assert "no upper limit (least count, arrow up)" in texts
    assert "no upper limit (pale band to the top)" not in texts
    # TRT World's panel scale is its own; no other panel follows it
    tops = {p["name"]: p["top"] for p in _panels(report)}
    assert max(v for k, v in tops.items() if k not in ("TRT World", TRUTH)) < 2000


def test_a_long_title_is_wrapped_not_clipped(seed):
    scope = cas.Scope(start="2014-09-01", end="2017-06-06", place=["Syria", "Iraq"], category="civilians",
                      perpetrator=["coalition", "russia", "isis"])
    svg = period_plot(build_report(seed, scope), width=8.0)
    lines = [t for t in _texts(svg) if t.startswith("Civilians killed") or t.endswith("per month")]
    assert len(lines) >= 2 and all(len(line) <= 88 for line in lines)


def test_past_thirty_totals_the_short_ones_are_one_line_per_source():
    records = [{"source": "UN", "period": "in 2016", "reported_on": "2017-01-10", "place": "Syria", "count": "40000", "kind": "total"}]
    for week in range(40):
        start = pd.Timestamp("2016-01-04") + pd.Timedelta(weeks=week)
        records.append({"source": "VDC", "start": start.strftime("%Y-%m-%d"), "end": (start + pd.Timedelta(days=6)).strftime("%Y-%m-%d"),
                        "place": "Syria", "count": "100", "kind": "total"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        claims = cas.claims_from_records(records)
    texts = _texts(period_plot(build_report(claims, freq="QS")))
    assert "UN: 40,000" in texts and "VDC: 40 totals, each shorter than a quarter" in texts
    assert not any(t.startswith("VDC: 100") for t in texts) and not any("more not drawn" in t for t in texts)
