"""Claims from news text, by rules: one claim per casualty figure.

:func:`extract_claims` splits a text into sentences, finds the number phrases in each
(:func:`~casualties.vocab.parse_count` reads them), keeps those that a casualty word stands
near, and reads the rest of the claim from the sentence: the outcome, the category, the period
(:func:`~casualties.vocab.parse_period` against the report date), the place (the place tree's
names), the perpetrator, the source that says it and whether it is one event or a toll. The
records go through :func:`~casualties.schema.claims_from_records`, so the result is a valid
claims frame. No model is used; the rules and what they were measured on are in
``docs/extraction.md``.
"""

from __future__ import annotations

import enum
import functools
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from casualties.errors import CasualtiesError, OptionError

__all__ = ["SKIPPED_COLUMNS", "Skip", "extract_claims", "extract_records", "split_sentences"]


class Skip(str, enum.Enum):
    """Why a figure seen in the text did not become a claim (the ``reason`` column)."""

    YEAR = "year"  #: a bare year (2014)
    DATE = "date"  #: the day of a date (September 23)
    NOT_PEOPLE = "not_people"  #: a figure of something else (10 km, 30 strikes, 12 villages, 5%)
    NO_CASUALTY_WORD = "no_casualty_word"  #: no killed/dead/injured word near the figure
    DISPLACED = "displaced"  #: people who fled or were displaced
    CAPTURED = "captured"  #: people captured, arrested or abducted
    NO_PERIOD = "no_period"  #: no period in the text and none to assume
    NO_PLACE = "no_place"  #: no place name in the text
    NO_SOURCE = "no_source"  #: nobody says it and no ``source`` was given
    HEADLINE = "headline"  #: a line without a full stop (a title, a caption): the body repeats it
    INVALID_CLAIM = "invalid_claim"  #: :func:`~casualties.schema.claims_from_records` refused it

    def __str__(self) -> str:
        return self.value


#: Columns of the skipped table: the figure's words, why it was skipped, details, its sentence.
SKIPPED_COLUMNS = ("figure", "reason", "detail", "quote")

