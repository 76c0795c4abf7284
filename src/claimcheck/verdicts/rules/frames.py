"""The frames the learned flag needs: what a claim must say before the model may name each reason.

The claim model's flag head scores every claim; it may name a reason only where the
claim's own words have that reason's frame (a rate for a number, a promised onset for
an onset), so a learned flag stays explainable by the same reading the rules make.
"""

from __future__ import annotations

from collections.abc import Callable

from ..language import tells_its_limit, tells_only_a_drug_effect, told_by_a_patient, uses_strong_wording
from .context import ClaimContext
from .cost import speaks_of_cost
from .indications import promises_an_indication
from .rates import states_a_rate
from .timing import promises_an_onset, promises_lasting


def has_the_frame_of(ctx: ClaimContext, reason: str | None) -> bool:
    """Whether the claim says the kind of thing a reason is about (any claim, for a reason with no frame).

    The learned flag reads wording only; it may name a reason only where the claim has
    that reason's frame: a rate for a number beyond evidence, a promised onset for an
    exaggerated onset, a treatment's use for indication creep.
    """
    frame = REASON_FRAMES.get(reason or "")
    return frame is None or frame(ctx)


def _uses_strong_wording(ctx: ClaimContext) -> bool:
    return uses_strong_wording(ctx.claim, ctx.cues)


def _tells_a_story(ctx: ClaimContext) -> bool:
    """A patient's story of a result that does not tell its own limit (a relapse, a booster, a result that
    barely moved), nor only what the drug did in the chair."""
    return (
        told_by_a_patient(ctx.claim, ctx.cues)
        and not tells_its_limit(ctx.cues)
        and not tells_only_a_drug_effect(ctx.claim, ctx.cues)
    )


REASON_FRAMES: dict[str, Callable[[ClaimContext], bool]] = {
    "absolute_language": _uses_strong_wording,
    "indication_creep": promises_an_indication,
    "number_beyond_evidence": states_a_rate,
    "onset_exaggerated": promises_an_onset,
    "durability_exaggerated": promises_lasting,
    "cost_misstatement": speaks_of_cost,
    "testimonial_as_proof": _tells_a_story,
}
"""What a claim must say before the learned flag may name each reason (:func:`has_the_frame_of`)."""
