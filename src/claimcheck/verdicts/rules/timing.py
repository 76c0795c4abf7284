"""Onset and durability: how soon and how long a benefit is promised, against the evidence's bounds.

Session lengths, schedules and observation hours are not onsets or durations of a benefit;
the quantities a check compares are only those that speak of one.
"""

from __future__ import annotations

import re

from ...claims.quantities import DURABILITY_QUALIFIERS, HOURS_PER_UNIT, ONSET_QUALIFIERS, to_hours
from ...evidence.base import LocatedEntry
from ...records import Quantity
from ...settings import Rules
from ..language import RECREATIONAL_USE, times_a_drug_effect
from .context import (
    ClaimContext,
    Finding,
    acts_on_something,
    finding_from,
    outside,
    text_after,
    with_standard,
)

OF_BENEFIT = re.compile(r"\s+of\s+(?:[\w-]+\s+){0,2}?", re.I)
OF_BENEFIT_REACH = 30
"""How far past a duration "of ..." may name its benefit ("weeks of symptom relief")."""
FOREVER = frozenset({"permanent", "permanently", "for good", "forever", "indefinitely"})
"""Absolute words that put no end to a benefit."""
NUMBER_IN_QUANTITY = re.compile(
    r"\d|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|sixty|few|half)\b",
    re.I,
)


