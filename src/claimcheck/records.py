"""The typed records that flow through the pipeline.

Every span carries ``start``/``end`` character offsets into ``Document.text``, the
extracted main text, so that ``document.text[span.start:span.end] == span.text``
holds from the first stage to the report. Records are frozen: a stage returns new
records rather than editing old ones.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Literal, get_args

ClaimKind = Literal[
    "efficacy",
    "onset",
    "durability",
    "safety",
    "regulatory",
    "authority",
    "indication",
    "comparative",
    "cost",
    "testimonial",
    "mechanism",
]
CLAIM_KINDS: tuple[ClaimKind, ...] = get_args(ClaimKind)

VerdictLabel = Literal["supported", "overstated", "contradicted", "unsupported", "unverified"]
VERDICT_LABELS: tuple[VerdictLabel, ...] = get_args(VerdictLabel)
FLAGGED_VERDICTS: frozenset[str] = frozenset({"overstated", "contradicted", "unsupported"})

Reason = Literal[
    "number_beyond_evidence",
    "absolute_language",
    "onset_exaggerated",
    "durability_exaggerated",
    "indication_creep",
    "regulatory_misstatement",
    "authority_misappropriation",
    "testimonial_as_proof",
    "cost_misstatement",
]
REASONS: tuple[Reason, ...] = get_args(Reason)

Severity = Literal["high", "medium", "low"]
CausalStrength = Literal["none", "correlational", "conditional", "direct"]
"""How strongly a claim states a relationship, weakest first: none stated, an association, a cause with a
modal ("may reduce"), a cause outright ("reduces"). The scale of Yu et al.'s causal-language studies."""
CAUSAL_STRENGTHS: tuple[CausalStrength, ...] = get_args(CausalStrength)
UnitKind = Literal["sentence", "heading", "list_item", "list", "table_row", "line"]
QuantityKind = Literal["percent", "ratio", "count", "duration", "money"]
OfferKind = Literal["discount", "financing", "free", "bundle"]


@dataclass(frozen=True)
class Page:
    """What was acquired: the raw bytes as received, with their provenance."""

    source: str
    raw: bytes
    sha256: str
    media_type: Literal["html", "text"]
    url: str | None = None
    final_url: str | None = None
    fetched_at: str | None = None
    http_status: int | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class Document:
    """The extracted main text of a page; all offsets point into ``text``."""

    source: str
    text: str
    title: str | None = None
    date: str | None = None
    sitename: str | None = None
    encoding: str | None = None
    warnings: tuple[str, ...] = ()
    """Why ``text`` may not be all of the page (e.g. a whole-page fallback), in plain words."""


@dataclass(frozen=True)
class Unit:
    """A segment of the text: a sentence, heading, list item or table row."""

    start: int
    end: int
    text: str
    kind: UnitKind


@dataclass(frozen=True)
class Quantity:
    """A number a claim rests on, parsed.

    ``low``/``high`` are equal for a single value. ``unit`` is ``"%"`` for percentages
    and for shares ("3 in 4" is a ratio of 75 %), ``"times"`` for a ratio of two
    quantities ("2:1 versus placebo" is 2.0 times), a time unit (``"minutes"``, ``"hours"``, ``"days"``, ``"weeks"``, ``"months"``,
    ``"years"``) for durations, a currency code for money, and ``None`` for counts.
    ``qualifier`` keeps the words that bound it ("within", "up to", "as little as").
    """

    start: int
    end: int
    text: str
    kind: QuantityKind
    low: float
    high: float
    unit: str | None = None
    qualifier: str | None = None


@dataclass(frozen=True)
class CueMatch:
    """A cue phrase of the lexicon (``data/lexicon.yaml``) found in the text: its category and span."""

    category: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Citation:
    """A source an evidence entry rests on."""

    citation: str
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    verification: str = "verified"
    short: str = ""
    """How explanations name the source ("Cochrane 2021"); empty when unknown."""


@dataclass(frozen=True)
class EvidenceRef:
    """An evidence entry a verdict rests on, with its retrieval score."""

    id: str
    statement: str
    score: float
    citations: tuple[Citation, ...] = ()
    verification: str | None = None
    """The entry's verification mark (verified, verified-secondary, recalled-not-verified)."""


@dataclass(frozen=True)
class Claim:
    """A checkable assertion in the text, with what was found about it."""

    start: int
    end: int
    text: str
    kinds: tuple[ClaimKind, ...]
    quantities: tuple[Quantity, ...] = ()
    hedged: bool = False
    strength: CausalStrength = "none"
    score: float = 0.0
    verdict: VerdictLabel = "unverified"
    reasons: tuple[Reason, ...] = ()
    severity: Severity | None = None
    explanation: str = ""
    evidence: tuple[EvidenceRef, ...] = ()
    candidates: tuple[EvidenceRef, ...] = ()
    flag_score: float | None = None
    """The claim model's probability that an annotator would flag this claim (None: no flag head)."""
    flag_reasons: tuple[Reason, ...] = ()
    """The overstatement reasons the claim model finds likely, most likely first."""
    id: str = ""
    """Stable id: a hash of the normalised claim text and the page's source (see ``ids.claim_id``).

    The same wording on the same page gets the same id in every audit, which is what audit diffs match on.
    """
    cues: tuple[CueMatch, ...] = ()
    """The lexicon's cue phrases in the claim, as the annotation stage found them; the verdicts read these."""


