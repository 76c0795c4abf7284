"""Span-level cues of spam that real pages show and our own corpus did not (guide §3 and §5).

Each detector reads the page text and yields :class:`SpamSignal`\\ s with their spans;
:mod:`claimcheck.signals.spam` weighs them into the page score. None of them looks for a phrase of
one page: each describes a way pages are made.

- ``homoglyphs``: words that mix Latin letters with look-alikes from other scripts
  ("tһat", "ᴡill"), which scrapers use to dodge duplicate-content checks;
- ``link_injection``: the stock sentence of comment and article spam that sends the
  reader to "our web-site" for something unrelated;
- ``drug_shop``: an online shop for a controlled or prescription drug, judged as a
  combination of cue kinds (:data:`SHOP_CUES`) on a page that names such a drug;
- ``machine_filler``: stock phrases of generated SEO copy ("this exploration delves into",
  "in this section, we are going to talk about");
- ``broken_grammar``: a passive with a bare verb ("is use for", "can be cause by"), a slip
  generators and careless rewriters make and edited pages do not;
- ``keyword_insertion``: prose sentences that start in lower case, where an SEO tool pasted
  a keyword ("ketamine nasal spray for migraines is available ...") in place of a noun;
- ``location_stuffing``: "near me" repeated, the search phrase of local-search filler;
- ``templated_sentences``: one sentence template filled with different places or names
  ("Ketamine therapy in <city> is available for patients in <city>"), the make-up of
  generated local-search pages;
- ``keyword_list``: search queries pasted as a run of short "sentences" on one line, each
  repeating the same terms ("Ketamine clinic Austin. Ketamine infusion Austin. Ketamine for
  PTSD Austin."): what a page writes for a search engine, not for a reader;
- ``inserted_topic``: a paragraph on a subject web spam splices into pages it does not own
  (gambling, payday loans, essay writing: :mod:`claimcheck.signals.topics`) that never touches
  the subject of the page around it, as on a hacked clinic site.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice

from ..records import Severity, SpamSignal, Unit
from ..text.literals import fold, may_find
from ..text.segment import ABBREVIATION_END, ABBREVIATION_LOOKBACK, sentence_around
from .prices import BUY_ONLINE, NO_PRESCRIPTION, PAYMENT_SHIPPING, PRESCRIPTION_STEP, asked_or_warned
from .substances import substances
from .topics import spam_topics

MAX_SCAN_CHARS = 200_000
"""The cues read this much of a page: far more than a real page's main text, and a bound on hostile input."""
MAX_CUE_SIGNALS = 200
MAX_SIGNALS_PER_CUE_KIND = 20
"""Each shop cue kind reports at most this many spans, so that every kind is still counted."""
MAX_SCAN_LINES = 20_000
MAX_HEADING_CHARS = 200

HOMOGLYPH_SAFE_MAX = 0x024F
"""Letters up to Latin Extended-B (accented Latin: "café", "naïve") are ordinary."""
HOMOGLYPH_SAFE_BLOCKS = ((0xFB00, 0xFB4F),)
"""Ligatures ("ﬁ") come from PDF text extraction, not from disguise."""

LINK_INJECTION = (
    r"\b(?:for (?:more|additional|extra|further) (?:info|information|details)|if you (?:have any|are interested|"
    r"want to|would like to|liked this)|(?:where|how) (?:and how|and where) to (?:use|get|buy))\b"
    r"[^\n]{0,160}?\b(?:visit|take a look at|look at|check out|stop by|go to|see|call us at|contact us at|"
    r"get in touch with us at|pay a visit to)\s+(?:our|the|my)\s+(?:own\s+)?"
    r"(?:web-site|web site|webpage|web page|internet site|site|page|blog)\b"
)

