"""Spam-like text: signals that a page is machine-made filler or a drug shop (annotation guide §3).

``detect_spam`` reports each signal with its span and combines them into a page score:

- ``spun_text``: sentences the learned spun-text model (:mod:`claimcheck.signals.spun`) scores
  at or above ``SpamRules.spun_sentence_threshold``;
- ``keyword_stuffing``: a phrase of :data:`STUFFING_MIN_WORDS` or more words repeated
  :data:`STUFFING_MIN_REPEATS` times, or a three-word phrase far denser than prose allows;
- ``template_residue``: CMS and link-farm lines ("Blog Article", "Also Check: ...");
- ``off_topic``: a paragraph whose TF-IDF similarity to the rest of the page is very low
  and that lacks the page's key terms;
- ``illicit_price``: prices :func:`claimcheck.signals.prices.find_prices` marks illicit;
- ``drug_shop``, ``homoglyphs``, ``link_injection``, ``machine_filler``, ``broken_grammar``,
  ``keyword_insertion``, ``location_stuffing``, ``templated_sentences``, ``keyword_list``,
  ``inserted_topic``: the cues of real pages described in :mod:`claimcheck.signals.spam_cues`.

The score is a noisy-OR: each signal type contributes ``weight * strength`` (weights in
``SpamRules.weights``, strength in [0, 1] from how much of it there is: a count over
``SpamRules.full_strength_count``, nothing below :data:`MIN_COUNT`; for spun text the share
of distinct prose sentences flagged, ramped from ``spun_share_baseline`` to
``spun_share_full``; for a drug shop the number of distinct cue kinds) and
``score = 1 - prod(1 - contribution)``. A page is ``spam`` when the score reaches
``SpamRules.threshold`` (the weights and thresholds are part of the run's configuration,
:class:`claimcheck.settings.SpamRules`, recorded in every report). Template residue,
off-topic paragraphs, an illicit-looking price and one kind of shop language are capped
low on purpose: a link-farm footer, a clinic's price table or a news story about online
sellers alone never makes an honest page spam.

The weights and minimum counts were set by hand while reading the real development set
(``shared/datasets/clinic_pages_dev``); no model is trained on it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from ..records import Document, Price, Severity, SpamResult, SpamSignal, Unit
from ..settings import SpamRules
from ..text.segment import segment
from . import spam_cues
from .prices import find_prices
from .spun import load_spun_model

#: below this many signals a type adds nothing: one stray look-alike letter, one stock
#: phrase or one lower-case line happens on honest pages.
MIN_COUNT = {
    "homoglyphs": 3,
    "machine_filler": spam_cues.FILLER_MIN_COUNT,
    "broken_grammar": spam_cues.GRAMMAR_MIN_COUNT,
    "keyword_insertion": spam_cues.LOWER_START_MIN_COUNT,
    "location_stuffing": spam_cues.NEAR_ME_MIN_COUNT,
    "templated_sentences": spam_cues.TEMPLATE_MIN_VARIANTS,
    "keyword_list": spam_cues.KEYWORD_LIST_MIN_RUN,
}
MIN_PROSE_WORDS = 6
MAX_PROSE_WORDS = 120
MAX_TITLE_CASE_SHARE = 0.6
MAX_SENTENCES = 3000
MAX_ANALYSED_CHARS = 1_000_000
"""Stuffing and off-topic analysis read at most this much of a page."""
STUFFING_MIN_WORDS = 7
STUFFING_MIN_REPEATS = 3
TITLE_SEPARATORS = ("|", ">", "»", "-", "–", "—", "·")
"""What stands between a title and the site's name or the breadcrumb's other steps."""
REPEATED_LINE_STRENGTH = 0.5
"""The strength of keyword stuffing when every repeat is a whole line (a title the template prints again):
half, so that a repeated title and a blog footer never make an honest page spam between them."""
DENSITY_NGRAM = 3
DENSITY_MIN_WORDS = 300
DENSITY_MAX_SHARE = 0.06
"""A three-word phrase covering more than this share of a long page's words is stuffing."""
MAX_OCCURRENCE_SIGNALS = 20
MAX_SIGNALS_PER_TYPE = 200
OFF_TOPIC_MIN_WORDS = 25
OFF_TOPIC_MIN_PARAGRAPHS = 4
OFF_TOPIC_MAX_SIMILARITY = 0.05
OFF_TOPIC_RELATIVE = 0.4
"""...and below this fraction of the page's median paragraph similarity."""
KEY_TERM_COUNT = 8
MAX_PARAGRAPHS = 500
PROSE_KINDS = frozenset({"sentence", "list_item"})
"""Units that can be spun prose; headings, table rows and colon lists are not."""

