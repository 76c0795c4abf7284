"""Segmentation: split the extracted text into units with character offsets.

Lines are hard boundaries: a list item, a table row or a heading is its own unit, and
only prose lines go through spaCy's sentencizer. Spun and badly punctuated pages glue
sentences together ("relief.Call us"), so a missing space after a full stop also
counts as a boundary, and so does a reference mark after one ("in 1970.[4] It is").

A lead-in that ends with a colon and the fragment items that complete it ("For
addiction, the drip: • flushes toxins • curbs cravings"; "We treat: • PTSD • OCD") are
one unit of kind ``list``: the annotation guide makes such a list one claim, and no item
asserts anything without its lead-in. A heading that announces what is treated ("Conditions
We Treat") is a lead-in without its colon. Extracted text often loses the bullets, so a short
line of its own that is a fragment counts as an item too ("...conditions, including:" /
"Anxiety: social anxiety" / "End-of-life distress"), up to the next lead-in or
question. Items that are sentences of their own stay apart, and so do items that
carry a figure of their own (under "Quick cost overview:", each priced line is a claim);
an item of several sentences ("1. For the first time, we can... Traditional
treatments are...") is split like prose, since the guide annotates claims sentence by
sentence.

Text reaches spaCy only through :func:`tokenizer_safe`, which keeps the tokenizer
linear on hostile input (see there).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import pairwise

import spacy
from spacy.language import Language

from ..records import Document, Unit, UnitKind

BLANK_LINE = re.compile(r"\n[ \t]*\n")
"""A blank line: the end of a block of text (a paragraph, a list)."""
BULLET = re.compile(r"^[ \t]*(?:[-*•·▪◦‣–—]|\d{1,2}[.)])[ \t]+")
TABLE_RULE = re.compile(r"^[\s|:+-]*$")
GLUED_SENTENCES = re.compile(r"(?<=[a-z\d%)][.!?])(?=[A-Z][a-z])")
CITED_SENTENCE_END = re.compile(
    r"[.!?][\"”’)]?(?:\[(?:\d{1,3}(?:[,–-]\s?\d{1,3})*|citation needed)\])+(?=\s+[\"“(]?[A-Z])"
)
"""A sentence closed by an encyclopedia's reference mark ("...in 1970.[4] It is..."): spaCy reads on past it."""
EMOJI_SENTENCE_END = re.compile(
    r"[\U0001F300-\U0001FAFF\u2728\u2764][\uFE0F\U0001F3FB-\U0001F3FF]*(?=\s+[\"“(]?[A-Z])"
)
"""A pictograph closing a sentence in social text ("...the best playlist in the building 🎧 Every infusion
is watched..."), where the writer puts no full stop. Not rating stars or check marks, which open a line."""
INNER_SENTENCE_END = re.compile(r"[a-z\d%)][.!?][\"”’)\]]?\s+[\"“(\[]?[A-Z]")
OPENING_QUOTES = ('"', "“")
CLOSING_QUOTES = ('"', "”")
QUOTED_SPAN = re.compile(r"[\"“][^\"”]*[\"”]")
MAX_QUOTED_SENTENCES = 4
"""The most sentences one quotation is kept whole over (a review of a few lines, not a quoted speech)."""
RATING_MARKS = "★☆⭐* \t"
"""What may stand before a review's opening quotation mark (its rating)."""
TREATED_HEADING = re.compile(
    r"\b(?:conditions?|we treat|what we treat|who we (?:help|treat)|help(?:s)? with|used (?:to treat|for)|indications)\b",
    re.I,
)
"""A heading that announces a list of what is treated."""
MAX_HEADING_WORDS = 12
MIN_LIST_ITEMS = 2
MAX_BARE_ITEM_WORDS = 10
"""Longest line without a bullet that can be an item of the list above it."""
MAX_UNIT_CHARS = 2_000
MAX_LINE_CHARS = 1_000_000
"""Longest piece of one line given to the sentencizer (its limit is twice this)."""
MAX_SYMBOL_RUN = 16
"""Longest run of symbols (not letters, digits or spaces) that spaCy's tokenizer sees unbroken."""
_SYMBOL_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_SYMBOL_RUN + 1},}}")
SENTENCE_ENDS = ".!?\n"
SENTENCE_REACH = 300
"""How far :func:`sentence_around` reads on either side of its span."""
ABBREVIATION_LOOKBACK = 12
ABBREVIATION_END = re.compile(
    r"(?:\b\w\.){2,}\s*$|\b(?:e\.g|i\.e|etc|vs|approx|incl|inc|ltd|co|corp|dr|mr|mrs|ms|st|no|fig)\.\s*$",
    re.I,
)
"""Text that ends with an abbreviation ("U.S.", "e.g."): its full stop ends no sentence."""