def check_onset(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A promised onset against the fastest onset the evidence shows.

    Only where a treatment acts: "most applications are decided in minutes" is no onset, nor how
    soon a drug taken for a high acts.
    """
    if not ctx.about("onset", "efficacy", "comparative") or not acts_on_something(ctx):
        return []
    if RECREATIONAL_USE.search(ctx.claim.text):
        return []
    entries = [e for e in ctx.ranked if e.entry.onset is not None]
    if not entries:
        return _onset_wording(ctx)
    fastest = min(entries, key=lambda e: _bound_hours(e, "onset")[0])
    fastest_hours = _bound_hours(fastest, "onset")[0]
    durations = [
        h[0]
        for q in outside(ctx, ctx.claim.quantities, "schedule", "procedure_time")
        if q.qualifier in ONSET_QUALIFIERS and not _unnumbered(q) and (h := to_hours(q))
    ]
    if durations and min(durations) < fastest_hours * rules.onset_tolerance:
        return [
            Finding(
                "overstated",
                "onset_exaggerated",
                "high",
                (fastest,),
                "The claim promises a faster effect than the evidence shows.",
            )
        ]
    if "onset_exaggerated" in ctx.wording:
        return [Finding("overstated", "onset_exaggerated", "medium", (fastest,), "")]
    return []


def _onset_wording(ctx: ClaimContext) -> list[Finding]:
    """Results promised at once, for a treatment whose evidence records no onset: the wording alone decides."""
    flag = ctx.wording.get("onset_exaggerated")
    if flag is None:
        return []
    return [
        finding_from(flag, with_standard(ctx, tuple(c.entry for c in ctx.candidates[:1]), "substantiation"))
    ]


def check_durability(ctx: ClaimContext, rules: Rules) -> list[Finding]:
    """A promised duration of benefit against the longest the evidence shows."""
    if not ctx.about("durability") or ctx.has_cue("evidence_caveat"):
        return []
    entries = _duration_entries(ctx)
    if not entries:
        return _lasting_beyond_maintenance(ctx)
    longest = max(entries, key=lambda e: _bound_hours(e, "duration")[1])
    longest_hours = _bound_hours(longest, "duration")[1]
    one_dose = longest.entry.regimen == "single"
    if not one_dose and not ctx.has_cue("kind:efficacy") and not ctx.has_cue("lasting"):
        return []
    claimed = [h[1] for q in _promised_durations(ctx) if (h := to_hours(q))]
    forever = _forever(ctx)
    kept_by_treatment = ctx.has_cue("continued_treatment")
    longer = (
        max(claimed) > longest_hours * rules.durability_tolerance
        if claimed
        else ctx.has_cue("lasting") and not kept_by_treatment
    )
    if forever or longer:
        return [
            Finding(
                "overstated",
                "durability_exaggerated",
                "high" if claimed else "medium",
                (longest,),
                "The claim promises a longer-lasting benefit than the evidence shows.",
            )
        ]
    return []


def _lasting_beyond_maintenance(ctx: ClaimContext) -> list[Finding]:
    """Lasting benefit promised where the evidence shows it held only while doses went on.

    An entry with ``regimen: maintenance`` and no ``duration`` records benefit kept under
    continued treatment (a relapse-prevention trial), not how long it lasts once treatment
    stops; "a path toward lasting recovery" says more, unless the claim itself speaks of
    continuing treatment.
    """
    if not ctx.has_cue("lasting") or ctx.has_cue("continued_treatment") or ctx.has_cue("booster_interval"):
        return []
    held = [
        e
        for e in ctx.ranked
        if e.entry.regimen == "maintenance" and e.entry.duration is None and ctx.fits_conditions(e)
    ]
    if not held:
        return []
    return [
        Finding(
            "overstated",
            "durability_exaggerated",
            "medium",
            (held[0],),
            "The evidence shows the benefit held only while treatment continued, not that it lasts.",
        )
    ]


def _promised_durations(ctx: ClaimContext) -> list[Quantity]:
    """How long the claim says a benefit lasts: durations bounded as such ("lasting up to 6 months")
    or of a benefit ("two weeks of relief"), not a schedule or the session's length, and the gap
    between repeat doses ("boosters every three months"), which says one dose holds that long."""
    durations = [
        q
        for q in outside(ctx, ctx.claim.quantities, "schedule", "procedure_time")
        if q.qualifier in DURABILITY_QUALIFIERS or _of_a_benefit(ctx, q)
    ]
    intervals = [c for c in ctx.cues if c.category == "booster_interval"]
    gaps = [
        q
        for q in ctx.claim.quantities
        if q.kind == "duration" and any(c.start <= q.start and q.end <= c.end for c in intervals)
    ]
    return durations + gaps


def _of_a_benefit(ctx: ClaimContext, duration: Quantity) -> bool:
    """Whether the duration measures a benefit named right after it ("one to two weeks of relief")."""
    if duration.kind != "duration":
        return False
    return bool(OF_BENEFIT.match(text_after(ctx.claim, duration))) and any(
        c.category == "kind:efficacy" and 0 <= c.start - duration.end <= OF_BENEFIT_REACH for c in ctx.cues
    )


def _unnumbered(quantity: Quantity) -> bool:
    """A bare unit ("within hours", "in minutes"): a span of time, not a figure to compare.

    The annotation guide reads "within hours" as supported; "in minutes" is caught as
    wording by the language layer instead.
    """
    return not NUMBER_IN_QUANTITY.search(quantity.text)


def _duration_entries(ctx: ClaimContext) -> list[LocatedEntry]:
    """The entries bounding how long the claim's benefit lasts: those for one dose when it speaks of one.

    "The effects of a single infusion last weeks" is judged against what one infusion
    gives (days), not against a course of six, so a typed ``regimen`` decides.
    """
    entries = [e for e in ctx.ranked if e.entry.duration is not None and ctx.fits_conditions(e)]
    single = [e for e in entries if e.entry.regimen == "single"]
    if ctx.has_cue("single_dose") and not ctx.has_cue("schedule") and single:
        return single
    return [e for e in entries if e.entry.regimen != "single"] or entries


def promises_an_onset(ctx: ClaimContext) -> bool:
    """An onset figure or word, for a treatment, that is not the length of the session or its schedule, nor
    how soon a drug's own effect comes ("within minutes, people feel detached" promises no relief)."""
    if not acts_on_something(ctx) or times_a_drug_effect(ctx.claim, ctx.cues):
        return False
    timed = [q for q in ctx.claim.quantities if q.qualifier in ONSET_QUALIFIERS]
    words = [c for c in ctx.cues if c.category in ("kind:onset", "instant_onset") and not ctx.negated(c)]
    return bool(
        outside(ctx, timed, "schedule", "procedure_time") or outside(ctx, words, "schedule", "procedure_time")
    )


def promises_lasting(ctx: ClaimContext) -> bool:
    """A benefit said to last: a lasting word, a duration of benefit or the gap between boosters,
    not a course's schedule or a session's length ("six infusions over two weeks, each lasting 45 minutes")."""
    if ctx.has_cue("evidence_caveat"):
        return False
    return ctx.has_cue("lasting") or bool(_forever(ctx)) or bool(_promised_durations(ctx))


def _forever(ctx: ClaimContext) -> frozenset[str]:
    """The claim's absolute words that put no end to a benefit ("permanently", "for good")."""
    return FOREVER & frozenset(ctx.cue_texts("absolute"))


def _bound_hours(entry: LocatedEntry, field_name: str) -> tuple[float, float]:
    bounds = getattr(entry.entry, field_name)
    factor = HOURS_PER_UNIT.get(bounds.unit, 1.0)
    return bounds.low * factor, bounds.high * factor
