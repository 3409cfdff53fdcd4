"""Categories of people, perpetrators and sources: vocabularies kept as data files.

- ``data/categories.csv``: who was counted, a tree (``all`` > ``civilian`` > ``children``,
  ``women``; ``all`` > ``combatant``). ``women`` means adult women, so that ``children`` and
  ``women`` are disjoint.
- ``data/perpetrators.csv``: who killed them, a tree of depth one under ``all``.
- ``data/sources.csv``: who said so, a flat table of canonical names with a type
  (:data:`SOURCE_TYPES`) and aliases ("the Britain-based Observatory" is SOHR).
- outcomes: what happened to them, ``killed`` or ``injured``, with the words recorders use
  (:data:`OUTCOME_WORDS`: "dead", "fatalities", "wounded", "hurt"...).

A perpetrator option is one perpetrator or several joined by ``|`` ("either of them");
"ISIS and coalition" is refused (:class:`~casualties.errors.ConjunctionError`), since it could
also mean both of them, which is two claims.

Names are compared after :func:`casualties.hierarchy.normalize_name`. See ``docs/places.md``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np
import pandas as pd

from casualties._resources import data_path
from casualties.errors import ConjunctionError, UnknownNameError
from casualties.hierarchy import Hierarchy, normalize_name

__all__ = [
    "SOURCE_TYPES",
    "OUTCOMES",
    "OUTCOME_WORDS",
    "resolve_outcome",
    "resolve_outcomes",
    "PerpetratorTree",
    "categories",
    "perpetrators",
    "sources",
    "resolve_source",
    "resolve_sources",
]

#: The types of source, in the order of the claims frame's ``source_type`` categories.
SOURCE_TYPES = ("monitor", "belligerent", "ngo", "media", "un", "government", "other")

#: What happened to the people counted.
OUTCOMES = ("killed", "injured")
#: The words for each outcome (compared after :func:`~casualties.hierarchy.normalize_name`).
OUTCOME_WORDS: dict[str, tuple[str, ...]] = {
    "killed": ("killed", "kill", "dead", "died", "die", "deaths", "death", "fatalities", "fatality",
               "fatal", "lives lost", "murdered"),
    "injured": ("injured", "injuries", "injury", "wounded", "wounds", "hurt", "injured people"),
}
_OUTCOME_KEYS = {normalize_name(w): outcome for outcome, words in OUTCOME_WORDS.items() for w in words}
#: Words that join names as "both of them" in a perpetrator option (", and" included).
_CONJUNCTION = re.compile(r"\s*[,;]?\s+(?:and|&)\s+|\s*&\s*", re.IGNORECASE)
_HARD_SEPARATORS = re.compile(r"\s*[|;/]\s*|\s*,(?!\s*(?:and|&)\s)\s*", re.IGNORECASE)

_PARENTHESIS = re.compile(r"^(?P<outer>.+?)\s*\((?P<inner>[^()]+)\)$")


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(data_path(name), dtype=str, keep_default_na=False)


@functools.cache
def categories() -> Hierarchy:
    """Return the tree of categories of people (cached).

    Returns
    -------
    Hierarchy
        Vocabulary "category": ``all`` (everyone) > ``civilian`` > ``children``, ``women``
        (adult women); ``all`` > ``combatant``.
    """
    return Hierarchy.from_frame(_read("categories.csv"), "category")


def resolve_outcome(name: Any) -> str:
    """Return ``"killed"`` or ``"injured"`` for an outcome word ("dead", "wounded", "Fatalities").

    Raises
    ------
    UnknownNameError
        For any other word, with close words as suggestions ("casualties" is refused: it means
        the killed and the injured together, or either, depending on the writer).
    """
    found = _OUTCOME_KEYS.get(normalize_name(name)) if isinstance(name, str) else None
    if found is None:
        import difflib

        close = difflib.get_close_matches(normalize_name(name), list(_OUTCOME_KEYS), n=3, cutoff=0.6)
        raise UnknownNameError(name, "outcome", tuple(close) or OUTCOMES)
    return found


def resolve_outcomes(values: pd.Series) -> pd.Series:
    """:func:`resolve_outcome` on a column, each distinct value once; unknown words are kept as given.

    Returns
    -------
    pandas.Series
        ``killed`` / ``injured`` where the word is known; the value as given elsewhere
        (missing stays missing), so that a validator can still name the bad value.
    """
    def one(value: Any) -> Any:
        return _OUTCOME_KEYS.get(normalize_name(value), value) if isinstance(value, str) else value

    codes, uniques = pd.factorize(values, use_na_sentinel=True)  # (Arrow text stays Arrow: no object copy)
    mapped = np.array([one(u) for u in np.asarray(uniques, dtype=object)] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


class PerpetratorTree(Hierarchy):
    """The perpetrator tree: a :class:`~casualties.hierarchy.Hierarchy` that refuses "A and B".

    "ISIS and coalition" could mean either of them killed the people counted (write
    ``"isis|coalition"`` or "ISIS or coalition": the option covers both, and the engine does not
    split the toll between them) or both did (two claims, one per perpetrator, each with its own
    figure). A name that holds "and" ("Islamic State of Iraq and Syria") still resolves whole.
    """

    __slots__ = ()

    def resolve_many(self, text: str) -> tuple[str, ...]:
        """Like :meth:`~casualties.hierarchy.Hierarchy.resolve_many`, refusing "and" between names.

        Raises
        ------
        ConjunctionError
            When names are joined by "and" or "&" (an :class:`UnknownNameError` and a
            ``ValueError``, so that the claims frame lists it as a failing cell).
        UnknownNameError
            For the first part that names nothing.
        """
        text = str(text)
        if self.get(text) is None and _CONJUNCTION.search(text):
            # the parts between hard separators ("|", ";", "/", a comma not before "and")
            for part in _HARD_SEPARATORS.split(text):
                if part.strip() and self.get(part) is None and _CONJUNCTION.search(part):
                    pieces = [piece for piece in _CONJUNCTION.split(part) if piece.strip()]
                    parts = tuple(dict.fromkeys(i for piece in pieces for i in Hierarchy.resolve_many(self, piece)))
                    raise ConjunctionError(text, self.vocabulary, parts)
        return super().resolve_many(text)


@functools.cache
def perpetrators() -> PerpetratorTree:
    """Return the tree of perpetrators (cached).

    Returns
    -------
    PerpetratorTree
        Vocabulary "perpetrator" (a Hierarchy that refuses "A and B", see
        :class:`PerpetratorTree`): ``all`` > ``coalition``, ``russia``, ``syrian-government``,
        ``isis``, ``sdf``, ``turkey``, ``rebels``, ``hts``, ``israel``, ``iran``, ``unknown``.
        Aliases include Airwars' belligerent names and ACLED's frequent actor names.
    """
    return PerpetratorTree.from_frame(_read("perpetrators.csv"), "perpetrator")


@functools.cache
def _source_index() -> tuple[pd.DataFrame, dict[str, str]]:
    table = _read("sources.csv")
    unknown_types = sorted(set(table["type"]) - set(SOURCE_TYPES))
    if unknown_types:
        raise ValueError(f"sources.csv: types {unknown_types} are not among {SOURCE_TYPES}")
    keys: dict[str, str] = {}
    for name, cell in zip(table["name"], table["aliases"]):
        for spelling in [name, *cell.split(";")]:
            key = normalize_name(spelling)
            if not key:
                continue
            if keys.setdefault(key, name) != name:
                raise ValueError(f"sources.csv: {spelling!r} names both {keys[key]!r} and {name!r}")
    table = table.set_index("name", drop=False)
    return table, keys


def sources() -> pd.DataFrame:
    """Return the table of known sources.

    Returns
    -------
    pandas.DataFrame
        One row per source: ``name`` (canonical), ``type`` (one of :data:`SOURCE_TYPES`),
        ``aliases`` (``;``-separated), ``url`` and ``description``.
    """
    table, _ = _source_index()
    return table.reset_index(drop=True).copy()


def resolve_source(name: Any) -> tuple[str, str] | None:
    """Return the canonical name and type of a source, or ``None`` if it is unknown.

    A name like "Syrian Observatory for Human Rights (SOHR)" is also tried as its two halves.

    Parameters
    ----------
    name : str

    Returns
    -------
    tuple of (str, str) or None
        ``(canonical name, type)``. Unknown sources are not errors: callers keep the name as
        given and flag it.

    Examples
    --------
    >>> resolve_source("the Britain-based Observatory")
    ('SOHR', 'monitor')
    """
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return None
    table, keys = _source_index()
    text = str(name).strip()
    candidates = [text]
    parts = _PARENTHESIS.match(text)
    if parts:
        candidates += [parts["outer"], parts["inner"]]
    for candidate in candidates:
        found = keys.get(normalize_name(candidate))
        if found is not None:
            return found, str(table.at[found, "type"])
    return None


def resolve_sources(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Resolve a column of source names, each distinct value once.

    Parameters
    ----------
    values : pandas.Series
        Source names; missing values stay missing.

    Returns
    -------
    names : pandas.Series of str
        The canonical name, or the name as given (stripped) when unknown; missing where missing.
    types : pandas.Series of str
        The source type; missing for unknown or missing names.
    known : pandas.Series of bool
        Whether the name is in ``data/sources.csv``.
    """
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    found = [resolve_source(u) for u in uniques]
    names = np.array([f[0] if f else str(u).strip() for f, u in zip(found, uniques)] + [None], dtype=object)
    types = np.array([f[1] if f else None for f in found] + [None], dtype=object)
    known = np.array([f is not None for f in found] + [False], dtype=bool)
    index = values.index
    return (pd.Series(names[codes], index=index, dtype="str"),
            pd.Series(types[codes], index=index, dtype="str"),
            pd.Series(known[codes], index=index, dtype=bool))
