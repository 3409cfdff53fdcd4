"""The ``real`` benchmarks: the engine on the field's own files in ``../shared/data``.

Every case runs in a child process of its own, so that its peak resident memory (the kernel's
high-water mark ``VmHWM``, which sees numpy and Arrow buffers that tracemalloc does not) is its
own; each prints the median
of ``repeat`` runs beside its baseline, measured in the same run the same way: a bare pandas
groupby-sum of the same claims where one answers a comparable question, else reading the files.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

#: ``../shared/data`` beside the checkout (absent in a user's fresh clone).
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

_PRELUDE = """
import json, resource, statistics, sys, time, warnings
warnings.simplefilter("ignore")
import pandas as pd
import casualties as cas
from casualties.adapters import read_acled, read_airwars, read_ucdp_country_year, read_vdc_weekly
DATA = {data!r}
REPEAT = {repeat}

def peak_rss():
    # Peak resident memory of this process [MiB]: VmHWM, which starts afresh at exec (Linux
    # carries ru_maxrss over exec from the parent that forked us, however large it was).
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def timed(func):
    runs = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        out = func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), out

def airwars(n=None):
    claims = read_airwars(DATA + "/airwars/syria_incidents.csv")
    if n is not None:  # whole incidents drawn at random (seeded) until about n claims
        incidents = claims["incident_id"].drop_duplicates().sample(frac=1.0, random_state=0)
        sizes = claims["incident_id"].value_counts().reindex(incidents).to_numpy()
        keep = incidents[sizes.cumsum() <= n]
        claims = claims[claims["incident_id"].isin(keep)]
    return claims

def national():
    return pd.concat([read_ucdp_country_year(DATA + "/ucdp/country_year_syria_iraq.csv"),
                      read_acled(DATA + "/acled/syria_battles_2017-2023.csv"),
                      read_vdc_weekly(DATA + "/vdc/weekly_by_province.csv")])

def groupby_month(claims):
    return claims.groupby([claims["source"], claims["start"].dt.to_period("M")], observed=True)[["low", "best", "high"]].sum()

RAQQA_2017 = cas.Scope(start="2017-01-01", end="2017-12-31", place="SY-RA", category="civilians", perpetrator="coalition")
BATTLE = cas.Scope(start="2017-06-06", end="2017-10-17", place="SY-RA", category="civilians", perpetrator="coalition")
"""

#: name -> (what is timed, goal [s], goal [MiB] or None, code setting ``seconds`` and ``answer``)
CASES: dict[str, tuple[str, float, float | None, str]] = {
    "period_totals": (
        "period_totals, Airwars claims: Raqqa governorate, coalition, civilians, 2017 by month, by source",
        1.0, None,
        """
claims = airwars()
seconds, out = timed(lambda: cas.period_totals(claims, "MS", RAQQA_2017))
answer = f"{len(out)} rows; Airwars 2017 best {out[out['source'] == 'Airwars']['best'].sum():,.0f}"
kept = claims[(claims["outcome"] == "killed")]
baseline, _ = timed(lambda: groupby_month(kept))
baseline_name = "groupby-sum of the same claims"
""",
    ),
    "ranges": (
        "ranges(by=None), Airwars claims, the battle of Raqqa (6 June - 17 October 2017)",
        2.0, None,
        """
claims = airwars()
seconds, out = timed(lambda: cas.ranges(claims, BATTLE, by=None))
row = out.iloc[0]
answer = f"{row['low']:,.0f}-{row['high']:,.0f} (best {row['best']:,.0f}), change {row['change']:,.0f}"
baseline, _ = timed(lambda: groupby_month(claims))
baseline_name = "groupby-sum of the same claims"
""",
    ),
    "conflict": (
        "conflict on every Airwars claim",
        2.0, 1024.0,
        """
claims = airwars()
seconds, out = timed(lambda: cas.conflict(claims))
answer = f"gap {out.gap:,.0f}, {len(out.adjustments):,} claims give way"
baseline, _ = timed(lambda: groupby_month(claims))
baseline_name = "groupby-sum of the same claims"
""",
    ),
    "national": (
        "the truth for Syria 2017 from UCDP country-year + ACLED + VDC weekly by province",
        15.0, 2048.0,
        """
claims = national()
seconds, out = timed(lambda: cas.ranges(claims, cas.Scope(start="2017-01-01", end="2017-12-31", place="SY"), by=None))
row = out.iloc[0]
answer = f"{row['low']:,.0f}-{row['high']:,.0f}, {row['n_claims']:,} claims bear, change {row['change']:,.0f}"
baseline, _ = timed(national)
baseline_name = "reading the three files"
""",
    ),
    "extract": (
        "extract_claims over 10,000 ACLED notes (records per note, one claims frame)",
        10.0, None,
        """