#: cue kinds of an online drug shop; a page is a shop when it shows several kinds.
SHOP_CUES = {
    "purchase": BUY_ONLINE + r"|\b(?:buy|order|purchase)\s+(?:\w+\s+){0,3}?{drug}|"
    r"\bfor sale\b|\bin stock\b|\bwholesale (?:prices?|buyers|orders?)\b|\badd to (?:cart|basket)\b",
    "no_prescription": NO_PRESCRIPTION,
    "payment_shipping": PAYMENT_SHIPPING,
    "shop_layout": r"(?m)^[ \t]*(?:product details|product description|description|additional information|"
    r"share this product|add to (?:cart|basket|wishlist)|compare|related products|reviews? \(\d+\)|sku:.*|"
    r"quantity:?|in stock|out of stock)[ \t]*$",
    "unit_offer": r"\bminimum order\b|\bper (?:vial|gram|g|pill|tablet|tab|capsule|ampoule|bottle|strip|kg|oz)\b|"
    r"\bprice (?:is )?(?:as:? )?per\b|(?<=\d)\s?/\s?(?:g|kg|gram|oz|vial|pill|tab)\b|"
    r"{drug}\s+(?:hcl\s+)?(?:powder|crystals?)\b",
    "research_disclaimer": r"\bnot for human (?:consumption|use)\b|\b(?:sold|supplied|offered|intended)\s+"
    r"(?:strictly\s+|solely\s+|only\s+|exclusively\s+)?for\s+(?:laboratory|lab|research|analytical)\s+"
    r"(?:research|use|purposes)\b",
}
REPORTED_SELLING = (
    r"\b(?:sites?|websites?|sellers?|vendors?|dealers?|shops?|pharmacies|stores?|marketplaces?|companies)\b"
    r"[^.!?\n]{0,80}?\b(?:advertis\w*|list(?:ed|s|ing)?|took|taking|accept(?:ed|ing)|sold|sell(?:s|ing)?|"
    r"ship(?:ped|ping)|offer(?:ed|ing)|claim(?:ed|ing)|promis(?:ed|ing)|market(?:ed|ing)|asked|charg(?:ed|ing))\b|"
    r"\b(?:police|officers|detectives|investigators|authorities|customs|agents|prosecutors)\b[^.!?\n]{0,80}?"
    r"\b(?:seized|confiscated|raided|found|arrested|charged)\b|\baccording to (?:a |the )?police\b|"
    r"\b(?:not|neither|never|nor)\b[^.!?\n]{0,30}?\b(?:allowed|permitted|legal|lawful) to (?:be )?(?:sold|sell)\b|"
    r"\b(?:is|are)\s+(?:a\s+(?:crime|felony|federal crime|criminal offen[cs]e)|illegal|unlawful|an offen[cs]e|"
    r"against the law)\b|\b(?:illegal|unlawful|a crime|an offen[cs]e)\s+to\s+(?:have|possess|buy|sell|get|obtain)\b"
)
"""A sentence that tells what sellers do, in the third person and mostly the past ("sites that advertised
ketamine without prescription", "eight of the sites took payment in Bitcoin"), what the police found
("officers seized ... powder"), or what the law forbids ("not allowed to be sold online without a
prescription", "having it without a prescription is a crime"): a report on shops, as news and
investigations write, not a shop's own offer."""
OWN_OFFER = r"\b(?:we|our|us|you|your)\b"
"""A shop speaks in the first and second person ("we accept Bitcoin", "your order ships today")."""
DRUG_SHOP_FULL_KINDS = 2
"""Cue kinds at which ``drug_shop`` has full strength (one kind alone is half)."""
PURCHASE_HEADING_MAX_WORDS = 12
"""A line this short that offers a named drug for sale ("How to buy X", "X for sale") is a heading."""

