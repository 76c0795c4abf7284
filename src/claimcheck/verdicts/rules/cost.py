"""Cost: coverage promised against a domain's payers, and prices against its typical range."""

from __future__ import annotations

import re

from ...claims.lexicon import CueMatch
from ...evidence.base import Domain
from ...records import Price
from ...settings import Rules
from ..language import CONDITIONAL, cues_in_clause
from .context import ClaimContext, Finding

LIMITED_BEFORE = re.compile(
    r"\b(?:rarely|seldom|hardly ever|almost never|infrequently|not (?:usually|typically|often|always))\s+(?:[\w-]+\s+){0,2}$"
    r"|\b(?:some|a few|certain|few)\s+(?:[\w-]+\s+){0,3}$",
    re.I,
)
"""A word that limits what follows it to few cases ("is rarely covered by insurance", "some out-of-network
plans reimburse part of it")."""
DRUG_ONLY = re.compile(
    r"\b(?:itself|the drug alone|drug cost|wholesale|the (?:amount|dose|quantity|vial)s? (?:of [\w-]+ )?(?:used|needed|given))\b",
    re.I,
)
"""The cost of the drug alone, which the price of a treatment (clinic, staff, monitoring) is not held against."""


def check_cost(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Prices against the known price range, and insurance coverage against what insurers do.

    Coverage is read from the closest entry about a form the claim names; said of the
    treatment at large, it holds only if it holds for every form: "ketamine is covered by
    most plans" is overstated while IV ketamine rarely is, though insurers usually cover
    Spravato.
    """
    if not ctx.about("cost") and not any(q.kind == "money" for q in ctx.claim.quantities):
        return []
    if _asserts_coverage(ctx) and not CONDITIONAL.search(ctx.claim.text):
        coverage = [e for e in ctx.ranked if e.entry.coverage is not None]
        named = (
            coverage[:1]
            if coverage and coverage[0].entry.intervention in ctx.targets.interventions
            else coverage
        )
        uncovered = [e for e in named if e.entry.coverage in ("rarely-covered", "not-covered")]
        if uncovered:
            return [Finding("overstated", "cost_misstatement", "medium", (uncovered[0],), "")]
    priced = [e for e in ctx.ranked if e.entry.kind == "cost" and e.entry.price is not None]
    if not priced or DRUG_ONLY.search(ctx.claim.text):
        return []
    lowest = min(priced, key=lambda e: e.entry.price.low if e.entry.price else 0.0)
    floor, currency = (lowest.entry.price.low, lowest.entry.price.unit) if lowest.entry.price else (0.0, "")
    amounts = [p for p in ctx.prices if _comparable_price(p, currency, ctx.domain)]
    if not amounts:
        return []
    if (
        min(p.amount if p.amount is not None else (p.low or 0.0) for p in amounts)
        < floor * rules.price_low_factor
    ):
        return [
            Finding(
                "contradicted",
                "cost_misstatement",
                "medium",
                (lowest,),
                "The price stated is far below known prices.",
            )
        ]
    return [Finding("supported", "cost_misstatement", None, (priced[0],), "")]


COST_WORDS = ("coverage", "kind:cost")
PAYING = re.compile(r"\b(?:cover\w*|reimburs\w*|pa(?:y|ys|id)\s+for)\b", re.I)
"""Words of a payer paying, in a cost cue (not the patient's "you will not have to pay much")."""


def _asserts_coverage(ctx: ClaimContext) -> bool:
    """Whether the claim says insurers pay: a coverage cue, not denied and not limited ("is rarely covered
    by insurance", "plans seldom reimburse" say what the evidence says), in a sentence that denies no
    payment ("aren't covered by the public plan, but many extended plans reimburse part of the cost" sets
    what is paid beside what is not)."""
    denied = any(c.category in COST_WORDS and PAYING.search(c.text) and _limited(ctx, c) for c in ctx.cues)
    return not denied and any(
        c.category == "coverage" and not _limited(ctx, c) and not _of_another_treatment(ctx, c)
        for c in ctx.cues
    )


def _of_another_treatment(ctx: ClaimContext, cue: CueMatch) -> bool:
    """Whether the clause of a coverage phrase names another drug and none of the domain's treatments ("our
    Botox and nerve blocks are usually covered by insurance; ketamine treatments are self-pay")."""
    in_clause = {c.category for c in cues_in_clause(ctx.claim, ctx.cues, cue.start - ctx.claim.start)}
    return "other_treatments" in in_clause and "treatment" not in in_clause


def speaks_of_cost(ctx: ClaimContext) -> bool:
    """The frame of a cost misstatement for the learned flag: a price stated, or words of cost with none
    denied or limited ("rarely covered by insurance, so most patients pay out of pocket" promises nothing)."""
    if any(q.kind == "money" for q in ctx.claim.quantities):
        return True
    cost = [c for c in ctx.cues if c.category in COST_WORDS]
    return bool(cost) and not any(_limited(ctx, c) for c in cost)


def _limited(ctx: ClaimContext, cue: CueMatch) -> bool:
    """Whether the cue is denied ("not covered") or limited to few cases ("rarely covered")."""
    return (
        ctx.negated(cue) or LIMITED_BEFORE.search(ctx.claim.text, 0, cue.start - ctx.claim.start) is not None
    )


def _comparable_price(price: Price, currency: str, domain: Domain) -> bool:
    """A price the evidence's range can judge: not an offer, per treatment, and in the range's currency.

    Amounts in another currency are not converted (rates move; a report must not depend on
    the day it ran), so "€25 an infusion" is left to a reader rather than judged in dollars.
    """
    return not price.offer and price.currency == currency and _per_treatment(price, domain)


def _per_treatment(price: Price, domain: Domain) -> bool:
    """A price of one or more treatments in the unit the domain quotes them in (not a consultation or a plan)."""
    if price.unit is not None:
        return price.unit in domain.price_units
    item = (price.item or "").lower()
    return any(re.search(rf"\b{re.escape(unit)}", item) for unit in domain.price_units)
