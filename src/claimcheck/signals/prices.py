"""Prices: every monetary amount in a text, with what it is the price of.

``find_prices`` takes the amounts :mod:`claimcheck.signals.money` finds (any currency and
number format, ranges, magnitudes, old/new pairs) and adds what annotation guide §4
asks of a price: its unit ("$15,000/kg", "€40 per gram", "$199 a month"), the item it
prices (:mod:`claimcheck.signals.price_items`), whether it is an offer ("$100 off", "SAVE
$270", "now $549", words from :mod:`claimcheck.signals.offers`), and whether it is an
illicit-sale signal: a bulk or per-weight price of a controlled substance, or a drug
listed for sale without a prescription step (the drug lists are data:
:mod:`claimcheck.signals.substances`).

Offers without an amount are not prices; :func:`claimcheck.signals.offers.find_offers` reports them.

Hostile input stays cheap: the patterns have bounded repetitions only, context is read
from windows around each price, and at most :data:`MAX_PRICES` prices are returned.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Document, Price, Unit
from ..text.segment import BLANK_LINE, segment, sentence_around
from .money import MAX_AMOUNTS, Money, find_money
from .offers import is_offer_context
from .price_items import CONTEXT_CHARS, UNITS, line_bounds, price_item
from .substances import substances

MAX_PRICES = MAX_AMOUNTS
MAX_SCAN_CHARS = 2_000_000
MAX_BLOCK_CHARS = 20_000
"""How far from a bulk listing its block is looked for: a page without blank lines is one block up to this."""
CARD_LINES = 8
"""How many lines above a shop's price line its product's name is looked for (a heading, a purity line, sizes)."""
PRODUCT_REACH = 1_000
"""How far above a shop's size line (its item only a weight or a count) the product it sizes is looked for,
across blank lines: a price list set apart under its product's description."""
BARE_QUANTITY = re.compile(
    r"(?:\s*(?:[\d.,]+(?:kg|g|mg|ml|oz|lbs?)?|of|x|packs?|box(?:es)?|bottles?|bags?|devices?|vials?|ampoules?|strips?|doses?|"
    r"pills?|tabs?|tablets?|capsules?|units?|kg|g|grams?|mg|ml|oz|lbs?)\b)+\s*",
    re.I,
)
"""An item that is only a size ("5 g", "Pack of 10 vials", "3 devices"): the line prices a quantity of a
product named elsewhere."""
WEIGHT_UNITS = frozenset({"kg", "g", "mg", "oz", "lb"})
#: unit words that follow an amount without "per" ("$199 monthly").
UNIT_ADVERBS = {
    "monthly": "month",
    "weekly": "week",
    "yearly": "year",
    "annually": "year",
    "nightly": "night",
}

BULK_WORDS = r"powder|crystals?|bulk|wholesale|kilos?|\d+(?:[.,]\d+)?\s?(?:kg|g|mg|oz|lbs?)\b"
SERVICE_WORDS = r"infusions?|sessions?|treatments?|(?:psycho)?therapy|consult\w*|visits?|appointments?|programs?|evaluations?"
DOSE_UNITS = frozenset({"pill", "tablet", "capsule", "vial", "dose"})
"""On a shop page, a drug priced by the pill or the vial is offered for sale even in prose ("only $0.69 per pill")."""
SERVICE_UNITS = frozenset(
    {"infusion", "session", "treatment", "visit", "appointment", "series", "course", "package", "program"}
)
"""Units that price care rather than goods: "$590 per treatment" is a clinic's fee, not a drug for sale."""
COURSE_TAIL_RE = re.compile(
    r"\s*(?:for|per)\s+(?:a|an|the|one|each|your)\s+(?:full\s+|complete\s+|initial\s+)?"
    r"(?:[\w-]+[- ](?:infusion|session|treatment|visit)\s+)?(?P<unit>series|course|package|program)\b",
    re.I,
)
"""A course of care priced after the amount: "$2,950 for a six-infusion series", "$1,800 for the full course"."""
NO_PRESCRIPTION = (
    r"\bno (?:prescription|script|rx)\b|\bwithout (?:a |any )?(?:doctor'?s )?(?:prescription|script|rx)\b|"
    r"\bnever need (?:a |any )?(?:prescription|script|rx)\b|\bprescription[- ]free\b|"
    r"\bno (?:doctor|physician|prescriber)(?:'?s)?(?: (?:visit|appointment|consultation|approval))?s? "
    r"(?:needed|required|necessary)\b"
)
"""A sale that skips the prescriber: a drug priced in such a sentence is offered for sale, in prose or a list."""
OTHERS_PRICE = (
    r"\b(?:clinics?|hospitals?|providers?|doctors?|insurers?|pharmacies|centers|centres)\b[^.;]{0,40}?"
    r"\b(?:charg(?:e|es|ed|ing)|bill(?:s|ed|ing)?|ask(?:s|ed|ing)?|wants?|cost(?:s|ing)?)\b"
)
"""A price others set, quoted for comparison ("Clinics bill insurance close to $900 for each dose")."""
PAYMENT_SHIPPING = (
    r"\bbitcoin\b|\bcrypto(?:currency)?\b|\b(?:usdt|monero|xmr|western union|moneygram)\b|"
    r"\bescrow\b|\bstealth\b|\bships? to:?\s*(?:worldwide|anywhere)\b|"
    r"\bdiscreet (?:shipping|packaging|delivery)\b|"
    r"\b(?:worldwide|international) (?:shipping|delivery)\b|\bovernight (?:delivery|shipping)\b|"
    r"\bships? to (?:usa|uk|canada|australia|europe)\b"
)
"""How a shop is paid and ships: crypto and money transfers, escrow, stealth and discreet parcels, worldwide."""
BUY_ONLINE = r"\b(?:buy|order|purchase)\b[^.\n]{0,60}?\bonline\b"
"""A purchase made online ("order yours online today"): shop language on a price page, and a spam cue."""
SHOP_LANGUAGE = rf"{BUY_ONLINE}|{NO_PRESCRIPTION}|{PAYMENT_SHIPPING}|\badd to cart\b"
PRESCRIPTION_STEP = (
    r"\bprescription (?:is )?required\b|\brequires? a (?:valid )?prescription\b|\bprescribed by\b|"
    r"\b(?:medical|psychiatric) (?:evaluation|assessment|screening)\b|"
    r"\blicensed (?:clinician|physician|prescriber|veterinarian|practitioner)|"
    r"\bDEA registration\b|\bRx only\b"
)

