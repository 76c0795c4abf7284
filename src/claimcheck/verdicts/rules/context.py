"""What every check reads and returns: the claim's context, a finding, and readings shared by checks.

A ``ClaimContext`` holds one claim, its cue phrases, what it is about, the retrieved
candidates, every related entry of its domain and the cross-domain standards; a check
returns ``Finding``s (a label, a reason, a severity and the entries it rests on). The
helpers here are those that more than one family of checks reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Protocol, TypeVar

from ...claims.lexicon import CueMatch
from ...evidence.base import Domain, LocatedEntry
from ...evidence.vocabulary import conditions_named_of, is_compatible, lineage
from ...records import Claim, Price, Quantity, Reason, Severity, Targets, VerdictLabel
from ...settings import Rules
from ..language import (
    TREATMENT_FRAME_CUES,
    WordingFlag,
    negated_at,
    wording_flags,
)
from ..matching import Candidate

OTHER_DRUGS = re.compile(
    r"\b(?:medications|medicines|drugs|antidepressants|ssris|pills|opioids|opiates|painkillers|benzodiazepines|"
    r"(?:conventional|traditional|standard)\s+(?:[\w-]+\s+){0,2}(?:treatments|approaches|therapies)|"
    r"electroconvulsive(?:\s+therapy)?|electroshock(?:\s+therapy)?|ect)\b",
    re.I,
)
"""Drugs in the plural, named by class, the usual treatments as a class, and ECT: what is said of them ("two
medications are approved for PTSD, both antidepressants", "conventional addiction treatment approaches have
made progress", "ECT is usually covered by insurance") is not said of the treatment the page sells."""


OURS = re.compile(r"\b(?:we|our|us|compared|than|unlike|versus|vs|instead of|alternative to)\b", re.I)
"""Words that put the page's own treatment in a claim that does not name it: "we", or a comparison with the
drugs it names ("compared to drugs and surgery, the success rate is higher")."""


OURS_BY_PRONOUN = re.compile(r"\b(?:it|its|this)\b", re.I)
"""A pronoun is the page's treatment unless the claim opens on the other treatment, which it then refers to."""
MAX_FRAGMENT_WORDS = 8


QUANTITY_GAP = 2
"""A quantity that starts this close after a cue ("takes 40 minutes") belongs to it."""
RULES = Rules()


@dataclass(frozen=True)
class Finding:
    label: VerdictLabel
    reason: Reason | None
    """The overstatement found. A ``supported`` finding names the one it rules out where typed facts
    decide it (an approval and its date, a price range); a rate within the evidence's bounds rules
    nothing out (the population or design may differ), so it names none."""
    severity: Severity | None
    entries: tuple[LocatedEntry, ...]
    explanation: str


def finding_from(flag: WordingFlag, entries: tuple[LocatedEntry, ...]) -> Finding:
    """The finding a wording flag makes, resting on ``entries`` (none where no domain covers the claim)."""
    return Finding(flag.label, flag.reason, flag.severity, entries, flag.explanation)


@dataclass(frozen=True)
class ClaimContext:
    """What a check needs to know about one claim."""

    claim: Claim
    cues: tuple[CueMatch, ...]
    targets: Targets
    domain: Domain
    candidates: tuple[Candidate, ...]
    related: tuple[LocatedEntry, ...]
    standards: Mapping[str, LocatedEntry] = field(default_factory=dict)
    """Cross-domain standard entries by role (``EvidenceBase.standards``), citable whatever the treatment."""
    prices: tuple[Price, ...] = ()
    """The prices the claim states, as the annotation stage found them on the page."""
    page_conditions: frozenset[str] = frozenset()
    """The conditions the page names for the claim's treatment: what a claim naming none is about."""
    asked: str = ""
    """The question the claim answers, where the unit before it is one (an FAQ): "Is ketamine FDA approved?"."""

    def about(self, *kinds: str) -> bool:
        """True when the claim is of one of these kinds, by the classifier or by its cue words."""
        return any(kind in self.claim.kinds or self.has_cue(f"kind:{kind}") for kind in kinds)

    def fits_conditions(self, entry: LocatedEntry) -> bool:
        """Whether the entry's condition is compatible with the conditions the claim names."""
        return is_compatible(entry.entry.condition, self.targets.conditions, self.domain)

    def fits_page_conditions(self, entry: LocatedEntry) -> bool:
        """Whether the entry's condition is compatible with the conditions the page names."""
        return is_compatible(entry.entry.condition, self.page_conditions, self.domain)

    def has_cue(self, category: str) -> bool:
        return any(c.category == category and not self.negated(c) for c in self.cues)

    def cue_texts(self, category: str) -> list[str]:
        return [c.text.lower() for c in self.cues if c.category == category and not self.negated(c)]

    def negated(self, cue: CueMatch) -> bool:
        return negated_at(self.claim.text, cue.start - self.claim.start)

    @cached_property
    def ranked(self) -> tuple[LocatedEntry, ...]:
        """Candidates first (by score), then the rest of the claim's related entries (computed once: most checks read them).

        Entries are told apart by id (unique in a base): comparing them as values would walk
        every field of every entry, for every claim and every check.
        """
        first = tuple(c.entry for c in self.candidates)
        retrieved = {e.entry.id for e in first}
        return first + tuple(e for e in self.related if e.entry.id not in retrieved)

    @cached_property
    def wording(self) -> dict[str, WordingFlag]:
        """What the language layer finds in the claim's words, by reason (computed once)."""
        return {flag.reason: flag for flag in wording_flags(self.claim, self.cues)}


def text_after(claim: Claim, quantity: Quantity) -> str:
    """The claim's text after the quantity."""
    return claim.text[quantity.end - claim.start :]


def presents_a_treatment(ctx: ClaimContext) -> bool:
    """Whether the claim speaks of a treatment acting on its conditions, not of the conditions alone.

    "Low back pain causes more disability than any other condition" names a condition
    and no treatment: nothing there is presented as treated. A fragment ("Migraine and
    cluster headaches") takes its treatment from the list or heading it stands under.
    """
    return bool(
        ctx.targets.interventions
        or any(ctx.has_cue(category) for category in TREATMENT_FRAME_CUES)
        or "\n" in ctx.claim.text
        or _is_fragment(ctx.claim.text)
    )


def acts_on_something(ctx: ClaimContext) -> bool:
    """A treatment named or worded, or a condition: what an onset can be the onset of."""
    return presents_a_treatment(ctx) or ctx.has_cue("kind:indication")


def _is_fragment(text: str) -> bool:
    return len(text.split()) <= MAX_FRAGMENT_WORDS and not text.rstrip().endswith((".", "!", "?"))


def is_epidemiology(ctx: ClaimContext) -> bool:
    """How common a condition is, with no word of a treatment working: not a treatment claim."""
    return ctx.has_cue("prevalence") and not ctx.has_cue("kind:efficacy")


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Spanned)


