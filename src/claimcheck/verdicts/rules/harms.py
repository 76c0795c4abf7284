"""Safety: absolute safety wording, denied or understated harms, against the harms the evidence records."""

from __future__ import annotations

import re
from functools import lru_cache

from ...claims.lexicon import CueMatch, generic_treatment_words
from ...evidence.base import Bounds, Entry, LocatedEntry
from ...evidence.vocabulary import interventions_named
from ...settings import Rules
from .context import ClaimContext, Finding, finding_from, number_text

HARM_OUTCOMES = frozenset({"adverse-event", "abuse"})
"""Safety entries with these outcomes record a harm that occurs; a denial of it is contradicted."""
STEM = 6
"""Letters of a word compared when a denied harm is looked for in an entry ("addiction" ~ "addictive")."""
MIN_HARM_WORD = 5


WORD_IN_TEXT = re.compile(r"[a-z]+")
DENIAL_WORDS = frozenset(
    word[:STEM]
    for word in (
        "cannot",
        "never",
        "cause",
        "causes",
        "leads",
        "result",
        "produce",
        "create",
        "carry",
        "trigger",
        "induce",
        "suppress",
        "depress",
        "impair",
        "raise",
        "increase",
        "elevate",
        "spike",
        "damage",
        "injure",
        "danger",
    )
)
"""The words of a denial that are not the harm (negations and verbs of causing), by their stems."""
UNDERSTATED = re.compile(r"(?:\b(?:under|fewer than|less than|below|only|just)|<)\s*$", re.I)
"""What puts a share as a ceiling just before it ("under 5%", "fewer than 2%")."""
STOPPED_TREATMENT = re.compile(
    r"\b(?:stop(?:s|ped)?|discontinu\w*|dropp?(?:ed)? out|quit|withdr[ae]w\w*)\b", re.I
)
"""A share of patients who stopped treatment: a dropout rate, not how many are harmed."""
SUBJECT_REACH = 25
"""At most this many characters from a partial subject ("some people") to the rarity phrase it limits."""
LIST_ITEM_BEFORE = re.compile(r"(?:,|\b(?:and|or))\s*(?:very\s+|more\s+|less\s+)?$", re.I)
"""Text ending where a list's next item begins: a rarity word there qualifies that item alone."""


