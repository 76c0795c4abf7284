"""Money amounts in running text: where they are, in which currency, how much.

A candidate is a number with a currency written next to it: a symbol, ISO code or
name before or after it ("$1 298,00", "3 173,00 €", "CHF 1'200", "65 000 руб.",
"300 Canadian dollars"), from :mod:`claimcheck.signals.currencies`. Its amount is parsed by
``price_parser``, which settles decimal and grouping separators (space, no-break
space, comma, dot, apostrophe; Indian lakh grouping), and a magnitude word or letter
multiplies it ("$134.5 billion", "$2.5k", "2,5 Mio. €").

What price-parser does not do (it reads one price from a short string) is here:
ranges ("$300–$1,500", "$400-800", "between 300 and 500 euros", "$1–2 million"),
old/new pairs ("was $599 now $549", "$ 599.00 549.00", a "Standard | Veteran" table
row), and choosing the currency of a shared symbol: an ISO code next to it, a place in
brackets after it ("$375-$850 (Canada)"), the one code the page writes its amounts
in, or the table's default ("$" is USD).

Hostile input stays cheap: every pattern has bounded repetitions, at most
:data:`MAX_NUMBERS` numbers are examined and :data:`MAX_AMOUNTS` amounts returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from price_parser import Price as ParsedPrice

from .currencies import KNOWN_CODES, Currencies, currencies

MAX_AMOUNTS = 2000
MAX_NUMBERS = 200_000
#: how much of a table cell :func:`has_money` reads.
HAS_MONEY_CHARS = 2000

#: magnitude words (case-insensitive, a space allowed before them) and letters (case-sensitive, glued).
MAGNITUDE_WORDS = {
    "thousand": 1e3,
    "lakh": 1e5,
    "lakhs": 1e5,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "mio.": 1e6,
    "crore": 1e7,
    "crores": 1e7,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "mrd": 1e9,
    "mrd.": 1e9,
    "trillion": 1e12,
}
MAGNITUDE_LETTERS = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "B": 1e9}

_SPACES = " \u00a0\u202f"
NUMBER = (
    r"(?<![\w.,'’])(?P<digits>\d{1,3}(?:[,.'’ \u00a0\u202f]\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}|\d{1,15})"
    r"(?P<decimals>[.,]\d{1,2})?(?!\d)"
)
NUMBER_RE = re.compile(NUMBER)
_MAGNITUDE_WORD_RE = re.compile(
    r"[ \u00a0]?(?P<word>" + "|".join(map(re.escape, sorted(MAGNITUDE_WORDS, key=len, reverse=True))) + ")"
    r"(?![^\W\d_])",
    re.I,
)
_MAGNITUDE_LETTER_RE = re.compile(r"(?P<word>[kKmMB])(?![^\W\d_])")
#: what may follow a space-grouped number for the spaces to be grouping ("€ 12 500 per session").
_AFTER_GROUPED_RE = re.compile(
    r"[ \u00a0]?(?:$|[^\w\s]|\n|(?:per|pro|par|a|an|each|for|in|to|and|or|incl\w*|plus|total)\b)", re.I
)
_RANGE_SEP_RE = re.compile(r"\s{0,3}(?P<sep>-|–|—|to|and|bis|à)\s{0,3}", re.I)
_BETWEEN_RE = re.compile(r"\b(?:between|among)\s+\S{0,3}$", re.I)
_LOW_BEFORE_RE = re.compile(
    rf"(?P<between>\b(?:between|among)\s+)?{NUMBER}(?P<mag>[ \u00a0]?(?:thousand|million|billion))?"
    r"\s{0,3}(?P<sep>-|–|—|to|and|bis)\s{0,3}$",
    re.I,
)
#: a bare number after a range separator that counts something else ("$25 to 30 minutes").
_NOT_MONEY_AFTER_RE = re.compile(
    r"\s?(?:%|percent|minutes?|hours?|days?|weeks?|months?|years?|patients?|people|mg|ml|mcg)\b", re.I
)
_PLACE_RE = re.compile(r"[ \u00a0]?\((?P<place>[^()\n]{2,20})\)")
_STRUCK_RE = re.compile(rf"[ \t\u00a0]{{1,3}}{NUMBER}")
#: the text between two amounts of an old/new pair ("was $599, now $549", "$1,980 instead of $2,200").
_PAIR_GAP_RE = re.compile(
    r"[\s,;:(/]{0,3}(?:now|now only|sale|sale price|today|today only|special|offer|new price|instead of|"
    r"rather than|reduced to|down to|was|regularly|normally|reg\.|statt|au lieu de|->|→)[\s:,)]{0,3}",
    re.I,
)
#: two amounts side by side, as a struck-out price renders in text ("$500 $425", markdown "~~$500~~ $425").
_SIDE_BY_SIDE_RE = re.compile(r"(?:~~)?[ \u00a0]{1,3}(?:~~)?")
_CELL_GAP_RE = re.compile(r"[ \u00a0]*[|\t][ \u00a0|\t]*")
#: a table header naming a regular and a reduced price column.
_PAIR_HEADER_RE = re.compile(
    r"\b(?:standard|regular|normal|list|retail|full|was|before|old)\b.{0,40}[|\t].{0,40}"
    r"\b(?:member|veteran|discount\w*|sale|offer|special|now|after|new|reduced|promo\w*)\b",
    re.I,
)
PAIR_HEADER_LINES = 6


@dataclass(frozen=True)
class Money:
    """An amount or a range in one currency, with its offsets in the text.

    ``offer`` is set only for the two prices of an old/new pair: True for the lower
    (new) price, False for the higher (old) one; None means nothing was decided here.
    """

    start: int
    end: int
    currency: str
    amount: float | None
    low: float | None = None
    high: float | None = None
    offer: bool | None = None


@dataclass(frozen=True)
class _Number:
    """A number as written (digits and decimals), its span with any magnitude, and that magnitude."""

    start: int
    end: int
    written: str
    factor: float
    decimals: int


@dataclass(frozen=True)
class _Candidate:
    """An amount before its shared symbol is settled: the ISO codes it may be in, default first."""

    money: Money
    codes: tuple[str, ...]
    written_as_code: bool
    decimals: int


def find_money(text: str) -> tuple[Money, ...]:
    """Every money amount and range in ``text``, in order, with old/new pairs marked."""
    table = currencies()
    found: list[_Candidate] = []
    for index, m in enumerate(NUMBER_RE.finditer(text)):
        if index >= MAX_NUMBERS or len(found) >= MAX_AMOUNTS:
            break
        if found and m.start() < found[-1].money.end:
            continue
        candidate = _candidate(text, m, table, found[-1].money.end if found else 0)
        if candidate is None:
            continue
        found.append(candidate)
        if struck := _struck_through(text, candidate, table):
            found.append(struck)
    page_codes = {c.codes[0] for c in found if c.written_as_code}
    return _mark_pairs(text, [_resolved(text, c, page_codes, table) for c in found][:MAX_AMOUNTS])


def has_money(text: str) -> bool:
    """Whether ``text`` holds at least one money amount."""
    table = currencies()
    return any(_candidate(text, m, table, 0) for m in NUMBER_RE.finditer(text, 0, HAS_MONEY_CHARS))


def _candidate(text: str, m: re.Match[str], table: Currencies, taken: int) -> _Candidate | None:
    """The amount around the number ``m`` when a currency stands next to it, extended to a range.

    A symbol before ``taken`` already belongs to the previous amount ("300 € 500 €").
    """
    number = _number(text, m, table)
    left = _symbol_before(text, number.start, table)
    if left is not None and left[0] < taken:
        left = None
    right = _symbol_after(text, number.end, table)
    if (left is None and right is None) or (right is None and _glued_letters(text, left, number)):
        return None
    raw = _parsed(number.written)
    if raw is None:
        return None
    start = left[0] if left else number.start
    end = right[0] if right else number.end
    codes, by_code = _codes(left[1] if left else "", right[1] if right else "", table)
    money = Money(start, end, codes[0], raw * number.factor)
    candidate = _Candidate(money, codes, by_code, number.decimals)
    ranged = _with_range_after(text, candidate, (raw, number.factor), table)
    if ranged is candidate and left is None:
        ranged = _with_range_before(text, candidate, number, taken)
    return ranged


def _glued_letters(text: str, left: tuple[int, str] | None, number: _Number) -> bool:
    """A letter code glued to a number glued to letters ("CYP2D6") is a name, not money."""
    if left is None or not left[1][-1].isalpha() or left[0] + len(left[1]) != number.start:
        return False
    return number.end < len(text) and text[number.end].isalpha()


def _number(text: str, m: re.Match[str], table: Currencies) -> _Number:
    """The number at ``m`` with its magnitude; space grouping that is really two numbers is undone."""
    digits, decimals = m["digits"], m["decimals"] or ""
    end = m.end()
    if any(c in _SPACES for c in digits) and not decimals:
        after = _magnitude(text, end)[0]
        if _symbol_after(text, after, table) is None and not _AFTER_GROUPED_RE.match(text, after):
            digits = re.split(f"[{_SPACES}]", digits, maxsplit=1)[0]
            end = m.start() + len(digits)
    end, factor = _magnitude(text, end)
    return _Number(m.start(), end, digits + decimals, factor, max(0, len(decimals) - 1))


def _parsed(written: str) -> float | None:
    """The value of a number as written; price-parser settles the decimal and grouping separators."""
    return ParsedPrice.fromstring(written.replace("’", "'")).amount_float


def _magnitude(text: str, end: int) -> tuple[int, float]:
    """The end after a magnitude word or letter at ``end``, and its factor (1.0 when none)."""
    if m := _MAGNITUDE_LETTER_RE.match(text, end):
        return m.end(), MAGNITUDE_LETTERS[m["word"]]
    if m := _MAGNITUDE_WORD_RE.match(text, end):
        return m.end(), MAGNITUDE_WORDS[m["word"].lower()]
    return end, 1.0


def _symbol_before(text: str, start: int, table: Currencies) -> tuple[int, str] | None:
    """``(start, symbol)`` of a currency symbol or code just before ``start`` (one space allowed)."""
    pos = start - 1 if start and text[start - 1] in _SPACES else start
    if pos == 0 or text[pos - 1].isdigit() or text[pos - 1].isspace():
        return None
    found = table.before(text, pos)
    if found is None:
        return None
    code = _code_before(text, found[0], table)
    return code or found


def _code_before(text: str, start: int, table: Currencies) -> tuple[int, str] | None:
    """An ISO code in front of a symbol: "CAD $450", "NZD$300"."""
    pos = start - 1 if start and text[start - 1] in _SPACES else start
    if pos >= 3 and text[pos - 3 : pos] in KNOWN_CODES:
        found = table.before(text, pos)
        if found is not None and found[1] in KNOWN_CODES:
            return found
    return None


def _symbol_after(text: str, end: int, table: Currencies) -> tuple[int, str] | None:
    """``(end, ISO code or symbol)`` of a currency written just after ``end`` (one space allowed)."""
    pos = end + 1 if end < len(text) and text[end] in _SPACES else end
    if pos >= len(text) or text[pos].isdigit() or text[pos].isspace():
        return None
    found = table.after(text, pos)
    if found is None:
        return None
    stop = found[0]
    if _starts_next_amount(text, stop, table):
        return None
    return stop, text[pos:stop]


def _starts_next_amount(text: str, stop: int, table: Currencies) -> bool:
    """Whether a symbol ending at ``stop`` is the prefix of the next amount ("$40 $90"), not a suffix.

    It is a suffix after all when the next amount has its own suffix ("349,00 € 299,00 €").
    """
    pos = stop + 1 if stop < len(text) and text[stop] in _SPACES else stop
    m = NUMBER_RE.match(text, pos) if pos < len(text) and text[pos].isdigit() else None
    if m is None:
        return False
    after = m.end() + 1 if m.end() < len(text) and text[m.end()] in _SPACES else m.end()
    return after >= len(text) or text[after].isdigit() or table.after(text, after) is None


def _codes(left: str, right: str, table: Currencies) -> tuple[tuple[str, ...], bool]:
    """Candidate ISO codes (default first) and whether an ISO code was written; a written code wins."""
    for written in (right, left):
        if written in KNOWN_CODES and table.codes(written):
            return (written,), True
    return _symbol_codes(left or right, table), False


def _symbol_codes(symbol: str, table: Currencies) -> tuple[str, ...]:
    """The codes a written symbol or name may stand for."""
    if symbol in table.symbols:
        return table.codes(symbol)
    code = table.names.get(symbol.lower())
    return (code,) if code else ()


def _with_range_after(
    text: str, first: _Candidate, number: tuple[float, float], table: Currencies
) -> _Candidate:
    """ "$300–$1,500", "$400-800", "€90 - €120", "$1–2 million": a second amount after a separator."""
    sep = _RANGE_SEP_RE.match(text, first.money.end, first.money.end + 12)
    if sep is None or (
        sep["sep"].lower() == "and"
        and not _BETWEEN_RE.search(text, max(0, first.money.start - 16), first.money.start)
    ):
        return first
    pos = sep.end()
    left = table.after(text, pos) if pos < len(text) and not text[pos].isdigit() else None
    written = [text[pos : left[0]]] if left else []
    if left is not None:
        pos = left[0] + (left[0] < len(text) and text[left[0]] in _SPACES)
    m = NUMBER_RE.match(text, pos)
    second = _number(text, m, table) if m else None
    second_raw = _parsed(second.written) if second else None
    if second is None or second_raw is None:
        return first
    right = _symbol_after(text, second.end, table)
    if left is None and right is None and _NOT_MONEY_AFTER_RE.match(text, second.end):
        return first
    written += [right[1]] if right else []
    if any(first.codes[0] not in _symbol_codes(w, table) for w in written):
        return first
    raw, factor = number
    high = second_raw * second.factor
    low = raw * second.factor if factor == 1.0 and raw <= second_raw else raw * factor
    if high <= low:
        return first
    end = right[0] if right else second.end
    return replace(first, money=replace(first.money, end=end, amount=None, low=low, high=high))


def _with_range_before(text: str, last: _Candidate, number: _Number, taken: int) -> _Candidate:
    """ "300–500 €", "between 300 and 500 euros": a bare low end before an amount written with its currency after."""
    window_start = max(taken, number.start - 40)
    m = _LOW_BEFORE_RE.search(text, window_start, number.start)
    if m is None or (m["sep"].lower() == "and" and not m["between"]):
        return last
    raw = _parsed(m["digits"] + (m["decimals"] or ""))
    if raw is None or last.money.amount is None:
        return last
    low = raw * (MAGNITUDE_WORDS[m["mag"].strip().lower()] if m["mag"] else number.factor)
    if low >= last.money.amount:
        return last
    start = m.start("digits")
    return replace(last, money=replace(last.money, start=start, amount=None, low=low, high=last.money.amount))


def _struck_through(text: str, first: _Candidate, table: Currencies) -> _Candidate | None:
    """A bare second number written like the first, right after it ("$ 599.00 549.00"): a struck-out old price and the new one."""
    money = first.money
    if money.amount is None or not first.decimals:
        return None
    m = _STRUCK_RE.match(text, money.end)
    if m is None or not m["decimals"] or len(m["decimals"]) - 1 != first.decimals:
        return None
    if _symbol_after(text, m.end(), table) is not None:
        return None  # "349,00 € 299,00 €": the second amount has its own currency
    value = _parsed(m["digits"] + m["decimals"])
    if value is None or value >= money.amount:
        return None
    start = m.start("digits")
    return replace(first, money=Money(start, m.end(), money.currency, value), written_as_code=False)


def _resolved(text: str, candidate: _Candidate, page_codes: set[str], table: Currencies) -> Money:
    """Settle a shared symbol: a place in brackets after it, else the page's one code, else the default."""
    codes = candidate.codes
    if len(codes) == 1:
        return candidate.money
    place = _PLACE_RE.match(text, candidate.money.end)
    if place and table.places.get(place["place"].strip()) in codes:
        return replace(candidate.money, currency=table.places[place["place"].strip()])
    named = page_codes & set(codes)
    if len(named) == 1:
        return replace(candidate.money, currency=named.pop())
    return candidate.money