@dataclass(frozen=True)
class SpamSignal:
    """One piece of evidence that a page is machine-made filler."""

    name: str
    start: int
    end: int
    detail: str
    severity: Severity = "medium"


@dataclass(frozen=True)
class SpamResult:
    """The page-level spam judgement."""

    label: Literal["spam", "ok"] = "ok"
    score: float = 0.0
    signals: tuple[SpamSignal, ...] = ()


@dataclass(frozen=True)
class Price:
    """A monetary amount and what it is the price of."""

    start: int
    end: int
    text: str
    currency: str
    amount: float | None = None
    low: float | None = None
    high: float | None = None
    item: str | None = None
    unit: str | None = None
    offer: bool = False
    illicit: bool = False


@dataclass(frozen=True)
class Offer:
    """An offer stated without an amount: "10% off", "0% interest financing", "first session free".

    Offers with an amount ("$100 off", "now $549") are :class:`Price` records with
    ``offer`` set; these have no amount, so they are not prices (annotation guide §5)
    and are kept apart from them, out of price scoring.
    """

    start: int
    end: int
    text: str
    kind: OfferKind


@dataclass(frozen=True)
class Targets:
    """The domain, interventions and conditions a text is about."""

    domain: str | None = None
    interventions: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AnnotatedUnit:
    """A unit with what the annotation stage found in it: cue phrases, quantities and prices."""

    unit: Unit
    cues: tuple[CueMatch, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    prices: tuple[Price, ...] = ()
    """The page's prices that lie inside the unit."""
    targets: tuple[Targets, ...] | None = None
    """The treatments and conditions the unit names, by the evidence's vocabulary
    (:func:`claimcheck.evidence.vocabulary.name_targets`); None when annotated without one."""


@dataclass(frozen=True)
class AnnotatedDocument:
    """A document with every fact the later stages read, found once (:func:`claimcheck.annotate.annotate`).

    Units, their cue phrases and quantities, and the page's prices, all with offsets into
    ``document.text``: claims, verdicts and signals read these and never parse the text again.
    """

    document: Document
    units: tuple[AnnotatedUnit, ...] = ()
    prices: tuple[Price, ...] = ()
    targets: tuple[Targets, ...] | None = None
    """The treatments the whole page names (most-mentioned first), by the evidence's vocabulary;
    None when annotated without one. Its units are read for these treatments' domains only."""

    @property
    def text(self) -> str:
        return self.document.text

    def unit_at(self, start: int, end: int) -> AnnotatedUnit | None:
        """The unit spanning exactly ``start:end`` (a claim found in it), if there is one."""
        at = bisect_left(self.units, start, key=lambda annotated: annotated.unit.start)
        if at < len(self.units) and self.units[at].unit.end == end and self.units[at].unit.start == start:
            return self.units[at]
        return None

    def unit_before(self, start: int) -> AnnotatedUnit | None:
        """The unit that ends before ``start`` and nearest to it (what a sentence opening "It ..." leans on)."""
        at = bisect_left(self.units, start, key=lambda annotated: annotated.unit.start)
        return self.units[at - 1] if at > 0 else None

    def prices_in(self, start: int, end: int) -> tuple[Price, ...]:
        """The prices that lie inside ``start:end``, in text order."""
        return tuple(price for price in self.prices if start <= price.start and price.end <= end)


@dataclass(frozen=True)
class Meta:
    """What a report was made with, so that it can be reproduced."""

    tool_version: str
    evidence_hash: str | None = None
    models: dict[str, str] = field(default_factory=dict)
    settings: dict[str, object] = field(default_factory=dict)
    config_sha256: str | None = None
    """Hash of ``settings`` (rules included): two reports with the same hash ran the same configuration."""
    config_changed: dict[str, object] = field(default_factory=dict)
    """The settings that differ from the defaults, for a reader who wants only what was tuned."""


@dataclass(frozen=True)
class Report:
    """Everything claimcheck found on one input. ``error`` is set when it failed."""

    source: str
    text: str = ""
    title: str | None = None
    text_sha256: str | None = None
    raw_sha256: str | None = None
    fetched_at: str | None = None
    final_url: str | None = None
    error: str | None = None
    claims: tuple[Claim, ...] = ()
    spam: SpamResult = field(default_factory=SpamResult)
    prices: tuple[Price, ...] = ()
    meta: Meta | None = None
    warnings: tuple[str, ...] = ()
    """Caveats about a checked input, e.g. how its text was extracted (see ``Document.warnings``)."""
    offers: tuple[Offer, ...] = ()
    """Offers stated without an amount (after the older fields, so that positional construction keeps working)."""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class FrontierItem:
    """A URL a crawl has found and will fetch (or has): the record the crawler and the store share."""

    url: str
    site: str
    depth: int
    found_on: str | None = None
