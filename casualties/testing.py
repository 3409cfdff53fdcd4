"""Check merge rules in your own tests: the laws of ``docs/merge.md``, by Hypothesis.

A merge rule (``casualties.merging``) is any callable that takes one group of claims and returns a
:class:`~casualties.vocab.Count`. :func:`check_merge_rule` generates groups of reports of one
incident and checks the laws you name, shrinking any counterexample to a small one (needs the
``test`` extra)::

    from casualties.testing import check_merge_rule

    def test_my_rule_ignores_the_order_of_reports():
        check_merge_rule(my_rule, laws=["order", "contains"])

The laws (``LAWS``), for a group of reports and the rule's merged count:

- ``order``: permuting the reports changes nothing;
- ``idempotent``: repeating a report changes nothing;
- ``contains``: the merged range contains every report's best;
- ``within``: the merged range lies inside the envelope (lowest low, highest high);
- ``associative``: merging the merged results of two parts equals merging all;
- ``monotone``: raising a report's counts never lowers the merged best.

"Changes nothing" and "equals" compare ``low``, ``best`` and ``high`` (within ``tolerance``
people; infinities must match); the wording (``qualifier``, ``provisional``) is not compared.
A :class:`~casualties.errors.MergeConflict` is an outcome like a count: two conflicts are equal,
a conflict and a count are not, and ``contains``, ``within`` and ``monotone`` say nothing about
a group the rule does not merge.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import Any, Callable, Iterable, Sequence

import pandas as pd

try:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - the test extra is missing
    from casualties.errors import OptionalDependencyError

    raise OptionalDependencyError("hypothesis", "test") from exc

from casualties.errors import MergeConflict, MergeRuleError, OptionError
from casualties.merging import MERGED_SOURCE, MergeRule, _rule_of, top_certainty
from casualties.strategies import DEFAULT_SOURCES, counts
from casualties.vocab import Count

__all__ = ["LAWS", "Violation", "check_merge_rule", "report_groups"]

#: The laws :func:`check_merge_rule` knows, each with what it says.
LAWS: dict[str, str] = {
    "order": "permuting the reports changes nothing",
    "idempotent": "repeating a report changes nothing",
    "contains": "the merged range contains every report's best",
    "within": "the merged range lies inside the envelope of the reports",
    "associative": "merging the merged results of two parts equals merging all",
    "monotone": "raising a report's counts never lowers the merged best",
}
_GRADES = (None, "discounted", "contested", "weak", "fair", "confirmed")
_SCALES = (10, 100, 100_000)  # largest count of a group [people]: small ones make reports overlap


@dataclasses.dataclass(frozen=True)
class Violation:
    """One broken law, with its shrunk counterexample.

    Attributes
    ----------
    law : str
        A key of :data:`LAWS`.
    detail : str
        What went wrong, in one sentence, with the counts [people].
    group : pandas.DataFrame
        The group of claims that breaks the law (shrunk by Hypothesis).
    """

    law: str
    detail: str
    group: pd.DataFrame

    def __str__(self) -> str:
        shown = self.group[["claim_id", "source", "certainty", "low", "best", "high"]]
        table = shown.to_string(index=False).replace("\n", "\n    ")
        return f"law {self.law!r} ({LAWS[self.law]}) fails: {self.detail}\n  counterexample:\n    {table}"


# --------------------------------------------------------------------------------- groups
@functools.cache
def _template() -> pd.DataFrame:
    """Normalised claims to draw reports from: each default source, in two scopes of one event."""
    from casualties.schema import claims_from_records

    scopes = (
        {"start": "2017-06-01", "end": "2017-06-01", "place": "raqqa", "perpetrator": "coalition"},
        {"start": "2017-06-01", "end": "2017-06-02", "place": "al-mashlab", "perpetrator": "coalition|russia"},
    )
    records = [
        {"claim_id": f"t{i}", "source": source, **scope, "category": "civilian", "outcome": "killed",
         "kind": "incident", "incident_id": "i1", "low": 0.0, "best": 0.0, "high": 0.0}
        for i, (source, scope) in enumerate((s, sc) for s in DEFAULT_SOURCES for sc in scopes)
    ]
    frame = claims_from_records(records)
    assert isinstance(frame, pd.DataFrame)
    return frame


def _with_counts(template: pd.DataFrame, reports: Sequence[tuple[int, Count, str | None]]) -> pd.DataFrame:
    """A claims frame of the template rows chosen, with the counts and grades given."""
    group = template.iloc[[i for i, _, _ in reports]].copy()
    group["claim_id"] = [f"r{k + 1}" for k in range(len(reports))]
    for name in ("low", "best", "high"):
        group[name] = [float(getattr(count, name)) for _, count, _ in reports]
    group["qualifier"] = [count.qualifier for _, count, _ in reports]
    group["provisional"] = [count.provisional for _, count, _ in reports]
    group["certainty"] = pd.Categorical([grade for _, _, grade in reports], dtype=template["certainty"].dtype)
    group.index = pd.RangeIndex(len(group), name="row")
    return group


@st.composite
def report_groups(draw: st.DrawFn, min_size: int = 1, max_size: int = 6) -> Any:
    """Draw a group of reports of one incident: a claims frame to merge.

    Reports come from :data:`casualties.strategies.DEFAULT_SOURCES` (a source may report
    twice), in two slightly different scopes of one event (one or two days; Raqqa or a
    neighbourhood of it; the coalition, or the coalition or Russia), with counts from
    :func:`casualties.strategies.counts` (all below 10, 100 or 100,000, so that reports often
    overlap) and every certainty grade or none.

    Parameters
    ----------
    min_size, max_size : int
        Number of reports.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of pandas.DataFrame
        Claims frames with ids ``r1, r2, ...``, sharing ``incident_id``, category, outcome and
        kind.
    """
    template = _template()
    scale = draw(st.sampled_from(_SCALES))
    report = st.tuples(st.integers(0, len(template) - 1), counts(max_value=scale), st.sampled_from(_GRADES))
    return _with_counts(template, draw(st.lists(report, min_size=min_size, max_size=max_size)))


# ---------------------------------------------------------------------------------- cases
@dataclasses.dataclass(frozen=True)
class _Case:
    """A group and what a law does to it (a permutation, a report to repeat, a split...)."""

    group: pd.DataFrame
    change: Any = None

    def __repr__(self) -> str:
        table = self.group[["claim_id", "certainty", "low", "best", "high"]].to_string(index=False)
        return f"_Case(change={self.change!r}, group=\n{table})"


def _cases(law: str, groups: st.SearchStrategy) -> st.SearchStrategy:
    @st.composite
    def draw_case(draw: st.DrawFn) -> _Case:
        group = draw(groups)
        n = len(group)
        if law == "order":
            return _Case(group, draw(st.permutations(range(n))))
        if law == "idempotent":
            return _Case(group, draw(st.integers(0, n - 1)))
        if law == "associative":
            if n < 2:
                return _Case(group, None)
            order = draw(st.permutations(range(n)))
            k = draw(st.integers(1, n - 1))
            return _Case(group, (tuple(sorted(order[:k])), tuple(sorted(order[k:]))))
        if law == "monotone":
            i = draw(st.integers(0, n - 1))
            raises = draw(st.tuples(st.integers(0, 1000), st.integers(0, 1000),
                                    st.one_of(st.integers(0, 1000), st.just(math.inf))))
            return _Case(group, (i, raises))
        return _Case(group)

    return draw_case()


# ---------------------------------------------------------------------------------- laws
class _Conflict:
    """The outcome of a rule that raised MergeConflict."""

    def __init__(self, error: MergeConflict) -> None:
        self.error = error

    def __repr__(self) -> str:
        return "a conflict (no merged count)"


def _outcome(rule: MergeRule, group: pd.DataFrame) -> Count | _Conflict:
    try:
        result = rule(group)
    except MergeConflict as exc:
        return _Conflict(exc)
    if not isinstance(result, Count):
        raise TypeError(f"a merge rule must return a Count, not {type(result).__name__}")
    return result


def _close(a: float, b: float, tolerance: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tolerance


def _same(a: Count | _Conflict, b: Count | _Conflict, tolerance: float) -> bool:
    if isinstance(a, _Conflict) or isinstance(b, _Conflict):
        return isinstance(a, _Conflict) and isinstance(b, _Conflict)
    return all(_close(getattr(a, f), getattr(b, f), tolerance) for f in ("low", "best", "high"))


def _ids(group: pd.DataFrame, positions: Iterable[int]) -> str:
    return "{" + ", ".join(str(group["claim_id"].iloc[i]) for i in positions) + "}"


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:g}"


def _as_claim(part: pd.DataFrame, count: Count, claim_id: str) -> pd.DataFrame:
    """A merged part as one claim: the part's first claim with the merged counts, the grade of
    its most certain claim, and its source (``merged`` when several)."""
    row = part.iloc[[0]].copy()
    row["claim_id"] = claim_id
    for name in ("low", "best", "high"):
        row[name] = float(getattr(count, name))
    row["qualifier"] = count.qualifier
    row["provisional"] = count.provisional
    row["certainty"] = pd.Categorical([top_certainty(part)], dtype=part["certainty"].dtype)
    if part["source"].nunique() > 1:
        row["source"] = MERGED_SOURCE
    return row


def _order(rule: MergeRule, case: _Case, tolerance: float) -> str | None:
    before = _outcome(rule, case.group)
    after = _outcome(rule, case.group.iloc[list(case.change)])
    if _same(before, after, tolerance):
        return None
    return (f"reordering the reports as {_ids(case.group, case.change)} changes the merged count "
            f"from {before!r} to {after!r}")


def _idempotent(rule: MergeRule, case: _Case, tolerance: float) -> str | None:
    group, i = case.group, case.change
    copy = group.iloc[[i]].copy()
    copy["claim_id"] = f"{group['claim_id'].iloc[i]}-again"
    before = _outcome(rule, group)
    after = _outcome(rule, pd.concat([group, copy]))
    if _same(before, after, tolerance):
        return None
    return f"repeating report {group['claim_id'].iloc[i]} changes the merged count from {before!r} to {after!r}"


def _contains(rule: MergeRule, case: _Case, tolerance: float) -> str | None:
    merged = _outcome(rule, case.group)
    if isinstance(merged, _Conflict):
        return None
    outside = (case.group["best"] < merged.low - tolerance) | (case.group["best"] > merged.high + tolerance)
    if not outside.any():
        return None
    report = case.group[outside].iloc[0]
    return (f"the merged range [{_fmt(merged.low)}, {_fmt(merged.high)}] of {merged!r} leaves out the best "
            f"{_fmt(report['best'])} of report {report['claim_id']}")


def _within(rule: MergeRule, case: _Case, tolerance: float) -> str | None:
    merged = _outcome(rule, case.group)
    if isinstance(merged, _Conflict):
        return None
    low, high = float(case.group["low"].min()), float(case.group["high"].max())
    if merged.low >= low - tolerance and (merged.high <= high + tolerance or merged.high == high):
        return None
    return (f"the merged range [{_fmt(merged.low)}, {_fmt(merged.high)}] of {merged!r} is not inside the "
            f"envelope [{_fmt(low)}, {_fmt(high)}] of the reports")


def _associative(rule: MergeRule, case: _Case, tolerance: float) -> str | None:
    if case.change is None:
        return None
    group = case.group
    first, second = (group.iloc[list(part)] for part in case.change)
    whole = _outcome(rule, group)
    parts = [_outcome(rule, first), _outcome(rule, second)]
    if any(isinstance(p, _Conflict) for p in parts):
        together: Count | _Conflict = next(p for p in parts if isinstance(p, _Conflict))
    else:
        claims = pd.concat([_as_claim(first, parts[0], "part1"), _as_claim(second, parts[1], "part2")])  # type: ignore[arg-type]
        together = _outcome(rule, claims)
    if _same(whole, together, tolerance):
        return None
    return (f"merging {_ids(group, case.change[0])} and {_ids(group, case.change[1])} apart ({parts[0]!r}, "
            f"{parts[1]!r}) then together gives {together!r}, but merging all at once gives {whole!r}")


def _monotone(rule: MergeRule, case: _Case, tolerance: float) -> str | None:
    group = case.group
    i, (more_low, more_best, more_high) = case.change
    old = group.iloc[i]
    low = float(old["low"]) + more_low
    best = max(float(old["best"]) + more_best, low)
    high = max(float(old["high"]) + more_high, best)
    raised = group.copy()
    column = raised.columns.get_loc
    raised.iloc[i, column("low")], raised.iloc[i, column("best")], raised.iloc[i, column("high")] = low, best, high
    raised.iloc[i, column("qualifier")] = "exact" if low == best == high else "at-least" if math.isinf(high) else "between"
    raised.iloc[i, column("provisional")] = bool(old["provisional"]) and math.isinf(high)
    before, after = _outcome(rule, group), _outcome(rule, raised)
    if isinstance(before, _Conflict) or isinstance(after, _Conflict) or after.best >= before.best - tolerance:
        return None
    return (f"raising report {old['claim_id']} from [{_fmt(old['low'])}, {_fmt(old['high'])}] best "
            f"{_fmt(old['best'])} to [{_fmt(low)}, {_fmt(high)}] best {_fmt(best)} lowers the merged best "
            f"from {_fmt(before.best)} to {_fmt(after.best)}")


_CHECKS: dict[str, Callable[[MergeRule, _Case, float], str | None]] = {
    "order": _order,
    "idempotent": _idempotent,
    "contains": _contains,
    "within": _within,
    "associative": _associative,
    "monotone": _monotone,
}


def _laws(laws: str | Iterable[str]) -> list[str]:
    names = list(LAWS) if laws == "all" else [laws] if isinstance(laws, str) else list(laws)
    unknown = [name for name in names if name not in LAWS]
    if unknown or not names:
        raise OptionError("laws", unknown or names, ("all", *LAWS), "laws are 'all' or some of these names")
    return list(dict.fromkeys(names))


def _check_law(law: str, rule: MergeRule, name: str, groups: st.SearchStrategy, max_examples: int,
               tolerance: float, seed: int | None) -> Violation | None:
    check = _CHECKS[law]

    @settings(max_examples=max_examples, deadline=None, database=None, report_multiple_bugs=False,
              suppress_health_check=list(HealthCheck), print_blob=False,
              phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink])
    @given(_cases(law, groups))
    def law_holds(case: _Case) -> None:
        if len(case.group) == 0:
            return
        detail = check(rule, case, tolerance)
        if detail is not None:
            raise MergeRuleError(name, [Violation(law, detail, case.group)])

    if seed is not None:
        law_holds = hypothesis_seed(seed)(law_holds)
    try:
        law_holds()
    except MergeRuleError as exc:
        return exc.violations[0]
    return None


def check_merge_rule(
    rule: str | MergeRule,
    laws: str | Iterable[str] = "all",
    *,
    max_examples: int = 100,
    tolerance: float = 0.0,
    groups: st.SearchStrategy | None = None,
    max_size: int = 6,
    seed: int | None = None,
) -> None:
    """Check that a merge rule satisfies laws, on groups of claims Hypothesis generates.

    Call it from a test: it returns nothing when every law holds and raises
    :class:`~casualties.errors.MergeRuleError` (an ``AssertionError``) naming each broken law with a shrunk
    counterexample otherwise.

    Parameters
    ----------
    rule : str or callable
        A built-in rule's name (``casualties.merging.MERGE_RULES``) or a callable taking one group
        of claims (a claims frame) and returning a :class:`~casualties.vocab.Count`; it may raise
        :class:`~casualties.errors.MergeConflict`.
    laws : "all", str or iterable of str
        Laws of :data:`LAWS` to check: ``order``, ``idempotent``, ``contains``, ``within``,
        ``associative``, ``monotone``.
    max_examples : int, default 100
        Groups tried per law.
    tolerance : float, default 0
        How far counts may differ and still be equal [people] (for rules that round).
    groups : hypothesis strategy of pandas.DataFrame, optional
        The groups to try (claims frames of at least one row); by default
        :func:`report_groups` (reports of one incident).
    max_size : int, default 6
        Largest default group [reports].
    seed : int, optional
        Seed of the random generation, to make a run repeatable (by default Hypothesis draws
        afresh each run and keeps no example database).

    Raises
    ------
    MergeRuleError
        When a law fails; ``.violations`` holds, per broken law, its detail and the shrunk
        group. Every law asked for is checked before raising.
    ValueError
        For an unknown law.

    Notes
    -----
    Call it from a plain test function, not from inside a ``@given`` test: Hypothesis refuses
    nested ``@given`` (its ``nested_given`` health check) unless the outer test suppresses it.
    Each law runs its own Hypothesis search (no example database is written).

    Examples
    --------
    >>> check_merge_rule("conservative", laws=["order", "within"], max_examples=10)
    """
    function, name = _rule_of(rule)
    names = _laws(laws)
    violations = []
    for law in names:
        strategy = groups if groups is not None else report_groups(
            min_size=2 if law in ("order", "associative") else 1, max_size=max(max_size, 2))
        found = _check_law(law, function, name, strategy, max_examples, tolerance, seed)
        if found is not None:
            violations.append(found)
    if violations:
        raise MergeRuleError(name, violations)
