"""The exception and warning hierarchy of ``casualties``, and nothing else.

Every public error inherits :class:`CasualtiesError` and the builtin it resembles, so that
``except ValueError`` in a user's script keeps working. Errors keep the data that explains them
as attributes (the failing cells, the text that did not parse, the name that did not resolve).
"""

from __future__ import annotations

import enum
import math
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CasualtiesError",
    "OptionError",
    "OptionTypeError",
    "RecordsError",
    "VocabularyError",
    "ClaimsFrameError",
    "ConflictError",
    "ClaimError",
    "ParseError",
    "UnknownNameError",
    "OptionalDependencyError",
    "ClaimFileError",
    "SingleMachineError",
    "MergeConflict",
    "MergeRuleError",
    "CasualtiesWarning",
    "UnknownNameWarning",
    "ScopeError",
    "ScopeTypeError",
    "ConjunctionError",
    "AmbiguousNameWarning",
    "Reason",
    "FAILURE_COLUMNS",
]

#: The columns of a merge's conflict table (:class:`MergeConflict`), in order.
CONFLICT_COLUMNS = ("merged_ids", "sources", "n_merged", "rule", "low", "high", "gap", "detail")

#: The columns of every failure table, in order.
FAILURE_COLUMNS = ("row", "column", "value", "reason", "detail")


class Reason(str, enum.Enum):
    """Reason codes of the failure tables (the ``reason`` column)."""

    MISSING = "missing"  #: a required value is absent
    NOT_A_NUMBER = "not_a_number"  #: a count that is not a number
    NOT_A_COUNT = "not_a_count"  #: words that do not parse as a count
    NOT_A_DATE = "not_a_date"  #: a date that does not parse
    NOT_A_PERIOD = "not_a_period"  #: words that do not parse as a period
    UNKNOWN_PLACE = "unknown_place"  #: a place that resolves to no id
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_PERPETRATOR = "unknown_perpetrator"
    UNKNOWN_VALUE = "unknown_value"  #: a value outside a closed vocabulary
    NEGATIVE = "negative"  #: low < 0
    NOT_WHOLE = "not_whole"  #: a count that is not a whole number of people
    LOW_ABOVE_BEST = "low_above_best"
    BEST_ABOVE_HIGH = "best_above_high"
    INFINITE = "infinite"  #: low or best infinite
    START_AFTER_END = "start_after_end"
    DUPLICATE_ID = "duplicate_id"
    CONFLICTING_INPUT = "conflicting_input"  #: e.g. both count and low/best/high given, disagreeing
    WRONG_TYPE = "wrong_type"  #: a column of the wrong dtype
    MISSING_COLUMN = "missing_column"
    OUT_OF_RANGE = "out_of_range"  #: a latitude outside -90..90 or a longitude outside -180..180
    NULL_ISLAND = "null_island"  #: coordinates (0, 0), the usual placeholder for unknown ones

    def __str__(self) -> str:
        return self.value


#: How many rows of its table an error's message shows.
_SHOWN = 20


def _listing(head: str, lines: list[str], n: int, attribute: str) -> str:
    """An error message: a head line, the first rows indented, and how many more are in the
    error's table ``attribute``."""
    more = [f"  ... and {n - _SHOWN} more (see .{attribute})"] if n > _SHOWN else []
    return "\n".join([head + ":", *(f"  {line}" for line in lines), *more])


class CasualtiesError(Exception):
    """Base class of every error raised by ``casualties``."""


class ParseError(CasualtiesError, ValueError):
    """Words that do not parse as a count, a period or a distance.

    Attributes
    ----------
    text : str
        The text that did not parse, as given.
    reason : str
        Why, in one sentence.
    """

    def __init__(self, text: Any, reason: str = "not understood") -> None:
        self.text = text
        self.reason = reason
        super().__init__(text, reason)

    def __str__(self) -> str:
        return f"cannot parse {self.text!r}: {self.reason}"


