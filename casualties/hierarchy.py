"""A tree of ids with names and aliases: the shape of places, categories and perpetrators.

A :class:`Hierarchy` maps any spelling of a name to one id ("the Britain-based Observatory" is a
source, "Ar Raqqah" is ``SY-RA``), and answers containment questions one at a time
(:meth:`Hierarchy.contains`) or for millions of rows at once (:meth:`Hierarchy.contains_array`,
by nested-set numbering). Multi-valued cells of the claims frame hold ids joined by
:data:`SEPARATOR` in a canonical order (``IQ|SY``), see :meth:`Hierarchy.normalize_ids`.

Names are compared after :func:`normalize_name`. Every normalised key belongs to one id, decided
when the tree is built, by precedence: an id itself beats everything; then rows of a lower
``rank`` beat rows of a higher one (explicit data before generated data); then a name beats an
alias. Two ids claiming one key at the same precedence is an error (or, for generated data, the
key is dropped and neither id answers to it).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from casualties.errors import UnknownNameError, VocabularyError

__all__ = ["SEPARATOR", "Hierarchy", "normalize_name", "join_ids", "split_ids"]

#: The separator of multi-valued cells in the claims frame ("IQ|SY").
SEPARATOR = "|"

_DROP = dict.fromkeys(map(ord, "'’‘ʿʾʼ`´\"“”."), None)
_LATIN_MARKS = re.compile("[\u0300-\u036f]")  # the combining marks of Latin letters, fast path
_SPACES = re.compile(r"[\s\-‐‑‒–—_]+")
_THE = re.compile(r"^the\s+")
# Separators of several names in one text, tried in turn: hard separators first, then words.
_TIERS = (
    re.compile(r"\s*[,;|/]\s*(?:and\s+|or\s+)?"),
    re.compile(r"\s+(?:and|or|&|[-–—])\s+"),
)


def normalize_name(text: Any) -> str:
    """Return the key under which a name is looked up.

    Case-folded, diacritics dropped (NFKD, combining marks removed), apostrophes, quotes and
    full stops dropped (``Dar'a`` is ``dara``, ``U.S.`` is ``us``), hyphens, dashes and
    underscores read as spaces, repeated whitespace collapsed, and a leading "the " removed.

    Anything not a string is converted with ``str``. Idempotent.
    """
    plain = str(text)
    if not plain.isascii():
        plain = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", plain))
        if not plain.isascii():
            plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = plain.casefold()
    plain = unicodedata.normalize("NFKC", plain).translate(_DROP)
    plain = _SPACES.sub(" ", plain).strip()
    while _THE.match(plain):
        plain = _THE.sub("", plain)
    return plain


def join_ids(ids: Iterable[str]) -> str:
    """Encode ids as one multi-valued cell (``("IQ", "SY")`` -> ``"IQ|SY"``), in the order given."""
    return SEPARATOR.join(ids)


def split_ids(text: Any) -> tuple[str, ...]:
    """Decode a multi-valued cell (``"IQ|SY"`` -> ``("IQ", "SY")``); missing or empty -> ``()``."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ()
    return tuple(part.strip() for part in str(text).split(SEPARATOR) if part.strip())


def _aliases_of(value: Any) -> list[str]:
    parts = value if isinstance(value, (list, tuple)) else _cell(value).split(";")
    return [str(p).strip() for p in parts if str(p).strip()]


def _resolve_parts(text: str, lookup: Callable[[str], str | None],
                   last_resort: Callable[[str], str]) -> list[str]:
    """The whole text first; else split on the first separator tier that splits it, recursively.

    ``lookup`` returns an id or ``None``; ``last_resort`` is called on a part that cannot be split
    and names nothing: it returns an id or raises.
    """
    found = lookup(text)
    if found is not None:
        return [found]
    for tier in _TIERS:
        parts = [p for p in tier.split(text.strip()) if p.strip()]
        if len(parts) > 1:
            return [i for p in parts for i in _resolve_parts(p, lookup, last_resort)]
    return [last_resort(text)]


def _resolve_unique(values: pd.Series, func: Callable[[Any], str]) -> tuple[pd.Series, pd.Series]:
    """Apply ``func`` once per distinct non-missing value; failures become detail text."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    outcomes: list[tuple[Any, Any]] = []
    for value in uniques:
        try:
            outcomes.append((func(value), None))
        except UnknownNameError as error:
            outcomes.append((None, str(error)))
    table = np.array(outcomes + [(None, None)], dtype=object).reshape(-1, 2)[codes]
    return (pd.Series(table[:, 0], index=values.index, dtype="str"),
            pd.Series(table[:, 1], index=values.index, dtype="str"))


def _cell(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _read_table(frame: pd.DataFrame, vocabulary: str) -> tuple[dict, dict, dict, dict]:
    """Check the rows; return names, parents, ranks and (alias, rank) lists, by id."""
    n = len(frame)
    rows = list(zip(map(_cell, frame["id"]), map(_cell, frame["name"]), map(_cell, frame["parent"]),
                    frame["aliases"] if "aliases" in frame.columns else [None] * n,
                    [int(float(_cell(r) or 0)) for r in frame["rank"]] if "rank" in frame.columns else [0] * n))
    names: dict[str, str] = {}
    parents: dict[str, str] = {}
    ranks: dict[str, int] = {}
    for id_, name, parent, _, rank in rows:
        if not id_:
            raise VocabularyError(vocabulary, f"{vocabulary} table has a row without an id")
        if name:
            if id_ in names:
                raise VocabularyError(vocabulary, f"{vocabulary} id {id_!r} is defined twice", (id_,))
            names[id_], parents[id_], ranks[id_] = name, parent, rank
    aliases: dict[str, list[tuple[str, int]]] = {i: [] for i in names}
    for id_, name, parent, cell, rank in rows:
        if id_ not in names:
            raise VocabularyError(vocabulary, f"{vocabulary} alias row for {id_!r}, which no row defines", (id_,))
        if not name and parent:
            raise VocabularyError(vocabulary, f"{vocabulary} alias row for {id_!r} gives a parent; only aliases may be added", (id_,))
        aliases[id_].extend((a, rank) for a in _aliases_of(cell))
    for id_, parent in parents.items():
        if parent and parent not in names:
            raise VocabularyError(vocabulary, f"{vocabulary} {id_!r} has unknown parent {parent!r}", (id_,))
    return names, parents, ranks, aliases


def _children_of(order: Sequence[str], parents: dict[str, str]) -> dict[str, tuple[str, ...]]:
    children: dict[str, list[str]] = {i: [] for i in order}
    for id_ in order:
        if parents[id_]:
            children[parents[id_]].append(id_)
    return {i: tuple(sorted(c)) for i, c in children.items()}


def _preorder(parents: dict[str, str], vocabulary: str) -> tuple[list[str], dict[str, int]]:
    """Ids in pre-order (children sorted by id) and, for each, the last position of its subtree."""
    roots = [i for i, p in parents.items() if not p]
    if len(roots) != 1:
        raise VocabularyError(vocabulary, f"{vocabulary} table needs exactly one root (empty parent), found {roots}", roots)
    children = _children_of(list(parents), parents)
    order: list[str] = []
    right: dict[str, int] = {}
    stack: list[tuple[str, bool]] = [(roots[0], False)]
    while stack:
        id_, done = stack.pop()
        if done:
            right[id_] = len(order) - 1
            continue
        order.append(id_)
        stack.append((id_, True))
        stack.extend((c, False) for c in reversed(children[id_]))
    if len(order) != len(parents):
        stray = sorted(set(parents) - set(order))
        raise VocabularyError(vocabulary, f"{vocabulary} ids {stray[:5]} are not below the root (a cycle?)", stray)
    return order, right


class Hierarchy:
    """An immutable tree of ids, each with a name and aliases, resolvable from any spelling.

    Build one with :meth:`from_frame`. Ids are kept in pre-order (the root first, children
    sorted by id), which is also the order of :attr:`ids`, :meth:`codes` and :attr:`intervals`.
    """

    __slots__ = ("_vocabulary", "_ids", "_index", "_parent", "_names", "_children", "_aliases",
                 "_ranks", "_keys", "_display", "_ambiguous", "_left", "_right", "_id_index")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("build a Hierarchy with Hierarchy.from_frame(frame)")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Hierarchy is immutable")

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_frame(cls, frame: pd.DataFrame, vocabulary: str = "place", *,
                   drop_ambiguous: bool = False) -> "Hierarchy":
        """Build a tree from a table of ids.

        Parameters
        ----------
        frame : pandas.DataFrame
            Columns ``id``, ``name``, ``parent`` (empty for the one root), optional ``aliases``
            (``;``-separated text, or a list) and optional ``rank`` (integer, default 0; lower
            wins a shared key). A row with an empty ``name`` is an *alias row*: it adds aliases,
            at its own rank, to an id defined by another row.
        vocabulary : str
            What the ids are ("place", "category", "perpetrator"), used in error messages.
        drop_ambiguous : bool
            If true, a name or alias that two ids claim at the same precedence is dropped (neither
            answers to it; see :attr:`ambiguous_keys`) instead of raising. Meant for generated
            data such as ISO 3166-2, where "Central" names many subdivisions.

        Returns
        -------
        Hierarchy

        Raises
        ------
        ValueError
            On a missing column, an empty or duplicate id, no root or several, an unknown
            parent, a cycle, or a key shared by two ids at the same precedence.
        """
        missing = {"id", "name", "parent"} - set(frame.columns)
        if missing:
            raise VocabularyError(vocabulary, f"{vocabulary} table lacks columns {sorted(missing)}")
        names, parents, ranks, aliases = _read_table(frame, vocabulary)
        order, right = _preorder(parents, vocabulary)
        best: dict[str, tuple[tuple[int, int, int], set[str], str]] = {}
        for id_ in order:
            candidates = [(id_, (0, 0, 0)), (names[id_], (1, ranks[id_], 1))]
            candidates += [(alias, (1, rank, 2)) for alias, rank in aliases[id_]]
            for spelling, precedence in candidates:
                key = normalize_name(spelling)
                held = best.get(key)
                if not key or (held is not None and precedence > held[0]):
                    continue
                if held is None or precedence < held[0]:  # show "Raqqa", not the id "raqqa"
                    shown = names[id_] if precedence[0] == 0 and normalize_name(names[id_]) == key else spelling
                    best[key] = (precedence, {id_}, shown)
                else:
                    held[1].add(id_)
        keys, display, ambiguous = {}, {}, set()
        for key, (precedence, owners, spelling) in best.items():
            if len(owners) == 1:
                keys[key], display[key] = next(iter(owners)), spelling
            elif drop_ambiguous and precedence[0] == 1:
                ambiguous.add(key)
            else:
                raise VocabularyError(vocabulary, f"{vocabulary} name {spelling!r} (key {key!r}) is claimed by several ids: {sorted(owners)}", sorted(owners))
        self = object.__new__(cls)
        for attribute, value in {
            "_vocabulary": vocabulary, "_ids": tuple(order), "_index": {i: c for c, i in enumerate(order)},
            "_parent": {i: parents[i] or None for i in order}, "_names": {i: names[i] for i in order},
            "_children": _children_of(order, parents),
            "_aliases": {i: tuple(dict.fromkeys(a for a, _ in aliases[i])) for i in order},
            "_ranks": {i: ranks[i] for i in order}, "_keys": keys, "_display": display,
            "_ambiguous": frozenset(ambiguous), "_left": np.arange(len(order), dtype=np.int64),
            "_right": np.array([right[i] for i in order], dtype=np.int64),
            "_id_index": pd.Index(order, dtype=object),
        }.items():
            object.__setattr__(self, attribute, value)
        return self

    def to_frame(self) -> pd.DataFrame:
        """Return the table back: one row per id in pre-order.

        Returns
        -------
        pandas.DataFrame
            Columns ``id, name, parent, aliases, rank``; ``parent`` is empty for the root and
            ``aliases`` holds, ``;``-joined, the aliases that resolve to the id.
        """
        return pd.DataFrame({
            "id": list(self._ids),
            "name": [self._names[i] for i in self._ids],
            "parent": [self._parent[i] or "" for i in self._ids],
            "aliases": [";".join(self.aliases(i)) for i in self._ids],
            "rank": [self._ranks[i] for i in self._ids],
        }, dtype=object).astype({"rank": "int64"})

    # -- value-object protocol ---------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Hierarchy):
            return NotImplemented
        return (self._vocabulary, self._ids, self._parent, self._names, self._keys) == (
            other._vocabulary, other._ids, other._parent, other._names, other._keys)

    def __hash__(self) -> int:
        return hash((self._vocabulary, self._ids))

    def __repr__(self) -> str:
        return f"Hierarchy({self._vocabulary!r}, {len(self._ids)} ids, root {self.root!r})"

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, id_: object) -> bool:
        """Whether ``id_`` is an id of the tree (exactly; use :meth:`resolve` for names)."""
        return id_ in self._index

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._ids)

    # -- the tree ----------------------------------------------------------------------------
    @property
    def vocabulary(self) -> str:
        """What the ids are ("place", "category", "perpetrator")."""
        return self._vocabulary

    @property
    def root(self) -> str:
        """The id of the root."""
        return self._ids[0]

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id, in pre-order (the root first, children sorted by id)."""
        return self._ids

    @property
    def ambiguous_keys(self) -> frozenset[str]:
        """Normalised names dropped because several ids claimed them (``drop_ambiguous=True``)."""
        return self._ambiguous

    def _check(self, id_: str) -> str:
        if id_ not in self._index:
            raise self._unknown(id_)
        return id_

    def name(self, id_: str) -> str:
        """The display name of an id."""
        return self._names[self._check(id_)]

    def aliases(self, id_: str) -> tuple[str, ...]:
        """The aliases of an id that resolve to it, as spelled in the table."""
        return tuple(a for a in self._aliases[self._check(id_)] if self._keys.get(normalize_name(a)) == id_)

    def parent(self, id_: str) -> str | None:
        """The parent of an id (``None`` for the root)."""
        return self._parent[self._check(id_)]

    def children(self, id_: str) -> tuple[str, ...]:
        """The children of an id, sorted by id."""
        return self._children[self._check(id_)]

    def ancestors(self, id_: str) -> tuple[str, ...]:
        """The ancestors of an id, nearest first, excluding itself."""
        out = []
        parent = self.parent(id_)
        while parent is not None:
            out.append(parent)
            parent = self._parent[parent]
        return tuple(out)

    def descendants(self, id_: str) -> tuple[str, ...]:
        """Every id below ``id_``, in pre-order, excluding itself."""
        code = self._index[self._check(id_)]
        return self._ids[code + 1: self._right[code] + 1]

    def contains(self, a: str, b: str) -> bool:
        """Whether ``a`` is ``b`` or an ancestor of ``b``."""
        i, j = self._index[self._check(a)], self._index[self._check(b)]
        return bool(self._left[i] <= self._left[j] and self._right[j] <= self._right[i])

    # -- vectorised containment ---------------------------------------------------------------
    @property
    def intervals(self) -> pd.DataFrame:
        """Nested-set numbers, indexed by id (pre-order), int64 columns ``left`` and ``right``.

        ``a`` contains ``b`` iff ``left[a] <= left[b]`` and ``right[b] <= right[a]``.
        """
        return pd.DataFrame({"left": self._left, "right": self._right}, index=self._id_index.rename("id"))

    def codes(self, ids: Sequence[str] | np.ndarray | pd.Series) -> np.ndarray:
        """Map an array of ids to their int64 positions in :attr:`ids` (``-1`` for an unknown id)."""
        return self._id_index.get_indexer(np.atleast_1d(np.asarray(ids, dtype=object))).astype(np.int64)

    def contains_array(self, a_ids: Any, b_ids: Any) -> np.ndarray:
        """Element-wise :meth:`contains` for arrays of single ids, broadcast like numpy.

        Split multi-valued cells first (:func:`split_ids`). Returns a numpy bool array.

        Raises
        ------
        UnknownNameError
            If any id is not in the tree.
        """
        a, b = self._known_codes(a_ids), self._known_codes(b_ids)
        return (self._left[a] <= self._left[b]) & (self._right[b] <= self._right[a])

    def _known_codes(self, ids: Any) -> np.ndarray:
        """:meth:`codes`, raising UnknownNameError for an id not in the tree."""
        codes = self.codes(ids)
        if (codes < 0).any():
            bad = np.atleast_1d(np.asarray(ids, dtype=object))[codes < 0][0]
            raise UnknownNameError(bad, self._vocabulary, self.suggest(str(bad)))
        return codes

    def set_relations(
        self, inner_sets: Sequence[Sequence[str]], outer_sets: Sequence[Sequence[str]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """How sets of ids (each standing for the union of its subtrees) relate, all pairs at once.

        Returns
        -------
        covers : numpy.ndarray of bool, shape (len(inner_sets), len(outer_sets))
            Every id of ``inner_sets[i]`` lies under some id of ``outer_sets[j]``.
        touches : numpy.ndarray of bool, same shape
            Some id of ``inner_sets[i]`` and some id of ``outer_sets[j]`` share a subtree (one
            contains the other).

        Raises
        ------
        UnknownNameError
            If any id is not in the tree.
        """
        shape = (len(inner_sets), len(outer_sets))
        if not all(shape):
            return np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
        if not all(map(len, inner_sets)) or not all(map(len, outer_sets)):
            raise ValueError("set_relations needs non-empty id sets")
        inner = np.concatenate([np.asarray(s, dtype=object) for s in inner_sets])
        outer = np.concatenate([np.asarray(s, dtype=object) for s in outer_sets])
        a, b = self._known_codes(inner), self._known_codes(outer)
        left_a, right_a = self._left[a][:, None], self._right[a][:, None]
        left_b, right_b = self._left[b][None, :], self._right[b][None, :]
        under = (left_b <= left_a) & (right_a <= right_b)  # inner id under outer id
        over = (left_a <= left_b) & (right_b <= right_a)  # inner id above outer id
        in_starts = np.cumsum([0] + [len(s) for s in inner_sets[:-1]])
        out_starts = np.cumsum([0] + [len(s) for s in outer_sets[:-1]])
        covered = np.logical_or.reduceat(under, out_starts, axis=1)  # id under some outer id
        covers = np.logical_and.reduceat(covered, in_starts, axis=0)
        related = np.logical_or.reduceat(under | over, out_starts, axis=1)
        touches = np.logical_or.reduceat(related, in_starts, axis=0)
        return covers, touches

    # -- resolving names ----------------------------------------------------------------------
    def suggest(self, name: str, n: int = 3, cutoff: float = 0.6) -> tuple[str, ...]:
        """Up to ``n`` known spellings close to ``name``, best first, one per id.

        ``cutoff`` is the least similarity (difflib's ratio, 0 to 1) of normalised names.
        """
        key = normalize_name(name)
        out: dict[str, str] = {}
        for match in difflib.get_close_matches(key, self._keys, n=4 * n, cutoff=cutoff):
            out.setdefault(self._keys[match], self._display[match])
        return tuple(out.values())[:n]

    def resolve(self, name: str) -> str:
        """Return the id of an id, a name or an alias (compared after :func:`normalize_name`).

        Raises
        ------
        UnknownNameError
            With up to three suggestions.
        """
        found = self._keys.get(normalize_name(name))
        if found is None:
            raise self._unknown(name)
        return found

    def get(self, name: str, default: str | None = None) -> str | None:
        """Like :meth:`resolve`, but return ``default`` for an unknown name (and skip suggestions)."""
        return self._keys.get(normalize_name(name), default)

    def _unknown(self, name: str) -> UnknownNameError:
        return UnknownNameError(name, self._vocabulary, self.suggest(name))

    def _raise_unknown(self, name: str) -> str:
        raise self._unknown(name)

    def resolve_many(self, text: str) -> tuple[str, ...]:
        """Return the ids named by a text of one or several names.

        The whole text is tried first ("Bosnia and Herzegovina" is one place), else it is split
        on ``,`` ``;`` ``|`` ``/``, then on " and ", " or ", " & ", " - ", each part resolved
        the same way.

        Returns :meth:`normalize_ids` of the ids found.

        Raises
        ------
        UnknownNameError
            For the first part that resolves to nothing.
        """
        return self.normalize_ids(_resolve_parts(str(text), self.get, self._raise_unknown))

    def normalize_ids(self, ids: Iterable[str]) -> tuple[str, ...]:
        """Canonical form of a set of ids: unique, without any id whose ancestor is present
        (their union is the ancestor), sorted by id.

        Raises
        ------
        UnknownNameError
            If an id is not in the tree.
        """
        unique = {self._check(i) for i in ids}
        return tuple(sorted(i for i in unique if not any(a in unique for a in self.ancestors(i))))

    def resolve_series(self, values: pd.Series, many: bool = True) -> tuple[pd.Series, pd.Series]:
        """Resolve a column of names, each distinct value once.

        Parameters
        ----------
        values : pandas.Series
            Names; missing values stay missing and are not failures.
        many : bool
            Whether a value may name several ids (:meth:`resolve_many`) or exactly one.

        Returns
        -------
        ids : pandas.Series of str
            Canonical ids joined by :data:`SEPARATOR`; missing where resolution failed.
        problems : pandas.Series of str
            Why each failing value failed (the :class:`UnknownNameError` message); missing
            where it did not fail.
        """
        if many:
            return _resolve_unique(values, lambda v: join_ids(self.resolve_many(v)))
        return _resolve_unique(values, lambda v: self.resolve(str(v)))
