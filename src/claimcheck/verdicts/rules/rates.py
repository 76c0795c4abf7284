"""Rates: a response, remission or improvement share against the bounds the evidence measured."""

from __future__ import annotations

import re
from dataclasses import replace

from ...claims.lexicon import CLAUSE_BREAK, CueMatch, clause_around
from ...evidence.base import Bounds, LocatedEntry
from ...records import Claim, Quantity
from ...settings import Rules
from ..language import unasserted_at
from .context import ClaimContext, Finding, is_epidemiology, number_text, text_after

CONTROLLED_EVIDENCE = re.compile(
    r"\b(?:clinical trials?|randomi[sz]ed|controlled (?:trials?|studies)|meta-analys[ie]s|systematic reviews?)\b",
    re.I,
)
"""A rate credited to controlled evidence in its own clause: held against controlled entries only (an open-label
or registry figure "in clinical trials" says more than the trials do; "open-label series report 59% to 71%, but
the only controlled trial found no advantage" credits its rate to the open-label series)."""


UNCONTROLLED_DESIGNS = frozenset(
    {"open-label", "observational", "case-series", "case-report", "survey", "pilot"}
)
LETTER = re.compile(r"[^\W\d_]")
OPEN_ABOVE = re.compile(
    r"\s*(?:\+|or (?:more|higher|greater|above|better)\b|and (?:up|above|higher)\b)", re.I
)
RELAPSE = re.compile(r"\brelaps\w*", re.I)
OUTCOME_REACH = 40
"""Characters after a rate within which the outcome it counts is named ("70% of our patients achieve remission")."""
NOT_HELPED_AFTER = re.compile(
    r"\s*(?:of\s+(?:\w+\s+){0,3}?)?(?:who|that)\s+(?:do|does|did|will|may)\s*(?:not|n't)\s+"
    r"(?:\w+\s+)?(?:respond|improve|benefit|experience relief|get relief|feel better|see results|recover)\b(?!\s+(?:to|with)\b)",
    re.I,
)
"""Words after a rate that make it the share not helped ("20% of patients who do not respond"),
not a group defined by another treatment ("3 in 4 of those who did not respond to TMS")."""


MAJORITY_BENEFITS = frozenset({"kind:efficacy", "testimonial_proof", "remission"})
"""Cue categories of a benefit that "most patients" may be said to get."""
KEPT_UP = frozenset({"continued_treatment", "limited_result", "booster_interval"})
"""Cue categories of a benefit kept up by more treatment, or limited: no share of people helped for good."""
ROUTINE = re.compile(
    r"\b(?:back to work|drive (?:themselves )?home|go(?:es)? home|the same day|afterwards)\b", re.I
)
"""What people do after a session: "most people go straight back to work afterwards" is no share helped."""
FADING = re.compile(r"\b(?:fad(?:e|es|ed|ing)|wears?\s+off|wan(?:e|es|ed|ing)|relapse\w*)\b", re.I)
PATIENT_SHARES = frozenset({"response", "remission", "response-maintained"})
"""Outcomes whose figures count patients helped: all that a share in words ("most patients") can be held
against (not a relative reduction in events, not a mean drop in a symptom score)."""
OFFER_AFTER = re.compile(r"^\s*(?:off|discount|voucher)\b", re.I)
SAVE_BEFORE = re.compile(r"\b(?:save|saves|saving|savings of)\s+(?:up to\s+|an extra\s+)?$", re.I)
MEASURE_OF_A_SUBSTANCE = re.compile(
    r"^\s*(?:bio-?availab\w*|absor\w*|pure|purity|natural|oxygen|of\s+(?:the|a|each)\s+dose)\b", re.I
)
"""What a percent measures when it is of the substance, not of the patients helped ("100% bioavailable")."""
TRIAL_ARMS = re.compile(
    r"\b(?:group|arm)\b[^.;]*\b(?:group|arm)\b|\bpercentage points\b|\b95%\s*(?:CI|confidence interval)\b",
    re.I,
)
"""A trial's result reported arm by arm, or with its interval: "41.3% of the ketamine group and 44.9% of the ECT
group" cites a study, as the guide's decision rule allows, rather than promising a rate."""
NOT_A_BENEFIT = re.compile(
    r"^\W*(?:of\s+(?:[\w-]+\s+){0,3}?)?(?:completed|finished|attended|enrolled|dropped out|stopped|"
    r"discontinued|were (?:women|men|female|male|veterans)|would (?:recommend|return|come back|choose)|"
    r"(?:are|were) (?:satisfied|happy with)|rated? (?:us|their|the))\b",
    re.I,
)
"""What a share counts when it is no outcome of treatment: who completed, enrolled or stopped, who the
patients were, who liked the service ("198 (93%) completed all six infusions", "58% were women",
"94% of clients would recommend us")."""


