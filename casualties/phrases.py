"""Claims, counts, places, periods and scopes in plain words, for the report's sentences.

Every sentence is built from the claims' own data (source names, their counts in words as the
qualifier gives them, place, category and perpetrator names, dates), so that a reader can check
it against the quotes printed beside it. :mod:`casualties.report` and the modules that render it
(:mod:`casualties.report_cells`, :mod:`casualties.report_text`, :mod:`casualties.report_markdown`,
:mod:`casualties.report_html`) use these; nothing here computes a number.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from casualties.scope import Scope

__all__ = ["adjustment_sentence", "by_words", "capital", "claim_line", "count_words", "day", "number", "pair_sentence", "people",
           "possessive", "range_words", "scope_words", "source_phrase", "what_words", "when_words", "where_words"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
# How a perpetrator reads after "by"; others read as their name.
_BY = {"coalition": "the US-led coalition", "isis": "the Islamic State", "sdf": "the Syrian Democratic Forces", "unknown": "an unknown perpetrator"}
# Counts in words, by the claims frame's qualifier (casualties.vocab).
_PREFIX = {"around": "about", "nearly": "nearly", "at-least": "at least"}
_SINGULAR = {"people": "person", "children": "child", "women": "woman"}


def number(value: float) -> str:
    """A count for reading: whole people with thousands separators ("5,076"), one decimal only
    below 10 ("3.3"), inf as 'no limit'. Halves round up (242.5 reads 243)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    if math.isinf(value):
        return "no limit"
    value = float(value)
    if abs(value) < 9.95:
        text = f"{math.floor(abs(value) * 10 + 0.5) / 10:.1f}".removesuffix(".0")
    else:
        text = f"{math.floor(abs(value) + 0.5):,d}"
    return ("-" if value < 0 and text != "0" else "") + text


def people(value: float) -> str:
    return f"{number(value)} {'person' if value == 1 else 'people'}"


def day(value: Any) -> str:
    """'23 September 2014' (English month names whatever the locale); '?' for a missing date."""
    if value is None or pd.isna(value):
        return "?"
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {_MONTHS[stamp.month - 1]} {stamp.year}"


def count_words(low: float, best: float, high: float, qualifier: str | None = None) -> str:
    """A claim's figure in words, as its qualifier says it ("about 1,500", "at least 21").

    Parameters
    ----------
    low, best, high : float
        The claim's bounds and best estimate [people]; ``high`` may be inf.
    qualifier : str, optional
        The claims frame's ``qualifier`` (``exact``, ``around``, ``more-than``...).

    Returns
    -------
    str
    """
    qualifier = qualifier or ""
    if qualifier in _PREFIX:
        return f"{_PREFIX[qualifier]} {number(best if qualifier != 'at-least' else low)}"
    if qualifier == "more-than" and low >= 1:
        return f"more than {number(low - 1)}"
    if qualifier == "up-to":
        return f"up to {number(high)}"
    if qualifier == "exact" and low == best == high:
        return number(best)
    if low == best == high:
        return number(best)
    if math.isinf(high):
        return f"{number(best)} or more" if qualifier == "exact" else f"at least {number(low)}"
    if qualifier not in ("", "exact", "between") and not qualifier[0].isdigit():
        return f"{qualifier} ({number(low)} to {number(high)})"  # a vague word: "dozens (12 to 99)"
    return f"between {number(low)} and {number(high)}"


def _names(text: Any, tree: Any, joiner: str) -> str:
    from casualties.hierarchy import split_ids

    # places by their English label ("Raqqa governorate", "Aleppo"), not ISO's transliteration
    label = getattr(tree, "label", tree.name)
    names = [label(i) if i in tree else i for i in split_ids(text)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {joiner} " + names[-1]


@functools.lru_cache(maxsize=4096)
def by_words(text: Any) -> str:
    """'by the US-led coalition', '' for all perpetrators; several are a disputed attribution."""
    from casualties.hierarchy import split_ids
    from casualties.names import perpetrators

    tree = perpetrators()
    ids = [i for i in split_ids(text) if i != tree.root]
    if not ids:
        return ""
    names = [_BY.get(i, tree.name(i) if i in tree else i) for i in ids]
    return "by " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1])


@functools.lru_cache(maxsize=4096)
def what_words(category: Any, outcome: Any, count: str = "") -> str:
    """'civilians killed'; singular after a count of one ('at least 1 child killed')."""
    from casualties.names import categories

    tree = categories()
    name = "people" if category in (None, tree.root) or pd.isna(category) else (tree.name(category) if category in tree else str(category))
    if count.split()[-1:] == ["1"]:
        name = _SINGULAR.get(name, name.removesuffix("s"))
    return f"{name} {outcome}"


@functools.lru_cache(maxsize=4096)
def where_words(place: Any) -> str:
    from casualties.places import place_tree

    tree = place_tree()
    if place is None or place == tree.root or place == "":
        return "anywhere"
    return "in " + _names(place, tree, "and")


@functools.lru_cache(maxsize=4096)
def when_words(start: Any, end: Any, reported_on: Any = None) -> str:
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start == end:
        return f"on {day(start)}"
    if reported_on is not None and not pd.isna(reported_on) and end == pd.Timestamp(reported_on):
        return f"since {day(start)}"
    if start.day == 1 and end == start + pd.offsets.MonthEnd(0):
        return f"in {_MONTHS[start.month - 1]} {start.year}"
    if start.day == 1 and start.month == 1 and end == pd.Timestamp(start.year, 12, 31):
        return f"in {start.year}"
    if start.year == end.year:
        return f"from {start.day} {_MONTHS[start.month - 1]} to {day(end)}"
    return f"from {day(start)} to {day(end)}"


