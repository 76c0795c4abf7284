"""claimcheck: audit health-clinic marketing against cited evidence.

    >>> import claimcheck
    >>> report = claimcheck.check("corpora/002_46f5b2d153c94615.txt")
    >>> [(c.verdict, c.text[:40]) for c in report.claims]

The public API is what ``__all__`` lists; everything else is internal.
"""

__version__ = "0.1.0"

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
from .pipeline import Checker, check, check_many
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
