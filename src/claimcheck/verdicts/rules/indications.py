"""Indications: the conditions a claim presents a treatment as treating, against how established each use is."""

from __future__ import annotations

import re

from ...claims.lexicon import about_the_treated
from ...evidence.base import LocatedEntry
from ...evidence.vocabulary import lineage
from ...settings import Rules
from .context import ClaimContext, Finding, is_epidemiology, narrowest_terms, outside, presents_a_treatment

PROMISE_CUES = ("treats_verb", "kind:efficacy")
"""Words that present a treatment as working on a condition (a usage statement has none outside itself)."""
SAFETY_LEAD_IN = re.compile(r"\b(?:effects?|feel(?:s|ings?)?|risks?|symptoms)\b", re.I)
"""A list introduced as what people feel or risk lists effects, not conditions treated."""
EXCLUSION = re.compile(
    r"\b(?:not indicated|contraindicated|(?:should|must|to|please|always|is|are) (?:be )?avoid(?:ed)?|^avoid|should not|not suitable|not for|caution|not been shown|no study|"
    r"no evidence|no better than|not (?:funded|covered|reimbursed|subsidi[sz]ed)|(?P<negation>has not|does not|did not|failed to|(?:is|are) not used|(?:is|are)n['’]t used)|neither|side effects?|adverse|mice|rats|animal|(?P<off_label>off-label)|"
    r"not (?:fda[- ])?(?:approved|cleared|authori[sz]ed)|lacks?|develop|found no|no (?:[\w-]+ ){0,2}(?:proven|shown)|not (?:an? )?(?:proven|established)|"
    r"(?:caused|linked to|reports? of|led to|resulted in) (?:[\w-]+ ){0,5}(?:infections?|injur\w*|harm|deaths?|blindness|tumou?rs?|complications)|"
    r"\bno\b[^.;]{0,60}?\b(?:is|are|has been|have been|was|were)\s+(?:fda[- ])?(?:approved|cleared|authori[sz]ed)|the only (?:fda[- ])?approved|"
    r"experimental|investigational|not medically necessary|unproven|"
    r"(?<!risk of )(?<!chance of )(?:tip|push|trigger|worsen|induce|precipitate|switch)\w*\b[^.;]{0,40}?\b(?:hypomania|mania|manic|psychosis|psychotic|seizures?)|"
    r"(?:don['’]t|do not|does not|never|cannot|can['’]t) (?:claim|promise|say|suggest|guarantee))\b",
    re.I,
)
"""Words that make a claim an exclusion, a caveat, a negative finding ("a review found no therapy proven
to cure it"), a harm done ("contaminated products caused infections", "reports of blindness") or risked ("can
tip a person with bipolar disorder into mania"), an approval denied or limited ("No stem cell product is
FDA-approved for arthritis", "the only approved stem cell products are ..."), a payer's ruling ("is considered
investigational and not medically necessary") or a disclaimer ("we don't claim that any drip treats the
flu") rather than a treatment's use."""
OWN_OFFER = re.compile(
    r"\b(?:we|our\s+(?:clinic|team|physicians|doctors|providers|clinicians|center|centre))\s+(?:also\s+)?"
    r"(?:offer|provide|treat|use|prescribe|run)s?\b",
    re.I,
)
"""A page offering its own service: "we also offer off-label protocols for autism" presents what it treats,
where "ketamine is used off-label for depression" states a regulatory status."""


NEGATION_REACH = 5
"""At most this many words from a relative pronoun to a negation in its clause ("that two drugs have failed to")."""