@cache
def sentencizer() -> Language:
    """A blank English pipeline with the rule-based sentencizer (loaded once)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 2_000_000
    return nlp


def tokenizer_safe(text: str) -> str:
    """``text`` with long runs of symbols broken by spaces, keeping its length so offsets still hold.

    spaCy's tokenizer peels prefix and suffix characters off a whitespace-free chunk
    one at a time, re-scanning the rest of the chunk after each, so a run of n symbols
    costs O(n²): 100 kB of ``$`` (or of ``( " # * ! = €``) took minutes. Replacing every
    ``MAX_SYMBOL_RUN + 1``-th character of such a run with a space bounds every run,
    so the cost is linear in the text. Words, numbers and ordinary punctuation are
    never touched; only runs no cue phrase or sentence boundary could live in are.
    Callers read span text from the original string, never from the tokenized copy.
    """
    return _SYMBOL_RUN.sub(_break_run, text)


def _break_run(match: re.Match[str]) -> str:
    chars = list(match.group())
    for i in range(MAX_SYMBOL_RUN, len(chars), MAX_SYMBOL_RUN + 1):
        chars[i] = " "
    return "".join(chars)


def segment(document: Document) -> tuple[Unit, ...]:
    """All units of the document, in text order."""
    units: list[Unit] = []
    prose: list[tuple[int, str]] = []
    for start, line in _lines(document.text):
        kind = _line_kind(line)
        if kind == "sentence":
            prose.append((start, line))
        elif kind is not None:
            unit = _line_unit(start, line, kind)
            if kind == "list_item" and INNER_SENTENCE_END.search(unit.text):
                prose.append((unit.start, unit.text))
            else:
                units.append(unit)
    units.extend(_sentences(prose))
    return tuple(_merge_lists(document.text, sorted(units, key=lambda unit: unit.start)))


def _merge_lists(text: str, units: list[Unit]) -> Iterator[Unit]:
    """Join each colon lead-in with the fragment list items that follow it (see the module docstring)."""
    i = 0
    while i < len(units):
        items = _completing_items(text, units, i)
        if len(items) >= MIN_LIST_ITEMS:
            start, end = units[i].start, items[-1].end
            yield Unit(start, end, text[start:end], "list")
            i += len(items) + 1
        else:
            yield units[i]
            i += 1


def _completing_items(text: str, units: list[Unit], lead: int) -> list[Unit]:
    """The list items right after ``units[lead]`` that complete it, or none when it is not a lead-in."""
    if not _is_lead_in(units[lead]):
        return []
    following = units[lead + 1 :]
    bulleted = bool(following) and following[0].kind == "list_item"
    items: list[Unit] = []
    for unit in following:
        previous = items[-1] if items else units[lead]
        if not (unit.kind == "list_item" if bulleted else _is_bare_item(text, previous, unit)):
            break
        items.append(unit)
    return items if all(_is_fragment(item.text) and not _carries_figure(item.text) for item in items) else []


def _is_lead_in(unit: Unit) -> bool:
    """A line that ends with a colon, or a heading that announces what is treated ("Conditions We Treat",
    "What we help with"): the items under it complete it, colon or not."""
    if unit.kind not in ("sentence", "heading"):
        return False
    return unit.text.endswith(":") or (
        unit.kind == "heading"
        and not unit.text.endswith("?")
        and TREATED_HEADING.search(unit.text) is not None
    )


def _is_bare_item(text: str, previous: Unit, unit: Unit) -> bool:
    """A list item that lost its bullet: a short fragment of words alone on the line after ``previous``.

    Not a lead-in itself, and not after a blank line (a new section). A line that starts
    with a figure ("$400 - $800 per infusion") is data, not an item.
    """
    line_end = text.find("\n", unit.end)
    next_line = (
        text[previous.end : unit.start].count("\n") == 1 and not text[previous.end : unit.start].strip()
    )
    alone = next_line and not text[unit.end : line_end if line_end >= 0 else None].strip()
    words = unit.text.split()
    return (
        alone
        and unit.kind in ("sentence", "heading")
        and len(words) <= MAX_BARE_ITEM_WORDS
        and unit.text[:1].isalpha()
        and _is_fragment(unit.text)
        and not unit.text.endswith(":")
    )


def _carries_figure(text: str) -> bool:
    """An item with a number of its own ("IV infusions: $400-$1,000 per session") is a row of data, not a word completing the lead-in."""
    return any(char.isdigit() for char in text)


def _is_fragment(text: str) -> bool:
    return not text.rstrip().endswith((".", "!", "?"))


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line with its offset; a line longer than spaCy takes in one piece comes in pieces."""
    offset = 0
    for line in text.split("\n"):
        for cut in range(0, max(1, len(line)), MAX_LINE_CHARS):
            yield offset + cut, line[cut : cut + MAX_LINE_CHARS]
        offset += len(line) + 1


def _line_kind(line: str) -> UnitKind | None:
    stripped = line.strip()
    if not stripped or TABLE_RULE.match(stripped):
        return None
    if BULLET.match(line):
        return "list_item"
    if is_table_row(stripped):
        return "table_row"
    if _looks_like_heading(stripped):
        return "heading"
    return "sentence"


def is_table_row(line: str) -> bool:
    """Cells separated by a bar or a tab ("Infusion | $450", "Infusion\t$450")."""
    return "|" in line or "\t" in line.strip()


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    if len(words) > MAX_HEADING_WORDS or line[-1] in ".!,;":
        return False
    if line.endswith("?") or line.endswith(":"):
        return True
    capitalised = sum(1 for word in words if word[:1].isupper() or not word[:1].isalpha())
    return len(words) <= 3 or capitalised / len(words) >= 0.6


def _line_unit(start: int, line: str, kind: UnitKind) -> Unit:
    bullet = BULLET.match(line) if kind == "list_item" else None
    inner_start = bullet.end() if bullet else len(line) - len(line.lstrip())
    inner = line[inner_start:].rstrip()
    return Unit(start + inner_start, start + inner_start + len(inner), inner, kind)


def _sentences(prose: list[tuple[int, str]]) -> Iterator[Unit]:
    texts = (tokenizer_safe(line) for _, line in prose)
    for (line_start, line), doc in zip(prose, sentencizer().pipe(texts, batch_size=256), strict=True):
        units = [
            unit
            for sentence in doc.sents
            for unit in _split_glued(
                line_start + sentence.start_char, line[sentence.start_char : sentence.end_char]
            )
        ]
        yield from _quotations_kept_whole(line_start, line, units)


def _quotations_kept_whole(line_start: int, line: str, units: list[Unit]) -> Iterator[Unit]:
    """Sentences, with a quotation of a few sentences kept whole: a review ("I tore my shoulder. Three weeks
    later I was back in the gym.") says its claim across them, and the guide's span is the quotation. Up to
    :data:`MAX_QUOTED_SENTENCES`; an opening mark never closed leaves the sentences as they are."""
    i = 0
    while i < len(units):
        first = units[i]
        close = _closing_unit(units, i) if _opens_quotation(first.text) else None
        if close is None:
            yield first
            i += 1
            continue
        start, end = first.start, units[close].end
        yield Unit(start, end, line[start - line_start : end - line_start], "sentence")
        i = close + 1


def _closing_unit(units: list[Unit], opening: int) -> int | None:
    """The index of the unit that closes the quotation opened at ``opening``, if one does soon enough."""
    for j in range(opening + 1, min(opening + MAX_QUOTED_SENTENCES, len(units))):
        if _opens_quotation(units[j].text) or units[j].text[:1] in OPENING_QUOTES:
            return None
        if _closes_quotation(units[j].text):
            return j
    return None


def unquoted(text: str) -> str:
    """The text without what stands inside quotation marks."""
    return QUOTED_SPAN.sub(" ", text)


def opens_a_quotation(text: str) -> bool:
    """Whether the text opens with a quotation mark, after any rating stars (a review: "★★★★★ "It helped")."""
    return text.lstrip(RATING_MARKS)[:1] in OPENING_QUOTES


def _opens_quotation(text: str) -> bool:
    """Whether the text opens a quotation it does not close."""
    quoted = text.lstrip(RATING_MARKS)
    return quoted[:1] in OPENING_QUOTES and not any(mark in quoted[1:] for mark in CLOSING_QUOTES)


def _closes_quotation(text: str) -> bool:
    return text[:1] not in OPENING_QUOTES and any(mark in text for mark in CLOSING_QUOTES)


def _split_glued(start: int, text: str) -> Iterator[Unit]:
    """Split at glued boundaries, then trim and cap each piece."""
    glued = [m.start() for m in GLUED_SENTENCES.finditer(text)]
    closed = [m.end() for m in (*CITED_SENTENCE_END.finditer(text), *EMOJI_SENTENCE_END.finditer(text))]
    cuts = [0, *sorted({*glued, *closed}), len(text)]
    for left, right in pairwise(cuts):
        piece = text[left:right]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        for offset in range(0, len(piece), MAX_UNIT_CHARS):
            chunk = piece[offset : offset + MAX_UNIT_CHARS].strip()
            if chunk:
                chunk_start = start + left + lead + offset + piece[offset:].find(chunk)
                yield Unit(chunk_start, chunk_start + len(chunk), chunk, "sentence")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``start:end``, without the segmenter: from the last stop or line break before
    it (not an abbreviation's full stop) to the next stop after it, which is left out; at most
    :data:`SENTENCE_REACH` away on each side. For signal finders that read one cue's sentence."""
    floor = max(0, start - SENTENCE_REACH)
    lo = floor
    for i in range(start - 1, floor - 1, -1):
        if text[i] in SENTENCE_ENDS and not _ends_abbreviation(text, i):
            lo = i + 1
            break
    ends = [i for i in (text.find(mark, end, end + SENTENCE_REACH) for mark in SENTENCE_ENDS) if i >= 0]
    return lo, min(ends, default=min(len(text), end + SENTENCE_REACH))


def _ends_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` is inside or closes an abbreviation ("U.S.", "e.g."), not a sentence."""
    if text[stop] != ".":
        return False
    inside = stop + 2 < len(text) and text[stop + 1].isalpha() and text[stop + 2] == "."
    lead = text[max(0, stop - ABBREVIATION_LOOKBACK) : stop + 1]
    return inside or ABBREVIATION_END.search(lead) is not None