# ---------------------------------------------------------------------------------------------
# sentences

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“'‘(]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\bLt|\bGen|\bCol|\bMr|\bMrs|\bDr|\bSt|\bNo|\bvs)\.$")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split a text into sentences, with the offset of each in the text.

    A sentence ends at ``.``, ``!`` or ``?`` before a capital or a digit (not after an initial
    or a title: "U.S.", "Lt."), and at a line break before a capital or a blank line.

    Returns
    -------
    list of (int, str)
        ``(offset, sentence)``, the sentence stripped of surrounding whitespace.
    """
    pieces: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        head = text[start : match.start()]
        if "\n" not in match.group() and _ABBREVIATION.search(head):
            continue
        pieces.append((start, head))
        start = match.end()
    pieces.append((start, text[start:]))
    out = []
    for offset, piece in pieces:
        stripped = piece.strip()
        if stripped:
            out.append((offset + len(piece) - len(piece.lstrip()), stripped))
    return out


# ---------------------------------------------------------------------------------------------
# figures

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
_DATE_RE = re.compile(rf"\b{_DATE}\b")
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b(?!,\d)")
#: period phrases, most specific first
_PERIOD_RE = re.compile(
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
_CASUALTY_RE = re.compile(rf"\b(?:(?P<killed>{_KILLED})|(?P<injured>{_INJURED}))\b", re.IGNORECASE)
_DISPLACED_RE = re.compile(
    r"\b(?:fled|flee|fleeing|flees|displaced|displacement|evacuated|refugees|homeless|escaped|returned)\b",
    re.IGNORECASE,
)
_CAPTURED_RE = re.compile(
    r"\b(?:captured|capture|arrested|detained|abducted|kidnapped|seized|surrendered|defected|prisoners?|hostages?)\b",
    re.IGNORECASE,
)
#: nouns after a figure that say it counts something other than people
_THINGS = re.compile(
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
_NAME_BEFORE = re.compile(rf"\S\s+(?!(?:{_WEEKDAY}|{_MONTHS})\b)[A-Z][\w'’-]*\s+$")


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


def _figures(sentence: str) -> list[_Figure]:
    found = [_Figure(m.span(), m.group(), m.group()) for m in _FIGURE.finditer(sentence)]
    taken = [f.span() for f in found]
    for match in _SINGULAR_RE.finditer(sentence):
        if not any(start < match.end() and match.start() < end for start, end in taken):
            found.append(_Figure(match.span("article"), match.group(), "1"))
    return sorted(found, key=_Figure.start)


def _casualty_word(words: list[re.Match], figure, sentence: str, window: int):
    """The casualty word of a figure: one after it in the passive ("21 were killed"), else the nearest."""
    for match in words:
        if match.start() >= figure.end() and _PASSIVE_BEFORE.match(sentence[figure.end() : match.start()]):
            return _words_between(sentence, figure.end(), match.start()), match
    return _nearest(words, figure, sentence, window)


_SUBSET_AFTER_RE = re.compile(r"\s+(?:of\s+which|of\s+whom|of\s+them)\b", re.IGNORECASE)
_SUBSET_RE = re.compile(r"(?:\bincluding|\bamong\s+them|\bamong\s+whom|\bof\s+whom|\bof\s+them)\s*$", re.IGNORECASE)
_PROVISIONAL_RE = re.compile(
    r"\b(?:could|may|might|likely\s+to|expected\s+to|is\s+expected\s+to)\s+(?:further\s+)?(?:rise|increase|climb)\b",
    re.IGNORECASE,
)
_TOTAL_RE = re.compile(
    r"\b(?:since|deadliest|war|so\s+far|in\s+total|overall|altogether|cumulative|to\s+date|tally|"
    r"month|months|year|years|toll\s+of)\b",
    re.IGNORECASE,
)
_PLURAL_EVENTS_RE = re.compile(r"\b(?:strikes|raids|attacks|bombings|operations|campaign)\b", re.IGNORECASE)
_MUCH_HIGHER_RE = re.compile(
    r"\b(?P<who>[\w-]+(?:\s+[\w-]+)?)\s+(?:say|says|said|believe|believes)\s+(?:that\s+)?the\s+"
    r"(?:real\s+|true\s+|actual\s+)?(?:number|toll|figure|count)\s+(?:is|was|could\s+be|may\s+be)\s+"
    r"(?:much|far|significantly|considerably)\s+higher\b",
    re.IGNORECASE,
)
#: wounded people without a number ("some of the wounded were in critical condition")
_WOUNDED_RE = re.compile(
    r"\b(?:some|many|several|others|one|most)\s+(?:of\s+the\s+)?(?:wounded|injured)\b|\bthe\s+(?:wounded|injured)\s+(?:were|are|was|is)\b",
    re.IGNORECASE,
)
_AMONG_DEAD_RE = re.compile(
    r"\b(?P<a>women|children|civilians)(?:\s+and\s+(?P<b>women|children|civilians))?\s+(?:were|are)\s+among\s+the\s+"
    r"(?:dead|killed|victims)\b",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------------------------
# perpetrators, sources, places

#: cue words in a sentence -> the perpetrator name the tree resolves
_PERPETRATOR_CUES = (
    (re.compile(r"\b(?:US|U\.S\.|American)[- ]led\s+(?:international\s+)?coalition\b|\bcoalition\b(?!\s+of\b)", re.IGNORECASE), "US-led coalition"),
    (re.compile(r"\bRussian?\b"), "Russia"),
    (re.compile(r"\b(?:regime|government\s+forces|pro-government|Syrian\s+army|Syrian\s+government)\b", re.IGNORECASE), "the regime"),
    (re.compile(r"\b(?:ISIS|ISIL|IS|Daesh|Islamic\s+State)\b"), "ISIS"),
    (re.compile(r"\bTurk(?:ish|ey)\b"), "Turkey"),
    (re.compile(r"\bIsraeli?\b"), "Israel"),
    (re.compile(r"\b(?:SDF|YPG)\b"), "SDF"),
    (re.compile(r"\b(?:HTS|Hayat\s+Tahrir\s+al-Sham|Nusra)\b"), "HTS"),
)
#: a cue right after these words names the target, not the perpetrator
_TARGET_BEFORE = re.compile(r"\b(?:against|on|targeting|targeted|fighting|fight|from|with|to|by\s+fighting)\s+(?:the\s+)?$", re.IGNORECASE)
_SPEECH_VERB = (
    r"(?:has\s+|have\s+|had\s+)?(?:said|says|say|reported|reports|recorded|records|documented|documents|"
    r"given|gave|told|stated|announced|confirmed|counted|estimated|estimates)"
)
_SAID_BY_RE = re.compile(rf"\s{_SPEECH_VERB}\b")
_SUBJECT_CUT = re.compile(r"[,;:\"“”]")
_SAID_AFTER_RE = re.compile(r"\b(?:said|says|told|reported)\s+(?P<subject>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[\w'’.-]+){0,6})")
_ACCORDING_RE = re.compile(r"\baccording\s+to\s+(?P<subject>[^,.;:]{1,80})", re.IGNORECASE)
_ANAPHORA_RE = re.compile(r"^(?:the\s+)?(?:monitor|observatory|group|organi[sz]ation|watchdog|he|she|it|they)$", re.IGNORECASE)
#: adjectives of the places most often named so (used only when no place name is in the text)
_DEMONYMS = {"Syrian": "Syria", "Iraqi": "Iraq", "Turkish": "Turkey", "Lebanese": "Lebanon", "Jordanian": "Jordan"}
_CAPITALISED = re.compile(
    r"(?:[A-Z][\w'’]*(?:-[a-zA-Z][\w'’]*)*|[a-z]{1,3}-[A-Z][\w'’]*(?:-[a-zA-Z][\w'’]*)*)"
    r"(?:\s+(?:[a-z]{1,3}-|Al\s+|of\s+)?(?:[A-Z][\w'’]*|\d+)(?![\w-]))*(?![\w-])"
)
#: when a toll names no period, it runs from the start of its perpetrator's campaign
_CAMPAIGN_STARTS = {"coalition": "since August 8, 2014", "russia": "since September 30, 2015"}
#: ... and a toll of all perpetrators in Syria from the start of the war
_WAR_STARTS = {"SY": "since March 2011"}


@dataclass
class _Context:
    """What earlier sentences said, for words that point back ("the monitor")."""

    source: str | None = None
    monitor: str | None = None
    places: list[tuple[str, str]] = field(default_factory=list)
    incident: dict[str, Any] | None = None
    fallback_place: str | None = None


@functools.lru_cache(maxsize=1 << 16)
def _lookup(vocabulary: str, name: str) -> Any:
    """The package's answer for one name, ``None`` if it has none; remembered (names repeat)."""
    from casualties.names import categories, perpetrators, resolve_source
    from casualties.places import place_tree

    function = {
        "source": resolve_source,
        "place": lambda n: place_tree().get(n),
        "perpetrator": lambda n: perpetrators().get(n),
        "category": lambda n: categories().get(n),
    }[vocabulary]
    return _quiet(function, name)


