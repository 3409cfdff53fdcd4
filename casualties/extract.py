"""Claims from news text, by rules: one claim per casualty figure.

:func:`extract_claims` splits a text into sentences (:mod:`casualties.sentences`), finds the
number phrases in each (:mod:`casualties.figures`; :func:`~casualties.vocab.parse_count` reads
them), keeps those that a casualty word stands near, and reads the rest of the claim from the
sentence (:mod:`casualties.cues`): the outcome, the category, the period
(:func:`~casualties.vocab.parse_period` against the report date), the place (the place tree's
names), the perpetrator, the source that says it and whether it is one event or a toll. This
module decides which figures become claims, assembles their records and the table of those
skipped. The records go through :func:`~casualties.schema.claims_from_records`, so the result
is a valid claims frame. No model is used; the rules and what they were measured on are in
``docs/extraction.md``.
"""

from __future__ import annotations

import enum
import re
from typing import Any, Literal

import pandas as pd

from casualties.cues import (
    Context,
    find_category,
    find_demonym_place,
    find_kind,
    find_periods,
    find_perpetrator,
    find_places,
    find_sources,
    lookup,
    resolve_source_phrase,
)
from casualties.errors import CasualtiesError, OptionError
from casualties.figures import (
    CAPTURED_RE,
    CASUALTY_RE,
    DATE_RE,
    DISPLACED_RE,
    NAME_BEFORE,
    THINGS,
    YEAR_RE,
    find_casualty_word,
    find_figures,
    inside,
    nearest_match,
    spans,
)
from casualties.sentences import split_sentences

__all__ = ["SKIPPED_COLUMNS", "Skip", "extract_claims", "extract_records"]


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
# the words that bind a figure to the claims around it

_SUBSET_AFTER_RE = re.compile(r"\s+(?:of\s+which|of\s+whom|of\s+them)\b", re.IGNORECASE)
_SUBSET_RE = re.compile(r"(?:\bincluding|\bamong\s+them|\bamong\s+whom|\bof\s+whom|\bof\s+them)\s*$", re.IGNORECASE)
_PROVISIONAL_RE = re.compile(
    r"\b(?:could|may|might|likely\s+to|expected\s+to|is\s+expected\s+to)\s+(?:further\s+)?(?:rise|increase|climb)\b",
    re.IGNORECASE,
)
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
#: when a toll names no period, it runs from the start of its perpetrator's campaign
_CAMPAIGN_STARTS = {"coalition": "since August 8, 2014", "russia": "since September 30, 2015"}
#: ... and a toll of all perpetrators in Syria from the start of the war
_WAR_STARTS = {"SY": "since March 2011"}

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
    from casualties.cells import shown

    # text that cannot be written (a lone surrogate in the article) is escaped, as in every failure table
    table = pd.DataFrame([{name: shown(value) for name, value in row.items()} for row in skipped], columns=list(SKIPPED_COLUMNS))
    return claims, table.astype("string")


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
    context = Context(fallback_place=place)
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
        sources = find_sources(sentence, context)
        places = find_places(sentence)
        periods = find_periods(sentence, reported)
        dates = spans(DATE_RE, sentence)
        casualty_words = list(CASUALTY_RE.finditer(sentence))
        previous: dict[str, Any] | None = None
        figures = find_figures(sentence)
        headline = not re.search(r"[.!?][\"'”’)]*$", sentence)
        for figure in figures:
            words = figure.group()
            if headline:
                skip(words, Skip.HEADLINE, "a line without a full stop", sentence)
                continue
            if inside(figure.span(), dates):
                skip(words, Skip.DATE, "part of a date", sentence)
                continue
            if YEAR_RE.fullmatch(words.strip()):
                skip(words, Skip.YEAR, "a year", sentence)
                continue
            if words[:1].isdigit() and (
                re.search(r"[\w-]$", sentence[: figure.start()]) or NAME_BEFORE.search(sentence[: figure.start()])
            ):
                skip(words, Skip.NOT_PEOPLE, "part of a name or word (Division 17)", sentence)
                continue
            thing = THINGS.match(sentence[figure.end() :].lstrip()) if sentence[figure.end() : figure.end() + 1] in (" ", "%", "") else None
            if thing and (sentence[figure.end() :].startswith("%") or not re.match(r"\s*(?:old|year-old)", sentence[figure.end() :])):
                skip(words, Skip.NOT_PEOPLE, f"{thing.group()!r} after the figure", sentence)
                continue
            try:
                count = parse_count(figure.count)
            except (CasualtiesError, ValueError) as error:
                skip(words, Skip.NOT_PEOPLE, str(error), sentence)
                continue
            near = find_casualty_word(casualty_words, figure, sentence, 7)
            for pattern, reason in ((DISPLACED_RE, Skip.DISPLACED), (CAPTURED_RE, Skip.CAPTURED)):
                blocker = nearest_match(list(pattern.finditer(sentence)), figure, sentence, 5)
                if blocker and (near is None or blocker[0] < near[0]):
                    skip(words, reason, f"{blocker[1].group()!r} near the figure", sentence)
                    break
            else:
                if near is None:
                    skip(words, Skip.NO_CASUALTY_WORD, "no killed, dead or injured word near the figure", sentence)
                    continue
                outcome = "killed" if near[1].group("killed") else "injured"
                category = find_category(sentence, figure)
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
                    who = resolve_source_phrase(higher.group("who"))
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
            found = lookup("source", name)
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
        demonym = find_demonym_place(sentence)
        place_id = demonym[2] if demonym else (context.places[-1][1] if context.places else context.fallback_place)
    if place_id is None:
        return Skip.NO_PLACE, "no place name in the text and place= was not given"
    period = nearest(periods)
    period_words = period[1] if period else None
    kind = find_kind(sentence, period_words, reported)
    perpetrator = find_perpetrator(sentence, position) or ("all" if kind == "total" else "unknown")
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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "text"


def _date(value) -> str:
    return str(pd.Timestamp(value).date())