def _mark_pairs(text: str, found: list[Money]) -> tuple[Money, ...]:
    """Mark old/new pairs: two single amounts in one currency that stand together; the lower is the offer."""
    marked = list(found)
    for i in range(len(marked) - 1):
        a, b = marked[i], marked[i + 1]
        if a.offer is not None or a.amount is None or b.amount is None or a.currency != b.currency:
            continue
        if a.amount != b.amount and _is_pair(text, a, b):
            marked[i] = replace(a, offer=a.amount < b.amount)
            marked[i + 1] = replace(b, offer=b.amount < a.amount)
    return tuple(marked)


def _is_pair(text: str, a: Money, b: Money) -> bool:
    gap = text[a.end : b.start]
    if _PAIR_GAP_RE.fullmatch(gap):
        return True
    descending = b.amount is not None and a.amount is not None and b.amount < a.amount
    if descending and _SIDE_BY_SIDE_RE.fullmatch(gap):
        return True
    return descending and bool(_CELL_GAP_RE.fullmatch(gap)) and _has_pair_header(text, a.start)


def _has_pair_header(text: str, start: int) -> bool:
    """Whether a table header above names a regular and a reduced price column."""
    lines = text[max(0, start - 1500) : start].split("\n")[-PAIR_HEADER_LINES:]
    return any(_PAIR_HEADER_RE.search(line) for line in lines)