_UNIT_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
UNIT_TAIL_RE = re.compile(
    rf"\s?(?:/\s?|per\s+|an?\s+)(?P<unit>{_UNIT_WORDS})(?:e?s)?(?![A-Za-z])\.?"
    rf"|\s(?P<adverb>{'|'.join(UNIT_ADVERBS)})\b",
    re.I,
)
OFF_TAIL_RE = re.compile(r"\s{1,2}off\b", re.I)
SAVE_BEFORE_RE = re.compile(r"\b(?:save|saving)\s{1,2}$", re.I)
_BULK_RE = re.compile(BULK_WORDS, re.I)
_SERVICE_RE = re.compile(rf"\b(?:{SERVICE_WORDS})\b", re.I)
_SHOP_RE = re.compile(SHOP_LANGUAGE, re.I)
_RX_STEP_RE = re.compile(PRESCRIPTION_STEP, re.I)
_NO_PRESCRIPTION_RE = re.compile(NO_PRESCRIPTION, re.I)
_OTHERS_PRICE_RE = re.compile(OTHERS_PRICE, re.I)
DENIED_BEFORE = r"\b(?:not|never|don't|do not|won't|avoid|stop)\s+(?:\w+\s+){0,2}$"
"""A denial right before shop words ("do not buy it online", "never order"): a warning, not an offer."""
DENIAL_REACH = 30
_DENIED_BEFORE_RE = re.compile(DENIED_BEFORE, re.I)


@dataclass(frozen=True)
class _PageFacts:
    """What the page says about selling: shop language, a prescription step, bulk listings."""

    shop_language: bool
    prescription_step: bool
    bulk_blocks: tuple[tuple[int, int], ...] = ()
    """The blocks (runs of lines between blank lines) that list a controlled substance in bulk."""

    def sells_at(self, offset: int) -> bool:
        """Whether the page reads as a shop where ``offset`` stands: shop language anywhere, or a bulk
        listing in the same block ("ketamine powder (1kg and above) = $15,000/kg" in its price list).

        A cost guide that closes on a warning about bulk sellers does not make its clinic prices a shop's.
        """
        return self.shop_language or any(lo <= offset < hi for lo, hi in self.bulk_blocks)


def find_prices(text: str, units: Sequence[Unit] | None = None) -> tuple[Price, ...]:
    """Every monetary amount in ``text``, in order, with offsets into ``text``.

    ``units`` are the text's units where the annotation stage has segmented it already
    (otherwise it is segmented here, once there is an amount): prose names a price's item
    within the sentence that holds it.
    """
    amounts = tuple(money for money in find_money(text) if money.amount != 0)  # "$0" is no price (guide §5)
    if not amounts:
        return ()
    facts = _page_facts(text, amounts)
    sentences = _Sentences(text, segment(Document("text", text)) if units is None else units)
    prices: list[Price] = []
    for index, money in enumerate(amounts):
        prev_end = amounts[index - 1].end if index else 0
        next_start = amounts[index + 1].start if index + 1 < len(amounts) else len(text)
        prices.append(_describe(text, money, (prev_end, next_start), facts, sentences))
    return tuple(prices)