def outside(ctx: ClaimContext, spans: Sequence[S], *categories: str) -> list[S]:
    """The quantities (or cues) that no cue of these categories covers or introduces (a schedule, a session's length)."""
    covers = [(c.start, c.end + QUANTITY_GAP) for c in ctx.cues if c.category in categories]
    return [q for q in spans if not any(lo < q.end and q.start < hi for lo, hi in covers)]


def with_standard(
    ctx: ClaimContext, entries: tuple[LocatedEntry, ...], role: str
) -> tuple[LocatedEntry, ...]:
    """The entries plus the cross-domain standard of that role, when the evidence base has one."""
    standard = ctx.standards.get(role)
    return (*entries, standard) if standard is not None else entries


def is_vulnerable(text: str, domain: Domain) -> bool:
    """True when a claim addresses the patients the domain lists as vulnerable (guide §2: high severity)."""
    vulnerable = {c: domain.conditions[c] for c in domain.vulnerable.conditions if c in domain.conditions}
    if vulnerable and conditions_named_of(text, vulnerable):
        return True
    pattern = _phrase_pattern(domain.vulnerable.phrases)
    return pattern is not None and pattern.search(text.lower()) is not None


@cache
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One expression that finds any of the phrases, lower-cased, as whole words (None for no phrases).

    It finds a match wherever one phrase alone would: at each position every alternative is tried.
    """
    if not phrases:
        return None
    alternatives = "|".join(re.escape(p.lower()) for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def narrowest_terms(terms: frozenset[str], domain: Domain) -> frozenset[str]:
    """Drop terms that are broader than another of the terms."""
    return frozenset(t for t in terms if not any(t != u and t in lineage(domain, u) for u in terms))


def number_text(value: float) -> str:
    return f"{value:g}"