class UnknownNameError(CasualtiesError, LookupError):
    """A name that resolves to no id of a vocabulary (place, category, perpetrator...).

    Attributes
    ----------
    name : str
        The name as given.
    vocabulary : str
        Which vocabulary was asked ("place", "category", "perpetrator", ...).
    suggestions : tuple of str
        Close names that do exist, best first (may be empty).
    """

    def __init__(self, name: Any, vocabulary: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.vocabulary = vocabulary
        self.suggestions = tuple(suggestions)
        super().__init__(name, vocabulary)

    def __str__(self) -> str:
        hint = f" (did you mean {', '.join(map(repr, self.suggestions))}?)" if self.suggestions else ""
        return f"unknown {self.vocabulary} {self.name!r}{hint}"


class ClaimError(CasualtiesError, ValueError):
    """Claims that fail validation; every failing cell is listed at once.

    Attributes
    ----------
    failures : pandas.DataFrame
        One row per failing cell, with columns ``row`` (the 0-based position of the record in the
        input), ``column``, ``value`` (as given), ``reason`` (a :class:`Reason` code) and
        ``detail`` (one sentence).
    """

    def __init__(self, failures: "pd.DataFrame", message: str | None = None) -> None:
        self.failures = failures
        self.message = message
        super().__init__(message or "")

    def __str__(self) -> str:
        n = len(self.failures)
        head = self.message or f"{n} invalid cell{'s' if n != 1 else ''}"
        lines = [f"row {rec.row}, column {rec.column!s}: {rec.value!r} ({rec.reason}) {rec.detail}" for rec in self.failures.head(_SHOWN).itertuples(index=False)]
        return _listing(head, lines, n, "failures")


class ClaimFileError(CasualtiesError, OSError):
    """A claim file that cannot be read or written (missing, unreadable, unknown format).

    Attributes
    ----------
    path : str
        The file.
    reason : str
        Why, in one sentence.
    """

    def __init__(self, path: Any, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(self.path, reason)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class OptionalDependencyError(CasualtiesError, ImportError):
    """An optional extra is needed for this feature.

    Attributes
    ----------
    package : str
        The missing package.
    extra : str
        The ``casualties`` extra that installs it.
    """

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{package} is required for this; install it with: python -m pip install \"casualties[{extra}]\""
        )


class SingleMachineError(CasualtiesError, NotImplementedError):
    """A computation that stays on one machine was asked of a Dask DataFrame.

    Only the closed-form path of :func:`~casualties.period_totals` (per-source bounds of
    incidents that are each reported by one claim, with no totals) runs partition by partition;
    the linear programmes need every claim at once (see ``docs/performance.md``).

    Attributes
    ----------
    reason : str
        What about the claims or the question needs the single-machine path, in one sentence.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)

    def __str__(self) -> str:
        return (
            f"period_totals over a Dask DataFrame runs the closed form for lone incidents only: {self.reason}; "
            "call .compute() and pass the pandas frame to run the linear programmes on one machine"
        )


class MergeConflict(CasualtiesError, ValueError):
    """Groups of reports that a rule cannot merge into one count.

    Raised by a rule on one group (``intersection`` when no count is allowed by every report; a
    user's rule may raise it too, with :meth:`in_group`) and by :func:`~casualties.merging.merge` with
    ``conflicts="raise"``, listing every group that could not be merged.

    Attributes
    ----------
    conflicts : pandas.DataFrame
        One row per group: the group's key columns (from :func:`~casualties.merging.merge`), then
        :data:`~casualties.merging.CONFLICT_COLUMNS`: ``merged_ids``, ``sources``, ``n_merged``, ``rule``, ``low``
        (the highest low [people]), ``high`` (the lowest high [people]), ``gap`` (``low -
        high`` [people]; missing when the rule gave no bounds) and ``detail`` (one sentence).
    """

    def __init__(self, conflicts: pd.DataFrame, message: str | None = None) -> None:
        self.conflicts = conflicts
        self.message = message
        super().__init__(message or "")

    @classmethod
    def in_group(cls, group: pd.DataFrame, *, low: float = math.nan, high: float = math.nan,
                 detail: str = "the reports cannot be merged") -> MergeConflict:
        """Build the error for one group that cannot be merged.

        Parameters
        ----------
        group : pandas.DataFrame
            The claims of the group.
        low, high : float, optional
            The bounds that clash: the highest low and the lowest high [people].
        detail : str
            Why, in one sentence.

        Returns
        -------
        MergeConflict
            With a one-row :attr:`conflicts` table (``rule`` empty: :func:`merge` fills it).
        """
        import pandas as pd

        row = provenance(group) | {"rule": "", "low": float(low), "high": float(high),
                                    "gap": float(low) - float(high), "detail": detail}
        return cls(pd.DataFrame([row], columns=list(CONFLICT_COLUMNS)))

    def __str__(self) -> str:
        n = len(self.conflicts)
        head = self.message or f"{n} group{'s' if n != 1 else ''} cannot be merged"
        lines = [f"{rec.merged_ids} ({rec.sources}): {rec.detail}" for rec in self.conflicts.head(_SHOWN).itertuples(index=False)]
        return _listing(head, lines, n, "conflicts")


class MergeRuleError(CasualtiesError, AssertionError):
    """A merge rule breaks laws; each broken law comes with a shrunk counterexample.

    An ``AssertionError``, so that a test calling :func:`~casualties.testing.check_merge_rule`
    fails as a test.

    Attributes
    ----------
    rule : str
        The rule's name.
    violations : tuple of casualties.testing.Violation
        One per broken law, in the order the laws were checked.
    """

    def __init__(self, rule: str, violations: Sequence[Any]) -> None:
        self.rule = rule
        self.violations = tuple(violations)
        super().__init__(rule, self.violations)

    @property
    def laws(self) -> tuple[str, ...]:
        """The names of the broken laws."""
        return tuple(v.law for v in self.violations)

    def __str__(self) -> str:
        n = len(self.violations)
        head = f"merge rule {self.rule!r} breaks {n} law{'s' if n != 1 else ''} ({', '.join(self.laws)})"
        return "\n".join([head + ":", *(str(v) for v in self.violations)])


class CasualtiesWarning(UserWarning):
    """Base class of every warning issued by ``casualties``."""


class UnknownNameWarning(CasualtiesWarning):
    """A name outside a vocabulary that was kept as given (an unknown source, say).

    Attributes
    ----------
    names : tuple of str
        The names that were kept as given.
    vocabulary : str
        Which vocabulary they are not in.
    """

    def __init__(self, names: tuple[str, ...], vocabulary: str) -> None:
        self.names = tuple(names)
        self.vocabulary = vocabulary
        super().__init__(f"unknown {vocabulary} kept as given: {', '.join(map(repr, self.names))}")


class ScopeError(CasualtiesError, ValueError):
    """An argument of a question (:class:`~casualties.Scope`) outside its allowed values.

    Attributes
    ----------
    argument : str
        The argument's name ("start", "outcome", "place"...).
    value : object
        The value as given.
    reason : str
        What is wrong with it, in one sentence.
    allowed : str
        The values allowed, in words (may be empty).
    """

    def __init__(self, argument: str, value: Any, reason: str, allowed: str = "") -> None:
        self.argument = argument
        self.value = value
        self.reason = reason
        self.allowed = allowed
        super().__init__(argument, value, reason)

    def __str__(self) -> str:
        hint = f" (allowed: {self.allowed})" if self.allowed else ""
        return f"{self.argument}={self.value!r}: {self.reason}{hint}"


class ScopeTypeError(ScopeError, TypeError):
    """An argument of a question of the wrong type (``Scope(place=5)``); see :class:`ScopeError`."""


class ConjunctionError(UnknownNameError, ValueError):
    """Names joined by "and" where one option is asked for (``perpetrator="ISIS and coalition"``).

    "A and B" could mean either of them (write ``"A|B"``: the claim or the question covers
    both, and the engine does not split the toll between them) or both together (two claims,
    one per perpetrator, each with its own figure). The library will not guess.

    Attributes
    ----------
    name : str
        The text as given.
    vocabulary : str
        Which vocabulary was asked ("perpetrator").
    parts : tuple of str
        The ids of the names it joins.
    """

    def __init__(self, name: Any, vocabulary: str, parts: tuple[str, ...]) -> None:
        super().__init__(name, vocabulary)
        self.parts = tuple(parts)

    def __str__(self) -> str:
        either = "|".join(self.parts)
        return (f"{self.vocabulary} {self.name!r} joins names with 'and': write {either!r} for either of "
                f"them, or one claim per {self.vocabulary} for each of them")


class AmbiguousNameWarning(CasualtiesWarning):
    """A name that two places (or other ids) answer to, read one way by a documented rule.

    "Idlib" is a city and a governorate: a bare name is the city (``docs/places.md``); the
    warning names both readings and the spellings that ask for each without a warning.

    Attributes
    ----------
    name : str
        The name as given.
    chosen : str
        The id it was read as.
    other : str
        The id of the other reading.
    chosen_label, other_label : str
        The two readings in words ("Idlib city", "Idlib governorate"): spellings that resolve
        to each without a warning.
    """

    def __init__(self, name: str, chosen: str, other: str, chosen_label: str, other_label: str) -> None:
        self.name = name
        self.chosen = chosen
        self.other = other
        self.chosen_label = chosen_label
        self.other_label = other_label
        super().__init__(
            f"{name!r} is both {chosen_label} ({chosen}) and {other_label} ({other}); read as {chosen_label}. "
            f"Write {other_label!r} for the other, or {chosen_label!r} to say so")


class ConflictError(CasualtiesError, ValueError):
    """The claims cannot all hold, and the caller asked not to relax them
    (``on_conflict="raise"``).

    Attributes
    ----------
    conflict : casualties.Conflict
        The least change that would reconcile them: its ``gap`` [people] and ``adjustments``.
    """

    def __init__(self, conflict: Any) -> None:
        self.conflict = conflict
        super().__init__(f"the claims contradict each other: the least change that reconciles them is {conflict.gap:,g} people "
                         f"({len(conflict.adjustments)} claim(s) give way)")


class OptionError(CasualtiesError, ValueError):
    """An argument or option whose value is not one of those allowed.

    Attributes
    ----------
    name : str
        The argument or option (``"errors"``, ``"--from"``...).
    value : object
        The value given.
    allowed : tuple of str
        The values allowed, or a description of them in one item (may be empty).
    reason : str
        Why the value was refused, in one sentence (may be empty).
    """

    def __init__(self, name: str, value: Any, allowed: Sequence[str] = (), reason: str = "") -> None:
        self.name = name
        self.value = value
        self.allowed = tuple(allowed)
        self.reason = reason
        super().__init__(name, value)

    def __str__(self) -> str:
        why = f": {self.reason}" if self.reason else ""
        choices = f" (allowed: {', '.join(map(repr, self.allowed))})" if self.allowed else ""
        return f"{self.name} cannot be {self.value!r}{why}{choices}"


class VocabularyError(CasualtiesError, ValueError):
    """A vocabulary table (places, categories, perpetrators: ``id, name, parent`` rows) that is no
    tree: a row without an id, an id defined twice, an unknown parent, no single root, a cycle, a
    name claimed by several ids, or missing columns.

    Attributes
    ----------
    vocabulary : str
        Which table (``"place"``, ``"category"``, ``"perpetrator"``...).
    problem : str
        What is wrong, in one sentence that names the rows.
    ids : tuple of str
        The ids at fault (may be empty).
    """

    def __init__(self, vocabulary: str, problem: str, ids: Sequence[str] = ()) -> None:
        self.vocabulary = vocabulary
        self.problem = problem
        self.ids = tuple(ids)
        super().__init__(vocabulary, problem)

    def __str__(self) -> str:
        return self.problem


class OptionTypeError(OptionError, TypeError):
    """An argument of the wrong kind altogether (a number where a name or a callable is needed)."""


class ClaimsFrameError(CasualtiesError, ValueError):
    """A frame given where a claims frame is needed that lacks columns the function reads (or is
    no DataFrame at all).

    Attributes
    ----------
    function : str
        The function that needed the claims (``"ranges"``, ``"link_incidents"``...).
    missing : tuple of str
        The columns it reads that the frame lacks (empty when it is no DataFrame).
    given : str
        The type given, when it is no DataFrame (else empty).
    """

    def __init__(self, function: str, missing: Sequence[str] = (), given: str = "") -> None:
        self.function = function
        self.missing = tuple(missing)
        self.given = given
        super().__init__(function, self.missing)

    def __str__(self) -> str:
        if self.given:
            return f"{self.function} needs a claims frame (a pandas DataFrame), not {self.given}"
        return (f"{self.function} needs a claims frame; this one lacks the column(s) {', '.join(self.missing)} "
                "(read files with read_claims, or records with claims_from_records, to get every column)")


def require_columns(frame: Any, columns: Sequence[str], function: str) -> None:
    """Raise :class:`ClaimsFrameError` unless ``frame`` is a DataFrame holding ``columns``."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise ClaimsFrameError(function, given=type(frame).__name__)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ClaimsFrameError(function, missing)


class RecordsError(CasualtiesError, TypeError):
    """Input whose shape is not records at all: not a list of mappings nor a flat DataFrame.

    A single record that is not a mapping (``None``, a string) is not this error: it is a row of
    the failure table (reason ``wrong_type``), so that every other row is still read.

    Attributes
    ----------
    value_type : str
        The type of what was given.
    reason : str
        What was expected instead, in one sentence.
    """

    def __init__(self, value_type: str, reason: str) -> None:
        self.value_type = value_type
        self.reason = reason
        super().__init__(value_type, reason)

    def __str__(self) -> str:
        return f"cannot read claims from {self.value_type}: {self.reason}"


def provenance(group: pd.DataFrame) -> dict[str, Any]:
    """Which claims a merged row (or a conflict) comes from: ``merged_ids``, ``sources``,
    ``n_merged``."""
    ids = group["claim_id"].astype(str)
    return {"merged_ids": "|".join(ids), "sources": "|".join(sorted(set(group["source"].astype(str)))),
            "n_merged": len(group)}
