"""Offers: the words that make a price an offer, and offers stated without an amount.

Annotation guide §4: a price is an offer when it is a discount, voucher, introductory
or bundle price, a financing plan, or a free consultation. ``is_offer_context`` reads
those words around one price (only in the stretch of its sentence that belongs to it,
so that "$450, or $2,400 when paid in advance" makes only the second an offer).

``find_offers`` finds offers that have no amount ("10% off", "0% interest financing",
"your first session is free", "buy 5 get 1 free"). They are not prices (guide §5:
"free consultation is an offer but has no amount"), so they are reported as
:class:`~claimcheck.records.Offer` records beside the prices, never scored as prices.
"""

from __future__ import annotations

import re

from ..records import Offer, OfferKind
from ..text.literals import fold, prefiltered_finditer

MAX_OFFERS = 500
#: how far around a price its offer words are looked for, within its own stretch of the sentence.
OFFER_WINDOW_CHARS = 80

_ORDINAL = (
    r"(?:first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|seventh|7th|tenth|10th|\d{1,2}th)"
)
_SMALL_NUMBER = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
_VISIT = (
    r"(?:sessions?|infusions?|consultations?|consults?|visits?|treatments?|months?|class(?:es)?|"
    r"assessments?|evaluations?|screenings?|trials?|shipping|delivery|reship)"
)
_PERCENT = r"\d{1,2}(?:[.,]\d)?\s?(?:%|percent\b|per cent\b)"

#: amount-less offers by kind; each pattern is bounded.
OFFER_PATTERNS: dict[OfferKind, tuple[str, ...]] = {
    "financing": (
        r"\b0\s?%\s?(?:interest|apr|financing|finance)(?:\s+(?:financing|payment plans?))?\b",
        r"\b(?:interest[- ]free|no[- ]interest)\s+(?:financing|payment plans?|instal?l?ments?|payments?)\b",
        r"\b(?:financing|payment plans?)\s+(?:is\s+|are\s+)?(?:available|offered)\b",
        r"\bbuy now,? pay later\b",
        rf"\bpay in {_SMALL_NUMBER} (?:interest[- ]free )?instal?l?ments\b",
    ),
    "discount": (
        rf"\b(?:up to\s+)?{_PERCENT}\s?(?:off|discount|reduction|savings?|rabatt|de réduction|de descuento)\b",
        rf"\b(?:save|saving|get|enjoy)\s+(?:up to\s+)?{_PERCENT}",
        r"\b(?:military|veterans?'?|student|senior|first[- ]responder|family|package|bundle|loyalty|"
        r"membership|member)\s+discounts?\b",
    ),
    "free": (
        rf"\b(?:your\s+)?{_ORDINAL}\s+(?:[\w-]+\s+){{0,2}}?{_VISIT}\s+(?:is\s+|are\s+)?(?:free|complimentary|on us)\b",
        rf"(?<![\w-])free\s+(?:initial\s+|first\s+|\d{{1,3}}-minute\s+|introductory\s+|phone\s+|virtual\s+|"
        rf"express\s+|discovery\s+){{0,3}}{_VISIT}",
        rf"\bcomplimentary\s+(?:initial\s+|first\s+|\d{{1,3}}-minute\s+|phone\s+|virtual\s+){{0,3}}{_VISIT}",
        r"\b(?:fees?|charges?)\s+(?:is\s+|are\s+|will be\s+)?waived\b",
    ),
    "bundle": (
        rf"\bbuy\s+{_SMALL_NUMBER}\s*,?\s*(?:and\s+)?get\s+{_SMALL_NUMBER}\s+(?:[\w-]+\s+)?free\b",
        r"\b(?:2|two)[- ]for[- ](?:1|one)\b|\bbogo\b",
        rf"\b{_SMALL_NUMBER}\s+for\s+the\s+price\s+of\s+{_SMALL_NUMBER}\b",
    ),
}
_OFFER_RES: tuple[tuple[OfferKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile("|".join(patterns), re.I)) for kind, patterns in OFFER_PATTERNS.items()
)

#: words just before an amount that make it an offer ("for only $375", "now $549", "free, normally $150").
_OFFER_BEFORE_RE = re.compile(
    r"\b(?:only|just|now|now only|today only|special|intro(?:ductory)?|normally|regularly|valued at)[:\s]{1,3}$",
    re.I,
)
#: words in a price's own stretch of the sentence that make it an offer.
_OFFER_WORDS_RE = re.compile(
    r"\bsav(?:e|es|ed|ing|ings)\b|\bdiscount\w*|\bvoucher|\bcoupon|\bpromo(?:tion\w*)?\b|\bspecial offer|"
    r"(?<!for )\bsale\b|\breduced\b|\bintroductory\b|\bintro\b|\bdeal\b|\blimited[- ]time\b|\bin advance\b|"
    r"\bup ?front\b|\bprepa(?:id|y)\b|\bcomplimentary\b|\bwaived?\b|\bcredits?\s+(?:toward|towards|to|on|off)\b|"
    r"\brefer(?:ral| a friend)\b|\bbooked together\b|\bbundle|\bpayment plans?\b|\bfinancing\b|"
    r"\binstal?l?ments?\b|\bfounding\b|\block in\b|\b(?:first|1st) (?:infusion|session|visit|month|consultation|"
    r"treatment)s? (?:for|at|is|costs?)\b|(?<![\w-])free\b|% off\b|\b0\s?% (?:interest|apr|financing)|"
    r"\binterest[- ]free\b|\bno interest\b|\bas (?:little|low) as\b|\bapproved credit\b|"
    r"\b(?:with|use|using|enter)\s+(?:the\s+)?(?:promo\s+|coupon\s+|discount\s+)?code\b|"
    r"\bnew (?:patients?|clients?|members?) (?:pay|get|save)\b|\bfirst[- ]time (?:customers?|patients?|clients?|buyers?)\b",
    re.I,
)

_CLAUSE_BREAK_RE = re.compile(r"[,;]\s|\s[|\t]\s?|\t|\s(?:but|whereas|while)\s")


def is_offer_context(text: str, start: int, end: int, stretch: tuple[int, int]) -> bool:
    """Whether offer words stand right before the price or in its own clause.

    ``stretch`` is the part of the sentence (or table cell) between the neighbouring
    prices; it is cut to the clause around the price (commas, semicolons, table cell
    separators) and to :data:`OFFER_WINDOW_CHARS` on each side, so that "visits are
    free of charge, and participants receive $300" is not an offer.
    """
    lo = max(stretch[0], start - OFFER_WINDOW_CHARS)
    hi = min(stretch[1], end + OFFER_WINDOW_CHARS)
    for m in _CLAUSE_BREAK_RE.finditer(text, lo, start):
        lo = m.end()
    if stop := _CLAUSE_BREAK_RE.search(text, end, hi):
        hi = stop.start()
    if _OFFER_BEFORE_RE.search(text, max(lo, start - 20), start):
        return True
    return bool(_OFFER_WORDS_RE.search(text, lo, hi))


def find_offers(text: str) -> tuple[Offer, ...]:
    """Offers without an amount, in text order, at most :data:`MAX_OFFERS`; overlapping finds keep the first kind."""
    found: list[Offer] = []
    folded = fold(text)
    for kind, pattern in _OFFER_RES:
        for m in prefiltered_finditer(pattern, text, folded):
            if len(found) >= MAX_OFFERS:
                break
            if not any(o.start < m.end() and m.start() < o.end for o in found):
                found.append(Offer(m.start(), m.end(), m.group(), kind))
    return tuple(sorted(found, key=lambda o: o.start))