def check_indications(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Each condition the claim presents as treated, against its indication status."""
    if not presents_an_indication(ctx):
        return []
    findings = []
    for condition in sorted(narrowest_terms(ctx.targets.conditions, ctx.domain)):
        entry = _indication_entry(ctx, condition)
        status = entry.entry.indication_status if entry else None
        if entry is None or status is None or status == "established":
            continue
        label = rules.creep_labels[status]
        if ctx.claim.hedged and label == "overstated":
            continue
        findings.append(Finding(label, "indication_creep", "medium", (entry,), ""))
    return findings


def presents_an_indication(ctx: ClaimContext) -> bool:
    """Whether the claim presents a treatment as working on a condition: the frame indication creep needs."""
    return speaks_of_indications(ctx) and presents_a_treatment(ctx)


def names_only_established_indications(ctx: ClaimContext) -> bool:
    """Whether every condition the claim names is one its treatment's evidence establishes.

    Such a claim cannot creep beyond the evidence's indications, whatever its wording. A
    condition with no indication entry of its own counts when a narrower form of it has an
    established one: "doctors use it off label to treat depression" names depression, whose
    treatment-resistant form the ketamine entries establish.
    """
    indications = [e.entry for e in ctx.related if e.entry.kind == "indication"]
    established = {e.condition for e in indications if e.indication_status == "established" and e.condition}
    with_entries = {e.condition for e in indications}
    conditions = narrowest_terms(ctx.targets.conditions, ctx.domain)
    return bool(conditions) and all(
        c in established or (c not in with_entries and any(c in lineage(ctx.domain, n) for n in established))
        for c in conditions
    )


def speaks_of_indications(ctx: ClaimContext) -> bool:
    """Whether the claim speaks of what a treatment is for, as a promise rather than a caveat.

    Not an exclusion ("not for people with psychosis"), a caveat or a study's report, how
    common a condition is, or a list of side effects.
    """
    if not _speaks_of_treating(ctx) or _excludes(ctx):
        return False
    if ctx.has_cue("evidence_caveat") or ctx.has_cue("study_report") or is_epidemiology(ctx):
        return False
    if _states_use_only(ctx):
        return False
    return not SAFETY_LEAD_IN.search(_lead_in(ctx.claim.text))


def _excludes(ctx: ClaimContext) -> bool:
    """Whether the claim excludes, cautions or reports a negative finding (:data:`EXCLUSION`).

    A negation in a relative clause about the condition or its patients is not one, nor "off-label"
    in the page's own offer.
    """
    return any(_excluding(ctx, m) for m in EXCLUSION.finditer(ctx.claim.text))


def _excluding(ctx: ClaimContext, match: re.Match[str]) -> bool:
    text, start = ctx.claim.text, ctx.claim.start
    if match.group("negation"):
        return not about_the_treated(text, start, start + match.start(), ctx.cues, NEGATION_REACH)
    if match.group("off_label"):
        return not OWN_OFFER.search(text)
    return True


def _states_use_only(ctx: ClaimContext) -> bool:
    """A treatment's use reported as practice, with no word of it working outside that report.

    "TMS is primarily used to treat depression" and "ozone has been used to treat disease
    for 150 years" say how a treatment is used, not that it works: indication creep needs a
    condition presented as effectively treated. "...has been used for decades and relieves
    PTSD" still promises relief.
    """
    if not ctx.has_cue("usage"):
        return False
    promises = [c for c in ctx.cues if c.category in PROMISE_CUES and not ctx.negated(c)]
    return not outside(ctx, promises, "usage")


def _speaks_of_treating(ctx: ClaimContext) -> bool:
    """The claim is typed as one about indications, efficacy or approval, or has a word of treating,
    working or approval.

    A condition named in passing ("addiction is not the only cause of low NAD levels")
    is not enough: naming a condition is not presenting it as treated.
    """
    typed = any(kind in ctx.claim.kinds for kind in ("indication", "efficacy", "regulatory"))
    return typed or any(ctx.has_cue(c) for c in ("treats_verb", "kind:efficacy", "kind:regulatory"))


def _lead_in(text: str) -> str:
    """The line that introduces a list claim ("Side effects can include:"); empty for a one-line claim."""
    first, _, rest = text.partition("\n")
    return first if rest else ""


def _indication_entry(ctx: ClaimContext, condition: str) -> LocatedEntry | None:
    matches = [e for e in ctx.related if e.entry.kind == "indication" and e.entry.condition == condition]
    return matches[0] if matches else None


def promises_an_indication(ctx: ClaimContext) -> bool:
    """A treatment's use, unhedged, for a condition the evidence does not hold as established: the
    indication rules let "may help PTSD" and "short-term relief for CRPS" pass, and so must the model."""
    return not ctx.claim.hedged and speaks_of_indications(ctx) and not _every_use_established(ctx)


def _every_use_established(ctx: ClaimContext) -> bool:
    """Whether the claim names conditions and the evidence holds the treatment's use for each as established."""
    named = narrowest_terms(ctx.targets.conditions, ctx.domain)
    entries = [_indication_entry(ctx, condition) for condition in named]
    return bool(named) and all(e is not None and e.entry.indication_status == "established" for e in entries)
