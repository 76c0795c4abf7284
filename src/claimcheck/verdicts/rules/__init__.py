"""The verdict rules: one check per overstatement reason of the annotation guide.

Each check reads a :class:`~.context.ClaimContext` and returns :class:`~.context.Finding`s.
The checks are grouped by family, one module each: ``regulatory``, ``rates``, ``timing``
(onset and durability), ``indications``, ``harms`` (safety), ``wording`` (contradicting
phrases, authority, testimonials) and ``cost``; ``frames`` says what a claim must say
before the learned flag may name a reason. Every threshold is a field of ``Rules``;
lexicons live in ``data/lexicon.yaml``. Nothing here names a treatment: what is approved,
cleared or controlled, who pays, how prices are quoted and who is vulnerable are typed
fields of the evidence (``evidence/<domain>/``). ``verdicts.Judge`` runs :data:`CHECKS`
and combines their findings.
"""

from __future__ import annotations

from collections.abc import Callable

from ...settings import Rules
from .context import ClaimContext, Finding
from .cost import check_cost
from .harms import check_absolute, check_denied_harm, check_harm_rate, check_rarity
from .indications import check_indications
from .rates import check_numbers
from .regulatory import check_compounded_approval, check_registration, check_regulatory
from .timing import check_durability, check_onset
from .wording import check_authority, check_contradicting_phrases, check_testimonial

CHECKS: tuple[Callable[[ClaimContext, Rules], list[Finding]], ...] = (
    check_regulatory,
    check_registration,
    check_compounded_approval,
    check_contradicting_phrases,
    check_numbers,
    check_onset,
    check_durability,
    check_indications,
    check_absolute,
    check_denied_harm,
    check_rarity,
    check_harm_rate,
    check_authority,
    check_testimonial,
    check_cost,
)
"""Every check, in the order the judge runs them."""

__all__ = ["CHECKS", "ClaimContext", "Finding"]
