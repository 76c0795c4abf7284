"""Quantities: the numbers a claim rests on, parsed with their offsets.

Percentages and percentage ranges ("60 to 75 percent", "70%–80%"), shares ("3 in 4",
"two-thirds", stored as percentages), ratios of two quantities ("2:1 versus placebo",
"two to one", stored as a multiple with unit ``"times"``), durations ("within 40 minutes", "up to 16 weeks", "days to
weeks") and counts ("six infusions"). Money is parsed by ``prices`` and converted
here, so there is one money parser in the project. Shares are stored as percentages
so that every rate compares with the evidence on one scale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from ..records import Price, Quantity
from ..signals.prices import find_prices
from ..text.literals import fold, prefiltered_finditer

_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _spelled_cardinals() -> dict[str, int]:
    """One to a hundred in words, compounds both hyphenated and spaced ("seventy-five", "seventy five")."""
    words = {word: i for i, word in enumerate(_UNITS, 1)} | {word: i for i, word in enumerate(_TEENS, 10)}
    for tens, ten_word in enumerate(_TENS, 2):
        words[ten_word] = 10 * tens
        for unit, unit_word in enumerate(_UNITS, 1):
            words[f"{ten_word}-{unit_word}"] = words[f"{ten_word} {unit_word}"] = 10 * tens + unit
    return words | {"one hundred": 100, "a hundred": 100}


CARDINAL_WORDS = _spelled_cardinals()
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    **CARDINAL_WORDS,
    "a few": 2,
    "few": 2,
    "several": 3,
    "a couple of": 2,
}
VAGUE_NUMBER_WORDS = frozenset({"a", "an", "a few", "few", "several", "a couple of"})
FRACTION_WORDS = {
    "half": 50.0,
    "one-half": 50.0,
    "one half": 50.0,
    "a third": 100 / 3,
    "one-third": 100 / 3,
    "one third": 100 / 3,
    "two-thirds": 200 / 3,
    "two thirds": 200 / 3,
    "a quarter": 25.0,
    "one-quarter": 25.0,
    "one quarter": 25.0,
    "three-quarters": 75.0,
    "three quarters": 75.0,
    "nine out of ten": 90.0,
}
TIME_UNITS = {
    "second": "seconds",
    "sec": "seconds",
    "minute": "minutes",
    "min": "minutes",
    "hour": "hours",
    "hr": "hours",
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
}
HOURS_PER_UNIT = {
    "seconds": 1 / 3600,
    "minutes": 1 / 60,
    "hours": 1.0,
    "days": 24.0,
    "weeks": 168.0,
    "months": 730.0,
    "years": 8760.0,
}
ONSET_QUALIFIERS = (
    "in as little as", "as little as", "as soon as", "as quickly as", "as fast as", "within", "in", "after",
    "under", "less than",
)  # fmt: skip
DURABILITY_QUALIFIERS = (
    "for up to",
    "up to",
    "lasting",
    "lasts",
    "last",
    "for",
    "over",
    "more than",
    "at least",
)
DURATION_QUALIFIERS = (*ONSET_QUALIFIERS, *DURABILITY_QUALIFIERS, "about", "around")
COUNT_NOUNS = (
    "patients?|people|clients?|adults?|infusions?|treatments?|sessions?|doses?|studies|trials?|"
    "participants?|veterans?|years? of experience"
)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CARDINAL = rf"(?:one|a) hundred|(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS)}))?|{'|'.join(_TEENS)}|{'|'.join(_UNITS)}"
"""The words of ``CARDINAL_WORDS`` as one structured expression (a flat list of every compound is slow to match)."""
_VAGUE = "|".join(sorted((re.escape(w) for w in VAGUE_NUMBER_WORDS), key=len, reverse=True))
_WORD_NUM = f"{_CARDINAL}|{_VAGUE}"
_RATE = rf"{_NUM}|{_CARDINAL}"
_AMOUNT = rf"(?:{_NUM}|{_WORD_NUM})"
_DASH = r"\s*(?:-|–|—|to|and)\s*"
_PCT = r"(?:\s*|-)(?:%|percent\b|per cent\b|percentage\b(?= of\b))"  # "75%", "75 percent", "a 75-percent chance", spun "75 percentage of"
_TIME = (
    r"(?P<unit>seconds|second(?!\s+(?!(?:or|and|to|later|after|before|ago)\b)[a-z])|secs?|minutes?|mins?|hours?|hrs?"
    r"|days?|weeks?|months?|years?(?!-olds?\b))\b"
)
"""A span of time; not an ordinal ("a second psychiatrist", "a second opinion") nor an age ("17-year-olds")."""
_TIME_LOW = r"(?P<lowunit>seconds?|minutes?|hours?|days?|weeks?|months?)\b"
_SPAN_FROM = (
    r"(?:(?:anywhere|somewhere)\s+)?(?:(?:from|between)\s+)?"
    r"(?:an?\s+(?:median|mean|average)\s+of\s+(?:(?:about|around|roughly|approximately|nearly)\s+)?)?"
)
"""Between a qualifier and its span: "lasts anywhere from six months to a year", "for a median of about 18 days"."""
_QUALIFIER = "|".join(re.escape(q) for q in sorted(DURATION_QUALIFIERS, key=len, reverse=True))

PERCENT_RANGE = re.compile(rf"\b(?P<low>{_RATE})(?:{_PCT})?{_DASH}(?P<high>{_RATE}){_PCT}", re.I)
PERCENT = re.compile(rf"\b(?P<value>{_RATE}){_PCT}", re.I)
RATIO = re.compile(rf"\b(?P<num>{_NUM}|{_WORD_NUM})\s+(?:in|out of|of)\s+(?P<den>{_NUM}|{_WORD_NUM})\b", re.I)
FRACTION = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(f) for f in FRACTION_WORDS), key=len, reverse=True)) + r")\b",
    re.I,
)
MAJORITY = re.compile(
    r"\b(?:most|the (?:vast |great )?majority)(?:\s+of)?\s+(?:(?:our|the|these|those|their|its)\s+)?"
    r"(?:patients|participants|people|clients|users|veterans|adults|responders|subjects|members|guests)\b",
    re.I,
)
"""A share of people told in words: "most patients", "the majority of participants"."""
MAJORITY_SHARE = 51.0
"""What "most" says at the least: more than half."""
UNIT_RANGE = re.compile(
    rf"\b(?:(?P<qual>{_QUALIFIER})\s+{_SPAN_FROM})?(?:several\s+|many\s+|a few\s+|(?P<lowcount>{_AMOUNT})\s+)?{_TIME_LOW}\s+(?:to|or)\s+(?:several\s+|many\s+|a few\s+)?{_TIME}",
    re.I,
)
DURATION = re.compile(
    rf"\b(?:(?P<qual>{_QUALIFIER})\s+{_SPAN_FROM})?(?P<low>{_AMOUNT})(?:{_DASH}(?P<high>{_AMOUNT}))?[\s-]*{_TIME}",
    re.I,
)
BARE_DURATION = re.compile(
    r"\b(?P<qual>within|in|for|lasting|lasts|last|up to|after|over)\s+(?:a few\s+|a matter of\s+|mere\s+|several\s+|many\s+)?"
    r"(?P<unit>minutes|hours|days|weeks|months|years)\b",
    re.I,
)
#: "2:1", "3 : 1", "10:1"; a two-digit second term only after the word "ratio" or "odds" ("odds of 1:20"),
#: so that clock times ("2:30", "9:15 am") are not ratios.
COLON_RATIO = re.compile(
    r"(?<![\d:.,])(?P<num>\d{1,3}(?:\.\d)?)\s?:\s?(?P<den>\d{1,2})(?![\d:.])(?!\s?[ap]\.?m\b)", re.I
)
RATIO_WORD_BEFORE = re.compile(r"\b(?:ratio|odds)\b", re.I)
#: "two to one", "three-to-one", "5 to 1": a ratio when the first term is larger or "ratio"/"odds" follows;
#: an ascending pair before a unit is a range ("one to two weeks").
WORD_RATIO = re.compile(
    rf"\b(?P<num>\d{{1,3}}|{_CARDINAL})[- ]to[- ](?P<den>\d{{1,3}}|{_CARDINAL})\b"
    r"(?P<tail>\s+(?:ratio|odds|margin))?(?!\s+(?:[a-z]+\s+)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|"
    r"percent|%|patients?|people|infusions?|sessions?|treatments?|doses?|times))",
    re.I,
)
COUNT = re.compile(rf"\b(?P<value>{_NUM}|{_WORD_NUM})\s+(?:{COUNT_NOUNS})\b", re.I)


def find_quantities(
    text: str, offset: int = 0, prices: Sequence[Price] | None = None
) -> tuple[Quantity, ...]:
    """Every quantity in ``text``; offsets are shifted by ``offset``.

    Money comes from ``prices``, the document's prices inside ``text`` (offsets into the
    document, as the annotation stage has them), or from ``find_prices(text)`` when not given.
    Characters already claimed by a better reading are marked in ``taken``, so the
    overlap test costs the candidate's length, not the number found so far (a page of
    50,000 percentages would otherwise take a minute).
    """
    money = _money(find_prices(text), 0) if prices is None else _money(prices, offset)
    found: list[Quantity] = []
    taken = bytearray(len(text))
    for quantity in _candidates(text, money):
        if taken.find(1, quantity.start, quantity.end) != -1:
            continue
        taken[quantity.start : quantity.end] = b"\x01" * (quantity.end - quantity.start)
        found.append(_shift(quantity, offset))
    return tuple(sorted(found, key=lambda q: q.start))


def to_hours(quantity: Quantity) -> tuple[float, float] | None:
    """A duration's bounds in hours, or None for other quantities."""
    if quantity.kind != "duration" or quantity.unit not in HOURS_PER_UNIT:
        return None
    factor = HOURS_PER_UNIT[quantity.unit]
    return quantity.low * factor, quantity.high * factor


