"""Figures in a sentence: the number phrases, the dates and years that are not figures, and the
casualty words a figure must stand near.

:func:`find_figures` finds the number phrases of a sentence ("21", "around 1,500", "between 8
and 13", "dozens", "a child"); :func:`find_casualty_word` and :func:`nearest_match` find the
word that makes one a casualty figure ("killed", "wounded") or another kind of figure ("fled",
"captured"). The patterns of dates and period phrases are here too: a day of a date is not a
figure, and :func:`~casualties.cues.find_periods` reads periods with them. Only patterns, no
vocabulary of the package: :func:`~casualties.vocab.parse_count` reads the counts.
"""

from __future__ import annotations

import re

__all__ = [
    "CAPTURED_RE",
    "CASUALTY_RE",
    "DATE_RE",
    "DISPLACED_RE",
    "NAME_BEFORE",
    "PERIOD_RE",
    "THINGS",
    "YEAR_RE",
    "find_casualty_word",
    "find_figures",
    "inside",
    "nearest_match",
    "spans",
]

_UNITS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_WORD_NUMBER = rf"(?:{_UNITS})(?:[\s-]+(?:and\s+)?(?:{_UNITS}|hundred|thousand|million))*|(?:a|one)\s+hundred|(?:two|a)\s+dozen"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?![\d,])(?![A-Za-z])|\d+(?:\.\d+)?(?:[kKmM](?:n|bn)?\b)?(?![A-Za-z])"
_NUMBER = rf"(?:(?:{_DIGITS})(?:\s+(?:hundred|thousand|million|billion))?|\b(?:{_WORD_NUMBER})\b)"
_VAGUE = (
    r"\b(?:(?:a\s+few|several)\s+(?:dozen|hundred|thousand)|tens\s+of\s+thousands|hundreds\s+of\s+thousands|"
    r"dozens|scores|hundreds|thousands|millions|tens|a\s+dozen|a\s+handful|a\s+couple|a\s+few|several)\b"
)
_QUALIFIER = (
    r"(?:at\s+least|more\s+than|over|around|about|approximately|roughly|some|an\s+estimated|estimated|"
    r"nearly|almost|close\s+to|just\s+under|up\s+to|as\s+many\s+as|at\s+most|no\s+fewer\s+than|"
    r"no\s+less\s+than|not\s+less\s+than|upwards\s+of|in\s+excess\s+of|a\s+minimum\s+of)\s+"
)
_FIGURE = re.compile(
    rf"(?:\b{_QUALIFIER})?(?:\bbetween\s+{_NUMBER}\s+and\s+{_NUMBER}|\bfrom\s+{_NUMBER}\s+to\s+{_NUMBER}|"
    rf"{_NUMBER}(?:\s*(?:-|–|to)\s*{_NUMBER})?|{_VAGUE})",
    re.IGNORECASE,
)