#: line-start patterns of CMS chrome and link-farm lines.
TEMPLATE_LINES = (
    r"(?:Recommended Reading|Also Check|You May Like|You Might Also Like|Read Also|Also Read|Read More|"
    r"See Also|Don'?t Miss|Must Read|Related|Check Out|Further Reading|More From Us)\s*:\s*\S.*",
    r"(?:Blog Article|Report this page|Popular Articles|Popular Posts|"
    r"Related (?:news|posts|articles|stories)|Similar Posts|You May Also Like|Trending (?:now|posts)|"
    r"Leave a (?:reply|comment)|Share this(?: \w+)?|Subscribe to our newsletter)(?![a-z])",
    r"(?:Tags?|Categories|Category|Archives?|Filed under)\s*:.*",
    r"Posted (?:by|on) \S.{0,60}",
)
#: template phrases anywhere in a line: badges and newsletter prompts.
TEMPLATE_PHRASES = (
    r"\bTrusted Source\b",
    r"\b(?:Interested in|Serious about|Want) (?:more|extra) (?:information|content|articles|stories) "
    r"like this\?",
    # a template's placeholder left unfilled ("{county_name}", "%CITY%", "[CITY]")
    r"\{\{?\s*[a-z][a-z0-9]*(?:_[a-z0-9]+)+\s*\}\}?|%[A-Z]+(?:_[A-Z]+)*%|\[(?:CITY|STATE|TOWN|LOCATION|KEYWORD|BUSINESS[_ ]NAME)\]",
)

_TEMPLATE_LINE_RE = re.compile(r"[^\w'(]*(?P<residue>" + "|".join(TEMPLATE_LINES) + ")", re.I)
_TEMPLATE_PHRASE_RE = re.compile("|".join(TEMPLATE_PHRASES), re.I)
_WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    text: str


def detect_spam(
    text: str,
    prices: Sequence[Price] | None = None,
    units: Sequence[Unit] | None = None,
    rules: SpamRules | None = None,
) -> SpamResult:
    """Judge whether ``text`` reads as machine-made filler; every signal carries its span.

    ``prices`` and ``units`` are the page's prices and units where the annotation stage
    has found them already; otherwise they are found here, the same way. ``rules`` are
    the configuration's weights and thresholds (``Settings.spam``).
    """
    rules = rules or SpamRules()
    lines = list(_lines(text))
    if units is None:
        units = segment(Document("text", text[:MAX_ANALYSED_CHARS]))
    prose = _prose(units)
    detectors = (
        _spun_text(prose, rules.spun_sentence_threshold),
        _keyword_stuffing(text, lines),
        _template_residue(text, lines, units),
        _off_topic(text, lines),
        spam_cues.drug_shop(text),
        _illicit_prices(find_prices(text) if prices is None else prices),
        spam_cues.homoglyphs(text),
        spam_cues.link_injection(text),
        spam_cues.machine_filler(text),
        spam_cues.broken_grammar(text),
        spam_cues.keyword_insertion(text),
        spam_cues.location_stuffing(text),
        spam_cues.templated_sentences(units),
        spam_cues.keyword_list(text, units),
        spam_cues.inserted_topic(text),
    )
    signals = [signal for found in detectors for signal in islice(found, MAX_SIGNALS_PER_TYPE)]
    signals.sort(key=lambda s: (s.start, s.end, s.name))
    score = page_score(signals, len(prose), spam_cues.has_prescription_step(text), rules)
    return SpamResult(label="spam" if score >= rules.threshold else "ok", score=score, signals=tuple(signals))