def _candidates(text: str, money: Iterable[Quantity]) -> Iterator[Quantity]:
    """Candidates, most specific pattern first, so that overlaps keep the best reading.

    An expression runs only on a text holding one of its required literals (most units
    have no "%", no time unit...): :mod:`claimcheck.text.literals`.
    """
    folded = fold(text)
    yield from money
    yield from _percent_ranges(text, folded)
    yield from _percents(text, folded)
    yield from _ratios(text, folded)
    yield from _ratios_of_two(text, folded)
    yield from _fractions(text, folded)
    yield from _unit_ranges(text, folded)
    yield from _durations(text, folded)
    yield from _bare_durations(text, folded)
    yield from _counts(text, folded)


def _money(prices: Iterable[Price], offset: int) -> Iterator[Quantity]:
    """The prices with an amount as quantities, their offsets made relative to the text at ``offset``."""
    for price in prices:
        low = price.amount if price.amount is not None else price.low
        high = price.amount if price.amount is not None else price.high
        if low is not None and high is not None:
            qualifier = "offer" if price.offer else None
            start, end = price.start - offset, price.end - offset
            yield Quantity(start, end, price.text, "money", low, high, price.currency, qualifier)


def _percent_ranges(text: str, folded: str) -> Iterator[Quantity]:
    for m in prefiltered_finditer(PERCENT_RANGE, text, folded):
        if text[m.start() : m.end("high")].lower() in CARDINAL_WORDS:
            continue  # "seventy-five percent" is one number, not seventy to five
        low, high = _number(m["low"]), _number(m["high"])
        yield Quantity(m.start(), m.end(), m[0], "percent", min(low, high), max(low, high), "%")


