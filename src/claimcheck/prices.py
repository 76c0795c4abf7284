"""Prices: every monetary amount in a text, with what it is the price of.

``find_prices`` finds money expressions ("$150 to $200", "$15,000/kg", "€40 per gram",
"USD 1,999", "$100 off", "1,999 dollars"), reads the item they price from the same table
row, list item or sentence, and flags offers and illicit sales (annotation guide §4).

The amount of each matched number is parsed by ``price_parser.Price.fromstring``, which
settles thousands and decimal separators ("1,500", "1.234,50", "2,50"). price-parser does
not do the rest, which is written here: it reads one price per string (so it cannot find
the prices in a page), knows no ranges ("$300-$1,500", "between $400 and $800"), no units
("/kg", "per session", "a month"), no "k" multiplier, and nothing about items, offers or
legality.

Hostile input stays cheap: the patterns have bounded repetitions only, context is read
from windows of :data:`CONTEXT_CHARS` around each price, and at most :data:`MAX_PRICES`
prices are returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from price_parser import Price as ParsedPrice

from .records import Price

MAX_PRICES = 2000
MAX_SCAN_CHARS = 2_000_000
CONTEXT_CHARS = 300
MAX_ITEM_CHARS = 100
MAX_LABEL_WORDS = 10
MAX_CELL_WORDS = 8
MAX_SUBJECT_CHARS = 120

#: currency symbols and codes, written before or after the number, to ISO 4217.
CURRENCIES = {
    "$": "USD",
    "US$": "USD",
    "USD": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "CAD": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD": "AUD",
    "€": "EUR",
    "EUR": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "JPY",
    "JPY": "JPY",
    "₹": "INR",
    "INR": "INR",
    "CHF": "CHF",
}
#: unit words after "/", "per", "a" or "an", to the unit recorded.
UNITS = {
    "kg": "kg",
    "kilo": "kg",
    "kilogram": "kg",
    "g": "g",
    "gr": "g",
    "gram": "g",
    "mg": "mg",
    "oz": "oz",
    "ounce": "oz",
    "lb": "lb",
    "ml": "ml",
    "vial": "vial",
    "pill": "pill",
    "tab": "tablet",
    "tablet": "tablet",
    "capsule": "capsule",
    "dose": "dose",
    "infusion": "infusion",
    "session": "session",
    "treatment": "treatment",
    "visit": "visit",
    "appointment": "appointment",
    "injection": "injection",
    "spray": "spray",
    "bottle": "bottle",
    "pack": "pack",
    "box": "box",
    "series": "series",
    "package": "package",
    "course": "course",
    "month": "month",
    "mo": "month",
    "week": "week",
    "wk": "week",
    "year": "year",
    "yr": "year",
    "day": "day",
    "night": "night",
    "hour": "hour",
    "hr": "hour",
    "person": "person",
    "patient": "patient",
}
WEIGHT_UNITS = frozenset({"kg", "g", "mg", "oz", "lb"})
BULK_WORDS = r"powder|crystals?|bulk|wholesale|kilos?|\d+(?:[.,]\d+)?\s?(?:kg|g|mg|oz|lbs?)\b"
SERVICE_WORDS = (
    r"infusions?|sessions?|treatments?|therapy|consult\w*|visits?|appointments?|programs?|evaluations?"
)
SHOP_LANGUAGE = (
    r"\b(?:buy|order|purchase)\b[^.\n]{0,60}\bonline\b|\bno prescription\b|\bwithout (?:a )?(?:doctor'?s )?"
    r"prescription\b|\bdiscreet (?:shipping|packaging|delivery)\b|\bstealth packaging\b|\bbitcoin\b|"
    r"\bcrypto(?:currency)?\b|\badd to cart\b|\bworldwide shipping\b|\bovernight delivery\b"
)
PRESCRIPTION_STEP = (
    r"\bprescription (?:is )?required\b|\brequires? a (?:valid )?prescription\b|\bprescribed by\b|"
    r"\b(?:medical|psychiatric) (?:evaluation|assessment|screening)\b|"
    r"\blicensed (?:clinician|physician|prescriber)"
)
OFFER_BEFORE = (
    r"\b(?:save|saving|savings|only|just|discount(?:ed)?|voucher|coupon|promo(?:tion)?|special|sale|reduced|"
    r"introductory|intro|deal|now|free)\b"
)
OFFER_CONTEXT = (
    r"\b0\s?% (?:interest|apr|financing)|\binterest[- ]free\b|\bno interest\b|\bfree consultation\b|"
    r"\bdiscount|\bvoucher|\bcoupon|\bpromo code\b|% off\b|\blimited[- ]time\b|\bin advance\b|"
    r"\bup ?front\b|\bprepa(?:id|y)\b"
)
_FUNCTION_WORDS_TEXT = """
    a an the at about for of to from only just is are was were be costs cost costing around approximately
    under over than and or by with in on as roughly nearly almost up between charge charges pay paid worth
    runs run priced price starts start starting often usually typically generally also then
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_DETERMINERS_TEXT = "a an the one each per every any all your our their this that these those"
DETERMINERS = frozenset(_DETERMINERS_TEXT.split())
#: verbs whose subject is the thing priced ("an infusion costs $25", "a package of 6 for $2,100").
COST_VERBS = (
    r"costs?|is|are|was|were|runs?|ran|priced at|starts? at|totals?|comes? to|came to|sells? for|goes for|"
    r"go for|listed at|works? out to|for"
)
#: verbs whose subject is the seller or buyer, not the item ("clinics charge $400").
PARTY_VERBS = r"charges?|charged|pays?|paid|offers?|receives?|bills?|billed"
#: words that end a noun phrase read backwards from a verb ("protocols run over ...").
_NP_VERBS_TEXT = """
    run runs take takes last lasts include includes offer offers receive receives get gets has have had need
    needs cover covers can could may might will would should must usually typically often generally also
"""
NP_VERBS = frozenset(_NP_VERBS_TEXT.split())
QUALIFIERS = (
    r"about|around|approximately|roughly|only|just|from|at|between|under|over|up to|less than|more than|"
    r"nearly"
)