def scope_words(scope: Scope) -> str:
    """A scope in words: "civilians killed by the US-led coalition in Syria, at any time".

    Parameters
    ----------
    scope : Scope

    Returns
    -------
    str
    """
    parts = [what_words(scope.category, scope.outcome)]
    by = by_words("|".join(scope.perpetrator)) if scope.perpetrator else ""
    if by:
        parts.append(by)
    parts.append(where_words("|".join(scope.place)) if scope.place else "anywhere")
    if scope.start is None and scope.end is None:
        when = "at any time"
    elif scope.start is None:
        when = f"until {day(scope.end)}"
    elif scope.end is None:
        when = f"since {day(scope.start)}"
    else:
        when = when_words(scope.start, scope.end)
    return " ".join(parts) + ", " + when


@functools.lru_cache(maxsize=4096)
def source_phrase(name: str) -> str:
    """'the US military' where the source is known as such, else the name."""
    from casualties.names import sources

    table = sources().set_index("name")
    if name in table.index:
        aliases = [a.strip().casefold() for a in str(table.at[name, "aliases"]).split(";")]
        if f"the {name}".casefold() in aliases:
            return f"the {name}"
    return name


def possessive(phrase: str) -> str:
    return phrase + ("'" if phrase.endswith("s") else "'s")


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- sentences -----------------------------------------------------------------------------------
def _wider(narrow: Mapping[str, Any], wide: Mapping[str, Any]) -> str:
    """What a wider claim covers beyond a narrower one, in words."""
    from casualties.hierarchy import split_ids
    from casualties.names import categories, perpetrators
    from casualties.places import place_tree

    parts = []
    if narrow["place"] != wide["place"]:
        ids = split_ids(wide["place"])
        if len(ids) > 1:
            parts.append(_names(wide["place"], place_tree(), "and") + " together")
        elif ids and ids[0] == place_tree().root:
            parts.append("every place")
        else:
            parts.append("all of " + _names(wide["place"], place_tree(), "and"))
    if narrow["category"] != wide["category"]:
        cat = wide["category"]
        parts.append("all " + ("people" if cat == categories().root else categories().name(cat) if cat in categories() else str(cat)))
    if narrow["perpetrator"] != wide["perpetrator"]:
        by = by_words(wide["perpetrator"])
        parts.append("deaths " + by if by else "every perpetrator" if wide["perpetrator"] == perpetrators().root else "more perpetrators")
    when = when_words(wide["start"], wide["end"], wide["reported_on"])
    if narrow["start"] != wide["start"] or narrow["end"] != wide["end"]:
        return (", ".join(parts) + f" ({when})") if parts else f"a longer period ({when})"
    return ", ".join(parts) if parts else "the same scope as a total"


def claim_line(claim: Mapping[str, Any]) -> str:
    """'about 1,500 civilians killed by the US-led coalition in Syria (since 23 September 2014)'."""
    by = by_words(claim["perpetrator"])
    return " ".join(p for p in (claim["count"], what_words(claim["category"], claim["outcome"], claim["count"]), by, where_words(claim["place"])) if p) + \
        f" ({when_words(claim['start'], claim['end'], claim['reported_on'])})"


def pair_sentence(a: Mapping[str, Any], b: Mapping[str, Any], relation: str, gap: float) -> str:
    """One plain sentence on why two claims cannot both hold (``a``, ``b``: the claims' rows, a
    Series or a mapping of column to value)."""
    if relation in ("within", "contains"):
        narrow, wide = (a, b) if relation == "within" else (b, a)
        by = by_words(narrow["perpetrator"])
        alone = " alone" if narrow["place"] != wide["place"] else ""
        what = " ".join(p for p in (narrow["count"], what_words(narrow["category"], narrow["outcome"], narrow["count"]), by, where_words(narrow["place"]) + alone) if p)
        return (f"{capital(source_phrase(narrow['source']))} counts {what} ({when_words(narrow['start'], narrow['end'], narrow['reported_on'])}), "
                f"while {possessive(source_phrase(wide['source']))} {wide['count']} covers {_wider(narrow, wide)}: "
                f"the part needs at least {number(narrow['low'])}, the whole allows at most {number(wide['high'])}, "
                f"a gap of {people(gap)}.")
    lower, higher = (a, b) if a["high"] < b["low"] else (b, a)
    limits = (f"{possessive(source_phrase(lower['source']))} figure allows at most {number(lower['high'])}, "
              f"{possessive(source_phrase(higher['source']))} needs at least {number(higher['low'])}, a gap of {people(gap)}.")
    if relation == "same-incident":
        return (f"{capital(source_phrase(a['source']))} and {source_phrase(b['source'])} report the same incident "
                f"({a['incident_id']}, {where_words(a['place'])} {when_words(a['start'], a['end'])}): {source_phrase(a['source'])} counts "
                f"{a['count']} {what_words(a['category'], a['outcome'], a['count'])}, {source_phrase(b['source'])} {b['count']}; " + limits)
    by = by_words(a["perpetrator"])
    scope = " ".join(p for p in (what_words(a["category"], a["outcome"]), by, where_words(a["place"])) if p)
    return (f"{capital(source_phrase(a['source']))} counts {a['count']} and {source_phrase(b['source'])} {b['count']} {scope} "
            f"({when_words(a['start'], a['end'], a['reported_on'])}): " + limits)


def range_words(low: float, high: float) -> str:
    return number(low) if low == high else f"{number(low)}–{number(high)}"


def adjustment_sentence(row: Any, claim: Mapping[str, Any]) -> str:
    return (f"{capital(possessive(source_phrase(row.source)))} {claim['count']} ({row.claim_id}) moves from "
            f"{range_words(row.low, row.high)} to {range_words(row.new_low, row.new_high)}: a change of {people(row.change)}.")