def _quiet(function, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return function(*args)
        except (CasualtiesError, ValueError):
            return None


def _resolve_source(phrase: str) -> tuple[str, str] | None:

    words = phrase.strip(" \"'“”").split()
    for i in range(len(words)):  # longest suffix first: "...tried to escape Raqqa, SOHR" -> "SOHR"
        candidate = " ".join(words[i:])
        found = _lookup("source", candidate)
        if found:
            return found
    return None


def _sources(sentence: str, context: _Context) -> list[tuple[int, str]]:
    """(offset, source name) of every attribution in the sentence."""
    subjects = []
    for verb in _SAID_BY_RE.finditer(sentence):  # the words before the verb, back to a comma or a quote
        start = max(0, verb.start() - 80)
        for cut in _SUBJECT_CUT.finditer(sentence, start, verb.start()):
            start = cut.end()
        subject = re.split(r"\b(?:as|and|but|while|that|because|after|when)\b", sentence[start : verb.start()])[-1]
        if subject.strip():
            subjects.append((start, subject.strip()))
    for pattern in (_SAID_AFTER_RE, _ACCORDING_RE):
        subjects.extend((m.start("subject"), m.group("subject").strip()) for m in pattern.finditer(sentence))
    out = []
    for offset, subject in subjects:
        found = _resolve_source(subject)
        if found:
            out.append((offset, found[0]))
        elif _ANAPHORA_RE.match(subject):
            name = context.monitor if re.search(r"monitor|observatory", subject, re.IGNORECASE) else context.source
            if name:
                out.append((offset, name))
    return out


def _places(sentence: str) -> list[tuple[int, str, str]]:
    """(offset, words, place id) of the place names in the sentence; "A and B" joined."""
    found: list[tuple[int, int, str, str]] = []
    for run in _CAPITALISED.finditer(sentence):
        words = list(re.finditer(r"\S+", run.group()))
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                start = run.start() + words[i].start()
                end = run.start() + words[j - 1].end()
                name = sentence[start:end]
                place = _lookup("place", name)
                if place is None:
                    continue
                following = re.match(r"\s+([\w-]+)", sentence[end:])
                longer = name + " " + following.group(1) if following else None
                if longer and (_lookup("source", longer) or _lookup("perpetrator", longer)):
                    continue  # "US military", "Turkish army": a source or a perpetrator, not a place
                found.append((start, end, name, place))
                i = j - 1
                break
            i += 1
    joined: list[tuple[int, str, str]] = []
    k = 0
    while k < len(found):
        start, end, name, place = found[k]
        while k + 1 < len(found) and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", sentence[end : found[k + 1][0]]):
            k += 1
            end, place = found[k][1], place + "|" + found[k][3]
            name = sentence[start:end]
        joined.append((start, name, place))
        k += 1
    return joined


def _demonym_place(sentence: str) -> tuple[int, str, str] | None:
    for match in re.finditer(r"\b(" + "|".join(_DEMONYMS) + r")\s+([\w-]+)", sentence):
        longer = match.group()
        if _lookup("source", longer) or _lookup("perpetrator", longer) or re.search(r"\b(?:Observatory|Democratic|Network)\b", sentence[match.start() : match.end() + 30]):
            continue
        place = _lookup("place", _DEMONYMS[match.group(1)])
        if place:
            return match.start(), _DEMONYMS[match.group(1)], place
    return None


def _perpetrator(sentence: str, position: int) -> str | None:
    from casualties.names import perpetrators

    tree = perpetrators()
    best: tuple[int, str] | None = None
    for pattern, name in _PERPETRATOR_CUES:
        for match in pattern.finditer(sentence):
            if _TARGET_BEFORE.search(sentence[: match.start()]):
                continue
            distance = abs(match.start() - position)
            if best is None or distance < best[0]:
                best = (distance, name)
    return None if best is None else _quiet(tree.resolve, best[1])


def _periods(sentence: str, reported_on) -> list[tuple[int, str]]:
    from casualties.vocab import parse_period

    out = []
    for match in _PERIOD_RE.finditer(sentence):
        words = match.group()
        if match.group("overnight"):
            words = "in the past 24 hours"  # the night before the report: that day and the report's
        elif match.group("weekday"):
            words = match.group("weekday")
        elif match.group("date") or match.group("month") or match.group("year"):
            words = match.group("date") or match.group("month") or match.group("year")
            before = sentence[: match.start()]
            if re.match(r"since\b", match.group(), re.IGNORECASE) or re.search(
                r"\b(?:since|began|begun|started|start\s+of|beginning\s+of)\b", before, re.IGNORECASE
            ):
                words = "since " + words
        if _quiet(lambda w: parse_period(w, reported_on=reported_on), words) is None:
            continue
        out.append((match.start(), words))
    return out


def _spans(pattern: re.Pattern, sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(sentence)]


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _words_between(sentence: str, a: int, b: int) -> int:
    return len(re.findall(r"\S+", sentence[min(a, b) : max(a, b)]))


def _nearest(matches: list[re.Match], figure: re.Match, sentence: str, window: int) -> tuple[int, re.Match] | None:
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


def _category(sentence: str, figure: re.Match) -> str:
    after = re.findall(r"[A-Za-z'-]+", sentence[figure.end() : figure.end() + 60])[:5]
    for word in after:
        if word.lower() in {"of", "the", "them", "whom"}:
            continue
        found = _lookup("category", word)
        if found and word.lower() not in {"dead", "deaths", "victims"}:
            return found
    window = sentence[max(0, figure.start() - 60) : figure.end() + 60]
    for word in re.findall(r"[A-Za-z'-]+", window):
        found = _lookup("category", word)
        if found and found != "all" and word.lower() not in {"dead", "deaths", "victims"}:
            return found
    return "all"


def _kind(sentence: str, period_words: str | None, reported_on) -> str:
    from casualties.vocab import parse_period

    if _TOTAL_RE.search(sentence):
        return "total"
    if period_words:
        period = _quiet(lambda w: parse_period(w, reported_on=reported_on), period_words)
        if period is not None and period.start != period.end:
            return "total"
    if _PLURAL_EVENTS_RE.search(sentence) and re.search(r"\b(?:have|has|had)\s+(?:[\w\"“”']+\s+)?killed\b", sentence):
        return "total"
    return "incident"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "text"


def _date(value) -> str:
    return str(pd.Timestamp(value).date())


# ---------------------------------------------------------------------------------------------


def extract_claims(
    text: str,
    *,
    reported_on: Any,
    source: str | None = None,
    url: str | None = None,
    place: str | None = None,
    errors: Literal["collect", "ignore"] = "collect",
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read the casualty figures of a news text as claims, by rules.

    Parameters
    ----------
    text : str
        The article (or note), as plain text.
    reported_on : date-like
        The day it was published: relative periods ("on Monday") are read against it, and every
        claim is dated to it.
    source : str, optional
        Who publishes the text: the source of the figures that the text attributes to no one.
    url : str, optional
        Kept in every claim's ``url``.
    place : str, optional
        The place of the figures the text places nowhere the place tree knows (a note on a
        village the tree lacks, in a country known beforehand): a name or id of the tree.
    errors : {"collect", "ignore"}
        ``"collect"``: also return the figures seen but not turned into claims. ``"ignore"``:
        return the claims only.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
        The claims frame (one claim per casualty figure, ``quote`` the sentence verbatim,
        ``certainty`` unassessed), and with ``errors="collect"`` the skipped figures:
        ``figure, reason, detail, quote`` (``reason`` a :class:`Skip` value).

    Examples
    --------
    >>> claims = extract_claims("An air strike killed 21 civilians in Raqqa on Monday, SOHR said.",
    ...                         reported_on="2017-06-06", errors="ignore")
    >>> claims[["source", "place", "category", "low", "start"]].to_dict("records")
    [{'source': 'SOHR', 'place': 'raqqa', 'category': 'civilian', 'low': 21.0, 'start': Timestamp('2017-06-05 00:00:00')}]
    """
    from casualties.schema import claims_from_records, empty_claims

    if errors not in ("collect", "ignore"):
        raise OptionError("errors", errors, ("collect", "ignore"))
    records, skipped = extract_records(text, reported_on=reported_on, source=source, url=url, place=place)
    claims, failures = claims_from_records(records, errors="collect") if records else (empty_claims(), None)
    if failures is not None:
        for row in failures.itertuples():
            failed = records[row.row]
            skipped.append(
                {
                    "figure": str(failed.get("count")),
                    "reason": Skip.INVALID_CLAIM.value,
                    "detail": f"{row.column}: {row.reason} ({row.detail})",
                    "quote": failed["quote"],
                }
            )
    if errors == "ignore":
        return claims
    return claims, pd.DataFrame(skipped, columns=list(SKIPPED_COLUMNS)).astype("string")


def extract_records(
    text: str, *, reported_on: Any, source: str | None = None, url: str | None = None, place: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The records :func:`extract_claims` builds, before :func:`~casualties.schema.claims_from_records`.

    For many texts at once: build the records of each, make their ``claim_id`` and
    ``incident_id`` unique across texts, and pass them all to ``claims_from_records`` in one
    call (it is most of the time taken).

    Returns
    -------
    (list of dict, list of dict)
        The records (columns of the claims frame, with ``period`` and ``count`` in words) and the
        skipped figures (``figure, reason, detail, quote``).
    """
    from casualties.vocab import parse_count

    reported = _date(reported_on)
    prefix = f"{_slug(source or 'extract')}-{reported}"
    context = _Context(fallback_place=place)
    records: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []

    def skip(figure: str, reason: Skip, detail: str, quote: str) -> None:
        skipped.append({"figure": figure, "reason": reason.value, "detail": detail, "quote": quote})

    def add(record: dict[str, Any]) -> dict[str, Any]:
        record["claim_id"] = f"{prefix}-{len(records) + 1}"
        if not record.get("incident_id"):
            record["incident_id"] = record["claim_id"]
        records.append(record)
        return record

    for _, sentence in split_sentences(text):
        sources = _sources(sentence, context)
        places = _places(sentence)
        periods = _periods(sentence, reported)
        dates = _spans(_DATE_RE, sentence)
        casualty_words = list(_CASUALTY_RE.finditer(sentence))
        previous: dict[str, Any] | None = None
        figures = _figures(sentence)
        headline = not re.search(r"[.!?][\"'”’)]*$", sentence)
        for figure in figures:
            words = figure.group()
            if headline:
                skip(words, Skip.HEADLINE, "a line without a full stop", sentence)
                continue
            if _inside(figure.span(), dates):
                skip(words, Skip.DATE, "part of a date", sentence)
                continue
            if _YEAR_RE.fullmatch(words.strip()):
                skip(words, Skip.YEAR, "a year", sentence)
                continue
            if words[:1].isdigit() and (
                re.search(r"[\w-]$", sentence[: figure.start()]) or _NAME_BEFORE.search(sentence[: figure.start()])
            ):
                skip(words, Skip.NOT_PEOPLE, "part of a name or word (Division 17)", sentence)
                continue
            thing = _THINGS.match(sentence[figure.end() :].lstrip()) if sentence[figure.end() : figure.end() + 1] in (" ", "%", "") else None
            if thing and (sentence[figure.end() :].startswith("%") or not re.match(r"\s*(?:old|year-old)", sentence[figure.end() :])):
                skip(words, Skip.NOT_PEOPLE, f"{thing.group()!r} after the figure", sentence)
                continue
            try:
                count = parse_count(figure.count)
            except (CasualtiesError, ValueError) as error:
                skip(words, Skip.NOT_PEOPLE, str(error), sentence)
                continue
            near = _casualty_word(casualty_words, figure, sentence, 7)
            for pattern, reason in ((_DISPLACED_RE, Skip.DISPLACED), (_CAPTURED_RE, Skip.CAPTURED)):
                blocker = _nearest(list(pattern.finditer(sentence)), figure, sentence, 5)
                if blocker and (near is None or blocker[0] < near[0]):
                    skip(words, reason, f"{blocker[1].group()!r} near the figure", sentence)
                    break
            else:
                if near is None:
                    skip(words, Skip.NO_CASUALTY_WORD, "no killed, dead or injured word near the figure", sentence)
                    continue
                outcome = "killed" if near[1].group("killed") else "injured"
                category = _category(sentence, figure)
                subset = _SUBSET_RE.search(sentence[: figure.start()]) or _SUBSET_AFTER_RE.match(sentence[figure.end() :])
                if subset and previous is not None:
                    record = dict(previous, category=category, count=figure.count, note=f"{subset.group().strip()!r} the claim before")
                    record.pop("claim_id")
                    add(record)
                    continue
                record = _claim(
                    sentence, figure, figure.count, count, outcome, category, sources, places, periods, context, reported, source, url
                )
                if isinstance(record, tuple):
                    skip(words, *record, sentence)
                    continue
                previous = add(record)
                if record["kind"] == "incident":
                    context.incident = record
                higher = _MUCH_HIGHER_RE.search(sentence, figure.end())
                if higher and count.high != float("inf"):
                    who = _resolve_source(higher.group("who"))
                    add(
                        dict(
                            record,
                            source=who[0] if who else higher.group("who"),
                            count=None,
                            low=count.high + 1,
                            best=count.high + 1,
                            high=float("inf"),
                            qualifier="much-higher",
                            provisional=True,
                            quote=sentence[higher.start() :],
                            incident_id=None,
                            note=f"says the {words} is much higher",
                        )
                    )
        if not figures or previous is None:
            _sentence_without_figure(sentence, context, records, add)
        for _, name in sources:
            context.source = name
            found = _lookup("source", name)
            if found and found[1] == "monitor":
                context.monitor = name
        context.places.extend((name, place) for _, name, place in places)

    # provisional wording reaches every claim of the incident
    provisional = {r["incident_id"] for r in records if r.get("provisional_incident")}
    for record in records:
        record.pop("provisional_incident", None)
        if (
            record["incident_id"] in provisional
            and record["outcome"] == "killed"
            and record.get("count") is not None
            and "could rise" not in str(record["count"])
        ):
            record["count"] = f"{record['count']}, could rise"
    return records, skipped


def _claim(sentence, figure, words, count, outcome, category, sources, places, periods, context, reported, source, url):
    """The record of one figure, or ``(Skip, detail)``."""
    position = figure.start()

    def nearest(items):
        return min(items, key=lambda item: abs(item[0] - position)) if items else None

    preceding = [item for item in sources if item[0] <= position]
    said = max(preceding, key=lambda item: item[0]) if preceding else nearest(sources)
    who = said[1] if said else source
    if who is None:
        return Skip.NO_SOURCE, "the text names no source and source= was not given"
    place = nearest(places)
    place_id = place[2] if place else None
    if place is None:
        demonym = _demonym_place(sentence)
        place_id = demonym[2] if demonym else (context.places[-1][1] if context.places else context.fallback_place)
    if place_id is None:
        return Skip.NO_PLACE, "no place name in the text and place= was not given"
    period = nearest(periods)
    period_words = period[1] if period else None
    kind = _kind(sentence, period_words, reported)
    perpetrator = _perpetrator(sentence, position) or ("all" if kind == "total" else "unknown")
    note = None
    if period_words is None:
        if kind == "incident":
            period_words, note = reported, "no date in the text: dated to the report"
        elif perpetrator in _CAMPAIGN_STARTS:
            period_words, note = _CAMPAIGN_STARTS[perpetrator], "no period in the text: from the start of the perpetrator's campaign"
        elif perpetrator == "all" and place_id in _WAR_STARTS:
            period_words, note = _WAR_STARTS[place_id], "no period in the text: from the start of the war"
        else:
            return Skip.NO_PERIOD, "a toll with no period in the text"
    count_words = words
    provisional = bool(_PROVISIONAL_RE.search(sentence))
    if provisional:
        count_words = f"{words}, could rise"
    return {
        "source": who,
        "reported_on": reported,
        "period": period_words,
        "place": place_id,
        "category": category,
        "perpetrator": perpetrator,
        "outcome": outcome,
        "kind": kind,
        "count": count_words,
        "quote": sentence,
        "url": url,
        "note": note,
    }


def _sentence_without_figure(sentence, context, records, add) -> None:
    """Sentences that add to the last incident without a figure of their own."""
    incident = context.incident
    if incident is None:
        return
    among = _AMONG_DEAD_RE.search(sentence)
    if among and not any(r["quote"] == sentence for r in records):
        for word in filter(None, (among.group("a"), among.group("b"))):
            record = dict(incident, category=word.lower(), count="at least 1", quote=sentence, note=f"{word} among the dead: at least one")
            record.pop("claim_id")
            add(record)
    wounded = _WOUNDED_RE.search(sentence)
    if wounded and not any(r["quote"] == sentence and r["outcome"] == "injured" for r in records):
        record = dict(incident, outcome="injured", count="at least 1", quote=sentence, note="wounded without a number: at least one")
        record.pop("claim_id")
        record.pop("provisional_incident", None)
        add(record)
    if re.search(r"\btoll\b", sentence, re.IGNORECASE) and _PROVISIONAL_RE.search(sentence):
        incident["provisional_incident"] = True