_N = r"\d(?:[\d,.]{0,15}\d)?"
_PREFIX = r"(?:(?<![A-Za-z])(?:US|CA|AU|C|A)\$|\$|€|£|¥|₹|\b(?:USD|EUR|GBP|CAD|AUD|CHF|JPY|INR)\b)"
_SUFFIX = r"(?:dollars?|euros?|USD|EUR|GBP|CAD|AUD|CHF|€|£)"
_UNIT_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
MONEY_RE = re.compile(
    # the leading class lets the engine skip text that cannot start an amount
    rf"(?=[$€£¥₹\dUCAEGJI])(?:(?P<cur>{_PREFIX})\s?(?P<num>{_N})(?!\d)(?P<k>[kK](?![A-Za-z]))?"
    rf"|(?<![\d.,])(?P<num2>{_N})(?!\d)\s?(?P<cur2>{_SUFFIX})(?![A-Za-z]))"
)
RANGE_TAIL_RE = re.compile(
    rf"\s{{0,3}}(?P<sep>-|–|—|to|and)\s{{0,3}}(?P<cur>{_PREFIX})?\s?(?P<num>{_N})(?![\d%])(?P<k>[kK](?![A-Za-z]))?"
)
UNIT_TAIL_RE = re.compile(rf"\s?(?:/\s?|per\s+|an?\s+)(?P<unit>{_UNIT_WORDS})(?:e?s)?(?![A-Za-z])\.?", re.I)
OFF_TAIL_RE = re.compile(r"\s{1,2}off\b", re.I)
SAVE_BEFORE_RE = re.compile(r"\b(?:save|saving)\s{1,2}$", re.I)
_BULK_RE = re.compile(BULK_WORDS, re.I)
_SERVICE_RE = re.compile(rf"\b(?:{SERVICE_WORDS})\b", re.I)
_SHOP_RE = re.compile(SHOP_LANGUAGE, re.I)
_RX_STEP_RE = re.compile(PRESCRIPTION_STEP, re.I)
_OFFER_BEFORE_RE = re.compile(rf"{OFFER_BEFORE}[^.!?\n]{{0,25}}$", re.I)
_OFFER_CONTEXT_RE = re.compile(OFFER_CONTEXT, re.I)
_LABEL_SEPARATOR_RE = re.compile(r"(?:[=:|–—]|-{1,2}|\.{2,}|…)\s*$")
_BULLET_RE = re.compile(r"^[^\w(\"'“]*(?:\d{1,2}[.)]\s+)?")
_BOUNDARY_RE = re.compile(r"[.!?…](?=\s)|\n(?![ \t]*[a-z])")
_AFTER_ITEM_RE = re.compile(
    r"^\s*(?:(?P<prep>for|of|on|towards?|with)\s+|(?=(?:their|your|the|a|an|any|our|each|every)\s))"
    r"(?P<np>[^.;:!?\n(]{1,120})",
    re.I,
)
_AUX = (
    r"(?:can|could|may|might|will|would|should|has|have|had|been|be|usually|typically|often|generally|also|"
    r"therefore|thus|still|then|now)"
)
_COST_TAIL_RE = re.compile(
    rf"\s(?:{_AUX}\s+){{0,2}}(?P<verb>{COST_VERBS}|{PARTY_VERBS})\s+(?:(?:{QUALIFIERS})\s+)?$", re.I
)
_CLAUSE_SPLIT_RE = re.compile(r"\b(?:that|which|who|where|while|when|if|without|with)\s+", re.I)
_ONE_UNIT_RE = re.compile(r"\(\s*1\s?(kg|g|mg|oz|lb|ml)\s*\)", re.I)
_PRONOUNS = frozenset({"it", "this", "that", "which", "they", "these", "those", "he", "she", "we", "you"})
_NP_STOP_RE = re.compile(
    r"\s(?:and|but|which|that|if|when|while|because|so|is|are|was|were|will|can|could|may|based|located|"
    r"before|after|plus|including|depending|paid|billed|with|at|in|for)\b|,",
    re.I,
)