def page_score(
    signals: list[SpamSignal],
    prose_sentences: int,
    prescription_step: bool = False,
    rules: SpamRules | None = None,
) -> float:
    """Combine signals into [0, 1]: a noisy-OR of ``rules.weights[name] * strength``.

    ``prescription_step`` says the page names a prescriber or evaluation before a sale,
    which caps how much shop language can count (:func:`spam_cues.shop_kinds`).
    """
    rules = rules or SpamRules()
    remaining = 1.0
    for name, weight in rules.weights.items():
        remaining *= 1.0 - weight * _strength(name, signals, prose_sentences, prescription_step, rules)
    return round(1.0 - remaining, 4)


def _strength(
    name: str, signals: list[SpamSignal], prose_sentences: int, prescription_step: bool, rules: SpamRules
) -> float:
    """How much of a signal type the page shows, in [0, 1]."""
    count = sum(1 for s in signals if s.name == name)
    if name == "spun_text":
        share = count / max(1, prose_sentences)
        ramp = (share - rules.spun_share_baseline) / (rules.spun_share_full - rules.spun_share_baseline)
        return min(1.0, max(0.0, ramp)) if count >= rules.min_spun_sentences else 0.0
    if name == "drug_shop":
        kinds = spam_cues.shop_kinds(signals, prescription_step)
        return 1.0 if kinds >= spam_cues.DRUG_SHOP_FULL_KINDS else rules.single_shop_kind_strength * kinds
    if count < MIN_COUNT.get(name, 1):
        return 0.0
    strength = min(1.0, count / rules.full_strength_count[name])
    if name == "keyword_stuffing" and all(s.severity == "low" for s in signals if s.name == name):
        return strength * REPEATED_LINE_STRENGTH
    return strength


def _lines(text: str) -> Iterator[_Span]:
    """Non-blank lines, stripped, with their offsets."""
    for m in re.finditer(r"[^\n]+", text):
        stripped = m.group().strip()
        if stripped:
            start = m.start() + m.group().index(stripped)
            yield _Span(start, start + len(stripped), stripped)


def _is_prose(sentence: str) -> bool:
    """A sentence worth judging for spinning: long enough, not a heading, row or template line."""
    words = sentence.split()
    if not MIN_PROSE_WORDS <= len(words) <= MAX_PROSE_WORDS or sentence.count("|") >= 2:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised / len(words) <= MAX_TITLE_CASE_SHARE and not _TEMPLATE_LINE_RE.match(sentence)


def _prose(units: Sequence[Unit]) -> list[Unit]:
    """Distinct prose sentences to judge, at most :data:`MAX_SENTENCES` within :data:`MAX_ANALYSED_CHARS`.

    Sentences and list items are the segmentation's units. A sentence printed twice (a
    repeated block) is judged once, so that it does not count twice towards the share of
    spun sentences.
    """
    found: list[Unit] = []
    seen: set[str] = set()
    for unit in units:
        if unit.start > MAX_ANALYSED_CHARS or len(found) >= MAX_SENTENCES:
            break
        if unit.kind in PROSE_KINDS and unit.text not in seen and _is_prose(unit.text):
            seen.add(unit.text)
            found.append(unit)
    return found


def _spun_text(prose: list[Unit], threshold: float) -> Iterator[SpamSignal]:
    if not prose:
        return
    probabilities = load_spun_model().predict_proba([s.text for s in prose])
    for sentence, p in zip(prose, probabilities, strict=True):
        if p >= threshold:
            yield SpamSignal(
                "spun_text", sentence.start, sentence.end, f"spun-text probability {p:.2f}", "medium"
            )


