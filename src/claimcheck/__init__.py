"""claimcheck: audit health-clinic marketing against cited evidence.

    >>> import claimcheck
    >>> report = claimcheck.check("corpora/002_46f5b2d153c94615.txt")
    >>> [(c.verdict, c.text[:40]) for c in report.claims]

The public API is what ``__all__`` lists; everything else is internal.
"""

from typing import TYPE_CHECKING

from .errors import (
    ClaimcheckError,
    EvidenceError,
    FetchError,
    GoldError,
    InputError,
    InputTooLarge,
    ModelError,
    NotFittedError,
    RobotsDisallowed,
    UnsupportedContent,
)
from .records import (
    AnnotatedDocument,
    AnnotatedUnit,
    Citation,
    Claim,
    CueMatch,
    Document,
    EvidenceRef,
    Meta,
    Offer,
    Page,
    Price,
    Quantity,
    Report,
    SpamResult,
    SpamSignal,
    Unit,
)
from .settings import Settings
from .version import __version__

if TYPE_CHECKING:
    from .pipeline import Checker, check, check_many

_PIPELINE_NAMES = frozenset({"Checker", "check", "check_many"})


def __getattr__(name: str) -> object:
    """The pipeline's names, imported on first use: ``import claimcheck`` (and the CLI's
    ``--help``) need not load spaCy, torch and scikit-learn."""
    if name in _PIPELINE_NAMES:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'claimcheck' has no attribute {name!r}")


__all__ = [
    "AnnotatedDocument",
    "AnnotatedUnit",
    "Checker",
    "Citation",
    "Claim",
    "ClaimcheckError",
    "CueMatch",
    "Document",
    "EvidenceError",
    "EvidenceRef",
    "FetchError",
    "GoldError",
    "InputError",
    "InputTooLarge",
    "Meta",
    "ModelError",
    "NotFittedError",
    "Offer",
    "Page",
    "Price",
    "Quantity",
    "Report",
    "RobotsDisallowed",
    "Settings",
    "SpamResult",
    "SpamSignal",
    "Unit",
    "UnsupportedContent",
    "__version__",
    "check",
    "check_many",
]