@dataclass(frozen=True)
class _PageFacts:
    """What the whole page says about selling: shop language, a prescription step."""

    shop: bool
    prescription_step: bool


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    currency: str
    amount: float | None
    low: float | None
    high: float | None


def find_prices(text: str) -> tuple[Price, ...]:
    """Every monetary amount in ``text``, in order, with offsets into ``text``."""
    matches = _money_matches(text)
    facts = _page_facts(text, matches)
    prices: list[Price] = []
    for index, match in enumerate(matches):
        prev_end = matches[index - 1].end if index else 0
        next_start = matches[index + 1].start if index + 1 < len(matches) else len(text)
        prices.append(_describe(text, match, prev_end, next_start, facts))
    return tuple(prices)


def _amount(number: str, k: str | None) -> float | None:
    """The value of a number string; price-parser settles the separators."""
    parsed = ParsedPrice.fromstring(number).amount_float
    if parsed is None:
        return None
    return parsed * 1000 if k else parsed


def _money_matches(text: str) -> list[_Match]:
    """Single amounts and ranges, merged, capped at :data:`MAX_PRICES`."""
    found: list[_Match] = []
    consumed = 0
    for m in MONEY_RE.finditer(text):
        if m.start() < consumed:
            continue
        symbol = m.group("cur") or m.group("cur2")
        currency = CURRENCIES.get(symbol, CURRENCIES.get(symbol.lower(), "USD"))
        amount = _amount(m.group("num") or m.group("num2"), m.group("k"))
        if amount is None:
            continue
        match = _with_range(text, _Match(m.start(), m.end(), currency, amount, None, None))
        found.append(match)
        consumed = match.end
        if len(found) >= MAX_PRICES:
            break
    return found


def _with_range(text: str, single: _Match) -> _Match:
    """Extend a single amount to a range when "to/-/and" and a second amount follow."""
    tail = RANGE_TAIL_RE.match(text, single.end, min(len(text), single.end + 40))
    if tail is None or (
        tail.group("sep") == "and"
        and not re.search(r"between\s+$", text[max(0, single.start - 12) : single.start], re.I)
    ):
        return single
    if tail.group("cur") and CURRENCIES.get(tail.group("cur")) not in (single.currency, None):
        return single
    high = _amount(tail.group("num"), tail.group("k"))
    if high is None or single.amount is None or high <= single.amount:
        return single
    return _Match(single.start, tail.end(), single.currency, None, single.amount, high)


