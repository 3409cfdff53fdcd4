"""check_merge_rule: it proves the laws table of docs/merge.md, and catches a broken rule for
every law with a small counterexample."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings

import casualties as cas
from casualties.merging import MERGE_RULES, MergeConflict, envelope
from casualties.strategies import claims_frames
from casualties.testing import LAWS, MergeRuleError, Violation, check_merge_rule, report_groups
from casualties.vocab import Count

DOC = Path(__file__).resolve().parents[1] / "docs" / "merge.md"
#: Examples for a law that holds (each one checks every example), and the most tried before a
#: law that fails must have been caught (the check stops at the first failure).
HOLDS_EXAMPLES, FAILS_EXAMPLES = 40, 500


def law_table() -> dict[tuple[str, str], bool]:
    """docs/merge.md's table of rules and laws: (rule, law) -> whether the law holds."""
    text = DOC.read_text(encoding="utf-8")
    lines = text[text.index("| rule | order |"):].splitlines()
    header = [c.strip() for c in lines[0].strip().strip("|").split("|")]
    table = {}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for law, mark in zip(header[1:], cells[1:]):
            assert mark[0] in "✓✗", mark
            table[(cells[0].strip("`"), law)] = mark[0] == "✓"
    return table


TABLE = law_table()


def test_the_docs_table_covers_every_rule_and_law():
    assert set(TABLE) == {(rule, law) for rule in MERGE_RULES for law in LAWS}


@pytest.mark.parametrize(("rule", "law"), [key for key, holds in TABLE.items() if holds])
def test_a_law_the_table_says_holds_holds(rule, law):
    check_merge_rule(rule, [law], max_examples=HOLDS_EXAMPLES)


@pytest.mark.parametrize(("rule", "law"), [key for key, holds in TABLE.items() if not holds])
def test_a_law_the_table_says_fails_has_a_counterexample(rule, law):
    with pytest.raises(MergeRuleError) as caught:
        check_merge_rule(rule, [law], max_examples=FAILS_EXAMPLES, seed=0)
    assert caught.value.laws == (law,)


# --------------------------------------------------------------- rules broken on purpose
def first_best(group: pd.DataFrame) -> Count:
    """Envelope bounds, but the best of whichever report came first."""
    return Count(group["low"].min(), group["best"].iloc[0], group["high"].max(), "between")


def summed(group: pd.DataFrame) -> Count:
    """Adds the reports up, as if each were different deaths."""
    return Count(group["low"].sum(), group["best"].sum(), group["high"].sum(), "between")


def median_only(group: pd.DataFrame) -> Count:
    """The median best as an exact count."""
    best = envelope(group).best
    return Count(best, best, best, "exact")


def padded(group: pd.DataFrame) -> Count:
    """Envelope widened by one person each way."""
    count = envelope(group)
    return Count(max(count.low - 1, 0), count.best, count.high + 1, "between")


def floor_mean(group: pd.DataFrame) -> Count:
    """Envelope bounds, best = the mean of the bests rounded down."""
    return Count(group["low"].min(), math.floor(group["best"].mean()), group["high"].max(), "between")


def most_precise(group: pd.DataFrame) -> Count:
    """The narrowest report wins: widening it hands the win to another, maybe lower, report."""
    row = group.iloc[int((group["high"] - group["low"]).to_numpy().argmin())]
    return Count(row["low"], row["best"], row["high"], "between")


BROKEN = {"order": first_best, "idempotent": summed, "contains": median_only, "within": padded,
          "associative": floor_mean, "monotone": most_precise}


@pytest.mark.parametrize("law", list(LAWS))
def test_the_checker_catches_a_rule_broken_for_each_law(law):
    rule = BROKEN[law]
    with pytest.raises(AssertionError) as caught:
        check_merge_rule(rule, [law], max_examples=FAILS_EXAMPLES, seed=0)
    error = caught.value
    assert isinstance(error, MergeRuleError)
    assert error.rule == rule.__name__ and error.laws == (law,)
    message = str(error)
    assert f"law {law!r}" in message and LAWS[law] in message and "counterexample" in message
    (violation,) = error.violations
    assert isinstance(violation, Violation) and isinstance(violation.group, pd.DataFrame)
    counts = violation.group[["low", "best", "high"]].to_numpy()
    assert 1 <= len(violation.group) <= 4 and (counts[counts < math.inf] <= 10).all()  # shrunk
    assert set(violation.group["claim_id"]) <= {f"r{i}" for i in range(1, 7)}
    for cell in violation.group["claim_id"]:
        assert cell in message


def test_the_counterexample_is_shrunk_to_the_smallest_story():
    with pytest.raises(MergeRuleError) as caught:
        check_merge_rule(summed, ["idempotent"], seed=0)
    group = caught.value.violations[0].group
    # one report, of at most one person, repeated: its range doubles
    assert len(group) == 1 and group[["low", "best", "high"]].to_numpy().max() <= 1


def test_all_laws_are_checked_and_every_broken_one_is_reported():
    with pytest.raises(MergeRuleError) as caught:
        check_merge_rule(summed, max_examples=200, seed=0)
    assert caught.value.laws == ("idempotent", "contains", "within")  # a sum of sums is the sum
    assert check_merge_rule("conservative", "all", max_examples=20) is None
    assert check_merge_rule(MERGE_RULES["envelope"], "order", max_examples=20) is None


def test_a_rule_that_never_merges_breaks_no_law():
    def refuse(group: pd.DataFrame) -> Count:
        raise MergeConflict.in_group(group, detail="never")

    check_merge_rule(refuse, max_examples=20)


def test_a_rule_that_returns_something_else_is_a_type_error():
    with pytest.raises(TypeError, match="must return a Count"):
        check_merge_rule(lambda group: 3, ["order"], max_examples=5)


def test_tolerance_forgives_rounding_by_that_many_people():
    def jitter(group: pd.DataFrame) -> Count:  # rounds up or down with the order of the reports
        count = envelope(group)
        best = min(count.best + (group["claim_id"].iloc[0] > group["claim_id"].iloc[-1]), count.high)
        return Count(count.low, best, count.high, "between")

    with pytest.raises(MergeRuleError):
        check_merge_rule(jitter, ["order"], max_examples=FAILS_EXAMPLES, seed=0)
    check_merge_rule(jitter, ["order"], max_examples=HOLDS_EXAMPLES, tolerance=1)


def test_groups_of_your_own_shape_can_be_given():
    check_merge_rule("conservative", ["order", "within"], max_examples=10, groups=claims_frames(min_size=1, max_size=4))


def test_bad_laws_and_rules_are_named():
    with pytest.raises(cas.OptionError, match="laws cannot be \\['commutative'\\]") as caught:
        check_merge_rule("envelope", ["commutative"])
    assert "all" in caught.value.allowed and isinstance(caught.value, ValueError)
    with pytest.raises(cas.OptionError, match="laws cannot be \\[\\]"):
        check_merge_rule("envelope", [])
    with pytest.raises(cas.OptionError, match="rule cannot be 'average'"):
        check_merge_rule("average")


@settings(max_examples=20)
@given(group=report_groups())
def test_report_groups_are_valid_claims_of_one_incident(group):
    assert 1 <= len(group) <= 6
    assert group[["incident_id", "category", "outcome", "kind"]].nunique().tolist() == [1, 1, 1, 1]
    pd.testing.assert_frame_equal(cas.validate(group), group)