#: stock phrases of generated SEO copy. Each names a construction, not a page.
MACHINE_FILLER = (
    r"\bdelv(?:es|ing|e) (?:into|deeper)\b",
    r"\bthis (?:article|exploration|guide|post|section|piece|overview) (?:explores|examines|will explore|"
    r"will examine|will discuss|aims to)\b",
    r"\bin this (?:article|section|post|blog|guide),? (?:we|I)(?:'ll| will| are going to| would like to)? "
    r"(?:talk about|discuss|explore|look at|examine|cover|dive)\b",
    r"\ba deep dive\b|\bdeep dive into\b|\bdive deep into\b",
    r"\bin today'?s (?:fast-paced|modern|digital|busy) (?:world|society|age)\b",
    r"\bnavigat(?:e|ing) the (?:complexities|intricacies|landscape|maze)\b",
    r"\b(?:evolving|ever-evolving|ever-changing) landscape\b|\brapidly evolving field\b",
    r"\brich tapestry\b|\bintricate tapestry\b|\ba testament to\b",
    r"\bthe (?:intricacies|nuances) of\b|\bnuances of this\b",
    r"\bunlock(?:ing)? the (?:power|potential|secrets) of\b",
    r"\bcrucial for a (?:complete|comprehensive|full|deeper) (?:picture|understanding)\b",
    r"\bin the realm of\b",
    r"\bwhat you(?:'ll|’ll| will) (?:find|learn|discover) (?:below|here|in this)\b",
    r"(?m)^(?:introduction|conclusion|final thoughts): ",
    r"\boffering a (?:potential|promising) (?:new )?(?:hope|pathway|avenue)\b|\bbeacon of hope\b",
)
FILLER_MIN_COUNT = 2
FILLER_FULL_COUNT = 6

#: "is use for", "can be cause by": a passive whose participle lost its -ed.
BROKEN_PASSIVE = (
    r"\b(?:is|are|was|were|be|been|being)\s+(?:also\s+|often\s+|commonly\s+|usually\s+|mainly\s+)?"
    r"(?:use|cause|approve|prescribe|base|design|associate|link|relate|administer|recommend|inject)\s+"
    r"(?:by|for|as|in|to|with|on|under)\b"
)
GRAMMAR_MIN_COUNT = 2

KEYWORD_SENTENCE_MIN_WORDS = 5
KEYWORD_PHRASE_WORDS = 3
"""The opening words of a lower-case sentence taken as the pasted keyword; its recurrences
count only in lower case, since an author's own mention of the topic is capitalised at least
somewhere, while a pasted keyword keeps the tool's casing."""
#: a sentence has at least one of these; a lower-case breadcrumb or tag line has none.
PROSE_WORDS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "be",
        "has",
        "have",
        "had",
        "can",
        "may",
        "will",
        "the",
        "a",
        "an",
        "of",
        "to",
        "for",
        "with",
        "that",
    ]
)
MAX_KEYWORD_PHRASES = 10
"""Recurrences are searched for at most this many distinct pasted phrases."""
LOWER_START_MIN_COUNT = 2
LOWER_START_MAX_SHARE = 0.34
"""Above this share of prose sentences in lower case, the page is written that way throughout."""
"""An edited page may start one line in lower case (a breadcrumb, a stray fragment); two prose sentences is a pattern."""

NEAR_ME = r"\bnear (?:me|you)\b"
NEAR_ME_MIN_COUNT = 3
SEARCH_QUERY = re.compile(
    r"\b(?:clinic|clinics|therapy|treatment|treatments|infusion|infusions|doctor|doctors|center|centre|"
    r"near me|cost|price|prices)\s+(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\b"
)
"""A search query pasted into prose: a service noun in lower case followed straight by a place name, with no
preposition ("our ketamine clinic Dallas team", "ketamine therapy Dallas TX")."""
PLACE_NAMED = re.compile(
    r"\b(?:in|near|around|across|throughout)\s+(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\b"
)
"""A place named after a preposition ("in Castor Falls", "near Fort Worth")."""
PLACE_MIN_COUNT = 8
PLACE_MIN_PER_1000_CHARS = 2.0
"""How often one place must be named to be stuffed: a doorway page names its town a dozen times in two
thousand characters; an honest location page three or four times, a long one once a thousand characters."""
SEARCH_QUERY_MIN_COUNT = 5
"""Times one place must follow a service noun so: a clinic's own name or one heading says it once or twice."""
TEMPLATE_MIN_WORDS = 5
"""Lower-case words a sentence needs to count as a template: a title-case heading list is not one."""
TEMPLATE_MIN_VARIANTS = 3
"""Sentences sharing one skeleton with different names or places in it, at least this many."""
KEYWORD_LIST_MIN_RUN = 3
SLOGAN_MAX_WORDS = 3
"""Fragments in a row that make a keyword list; a tagline of two ("Ketamine therapy. Real relief.") is not one."""
KEYWORD_FRAGMENT_WORDS = (2, 7)
"""A fragment of a keyword list: a "sentence" of this many words. One word ("Safe. Effective.") is a tagline."""
KEYWORD_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "by",
        "from",
        "near",
        "our",
        "your",
        "my",
        "we",
        "you",
        "best",
        "top",
    ]
)
"""Words a run's fragments may share without sharing a term."""