def _page_facts(text: str, matches: list[_Match]) -> _PageFacts:
    """Shop language or a bulk controlled-substance listing anywhere in the first
    :data:`MAX_SCAN_CHARS`, and whether the page mentions a prescription step."""
    if not matches:
        return _PageFacts(shop=False, prescription_step=False)
    head = text[:MAX_SCAN_CHARS]
    bulk_listing = any(_is_bulk_controlled(_line(text, m.start, m.end)) for m in matches[:200])
    return _PageFacts(
        shop=bulk_listing or _SHOP_RE.search(head) is not None,
        prescription_step=_RX_STEP_RE.search(head) is not None,
    )


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The line around ``start:end``, cut to :data:`CONTEXT_CHARS` on each side."""
    lo = text.rfind("\n", max(0, start - CONTEXT_CHARS), start)
    hi = text.find("\n", end, end + CONTEXT_CHARS)
    return (lo + 1 if lo != -1 else max(0, start - CONTEXT_CHARS)), (
        hi if hi != -1 else min(len(text), end + CONTEXT_CHARS)
    )


def _line(text: str, start: int, end: int) -> str:
    lo, hi = _line_bounds(text, start, end)
    return text[lo:hi]


@cache
def controlled_substances() -> dict[str, int]:
    """Controlled substances to their DEA schedule (``data/drugs.yaml``)."""
    return {str(name): int(schedule) for name, schedule in _drug_data()["controlled_substances"].items()}


@cache
def _drug_re() -> re.Pattern[str]:
    """Any controlled or prescription-only drug name, as a whole word."""
    names = [*controlled_substances(), *map(str, _drug_data()["prescription_drugs"])]
    return re.compile(
        r"\b(?:" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b", re.I
    )


@cache
def _drug_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        resources.files("claimcheck").joinpath("data/drugs.yaml").read_text("utf-8")
    )
    return data


def _is_bulk_controlled(line: str) -> bool:
    drug = _drug_re().search(line)
    return bool(drug and drug.group().lower() in controlled_substances() and _BULK_RE.search(line))


def _describe(text: str, match: _Match, prev_end: int, next_start: int, facts: _PageFacts) -> Price:
    """Turn a match into a :class:`Price`: unit, "off"/"save", item, offer, illicit."""
    start, end = match.start, match.end
    unit = None
    if unit_m := UNIT_TAIL_RE.match(text, end, min(len(text), end + 20)):
        unit, end = UNITS[unit_m.group("unit").lower()], unit_m.end()
        end -= text[unit_m.start() : end].endswith(".")
    offer = False
    if off := OFF_TAIL_RE.match(text, end, min(len(text), end + 6)):
        offer, end = True, off.end()
    if save := SAVE_BEFORE_RE.search(text, max(0, start - 10), start):
        offer, start = True, save.start()
    line_lo, line_hi = _line_bounds(text, start, end)
    item, listing, item_unit = _item(
        text, start, end, max(line_lo, prev_end), min(line_hi, next_start), line_lo, line_hi
    )
    lo, hi = _sentence_bounds(text, start, end)
    context = text[lo:hi]
    before = text[max(line_lo, start - 40) : start]
    offer = offer or bool(_OFFER_BEFORE_RE.search(before) or _OFFER_CONTEXT_RE.search(context))
    unit = unit or item_unit
    item = item or unit
    illicit = _illicit(item or "", unit, listing, facts)
    return Price(
        start,
        end,
        text[start:end],
        match.currency,
        match.amount,
        match.low,
        match.high,
        item,
        unit,
        offer,
        illicit,
    )


def _item(
    text: str, start: int, end: int, seg_lo: int, seg_hi: int, line_lo: int, line_hi: int
) -> tuple[str | None, bool, str | None]:
    """The priced item, whether the price is a listing (row, list item, label), and a unit the item implies.

    ``seg_lo:seg_hi`` is the stretch of the line between the neighbouring prices, so that
    cells run together ("Infusion$450Series$2,400") each get their own label.
    """
    line = text[line_lo:line_hi]
    if "|" in line or "\t" in line:
        cells = (c.strip() for c in re.split(r"[|\t]", line))
        others = [c for c in cells if re.search(r"[^\W\d_]", c) and not MONEY_RE.search(c)]
        short = [c for c in others if len(c.split()) <= MAX_CELL_WORDS] or others[:1]
        return _clean(", ".join(short)), True, None
    label = _BULLET_RE.sub("", text[seg_lo:start])
    if _is_label(label, text[end:seg_hi]):
        item = _clean(_LABEL_SEPARATOR_RE.sub("", label))
        one = _ONE_UNIT_RE.search(item or "")
        return item, True, UNITS[one.group(1).lower()] if one else None
    lo, hi = _sentence_bounds(text, start, end)
    item, unit = _prose_item(text[lo:start], text[end:hi], text[start:end].lower().endswith("off"))
    return item, False, unit


def _is_label(label: str, after: str) -> bool:
    """Whether the text before a price names it, as in "Ketamine tablet = $42" or "Infusion$450"."""
    words = label.split()
    if not words or not re.search(r"[^\W\d_]", label) or len(words) > MAX_LABEL_WORDS:
        return False
    if _LABEL_SEPARATOR_RE.search(label):
        return True
    short_tail = len(after.split()) <= 2 or after.lstrip().startswith("(")
    return (
        len(words) <= 6
        and not re.search(r"[,.;!?]", label)
        and words[-1].lower() not in FUNCTION_WORDS
        and short_tail
    )


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a price, within :data:`CONTEXT_CHARS`; a line break followed by
    a lower-case word is a wrapped line, not a boundary."""
    lo = max(0, start - CONTEXT_CHARS)
    for m in _BOUNDARY_RE.finditer(text, lo, start):
        lo = m.end()
    hi = min(len(text), end + CONTEXT_CHARS)
    stop = _BOUNDARY_RE.search(text, end, hi)
    return lo, stop.end() if stop else hi