def check_numbers(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Rates in an efficacy claim against the highest rate any compatible entry supports.

    Compatible: for the conditions the claim names, and for remission where the rate is one of
    remission ("70% achieve remission" is held against remission rates, not response rates).
    """
    if not ctx.about("efficacy", "comparative") or is_epidemiology(ctx) or TRIAL_ARMS.search(ctx.claim.text):
        return []
    rates = [_share_helped(ctx, q) for q in ctx.claim.quantities if _a_share_of_patients(ctx.claim, q)]
    if not rates:
        return []
    figured = [
        e
        for e in ctx.ranked
        if e.entry.kind in ("efficacy", "comparative") and e.entry.figures and e.entry.figures.unit == "%"
    ]
    figured = [e for e in figured if ctx.fits_conditions(e)] or figured
    if not ctx.targets.conditions:
        figured = [e for e in figured if ctx.fits_page_conditions(e)] or figured
    claimed = max(rates, key=lambda q: q.high)
    if any(c.category == "single_dose" and _same_clause(ctx, c.start, claimed.start) for c in ctx.cues):
        figured = [e for e in figured if e.entry.regimen != "series"] or figured
    if any(
        _same_clause(ctx, ctx.claim.start + m.start(), claimed.start)
        for m in CONTROLLED_EVIDENCE.finditer(ctx.claim.text)
    ):
        figured = [e for e in figured if e.entry.design not in UNCONTROLLED_DESIGNS] or figured
    if _a_remission_rate(ctx, claimed):
        figured = [e for e in figured if e.entry.outcome == "remission"] or figured
    if claimed.qualifier == "majority":
        figured = [e for e in figured if e.entry.outcome in PATIENT_SHARES]
        if not figured:
            return []
    if not figured:
        cited = tuple(c.entry for c in ctx.candidates[:2])
        if not cited or not _domain_has_rates(ctx):
            return []
        return [
            Finding(
                "unsupported",
                "number_beyond_evidence",
                "high",
                cited,
                f"No entry in the evidence base supports a figure like {claimed.text}.",
            )
        ]
    best = max(figured, key=lambda e: e.entry.figures.high if e.entry.figures else 0.0)
    bounds = best.entry.figures
    assert bounds is not None
    beyond = _beyond(ctx, claimed, bounds, rules) and not _quoted_by(figured, claimed)
    open_ended = _open_above(ctx, claimed) and claimed.high + rules.number_tolerance_points > bounds.high
    if beyond and claimed.qualifier == "majority":
        detail = (
            f"“{claimed.text}” makes a majority the typical result; the evidence reports "
            f"{number_text(bounds.low)}-{number_text(bounds.high)}%."
        )
    elif beyond or open_ended:
        detail = (
            f"{claimed.text}{' or more' if open_ended and not beyond else ''} is above the highest rate "
            f"the evidence reports ({number_text(bounds.high)}%)."
        )
    else:
        return [Finding("supported", "number_beyond_evidence", None, (best,), "")]
    return [Finding("overstated", "number_beyond_evidence", "high", (best,), detail)]


def _beyond(ctx: ClaimContext, claimed: Quantity, bounds: Bounds, rules: Rules) -> bool:
    """Whether the claimed rate is above what the evidence reports.

    A share in words ("most patients") said of a benefit makes a majority the typical result: the whole
    reported range must be a majority, not only its best figure ("most feel better after one infusion"
    against 27-52%).
    """
    if claimed.qualifier == "majority":
        return _a_majority_helped(ctx, claimed) and bounds.low + rules.number_tolerance_points < claimed.low
    return claimed.high > bounds.high + rules.number_tolerance_points


def _a_majority_helped(ctx: ClaimContext, share: Quantity) -> bool:
    """Whether "most" is said of people helped: a word of benefit follows it in its clause, and nothing in the
    claim tells of the benefit fading or needing boosters ("most people who respond need boosters")."""
    text = ctx.claim.text
    _, clause_end = clause_around(text, share.end - ctx.claim.start)
    end = ctx.claim.start + clause_end
    helped = any(c.category in MAJORITY_BENEFITS and share.end <= c.start < end for c in ctx.cues)
    kept_up = any(c.category in KEPT_UP for c in ctx.cues)
    return helped and not FADING.search(text) and not ROUTINE.search(text) and not kept_up


def states_a_rate(ctx: ClaimContext) -> bool:
    """A figure, or a share in words ("most patients") said of a benefit, not of a routine ("most patients
    go home the same day"); a discount is none, nor a trial's result reported arm by arm."""
    if is_epidemiology(ctx) or TRIAL_ARMS.search(ctx.claim.text):
        return False
    return any(
        _a_share_of_patients(ctx.claim, q) and (q.qualifier != "majority" or ctx.has_cue("kind:efficacy"))
        for q in ctx.claim.quantities
    )


def _a_share_of_patients(claim: Claim, quantity: Quantity) -> bool:
    """A percentage that could count patients helped: not a discount, a measure of the substance
    ("100% absorption"), a share of who completed or enrolled, nor one no study is said to show."""
    after = text_after(claim, quantity)
    return (
        quantity.kind in ("percent", "ratio")
        and quantity.unit == "%"
        and not _is_offer(claim, quantity)
        and not MEASURE_OF_A_SUBSTANCE.match(after)
        and not NOT_A_BENEFIT.match(after)
        and not unasserted_at(claim, quantity.start)
    )


def _same_clause(ctx: ClaimContext, first: int, second: int) -> bool:
    """Whether two offsets of the claim stand in one clause: "half respond after a single infusion, and
    60-70% after a series of six" gives each rate its own regimen."""
    lo, hi = sorted((first, second))
    return CLAUSE_BREAK.search(ctx.claim.text, lo - ctx.claim.start, hi - ctx.claim.start) is None


def _a_remission_rate(ctx: ClaimContext, rate: Quantity) -> bool:
    """Whether a word of remission follows the rate closely ("70% achieve remission", "60% become
    depression-free"), in a claim that is not about relapse ("seven in ten who remitted relapsed")."""
    if RELAPSE.search(ctx.claim.text):
        return False
    return any(
        c.category == "remission" and _names_the_outcome_of(ctx, rate, c) and not _rate_between(ctx, rate, c)
        for c in ctx.cues
    )


def _names_the_outcome_of(ctx: ClaimContext, rate: Quantity, cue: CueMatch) -> bool:
    """Whether the cue names the rate's outcome: close after it ("70% achieve remission"), or close before
    it with no words after the rate ("a remission rate of 61%.", "Remission after six infusions | 61%")."""
    if 0 <= cue.start - rate.end <= OUTCOME_REACH:
        return True
    rest = text_after(ctx.claim, rate).split("|")[0]
    return 0 <= rate.start - cue.end <= OUTCOME_REACH and not LETTER.search(rest)


def _open_above(ctx: ClaimContext, rate: Quantity) -> bool:
    """Whether the rate is open above ("70% or more", "80%+"): it claims every rate up to all."""
    return OPEN_ABOVE.match(text_after(ctx.claim, rate)) is not None


def _rate_between(ctx: ClaimContext, rate: Quantity, cue: CueMatch) -> bool:
    """Whether another rate stands between ``rate`` and ``cue``: the word then belongs to that one
    ("58% responded and 37% reached remission": remission is the 37%'s)."""
    lo, hi = (rate.end, cue.start) if cue.start >= rate.end else (cue.end, rate.start)
    return any(
        q is not rate and q.kind in ("percent", "ratio") and lo <= q.start and q.end <= hi
        for q in ctx.claim.quantities
    )


def _share_helped(ctx: ClaimContext, rate: Quantity) -> Quantity:
    """The share a rate says the treatment helps: "the 20% who do not respond" says 80% do."""
    if not NOT_HELPED_AFTER.match(text_after(ctx.claim, rate)):
        return rate
    text = f"{rate.text} who are not helped (so {number_text(100 - rate.high)}% who are)"
    return replace(rate, text=text, low=100 - rate.high, high=100 - rate.low)


def _quoted_by(entries: list[LocatedEntry], quantity: Quantity) -> bool:
    """True when an entry's own statement reports the claimed figure (e.g. a comparator's rate)."""
    figure = number_text(quantity.high)
    return any(re.search(rf"(?<![\d.]){re.escape(figure)}(?:\.\d)?\s*%", e.entry.statement) for e in entries)


def _domain_has_rates(ctx: ClaimContext) -> bool:
    return any(e.entry.figures is not None and e.entry.figures.unit == "%" for e in ctx.related)


def _is_offer(claim: Claim, quantity: Quantity) -> bool:
    """A discount, not a rate: "20% off", "a 10% discount", "members save 20%"."""
    if quantity.qualifier == "offer":
        return True
    before = claim.text[: quantity.start - claim.start]
    return bool(OFFER_AFTER.match(text_after(claim, quantity)[:12])) or SAVE_BEFORE.search(before) is not None