INSERTED_MIN_WORDS = 20
"""A paragraph this long can be an insertion; a shorter line is a menu item or a caption."""
PAGE_SUBJECT_MIN_TERMS = 3
"""The rest of the page must use the page subject's words this often for a paragraph to stand out from it."""

_LINK_RE = re.compile(LINK_INJECTION, re.I)


@dataclass(frozen=True)
class _ShopPatterns:
    """The shop cues with the drug names of the substance list filled in (built once, on first use)."""

    drug: re.Pattern[str]
    cues: dict[str, re.Pattern[str]]
    purchase_heading: re.Pattern[str]


@cache
def _shop_patterns() -> _ShopPatterns:
    drug = substances().pattern
    names = drug.pattern
    return _ShopPatterns(
        drug,
        {kind: re.compile(rx.replace("{drug}", names), re.I) for kind, rx in SHOP_CUES.items()},
        re.compile(rf"(?:\b(?:buy|order|purchase)\b.*{names}|{names}.*\bfor sale\b)", re.I),
    )


_RX_STEP_RE = re.compile(PRESCRIPTION_STEP, re.I)
_REPORTED_SELLING_RE = re.compile(REPORTED_SELLING, re.I)
_OWN_OFFER_RE = re.compile(OWN_OFFER, re.I)
_QUOTED_RE = re.compile(r"^[\"“].*[\"”]$", re.S)
_QUOTATION_RE = re.compile(r"(?:^|(?<=[\s(\[:]))[\"“‘'][^\"“”‘’\n]{1,120}?[\"”’'](?=[\s.,;:!?)\]]|$)")
"""A quotation inside a sentence, in double or single marks ("a headline: Ketamine sold 'no prescription
needed'"); an apostrophe inside a word opens none."""
_FILLER_RE = re.compile("|".join(f"(?:{rx.removeprefix('(?m)')})" for rx in MACHINE_FILLER), re.I | re.M)
_BROKEN_PASSIVE_RE = re.compile(BROKEN_PASSIVE, re.I)
_NEAR_ME_RE = re.compile(NEAR_ME, re.I)
_LETTER_WORD_RE = re.compile(r"[^\W\d_]+")
"""Whole words of letters; each is read once (a pattern that must find a non-ASCII letter inside
a word backtracks over every start, quadratic on one giant word)."""
_SENTENCE_RE = re.compile(r"[^\s.!?][^.!?]*(?:[.!?]+|$)")
_LINE_RE = re.compile(r"[^\n]+")
_WORD_RE = re.compile(r"\S+")


def homoglyphs(text: str) -> Iterator[SpamSignal]:
    """Words that mix ASCII letters with letters from another script's look-alikes."""
    for m in _LETTER_WORD_RE.finditer(text, 0, MAX_SCAN_CHARS):
        word = m.group()
        if word.isascii():
            continue
        odd = [c for c in word if ord(c) > HOMOGLYPH_SAFE_MAX and not _safe_block(c)]
        if odd and any(c.isascii() for c in word):
            detail = f"look-alike letter U+{ord(odd[0]):04X} inside a Latin word"
            yield SpamSignal("homoglyphs", m.start(), m.end(), detail, "high")