def _words(text: str, lines: list[_Span]) -> list[tuple[str, int, int, int]]:
    """Lower-cased words with offsets and the index of their line."""
    return [
        (m.group().lower(), m.start(), m.end(), index)
        for index, line in enumerate(lines)
        if line.start < MAX_ANALYSED_CHARS
        for m in _WORD_RE.finditer(text, line.start, min(line.end, MAX_ANALYSED_CHARS))
    ]


def _keyword_stuffing(text: str, lines: list[_Span]) -> Iterator[SpamSignal]:
    words = _words(text, lines)
    repeated = list(_repeated_phrases(words, lines))
    yield from repeated
    if not repeated:
        yield from _dense_phrase(words)


def _repeated_phrases(
    words: list[tuple[str, int, int, int]], line_spans: list[_Span]
) -> Iterator[SpamSignal]:
    """Maximal runs of words covered by a repeated shingle, grouped by wording.

    Shingles stay within a line, so a title repeated on consecutive lines counts as
    repeated rather than as one long run. A phrase that is each time a whole line is
    reported at low severity: a page's title printed again by its template (title, heading,
    breadcrumb) looks like that too, while stuffing weaves the phrase into other text.
    """
    n = STUFFING_MIN_WORDS
    lines = [w[3] for w in words]
    shingles = [
        shingle if lines[i] == lines[i + n - 1] else None
        for i, shingle in enumerate(_ngrams([w[0] for w in words], n))
    ]
    counts = Counter(s for s in shingles if s is not None)
    if not counts or max(counts.values()) < STUFFING_MIN_REPEATS:
        return  # no shingle repeats: nothing is covered
    covered = [False] * len(words)
    for i, shingle in enumerate(shingles):
        if shingle is not None and counts[shingle] >= STUFFING_MIN_REPEATS:
            covered[i : i + n] = [True] * n
    runs: dict[tuple[str, ...], list[tuple[int, int, int]]] = defaultdict(list)
    i = 0
    while i < len(words):
        j = i
        while covered[i] and j + 1 < len(words) and covered[j + 1] and words[j + 1][3] == words[i][3]:
            j += 1
        if covered[i]:
            runs[tuple(w[0] for w in words[i : j + 1])].append((words[i][1], words[j][2], words[i][3]))
        i = j + 1
    for phrase, spans in runs.items():
        if len(spans) >= STUFFING_MIN_REPEATS:
            whole_lines = all(_is_whole_line(line_spans[line], start, end) for start, end, line in spans)
            detail = f"{len(phrase)}-word {'line' if whole_lines else 'phrase'} repeated {len(spans)} times"
            severity: Severity = "low" if whole_lines else "medium"
            for start, end, _ in spans[:MAX_OCCURRENCE_SIGNALS]:
                yield SpamSignal("keyword_stuffing", start, end, detail, severity)


def _is_whole_line(line: _Span, start: int, end: int) -> bool:
    """Whether ``start:end`` is all of the line, or all of one part of a title line ("Title | Site name",
    "Home > Blog > Title"), but its closing punctuation."""
    before = line.text[: start - line.start].rstrip()
    after = line.text[end - line.start :].strip(" .?!:")
    return (not before or before.endswith(TITLE_SEPARATORS)) and (
        not after or after.startswith(TITLE_SEPARATORS)
    )


def _ngrams(items: list[str], n: int) -> Iterator[tuple[str, ...]]:
    """Every run of ``n`` consecutive items, in order (built by ``zip``, not a slice per position)."""
    return zip(*(items[k:] for k in range(n)), strict=False)  # the shortest slice ends the runs