def check_absolute(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Superlatives and absolutes, unless the evidence itself is that strong."""
    flag = ctx.wording.get("absolute_language")
    if flag is None or any(_bears_out(c.entry.entry, flag.phrases) for c in ctx.candidates[:1]):
        return []
    entries = (
        _safety_first(ctx) if "safety" in ctx.claim.kinds else tuple(c.entry for c in ctx.candidates[:2])
    )
    return [finding_from(flag, entries)]


def _bears_out(entry: Entry, phrases: tuple[str, ...]) -> bool:
    """Whether the entry's evidence states the claim's strong phrases as strongly as the claim does."""
    return entry.absolute_ok or (
        bool(entry.bears_out) and set(phrases) <= {p.lower() for p in entry.bears_out}
    )


def check_denied_harm(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A harm denied outright ("does not cause addiction") that the domain's evidence records: contradicted.

    The entry must be a safety entry that records harm (``outcome`` among ``HARM_OUTCOMES``)
    and speak of the denied harm itself (a word of the denial among the entry's words), so
    that "does not cause seizures" is held against the seizure entry and nothing else. Not
    where the denial is said of some patients only ("some patients do not develop nausea").
    """
    for denial in ctx.cues:
        if denial.category != "harm_denied" or ctx.negated(denial):
            continue
        if _said_of_some(ctx, denial) or _of_another_treatment(ctx, denial):
            continue
        denied = _harm_stems(denial.text) - DENIAL_WORDS
        entry = next((e for e in ctx.ranked if _records_harm(e, denied)), None)
        if entry is None:
            detail = f"No entry records or rules out the harm that “{denial.text}” denies."
            return [Finding("unverified", None, None, (), detail)]
        detail = f"The evidence records the harm that “{denial.text}” denies."
        return [Finding("contradicted", "absolute_language", "high", (entry,), detail)]
    return []


def check_rarity(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """Side effects called rare where the evidence reports them in many patients.

    Not where the rarity is said of some patients only ("some people notice very few side effects"),
    nor of something other than a harm ("street sales of the drug are rare"): the claim must name
    a harm, by a safety cue of its own, whatever kind the classifier gave it.
    """
    if not ctx.has_cue("kind:safety") or not _rarity_for_all(ctx):
        return []
    measured = _measured_harm(ctx)
    if measured is None:
        return []
    top, frequency = measured
    if frequency.high < rules.common_side_effect_percent:
        return [Finding("supported", None, None, (top,), "")]
    return [_hidden_harm(top, "Calling side effects rare hides how often they occur.")]


def check_harm_rate(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A share of patients harmed put far below what the evidence measures ("any side effects | fewer
    than 2%" where trials count dizziness, nausea and dissociation in a third or more).

    Only a share stated as a ceiling ("under", "fewer than", "only"), of a harm the claim names,
    and not of patients who stopped treatment (a dropout rate is a different measure).
    """
    if not ctx.has_cue("kind:safety") or STOPPED_TREATMENT.search(ctx.claim.text):
        return []
    ceilings = [
        q
        for q in ctx.claim.quantities
        if q.kind == "percent" and UNDERSTATED.search(ctx.claim.text[: q.start - ctx.claim.start])
    ]
    measured = _measured_harm(ctx)
    if not ceilings or measured is None:
        return []
    top, frequency = measured
    claimed = max(q.high for q in ceilings)
    if claimed * rules.harm_understatement_factor >= frequency.low:
        return [Finding("supported", "number_beyond_evidence", None, (top,), "")]
    why = (
        f"A harm put under {number_text(claimed)}% of patients is far below the {number_text(frequency.low)}% or more "
        "the evidence reports."
    )
    return [_hidden_harm(top, why)]


def _hidden_harm(measured: LocatedEntry, why: str) -> Finding:
    """The finding of a harm made to look rarer than the entry that measures it: a number beyond the evidence."""
    return Finding("overstated", "number_beyond_evidence", "high", (measured,), why)


def _measured_harm(ctx: ClaimContext) -> tuple[LocatedEntry, Bounds] | None:
    """The best-ranked safety entry that measures how often its harm occurs, with that frequency."""
    for entry in ctx.ranked:
        if entry.entry.kind == "safety" and entry.entry.frequency is not None:
            return entry, entry.entry.frequency
    return None


def _rarity_for_all(ctx: ClaimContext) -> bool:
    """A rarity phrase said of a treatment's harms as a whole.

    Asserted; not limited by a partial subject just before it ("some people notice few side
    effects"); and not one item of a list ("dizziness, nausea and rarely hallucinations"
    calls only the hallucinations rare, not the dizziness and nausea the evidence counts).
    """
    return any(
        c.category == "rarity"
        and not ctx.negated(c)
        and not _said_of_some(ctx, c)
        and not LIST_ITEM_BEFORE.search(ctx.claim.text[: c.start - ctx.claim.start])
        for c in ctx.cues
    )


def _said_of_some(ctx: ClaimContext, cue: CueMatch) -> bool:
    """Whether a partial subject ("some patients", "a few people") stands just before the cue."""
    return any(c.category == "partial_subject" and 0 <= cue.start - c.end <= SUBJECT_REACH for c in ctx.cues)


def _of_another_treatment(ctx: ClaimContext, cue: CueMatch) -> bool:
    """Whether the treatment named last before ``cue`` is another domain's ("Unlike ketamine, TMS does not...")."""
    named = [c.text for c in ctx.cues if c.category == "treatment" and c.end <= cue.start]
    if not named:
        return False
    last = named[-1]
    return not interventions_named(last, ctx.domain) and last.lower() not in generic_treatment_words()


def _records_harm(entry: LocatedEntry, denied: frozenset[str]) -> bool:
    """Whether a safety entry records harm and names what is denied (``denied``: the stems of the harm's words)."""
    if entry.entry.kind != "safety" or entry.entry.outcome not in HARM_OUTCOMES:
        return False
    return not denied.isdisjoint(_harm_stems(f"{entry.entry.statement} {' '.join(entry.entry.keywords)}"))


@lru_cache(maxsize=4096)
def _harm_stems(text: str) -> frozenset[str]:
    """The stems of a text's words long enough to name a harm (an entry's are read once, however many claims)."""
    return frozenset(w[:STEM] for w in WORD_IN_TEXT.findall(text.lower()) if len(w) >= MIN_HARM_WORD)


def _safety_first(ctx: ClaimContext) -> tuple[LocatedEntry, ...]:
    safety = [c.entry for c in ctx.candidates if c.entry.entry.kind == "safety"]
    return tuple(safety[:2]) or tuple(c.entry for c in ctx.candidates[:2])