def _safe_block(char: str) -> bool:
    return any(lo <= ord(char) <= hi for lo, hi in HOMOGLYPH_SAFE_BLOCKS)


def link_injection(text: str) -> Iterator[SpamSignal]:
    """The stock "for more info about X, visit our web-site" sentence of injected link spam."""
    for m in _LINK_RE.finditer(text, 0, MAX_SCAN_CHARS):
        yield SpamSignal("link_injection", m.start(), m.end(), "injected link sentence", "medium")


def drug_shop(text: str) -> Iterator[SpamSignal]:
    """Shop cues on a page that names a controlled or prescription drug, one signal per cue.

    The detail names the cue kind, so that :func:`shop_kinds` can count kinds, and a
    heading that offers a named drug counts as its own kind ("purchase_heading").
    """
    shop = _shop_patterns()
    if not shop.drug.search(text, 0, MAX_SCAN_CHARS):
        return
    scanned = _scanned(text)
    for kind, pattern in shop.cues.items():
        if not may_find(pattern, scanned) or (
            kind == "research_disclaimer" and not _names_a_controlled_drug(text)
        ):
            continue
        severity: Severity = "high" if kind in ("no_prescription", "payment_shipping") else "medium"
        for m in islice(pattern.finditer(text, 0, MAX_SCAN_CHARS), MAX_SIGNALS_PER_CUE_KIND):
            if _reports_selling(text, m.start(), m.end()) or asked_or_warned(text, m.start(), m.end()):
                continue
            start, end = _trimmed(text, m.start(), m.end())
            yield SpamSignal("drug_shop", start, end, f"shop cue: {kind}", severity)
    if not may_find(shop.purchase_heading, scanned):
        return
    headings = (
        line for line in _LINE_RE.finditer(text, 0, MAX_SCAN_CHARS) if len(line.group()) <= MAX_HEADING_CHARS
    )
    for line in islice(headings, MAX_SCAN_LINES):
        heading = line.group().strip()
        words = len(heading.split())
        short = 0 < words <= PURCHASE_HEADING_MAX_WORDS and not heading.rstrip("\"”'’").endswith(("?", "."))
        if short and shop.purchase_heading.search(heading):
            start = line.start() + line.group().index(heading)
            yield SpamSignal("drug_shop", start, start + len(heading), "shop cue: purchase_heading", "high")


def _names_a_controlled_drug(text: str) -> bool:
    """Whether the first drug the page names is a controlled substance. "Not for human consumption" is the
    grey-market shop's disclaimer for scheduled analogues; a peptide seller's copy of it is its own kind of
    trouble (prices without a prescription step), not a drug shop."""
    drug = substances().find(text[:MAX_SCAN_CHARS])
    return drug is not None and substances().is_controlled(drug)


def _reports_selling(text: str, start: int, end: int) -> bool:
    """Whether the cue at ``start:end`` stands in quotation marks or in a sentence that reports what
    sellers do, in the third person (see :data:`REPORTED_SELLING`)."""
    lo, hi = sentence_around(text, start, end)
    sentence = text[lo:hi]
    if _QUOTED_RE.search(text[max(lo, start - 1) : min(hi, end + 1)]):
        return True
    if any(m.start() <= start - lo and end - lo <= m.end() for m in _QUOTATION_RE.finditer(sentence)):
        return True
    return bool(_REPORTED_SELLING_RE.search(sentence)) and not _OWN_OFFER_RE.search(sentence)


def shop_kinds(signals: list[SpamSignal], text_has_prescription_step: bool) -> int:
    """How many distinct shop cue kinds the ``drug_shop`` signals show.

    A page that describes a prescription step and never says "no prescription" counts at
    most one kind: a telehealth service that sells after an evaluation is not a drug shop.
    """
    kinds = {s.detail.removeprefix("shop cue: ") for s in signals if s.name == "drug_shop"}
    if text_has_prescription_step and "no_prescription" not in kinds:
        return min(1, len(kinds))
    return len(kinds)