def _dense_phrase(words: list[tuple[str, int, int, int]]) -> Iterator[SpamSignal]:
    """A three-word phrase that takes up far more of a long page than prose ever does."""
    if len(words) < DENSITY_MIN_WORDS:
        return
    n = DENSITY_NGRAM
    grams = Counter(_ngrams([w[0] for w in words], n))
    phrase, count = grams.most_common(1)[0]
    share = count * n / len(words)
    if share <= DENSITY_MAX_SHARE:
        return
    detail = f"'{' '.join(phrase)}' is {share:.0%} of the page's words"
    emitted = 0
    for i in range(len(words) - n + 1):
        if emitted < MAX_OCCURRENCE_SIGNALS and tuple(w[0] for w in words[i : i + n]) == phrase:
            yield SpamSignal("keyword_stuffing", words[i][1], words[i + n - 1][2], detail, "medium")
            emitted += 1


def _template_residue(text: str, lines: list[_Span], units: Sequence[Unit]) -> Iterator[SpamSignal]:
    for line in lines:
        if line.start > MAX_ANALYSED_CHARS:
            break
        if m := _TEMPLATE_LINE_RE.match(line.text):
            start = line.start + m.start("residue")
            yield SpamSignal(
                "template_residue", start, line.start + m.end("residue"), "template or link-farm line", "low"
            )
        for phrase in _TEMPLATE_PHRASE_RE.finditer(line.text, 0, MAX_ANALYSED_CHARS):
            start = line.start + phrase.start()
            yield SpamSignal(
                "template_residue",
                start,
                line.start + phrase.end(),
                "template badge, prompt or unfilled placeholder",
                "low",
            )
        if line.text.endswith(("…", "...")) and len(line.text) > 20:
            last = _last_unit_of(units, line)
            yield SpamSignal(
                "template_residue", last.start, last.end, "truncated teaser of a linked article", "low"
            )


def _last_unit_of(units: Sequence[Unit], line: _Span) -> _Span:
    """The last unit that ends the line (its last sentence), or the line itself."""
    at = bisect_right(units, line.end, key=lambda unit: unit.start) - 1
    unit = units[at] if at >= 0 else None
    if unit is None or unit.start < line.start or unit.end > line.end:
        return line
    return _Span(unit.start, unit.end, unit.text)


def _off_topic(text: str, lines: list[_Span]) -> Iterator[SpamSignal]:
    """Paragraphs far from the rest of the page in TF-IDF space and missing its key terms."""
    paragraphs = [
        p for p in lines if p.start < MAX_ANALYSED_CHARS and len(p.text.split()) >= OFF_TOPIC_MIN_WORDS
    ]
    paragraphs = paragraphs[:MAX_PARAGRAPHS]
    if len(paragraphs) < OFF_TOPIC_MIN_PARAGRAPHS:
        return
    fitted = paragraph_tfidf([p.text for p in paragraphs])
    if fitted is None:
        return
    matrix, vocabulary = fitted
    spread = np.asarray((matrix > 0).sum(axis=0)).ravel()
    key_terms = set(vocabulary[np.argsort(-spread, kind="stable")[:KEY_TERM_COUNT]])
    similarities = _similarities_to_rest(matrix)
    typical = float(np.median(similarities))
    for i, paragraph in enumerate(paragraphs):
        similarity = similarities[i]
        outlier = similarity < OFF_TOPIC_MAX_SIMILARITY and similarity < OFF_TOPIC_RELATIVE * typical
        if outlier and not set(vocabulary[matrix[i].indices]) & key_terms:
            detail = (
                f"similarity {similarity:.2f} to the rest of the page (median {typical:.2f}), no key term"
            )
            yield SpamSignal("off_topic", paragraph.start, paragraph.end, detail, "medium")