class _Sentences:
    """The segmentation's units, looked up by offset (a colon list counts by its lines)."""

    def __init__(self, text: str, units: Sequence[Unit]) -> None:
        self.text = text
        self.units = [unit for unit in units if unit.kind != "list"]

    def holding(self, start: int, end: int) -> Unit | None:
        at = bisect_right(self.units, start, key=lambda unit: unit.start) - 1
        unit = self.units[at] if at >= 0 else None
        return unit if unit is not None and unit.end >= end else None

    def around(self, unit: Unit | None, start: int, end: int) -> tuple[int, int]:
        """The sentence around a price: its unit, else its line; at most :data:`CONTEXT_CHARS` on either side."""
        lo, hi = (unit.start, unit.end) if unit else line_bounds(self.text, start, end)
        return max(lo, start - CONTEXT_CHARS), min(hi, end + CONTEXT_CHARS)


def _page_facts(text: str, amounts: tuple[Money, ...]) -> _PageFacts:
    """Shop language (not asked about or warned against) or a bulk controlled-substance listing anywhere
    in the first :data:`MAX_SCAN_CHARS`, and whether the page mentions a prescription step."""
    if not amounts:
        return _PageFacts(shop_language=False, prescription_step=False)
    head = text[:MAX_SCAN_CHARS]
    bulk = [m for m in amounts[:200] if _is_bulk_controlled(_line(text, m.start, m.end))]
    return _PageFacts(
        shop_language=any(not asked_or_warned(head, m.start(), m.end()) for m in _SHOP_RE.finditer(head)),
        prescription_step=_RX_STEP_RE.search(head) is not None,
        bulk_blocks=tuple(dict.fromkeys(_block_bounds(text, m.start) for m in bulk)),
    )


def asked_or_warned(text: str, start: int, end: int) -> bool:
    """Whether the shop words at ``start:end`` stand in a question ("Can I just buy ketamine online?") or
    are denied just before ("please do not buy it online"): a reader's question or a warning, no offer."""
    lo, hi = sentence_around(text, start, end)
    if text.startswith("?", hi):
        return True
    return _DENIED_BEFORE_RE.search(text, max(lo, start - DENIAL_REACH), start) is not None


def _block_bounds(text: str, offset: int) -> tuple[int, int]:
    """The block around ``offset``: from the blank line before it to the blank line after it."""
    before = [m.end() for m in BLANK_LINE.finditer(text, max(0, offset - MAX_BLOCK_CHARS), offset)]
    after = BLANK_LINE.search(text, offset, offset + MAX_BLOCK_CHARS)
    return (before[-1] if before else 0, after.start() if after else len(text))


def _line(text: str, start: int, end: int) -> str:
    lo, hi = line_bounds(text, start, end)
    return text[lo:hi]


def _is_bulk_controlled(line: str) -> bool:
    """A controlled substance by weight or in bulk, not a service dosed by weight ("infusion (0.5 mg/kg)")."""
    drug = substances().find(line)
    return bool(
        drug and substances().is_controlled(drug) and _BULK_RE.search(line) and not _SERVICE_RE.search(line)
    )


def _describe(
    text: str, money: Money, neighbours: tuple[int, int], facts: _PageFacts, sentences: _Sentences
) -> Price:
    """Turn an amount into a :class:`Price`: unit, "off"/"save", item, offer, illicit."""
    start, end = money.start, money.end
    unit = None
    if unit_m := UNIT_TAIL_RE.match(text, end, min(len(text), end + 20)):
        word = unit_m.group("unit") or unit_m.group("adverb")
        unit = UNITS.get(word.lower()) or UNIT_ADVERBS[word.lower()]
        end = unit_m.end() - text[unit_m.start() : unit_m.end()].endswith(".")
    elif course := COURSE_TAIL_RE.match(text, end, min(len(text), end + 50)):
        unit = course.group("unit").lower()
    offer = False
    if off := OFF_TAIL_RE.match(text, end, min(len(text), end + 6)):
        offer, end = True, off.end()
    if save := SAVE_BEFORE_RE.search(text, max(0, start - 10), start):
        offer, start = True, save.start()
    line_lo, line_hi = line_bounds(text, start, end)
    segment = (max(line_lo, neighbours[0]), min(line_hi, neighbours[1]))
    holder = sentences.holding(money.start, money.end)
    row = holder is not None and holder.kind == "table_row"
    sentence = sentences.around(holder, start, end)
    item, listing, item_unit = price_item(text, start, end, segment, (line_lo, line_hi), sentence, row)
    if money.offer is not None:
        offer = money.offer
    elif not offer:
        lo, hi = sentence
        offer = is_offer_context(text, start, end, (max(lo, neighbours[0]), min(hi, neighbours[1])))
    unit = unit or item_unit
    item = item or unit
    listing = listing or _NO_PRESCRIPTION_RE.search(text, *sentence) is not None
    return Price(
        start,
        end,
        text[start:end],
        money.currency,
        money.amount,
        money.low,
        money.high,
        item,
        unit,
        offer,
        _illicit(
            *_product(text, item or "", unit, (line_lo, line_hi, *sentence), facts),
            unit,
            listing,
            facts,
            start,
        ),
    )