def has_prescription_step(text: str) -> bool:
    """Whether the page says a prescriber or an evaluation stands before the sale."""
    return may_find(_RX_STEP_RE, _scanned(text)) and bool(_RX_STEP_RE.search(text, 0, MAX_SCAN_CHARS))


def machine_filler(text: str) -> Iterator[SpamSignal]:
    """Stock phrases of generated SEO copy, each with its span."""
    if not may_find(_FILLER_RE, _scanned(text)):
        return
    for m in islice(_FILLER_RE.finditer(text, 0, MAX_SCAN_CHARS), MAX_CUE_SIGNALS):
        start, end = _trimmed(text, m.start(), m.end())
        yield SpamSignal("machine_filler", start, end, "stock phrase of generated copy", "low")


def broken_grammar(text: str) -> Iterator[SpamSignal]:
    """Passives with a bare verb ("is use for"): a slip of generated or machine-rewritten text."""
    for m in _BROKEN_PASSIVE_RE.finditer(text, 0, MAX_SCAN_CHARS):
        yield SpamSignal("broken_grammar", m.start(), m.end(), "passive with a bare verb", "low")


def keyword_insertion(text: str) -> Iterator[SpamSignal]:
    """Prose sentences that start with a lower-case word, and the other places their opening words recur.

    An SEO tool that pastes a keyword phrase in place of a noun leaves it in lower case at
    the start of a sentence, and pastes the same phrase elsewhere too.
    """
    starts = list(islice(_lower_starts(text), MAX_CUE_SIGNALS))
    detail = "prose sentence starting in lower case (a pasted keyword)"
    yield from (SpamSignal("keyword_insertion", start, end, detail, "medium") for start, end, _ in starts)
    openings = {phrase for _, _, phrase in starts}
    seen = {start for start, _, _ in starts}
    for phrase in sorted(openings)[:MAX_KEYWORD_PHRASES]:
        pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, phrase.split())) + r"\b")
        for m in islice(pattern.finditer(text, 0, MAX_SCAN_CHARS), MAX_CUE_SIGNALS):
            if m.start() not in seen:
                yield SpamSignal(
                    "keyword_insertion", m.start(), m.end(), f"pasted keyword '{phrase}' again", "low"
                )