import re
from casualties.extract import extract_records
notes = pd.read_csv(DATA + "/acled/syria_battles_2017-2023.csv", usecols=["event_date", "notes"]).dropna().head(10_000)
def extract_all():
    records = []
    for k, (day, note) in enumerate(zip(notes["event_date"], notes["notes"])):
        found, _ = extract_records(str(note), reported_on=pd.Timestamp(day), source="ACLED", place="Syria")
        for record in found:
            record["claim_id"], record["incident_id"] = f"{k}/{record['claim_id']}", f"{k}/{record['incident_id']}"
        records.extend(found)
    return cas.claims_from_records(records, errors="collect")[0]
seconds, out = timed(extract_all)
answer = f"{len(out):,} claims from {len(notes):,} notes"
number = re.compile(r"\\d[\\d,]*")
baseline, _ = timed(lambda: [number.findall(str(n)) for n in notes["notes"]])
baseline_name = "a regular expression finding every number"
""",
    ),
    "link": (
        "link_incidents: every Airwars incident against a copy of itself under another source (new ids)",
        30.0, None,
        """
from casualties.linking import link_incidents
claims = airwars()
claims = claims[claims["source"] == "Airwars"]
both = pd.concat([claims, claims.assign(source="Copy", incident_id="copy " + claims["incident_id"])], ignore_index=True)
seconds, out = timed(lambda: link_incidents(both))
right = int((out["incident_b"] == "copy " + out["incident_a"]).sum())
answer = (f"{len(out):,} links of {claims['incident_id'].nunique():,} incidents ({right:,} to their copy), "
          f"{out.attrs['candidates']:,} candidate pairs")
baseline, _ = timed(airwars)
baseline_name = "read_airwars of the file"
""",
    ),
    "report": (
        "casualties report on the Airwars claims (a claims CSV)",
        10.0, 1536.0,
        """
import os, tempfile
from casualties.cli import main
folder = tempfile.mkdtemp()
path = cas.write_claims(airwars(), os.path.join(folder, "airwars.csv"))
out_path = os.path.join(folder, "report.md")
seconds, code = timed(lambda: main(["report", str(path), "--quiet", "--out", out_path]))
answer = f"exit {code}, {sum(1 for _ in open(out_path)):,} lines"
baseline, _ = timed(lambda: cas.read_claims(path))
baseline_name = "read_claims of the same file"
""",
    ),
}


def _run_case(code: str, data: Path, repeat: int) -> dict:
    script = _PRELUDE.format(data=str(data), repeat=repeat) + textwrap.dedent(code) + (
        "\nprint(json.dumps({'seconds': seconds, 'answer': answer, 'baseline': baseline, 'baseline_name': baseline_name,"
        " 'rss': peak_rss()}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"real benchmark failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def real_path(repeat: int, data: Path = SHARED_DATA, cases: list[str] | None = None) -> list[dict]:
    """The cases of :data:`CASES` (all, or those named): time beside its goal and its baseline,
    peak RSS beside its goal."""
    rows = []
    for name, (what, goal, memory_goal, code) in CASES.items():
        if cases is not None and name not in cases:
            continue
        found = _run_case(code, data, repeat)
        rows.append(
            {
                "case": name,
                "ours [s]": found["seconds"],
                "goal [s]": goal,
                "baseline [s]": found["baseline"],
                "x baseline": found["seconds"] / found["baseline"],
                "peak RSS [MiB]": found["rss"],
                "RSS goal [MiB]": memory_goal if memory_goal is not None else float("nan"),
                "baseline is": found["baseline_name"],
                "answer": found["answer"],
            }
        )
    return rows


_SCALING = """
sizes, times, peaks = [], [], []
for n in {sizes}:
    part = airwars(n)
    seconds, _ = timed(lambda: {call})
    sizes.append(len(part)); times.append(seconds)
seconds, answer, baseline, baseline_name = 0.0, json.dumps([sizes, times]), 1.0, ""
"""


def real_scaling(repeat: int, sizes: list[int], data: Path = SHARED_DATA) -> dict[str, tuple[list[int], list[float], list[float]]]:
    """``conflict`` and ``period_totals`` on the Airwars claims cut to ``sizes`` claims: time and
    peak RSS per size, each size in a child process of its own."""
    calls = {
        "conflict, Airwars": "cas.conflict(part)",
        "period_totals, Airwars": "cas.period_totals(part, 'MS', RAQQA_2017)",
    }
    out = {}
    for name, call in calls.items():
        measured, times, peaks = [], [], []
        for n in sizes:
            found = _run_case(_SCALING.format(sizes=[n], call=call), data, repeat)
            got_sizes, got_times = json.loads(found["answer"])
            measured.append(got_sizes[0])
            times.append(got_times[0])
            peaks.append(found["rss"])
        out[name] = (measured, times, peaks)
    return out