def _percents(text: str, folded: str) -> Iterator[Quantity]:
    for m in prefiltered_finditer(PERCENT, text, folded):
        value = _number(m["value"])
        yield Quantity(m.start(), m.end(), m[0], "percent", value, value, "%")


def _ratios(text: str, folded: str) -> Iterator[Quantity]:
    for m in prefiltered_finditer(RATIO, text, folded):
        num, den = _number(m["num"]), _number(m["den"])
        if 0 < num <= den:
            share = 100 * num / den
            yield Quantity(m.start(), m.end(), m[0], "ratio", share, share, "%")


def _ratios_of_two(text: str, folded: str) -> Iterator[Quantity]:
    """ "2:1 versus placebo", "two to one": the first term as a multiple of the second."""
    for m in prefiltered_finditer(COLON_RATIO, text, folded):
        num, den = _number(m["num"]), _number(m["den"])
        if len(m["den"]) == 2 and not RATIO_WORD_BEFORE.search(text, max(0, m.start() - 16), m.start()):
            continue
        if den:
            yield Quantity(m.start(), m.end(), m[0], "ratio", num / den, num / den, "times")
    for m in prefiltered_finditer(WORD_RATIO, text, folded):
        num, den = _number(m["num"]), _number(m["den"])
        if den and (num > den or m["tail"]):
            yield Quantity(m.start(), m.end(), m[0], "ratio", num / den, num / den, "times")