def _lower_starts(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, opening words) of each prose sentence that starts with a lower-case word.

    Nothing when such sentences are more than :data:`LOWER_START_MAX_SHARE` of the page's
    prose: then the whole page is written in lower case, which is sloppy, not pasted.
    """
    starts = list(islice(_prose_starts(text), MAX_CUE_SIGNALS * 10))
    lower = [(start, end, words) for start, end, words in starts if words[0].isalpha() and words[0].islower()]
    if len(lower) > LOWER_START_MAX_SHARE * len(starts):
        return
    for start, end, words in lower:
        yield start, end, " ".join(words[:KEYWORD_PHRASE_WORDS]).lower()


def _prose_starts(text: str) -> Iterator[tuple[int, int, list[str]]]:
    """(start, end, words) of each prose sentence of the page, in one pass over each line.

    Not the items under a lead-in ("We do not treat people who:" / "have uncontrolled high blood pressure"):
    a list that completes its lead-in's sentence starts each line in lower case by grammar, not by pasting.
    """
    under_lead_in, previous_end = False, 0
    for line in islice(_LINE_RE.finditer(text, 0, MAX_SCAN_CHARS), MAX_SCAN_LINES):
        body = line.group()
        under_lead_in = under_lead_in and "\n\n" not in text[previous_end : line.start()]
        previous_end = line.end()
        if under_lead_in:
            continue
        under_lead_in = body.rstrip().endswith(":")
        for m in _SENTENCE_RE.finditer(body):
            if ABBREVIATION_END.search(body, max(0, m.start() - ABBREVIATION_LOOKBACK), m.start()):
                continue
            sentence = m.group().rstrip()
            words = [w.strip(",;:") for w in _WORD_RE.findall(sentence)]
            if len(words) >= KEYWORD_SENTENCE_MIN_WORDS and PROSE_WORDS & set(words):
                start = line.start() + m.start()
                yield start, start + len(sentence), words


def location_stuffing(text: str) -> Iterator[SpamSignal]:
    """ "near me" repeated, and a search query with a place pasted into prose again and again."""
    near = list(_NEAR_ME_RE.finditer(text, 0, MAX_SCAN_CHARS))
    if len(near) >= NEAR_ME_MIN_COUNT:
        detail = f"'near me' {len(near)} times"
        for m in near[:MAX_CUE_SIGNALS]:
            yield SpamSignal("location_stuffing", m.start(), m.end(), detail, "medium")
    queries: dict[str, list[re.Match[str]]] = defaultdict(list)
    for m in SEARCH_QUERY.finditer(text, 0, MAX_SCAN_CHARS):
        queries[m["place"]].append(m)
    for place, found in queries.items():
        if len(found) >= SEARCH_QUERY_MIN_COUNT:
            detail = f"search query with '{place}' pasted {len(found)} times"
            for m in found[:MAX_CUE_SIGNALS]:
                yield SpamSignal("location_stuffing", m.start(), m.end(), detail, "medium")
    yield from _place_repeated(text)


def _place_repeated(text: str) -> Iterator[SpamSignal]:
    """One place named over and over ("ketamine therapy in Castor Falls for residents of Castor Falls"):
    the page is written for a search on the town, not for a reader who knows where they live."""
    places: dict[str, list[re.Match[str]]] = defaultdict(list)
    for m in PLACE_NAMED.finditer(text, 0, MAX_SCAN_CHARS):
        places[m["place"]].append(m)
    scanned = min(len(text), MAX_SCAN_CHARS)
    for place, found in places.items():
        if len(found) >= PLACE_MIN_COUNT and len(found) * 1000 / max(1, scanned) >= PLACE_MIN_PER_1000_CHARS:
            detail = f"'{place}' named {len(found)} times"
            for m in found[:MAX_CUE_SIGNALS]:
                yield SpamSignal("location_stuffing", m.start("place"), m.end(), detail, "medium")


def templated_sentences(units: Sequence[Unit]) -> Iterator[SpamSignal]:
    """Sentences identical once names (capitalised words inside a sentence) and numbers are masked."""
    groups: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for unit in units:
        if unit.start >= MAX_SCAN_CHARS:
            break
        sentence = unit.text
        words = sentence.split()
        if sum(1 for w in words if w[:1].islower()) < TEMPLATE_MIN_WORDS:
            continue
        masked = re.sub(
            r"(?:<name> )+<name>", "<name>", " ".join([words[0].lower()] + [_mask(w) for w in words[1:]])
        )
        if "<name>" not in masked:
            continue
        groups[masked].append((unit.start, unit.end, sentence))
    for members in groups.values():
        variants = {sentence for _, _, sentence in members}
        if len(variants) >= TEMPLATE_MIN_VARIANTS:
            detail = f"{len(variants)} sentences fill one template with different names"
            for start, end, _ in members[:MAX_CUE_SIGNALS]:
                yield SpamSignal("templated_sentences", start, end, detail, "medium")


def keyword_list(text: str, units: Sequence[Unit]) -> Iterator[SpamSignal]:
    """Runs of short sentence fragments on one line that all repeat a term: search queries pasted as text.

    Each fragment has :data:`KEYWORD_FRAGMENT_WORDS` words; a run needs
    :data:`KEYWORD_LIST_MIN_RUN` fragments sharing at least one word outside
    :data:`KEYWORD_STOP_WORDS`. A list of conditions ("Depression. Anxiety. PTSD.") shares none.
    """
    run: list[Unit] = []
    shared: set[str] = set()
    for unit in units:
        if unit.start >= MAX_SCAN_CHARS:
            break
        terms = _fragment_terms(unit)
        same_line = bool(run) and "\n" not in text[run[-1].end : unit.start]
        if terms and same_line and terms & shared:
            run.append(unit)
            shared &= terms
            continue
        yield from _keyword_run(run, shared)
        run, shared = ([unit], set(terms)) if terms else ([], set())
    yield from _keyword_run(run, shared)


def inserted_topic(text: str) -> Iterator[SpamSignal]:
    """Paragraphs on a spam subject with no word of the page's own subject, on a page that has them.

    A paragraph needs :data:`INSERTED_MIN_WORDS` words and ``min_terms`` distinct terms of one
    spam subject; an honest page that mentions gambling or loans does so about its patients
    ("we also treat gambling disorder", "patients take out medical loans"), so it uses the
    page subject's words in the same paragraph.
    """
    topics = spam_topics()
    scanned = text[:MAX_SCAN_CHARS]
    own = [m.start() for m in topics.page_subject.finditer(scanned)]
    for line in islice(_LINE_RE.finditer(scanned), MAX_SCAN_LINES):
        if len(line.group().split()) < INSERTED_MIN_WORDS:
            continue
        inside = bisect_left(own, line.end()) - bisect_left(own, line.start())
        if inside or len(own) < PAGE_SUBJECT_MIN_TERMS:
            continue
        found = {s: t for s, t in topics.spam_terms(line.group()).items() if len(t) >= topics.min_terms}
        if found:
            subject, terms = max(found.items(), key=lambda item: (len(item[1]), item[0]))
            start, end = _trimmed(text, line.start(), line.end())
            detail = (
                f"a paragraph on {subject} ({', '.join(sorted(terms)[:5])}) inside a page on another subject"
            )
            yield SpamSignal("inserted_topic", start, end, detail, "medium")


def _fragment_terms(unit: Unit) -> frozenset[str]:
    """The terms of a keyword fragment (empty for anything else: a full sentence, a heading, a question)."""
    words = [w.lower() for w in _LETTER_WORD_RE.findall(unit.text)]
    low, high = KEYWORD_FRAGMENT_WORDS
    if (
        unit.kind != "sentence"
        or not low <= len(words) <= high
        or not unit.text.rstrip().endswith((".", "!"))
    ):
        return frozenset()
    return frozenset(words) - KEYWORD_STOP_WORDS


def _keyword_run(run: list[Unit], shared: set[str]) -> Iterator[SpamSignal]:
    if len(run) < KEYWORD_LIST_MIN_RUN or _a_slogan(run, shared):
        return
    detail = f"{len(run)} fragments in a row repeating '{' '.join(sorted(shared))}'"
    for unit in run[:MAX_CUE_SIGNALS]:
        yield SpamSignal("keyword_list", unit.start, unit.end, detail, "medium")


def _a_slogan(run: list[Unit], shared: set[str]) -> bool:
    """Whether the fragments are a slogan's repetition: all they share is the word each opens with, and
    each is at most :data:`SLOGAN_MAX_WORDS` words ("Real people. Real results. Real hope.", "No waiting.
    No referrals. No judgment."). Pasted search queries share the query's terms ("Ketamine clinic
    Millbrook. Ketamine doctor Millbrook.")."""
    openers = {words[0] for words in (_LETTER_WORD_RE.findall(unit.text.lower()) for unit in run) if words}
    short = all(len(_LETTER_WORD_RE.findall(unit.text)) <= SLOGAN_MAX_WORDS for unit in run)
    return short and shared == openers


def _mask(word: str) -> str:
    core = word.strip(",;:()\"'“”’")
    if core[:1].isupper():
        return "<name>"
    if core[:1].isdigit():
        return "<number>"
    return word.lower()


def _scanned(text: str) -> str:
    """The part of ``text`` the cues read, ``fold``-ed for the literal prefilters (:mod:`claimcheck.text.literals`).

    Most pages hold none of the literals a shop cue or a stock phrase requires, so these
    expressions need not run over them at all.
    """
    return fold(text[:MAX_SCAN_CHARS])


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``-``end`` without surrounding whitespace (spans never begin or end in a blank)."""
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return start, end
    offset = piece.index(stripped)
    return start + offset, start + offset + len(stripped)
