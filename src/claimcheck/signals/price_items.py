"""What a price is the price of: a small noun-phrase chunker for price contexts.

A listing names its item in a table cell or a label before the price ("Series of six
infusions | $2,400", "Maintenance infusion: $475 each"); prose names it after the
price ("$150 to $200 for the six infusions"), as the subject of a cost verb ("a typical
course of six infusions can cost $2,400") or just before it. The rules are
hand-written and read only the line or sentence around the price, within
:data:`CONTEXT_CHARS`, so that hostile text stays cheap.
"""

from __future__ import annotations

import re

from .money import has_money

CONTEXT_CHARS = 300
MAX_ITEM_CHARS = 100
MAX_LABEL_WORDS = 10
MAX_CELL_WORDS = 8
MAX_SUBJECT_CHARS = 120

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

_LABEL_SEPARATOR_RE = re.compile(r"(?:[=:|–—]|-{1,2}|\.{2,}|…)\s*$")
_BULLET_RE = re.compile(r"^[^\w(\"'“]*(?:\d{1,2}[.)]\s+)?")
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


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The line around ``start:end``, cut to :data:`CONTEXT_CHARS` on each side."""
    lo = text.rfind("\n", max(0, start - CONTEXT_CHARS), start)
    hi = text.find("\n", end, end + CONTEXT_CHARS)
    return (lo + 1 if lo != -1 else max(0, start - CONTEXT_CHARS)), (
        hi if hi != -1 else min(len(text), end + CONTEXT_CHARS)
    )


def price_item(
    text: str,
    start: int,
    end: int,
    segment: tuple[int, int],
    line: tuple[int, int],
    sentence: tuple[int, int],
    row: bool,
) -> tuple[str | None, bool, str | None]:
    """The priced item, whether the price is a listing (row, list item, label), and a unit the item implies.

    ``segment`` is the stretch of the ``line`` between the neighbouring prices, so that
    cells run together ("Infusion$450Series$2,400") each get their own label;
    ``sentence`` is the sentence around the price, where prose names its item; ``row``
    says the segmentation made the line a table row, whose other cells name the item.
    """
    if row:
        cells = (c.strip() for c in re.split(r"[|\t]", text[line[0] : line[1]]))
        others = [c for c in cells if re.search(r"[^\W\d_]", c) and not has_money(c)]
        short = [c for c in others if len(c.split()) <= MAX_CELL_WORDS] or others[:1]
        return _clean(", ".join(short)), True, None
    label = _BULLET_RE.sub("", text[segment[0] : start])
    if _is_label(label, text[end : segment[1]]):
        item = _clean(_LABEL_SEPARATOR_RE.sub("", label))
        one = _ONE_UNIT_RE.search(item or "")
        return item, True, UNITS[one.group(1).lower()] if one else None
    lo, hi = sentence
    item, unit = _prose_item(text[lo:start], text[end:hi], text[start:end].lower().endswith("off"))
    return item, False, unit


def _is_label(label: str, after: str) -> bool:
    """Whether the text before a price names it, as in "Tablet = $42" or "Infusion$450"."""
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