def _fractions(text: str, folded: str) -> Iterator[Quantity]:
    for m in prefiltered_finditer(FRACTION, text, folded):
        share = FRACTION_WORDS[m[0].lower()]
        yield Quantity(m.start(), m.end(), m[0], "ratio", share, share, "%")
    for m in prefiltered_finditer(MAJORITY, text, folded):
        yield Quantity(m.start(), m.end(), m[0], "ratio", MAJORITY_SHARE, MAJORITY_SHARE, "%", "majority")


def _unit_ranges(text: str, folded: str) -> Iterator[Quantity]:
    """Ranges of units without numbers: "days to weeks", "hours or days"."""
    for m in prefiltered_finditer(UNIT_RANGE, text, folded):
        low_unit, high_unit = _time_unit(m["lowunit"]), _time_unit(m["unit"])
        low_hours = HOURS_PER_UNIT[low_unit] * (_number(m["lowcount"]) if m["lowcount"] else 1.0)
        high_hours = HOURS_PER_UNIT[high_unit] * 2
        qualifier = m["qual"].lower() if m["qual"] else None
        yield Quantity(m.start(), m.end(), m[0], "duration", low_hours, high_hours, "hours", qualifier)


def _durations(text: str, folded: str) -> Iterator[Quantity]:
    for m in prefiltered_finditer(DURATION, text, folded):
        low = _number(m["low"])
        high = _number(m["high"]) if m["high"] else low
        qualifier = m["qual"].lower() if m["qual"] else None
        unit = _time_unit(m["unit"])
        yield Quantity(m.start(), m.end(), m[0], "duration", min(low, high), max(low, high), unit, qualifier)


def _bare_durations(text: str, folded: str) -> Iterator[Quantity]:
    """Durations without a number: "within minutes", "for months" (read as one to a few units)."""
    for m in prefiltered_finditer(BARE_DURATION, text, folded):
        unit = _time_unit(m["unit"])
        yield Quantity(m.start(), m.end(), m[0], "duration", 1.0, 3.0, unit, m["qual"].lower())


def _counts(text: str, folded: str) -> Iterator[Quantity]:
    for m in prefiltered_finditer(COUNT, text, folded):
        value = _number(m["value"])
        yield Quantity(m.start(), m.end(), m[0], "count", value, value, None)


def _number(token: str) -> float:
    token = token.strip().lower()
    if token in NUMBER_WORDS:
        return float(NUMBER_WORDS[token])
    return float(token.replace(",", ""))


def _time_unit(word: str) -> str:
    word = word.lower().rstrip("s")
    return TIME_UNITS.get(word, TIME_UNITS.get(word[:3], "hours"))


def _shift(quantity: Quantity, offset: int) -> Quantity:
    if not offset:
        return quantity
    return Quantity(
        quantity.start + offset,
        quantity.end + offset,
        quantity.text,
        quantity.kind,
        quantity.low,
        quantity.high,
        quantity.unit,
        quantity.qualifier,
    )