def _product(
    text: str, item: str, unit: str | None, where: tuple[int, int, int, int], facts: _PageFacts
) -> tuple[str, bool]:
    """What a price is for, named: its item, else (on a shop page) its sentence, its line and the
    product card above it; and whether the name came from there (the price is then a listing).

    A shop lists a drug's sizes under its name ("Ketamine HCl Crystal" then "5 g - $90", "25 g -
    $350"), so the item of each line is only a quantity; the name is in the card's heading, or,
    where the price list stands apart, in the description above it. On any other page a line's
    item stands alone, and so does the price of a service. ``where`` is the price's line and its
    sentence (the line of a list or a table; in prose, the sentence that prices it).
    """
    line_lo, line_hi, sentence_lo, sentence_hi = where
    sentence = text[sentence_lo:sentence_hi]
    if substances().find(item):
        return item, False
    if not facts.shop_language:
        weighed = unit in WEIGHT_UNITS and not _prices_a_service(item, sentence)
        return (_weighed_goods(text, item, sentence_lo) if weighed else item), False
    if _prices_a_service(item, sentence):
        return item, False
    sized = unit in WEIGHT_UNITS or BARE_QUANTITY.fullmatch(item) is not None
    card = [sentence, *_card_above(text, line_lo, line_hi, sized)]
    if sized and not substances().find(card[-1]):
        card.append(_last_product_named(text, line_lo))
    return f"{item}\n" + "\n".join(card), True


def _weighed_goods(text: str, item: str, offset: int) -> str:
    """A price by weight off a shop page ("a gram usually costs £20"), named by its paragraph: goods sold by
    the gram are what the paragraph is about, wherever in it the drug is named ("street ketamine"), within
    :data:`PRODUCT_REACH` characters."""
    lo, hi = _block_bounds(text, offset)
    return f"{item}\n{text[max(lo, offset - PRODUCT_REACH) : min(hi, offset + PRODUCT_REACH)]}"


def _prices_a_service(item: str, sentence: str) -> bool:
    """A fee for care ("a single infusion", "a $40 copay per session") or a price others set ("clinics
    bill close to $900 for each dose"), where the sentence names no drug: a comparison on a shop page."""
    if _SERVICE_RE.search(item):
        return True
    return not substances().find(sentence) and bool(
        _SERVICE_RE.search(sentence) or _OTHERS_PRICE_RE.search(sentence)
    )


def _card_above(text: str, lo: int, hi: int, sized: bool) -> list[str]:
    """The price's line and the lines above it in its block, up to the first that names a drug.

    A line that names its own item (not ``sized``) stops at a line with its list marker above
    it: that is another listing, not its card.
    """
    card = [text[lo:hi]]
    marker = card[0].lstrip()[:1]
    block_start = _block_bounds(text, lo)[0]
    while len(card) <= CARD_LINES and lo > block_start and not substances().find(card[-1]):
        above = text.rfind("\n", block_start, lo - 1)
        lo, hi = (above + 1 if above != -1 else block_start), lo - 1
        line = text[lo:hi]
        if not sized and not marker.isalnum() and line.lstrip().startswith(marker):
            break
        card.append(line)
    return card


def _last_product_named(text: str, before: int) -> str:
    """The line of the last drug named within :data:`PRODUCT_REACH` characters before ``before`` (or "")."""
    named = list(substances().pattern.finditer(text, max(0, before - PRODUCT_REACH), before))
    return _line(text, named[-1].start(), named[-1].end()) if named else ""


def _illicit(
    product: str, carded: bool, unit: str | None, listing: bool, facts: _PageFacts, offset: int
) -> bool:
    """A bulk price of a controlled substance, or a drug listed for sale with no prescription step
    (``carded``: listed on a shop's product card).

    A weight priced for a service is a dose ("IV ketamine infusion (0.5 mg/kg)"), not goods by weight.
    """
    drug = substances().find(product)
    if drug is None:
        return False
    service = _SERVICE_RE.search(product) or unit in SERVICE_UNITS
    if (
        substances().is_controlled(drug)
        and not service
        and (unit in WEIGHT_UNITS or _BULK_RE.search(product))
    ):
        return True
    if not (listing or carded or (unit in DOSE_UNITS and facts.sells_at(offset))):
        return False
    if facts.sells_at(offset):
        return True
    return not (service or facts.prescription_step)