_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:{_WEEKDAY},?\s+)?(?:{_MONTHS}\s+{_DAY}(?:,?\s+\d{{4}})?|{_DAY}\s+(?:of\s+)?{_MONTHS}(?:,?\s+\d{{4}})?|"
    rf"{_MONTHS},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
#: a date: "September 23, 2014", "23 September", "Monday, June 5", "2017-06-05"
DATE_RE = re.compile(rf"\b{_DATE}\b")
#: a bare year, 1800 to 2099, not followed by a comma and a digit
YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b(?!,\d)")
#: period phrases, most specific first; the groups name the kind (``date``, ``weekday``, ``month``,
#: ``year``, ``overnight``, ``relative``, ``b1``/``b2`` and ``f1``/``f2`` for the ends of a span)
PERIOD_RE = re.compile(
    rf"\b(?:between\s+(?P<b1>{_DATE}|{_MONTHS}|\d{{4}})\s+and\s+(?P<b2>{_DATE}|{_MONTHS}|\d{{4}})"
    rf"|from\s+(?P<f1>{_DATE}|{_MONTHS})\s+(?:to|until|through)\s+(?P<f2>{_DATE}|{_MONTHS})"
    rf"|(?P<date>{_DATE})"
    rf"|(?P<weekday>{_WEEKDAY})(?:'s|’s)?(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|(?:in|during|since|early|mid-|late)\s+(?P<month>{_MONTHS})(?!\s*\d)"
    rf"|(?:in|since|during)\s+(?P<year>\d{{4}})"
    rf"|(?P<overnight>overnight)"
    rf"|(?P<relative>yesterday|today|(?:this|last)\s+(?:week|month|year)|(?:over|in|within|during)\s+the\s+(?:past|last)\s+"
    rf"(?:\w+\s+)?(?:hours|days|weeks|months|years|week|month|year))"
    rf")\b"
)

_KILLED = (
    r"killed|kill|kills|killing|died|die|dies|dead|deaths?|toll|bodies|body|lives|fatalities|fatality|"
    r"massacred|executed|slain|perished|fatally|assassinated|succumbed|beheaded|shot\s+dead"
)
_INJURED = r"injured|injuring|injuries|injury|wounded|wounding|wounds|hurt"
#: a casualty word; the group ``killed`` or ``injured`` says which outcome
CASUALTY_RE = re.compile(rf"\b(?:(?P<killed>{_KILLED})|(?P<injured>{_INJURED}))\b", re.IGNORECASE)
#: a word of people who fled or were displaced: a figure near one is not of casualties
DISPLACED_RE = re.compile(
    r"\b(?:fled|flee|fleeing|flees|displaced|displacement|evacuated|refugees|homeless|escaped|returned)\b",
    re.IGNORECASE,
)
#: a word of people captured, arrested or abducted: a figure near one is not of casualties
CAPTURED_RE = re.compile(
    r"\b(?:captured|capture|arrested|detained|abducted|kidnapped|seized|surrendered|defected|prisoners?|hostages?)\b",
    re.IGNORECASE,
)
#: nouns after a figure that say it counts something other than people
THINGS = re.compile(
    r"(?:air\s*|missile\s+|drone\s+)?(?:strikes?|raids?|sorties|villages?|towns?|buildings?|houses?|homes?|vehicles?|"
    r"cars?|tanks?|rockets?|missiles?|shells?|mortars?|bombs?|barrel\s+bombs?|times|checkpoints?|positions?|"
    r"attacks?|operations?|points?|areas?|guns?|sites?|locations?|families|famil(?:y|ies)|sides|groups?|factions?|hospitals?|schools?|neighbou?rhoods?|districts?|incidents?|events?|"
    r"kilomet(?:er|re)s?|metres?|meters?|miles?|km|hours?|days?|weeks?|months?|years?|percent|per\s+cent|%)\b",
    re.IGNORECASE,
)
#: one person without a number: "killing a civilian", "a child was killed"
_SINGULAR_RE = re.compile(
    r"\b(?P<article>[Aa]n?)\s+(?:[\w'’-]+\s+){0,3}?(?:man|woman|child|boy|girl|civilian|fighter|soldier|member|policeman|"
    r"person|officer|commander|militant|leader|youth|teenager|doctor|journalist|volunteer|guard|gunman|shepherd|"
    r"farmer|worker|driver|resident|elder|infant|baby|nurse|teacher|defector|recruit|conscript|sniper)\b"
)
_PASSIVE_BEFORE = re.compile(
    r"^[\s,]*(?:[\w'’-]+[\s,]+){0,10}?(?:was|were|is|are|been|being|got)\s+(?:\w+ly\s+|reported\s+|confirmed\s+)?$", re.IGNORECASE
)


#: a capitalised word (not the sentence's first, not a day or month) right before digits: a name
NAME_BEFORE = re.compile(rf"\S\s+(?!(?:{_WEEKDAY}|{_MONTHS})\b)[A-Z][\w'’-]*\s+$")


class _Figure:
    """A figure found in a sentence: where it stands, its words and the words of its count."""

    __slots__ = ("_span", "_text", "count")

    def __init__(self, span: tuple[int, int], text: str, count: str) -> None:
        self._span, self._text, self.count = span, text, count

    def group(self) -> str:
        return self._text

    def start(self) -> int:
        return self._span[0]

    def end(self) -> int:
        return self._span[1]

    def span(self) -> tuple[int, int]:
        return self._span


def find_figures(sentence: str) -> list[_Figure]:
    """The figures of a sentence, in the order they stand.

    A figure is a number phrase with its qualifier ("at least 21", "between 8 and 13",
    "dozens"), or one person without a number ("a child", "killing a civilian"), whose count is
    then ``"1"``. Years, dates and figures of things are found too: the caller sets them aside.

    Parameters
    ----------
    sentence : str
        One sentence (:func:`~casualties.sentences.split_sentences`).

    Returns
    -------
    list
        One object per figure, read like a :class:`re.Match` (``group()``, ``start()``,
        ``end()``, ``span()``: the figure's words and where they stand in ``sentence``) with a
        ``count`` attribute: the words :func:`~casualties.vocab.parse_count` reads.
    """
    found = [_Figure(m.span(), m.group(), m.group()) for m in _FIGURE.finditer(sentence)]
    taken = [f.span() for f in found]
    for match in _SINGULAR_RE.finditer(sentence):
        if not any(start < match.end() and match.start() < end for start, end in taken):
            found.append(_Figure(match.span("article"), match.group(), "1"))
    return sorted(found, key=_Figure.start)


def find_casualty_word(words: list[re.Match], figure, sentence: str, window: int):
    """The casualty word of a figure: one after it in the passive ("21 were killed"), else the nearest.

    Parameters
    ----------
    words : list of re.Match
        The casualty words of the sentence (:data:`CASUALTY_RE`).
    figure : re.Match or figure
        The figure (:func:`find_figures`).
    sentence : str
        The sentence both stand in.
    window : int
        How far from the figure the nearest word may stand [words]; a word after the figure in
        the passive may stand farther.

    Returns
    -------
    (int, re.Match) or None
        The distance [words] and the word, ``None`` if no word is near enough.
    """
    for match in words:
        if match.start() >= figure.end() and _PASSIVE_BEFORE.match(sentence[figure.end() : match.start()]):
            return _words_between(sentence, figure.end(), match.start()), match
    return nearest_match(words, figure, sentence, window)


def spans(pattern: re.Pattern, sentence: str) -> list[tuple[int, int]]:
    """Where ``pattern`` matches in ``sentence``: the ``(start, end)`` of every match.

    Parameters
    ----------
    pattern : re.Pattern
        The pattern (:data:`DATE_RE` for the dates of a sentence).
    sentence : str
        The sentence to search.

    Returns
    -------
    list of (int, int)
        The spans, in order.
    """
    return [m.span() for m in pattern.finditer(sentence)]


def inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether ``span`` lies within one of ``spans`` (a figure within a date, say).

    Parameters
    ----------
    span : (int, int)
        ``(start, end)`` of the words in question.
    spans : list of (int, int)
        The spans that may hold it (:func:`spans`).

    Returns
    -------
    bool
    """
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _words_between(sentence: str, a: int, b: int) -> int:
    return len(re.findall(r"\S+", sentence[min(a, b) : max(a, b)]))


def nearest_match(matches: list[re.Match], figure: re.Match, sentence: str, window: int) -> tuple[int, re.Match] | None:
    """The match nearest a figure, in words, within a window and the figure's clause.

    Parameters
    ----------
    matches : list of re.Match
        Candidate words of the sentence (casualty words, "fled", "captured").
    figure : re.Match or figure
        The figure (:func:`find_figures`); matches that overlap it are passed over.
    sentence : str
        The sentence both stand in.
    window : int
        The farthest a match may stand from the figure [words]. A ``;`` or ``:`` between them
        (another clause) rules a match out.

    Returns
    -------
    (int, re.Match) or None
        The distance [words] and the nearest match (the first of equals), ``None`` if none is
        near enough.
    """
    best = None
    for match in matches:
        if match.end() <= figure.start():
            distance = _words_between(sentence, match.end(), figure.start())
        elif match.start() >= figure.end():
            distance = _words_between(sentence, figure.end(), match.start())
        else:
            continue
        if re.search(r"[;:]", sentence[min(match.end(), figure.end()) : max(match.start(), figure.start())]):
            continue  # another clause
        if distance <= window and (best is None or distance < best[0]):
            best = (distance, match)
    return best