def _prose_item(before: str, after: str, off: bool) -> tuple[str | None, str | None]:
    """The noun phrase a prose price belongs to, and a unit it implies ("an infusion costs $25")."""
    phrase = _after_phrase(after, off)
    if phrase is None:
        subject = _subject_phrase(before)
        phrase = subject if subject is not None else _trailing_phrase(before)
    if not phrase:
        return None, None
    words = phrase.split()[:8]
    unit = None
    if len(words) >= 2 and words[0].lower() in {"a", "an", "one", "each", "per", "every", "single"}:
        unit = UNITS.get(words[1].lower()) or UNITS.get(words[1].lower().rstrip("s"))
    while words and words[0].lower() in DETERMINERS:
        words.pop(0)
    return _clean(" ".join(words)), unit


def _after_phrase(after: str, off: bool) -> str | None:
    """ "... for the six infusions", "... of any mood infusion series", "$100 off your first month"."""
    m = _AFTER_ITEM_RE.match(after)
    if m is None or ((m.group("prep") or "with").lower() == "with" and not off):
        return None
    return _NP_STOP_RE.split(m.group("np"), maxsplit=1)[0].strip() or None


def _subject_phrase(before: str) -> str | None:
    """The subject of a cost verb just before the price ("a typical course of six infusions can run").

    ``None`` when no such verb precedes the price; ``""`` when the verb's subject is the
    seller or buyer ("clinics charge"), so that no item is guessed from it.
    """
    m = _COST_TAIL_RE.search(before)
    if m is None:
        return None
    subject = re.split(r"[,;:.!?]", before[: m.start()])[-1][-MAX_SUBJECT_CHARS:]
    if not subject.strip() or re.fullmatch(PARTY_VERBS, m.group("verb"), re.I):
        return ""
    pieces = _CLAUSE_SPLIT_RE.split(subject)
    if re.search(r"\b(?:and|but|so|then)\s*$", pieces[-1], re.I):
        # "protocols run over five days and cost $X": the subject opens the previous clause.
        forward = pieces[-1].split()
        cut = next((i for i, w in enumerate(forward) if w.lower() in NP_VERBS), len(forward))
        return " ".join(forward[:cut][:6])
    words: list[str] = []
    for word in reversed(pieces[-1].split()):
        if word.lower() in NP_VERBS:
            break
        words.insert(0, word)
        if word.lower() in DETERMINERS or len(words) >= 6:
            break
    phrase = " ".join(words)
    return "" if phrase.lower() in _PRONOUNS else phrase


def _trailing_phrase(before: str) -> str | None:
    """Up to three content words just before the price, within its clause."""
    skip = FUNCTION_WORDS | DETERMINERS
    words: list[str] = []
    for word in reversed(before.split()):
        if word[-1] in ",;:()" or (word.lower() in skip and words):
            break
        if word.lower() not in skip:
            words.insert(0, word)
        if len(words) >= 3:
            break
    phrase = " ".join(words)
    return None if phrase.lower() in _PRONOUNS else phrase or None


def _clean(item: str) -> str | None:
    """Tidy an item: single spaces, no padding inside brackets, no stray separators."""
    item = re.sub(r"\s+", " ", _BULLET_RE.sub("", item))
    item = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", item)).strip(" \t=:|–—-.,;…*•\"'“”")
    if len(item) > MAX_ITEM_CHARS:
        item = item[:MAX_ITEM_CHARS].rsplit(" ", 1)[0]
    return item or None


def _illicit(item: str, unit: str | None, listing: bool, facts: _PageFacts) -> bool:
    """A bulk price of a controlled substance, or a drug listed for sale with no prescription step."""
    drug = _drug_re().search(item)
    if drug is None:
        return False
    if drug.group().lower() in controlled_substances() and (unit in WEIGHT_UNITS or _BULK_RE.search(item)):
        return True
    if not listing:
        return False
    if facts.shop:
        return True
    return not (_SERVICE_RE.search(item) or facts.prescription_step)