def paragraph_tfidf(paragraphs: list[str]) -> tuple[csr_matrix, np.ndarray] | None:
    """The TF-IDF rows of a page's paragraphs and the terms of their columns; None when no paragraph has a term.

    This is ``fit_transform`` of :func:`_paragraph_vectorizer` and its feature names, stored
    value for stored value (a test compares them bit for bit), without the validation
    sklearn runs on every fit, which took most of the time on a page's few paragraphs.
    sklearn's steps: terms numbered as first met; each row's counts in that order; columns
    renamed to the terms' alphabetical order (the stored order stays); smoothed idf; 1 + log
    of each count, times its idf; each row scaled to unit length by sklearn's own routine.
    """
    analyze = _paragraph_analyzer()
    first_met: dict[str, int] = {}
    rows: list[list[tuple[int, int]]] = []
    for paragraph in paragraphs:
        counts: dict[int, int] = {}
        for term in analyze(paragraph):
            number = first_met.setdefault(term, len(first_met))
            counts[number] = counts.get(number, 0) + 1
        rows.append(sorted(counts.items()))
    if not first_met:
        return None
    terms = sorted(first_met)
    column_of = np.empty(len(terms), dtype=np.int32)
    for column, term in enumerate(terms):
        column_of[first_met[term]] = column
    indices = column_of[np.array([number for row in rows for number, _ in row], dtype=np.intp)]
    data = np.log(np.array([count for row in rows for _, count in row], dtype=np.float64)) + 1.0
    document_frequency = np.bincount(indices, minlength=len(terms)).astype(np.float64) + 1.0
    idf = np.full_like(document_frequency, len(paragraphs) + 1)
    idf /= document_frequency
    np.log(idf, out=idf)
    idf += 1.0
    data *= idf[indices]
    indptr = np.cumsum([0, *map(len, rows)], dtype=np.int32)
    matrix = csr_matrix((data, indices, indptr), shape=(len(paragraphs), len(terms)))
    inplace_csr_row_normalize_l2(matrix)
    return matrix, np.array(terms, dtype=object)


def _paragraph_vectorizer() -> TfidfVectorizer:
    """The TF-IDF model of a page's paragraphs: words of three letters or more, English stop words left out."""
    return TfidfVectorizer(stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{3,}\b")


@cache
def _paragraph_analyzer() -> Callable[[str], list[str]]:
    analyzer: Callable[[str], list[str]] = _paragraph_vectorizer().build_analyzer()
    return analyzer


def _similarities_to_rest(matrix: csr_matrix) -> list[float]:
    """Each row's cosine similarity with the sum of the other rows (0.0 for an empty row).

    All rows at once, with the arithmetic of sklearn's ``cosine_similarity`` called row by
    row (which spent most of its time validating its input): the same products, added in
    the same order, so the floats are equal to the last bit. Each row sum is a sparse
    matrix-vector product, which adds a row's stored values left to right as sklearn's
    sparse normalisation and its sparse-dense product both do.
    """
    total = np.asarray(matrix.sum(axis=0))
    rest = total - matrix.toarray()
    rest_norms = np.sqrt(np.einsum("ij,ij->i", rest, rest))
    rest /= np.where(rest_norms < 10 * np.finfo(rest.dtype).eps, 1.0, rest_norms)[:, None]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    squares = _row_sums(matrix, matrix.data * matrix.data)
    norms = np.sqrt(np.where(squares == 0.0, 1.0, squares))
    unit_data = matrix.data / norms[rows]
    dots = _row_sums(matrix, unit_data * rest[rows, matrix.indices])
    return [float(dot) if nnz else 0.0 for dot, nnz in zip(dots, np.diff(matrix.indptr), strict=True)]


def _row_sums(matrix: csr_matrix, data: np.ndarray) -> np.ndarray:
    """The sum of each row of ``matrix`` with ``data`` as its stored values, added left to right."""
    same_layout = csr_matrix((data, matrix.indices, matrix.indptr), shape=matrix.shape)
    sums: np.ndarray = same_layout @ np.ones(matrix.shape[1])
    return sums


def _illicit_prices(prices: Iterable[Price]) -> Iterator[SpamSignal]:
    for price in prices:
        if price.illicit:
            detail = f"{price.item or 'a drug'} offered for sale at {price.text}"
            yield SpamSignal("illicit_price", price.start, price.end, detail, "high")
