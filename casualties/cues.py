"""Cues of a sentence: what it says about a figure besides the count.

Who says it (:func:`find_sources`, with "the monitor" pointing back to the last monitor
named), where (:func:`find_places`, :func:`find_demonym_place`), when
(:func:`find_periods`), who did it (:func:`find_perpetrator`), who died
(:func:`find_category`) and whether it is one event or a toll (:func:`find_kind`). Names are
looked up in the package's vocabularies (the source list, the place, perpetrator and category
trees) by :func:`lookup`; what earlier sentences said is kept in a :class:`Context`.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from casualties.errors import CasualtiesError
from casualties.figures import PERIOD_RE

__all__ = [
    "Context",
    "find_category",
    "find_demonym_place",
    "find_kind",
    "find_periods",
    "find_perpetrator",
    "find_places",
    "find_sources",
    "lookup",
    "resolve_source_phrase",
]

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
#: words of a toll rather than one event (:func:`find_kind`)
_TOTAL_RE = re.compile(
    r"\b(?:since|deadliest|war|so\s+far|in\s+total|overall|altogether|cumulative|to\s+date|tally|"
    r"month|months|year|years|toll\s+of)\b",
    re.IGNORECASE,
)
_PLURAL_EVENTS_RE = re.compile(r"\b(?:strikes|raids|attacks|bombings|operations|campaign)\b", re.IGNORECASE)


@dataclass
class Context:
    """What earlier sentences of a text said, for words that point back ("the monitor").

    Attributes
    ----------
    source : str or None
        The last source named.
    monitor : str or None
        The last source named that is a monitor ("the Observatory").
    places : list of (str, str)
        ``(words, place id)`` of the places named so far, in order.
    incident : dict or None
        The record of the last incident claim, which later sentences may add to.
    fallback_place : str or None
        The place of figures the text places nowhere (``place=`` of
        :func:`~casualties.extract.extract_claims`).
    """

    source: str | None = None
    monitor: str | None = None
    places: list[tuple[str, str]] = field(default_factory=list)
    incident: dict[str, Any] | None = None
    fallback_place: str | None = None


@functools.lru_cache(maxsize=1 << 16)
def lookup(vocabulary: str, name: str) -> Any:
    """The package's answer for one name, ``None`` if it has none; remembered (names repeat).

    Parameters
    ----------
    vocabulary : {"source", "place", "perpetrator", "category"}
        Where to look: :func:`~casualties.names.resolve_source`, the place tree, the
        perpetrator tree or the category tree.
    name : str
        The words to look up.

    Returns
    -------
    object or None
        For ``"source"`` the ``(canonical name, type)`` of the source, else the id in the tree; ``None``
        if the name is unknown (no warning is shown).
    """
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


def resolve_source_phrase(phrase: str) -> tuple[str, str] | None:
    """The source a phrase ends with: its longest final run of words that names a known source.

    Parameters
    ----------
    phrase : str
        The words before or after a verb of speech ("...tried to escape Raqqa, SOHR").

    Returns
    -------
    (str, str) or None
        ``(canonical name, type)`` of the source (:func:`~casualties.names.resolve_source`),
        ``None`` if the phrase ends with no known source.
    """
    words = phrase.strip(" \"'“”").split()
    for i in range(len(words)):  # longest suffix first: "...tried to escape Raqqa, SOHR" -> "SOHR"
        candidate = " ".join(words[i:])
        found = lookup("source", candidate)
        if found:
            return found
    return None


def find_sources(sentence: str, context: Context) -> list[tuple[int, str]]:
    """(offset, source name) of every attribution in the sentence.

    An attribution is the subject of a verb of speech ("SOHR said", "the Observatory has
    recorded"), the words after one ("said the Syrian Observatory") or after "according to". A
    subject that points back ("the monitor", "it") is the last monitor or source of ``context``.

    Parameters
    ----------
    sentence : str
        One sentence.
    context : Context
        What earlier sentences said (read, not changed).

    Returns
    -------
    list of (int, str)
        ``(offset of the subject, canonical source name)``: subjects before a verb of speech
        first, then those after one, then those after "according to".
    """
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
        found = resolve_source_phrase(subject)
        if found:
            out.append((offset, found[0]))
        elif _ANAPHORA_RE.match(subject):
            name = context.monitor if re.search(r"monitor|observatory", subject, re.IGNORECASE) else context.source
            if name:
                out.append((offset, name))
    return out


def find_places(sentence: str) -> list[tuple[int, str, str]]:
    """(offset, words, place id) of the place names in the sentence; "A and B" joined.

    Runs of capitalised words are matched against the place tree, longest first; a name that
    the next word makes a source or a perpetrator ("US military", "Turkish army") is not a place.

    Parameters
    ----------
    sentence : str
        One sentence.

    Returns
    -------
    list of (int, str, str)
        ``(offset, words, place id)``; places joined by "and" or a comma come as one, their ids
        joined by ``|``.
    """
    found: list[tuple[int, int, str, str]] = []
    for run in _CAPITALISED.finditer(sentence):
        words = list(re.finditer(r"\S+", run.group()))
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                start = run.start() + words[i].start()
                end = run.start() + words[j - 1].end()
                name = sentence[start:end]
                place = lookup("place", name)
                if place is None:
                    continue
                following = re.match(r"\s+([\w-]+)", sentence[end:])
                longer = name + " " + following.group(1) if following else None
                if longer and (lookup("source", longer) or lookup("perpetrator", longer)):
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


def find_demonym_place(sentence: str) -> tuple[int, str, str] | None:
    """The country a sentence names by its adjective ("Syrian civilians"), for want of a place name.

    Adjectives that are part of a source's or perpetrator's name ("Syrian Observatory", "Turkish
    army", "Syrian Democratic Forces") are passed over.

    Parameters
    ----------
    sentence : str
        One sentence.

    Returns
    -------
    (int, str, str) or None
        ``(offset, country name, place id)`` of the first such adjective, ``None`` if none.
    """
    for match in re.finditer(r"\b(" + "|".join(_DEMONYMS) + r")\s+([\w-]+)", sentence):
        longer = match.group()
        if lookup("source", longer) or lookup("perpetrator", longer) or re.search(r"\b(?:Observatory|Democratic|Network)\b", sentence[match.start() : match.end() + 30]):
            continue
        place = lookup("place", _DEMONYMS[match.group(1)])
        if place:
            return match.start(), _DEMONYMS[match.group(1)], place
    return None


def find_perpetrator(sentence: str, position: int) -> str | None:
    """The perpetrator a sentence names nearest a figure ("a Russian air strike").

    A name right after "against", "on", "targeting" and the like names the target and is passed
    over.

    Parameters
    ----------
    sentence : str
        One sentence.
    position : int
        Where the figure starts in ``sentence`` [characters].

    Returns
    -------
    str or None
        The perpetrator's id in :func:`~casualties.names.perpetrators`, ``None`` if the
        sentence names none.
    """
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


def find_periods(sentence: str, reported_on) -> list[tuple[int, str]]:
    """The period phrases of a sentence, as words :func:`~casualties.vocab.parse_period` reads.

    A date, month or year with "since", "began" or "start of" before it becomes "since <date>";
    "overnight" becomes "in the past 24 hours". Phrases that do not parse against ``reported_on`` are left out.

    Parameters
    ----------
    sentence : str
        One sentence.
    reported_on : date-like
        The day the text was published: relative periods ("on Monday") are read against it.

    Returns
    -------
    list of (int, str)
        ``(offset, period words)``, in order.
    """
    from casualties.vocab import parse_period

    out = []
    for match in PERIOD_RE.finditer(sentence):
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


def find_category(sentence: str, figure: re.Match) -> str:
    """Who a figure counts ("civilians", "children", "fighters"): a category id.

    The first category word among the five words after the figure (within 60 characters), else
    any category but "all" within 60 characters either side; "dead", "deaths" and "victims" say nothing of who.

    Parameters
    ----------
    sentence : str
        One sentence.
    figure : re.Match or figure
        The figure (:func:`~casualties.figures.find_figures`).

    Returns
    -------
    str
        The id in :func:`~casualties.names.categories`, ``"all"`` if the sentence says nothing.
    """
    after = re.findall(r"[A-Za-z'-]+", sentence[figure.end() : figure.end() + 60])[:5]
    for word in after:
        if word.lower() in {"of", "the", "them", "whom"}:
            continue
        found = lookup("category", word)
        if found and word.lower() not in {"dead", "deaths", "victims"}:
            return found
    window = sentence[max(0, figure.start() - 60) : figure.end() + 60]
    for word in re.findall(r"[A-Za-z'-]+", window):
        found = lookup("category", word)
        if found and found != "all" and word.lower() not in {"dead", "deaths", "victims"}:
            return found
    return "all"


def find_kind(sentence: str, period_words: str | None, reported_on) -> str:
    """Whether a figure is of one event or a toll over a period.

    A toll: the sentence has words of one ("since", "so far", "deadliest", "months"), its period
    spans more than a day, or it says strikes or attacks "have killed".

    Parameters
    ----------
    sentence : str
        One sentence.
    period_words : str or None
        The figure's period, in words (:func:`find_periods`).
    reported_on : date-like
        The day the text was published.

    Returns
    -------
    {"incident", "total"}
        The claim's ``kind``.
    """
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

