"""Wording checks: phrases the evidence contradicts, authority borrowed, testimonials offered as proof."""

from __future__ import annotations

import re

from ...claims.lexicon import clause_around
from ...evidence.base import LocatedEntry
from ...evidence.vocabulary import interventions_named, lineage
from ...records import Reason
from ...settings import Rules
from ..language import negated_at
from .context import ClaimContext, Finding, finding_from, with_standard

VERB_NEGATION = re.compile(
    r"\b(?:is|are|was|were|be|can|will|should|must|may)\s+(?:not|never)\b|"
    r"\b(?:never|cannot|can't|isn't|aren't|won't|mustn't|shouldn't)\b",
    re.I,
)
"""A clause's verb denied: "it is never dispensed to patients for use at home" denies the phrase at its end."""
CONTRADICTION_REASONS: dict[str, Reason] = {
    "regulatory": "regulatory_misstatement",
    "cost": "cost_misstatement",
    "indication": "indication_creep",
    "authority": "authority_misappropriation",
}


def check_contradicting_phrases(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A phrase an entry lists under ``contradicted_by``, asserted about that entry's treatment.

    The claim must name the entry's intervention (or a narrower one): "Spravato can be taken at
    home" is contradicted by the REMS entry, "ketamine can be taken at home" is not judged by it.
    """
    named = ctx.targets.interventions
    findings = []
    for entry in ctx.ranked:
        if not entry.entry.contradicted_by or not any(
            entry.entry.intervention in lineage(ctx.domain, n) for n in named
        ):
            continue
        asserted = _asserted_phrase(ctx.claim.text, entry.entry.contradicted_by)
        if asserted and _said_of(ctx, entry, asserted[1]):
            phrase = asserted[0]
            reason = CONTRADICTION_REASONS.get(entry.entry.kind, "absolute_language")
            detail = f"The evidence contradicts “{phrase}”."
            findings.append(Finding("contradicted", reason, "high", (entry,), detail))
    return findings[:1]


def check_authority(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Institutions or studies named as confirming or endorsing what they only studied."""
    flag = ctx.wording.get("authority_misappropriation")
    if flag is None:
        return []
    entries = tuple(e for e in ctx.ranked if e.entry.kind == "authority")[:1] or tuple(
        c.entry for c in ctx.candidates[:1]
    )
    return [finding_from(flag, with_standard(ctx, entries, "substantiation"))]


def check_testimonial(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A personal story of results offered as proof."""
    flag = ctx.wording.get("testimonial_as_proof")
    if flag is None:
        return []
    return [
        finding_from(flag, with_standard(ctx, tuple(c.entry for c in ctx.candidates[:1]), "testimonials"))
    ]


def _asserted_phrase(text: str, phrases: tuple[str, ...]) -> tuple[str, int] | None:
    """The first phrase the text contains without a negation just before it, with where it starts."""
    straight = text.replace("’", "'")
    for phrase in phrases:
        for match in re.finditer(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", straight, re.I):
            if not negated_at(text, match.start()) and not _verb_denied(straight, match.start()):
                return phrase, match.start()
    return None


def _verb_denied(text: str, at: int) -> bool:
    """Whether the verb of the clause holding ``at`` is negated before it."""
    return VERB_NEGATION.search(text, clause_around(text, at)[0], at) is not None


def _said_of(ctx: ClaimContext, entry: LocatedEntry, at: int) -> bool:
    """Whether what the claim says at ``at`` is said of the entry's treatment: no other treatment is named
    before it ("compounded tablets taken at home ... unlike Spravato" speaks of the tablets)."""
    before = interventions_named(ctx.claim.text[:at], ctx.domain)
    return not before or any(entry.entry.intervention in lineage(ctx.domain, n) for n in before)
